"""Every change to meetings, attendance, budgets and priorities goes through these functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse
from safeguarding.periods import FinancialYear

from ..access import require_manager
from ..lifecycle import inactive_reason, is_active_during
from ..models import (
    Agency,
    Attendance,
    Budget,
    BudgetLine,
    Contribution,
    Meeting,
    Partnership,
    Priority,
    Seat,
    Subgroup,
    User,
    tidy_name,
)

PRIORITY_FIELDS = ("title", "outcome", "actions", "progress", "status", "position", "year_start")


def _require_manager(actor: User | None, partnership: Partnership) -> None:
    require_manager(actor, partnership.pk, "Only the partnership's business manager can change governance records.")


def _clean(obj) -> None:
    full_clean_or_refuse(obj)


# ---------------------------------------------------------------- settings


@transaction.atomic
def partnership_set_attendance_target(*, actor: User | None, partnership: Partnership,
                                      attendance_target: Decimal) -> Partnership:
    """The partnership's attendance target, 0–100 (%): a setting, not a constant (issue 12.3)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _require_manager(actor, partnership)
    before = {"attendance_target": str(partnership.attendance_target)}
    partnership.attendance_target = attendance_target
    _clean(partnership)
    partnership.save(update_fields=["attendance_target"])
    audit_record(actor=actor, action="partnership.attendance_target_set", obj=partnership, partnership=partnership,
                 before=before, after={"attendance_target": str(attendance_target)})
    return partnership


# ---------------------------------------------------------------- seats

SEAT_FIELDS = ("subgroup", "agency", "role", "holder", "is_active")


def _check_seat_free(seat: Seat) -> None:
    clash = Seat.objects.filter(subgroup_id=seat.subgroup_id).exclude(pk=seat.pk)
    if seat.agency_id:
        if clash.filter(agency_id=seat.agency_id).exists():
            raise DomainError(f"{seat.agency} already has a seat on {seat.subgroup}.", field="agency")
    else:
        same = clash.filter(agency__isnull=True, role__iexact=seat.role, holder__iexact=seat.holder).first()
        if same is not None:
            raise DomainError(f"{seat.subgroup} already has a seat for {same.label}: give the holder's name to "
                              "tell two seats of the same role apart.", field="holder")


@transaction.atomic
def seat_create(*, actor: User | None, subgroup: Subgroup, agency: Agency | None = None, role: str = "",
                holder: str = "") -> Seat:
    """A seat on ``subgroup``, held by ``agency`` or by the named ``role`` (exactly one of them;
    issue 12.3). ``holder`` optionally names the person. Raises ``DomainError`` naming the field
    for a seat held twice, an agency of another partnership, or neither/both of agency and role."""
    _require_manager(actor, subgroup.partnership)
    role, holder = tidy_name(role), tidy_name(holder)
    if (agency is None) == (not role):
        raise DomainError("Choose the agency that holds the seat, or the role of a member who represents no "
                          "agency, not both.", field="agency" if agency is None else "role")
    if agency is not None and agency.partnership_id != subgroup.partnership_id:
        raise DomainError("That agency belongs to another partnership.", field="agency")
    seat = Seat(partnership_id=subgroup.partnership_id, subgroup=subgroup, agency=agency, role=role, holder=holder)
    _check_seat_free(seat)
    _clean(seat)
    seat.save()
    audit_record(actor=actor, action="seat.created", obj=seat, partnership=subgroup.partnership,
                 after=snapshot(seat, SEAT_FIELDS))
    return seat


@transaction.atomic
def seat_update(*, actor: User | None, seat: Seat, version: str | None, holder: str, is_active: bool,
                role: str | None = None) -> Seat:
    """Change who holds a seat, its role (role seats only) or whether it is still on the body.
    A seat with attendance is never deleted: it is made inactive and keeps its history."""
    seat = (Seat.objects.select_for_update(of=("self",)).select_related("subgroup__partnership", "agency")
            .get(pk=seat.pk))
    _require_manager(actor, seat.partnership)
    ensure_current(current=seat.updated_at, token=version, what="seat")
    before = snapshot(seat, SEAT_FIELDS)
    seat.holder, seat.is_active = tidy_name(holder), is_active
    if role is not None and not seat.agency_id:
        seat.role = tidy_name(role)
        if not seat.role:
            raise DomainError("Give the seat's role.", field="role")
    _check_seat_free(seat)
    _clean(seat)
    seat.save()
    audit_record(actor=actor, action="seat.updated", obj=seat, partnership=seat.partnership, before=before,
                 after=snapshot(seat, SEAT_FIELDS))
    return seat


# ---------------------------------------------------------------- meetings


def _seats_of(partnership: Partnership, subgroup: Subgroup, attendance: dict) -> dict[Seat, str]:
    """``attendance`` keyed by seat, or by agency (kept for callers that think in agencies, such as
    the demo): an agency stands for its seat on the subgroup, made the first time it is needed."""
    out: dict[Seat, str] = {}
    for holder, status in attendance.items():
        if status and status not in Attendance.Status.values:
            raise DomainError(f"{status!r} is not an attendance status for {holder}.")
        if isinstance(holder, Agency):
            if holder.partnership_id != partnership.pk:
                raise DomainError(f"{holder} belongs to another partnership.")
            seat = Seat.objects.filter(subgroup=subgroup, agency=holder).first()
            if seat is None and status:
                seat = Seat(partnership=partnership, subgroup=subgroup, agency=holder)
                _clean(seat)
                seat.save()
            if seat is None:
                continue
            holder = seat
        if holder.subgroup_id != subgroup.pk:
            raise DomainError(f"{holder} is a seat on another body.")
        out[holder] = status
    return out


def _write_attendance(meeting: Meeting, attendance: dict[Seat, str]) -> None:
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, seat=seat, status=status)
        for seat, status in attendance.items() if status
    ])


def _attendance_record(attendance: dict[Seat, str]) -> dict[str, str]:
    return {seat.label: status for seat, status in attendance.items() if status}


@transaction.atomic
def meeting_create(*, actor: User | None, partnership: Partnership, subgroup: Subgroup, held_on: dt.date,
                   notes: str = "", attendance: dict[Seat | Agency, str] | None = None) -> Meeting:
    """A meeting of ``subgroup`` with who attended, per seat (``{seat: status}``; an agency key
    stands for its seat on the subgroup). Raises ``DomainError`` for a second meeting on the day,
    a seat of another body, or an unknown status."""
    _require_manager(actor, partnership)
    if subgroup.partnership_id != partnership.pk:
        raise DomainError("That subgroup belongs to another partnership.", field="subgroup")
    attendance = _seats_of(partnership, subgroup, attendance or {})
    if Meeting.objects.filter(subgroup=subgroup, held_on=held_on).exists():
        raise DomainError(f"{subgroup} already has a meeting on {held_on:%d %B %Y}.", field="held_on")
    meeting = Meeting(partnership=partnership, subgroup=subgroup, held_on=held_on, notes=notes)
    _clean(meeting)
    meeting.save()
    _write_attendance(meeting, attendance)
    audit_record(actor=actor, action="meeting.created", obj=meeting,
                 after={**snapshot(meeting, ("subgroup", "held_on")),
                        "attendance": _attendance_record(attendance)})
    return meeting


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, version: str | None, held_on: dt.date,
                   notes: str = "", attendance: dict[Seat | Agency, str] | None = None) -> Meeting:
    """Change a meeting's date, notes and attendance per seat (as ``meeting_create``)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting.partnership)
    ensure_current(current=meeting.updated_at, token=version, what="meeting")
    attendance = _seats_of(meeting.partnership, meeting.subgroup, attendance or {})
    if Meeting.objects.filter(subgroup_id=meeting.subgroup_id, held_on=held_on).exclude(pk=meeting.pk).exists():
        raise DomainError(f"{meeting.subgroup} already has a meeting on {held_on:%d %B %Y}.", field="held_on")
    before = {**snapshot(meeting, ("held_on", "notes")),
              "attendance": {a.seat.label: a.status for a in meeting.attendance.select_related("seat__agency")}}
    meeting.held_on, meeting.notes = held_on, notes
    _clean(meeting)
    meeting.save()
    _write_attendance(meeting, attendance)
    audit_record(actor=actor, action="meeting.updated", obj=meeting, before=before,
                 after={**snapshot(meeting, ("held_on", "notes")),
                        "attendance": _attendance_record(attendance)})
    return meeting


@transaction.atomic
def meeting_delete(*, actor: User | None, meeting: Meeting) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting.partnership)
    audit_record(actor=actor, action="meeting.deleted", obj=meeting, before=snapshot(meeting, ("subgroup", "held_on")))
    meeting.delete()


# ---------------------------------------------------------------- budget


@transaction.atomic
def budget_ensure(*, actor: User | None, partnership: Partnership, year_start: int) -> Budget:
    """The year's budget, created empty the first time it is asked for."""
    _require_manager(actor, partnership)
    budget, created = Budget.objects.get_or_create(partnership=partnership, year_start=year_start)
    if created:
        audit_record(actor=actor, action="budget.created", obj=budget, after={"year_start": year_start})
    return budget


@transaction.atomic
def budget_update(*, actor: User | None, budget: Budget, version: str | None, reserves_used: Decimal,
                  notes: str = "", contributions: dict[Agency, tuple[Decimal, Decimal]] | None = None) -> Budget:
    """Set the reserves used and each partner's contribution: (cash, in kind) or (cash, in kind,
    a note describing in-kind support). Rows with nothing are dropped; in-kind support described
    but not valued is kept, and the annual report prints it as "not valued" (issue 15.3)."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    _require_manager(actor, budget.partnership)
    ensure_current(current=budget.updated_at, token=version, what="budget")
    before = {**snapshot(budget, ("reserves_used", "notes")),
              "contributions": {slug: [str(c), str(k)] for slug, c, k in
                                budget.contributions.values_list("agency__slug", "cash", "in_kind")}}
    budget.reserves_used, budget.notes = reserves_used, notes
    _clean(budget)
    budget.save()
    if contributions is not None:
        year = FinancialYear(budget.year_start)
        rows = []
        for agency, (cash, in_kind, *rest) in contributions.items():
            # An optional third item describes in-kind support; with no value it is "not valued".
            note = (rest[0] if rest else "").strip()[:200]
            if agency.partnership_id != budget.partnership_id:
                raise DomainError(f"{agency} belongs to another partnership.")
            if (cash or 0) < 0 or (in_kind or 0) < 0:
                raise DomainError(f"{agency}'s contribution cannot be negative.")
            if (cash or in_kind or note) and not is_active_during(agency, year.start, year.end):
                # A closed agency, or one not yet active, contributes nothing that year (issue 12.6).
                raise DomainError(f"{inactive_reason(agency, year.start, year.end)}, so it cannot have a "
                                  f"contribution in {year.label}.")
            if cash or in_kind or note:
                rows.append(Contribution(budget=budget, agency=agency, cash=cash or 0, in_kind=in_kind or 0,
                                         in_kind_note=note))
        budget.contributions.all().delete()
        Contribution.objects.bulk_create(rows)
    audit_record(actor=actor, action="budget.updated", obj=budget, before=before,
                 after={**snapshot(budget, ("reserves_used", "notes")),
                        "contributions": {c.agency.slug: [str(c.cash), str(c.in_kind)]
                                          for c in budget.contributions.select_related("agency")}})
    return budget


@transaction.atomic
def budget_line_add(*, actor: User | None, budget: Budget, category: str, amount: Decimal,
                    description: str = "") -> BudgetLine:
    _require_manager(actor, budget.partnership)
    if category in BudgetLine.INCOME_CATEGORIES:
        kind = BudgetLine.Kind.INCOME
    elif category in BudgetLine.EXPENDITURE_CATEGORIES:
        kind = BudgetLine.Kind.EXPENDITURE
    else:
        raise DomainError("Choose a category from the list.", field="category")
    line = BudgetLine(budget=budget, kind=kind, category=category, amount=amount, description=description)
    _clean(line)
    line.save()
    Budget.objects.filter(pk=budget.pk).update(updated_at=timezone.now())
    audit_record(actor=actor, action="budget.line_added", obj=budget,
                 after=snapshot(line, ("kind", "category", "description", "amount")))
    return line


@transaction.atomic
def budget_line_delete(*, actor: User | None, line: BudgetLine) -> None:
    _require_manager(actor, line.budget.partnership)
    audit_record(actor=actor, action="budget.line_removed", obj=line.budget,
                 before=snapshot(line, ("kind", "category", "description", "amount")))
    Budget.objects.filter(pk=line.budget_id).update(updated_at=timezone.now())
    line.delete()


# ---------------------------------------------------------------- priorities


@transaction.atomic
def priority_create(*, actor: User | None, partnership: Partnership, year_start: int, title: str,
                    outcome: str = "", actions: str = "", progress: str = "",
                    status: str = Priority.Progress.NOT_STARTED, position: int = 1) -> Priority:
    _require_manager(actor, partnership)
    priority = Priority(partnership=partnership, year_start=year_start, title=title.strip(), outcome=outcome,
                        actions=actions, progress=progress, status=status, position=position)
    if Priority.objects.filter(partnership=partnership, year_start=year_start, title=priority.title).exists():
        raise DomainError("There is already a priority with this title for that year.", field="title")
    _clean(priority)
    try:
        priority.save()
    except IntegrityError:
        raise DomainError("There is already a priority with this title for that year.", field="title")
    audit_record(actor=actor, action="priority.created", obj=priority, after=snapshot(priority, PRIORITY_FIELDS))
    return priority


@transaction.atomic
def priority_update(*, actor: User | None, priority: Priority, version: str | None, **changes) -> Priority:
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    _require_manager(actor, priority.partnership)
    ensure_current(current=priority.updated_at, token=version, what="priority")
    unknown = set(changes) - set(PRIORITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown priority fields: {sorted(unknown)}")
    before = snapshot(priority, PRIORITY_FIELDS)
    for name, value in changes.items():
        setattr(priority, name, value.strip() if name == "title" else value)
    if (Priority.objects.filter(partnership_id=priority.partnership_id, year_start=priority.year_start,
                                title=priority.title).exclude(pk=priority.pk).exists()):
        raise DomainError("There is already a priority with this title for that year.", field="title")
    _clean(priority)
    priority.save()
    audit_record(actor=actor, action="priority.updated", obj=priority, before=before,
                 after=snapshot(priority, PRIORITY_FIELDS))
    return priority
