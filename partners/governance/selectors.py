"""Reads of governance data for the pages and the annual report: fixed query counts whatever the size."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from safeguarding.periods import FinancialYear

from ..models import Attendance, Budget, BudgetLine, Contribution, Meeting, Partnership, Priority, Seat, Subgroup

ZERO = Decimal("0")


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _year_filter(year_start: int) -> dict:
    year = FinancialYear(year_start)
    return {"held_on__gte": year.start, "held_on__lte": year.end}


def meeting_list(*, partnership_id: int, year_start: int):
    """The year's meetings, newest first, with attendance counts (1 query)."""
    represented = Q(attendance__status__in=Attendance.REPRESENTED)
    return (Meeting.objects.filter(partnership_id=partnership_id, **_year_filter(year_start))
            .select_related("subgroup")
            .annotate(recorded=Count("attendance"), represented=Count("attendance", filter=represented))
            .order_by("-held_on", "subgroup__name"))


def attendance_by_seat(*, partnership_id: int, year_start: int, board_only: bool = True) -> dict:
    """Attendance per seat for the financial year (issue 12.3): the board's seats by default, or
    every body's with ``board_only=False``. The report reads it (``reports.content``).

    Returns ``{"rows": [...], "overall_rate", "target"}``. Each row: ``seat``, ``name`` (the
    seat's label), ``kind`` ("agency" or "role"), ``agency`` (None for a role seat: a role is
    never an agency), ``body`` (the subgroup's name), counts per status (``present``, ``deputy``,
    ``apologies``, ``absent``), ``expected`` (meetings with a row for the seat) and ``rate``
    (present or deputy over expected, 0–100 to one decimal place, None with nothing expected,
    e.g. 1 of 4 = 25.0). ``overall_rate`` is the same over every seat; ``target`` the
    partnership's attendance target (0–100). Agency seats come first, by name, then role seats.
    3 queries.
    """
    filters = {"meeting__partnership_id": partnership_id,
               **{f"meeting__{k}": v for k, v in _year_filter(year_start).items()}}
    if board_only:
        filters["meeting__subgroup__is_board"] = True
    counts = Attendance.objects.filter(**filters).values("seat_id", "status").annotate(n=Count("id"))
    by_seat: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Attendance.Status.values, 0))
    for row in counts:
        by_seat[row["seat_id"]][row["status"]] = row["n"]
    seats = sorted(Seat.objects.filter(pk__in=by_seat).select_related("agency", "subgroup"),
                   key=lambda s: (not s.is_agency, s.label.lower()))
    rows = []
    for seat in seats:
        c = by_seat[seat.pk]
        expected = sum(c.values())
        rows.append({"seat": seat, "name": seat.label, "kind": "agency" if seat.is_agency else "role",
                     "agency": seat.agency, "body": seat.subgroup.name, **c, "expected": expected,
                     "rate": _pct(c["present"] + c["deputy"], expected)})
    total_expected = sum(r["expected"] for r in rows)
    total_repr = sum(r["present"] + r["deputy"] for r in rows)
    target = Partnership.objects.filter(pk=partnership_id).values_list("attendance_target", flat=True).first()
    return {"rows": rows, "overall_rate": _pct(total_repr, total_expected), "target": target}


def role_seats(*, partnership_id: int) -> list[Seat]:
    """The seats no agency holds (independent chair, scrutineer, lay members, school
    representatives…) on every body, board first, for the report's membership list (issue 12.3).
    Current seats only. 1 query."""
    return list(Seat.objects.filter(partnership_id=partnership_id, agency__isnull=True, is_active=True)
                .select_related("subgroup").order_by("-subgroup__is_board", "subgroup__name", "role", "holder"))


def seat_list(*, subgroup_id: int):
    """A body's seats, agencies first then roles, active before retired (1 query)."""
    return (Seat.objects.filter(subgroup_id=subgroup_id).select_related("agency")
            .order_by("-is_active", F("agency__name").asc(nulls_last=True), "role", "holder"))


def subgroup_activity(*, partnership_id: int, year_start: int) -> list[dict]:
    """Each subgroup with its meetings in the year and what they recorded (2 queries)."""
    meetings = defaultdict(list)
    for m in Meeting.objects.filter(partnership_id=partnership_id, **_year_filter(year_start)).order_by("held_on"):
        meetings[m.subgroup_id].append(m)
    out = []
    for sg in Subgroup.objects.filter(partnership_id=partnership_id).select_related("chair"):
        out.append({"subgroup": sg, "meetings": meetings.get(sg.pk, []), "count": len(meetings.get(sg.pk, []))})
    return out


def budget_summary(*, partnership_id: int, year_start: int) -> dict | None:
    """The year's budget with every total computed; None when no budget is recorded (3 queries)."""
    budget = Budget.objects.filter(partnership_id=partnership_id, year_start=year_start).first()
    if budget is None:
        return None
    contributions = list(Contribution.objects.filter(budget=budget).select_related("agency").order_by("agency__name"))
    lines = list(BudgetLine.objects.filter(budget=budget))
    labels = dict(BudgetLine.Category.choices)

    def by_category(kind: str, categories: tuple[str, ...]) -> list[dict]:
        totals = dict.fromkeys(categories, ZERO)
        for line in lines:
            if line.kind == kind:
                totals[line.category] += line.amount
        return [{"category": c, "label": labels[c], "amount": totals[c]} for c in categories]

    income = by_category("income", BudgetLine.INCOME_CATEGORIES)
    expenditure = by_category("expenditure", BudgetLine.EXPENDITURE_CATEGORIES)
    cash = sum((c.cash for c in contributions), ZERO)
    in_kind = sum((c.in_kind for c in contributions), ZERO)
    other_income = sum((r["amount"] for r in income), ZERO)
    spent = sum((r["amount"] for r in expenditure), ZERO)
    total_income = cash + other_income
    return {
        "budget": budget,
        "year": FinancialYear(year_start).label,
        "contributions": contributions,
        "lines": lines,
        "cash_total": cash,
        "in_kind_total": in_kind,
        "contributions_total": cash + in_kind,
        "income": income,
        "other_income_total": other_income,
        "income_total": total_income,
        "expenditure": expenditure,
        "expenditure_total": spent,
        "reserves_used": budget.reserves_used,
        # What is left after spending, counting the reserves drawn down as income for the year.
        "balance": total_income + budget.reserves_used - spent,
    }


def priority_list(*, partnership_id: int, year_start: int):
    return Priority.objects.filter(partnership_id=partnership_id, year_start=year_start).order_by("position", "id")


def governance_years(*, partnership_id: int) -> list[int]:
    """Years that have any governance record, newest first (3 queries)."""
    years = set(Budget.objects.filter(partnership_id=partnership_id).values_list("year_start", flat=True))
    years |= set(Priority.objects.filter(partnership_id=partnership_id).values_list("year_start", flat=True))
    for day in Meeting.objects.filter(partnership_id=partnership_id).values_list("held_on", flat=True).distinct():
        years.add(FinancialYear.containing(day).start_year)
    return sorted(years, reverse=True)


def contributions_total(*, partnership_id: int, year_start: int) -> Decimal:
    agg = Contribution.objects.filter(budget__partnership_id=partnership_id, budget__year_start=year_start).aggregate(
        cash=Sum("cash"), kind=Sum("in_kind"))
    return (agg["cash"] or ZERO) + (agg["kind"] or ZERO)
