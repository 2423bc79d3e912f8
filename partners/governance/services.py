"""Every change to meetings, attendance, budgets and priorities goes through these functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse

from ..access import require_manager
from ..models import (
    Agency,
    Attendance,
    Budget,
    BudgetLine,
    Contribution,
    Meeting,
    Partnership,
    Priority,
    Subgroup,
    User,
)

PRIORITY_FIELDS = ("title", "outcome", "actions", "progress", "status", "position", "year_start")


def _require_manager(actor: User | None, partnership: Partnership) -> None:
    require_manager(actor, partnership.pk, "Only the partnership's business manager can change governance records.")


def _clean(obj) -> None:
    full_clean_or_refuse(obj)


# ---------------------------------------------------------------- meetings


def _check_attendance(partnership: Partnership, attendance: dict[Agency, str]) -> None:
    for agency, status in attendance.items():
        if agency.partnership_id != partnership.pk:
            raise DomainError(f"{agency} belongs to another partnership.")
        if status and status not in Attendance.Status.values:
            raise DomainError(f"{status!r} is not an attendance status for {agency}.")


def _write_attendance(meeting: Meeting, attendance: dict[Agency, str]) -> None:
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, agency=agency, status=status)
        for agency, status in attendance.items() if status
    ])


@transaction.atomic
def meeting_create(*, actor: User | None, partnership: Partnership, subgroup: Subgroup, held_on: dt.date,
                   notes: str = "", attendance: dict[Agency, str] | None = None) -> Meeting:
    _require_manager(actor, partnership)
    if subgroup.partnership_id != partnership.pk:
        raise DomainError("That subgroup belongs to another partnership.", field="subgroup")
    attendance = attendance or {}
    _check_attendance(partnership, attendance)
    if Meeting.objects.filter(subgroup=subgroup, held_on=held_on).exists():
        raise DomainError(f"{subgroup} already has a meeting on {held_on:%d %B %Y}.", field="held_on")
    meeting = Meeting(partnership=partnership, subgroup=subgroup, held_on=held_on, notes=notes)
    _clean(meeting)
    meeting.save()
    _write_attendance(meeting, attendance)
    audit_record(actor=actor, action="meeting.created", obj=meeting,
                 after={**snapshot(meeting, ("subgroup", "held_on")),
                        "attendance": {a.slug: s for a, s in attendance.items() if s}})
    return meeting


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, version: str | None, held_on: dt.date,
                   notes: str = "", attendance: dict[Agency, str] | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor, meeting.partnership)
    ensure_current(current=meeting.updated_at, token=version, what="meeting")
    attendance = attendance or {}
    _check_attendance(meeting.partnership, attendance)
    if Meeting.objects.filter(subgroup_id=meeting.subgroup_id, held_on=held_on).exclude(pk=meeting.pk).exists():
        raise DomainError(f"{meeting.subgroup} already has a meeting on {held_on:%d %B %Y}.", field="held_on")
    before = {**snapshot(meeting, ("held_on", "notes")),
              "attendance": dict(meeting.attendance.values_list("agency__slug", "status"))}
    meeting.held_on, meeting.notes = held_on, notes
    _clean(meeting)
    meeting.save()
    _write_attendance(meeting, attendance)
    audit_record(actor=actor, action="meeting.updated", obj=meeting, before=before,
                 after={**snapshot(meeting, ("held_on", "notes")),
                        "attendance": {a.slug: s for a, s in attendance.items() if s}})
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
    """Set the reserves used and each partner's contribution (cash, in kind); zero rows are dropped."""
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
        rows = []
        for agency, (cash, in_kind) in contributions.items():
            if agency.partnership_id != budget.partnership_id:
                raise DomainError(f"{agency} belongs to another partnership.")
            if (cash or 0) < 0 or (in_kind or 0) < 0:
                raise DomainError(f"{agency}'s contribution cannot be negative.")
            if cash or in_kind:
                rows.append(Contribution(budget=budget, agency=agency, cash=cash or 0, in_kind=in_kind or 0))
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
