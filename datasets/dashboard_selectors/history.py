"""Over time: one indicator's trend, and one agency's figures against the previous quarter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Value, When

from partners.models import Agency
from safeguarding.formatting import Movement, movement, reason_label
from safeguarding.periods import FinancialYear

from ..models import Comparator, ComparatorKind, Indicator, Quarter, Return, ReturnEvent, ReturnValue, Target
from ..selectors import target_in_force
from ..validation import moved_share
from .base import ACCEPTED, PartnershipFigure, aggregates, figure, rate, reports, targets_at, type_matches
from .spc import judge, partnership_value

# ---------------------------------------------------------------- one indicator's trend


@dataclass(frozen=True)
class Point:
    value: Decimal | None
    rag: str | None
    narrative: str = ""
    na: str = ""  # why the figure is not available (issue 13.1); the row and other quarters stay


@dataclass(frozen=True)
class LatestComparator:
    """The latest published comparator of one kind up to the trend's last quarter (issue 13.3):
    ``label`` carries its year ("England 2023/24"), ``value`` or ``na`` (why not available)."""

    kind: str
    year: str
    value: Decimal | None
    na: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind} {self.year}"


@dataclass
class Trend:
    indicator: Indicator
    quarters: list[Quarter]
    series: list[tuple[Agency, list[Point]]]
    partnership: list[PartnershipFigure | None]
    targets: list[Target | None]
    # One series per comparator kind *and year*, keyed "England 2023/24", so that a comparator a
    # year behind is never drawn in a later year's row without its year (issue 13.3).
    comparators: dict[str, list[Decimal | None]]
    comparator_years: list[str | None]
    narratives: list[tuple[Quarter, list[tuple[Agency, Decimal | None, str]]]]
    latest_comparators: dict[str, LatestComparator] = field(default_factory=dict)
    comparator_na: dict[str, str] = field(default_factory=dict)
    # With ``spc_history``: its quarters, each candidate agency's figures over them
    # (``{agency_id: [Decimal | None]}``, agencies with no figure left out) and the partnership's
    # (``partnership_value``: pooled or median, ``None`` when withheld).
    spc_quarters: list[Quarter] = field(default_factory=list)
    spc_series: dict[int, list[Decimal | None]] = field(default_factory=dict)
    spc_partnership: list[Decimal | None] = field(default_factory=list)


def _comparator_rows(indicator: Indicator, years: set[int]) -> dict[int, dict[str, Comparator]]:
    """``{year_start: {kind: Comparator}}`` of the indicator's own comparators (not its parts')
    for ``years`` and the year before each (they are published a year behind)."""
    out: dict[int, dict[str, Comparator]] = defaultdict(dict)
    for row in Comparator.objects.filter(indicator=indicator, part__isnull=True,
                                         year_start__in=years | {y - 1 for y in years}):
        out[row.year_start][row.kind] = row
    return out


def indicator_trend(*, indicator: Indicator, quarters: list[Quarter], agencies: list[Agency], visible: set[int],
                    agency_type: str = "", spc_history: list[Quarter] | None = None) -> Trend:
    """The indicator over ``quarters`` for each visible agency, the partnership, the target in
    force each quarter and the comparators of each year (4 queries: values, aggregates, targets,
    comparators). With ``spc_history`` (the SPC window, ``spc_window``) the same two reads also
    cover its quarters and fill ``spc_series`` and ``spc_partnership`` (still 4 queries)."""
    qids = [q.pk for q in quarters]
    periods = [q.period for q in quarters]
    spc_quarters = list(spc_history or [])
    spc_position = {q.pk: k for k, q in enumerate(spc_quarters)}
    read = list(dict.fromkeys([*qids, *spc_position]))
    candidates = [a for a in agencies if a.pk in visible and type_matches(a.agency_type, agency_type)]
    values: dict[tuple[int, int], tuple[Decimal | None, str]] = {}
    na: dict[tuple[int, int], str] = {}
    spc_series: dict[int, list[Decimal | None]] = {}
    shown = set(qids)
    for agency_id, quarter_id, value, num, den, narrative, reason, note in ReturnValue.objects.filter(
            ret__quarter_id__in=read, ret__status=ACCEPTED, ret__agency_id__in=[a.pk for a in candidates],
            indicator_id=indicator.pk, part__isnull=True).order_by().values_list(
            "ret__agency_id", "ret__quarter_id", "value", "numerator", "denominator",
            # Only the trend's own quarters show their narratives.
            Case(When(ret__quarter_id__in=qids, then="narrative"), default=Value(""), output_field=CharField()),
            "na_reason", "na_note"):
        given = figure(indicator, value, num, den)
        if quarter_id in spc_position:
            spc_series.setdefault(agency_id, [None] * len(spc_quarters))[spc_position[quarter_id]] = given
        if quarter_id not in shown:
            continue
        values[(agency_id, quarter_id)] = (given, narrative)
        if reason:
            na[(agency_id, quarter_id)] = reason_label(reason, note)
    with_values = {agency_id for agency_id, _ in values}
    series_agencies = [a for a in candidates if a.pk in with_values
                       or any(reports(a, indicator, p) for p in periods)]
    aggs = aggregates(quarter_ids=read, indicators={indicator.pk: indicator})
    target_rows = list(Target.objects.filter(indicator=indicator, year_start__lte=max(
        (p.year.start_year for p in periods), default=0)).order_by("year_start", "effective_from"))
    targets = [target_in_force(target_rows, p) for p in periods]
    series = []
    for agency in series_agencies:
        points = []
        for q, target in zip(qids, targets, strict=True):
            value, narrative = values.get((agency.pk, q), (None, ""))
            points.append(Point(value=value, rag=rate(indicator, value, target), narrative=narrative,
                                na=na.get((agency.pk, q), "")))
        series.append((agency, points))
    years = {p.year.start_year for p in periods}
    comp = _comparator_rows(indicator, years)
    comparators: dict[str, list[Decimal | None]] = {}
    comparator_na: dict[str, str] = {}
    comparator_years: list[str | None] = []
    for p in periods:
        # Comparators are published a year behind: the year's own if it exists, else last year's.
        year = p.year.start_year if comp.get(p.year.start_year) else p.year.start_year - 1
        comparator_years.append(FinancialYear(year).label if comp.get(year) else None)
    latest: dict[str, LatestComparator] = {}
    for kind, label in ComparatorKind.choices:
        for n, p in enumerate(periods):
            year = p.year.start_year if kind in comp.get(p.year.start_year, {}) else p.year.start_year - 1
            row = comp.get(year, {}).get(kind)
            if row is None:
                continue
            name = f"{label} {FinancialYear(year).label}"
            comparators.setdefault(name, [None] * len(periods))[n] = row.value
            if row.na_reason:
                comparator_na[name] = reason_label(row.na_reason, row.na_note)
            latest[label] = LatestComparator(kind=label, year=FinancialYear(year).label, value=row.value,
                                             na=reason_label(row.na_reason, row.na_note) if row.na_reason else "")
    narratives = []
    for q in reversed(quarters):
        notes = [(a, values[(a.pk, q.pk)][0], values[(a.pk, q.pk)][1]) for a in series_agencies
                 if values.get((a.pk, q.pk), (None, ""))[1]]
        if notes:
            narratives.append((q, notes))
    return Trend(indicator=indicator, quarters=quarters, series=series,
                 partnership=[aggs.get((q, indicator.pk)) for q in qids], targets=targets,
                 comparators=comparators, comparator_years=comparator_years, narratives=narratives,
                 latest_comparators=latest, comparator_na=comparator_na, spc_quarters=spc_quarters,
                 spc_series=spc_series,
                 spc_partnership=[partnership_value(indicator, aggs.get((q.pk, indicator.pk))) for q in spc_quarters])


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
    na: str = ""  # why this quarter's figure is not available (issue 13.1)

    @property
    def movement(self) -> Movement | None:
        """The change from the previous quarter in the indicator's unit, with direction (13.7)."""
        return movement(self.previous, self.latest, self.indicator)
    series: list[Decimal | None] | None = None
    spc: object | None = None


@dataclass
class AgencyView:
    agency: Agency
    quarter: Quarter
    previous: Quarter | None
    lines: list[AgencyLine]
    returns: list[Return]
    events: dict[int, list[ReturnEvent]]


def agency_view(*, agency: Agency, quarter: Quarter, previous: Quarter | None, indicators: list[Indicator],
                history: list[Quarter], spc_history: list[Quarter] | None = None) -> AgencyView:
    """Every indicator the agency reports: this quarter against the previous one and the target,
    beside the partnership median; its returns over ``history`` with their events (5 queries).
    With ``spc_history`` (the quarters up to ``quarter``, oldest first) the same read covers them
    and each line gets its ``series`` and SPC judgement (``spc``, a ``datasets.spc.SpcResult``)."""
    period = quarter.period
    qids = [quarter.pk] + ([previous.pk] if previous else [])
    window = list(spc_history or [])
    position = {q.pk: k for k, q in enumerate(window)}
    mine = {i.pk: i for i in indicators if reports(agency, i, period)
            or (previous is not None and reports(agency, i, previous.period))}
    found: dict[tuple[int, int], tuple] = {}
    series: dict[int, list] = {}
    na: dict[int, str] = {}
    for quarter_id, indicator_id, value, num, den, narrative, reason, note in ReturnValue.objects.filter(
            ret__agency_id=agency.pk, ret__quarter_id__in=list({*qids, *position}), ret__status=ACCEPTED,
            part__isnull=True).order_by().values_list(
            "ret__quarter_id", "indicator_id", "value", "numerator", "denominator",
            Case(When(ret__quarter_id=quarter.pk, then="narrative"), default=Value(""), output_field=CharField()),
            "na_reason", "na_note"):
        indicator = mine.get(indicator_id)
        if indicator is not None:
            shown = figure(indicator, value, num, den)
            found[(quarter_id, indicator_id)] = (shown, narrative)
            if reason and quarter_id == quarter.pk:
                na[indicator_id] = reason_label(reason, note)
            if quarter_id in position:
                series.setdefault(indicator_id, [None] * len(window))[position[quarter_id]] = shown
    targets = targets_at(indicator_ids=mine, period=period)
    aggs = aggregates(quarter_ids=[quarter.pk], indicators=mine)
    lines = []
    for indicator in mine.values():
        latest, narrative = found.get((quarter.pk, indicator.pk), (None, ""))
        prev = found.get((previous.pk, indicator.pk), (None, ""))[0] if previous else None
        target = targets.get(indicator.pk)
        line = AgencyLine(indicator=indicator, latest=latest, previous=prev, target=target,
                          rag=rate(indicator, latest, target), partnership=aggs.get((quarter.pk, indicator.pk)),
                          narrative=narrative, moved=moved_share(latest, prev), na=na.get(indicator.pk, ""))
        if window:
            line.series = series.get(indicator.pk, [None] * len(window))
            line.spc = judge(indicator, line.series, target)
        lines.append(line)
    returns = list(Return.objects.filter(agency=agency, quarter_id__in=[q.pk for q in history])
                   .select_related("quarter").order_by("-quarter__year_start", "-quarter__number"))
    events: dict[int, list[ReturnEvent]] = defaultdict(list)
    for event in ReturnEvent.objects.filter(ret__in=returns).select_related("actor").order_by("occurred_at", "id"):
        events[event.ret_id].append(event)
    for ret in returns:
        ret.history = events.get(ret.pk, [])
    return AgencyView(agency=agency, quarter=quarter, previous=previous, lines=lines, returns=returns,
                      events=dict(events))
