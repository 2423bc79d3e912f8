import datetime as dt

import pytest
from django.core import mail

from training import services
from training.reminders import send_training_reminders, training_due_items
from training.tasks import send_return_reminders

from .helpers import quarter, setup_training

pytestmark = pytest.mark.django_db


def test_reminders_go_once_to_the_submitters_of_agencies_still_to_submit(world):
    setup_training(world)
    q = quarter(world.partnership, 2025, 2)  # due 30 October 2025
    services.training_return_start(actor=None, agency=world.agency_a, quarter=q)  # a draft
    items = training_due_items(today=dt.date(2025, 10, 25))
    keys = {(i.agency_id, i.period_label) for i in items if i.period_label == q.label}
    # Agency A has a draft; agency B (social workers) has not started; both are reminded.
    assert keys == {(world.agency_a.pk, q.label), (world.agency_b.pk, q.label)}
    mail.outbox.clear()
    sent = send_training_reminders(today=dt.date(2025, 10, 25))
    assert sent >= 2
    recipients = {m.to[0] for m in mail.outbox}
    assert {world.submitter_a.email, world.submitter_b.email} <= recipients
    assert any("training return" in m.subject for m in mail.outbox)
    assert send_training_reminders(today=dt.date(2025, 10, 26)) == 0  # once per stage
    assert send_training_reminders(today=dt.date(2025, 11, 3)) >= 2  # and once more when overdue


def test_the_beat_task_runs(world):
    setup_training(world)
    assert send_return_reminders.apply().get() >= 0
