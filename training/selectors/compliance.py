"""Compliance against target, by agency and level, and its trend over quarters."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from partners.models import Agency
from safeguarding.periods import FinancialQuarter, FinancialYear
from safeguarding.workflow import ReturnStatus

from .. import rules
from ..models import Level, StaffGroup, TrainingFigure, TrainingTarget


def target_book(partnership_id: int) -> rules.TargetBook:
    """Every target of the partnership, in one query."""
    return rules.TargetBook(TrainingTarget.objects.filter(partnership_id=partnership_id))


@dataclass
class Cell:
    eligible: int
    trained: int
    target: Decimal | None
    compliance: Decimal | None = None
    rag: str | None = None

    def __post_init__(self):
        self.compliance = rules.compliance(self.trained, self.eligible)


@dataclass
class AgencyRow:
    agency_id: int
    agency: str
    quarter: str
    cells: dict[int, Cell] = field(default_factory=dict)  # level id -> cell
    total: Cell | None = None
    # (staff group, level name, cell) for each line of the return, e.g. ("GPs", "Level 3", 138/141).
    lines: list[tuple[str, str, Cell]] = field(default_factory=list)

    def cell_list(self, levels) -> list[Cell | None]:
        return [self.cells.get(level.pk) for level in levels]


@dataclass
class ComplianceTable:
    year: FinancialYear
    levels: list
    rows: list[AgencyRow]
    total: dict[int, Cell]


def _reported(partnership_id: int, agency_ids=None):
    qs = TrainingFigure.objects.filter(ret__agency__partnership_id=partnership_id,
                                       eligible__isnull=False, trained__isnull=False).exclude(
        ret__status=ReturnStatus.DRAFT)
    if agency_ids is not None:
        qs = qs.filter(ret__agency_id__in=list(agency_ids))
    return qs


def compliance_by_agency_and_level(*, partnership_id: int, year_start: int, agency_ids=None) -> ComplianceTable:
    """For the annual report and the compliance page: each agency's compliance by level for a
    financial year, against the target in force.

    Training compliance is a snapshot, so an agency's figure for the year is its latest submitted
    (not draft) return of the year: Q4 when it has one. Staff groups at the same level are added
    together (trained / eligible). ``agency_ids`` narrows to the agencies a person may read.
    Returns a ``ComplianceTable``: ``levels`` (columns), ``rows`` (one ``AgencyRow`` per agency
    that returned, with ``cells[level_id]`` = ``Cell(eligible, trained, target, compliance,
    rag)``, and ``lines``: each staff group at each level, e.g. GPs at Level 3, 97.9% (138/141))
    and ``total`` (the partnership's figure by level). Five queries.
    """
    year = FinancialYear(year_start)
    grouped = (_reported(partnership_id, agency_ids).filter(ret__quarter__year_start=year_start)
               .values("ret__agency_id", "ret__quarter__number", "level_id", "staff_group_id")
               .annotate(eligible=Sum("eligible"), trained=Sum("trained")))
    latest: dict[int, int] = {}
    data: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}
    by_group: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    for g in grouped:
        agency_id, number = g["ret__agency_id"], g["ret__quarter__number"]
        latest[agency_id] = max(latest.get(agency_id, 0), number)
        level_sums = data.setdefault((agency_id, number), {})
        e, t = level_sums.get(g["level_id"], (0, 0))
        level_sums[g["level_id"]] = (e + g["eligible"], t + g["trained"])
        by_group.setdefault((agency_id, number), []).append((g["staff_group_id"], g["level_id"], g["eligible"],
                                                              g["trained"]))
    levels = list(Level.objects.filter(partnership_id=partnership_id).order_by("order", "name"))
    level_by_id = {level.pk: level for level in levels}
    groups = {g.pk: g for g in StaffGroup.objects.filter(partnership_id=partnership_id)}
    names = dict(Agency.objects.filter(pk__in=list(latest)).values_list("pk", "name"))
    book = target_book(partnership_id)
    rows = []
    totals: dict[int, list[int]] = {}
    for agency_id, number in latest.items():
        quarter = FinancialQuarter(year, number)
        row = AgencyRow(agency_id=agency_id, agency=names.get(agency_id, "?"), quarter=quarter.label)
        all_e = all_t = 0
        for level_id, (eligible, trained) in data[(agency_id, number)].items():
            target = book.in_force(level_id=level_id, on=quarter.end)
            cell = Cell(eligible, trained, target.target if target else None)
            cell.rag = rules.rag(cell.compliance, target)
            row.cells[level_id] = cell
            all_e, all_t = all_e + eligible, all_t + trained
            acc = totals.setdefault(level_id, [0, 0])
            acc[0] += eligible
            acc[1] += trained
        for group_id, level_id, eligible, trained in sorted(
                by_group[(agency_id, number)],
                key=lambda x: (groups[x[0]].order, groups[x[0]].name, level_by_id[x[1]].order)):
            target = book.in_force(level_id=level_id, on=quarter.end)
            cell = Cell(eligible, trained, target.target if target else None)
            cell.rag = rules.rag(cell.compliance, target)
            row.lines.append((groups[group_id].name, level_by_id[level_id].name, cell))
        general = book.in_force(level_id=None, on=quarter.end)
        row.total = Cell(all_e, all_t, general.target if general else None)
        row.total.rag = rules.rag(row.total.compliance, general)
        rows.append(row)
    rows.sort(key=lambda r: r.agency)
    used = [level for level in levels if level.pk in totals]
    total = {}
    for level_id, (eligible, trained) in totals.items():
        target = book.in_force(level_id=level_id, on=year.end)
        cell = Cell(eligible, trained, target.target if target else None)
        cell.rag = rules.rag(cell.compliance, target)
        total[level_id] = cell
    return ComplianceTable(year=year, levels=used, rows=rows, total=total)


@dataclass
class TrendRow:
    agency: str
    points: list[Cell | None]


def compliance_trend(*, partnership_id: int, quarters: list[FinancialQuarter], agency_ids=None) -> list[TrendRow]:
    """Each agency's overall compliance (every staff group and level) in each of ``quarters``,
    rated against the general target in force then. Three queries."""
    years = sorted({q.year.start_year for q in quarters})
    grouped = (_reported(partnership_id, agency_ids).filter(ret__quarter__year_start__in=years)
               .values("ret__agency_id", "ret__quarter__year_start", "ret__quarter__number")
               .annotate(eligible=Sum("eligible"), trained=Sum("trained")))
    wanted = {(q.year.start_year, q.number): q for q in quarters}
    points: dict[int, dict[FinancialQuarter, Cell]] = {}
    book = target_book(partnership_id)
    for g in grouped:
        quarter = wanted.get((g["ret__quarter__year_start"], g["ret__quarter__number"]))
        if quarter is None:
            continue
        target = book.in_force(level_id=None, on=quarter.end)
        cell = Cell(g["eligible"], g["trained"], target.target if target else None)
        cell.rag = rules.rag(cell.compliance, target)
        points.setdefault(g["ret__agency_id"], {})[quarter] = cell
    names = dict(Agency.objects.filter(pk__in=list(points)).values_list("pk", "name"))
    rows = [TrendRow(agency=names.get(aid, "?"), points=[by_q.get(q) for q in quarters])
            for aid, by_q in points.items()]
    return sorted(rows, key=lambda r: r.agency)
