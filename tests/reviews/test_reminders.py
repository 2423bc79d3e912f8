"""Reminders: 14 days before due, when overdue, the weekly digest; each sent once."""

import datetime as dt

import pytest
from django.core import mail

from reviews import reminders, services, tasks
from tests.factories import UserFactory

from .conftest import make_action

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def actions(world):
    return {
        "soon": make_action(world, agency=world.agency_a, number="1.1", due_on=TODAY + dt.timedelta(days=14),
                            description="Due in a fortnight"),
        "later": make_action(world, agency=world.agency_a, number="1.2", due_on=TODAY + dt.timedelta(days=15),
                             description="Due in fifteen days"),
        "late": make_action(world, agency=world.agency_b, number="1.3", due_on=TODAY - dt.timedelta(days=1),
                            description="Due yesterday"),
        "done": make_action(world, agency=world.agency_b, number="1.4", due_on=TODAY - dt.timedelta(days=10),
                            description="Completed late", status="completed"),
    }


def test_due_soon_and_overdue_reminders_go_once_to_the_agencys_submitters(world, actions):
    sent = reminders.send_action_reminders(today=TODAY)
    assert sent == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {world.submitter_a.email, world.submitter_b.email}
    assert "due in 14 days" in by_to[world.submitter_a.email].subject.lower()
    assert by_to[world.submitter_b.email].subject.startswith("Overdue action")
    assert "Due yesterday" in by_to[world.submitter_b.email].body
    assert by_to[world.submitter_b.email].alternatives[0][1] == "text/html"
    # The beat runs again the next day: nothing new for the same occasions.
    assert reminders.send_action_reminders(today=TODAY) == 0
    assert reminders.send_action_reminders(today=TODAY + dt.timedelta(days=1)) == 1  # "later" is now 14 days out
    assert len(mail.outbox) == 3


def test_a_moved_due_date_gets_its_own_reminder(world, actions):
    reminders.send_action_reminders(today=TODAY)
    action = actions["soon"]
    services.action_update(actor=world.manager, action=action, version=action.updated_at.isoformat(),
                           due_on=TODAY + dt.timedelta(days=10))
    assert reminders.send_action_reminders(today=TODAY) == 1


def test_inactive_people_and_other_roles_get_nothing(world, actions):
    UserFactory(email="gone@hospital.example", partnership=world.partnership, agencies=[world.agency_a],
                is_active=False)
    reminders.send_action_reminders(today=TODAY)
    assert "gone@hospital.example" not in {m.to[0] for m in mail.outbox}
    assert world.pci.email not in {m.to[0] for m in mail.outbox}


def test_weekly_digest_once_a_week_to_the_manager(world, actions):
    # Each partnership's managers get their own: the outsider (and the world's other business
    # managers there) manage the other partnership.
    from partners.models import Role, User

    managers = User.objects.filter(role=Role.BUSINESS_MANAGER, is_active=True, partnership__isnull=False).count()
    assert reminders.send_weekly_digests(today=TODAY) == managers
    message = next(m for m in mail.outbox if m.to == [world.manager.email])
    other = next(m for m in mail.outbox if m.to == [world.outsider.email])
    assert "0 overdue" in other.subject
    assert "1 overdue, 1 awaiting assurance" in message.subject
    assert "Due yesterday" in message.body
    assert reminders.send_weekly_digests(today=TODAY + dt.timedelta(days=3)) == 0  # same ISO week
    assert reminders.send_weekly_digests(today=TODAY + dt.timedelta(days=7)) == managers


def test_beat_tasks_are_scheduled_and_run(world, actions, settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reviews.send_action_reminders", "reviews.send_weekly_digests"} <= scheduled
    tasks.send_action_reminders.delay()
    tasks.send_weekly_digests.delay()
    assert mail.outbox
