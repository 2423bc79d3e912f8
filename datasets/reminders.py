"""Reminder emails for returns that are due soon or overdue, and the designated nurse's digest.

The sending logic is generic over any kind of return (``safeguarding.workflow.WorkflowReturn``
models, or a return not yet started): callers describe each outstanding return as a ``DueItem``
and ``send_due_reminders`` emails the people who submit for its agency, once per item and stage
(``safeguarding.reminders.send_once``). ``items_from_returns`` builds the items from a queryset
of returns, for apps whose returns exist from the start (training returns, for example).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from partners.models import Role, User
from safeguarding.reminders import send_once
from safeguarding.workflow import ReturnStatus

from . import conf

DUE_SOON, OVERDUE = "due-soon", "overdue"
RETURN_TEMPLATE = "datasets/email/return_reminder"
DIGEST_TEMPLATE = "datasets/email/health_digest"


@dataclass(frozen=True)
class DueItem:
    """One return someone still has to submit."""

    key: str  # stable across runs, e.g. "datasets:12:34" (agency 12, quarter 34)
    agency_id: int
    agency_name: str
    period_label: str  # "2024/25-Q3"
    due_on: dt.date
    url: str  # absolute link to the return or the list to start it from
    what: str = "quarterly dataset return"


def stage_of(due_on: dt.date, today: dt.date, days_before: int) -> str | None:
    """``due-soon`` within ``days_before`` days of the due date (inclusive), ``overdue`` after it."""
    if today > due_on:
        return OVERDUE
    if (due_on - today).days <= days_before:
        return DUE_SOON
    return None


def submitters_by_agency(agency_ids: Iterable[int]) -> dict[int, list[str]]:
    """Active agency submitters' emails per agency (1 query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = User.objects.filter(role=Role.AGENCY_SUBMITTER, is_active=True, agencies__in=list(agency_ids)).values_list(
        "agencies", "email")
    for agency_id, email in rows:
        out[agency_id].append(email)
    return out


def send_due_reminders(items: Iterable[DueItem], *, today: dt.date | None = None, days_before: int | None = None,
                       key_prefix: str = "datasets", template: str = RETURN_TEMPLATE,
                       recipients: Callable[[list[int]], dict[int, list[str]]] = submitters_by_agency) -> int:
    """Email each item's submitters once when it is due soon and once when overdue. Returns the
    number of emails sent (already-sent reminders are skipped by ``send_once``)."""
    today = today or timezone.localdate()
    days_before = conf.reminder_days_before() if days_before is None else days_before
    staged = [(item, stage_of(item.due_on, today, days_before)) for item in items]
    staged = [(item, stage) for item, stage in staged if stage]
    if not staged:
        return 0
    people = recipients(sorted({item.agency_id for item, _ in staged}))
    sent = 0
    for item, stage in staged:
        for email in people.get(item.agency_id, []):
            sent += send_once(key=f"{key_prefix}:{item.key}:{stage}", to=email, template=template, context={
                "item": item, "overdue": stage == OVERDUE, "days_left": (item.due_on - today).days,
                "days_late": (today - item.due_on).days})
    return sent


def items_from_returns(returns, *, due_on: Callable, period_label: Callable, url: Callable,
                       what: str = "return", key_prefix: str = "") -> list[DueItem]:
    """``DueItem``s for the returns of a queryset that still need submitting (draft only;
    a queried return was submitted on time or not already). ``due_on``, ``period_label`` and
    ``url`` are functions of a return. Select the agency with the queryset."""
    return [DueItem(key=f"{key_prefix}{r.pk}", agency_id=r.agency_id, agency_name=r.agency.name,
                    period_label=period_label(r), due_on=due_on(r), url=url(r), what=what)
            for r in returns if r.status == ReturnStatus.DRAFT]


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def dataset_due_items(*, today: dt.date | None = None) -> tuple[list[DueItem], dict]:
    """Every agency's outstanding dataset return in open quarters (started or not), and the
    outstanding health agencies per quarter for the digests. Fixed queries per partnership."""
    from django.urls import reverse

    from .models import Quarter
    from .selectors.completeness import completeness_for

    today = today or timezone.localdate()
    quarters = list(Quarter.objects.filter(opens_on__lte=today, closed_at__isnull=True).select_related("partnership"))
    by_partnership: dict[int, list[Quarter]] = defaultdict(list)
    for quarter in quarters:
        by_partnership[quarter.partnership_id].append(quarter)
    items: list[DueItem] = []
    health: dict = {}
    for partnership_quarters in by_partnership.values():
        for result in completeness_for(partnership_quarters, today=today):
            outstanding = [row for row in result.rows if not row.returned]
            for row in outstanding:
                url = reverse("datasets:return_detail", kwargs={"pk": row.ret.pk}) if row.ret else \
                    reverse("datasets:return_list")
                items.append(DueItem(key=f"{row.agency.pk}:{result.quarter.pk}", agency_id=row.agency.pk,
                                     agency_name=row.agency.name, period_label=result.quarter.label,
                                     due_on=result.quarter.due_on, url=_absolute(url)))
            health[result.quarter] = [row for row in outstanding if row.agency.is_health]
    return items, health


def send_health_digests(health: dict, *, today: dt.date | None = None, days_before: int | None = None) -> int:
    """Email each designated professional the health agencies yet to submit, once per quarter
    and stage."""
    today = today or timezone.localdate()
    days_before = conf.reminder_days_before() if days_before is None else days_before
    nurses: dict[int, list[str]] = defaultdict(list)
    for partnership_id, email in User.objects.filter(role=Role.DESIGNATED_PROFESSIONAL, is_active=True).values_list(
            "partnership_id", "email"):
        nurses[partnership_id].append(email)
    sent = 0
    for quarter, rows in health.items():
        stage = stage_of(quarter.due_on, today, days_before)
        if not rows or not stage:
            continue
        for email in nurses.get(quarter.partnership_id, []):
            sent += send_once(key=f"datasets:digest:{quarter.pk}:{stage}", to=email, template=DIGEST_TEMPLATE,
                              context={"quarter": quarter, "rows": rows, "overdue": stage == OVERDUE,
                                       "url": _absolute(f"/datasets/quarters/{quarter.pk}/completeness/")})
    return sent


def send_dataset_reminders(*, today: dt.date | None = None) -> dict:
    """The beat task's work: submitters' reminders and the designated nurses' digests."""
    items, health = dataset_due_items(today=today)
    return {"reminders": send_due_reminders(items, today=today), "digests": send_health_digests(health, today=today)}
