"""Reading returns: who may see which, one return's form data, its history.

Every function here runs a fixed number of queries whatever the number of indicators, parts,
agencies or changes (the tests pin the counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from partners.access import agencies_for
from safeguarding import formatting
from safeguarding.periods import FinancialQuarter
from safeguarding.workflow import ReturnStatus

from .. import conf
from ..models import Domain, Indicator, Return, ReturnEvent, ReturnValue, Target
from ..rag import rag
from ..validation import Figures, IndicatorFigures, effective_value, narrative_reasons
from .catalogue import Catalogue, catalogue_load


def returns_for(user) -> QuerySet[Return]:
    """The returns ``user`` may open: every status for the agencies they act for (drafts
    included); every submitted, queried, resubmitted or accepted return of their partnership for
    PCI members and business managers. Anything else answers 404."""
    if not user.is_authenticated or user.partnership_id is None:
        return Return.objects.none()
    scope = Q(agency__in=agencies_for(user))
    if user.reads_everything:
        scope |= Q(agency__partnership_id=user.partnership_id) & ~Q(status=ReturnStatus.DRAFT)
    return Return.objects.filter(scope).select_related("agency", "quarter")


def return_for(user, pk: int) -> Return:
    """One return in ``user``'s scope, or 404."""
    return get_object_or_404(returns_for(user), pk=pk)


def figures_by_return(ret_ids: Iterable[int]) -> dict[int, dict[int, IndicatorFigures]]:
    """``{ret_id: {indicator_id: IndicatorFigures}}`` from the stored values (1 query)."""
    out: dict[int, dict[int, IndicatorFigures]] = defaultdict(lambda: defaultdict(IndicatorFigures))
    for v in ReturnValue.objects.filter(ret_id__in=list(ret_ids)).values_list(
            "ret_id", "indicator_id", "part_id", "value", "numerator", "denominator", "narrative", "value_computed",
            "na_reason", "na_note", "source", "source_date"):
        ret_id, indicator_id, part_id, value, num, den, narrative, computed, reason, note, source, source_date = v
        figures = Figures(value=value, numerator=num, denominator=den, narrative=narrative, computed=computed,
                          na_reason=reason, na_note=note, source=source, source_date=source_date)
        bucket = out[ret_id][indicator_id]
        if part_id is None:
            bucket.total = figures
        else:
            bucket.parts[part_id] = figures
    return out


def previous_accepted_values(*, agency_ids: Iterable[int], period: FinancialQuarter,
                             catalogue: Catalogue) -> dict[int, dict[int, Decimal]]:
    """``{agency_id: {indicator_id: value}}`` from each agency's latest accepted return of a
    quarter before ``period`` (2 queries). The movement check compares against these."""
    before = Q(quarter__year_start__lt=period.year.start_year) | Q(
        quarter__year_start=period.year.start_year, quarter__number__lt=period.number)
    agency_of: dict[int, int] = {}
    seen: set[int] = set()
    # Newest first, so the first return met for an agency is its latest accepted one. (Picked here
    # rather than with DISTINCT ON so the SQLite first-look mode works too.)
    for pk, agency_id in (Return.objects.filter(before, agency_id__in=list(agency_ids), status=ReturnStatus.ACCEPTED)
                          .order_by("-quarter__year_start", "-quarter__number").values_list("pk", "agency_id")):
        if agency_id not in seen:
            seen.add(agency_id)
            agency_of[pk] = agency_id
    figures = figures_by_return(agency_of.keys())
    out: dict[int, dict[int, Decimal]] = {}
    for ret_id, by_indicator in figures.items():
        values = {}
        for indicator_id, ind_figures in by_indicator.items():
            indicator = catalogue.indicators.get(indicator_id)
            if indicator is None:
                continue
            value = effective_value(indicator, catalogue.parts.get(indicator_id, []), ind_figures)
            if value is not None:
                values[indicator_id] = value
        out[agency_of[ret_id]] = values
    return out


@dataclass
class Line:
    """One indicator in one return, with everything the form, the checks and exports need."""

    indicator: Indicator
    parts: list
    figures: IndicatorFigures
    target: Target | None
    previous: Decimal | None
    value: Decimal | None = None
    rag: str | None = None
    narrative_reasons: list[str] = field(default_factory=list)

    @property
    def needs_narrative(self) -> bool:
        return bool(self.narrative_reasons)


@dataclass
class ReturnSheet:
    """A return laid out for the form: its lines in catalogue order and grouped by domain."""

    ret: Return
    lines: list[Line]
    catalogue: Catalogue

    @property
    def domains(self) -> list[tuple[str, list[Line]]]:
        grouped: dict[str, list[Line]] = defaultdict(list)
        for line in self.lines:
            grouped[line.indicator.domain].append(line)
        labels = dict(Domain.choices)
        return [(labels.get(key, key), lines) for key, lines in grouped.items()]

    def line(self, indicator_id: int) -> Line | None:
        return next((li for li in self.lines if li.indicator.pk == indicator_id), None)


def build_lines(*, agency_type: str, period: FinancialQuarter, catalogue: Catalogue,
                figures: dict[int, IndicatorFigures], previous: dict[int, Decimal],
                share: Decimal | None = None) -> list[Line]:
    """The lines of one return from already-loaded data (no queries)."""
    share = conf.movement_share() if share is None else share
    lines = []
    for indicator in catalogue.indicators_for_agency(agency_type, period):
        parts = catalogue.parts.get(indicator.pk, [])
        ind_figures = figures.get(indicator.pk) or IndicatorFigures()
        target = catalogue.target_for(indicator.pk, period)
        value = effective_value(indicator, parts, ind_figures)
        line = Line(indicator=indicator, parts=parts, figures=ind_figures, target=target,
                    previous=previous.get(indicator.pk), value=value)
        if target is not None:
            line.rag = rag(value, indicator.polarity, target.target, target.amber_threshold)
        line.narrative_reasons = narrative_reasons(indicator, value, target=target, previous=line.previous,
                                                   share=share)
        lines.append(line)
    return lines


def return_sheet(ret: Return, *, catalogue: Catalogue | None = None) -> ReturnSheet:
    """The return form's data: every indicator the agency reports that quarter, its stored
    figures, target in force, RAG, last accepted value and whether it needs a narrative.
    ``ret`` should come with ``agency`` and ``quarter`` (``returns_for`` selects them).
    6 queries (3 for the catalogue when not given, 1 values, 2 previous values)."""
    catalogue = catalogue or catalogue_load(ret.quarter.partnership_id)
    period = ret.quarter.period
    figures = figures_by_return([ret.pk]).get(ret.pk, {})
    previous = previous_accepted_values(agency_ids=[ret.agency_id], period=period,
                                        catalogue=catalogue).get(ret.agency_id, {})
    lines = build_lines(agency_type=ret.agency.agency_type, period=period, catalogue=catalogue,
                        figures=figures, previous=previous)
    return ReturnSheet(ret=ret, lines=lines, catalogue=catalogue)


@dataclass
class ValueChange:
    """One change of one figure: what it was, what it became, who changed it and when."""

    when: object
    who: object
    indicator: Indicator
    part: object
    column: str
    old: object
    new: object
    reason: str = ""  # the history's change reason, e.g. the source of historical figures (issue 12.8)

    def _text(self, value) -> str:
        if value in (None, ""):
            return "–"
        if self.column == "value":
            return formatting.format_figure(value, self.indicator)
        if self.column in ("numerator", "denominator"):
            return formatting.format_figure(value, formatting.COUNT)
        if self.column == "na_reason":
            return formatting.reason_label(value)
        return str(value)

    @property
    def old_text(self) -> str:
        """The old figure through the one formatter ("78.4%", not "78.3871")."""
        return self._text(self.old)

    @property
    def new_text(self) -> str:
        return self._text(self.new)

    @property
    def column_label(self) -> str:
        return COLUMN_LABELS.get(self.column, self.column)


TRACKED = ("value", "numerator", "denominator", "narrative", "na_reason", "na_note", "source")
COLUMN_LABELS = {"value": "figure", "na_reason": "not available because", "na_note": "note on why",
                 "source": "source of the published figure"}


def return_history(ret: Return) -> dict:
    """The return's life: ``events`` (each transition: who, when, from, to, comment) and
    ``changes`` (each figure's old and new value, who, when), oldest first (2 queries)."""
    events = list(ReturnEvent.objects.filter(ret=ret).select_related("actor").order_by("occurred_at", "id"))
    rows = (ReturnValue.history.filter(ret_id=ret.pk)
            .select_related("history_user", "indicator", "part")
            .order_by("history_date", "history_id"))
    last: dict[tuple[int, int | None], dict] = {}
    changes: list[ValueChange] = []
    for row in rows:
        key = (row.indicator_id, row.part_id)
        before = last.get(key, dict.fromkeys(TRACKED))
        now = {name: getattr(row, name) for name in TRACKED}
        if row.history_type == "-":
            now = dict.fromkeys(TRACKED)
        for name in TRACKED:
            old, new = before[name], now[name]
            if name in ("narrative", "na_reason", "na_note", "source"):
                old, new = old or "", new or ""
            if old != new:
                changes.append(ValueChange(when=row.history_date, who=row.history_user, indicator=row.indicator,
                                           part=row.part, column=name, old=old, new=new,
                                           reason=row.history_change_reason or ""))
        last[key] = now
    return {"events": events, "changes": changes}
