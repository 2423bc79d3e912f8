"""The Working Together checklist on the live draft, and the distribution record (issue 15.9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import distribution, services
from reports.checklist import checklist_for
from reports.models import AnnualReport, Dispatch, Recipient, ReportStatus
from safeguarding.errors import DomainError

from .factories import YEAR, annual_report, finished_build

pytestmark = pytest.mark.django_db


def _items(report):
    return {i.label: i for i in checklist_for(report)}


def test_the_checklist_follows_the_live_draft(world, as_user):
    report = annual_report(world)
    items = _items(report)
    assert len(items) == 10
    assert not items["Education settings"].covered and not items["Funding"].covered
    services.narrative_save(actor=world.manager, report=report, key="education", body="Schools are on the board.",
                            version="")
    assert _items(report)["Education settings"].covered
    from reports import composition

    report.refresh_from_db()
    report = composition.report_compose(actor=world.manager, report=report, chapters=["partnership", "finance"],
                               key_indicators=None, version=report.updated_at.isoformat())
    # Leaving the chapter out uncovers the item, even with its words written.
    assert not _items(report)["Education settings"].covered
    page = as_user(world.manager).get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert "What Working Together 2023 expects the report to contain" in page
    assert "Missing</strong> To cover it, include the ‘Education settings’ chapter and write it." in page


def _published(world) -> AnnualReport:
    report = annual_report(world)
    build = finished_build(world, report=report)
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.PUBLISHED, published_build=build,
                                                     status_changed_on=timezone.localdate() - dt.timedelta(days=8))
    report.refresh_from_db()
    return report


def test_sending_is_recorded_and_the_reminder_goes_once_after_seven_days(world, as_user):
    report = _published(world)
    page = as_user(world.manager).get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert "No sending to them is recorded yet" in page
    assert distribution.send_distribution_reminders() == 2  # one manager, two recipients missing
    assert distribution.send_distribution_reminders() == 0  # once only
    assert "Child Safeguarding Practice Review Panel" in mail.outbox[0].subject + mail.outbox[1].subject
    response = as_user(world.manager).post(reverse("reports:dispatch_add", kwargs={"year": YEAR}),
                                           {"recipient": Recipient.PANEL, "sent_on": ""})
    assert response.status_code == 302
    dispatch = Dispatch.objects.get()
    assert (dispatch.sent_on, dispatch.sent_by) == (timezone.localdate(), world.manager)
    assert distribution.missing_recipients(report) == [Recipient.WHAT_WORKS]
    page = as_user(world.pci).get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert "Child Safeguarding Practice Review Panel" in page and "Mo Manager" in page


def test_a_sending_cannot_be_dated_after_today_or_before_publication_or_for_a_draft(world):
    report = annual_report(world)
    with pytest.raises(DomainError, match="publish it first"):
        distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.PANEL, sent_on=None)
    report = _published(world)
    with pytest.raises(DomainError, match="cannot be after today"):
        distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.PANEL,
                                     sent_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="cannot have been sent before then"):
        distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.PANEL,
                                     sent_on=timezone.localdate() - dt.timedelta(days=30))
    with pytest.raises(DomainError, match="Say who the report was sent to"):
        distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.OTHER, sent_on=None)
    assert not Dispatch.objects.exists()


def test_after_publication_the_checklist_says_it_was_judged_on_the_published_report(world, as_user):
    report = annual_report(world)
    url = reverse("reports:report_detail", kwargs={"year": YEAR})
    assert "Judged on the draft as it stands" in as_user(world.manager).get(url).content.decode()
    report = _published(world)
    page = as_user(world.manager).get(url).content.decode()
    assert "Judged on the draft" not in page
    built = timezone.localtime(report.published_build.finished_at)
    assert (f"Judged on the published report (version {report.version}, its PDF built on "
            f"{built:%-d %B %Y})") in page


def test_the_audit_log_says_to_whom_the_report_was_sent(world):
    from safeguarding.audit_words import describe
    from safeguarding.models import AuditEvent

    report = _published(world)
    distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.PANEL, sent_on=None)
    distribution.dispatch_record(actor=world.manager, report=report, recipient=Recipient.OTHER, sent_on=None,
                                 recipient_name="Testshire health scrutiny committee")
    events = list(AuditEvent.objects.filter(action="annual_report.sent").order_by("pk"))
    assert [(e.after["recipient"], e.after["to"]) for e in events] == [
        (Recipient.PANEL, "Child Safeguarding Practice Review Panel"),
        (Recipient.OTHER, "Testshire health scrutiny committee")]
    panel, other = (row.sentence for row in describe(events))
    assert panel.endswith(" to Child Safeguarding Practice Review Panel")
    assert other.endswith(" to Testshire health scrutiny committee")
    assert panel.startswith(f"{world.manager.full_name} recorded sending the ")
    # An event stored without the addressee still reads, without the clause.
    events[0].after = {"sent_on": "2026-11-30"}
    assert not describe(events[:1])[0].sentence.endswith(" to ")
