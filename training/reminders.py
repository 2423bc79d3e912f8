"""Training-return reminders: the datasets app's generic sender (``datasets.reminders``), fed
with training's outstanding returns. Each reminder goes once per return and stage (due soon,
overdue), through ``safeguarding.reminders.send_once``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from datasets.models import Quarter
from datasets.reminders import DueItem, items_from_returns, send_due_reminders
from partners.models import Agency
from safeguarding.workflow import ReturnStatus

from .models import StaffGroup, TrainingReturn


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def training_due_items(*, today: dt.date | None = None) -> list[DueItem]:
    """Every training return still to submit in open quarters: drafts, and agencies that report
    a staff group but have not started the quarter's return. Four queries."""
    today = today or timezone.localdate()
    quarters = list(Quarter.objects.filter(opens_on__lte=today, closed_at__isnull=True))
    if not quarters:
        return []
    returns = list(TrainingReturn.objects.filter(quarter__in=quarters).select_related("agency", "quarter"))
    items = items_from_returns(
        [r for r in returns if r.status == ReturnStatus.DRAFT], what="training return", key_prefix="return:",
        due_on=lambda r: r.quarter.due_on, period_label=lambda r: r.quarter.label,
        url=lambda r: _absolute(reverse("training:return_detail", kwargs={"pk": r.pk})))
    started = {(r.agency_id, r.quarter_id) for r in returns}
    types: dict[int, set[str]] = {}
    for partnership_id, agency_types in StaffGroup.objects.filter(is_active=True).values_list(
            "partnership_id", "agency_types"):
        types.setdefault(partnership_id, set()).update(agency_types)
    agencies = Agency.objects.filter(partnership_id__in={q.partnership_id for q in quarters})
    for quarter in quarters:
        for agency in agencies:
            if (agency.partnership_id != quarter.partnership_id or (agency.pk, quarter.pk) in started
                    or agency.agency_type not in types.get(agency.partnership_id, set())
                    or not agency.is_active_on(quarter.ends_on)):
                continue
            items.append(DueItem(key=f"new:{agency.pk}:{quarter.pk}", agency_id=agency.pk, agency_name=agency.name,
                                 period_label=quarter.label, due_on=quarter.due_on,
                                 url=_absolute(reverse("training:return_list")), what="training return"))
    return items


def send_training_reminders(*, today: dt.date | None = None) -> int:
    """The beat task's work: email each agency's submitters once when its training return is due
    soon and once when it is overdue. Returns the number of emails sent."""
    return send_due_reminders(training_due_items(today=today), today=today, key_prefix="training")
