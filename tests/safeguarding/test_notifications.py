"""Notifications (issue 16.3): who is told, once; immediate or digest; home page; scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners.models import Role
from safeguarding import notifications
from safeguarding.models import EmailMode, Notification, SentReminder
from safeguarding.workflow import return_transition
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _eager(settings):
    # Tasks run in-process here; ``django_capture_on_commit_callbacks`` runs the on-commit sends.
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def ret(world):
    """Agency A's dataset return, submitted by A's submitter."""
    from datasets.models import Quarter, Return, ReturnEvent

    quarter = Quarter.objects.create(partnership=world.partnership, year_start=2024, number=1,
                                     opens_on=dt.date(2024, 7, 1), due_on=dt.date(2024, 7, 31))
    r = Return.objects.create(agency=world.agency_a, quarter=quarter)
    world.colleague_a = UserFactory(email="colleague@hospital.example", full_name="Col League",
                                    partnership=world.partnership, role=Role.AGENCY_SUBMITTER,
                                    agencies=[world.agency_a])
    return_transition(actor=world.submitter_a, ret=r, action="submit", event_model=ReturnEvent)
    r.refresh_from_db()
    r.event_model = ReturnEvent
    return r


def _move(ret, actor, action, comment="", capture=None):
    if capture is None:
        return return_transition(actor=actor, ret=ret, action=action, comment=comment, event_model=ret.event_model)
    with capture(execute=True):
        return return_transition(actor=actor, ret=ret, action=action, comment=comment, event_model=ret.event_model)


def test_a_query_tells_the_agencys_submitters_once_with_the_question(world, ret,
                                                                     django_capture_on_commit_callbacks):
    mail.outbox.clear()
    _move(ret, world.pci, "query", "Why did referrals halve?", django_capture_on_commit_callbacks)
    told = Notification.objects.filter(kind="return.queried")
    assert {n.recipient for n in told} == {world.submitter_a, world.colleague_a}
    assert all("Why did referrals halve?" in n.body for n in told)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@hospital.example", "colleague@hospital.example"]
    assert all("Why did referrals halve?" in m.body for m in mail.outbox)
    assert all(m.subject.startswith("Return queried: Testshire Hospitals NHS Trust") for m in mail.outbox)
    # Nobody else: not the PCI member who asked, nor agency B, nor the designated nurse.
    assert not Notification.objects.exclude(recipient__in=[world.submitter_a, world.colleague_a]).exists()
    # Running the email task again sends nothing more.
    for note in told:
        assert notifications.send_notification(note.pk) is False
    assert len(mail.outbox) == 2


def test_accept_and_reopen_each_notify_once_with_the_reason(world, ret, django_capture_on_commit_callbacks):
    _move(ret, world.pci, "accept", capture=django_capture_on_commit_callbacks)
    _move(ret, world.manager, "reopen", "The police figures were corrected.", django_capture_on_commit_callbacks)
    kinds = sorted(Notification.objects.filter(recipient=world.submitter_a).values_list("kind", flat=True))
    assert kinds == ["return.accepted", "return.reopened"]
    reopened = Notification.objects.get(recipient=world.submitter_a, kind="return.reopened")
    assert reopened.body == "The reason: The police figures were corrected."
    assert reopened.url == reverse("datasets:return_detail", args=[ret.pk])
    assert len([m for m in mail.outbox if m.to == ["a@hospital.example"]]) == 2


def test_the_same_occasion_never_notifies_twice(world):
    for _ in range(2):
        notifications.notify(recipients=[world.submitter_a], occasion="test:1", kind="test", subject="Hello")
    assert Notification.objects.filter(recipient=world.submitter_a).count() == 1


def test_a_training_return_notifies_through_the_same_workflow(world, django_capture_on_commit_callbacks):
    from tests.training.helpers import setup_training
    from training import services as training_services
    from training.models import TrainingReturnEvent

    setup_training(world)
    tret = training_services.training_return_start(actor=world.submitter_a, agency=world.agency_a,
                                                   quarter=world.quarters[0])
    return_transition(actor=world.submitter_a, ret=tret, action="submit", event_model=TrainingReturnEvent)
    with django_capture_on_commit_callbacks(execute=True):
        training_services.training_return_transition(actor=world.pci, ret=tret, action="query",
                                                     comment="Level 3 for GPs looks low.")
    note = Notification.objects.get(recipient=world.submitter_a)
    assert note.kind == "return.queried" and note.subject.startswith("Training return queried")
    assert "Level 3 for GPs looks low." in note.body


# --- digest ---------------------------------------------------------------------------------

def test_the_digest_batches_a_days_notifications_in_one_email(world, ret, django_capture_on_commit_callbacks):
    notifications.email_mode_set(actor=world.submitter_a, mode=EmailMode.DIGEST)
    mail.outbox.clear()
    _move(ret, world.pci, "query", "First question.", django_capture_on_commit_callbacks)
    notifications.notify(recipients=[world.submitter_a], occasion="test:2", kind="test", subject="Second thing")
    # Immediate for the colleague; nothing yet for the digest reader.
    assert [m.to for m in mail.outbox] == [["colleague@hospital.example"]]
    now = timezone.now()
    assert notifications.send_digests(now=now) == 1
    digest = mail.outbox[-1]
    assert digest.to == ["a@hospital.example"]
    assert "First question." in digest.body and "Second thing" in digest.body
    assert not Notification.objects.filter(recipient=world.submitter_a, emailed_at__isnull=True).exists()
    # The beat running again the same day sends nothing.
    assert notifications.send_digests(now=now) == 0
    assert len(mail.outbox) == 2
    assert SentReminder.objects.filter(key__startswith="notification-digest:").count() == 1


def test_an_immediate_email_the_queue_missed_goes_in_the_next_digest(world):
    note, = notifications.notify(recipients=[world.submitter_a], occasion="test:3", kind="test", subject="Lost")
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    mail.outbox.clear()
    assert notifications.send_digests() == 1
    assert "Lost" in mail.outbox[0].body


# --- actions ----------------------------------------------------------------------------------

def test_owners_are_told_when_a_recommendation_is_addressed_and_when_assured_or_returned(
        world, django_capture_on_commit_callbacks):
    from reviews import services
    from reviews.models import ActionStatus
    from tests.reviews.conftest import make_review

    review = make_review(world)
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.recommendation_create(actor=world.manager, review=review, number="1.1",
                                             text="Audit supervision.", addressees=[world.agency_a, world.agency_b])
    addressed = Notification.objects.filter(kind="recommendation.addressed")
    # A's submitter and the designated nurse (A is a health agency); B's submitter.
    assert {n.recipient for n in addressed} == {world.submitter_a, world.designated, world.submitter_b}
    assert all("Audit supervision." in n.body for n in addressed)
    action = services.action_create(actor=world.manager, recommendation=rec, owner_agency=world.agency_b,
                                    lead_name="Bea", description="Audit", start_on=dt.date(2025, 2, 1),
                                    due_on=dt.date(2025, 9, 1), status=ActionStatus.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(actor=world.pci, action=action, reason="No audit report attached.")
    services.action_set_status(actor=world.submitter_b, action=action, status=ActionStatus.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(actor=world.pci, action=action, reason="Still no report.")
    services.action_set_status(actor=world.submitter_b, action=action, status=ActionStatus.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_assure(actor=world.pci, action=action, comment="Report seen.",
                               no_evidence_reason="Presented at PCI.")
    mine = list(Notification.objects.filter(recipient=world.submitter_b).order_by("id")
                .values_list("kind", "body"))
    assert mine == [("recommendation.addressed", "Audit supervision.\n\nA draft action is waiting for its lead "
                                                 "and due date."),
                    ("action.returned", "What is missing: No audit report attached."),
                    ("action.returned", "What is missing: Still no report."),
                    ("action.assured", "What the evidence shows: Report seen.")]
    assert not Notification.objects.filter(recipient=world.submitter_a, kind__startswith="action.").exists()
    assert len([m for m in mail.outbox if m.to == ["b@council.example"]]) == 4


# --- the home page and the notifications page -----------------------------------------------

def test_the_home_page_shows_a_persons_notifications_and_never_anyone_elses(world, as_user):
    notifications.notify(recipients=[world.submitter_a], occasion="t:a", kind="test", subject="For Ann only")
    notifications.notify(recipients=[world.submitter_b], occasion="t:b", kind="test", subject="For Ben only")
    notifications.notify(recipients=[world.outsider], occasion="t:o", kind="test", subject="For Otto only")
    page = as_user(world.submitter_a).get("/").content.decode()
    assert "For Ann only" in page and "1 unread" in page
    assert "For Ben only" not in page and "For Otto only" not in page
    listing = as_user(world.submitter_b).get(reverse("notifications")).content.decode()
    assert "For Ben only" in listing and "For Ann only" not in listing
    assert "For Ann only" not in as_user(world.manager).get("/").content.decode()


def test_marking_read_touches_only_the_persons_own(world, as_user):
    notifications.notify(recipients=[world.submitter_a, world.submitter_b], occasion="t:r", kind="test",
                         subject="Both")
    response = as_user(world.submitter_a).post(reverse("notifications"), {"mark_read": "1"})
    assert response.status_code == 302
    assert Notification.objects.get(recipient=world.submitter_a).read_at is not None
    assert Notification.objects.get(recipient=world.submitter_b).read_at is None


def test_the_preference_is_chosen_on_the_notifications_page(world, as_user):
    assert notifications.email_mode_for(world.submitter_a) == EmailMode.IMMEDIATE
    response = as_user(world.submitter_a).post(reverse("notifications"), {"email_mode": "digest"})
    assert response.status_code == 302
    assert notifications.email_mode_for(world.submitter_a) == EmailMode.DIGEST
    assert notifications.email_mode_for(world.submitter_b) == EmailMode.IMMEDIATE
    bad = as_user(world.submitter_a).post(reverse("notifications"), {"email_mode": "hourly"})
    assert bad.status_code == 200 and "Select one of the options given for" in bad.content.decode()


def test_the_home_panel_is_two_queries(world, django_assert_num_queries):
    for n in range(8):
        notifications.notify(recipients=[world.submitter_a], occasion=f"t:{n}", kind="test", subject=f"N{n}")
    with django_assert_num_queries(2):
        panel = notifications.home_panel(world.submitter_a)
    assert len(panel["notifications"]) == notifications.HOME_PANEL_LIMIT and panel["unread"] == 8


def test_the_demos_past_is_recorded_without_emails_and_settled(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), notifications.as_history():
        for n in range(5):
            notifications.notify(recipients=[world.submitter_a], occasion=f"h:{n}", kind="test", subject=f"H{n}",
                                 partnership_id=world.partnership.pk)
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert notifications.settle_history(partnership_id=world.partnership.pk, keep_unread=3) == 2
    assert notifications.home_panel(world.submitter_a)["unread"] == 3


def test_a_challenge_tells_the_challenged_agency(world):
    from reviews import services

    challenge = services.challenge_raise(actor=world.pci, agency=world.agency_b, issue="Re-referrals rose to 31%.",
                                         evidence_requested="The case analysis.")
    (note,) = Notification.objects.filter(kind="challenge.raised")
    assert note.recipient == world.submitter_b
    assert "Re-referrals rose to 31%." in note.body and "Evidence asked for: The case analysis." in note.body
    assert note.url == reverse("reviews:challenge_detail", args=[challenge.pk])
