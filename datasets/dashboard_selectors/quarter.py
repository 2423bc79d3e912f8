"""One quarter across the partnership: the overview matrix and the exceptions for the meeting."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Value, When

from partners.models import Agency
from safeguarding.formatting import Movement, format_figure, reason_label

from .. import conf
from ..models import Indicator, Quarter, ReturnValue, Target
from ..selectors import Completeness, quarter_completeness
from ..spc import latest_variation
from ..validation import moved_share, sharp_movement
from .base import ACCEPTED, PartnershipFigure, aggregates, figure, rate, targets_at, type_matches
from .spc import agency_series, direction, partnership_value

# ---------------------------------------------------------------- the overview matrix


@dataclass
class Cell:
    """One agency's figure for one indicator in the quarter. With a history: ``previous`` (the
    quarter before), ``direction`` (``"up"``, ``"down"``, ``"same"`` or ``None``) and the SPC
    ``variation`` key (``datasets.spc.VARIATION_LABELS``; ``None`` with fewer than 12 quarters)."""

    indicator: Indicator
    reported: bool
    value: Decimal | None = None
    rag: str | None = None
    narrative: str = ""
    previous: Decimal | None = None
    direction: str | None = None
    variation: str | None = None
    na: str = ""  # why the figure is not available ("Suppressed at source: …"), issue 13.1


@dataclass
class WholeCell:
    """The partnership's figure for one indicator: ``figure`` (median and pooled, or ``None``),
    and with a history its direction and SPC variation over the shown figures."""

    indicator: Indicator
    figure: PartnershipFigure | None
    direction: str | None = None
    variation: str | None = None


@dataclass
class MatrixGroup:
    """Indicators of one domain reported by the same agency types, with only the agencies of
    those types as rows: a matrix with no cells for indicators an agency does not report."""

    domain: str
    domain_label: str
    agency_types: list[str]
    indicators: list[Indicator]
    rows: list[tuple[Agency, list[Cell]]]
    partnership: list[WholeCell]


@dataclass
class Overview:
    """The matrix of one quarter. ``rows`` are the agencies of ``page`` when the matrix is paged
    (``page`` is then the ``django.core.paginator.Page`` of every agency in the view), all of them
    otherwise; ``rag_counts`` and ``completeness`` always cover every agency in the view."""

    quarter: Quarter
    indicators: list[Indicator]
    targets: dict[int, Target]
    rows: list[tuple[Agency, list[Cell]]]
    partnership: list[tuple[Indicator, PartnershipFigure | None]]
    completeness: Completeness
    rag_counts: dict[str, int] = field(default_factory=dict)
    groups: list[MatrixGroup] = field(default_factory=list)
    page: Page | None = None


def _groups(shown: list[Indicator], rows: list[tuple[Agency, list[Cell]]],
            whole: dict[int, WholeCell]) -> list[MatrixGroup]:
    """Split the matrix by domain, then by the set of (present) agency types reporting each
    indicator, keeping catalogue order; each group's rows are the agencies with a reported cell."""
    from ..models import Domain

    labels = dict(Domain.choices)
    present = {a.agency_type for a, _ in rows}
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for k, indicator in enumerate(shown):
        types = tuple(sorted(t for t in (indicator.agency_types or []) if t in present))
        groups.setdefault((indicator.domain, types), []).append(k)
    out = []
    for (domain, types), columns in groups.items():
        group_rows = [(agency, [cells[k] for k in columns]) for agency, cells in rows
                      if any(cells[k].reported for k in columns)]
        if not group_rows:
            continue
        out.append(MatrixGroup(domain=domain, domain_label=labels.get(domain, domain), agency_types=list(types),
                               indicators=[shown[k] for k in columns], rows=group_rows,
                               partnership=[whole[shown[k].pk] for k in columns]))
    return out


def overview(*, quarter: Quarter, indicators: list[Indicator], agencies: list[Agency], visible: set[int],
             domain: str = "", agency_type: str = "", history: list[Quarter] | None = None,
             partnership_variation: bool = False, per_page: int | None = None,
             page: int | str | None = None) -> Overview:
    """The matrix for one quarter: rows are the visible agencies (of ``agency_type``) that report
    at least one of the domain's indicators, columns the domain's indicators, also split into
    ``groups`` (by domain and reporting agency types). With ``history`` (the quarters up to and
    including ``quarter``, oldest first, e.g. ``spc_window``) each cell and the partnership row
    get a direction against the quarter before and an SPC variation key; the partnership row gets
    its variation too only with ``partnership_variation`` (its medians over the whole history).

    ``per_page``: the rows in pages of that many agencies (in ``agencies``' order), ``page`` the
    one wanted (a bad number gives the nearest page): the cells, their SPC series and the tables
    are worked out for that page only, so the page costs the same however many agencies the
    partnership has (issue 16.6, lists that scale); the RAG counts still cover every agency.
    6 queries (values, targets, partnership aggregates and the 3 of ``quarter_completeness``),
    with or without a history."""
    period = quarter.period
    shown = [i for i in indicators if (not domain or i.domain == domain) and i.is_active_in(period)]
    by_id = {i.pk: i for i in shown}
    # ``reports`` per (agency, indicator), worked out once per agency type and agency: the matrix
    # asks it for every cell.
    reporting = {t: [i.reported_by(t) for i in shown] for t in {a.agency_type for a in agencies}}
    active = {a.pk: a.is_active_on(period.end) or a.is_active_on(period.start) for a in agencies}
    rows_agencies = [a for a in agencies if a.pk in visible and type_matches(a.agency_type, agency_type)
                     and active[a.pk] and any(reporting[a.agency_type])]
    targets = targets_at(indicator_ids=by_id, period=period)
    # The quarter and the one before (value, previous, arrow) with the quarter's narratives; with
    # a history, every cell's series over it for the variation icon, as floats (``agency_series``).
    history = list(history) if history else [quarter]
    judged = len(history) > 1
    before = history[-2].pk if judged else None
    agency_ids = [a.pk for a in rows_agencies]
    found: dict[tuple[int, int], tuple] = {}
    previous: dict[tuple[int, int], Decimal | None] = {}
    for agency_id, quarter_id, indicator_id, value, num, den, narrative, reason, note in ReturnValue.objects.filter(
            ret__quarter_id__in=[quarter.pk] + ([before] if judged else []), ret__status=ACCEPTED,
            ret__agency_id__in=agency_ids, part__isnull=True, indicator_id__in=list(by_id)).order_by().values_list(
            "ret__agency_id", "ret__quarter_id", "indicator_id", "value", "numerator", "denominator",
            Case(When(ret__quarter_id=quarter.pk, then="narrative"), default=Value(""), output_field=CharField()),
            "na_reason", "na_note"):
        given = figure(by_id[indicator_id], value, num, den)
        if quarter_id == quarter.pk:
            found[(agency_id, indicator_id)] = (given, narrative, reason_label(reason, note) if reason else "")
        else:
            previous[(agency_id, indicator_id)] = given
    counts: dict[str, int] = defaultdict(int)
    rags: dict[tuple[int, int], str | None] = {}
    for key, (given, _, _) in found.items():
        status = rags[key] = rate(by_id[key[1]], given, targets.get(key[1]))
        if status:
            counts[status] += 1
    paged = Paginator(rows_agencies, per_page).get_page(page) if per_page else None
    row_agencies = list(paged.object_list) if paged is not None else rows_agencies
    series = agency_series(agency_ids=[a.pk for a in row_agencies], indicators=by_id, quarters=history,
                           exact=False) if judged and row_agencies else {}
    rows = []
    columns = [(indicator, indicator.pk) for indicator in shown]
    for agency in row_agencies:
        flags = reporting[agency.agency_type]
        agency_id = agency.pk
        cells = []
        for k, (indicator, indicator_id) in enumerate(columns):
            cell = Cell(indicator=indicator, reported=flags[k])
            key = (agency_id, indicator_id)
            if key in found:
                cell.value, cell.narrative, cell.na = found[key]
                cell.reported = True
                cell.rag = rags[key]
                if judged:
                    cell.previous = previous.get(key)
                    cell.direction = direction((cell.previous, cell.value))
                    cell.variation = latest_variation(series[key], polarity=indicator.polarity)
            cells.append(cell)
        rows.append((agency, cells))
    # The partnership's medians over the whole history cost as much as the rest of the page: the
    # page asks only for the quarter before (the arrow); the PCI pack asks for the variation too.
    whole_span = history if partnership_variation else history[-2:]
    aggs = aggregates(quarter_ids=[q.pk for q in whole_span], indicators=by_id)
    whole = {}
    for i in shown:
        cell = WholeCell(indicator=i, figure=aggs.get((quarter.pk, i.pk)))
        if len(whole_span) > 1:
            past = [partnership_value(i, aggs.get((q.pk, i.pk))) for q in whole_span]
            cell.direction = direction(past)
            if partnership_variation:
                cell.variation = latest_variation(past, polarity=i.polarity)
        whole[i.pk] = cell
    return Overview(
        quarter=quarter, indicators=shown, targets=targets, rows=rows,
        partnership=[(i, whole[i.pk].figure) for i in shown],
        completeness=quarter_completeness(quarter),
        rag_counts=dict(counts), groups=_groups(shown, rows, whole), page=paged,
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
    movement: Movement | None = None  # the sharp movement, in the indicator's unit (issue 13.7)

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
    """The quarter's red figures and sharp movements (``validation.sharp_movement``: more than
    ``conf.movement_share()`` against the previous quarter and at least the indicator's minimum
    change), with their narratives (2 queries)."""
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
        sharp = sharp_movement(indicator, value, prev, share=share)
        reasons = []
        if status == "red":
            reasons.append("Red against its target")
        if sharp is not None:
            reasons.append(f"Moved {sharp.text} against {previous.label} "
                           f"({format_figure(prev, indicator)} to {format_figure(value, indicator)})")
        if reasons:
            rows.append(ExceptionRow(agency=by_agency[agency_id], indicator=indicator, value=value, previous=prev,
                                     target=target, rag=status, moved=moved, narrative=narrative, reasons=reasons,
                                     movement=sharp))
    rows.sort(key=SORTS.get(sort, SORTS["severity"]))
    return rows
