"""Levels, staff groups and targets: kept by the business manager."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from partners.models import AgencyType, Partnership
from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse
from safeguarding.periods import FinancialYear
from safeguarding.workflow import EDITABLE

from ..models import Level, StaffGroup, TrainingFigure, TrainingReturn, TrainingTarget
from ._common import require_manager

LEVEL_FIELDS = ("name", "description", "order", "is_active")
GROUP_FIELDS = ("name", "agency_types", "levels", "order", "is_active")


def _unique_name(model, partnership: Partnership, name: str, *, exclude_pk=None, what: str) -> None:
    qs = model.objects.filter(partnership=partnership, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(f"There is already a {what} called ‘{name}’.", field="name")


@transaction.atomic
def level_create(*, actor, partnership: Partnership, name: str, description: str = "", order: int = 0,
                 is_active: bool = True) -> Level:
    require_manager(actor, partnership)
    name = name.strip()
    _unique_name(Level, partnership, name, what="level")
    level = Level(partnership=partnership, name=name, description=description.strip(), order=order,
                  is_active=is_active)
    full_clean_or_refuse(level)
    level.save()
    audit_record(actor=actor, action="training_level.created", obj=level, partnership=partnership,
                 after=snapshot(level, LEVEL_FIELDS))
    return level


@transaction.atomic
def level_update(*, actor, level: Level, version: str, **changes) -> Level:
    level = Level.objects.select_for_update().get(pk=level.pk)
    require_manager(actor, level.partnership)
    ensure_current(current=level.updated_at, token=version, what="level")
    before = snapshot(level, LEVEL_FIELDS)
    for field, value in changes.items():
        if field not in LEVEL_FIELDS:
            raise TypeError(f"level_update got an unexpected field {field!r}")
        setattr(level, field, value.strip() if isinstance(value, str) else value)
    _unique_name(Level, level.partnership, level.name, exclude_pk=level.pk, what="level")
    full_clean_or_refuse(level)
    level.save()
    audit_record(actor=actor, action="training_level.updated", obj=level, partnership=level.partnership,
                 before=before, after=snapshot(level, LEVEL_FIELDS))
    return level


def _add_lines_to_open_returns(group: StaffGroup) -> int:
    """Returns still with their agency (draft or queried, quarter not closed) gain the group's lines,
    so a staff group added mid-quarter is reported that quarter. Submitted returns are left alone."""
    if not group.is_active:
        return 0
    returns = list(TrainingReturn.objects.filter(
        agency__partnership_id=group.partnership_id, agency__agency_type__in=group.agency_types,
        status__in=list(EDITABLE), quarter__closed_at__isnull=True).values_list("pk", flat=True))
    levels = [level for level in group.levels.all() if level.is_active]
    created = TrainingFigure.objects.bulk_create(
        [TrainingFigure(ret_id=pk, staff_group=group, level=level) for pk in returns for level in levels],
        ignore_conflicts=True)
    return len(created)


def _check_group(partnership: Partnership, agency_types: list[str], levels: list[Level]) -> None:
    unknown = [t for t in agency_types if t not in AgencyType.values]
    if unknown:
        raise DomainError(f"Unknown agency type: {', '.join(unknown)}.", field="agency_types")
    if not agency_types:
        raise DomainError("Choose the types of agency that report this staff group.", field="agency_types")
    if not levels:
        raise DomainError("Choose the levels this staff group is measured at.", field="levels")
    if any(level.partnership_id != partnership.pk for level in levels):
        raise DomainError("Those levels belong to another partnership.", field="levels")


@transaction.atomic
def staff_group_create(*, actor, partnership: Partnership, name: str, agency_types: list[str],
                       levels: list[Level], order: int = 0, is_active: bool = True) -> StaffGroup:
    require_manager(actor, partnership)
    name = name.strip()
    _unique_name(StaffGroup, partnership, name, what="staff group")
    _check_group(partnership, agency_types, levels)
    group = StaffGroup(partnership=partnership, name=name, agency_types=sorted(agency_types), order=order,
                       is_active=is_active)
    full_clean_or_refuse(group)
    group.save()
    group.levels.set(levels)
    _add_lines_to_open_returns(group)
    audit_record(actor=actor, action="training_staff_group.created", obj=group, partnership=partnership,
                 after=snapshot(group, GROUP_FIELDS))
    return group


@transaction.atomic
def staff_group_update(*, actor, group: StaffGroup, version: str, levels: list[Level], **changes) -> StaffGroup:
    group = StaffGroup.objects.select_for_update().get(pk=group.pk)
    require_manager(actor, group.partnership)
    ensure_current(current=group.updated_at, token=version, what="staff group")
    before = snapshot(group, GROUP_FIELDS)
    for field, value in changes.items():
        if field not in GROUP_FIELDS or field == "levels":
            raise TypeError(f"staff_group_update got an unexpected field {field!r}")
        setattr(group, field, value.strip() if isinstance(value, str) else value)
    _unique_name(StaffGroup, group.partnership, group.name, exclude_pk=group.pk, what="staff group")
    _check_group(group.partnership, group.agency_types, levels)
    group.agency_types = sorted(group.agency_types)
    full_clean_or_refuse(group)
    group.save()
    group.levels.set(levels)
    _add_lines_to_open_returns(group)
    audit_record(actor=actor, action="training_staff_group.updated", obj=group, partnership=group.partnership,
                 before=before, after=snapshot(group, GROUP_FIELDS))
    return group


@transaction.atomic
def target_create(*, actor, partnership: Partnership, year_start: int, target: Decimal,
                  amber_threshold: Decimal | None = None, level: Level | None = None,
                  effective_from: dt.date | None = None, note: str = "") -> TrainingTarget:
    """Add a target row. Rows are never changed afterwards: a new target for a year is a new row
    with a later ``effective_from``, so the quarters before it keep their RAG."""
    require_manager(actor, partnership)
    year = FinancialYear(year_start)
    effective_from = effective_from or year.start
    if not (year.start <= effective_from <= year.end):
        raise DomainError(f"The date the target takes effect must fall in {year.label}.", field="effective_from")
    if level is not None and level.partnership_id != partnership.pk:
        raise DomainError("That level belongs to another partnership.", field="level")
    if not (Decimal(0) <= target <= Decimal(100)):
        raise DomainError("The target is a percentage between 0 and 100.", field="target")
    if amber_threshold is not None and not (Decimal(0) <= amber_threshold <= target):
        raise DomainError("The amber threshold must be between 0 and the target.", field="amber_threshold")
    row = TrainingTarget(partnership=partnership, level=level, year_start=year_start, effective_from=effective_from,
                         target=target, amber_threshold=amber_threshold, note=note.strip())
    full_clean_or_refuse(row, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise DomainError("There is already a target for that level taking effect on that date.",
                          field="effective_from")
    audit_record(actor=actor, action="training_target.created", obj=row, partnership=partnership,
                 after=snapshot(row, ("level", "year_start", "effective_from", "target", "amber_threshold", "note")))
    return row
