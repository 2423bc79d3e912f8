"""What dashboards and the annual report read: accepted figures with their RAG, trends.

Every figure comes with the target that was in force for its own quarter (so a past quarter
keeps its RAG when a target changes) and its RAG from ``datasets.rag.rag``. Only accepted
returns count unless ``include_unaccepted`` is set (then submitted and resubmitted too, never
drafts). Fixed queries whatever the number of agencies, indicators or quarters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from partners.models import Agency
from safeguarding.workflow import ReturnStatus

from ..models import Indicator, Quarter, Return, Target
from ..rag import rag
from ..validation import effective_value
from .catalogue import Catalogue, catalogue_load
from .returns import figures_by_return


@dataclass(frozen=True)
class Figure:
    """One agency's accepted figure for one indicator in one quarter."""

    quarter: Quarter
    agency: Agency
    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    narrative: str
    target: Target | None
    rag: str | None  # "red" / "amber" / "green" / None
    status: str
    parts: tuple[tuple[str, Decimal | None], ...] = ()  # (part label, value) for a breakdown


def _statuses(include_unaccepted: bool) -> list[str]:
    if include_unaccepted:
        return [ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED]
    return [ReturnStatus.ACCEPTED]


def figures_for(*, partnership_id: int, quarters: Iterable[Quarter] | None = None,
                indicator_ids: Iterable[int] | None = None, agency_ids: Iterable[int] | None = None,
                include_unaccepted: bool = False, catalogue: Catalogue | None = None) -> list[Figure]:
    """Figures of the partnership's returns, filtered by quarters, indicators and agencies.

    5 queries (3 for the catalogue unless given, 1 returns, 1 values). Sorted by quarter,
    indicator (catalogue order), agency name.
    """
    catalogue = catalogue or catalogue_load(partnership_id)
    returns = Return.objects.filter(agency__partnership_id=partnership_id,
                                    status__in=_statuses(include_unaccepted)).select_related("agency", "quarter")
    if quarters is not None:
        returns = returns.filter(quarter__in=[q.pk for q in quarters])
    if agency_ids is not None:
        returns = returns.filter(agency_id__in=list(agency_ids))
    returns = list(returns.order_by("quarter__year_start", "quarter__number", "agency__name"))
    wanted = set(indicator_ids) if indicator_ids is not None else None
    figures = figures_by_return(r.pk for r in returns)
    order = {pk: n for n, pk in enumerate(catalogue.indicators)}
    out: list[Figure] = []
    for ret in returns:
        period = ret.quarter.period
        for indicator_id, ind_figures in figures.get(ret.pk, {}).items():
            if wanted is not None and indicator_id not in wanted:
                continue
            indicator = catalogue.indicators.get(indicator_id)
            if indicator is None:
                continue
            parts = catalogue.parts.get(indicator_id, [])
            value = effective_value(indicator, parts, ind_figures)
            target = catalogue.target_for(indicator_id, period)
            out.append(Figure(
                quarter=ret.quarter, agency=ret.agency, indicator=indicator, value=value,
                numerator=ind_figures.total.numerator, denominator=ind_figures.total.denominator,
                narrative=ind_figures.total.narrative, target=target,
                rag=rag(value, indicator.polarity, target.target, target.amber_threshold) if target else None,
                status=ret.status,
                parts=tuple((p.label, (ind_figures.parts.get(p.pk).value if p.pk in ind_figures.parts else None))
                            for p in parts),
            ))
    out.sort(key=lambda f: (f.quarter.year_start, f.quarter.number, order.get(f.indicator.pk, 0), f.agency.name))
    return out


def quarter_figures(quarter: Quarter, *, include_unaccepted: bool = False) -> list[Figure]:
    """Every accepted figure of a quarter across agencies and indicators, with RAG (5 queries)."""
    return figures_for(partnership_id=quarter.partnership_id, quarters=[quarter],
                       include_unaccepted=include_unaccepted)


def indicator_trend(indicator: Indicator, *, quarters: Iterable[Quarter] | None = None,
                    agency_ids: Iterable[int] | None = None,
                    include_unaccepted: bool = False) -> list[Figure]:
    """One indicator's accepted figures across quarters (each agency a series), oldest first,
    each with the RAG of its own quarter's target (5 queries)."""
    return figures_for(partnership_id=indicator.partnership_id, quarters=quarters, indicator_ids=[indicator.pk],
                       agency_ids=agency_ids, include_unaccepted=include_unaccepted)


def quarters_of(partnership_id: int, *, year_start: int | None = None) -> list[Quarter]:
    """The partnership's quarters, oldest first, optionally one financial year's (1 query)."""
    qs = Quarter.objects.filter(partnership_id=partnership_id)
    if year_start is not None:
        qs = qs.filter(year_start=year_start)
    return list(qs.order_by("year_start", "number"))
