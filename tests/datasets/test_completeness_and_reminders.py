"""Completeness and timeliness maths, the dashboards' selectors, and reminders sent once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from datasets import dashboard_selectors, reminders, services
from datasets.models import Return
from datasets.selectors import (
    my_returns_due,
    outstanding_health_returns,
    quarter_completeness,
    returns_awaiting_review,
)
from partners.models import Agency
from safeguarding.concurrency import version_token

from .conftest import entries_for

pytestmark = pytest.mark.django_db


def _submit(world, cat, agency, person, quarter, figures, *, at=None):
    ret, _ = services.return_get_or_create(actor=person, agency=agency, quarter=quarter)
    services.return_values_save(actor=person, ret=ret, version=version_token(ret.updated_at),
                                entries=entries_for(ret, **figures))
    ret = services.return_submit(actor=person, ret=ret)
    if at is not None:
        Return.objects.filter(pk=ret.pk).update(first_submitted_at=at, submitted_at=at)
    return ret


A_FIG = {"H-TRN-L3": {"numerator": "95", "denominator": "100"}, "H-REF": {"value": "3"}}
B_FIG = {"LA-CPP": {"value": "7"}, "LA-CPP-RATE": {"numerator": "7", "denominator": "1000"}}


def _aware(day: dt.date, hour: int = 12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_completeness_rates_and_lateness(world, cat):
    # A third agency that reports nothing is not expected; a fourth reports and has not returned.
    Agency.objects.create(partnership=world.partnership, name="Fire", slug="fire", agency_type="other")
    # (Active since 2020: an agency added today with no "active from" date is not expected in
    # past quarters, see tests/partners/test_lifecycle.py.)
    Agency.objects.create(partnership=world.partnership, name="Community", slug="community",
                          agency_type="acute_trust", active_from=dt.date(2020, 1, 1))
    due = cat.quarter.due_on
    _submit(world, cat, world.agency_a, world.submitter_a, cat.quarter, A_FIG, at=_aware(due, 23))
    _submit(world, cat, world.agency_b, world.submitter_b, cat.quarter, B_FIG, at=_aware(due + dt.timedelta(days=1), 9))
    result = quarter_completeness(cat.quarter, today=due + dt.timedelta(days=5))
    rows = {r.agency.name: r for r in result.rows}
    assert set(rows) == {world.agency_a.name, world.agency_b.name, "Community"}
    assert rows[world.agency_a.name].timeliness == "on_time"  # 11pm on the due day is on time
    assert rows[world.agency_b.name].timeliness == "late"
    assert rows["Community"].timeliness == "overdue" and rows["Community"].status == "not_started"
    assert (result.expected, result.returned, result.on_time) == (3, 2, 1)
    assert result.reporting_rate == Decimal("66.7") and result.on_time_rate == Decimal("33.3")
    early = quarter_completeness(cat.quarter, today=due - dt.timedelta(days=1))
    assert {r.timeliness for r in early.rows if not r.returned} == {"not_due"}
    health = quarter_completeness(cat.quarter, health_only=True, today=due)
    assert {r.agency.name for r in health.rows} == {world.agency_a.name, "Community"}


def test_answering_a_query_late_is_not_lateness(world, cat):
    due = cat.quarter.due_on
    ret = _submit(world, cat, world.agency_a, world.submitter_a, cat.quarter, A_FIG, at=_aware(due - dt.timedelta(3)))
    services.return_query(actor=world.pci, ret=ret, comment="?")
    services.return_resubmit(actor=world.submitter_a, ret=ret, comment="!")
    rows = {r.agency.pk: r for r in quarter_completeness(cat.quarter, today=due + dt.timedelta(30)).rows}
    assert rows[world.agency_a.pk].timeliness == "on_time"


def test_lists_for_home_panels(world, cat):
    due_a = my_returns_due(world.submitter_a, today=cat.quarter.opens_on)
    assert {(r.agency.pk, r.quarter.pk) for r in due_a} == {(world.agency_a.pk, cat.quarter.pk),
                                                            (world.agency_a.pk, cat.previous.pk)}
    ret = _submit(world, cat, world.agency_a, world.submitter_a, cat.quarter, A_FIG)
    assert list(returns_awaiting_review(world.pci)) == [ret]
    assert list(returns_awaiting_review(world.submitter_a)) == []
    outstanding = outstanding_health_returns(world.partnership.pk, today=cat.quarter.opens_on)
    assert [(r.agency.pk, r.quarter.pk) for r in outstanding] == [(world.agency_a.pk, cat.previous.pk)]


def test_dashboard_selectors_give_accepted_figures_with_their_own_rag(world, cat):
    services.target_set(actor=world.manager, indicator=cat.training, year=2024, target="95", amber_threshold="90",
                        effective_from=dt.date(2025, 1, 1))
    for quarter in (cat.previous, cat.quarter):
        ret = _submit(world, cat, world.agency_a, world.submitter_a, quarter,
                      {**A_FIG, "H-TRN-L3": {"numerator": "92", "denominator": "100"}})
        services.return_accept(actor=world.pci, ret=ret)
    _submit(world, cat, world.agency_b, world.submitter_b, cat.quarter, B_FIG)  # submitted, not accepted
    trend = dashboard_selectors.indicator_trend(
        indicator=cat.training, quarters=[cat.previous, cat.quarter], agencies=[world.agency_a, world.agency_b],
        visible={world.agency_a.pk, world.agency_b.pk})
    # Each quarter keeps the RAG of the target in force then: 92% was green against 90%, amber
    # against the 95% that took effect in January.
    [(agency, points)] = trend.series
    assert agency == world.agency_a
    assert [(p.value, p.rag) for p in points] == [(Decimal("92.0000"), "green"), (Decimal("92.0000"), "amber")]


def test_reminders_sent_once_before_due_and_once_overdue(world, cat):
    due = cat.quarter.due_on
    sent = reminders.send_dataset_reminders(today=due - dt.timedelta(days=3))
    # Q3's deadline has long passed (overdue) and Q4 is due in 3 days: each agency's submitter gets both.
    assert sent["reminders"] == 4 and sent["digests"] == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(s.startswith("Overdue:") for s in subjects) and any(s.startswith("Due ") for s in subjects)
    assert any("health return" in s for s in subjects)
    message = next(m for m in mail.outbox if m.to == [world.submitter_a.email])
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    assert reminders.send_dataset_reminders(today=due - dt.timedelta(days=2)) == {"reminders": 0, "digests": 0}
    mail.outbox.clear()
    sent = reminders.send_dataset_reminders(today=due + dt.timedelta(days=1))
    assert sent["reminders"] == 2 and len(mail.outbox) == 3  # Q4 now overdue for both, and the nurse's digest
    assert reminders.send_dataset_reminders(today=due + dt.timedelta(days=8)) == {"reminders": 0, "digests": 0}


def test_submitted_returns_are_not_chased(world, cat):
    _submit(world, cat, world.agency_a, world.submitter_a, cat.quarter, A_FIG)
    services.quarter_close(actor=world.manager, quarter=cat.previous)
    reminders.send_dataset_reminders(today=cat.quarter.due_on)
    assert [m.to for m in mail.outbox] == [[world.submitter_b.email]]


def test_generic_reminders_over_any_queryset_of_returns(world, cat):
    ret, _ = services.return_get_or_create(actor=world.submitter_a, agency=world.agency_a, quarter=cat.quarter)
    items = reminders.items_from_returns(Return.objects.select_related("agency", "quarter"),
                                         due_on=lambda r: r.quarter.due_on, period_label=lambda r: r.quarter.label,
                                         url=lambda r: f"/x/{r.pk}", what="training return", key_prefix="training:")
    assert [i.key for i in items] == [f"training:{ret.pk}"]
    assert reminders.send_due_reminders(items, today=cat.quarter.due_on, key_prefix="training") == 1
    assert reminders.send_due_reminders(items, today=cat.quarter.due_on, key_prefix="training") == 0
    assert "training return" in mail.outbox[0].subject


def test_beat_task_runs(world, cat):
    from datasets.tasks import send_return_reminders

    assert set(send_return_reminders.delay().get()) == {"reminders", "digests"}
