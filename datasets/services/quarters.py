"""Reporting quarters: creating them with their dates, closing and reopening them."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.access import require_manager
from partners.models import Partnership
from safeguarding.audit import audit_record
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError
from safeguarding.periods import FinancialQuarter

from .. import conf
from ..models import Quarter


def _require_manager(actor, partnership_id: int) -> None:
    require_manager(actor, partnership_id)


def quarter_create(*, actor, partnership: Partnership, period: FinancialQuarter | str,
                   opens_on: dt.date | None = None, due_on: dt.date | None = None,
                   due_days: int | None = None) -> Quarter:
    """Open a reporting quarter. By default returns open the day after the quarter ends and are
    due ``due_days`` (setting ``DATASETS_DUE_DAYS``) after it ends."""
    _require_manager(actor, partnership.pk)
    if isinstance(period, str):
        try:
            period = FinancialQuarter.parse(period)
        except ValueError as exc:
            raise DomainError(str(exc), field="period") from None
    opens_on = opens_on or period.end + dt.timedelta(days=1)
    days = conf.due_days() if due_days is None else due_days
    if days < 0:
        raise DomainError("The number of days after the quarter ends must be 0 or more.", field="due_days")
    due_on = due_on or period.end + dt.timedelta(days=days)
    if due_on < opens_on:
        raise DomainError("The due date must be on or after the date returns open.", field="due_on")
    quarter = Quarter(partnership=partnership, year_start=period.year.start_year, number=period.number,
                      opens_on=opens_on, due_on=due_on)
    try:
        with transaction.atomic():
            quarter.save()
            audit_record(actor=actor, action="quarter.created", obj=quarter, partnership=partnership,
                         after={"opens_on": opens_on, "due_on": due_on})
    except IntegrityError:
        raise DomainError(f"{period.label} already exists.", field="period") from None
    return quarter


def quarter_update(*, actor, quarter: Quarter, opens_on: dt.date, due_on: dt.date,
                   version: str | None = None) -> Quarter:
    """Change a quarter's dates (e.g. extend the deadline). ``version`` is the edit form's token:
    a form loaded before someone else changed the dates is refused (``StaleEdit``)."""
    _require_manager(actor, quarter.partnership_id)
    if due_on < opens_on:
        raise DomainError("The due date must be on or after the date returns open.", field="due_on")
    with transaction.atomic():
        locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
        if version is not None:
            ensure_current(current=locked.updated_at, token=version, what="quarter")
        before = {"opens_on": locked.opens_on, "due_on": locked.due_on}
        locked.opens_on, locked.due_on = opens_on, due_on
        locked.save()
        audit_record(actor=actor, action="quarter.updated", obj=locked, partnership=locked.partnership,
                     before=before, after={"opens_on": opens_on, "due_on": due_on})
    return locked


def quarter_close(*, actor, quarter: Quarter) -> Quarter:
    """Close a quarter: its returns can no longer be changed or submitted."""
    _require_manager(actor, quarter.partnership_id)
    with transaction.atomic():
        locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
        if locked.is_closed:
            raise DomainError(f"{locked.label} is already closed.")
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save()
        audit_record(actor=actor, action="quarter.closed", obj=locked, partnership=locked.partnership)
    return locked


def quarter_reopen(*, actor, quarter: Quarter) -> Quarter:
    """Reopen a closed quarter so late or corrected returns can be taken."""
    _require_manager(actor, quarter.partnership_id)
    with transaction.atomic():
        locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
        if not locked.is_closed:
            raise DomainError(f"{locked.label} is not closed.")
        locked.closed_at, locked.closed_by = None, None
        locked.save()
        audit_record(actor=actor, action="quarter.reopened", obj=locked, partnership=locked.partnership)
    return locked
