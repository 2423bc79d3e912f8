"""Dashboard reads over the datasets tables: the PCI overview matrix, an indicator's trend, an
agency's figures against the partnership median, the quarter's exceptions and completeness.

Only accepted returns count. Every function runs a fixed number of queries whatever the number
of agencies, indicators or quarters (tests/dashboards pins them), and each query touches only
the quarters it shows, so a page costs the same when the history grows:

- values are reached from their returns (``Return`` by quarter or agency, then the partial unique
  index ``value_unique_total`` on ``(ret_id, indicator_id)``), never by scanning an indicator's
  whole history;
- medians and pooled partnership figures are aggregated in PostgreSQL, so an agency submitter's
  page never loads another agency's figures into Python;
- a target in force is picked by ``DISTINCT ON`` over ``target_unique_effective``;
- value queries clear the models' default ordering (``.order_by()``), which would otherwise join
  quarters, partnerships, indicators and parts only to sort rows the code puts in dicts.

Scoping is the caller's: views pass ``visible`` (the agency ids the person may read in full, from
``partners.access.agencies_readable_by``); aggregates cover the whole partnership and are shown only
when at least ``MIN_AGGREGATE`` agencies contribute, so a median never reveals one agency's figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from partners.models import HEALTH_AGENCY_TYPES, Agency
from safeguarding.periods import FinancialQuarter, FinancialYear
from safeguarding.workflow import ReturnStatus

from . import conf
from .models import (
    RATIO_SCALE,
    Comparator,
    ComparatorKind,
    Domain,
    Indicator,
    Quarter,
    Return,
    ReturnEvent,
    ReturnValue,
    Target,
)
from .rag import rag
from .selectors import Completeness, quarter_completeness, target_in_force
from .validation import compute_ratio, moved_share

# Fewer contributing agencies than this and a median would give away someone's figure.
MIN_AGGREGATE = 3
HEALTH = "health"
ACCEPTED = ReturnStatus.ACCEPTED


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DecimalField(max_digits=20, decimal_places=4)


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def figure(indicator: Indicator, value, numerator, denominator) -> Decimal | None:
    """The stored figure, or the ratio from its numerator and denominator if none was stored."""
    if value is not None:
        return value
    if indicator.unit in RATIO_SCALE:
        return compute_ratio(indicator.unit, numerator, denominator)
    return None


# ---------------------------------------------------------------- quarters, catalogue, agencies


RECENT_YEARS = 3


def quarters_for(partnership_id: int) -> list[Quarter]:
    """The partnership's quarters, oldest first, each with ``has_accepted`` and, for the quarters
    of the last three financial years, ``accepted`` (how many accepted returns; 0 for older ones,
    so that a long history costs an index probe per quarter, not a count) (1 query)."""
    accepted = Return.objects.filter(quarter_id=OuterRef("pk"), status=ACCEPTED)
    counted = accepted.order_by().values("quarter_id").annotate(n=Count("id")).values("n")
    latest = Quarter.objects.filter(partnership_id=partnership_id).order_by("-year_start").values("year_start")[:1]
    recent = ExpressionWrapper(Subquery(latest) - (RECENT_YEARS - 1), output_field=IntegerField())
    return list(Quarter.objects.filter(partnership_id=partnership_id).annotate(
        has_accepted=Exists(accepted),
        accepted=Case(When(year_start__gte=recent, then=Coalesce(Subquery(counted), 0)), default=Value(0)),
    ).order_by("year_start", "number"))


def default_quarter(quarters: list[Quarter]) -> Quarter | None:
    """The last quarter PCI can meet about: the latest with at least half as many accepted returns
    as the best-covered quarter (the quarter still being returned has only a few), else the last."""
    most = max((q.accepted for q in quarters), default=0)
    if most:
        return [q for q in quarters if q.accepted * 2 >= most][-1]
    return quarters[-1] if quarters else None


def pick_quarter(quarters: list[Quarter], label: str | None) -> Quarter | None:
    for quarter in quarters:
        if label and quarter.label == label:
            return quarter
    return default_quarter(quarters)


def previous_quarter(quarters: list[Quarter], quarter: Quarter) -> Quarter | None:
    index = next(i for i, q in enumerate(quarters) if q.pk == quarter.pk)
    return quarters[index - 1] if index > 0 else None


def window(quarters: list[Quarter], end: Quarter, span: int) -> list[Quarter]:
    index = next(i for i, q in enumerate(quarters) if q.pk == end.pk)
    return quarters[max(0, index - span + 1): index + 1]


def indicators_of(partnership_id: int) -> list[Indicator]:
    """The whole catalogue, in catalogue order (1 query; it is small and not per quarter)."""
    return list(Indicator.objects.filter(partnership_id=partnership_id).order_by("domain", "order", "code"))


def domains_in(indicators: Iterable[Indicator]) -> list[tuple[str, str]]:
    """The domains that have indicators, in the catalogue's order of domains."""
    present = {indicator.domain for indicator in indicators}
    return [(key, label) for key, label in Domain.choices if key in present]


def default_domain(*, indicators: list[Indicator], agencies: list[Agency], visible: set[int],
                   period: FinancialQuarter) -> str:
    """The first domain (in catalogue order) with an indicator one of the visible agencies reports:
    a submitter's overview opens on something of theirs. No queries."""
    seen = [a for a in agencies if a.pk in visible]
    for key, _label in domains_in(indicators):
        if any(reports(a, i, period) for i in indicators if i.domain == key for a in seen):
            return key
    domains = domains_in(indicators)
    return domains[0][0] if domains else ""


def type_matches(agency_type: str, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted == HEALTH:
        return agency_type in HEALTH_AGENCY_TYPES
    return agency_type == wanted


def agencies_of(partnership_id: int) -> list[Agency]:
    return list(Agency.objects.filter(partnership_id=partnership_id).order_by("name"))


def reports(agency: Agency, indicator: Indicator, period: FinancialQuarter) -> bool:
    return indicator.reported_by(agency.agency_type) and indicator.is_active_in(period) and (
        agency.is_active_on(period.end) or agency.is_active_on(period.start))


# ---------------------------------------------------------------- targets and comparators


def targets_at(*, indicator_ids: Iterable[int], period: FinancialQuarter) -> dict[int, Target]:
    """``{indicator_id: Target}`` in force in ``period`` (1 query, one row per indicator).

    Same rule as ``datasets.selectors.catalogue.target_in_force``, done by ``DISTINCT ON`` so that
    a long history of target rows is never loaded."""
    in_force = Q(year_start__lt=period.year.start_year) | Q(year_start=period.year.start_year,
                                                            effective_from__lte=period.end)
    rows = (Target.objects.filter(in_force, indicator_id__in=list(indicator_ids))
            .order_by("indicator_id", "-year_start", "-effective_from").distinct("indicator_id"))
    return {row.indicator_id: row for row in rows}


def rate(indicator: Indicator, value: Decimal | None, target: Target | None) -> str | None:
    if target is None:
        return None
    return rag(value, indicator.polarity, target.target, target.amber_threshold)


# ---------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class PartnershipFigure:
    """The partnership's figure for one indicator and quarter: ``median`` of the agencies' figures
    and, for percentages and rates, ``pooled`` (all numerators over all denominators)."""

    count: int
    median: Decimal | None
    pooled: Decimal | None

    @property
    def shown(self) -> bool:
        return self.count >= MIN_AGGREGATE


def aggregates(*, quarter_ids: Iterable[int],
               indicators: dict[int, Indicator]) -> dict[tuple[int, int], PartnershipFigure]:
    """``{(quarter_id, indicator_id): PartnershipFigure}`` over every agency's accepted figure (1 query)."""
    rows = (ReturnValue.objects.filter(ret__quarter_id__in=list(quarter_ids), ret__status=ACCEPTED,
                                       part__isnull=True, indicator_id__in=list(indicators),
                                       value__isnull=False)
            .values("ret__quarter_id", "indicator_id")
            .annotate(n=Count("id"), median=Median("value"), num=Sum("numerator"), den=Sum("denominator"))
            .order_by())
    out = {}
    for row in rows:
        indicator = indicators[row["indicator_id"]]
        pooled = None
        if indicator.unit in RATIO_SCALE:
            pooled = compute_ratio(indicator.unit, _dec(row["num"]), _dec(row["den"]))
        median = _dec(row["median"])
        out[(row["ret__quarter_id"], row["indicator_id"])] = PartnershipFigure(
            count=row["n"], median=median.quantize(Decimal("0.0001")) if median is not None else None, pooled=pooled)
    return out


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


# ---------------------------------------------------------------- one indicator's trend


@dataclass(frozen=True)
class Point:
    value: Decimal | None
    rag: str | None
    narrative: str = ""


@dataclass
class Trend:
    indicator: Indicator
    quarters: list[Quarter]
    series: list[tuple[Agency, list[Point]]]
    partnership: list[PartnershipFigure | None]
    targets: list[Target | None]
    comparators: dict[str, list[Decimal | None]]
    comparator_years: list[str | None]
    narratives: list[tuple[Quarter, list[tuple[Agency, Decimal | None, str]]]]


def _comparator_rows(indicator: Indicator, years: set[int]) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in Comparator.objects.filter(indicator=indicator, year_start__in=years | {y - 1 for y in years}):
        out[row.year_start][row.kind] = row.value
    return out


def indicator_trend(*, indicator: Indicator, quarters: list[Quarter], agencies: list[Agency], visible: set[int],
                    agency_type: str = "") -> Trend:
    """The indicator over ``quarters`` for each visible agency, the partnership, the target in
    force each quarter and the comparators of each year (4 queries: values, aggregates, targets,
    comparators)."""
    qids = [q.pk for q in quarters]
    periods = [q.period for q in quarters]
    candidates = [a for a in agencies if a.pk in visible and type_matches(a.agency_type, agency_type)]
    values: dict[tuple[int, int], tuple[Decimal | None, str]] = {}
    for agency_id, quarter_id, value, num, den, narrative in ReturnValue.objects.filter(
            ret__quarter_id__in=qids, ret__status=ACCEPTED, ret__agency_id__in=[a.pk for a in candidates],
            indicator_id=indicator.pk, part__isnull=True).order_by().values_list(
            "ret__agency_id", "ret__quarter_id", "value", "numerator", "denominator", "narrative"):
        values[(agency_id, quarter_id)] = (figure(indicator, value, num, den), narrative)
    with_values = {agency_id for agency_id, _ in values}
    series_agencies = [a for a in candidates if a.pk in with_values
                       or any(reports(a, indicator, p) for p in periods)]
    aggs = aggregates(quarter_ids=qids, indicators={indicator.pk: indicator})
    target_rows = list(Target.objects.filter(indicator=indicator, year_start__lte=max(
        (p.year.start_year for p in periods), default=0)).order_by("year_start", "effective_from"))
    targets = [target_in_force(target_rows, p) for p in periods]
    series = []
    for agency in series_agencies:
        points = []
        for q, target in zip(qids, targets, strict=True):
            value, narrative = values.get((agency.pk, q), (None, ""))
            points.append(Point(value=value, rag=rate(indicator, value, target), narrative=narrative))
        series.append((agency, points))
    years = {p.year.start_year for p in periods}
    comp = _comparator_rows(indicator, years)
    comparators: dict[str, list[Decimal | None]] = {}
    comparator_years: list[str | None] = []
    for p in periods:
        # Comparators are published a year behind: show the year's own if it exists, else last year's.
        year = p.year.start_year if comp.get(p.year.start_year) else p.year.start_year - 1
        comparator_years.append(FinancialYear(year).label if comp.get(year) else None)
    for kind, label in ComparatorKind.choices:
        row = []
        for p in periods:
            year = p.year.start_year if comp.get(p.year.start_year) else p.year.start_year - 1
            row.append(comp.get(year, {}).get(kind))
        if any(v is not None for v in row):
            comparators[label] = row
    narratives = []
    for q in reversed(quarters):
        notes = [(a, values[(a.pk, q.pk)][0], values[(a.pk, q.pk)][1]) for a in series_agencies
                 if values.get((a.pk, q.pk), (None, ""))[1]]
        if notes:
            narratives.append((q, notes))
    return Trend(indicator=indicator, quarters=quarters, series=series,
                 partnership=[aggs.get((q, indicator.pk)) for q in qids], targets=targets,
                 comparators=comparators, comparator_years=comparator_years, narratives=narratives)


# ---------------------------------------------------------------- one agency


@dataclass
class AgencyLine:
    indicator: Indicator
    latest: Decimal | None
    previous: Decimal | None
    target: Target | None
    rag: str | None
    partnership: PartnershipFigure | None
    narrative: str
    moved: Decimal | None


@dataclass
class AgencyView:
    agency: Agency
    quarter: Quarter
    previous: Quarter | None
    lines: list[AgencyLine]
    returns: list[Return]
    events: dict[int, list[ReturnEvent]]


def agency_view(*, agency: Agency, quarter: Quarter, previous: Quarter | None, indicators: list[Indicator],
                history: list[Quarter]) -> AgencyView:
    """Every indicator the agency reports: this quarter against the previous one and the target,
    beside the partnership median; its returns over ``history`` with their events (5 queries)."""
    period = quarter.period
    qids = [quarter.pk] + ([previous.pk] if previous else [])
    mine = {i.pk: i for i in indicators if reports(agency, i, period)
            or (previous is not None and reports(agency, i, previous.period))}
    found: dict[tuple[int, int], tuple] = {}
    for quarter_id, indicator_id, value, num, den, narrative in ReturnValue.objects.filter(
            ret__agency_id=agency.pk, ret__quarter_id__in=qids, ret__status=ACCEPTED,
            part__isnull=True).order_by().values_list(
            "ret__quarter_id", "indicator_id", "value", "numerator", "denominator", "narrative"):
        indicator = mine.get(indicator_id)
        if indicator is not None:
            found[(quarter_id, indicator_id)] = (figure(indicator, value, num, den), narrative)
    targets = targets_at(indicator_ids=mine, period=period)
    aggs = aggregates(quarter_ids=[quarter.pk], indicators=mine)
    lines = []
    for indicator in mine.values():
        latest, narrative = found.get((quarter.pk, indicator.pk), (None, ""))
        prev = found.get((previous.pk, indicator.pk), (None, ""))[0] if previous else None
        target = targets.get(indicator.pk)
        lines.append(AgencyLine(indicator=indicator, latest=latest, previous=prev, target=target,
                                rag=rate(indicator, latest, target), partnership=aggs.get((quarter.pk, indicator.pk)),
                                narrative=narrative, moved=moved_share(latest, prev)))
    returns = list(Return.objects.filter(agency=agency, quarter_id__in=[q.pk for q in history])
                   .select_related("quarter").order_by("-quarter__year_start", "-quarter__number"))
    events: dict[int, list[ReturnEvent]] = defaultdict(list)
    for event in ReturnEvent.objects.filter(ret__in=returns).select_related("actor").order_by("occurred_at", "id"):
        events[event.ret_id].append(event)
    for ret in returns:
        ret.history = events.get(ret.pk, [])
    return AgencyView(agency=agency, quarter=quarter, previous=previous, lines=lines, returns=returns,
                      events=dict(events))


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


def indicator_by_code(*, partnership_id: int | None, code: str) -> Indicator | None:
    return Indicator.objects.filter(partnership_id=partnership_id, code=code).first()
