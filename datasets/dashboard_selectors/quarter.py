"""One quarter across the partnership: the overview matrix and the exceptions for the meeting."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from partners.models import Agency

from .. import conf
from ..models import Indicator, Quarter, ReturnValue, Target
from ..selectors import Completeness, quarter_completeness
from ..validation import moved_share
from .base import ACCEPTED, PartnershipFigure, aggregates, figure, rate, reports, targets_at, type_matches

# ---------------------------------------------------------------- the overview matrix


@dataclass
class Cell:
    indicator: Indicator
    reported: bool
    value: Decimal | None = None
    rag: str | None = None
    narrative: str = ""


@dataclass
class Overview:
    quarter: Quarter
    indicators: list[Indicator]
    targets: dict[int, Target]
    rows: list[tuple[Agency, list[Cell]]]
    partnership: list[tuple[Indicator, PartnershipFigure | None]]
    completeness: Completeness
    rag_counts: dict[str, int] = field(default_factory=dict)


def overview(*, quarter: Quarter, indicators: list[Indicator], agencies: list[Agency], visible: set[int],
             domain: str = "", agency_type: str = "") -> Overview:
    """The matrix for one quarter: rows are the visible agencies (of ``agency_type``) that report
    at least one of the domain's indicators, columns the domain's indicators (6 queries: values,
    targets, partnership aggregates and the 3 of ``quarter_completeness``)."""
    period = quarter.period
    shown = [i for i in indicators if (not domain or i.domain == domain) and i.is_active_in(period)]
    by_id = {i.pk: i for i in shown}
    rows_agencies = [a for a in agencies if a.pk in visible and type_matches(a.agency_type, agency_type)
                     and any(reports(a, i, period) for i in shown)]
    targets = targets_at(indicator_ids=by_id, period=period)
    found: dict[tuple[int, int], tuple] = {}
    for agency_id, indicator_id, value, num, den, narrative in ReturnValue.objects.filter(
            ret__quarter_id=quarter.pk, ret__status=ACCEPTED, ret__agency_id__in=[a.pk for a in rows_agencies],
            part__isnull=True, indicator_id__in=list(by_id)).order_by().values_list(
            "ret__agency_id", "indicator_id", "value", "numerator", "denominator", "narrative"):
        found[(agency_id, indicator_id)] = (figure(by_id[indicator_id], value, num, den), narrative)
    counts: dict[str, int] = defaultdict(int)
    rows = []
    for agency in rows_agencies:
        cells = []
        for indicator in shown:
            cell = Cell(indicator=indicator, reported=reports(agency, indicator, period))
            if (agency.pk, indicator.pk) in found:
                cell.value, cell.narrative = found[(agency.pk, indicator.pk)]
                cell.reported = True
                cell.rag = rate(indicator, cell.value, targets.get(indicator.pk))
                if cell.rag:
                    counts[cell.rag] += 1
            cells.append(cell)
        rows.append((agency, cells))
    aggs = aggregates(quarter_ids=[quarter.pk], indicators=by_id)
    return Overview(
        quarter=quarter, indicators=shown, targets=targets, rows=rows,
        partnership=[(i, aggs.get((quarter.pk, i.pk))) for i in shown],
        completeness=quarter_completeness(quarter),
        rag_counts=dict(counts),
    )


# ---------------------------------------------------------------- exceptions


@dataclass
class ExceptionRow:
    agency: Agency
    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    target: Target | None
    rag: str | None
    moved: Decimal | None
    narrative: str
    reasons: list[str]

    @property
    def severity(self) -> tuple:
        return (0 if self.rag == "red" else 1, -(self.moved or 0))


SORTS = {
    "severity": lambda r: (r.severity, r.agency.name, r.indicator.code),
    "agency": lambda r: (r.agency.name, r.indicator.code),
    "indicator": lambda r: (r.indicator.domain, r.indicator.order, r.indicator.code, r.agency.name),
    "movement": lambda r: (-(r.moved or 0), r.agency.name),
}


def exceptions(*, quarter: Quarter, previous: Quarter | None, indicators: list[Indicator], agencies: list[Agency],
               visible: set[int], domain: str = "", sort: str = "severity") -> list[ExceptionRow]:
    """The quarter's red figures and sharp movements (more than ``conf.movement_share()`` against
    the previous quarter), with their narratives (2 queries)."""
    period = quarter.period
    by_id = {i.pk: i for i in indicators if (not domain or i.domain == domain) and i.is_active_in(period)}
    by_agency = {a.pk: a for a in agencies if a.pk in visible}
    qids = [quarter.pk] + ([previous.pk] if previous else [])
    found: dict[tuple[int, int, int], tuple] = {}
    for quarter_id, agency_id, indicator_id, value, num, den, narrative in ReturnValue.objects.filter(
            ret__quarter_id__in=qids, ret__status=ACCEPTED, ret__agency_id__in=list(by_agency),
            part__isnull=True, indicator_id__in=list(by_id)).order_by().values_list(
            "ret__quarter_id", "ret__agency_id", "indicator_id", "value", "numerator", "denominator", "narrative"):
        found[(quarter_id, agency_id, indicator_id)] = (figure(by_id[indicator_id], value, num, den), narrative)
    targets = targets_at(indicator_ids=by_id, period=period)
    share = conf.movement_share()
    rows = []
    for (quarter_id, agency_id, indicator_id), (value, narrative) in found.items():
        if quarter_id != quarter.pk:
            continue
        indicator = by_id[indicator_id]
        prev = found.get((previous.pk, agency_id, indicator_id), (None, ""))[0] if previous else None
        target = targets.get(indicator_id)
        status = rate(indicator, value, target)
        moved = moved_share(value, prev)
        reasons = []
        if status == "red":
            reasons.append("Red against its target")
        if moved is not None and moved > share:
            direction = "up" if value > prev else "down"
            reasons.append(f"Moved {direction} {moved * 100:.0f}% against {previous.label}")
        if reasons:
            rows.append(ExceptionRow(agency=by_agency[agency_id], indicator=indicator, value=value, previous=prev,
                                     target=target, rag=status, moved=moved, narrative=narrative, reasons=reasons))
    rows.sort(key=SORTS.get(sort, SORTS["severity"]))
    return rows
