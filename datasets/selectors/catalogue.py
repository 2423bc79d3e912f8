"""Reading the indicator catalogue: indicators, parts, targets in force and comparators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from safeguarding.periods import FinancialQuarter, FinancialYear

from ..models import BreakdownPart, Comparator, Indicator, Target


def indicators_for(partnership_id: int) -> QuerySet[Indicator]:
    """A partnership's indicators with their parts prefetched (2 queries when evaluated)."""
    return Indicator.objects.filter(partnership_id=partnership_id).prefetch_related(
        Prefetch("parts", queryset=BreakdownPart.objects.order_by("order", "id")))


def target_in_force(targets: Iterable[Target], period: FinancialQuarter) -> Target | None:
    """The target row that applies to ``period``, from one indicator's rows.

    The latest row of the quarter's own financial year whose ``effective_from`` is on or before the
    quarter's end; if that year has none, the latest row of an earlier year (a target stays in
    force until it is changed). Rows of later years never apply, so a past quarter keeps its RAG.
    """
    best: Target | None = None
    for row in targets:
        if row.year_start > period.year.start_year:
            continue
        if row.year_start == period.year.start_year and row.effective_from > period.end:
            continue
        if best is None or (row.year_start, row.effective_from) > (best.year_start, best.effective_from):
            best = row
    return best


@dataclass
class Catalogue:
    """A partnership's whole catalogue in memory, loaded in three queries by ``catalogue_load``.

    Use it to work out, without further queries, which indicators an agency reports in a quarter
    (``indicators_for_agency``), an indicator's parts (``parts``) and its target in force
    (``target_for``).
    """

    indicators: dict[int, Indicator]
    parts: dict[int, list[BreakdownPart]]
    targets: dict[int, list[Target]]
    by_code: dict[str, Indicator] = field(default_factory=dict)
    parts_by_code: dict[tuple[int, str], BreakdownPart] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {i.code.upper(): i for i in self.indicators.values()}
        self.parts_by_code = {(p.indicator_id, p.code.upper()): p for ps in self.parts.values() for p in ps}

    def indicators_for_agency(self, agency_type: str, period: FinancialQuarter) -> list[Indicator]:
        """The indicators an agency of this type reports in ``period``, in catalogue order."""
        return [i for i in self.indicators.values() if i.reported_by(agency_type) and i.is_active_in(period)]

    def target_for(self, indicator_id: int, period: FinancialQuarter) -> Target | None:
        return target_in_force(self.targets.get(indicator_id, ()), period)


def catalogue_load(partnership_id: int) -> Catalogue:
    """The partnership's catalogue (3 queries: indicators, parts, targets)."""
    indicators = {i.pk: i for i in Indicator.objects.filter(partnership_id=partnership_id)
                  .order_by("domain", "order", "code")}
    parts: dict[int, list[BreakdownPart]] = defaultdict(list)
    for part in BreakdownPart.objects.filter(indicator__partnership_id=partnership_id).order_by("order", "id"):
        parts[part.indicator_id].append(part)
    targets: dict[int, list[Target]] = defaultdict(list)
    for row in Target.objects.filter(indicator__partnership_id=partnership_id):
        targets[row.indicator_id].append(row)
    return Catalogue(indicators=indicators, parts=dict(parts), targets=dict(targets))


def targets_in_force(*, partnership_id: int, period: FinancialQuarter) -> dict[int, Target]:
    """``{indicator_id: Target}`` in force for ``period`` across the catalogue (1 query)."""
    rows: dict[int, list[Target]] = defaultdict(list)
    for row in Target.objects.filter(indicator__partnership_id=partnership_id,
                                     year_start__lte=period.year.start_year):
        rows[row.indicator_id].append(row)
    out = {}
    for indicator_id, targets in rows.items():
        chosen = target_in_force(targets, period)
        if chosen is not None:
            out[indicator_id] = chosen
    return out


def targets_for_year(*, partnership_id: int, year: FinancialYear) -> dict[int, list[Target]]:
    """Every target row of a financial year, per indicator, oldest first (1 query)."""
    out: dict[int, list[Target]] = defaultdict(list)
    for row in Target.objects.filter(indicator__partnership_id=partnership_id,
                                     year_start=year.start_year).order_by("effective_from"):
        out[row.indicator_id].append(row)
    return dict(out)


def indicator_targets(indicator: Indicator) -> list[Target]:
    """An indicator's target rows, by year and effective date (1 query)."""
    return list(indicator.targets.order_by("year_start", "effective_from"))


def comparators_for(*, partnership_id: int, year_start: int | None = None,
                    indicator_ids: Iterable[int] | None = None) -> dict[int, dict[int, dict[str, Comparator]]]:
    """``{indicator_id: {year_start: {kind: Comparator}}}`` (1 query).

    ``kind`` is a ``ComparatorKind`` value (england, region, neighbours). Filter by year and/or
    indicators when given. Comparators are usually a year behind the data they are set beside:
    the caller chooses which year to show. Comparators of breakdown parts are left out
    (``part_comparators``).
    """
    qs = Comparator.objects.filter(indicator__partnership_id=partnership_id, part__isnull=True)
    if year_start is not None:
        qs = qs.filter(year_start=year_start)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    out: dict[int, dict[int, dict[str, Comparator]]] = defaultdict(lambda: defaultdict(dict))
    for row in qs:
        out[row.indicator_id][row.year_start][row.kind] = row
    return {k: dict(v) for k, v in out.items()}


def part_comparators(indicator: Indicator) -> list[Comparator]:
    """The comparators attached to the parts of ``indicator``'s breakdown, newest year first, then
    part and kind (1 query)."""
    return list(Comparator.objects.filter(indicator=indicator, part__isnull=False).select_related("part")
                .order_by("-year_start", "part__order", "kind"))
