"""After publication: who the report was sent to, when and by whom, and the reminder when the
national Panel or the what-works centre has not been sent it within 7 days (issue 15.9).

Working Together to Safeguard Children 2023 (chapter 2, "Reporting") asks the safeguarding
partners to send their yearly report to the Child Safeguarding Practice Review Panel and to the
What Works Centre for Children and Families (Foundations) within 7 days of publishing it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partners.models import Role, User
from safeguarding.audit import audit_record
from safeguarding.errors import DomainError
from safeguarding.reminders import send_once

from .models import REQUIRED_RECIPIENTS, SEND_WITHIN_DAYS, AnnualReport, Dispatch, Recipient, ReportStatus
from .services import _lock, _require_manager


@transaction.atomic
def dispatch_record(*, actor: User | None, report: AnnualReport, recipient: str, sent_on: dt.date | None,
                    recipient_name: str = "") -> Dispatch:
    """Record that the published report was sent to ``recipient`` on ``sent_on`` (default today,
    never after today, never before publication). Raises DomainError naming the field."""
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    if report.status != ReportStatus.PUBLISHED:
        raise DomainError("Only a published report is sent out: publish it first.")
    if recipient not in Recipient.values:
        raise DomainError("Choose who the report was sent to.", field="recipient")
    recipient_name = recipient_name.strip()
    if recipient == Recipient.OTHER and not recipient_name:
        raise DomainError("Say who the report was sent to.", field="recipient_name")
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise DomainError("The date it was sent cannot be after today.", field="sent_on")
    if report.status_changed_on and sent_on < report.status_changed_on:
        raise DomainError(f"The report was published on {report.status_changed_on:%-d %B %Y}: it cannot have "
                          "been sent before then.", field="sent_on")
    dispatch = Dispatch(report=report, recipient=recipient,
                        recipient_name=recipient_name if recipient == Recipient.OTHER else "", sent_on=sent_on,
                        sent_by=actor if getattr(actor, "pk", None) else None)
    dispatch.full_clean()
    dispatch.save()
    audit_record(actor=actor, action="annual_report.sent", obj=report,
                 after={"to": dispatch.name, "recipient": dispatch.recipient, "sent_on": sent_on})
    return dispatch


def missing_recipients(report: AnnualReport) -> list[str]:
    """The required recipients (values of ``Recipient``) not yet recorded as sent the report (1 query)."""
    sent = set(report.dispatches.values_list("recipient", flat=True))
    return [r for r in REQUIRED_RECIPIENTS if r not in sent]


def send_distribution_reminders(*, today: dt.date | None = None) -> int:
    """Remind each business manager of a report published at least 7 days ago that has not been
    sent to the Panel or the what-works centre; once per report and recipient (``send_once``).
    Returns the number of emails sent."""
    today = today or timezone.localdate()
    sent = 0
    due = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED,
                                      status_changed_on__lte=today - dt.timedelta(days=SEND_WITHIN_DAYS))
    for report in due.select_related("partnership"):
        missing = missing_recipients(report)
        if not missing:
            continue
        managers = User.objects.filter(partnership_id=report.partnership_id, is_active=True,
                                       role__in=[Role.BUSINESS_MANAGER, Role.ADMIN])
        labels = [Recipient(r).label for r in missing]
        for person in managers:
            for recipient in missing:
                sent += send_once(key=f"report-distribution:{report.pk}:{recipient}", to=person.email,
                                  template="reports/email/distribution_reminder",
                                  context={"report": report, "person": person, "missing": labels,
                                           "recipient": Recipient(recipient).label, "days": SEND_WITHIN_DAYS})
    return sent
