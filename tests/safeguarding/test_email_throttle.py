"""Issue 11.5: password reset sent any number of emails. Now throttled per address (its canonical
form) and per client, with a clear message that does not say whether the address has an account.
Its siblings, through the same throttle (``safeguarding.email_throttle``): invitations per address
and per sender, whichever page sends them, and immediate notifications per recipient."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Role
from safeguarding import notifications
from safeguarding.errors import DomainError
from safeguarding.models import Notification, ThrottledEmail

pytestmark = pytest.mark.django_db


def _ask(client, email, ip="192.0.2.10"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_one_address_gets_a_few_emails_then_a_clear_refusal(world, client, mailoutbox, settings):
    limit = settings.PASSWORD_RESET_PER_ADDRESS
    for _ in range(limit):
        assert _ask(client, world.pci.email).status_code == 302
    assert len(mailoutbox) == limit
    refused = _ask(client, world.pci.email.upper())  # another spelling is the same address
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "has been asked for this address" in body and "govuk-error-summary" in body
    assert len(mailoutbox) == limit


def test_the_refusal_is_the_same_for_an_address_with_no_account(world, client, settings):
    def fourth(email, ip):
        for _ in range(settings.PASSWORD_RESET_PER_ADDRESS):
            _ask(client, email, ip)
        response = _ask(client, email, ip)
        return response.status_code, response.content.decode().replace(email, "ADDRESS")

    known = fourth(world.pci.email, "192.0.2.20")
    unknown = fourth("nobody@example.org", "192.0.2.21")
    assert known[0] == unknown[0] == 429
    assert known[1].split("govuk-error-summary", 1)[1][:600] == unknown[1].split("govuk-error-summary", 1)[1][:600]


def test_one_client_cannot_ask_for_many_addresses(world, client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 4
    for n in range(4):
        assert _ask(client, f"person{n}@example.org").status_code == 302
    refused = _ask(client, world.pci.email)
    assert refused.status_code == 429 and "from your network" in refused.content.decode()
    assert mailoutbox == []
    assert _ask(client, world.pci.email, ip="198.51.100.7").status_code == 302
    assert len(mailoutbox) == 1


def test_the_limit_lifts_after_the_window(world, client, mailoutbox, settings):
    for _ in range(settings.PASSWORD_RESET_PER_ADDRESS):
        _ask(client, world.pci.email)
    assert _ask(client, world.pci.email).status_code == 429
    ThrottledEmail.objects.update(
        requested_at=timezone.now() - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES + 1))
    assert _ask(client, world.pci.email).status_code == 302


# --- invitations: per address (with resets) and per sender ------------------------------------

def test_invitations_to_one_address_stop_at_the_limit_naming_it(world, as_user, mailoutbox, settings):
    client = as_user(world.manager)
    limit = settings.PASSWORD_RESET_PER_ADDRESS
    for _ in range(limit):
        client.post(reverse("partners:person_invite", args=[world.pci.pk]))
    assert len(mailoutbox) == limit
    page = client.post(reverse("partners:person_invite", args=[world.pci.pk]), follow=True).content.decode()
    assert f"sent to this address {limit} times in the last 1 hour, the limit for one address" in page
    assert len(mailoutbox) == limit
    # Another manager cannot go round it: the count is the address's, not the sender's.
    other = services.person_create(actor=None, partnership=world.partnership, email="second@partnership.example",
                                   full_name="Sam Second", role=Role.BUSINESS_MANAGER, invite=False)
    with pytest.raises(DomainError, match="the limit for one address"):
        services.person_send_invitation(actor=other, person=world.pci)


def test_resets_and_invitations_share_the_address_count_in_every_spelling(world, client, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    services.person_send_invitation(actor=world.manager, person=world.pci)
    assert _ask(client, world.pci.email.upper()).status_code == 302
    assert _ask(client, world.pci.email).status_code == 429
    with pytest.raises(DomainError, match="the limit for one address"):
        services.person_send_invitation(actor=world.manager, person=world.pci)
    assert len(mailoutbox) == 2


def test_one_sender_cannot_send_unlimited_invitations(world, mailoutbox, settings,
                                                       django_capture_on_commit_callbacks):
    settings.INVITATIONS_PER_SENDER = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.person_send_invitation(actor=world.manager, person=world.pci)
        services.person_send_invitation(actor=world.manager, person=world.designated)
        services.person_create(actor=world.manager, partnership=world.partnership, email="new@icb.example",
                               full_name="New Person", role=Role.PCI_MEMBER)
    assert len(mailoutbox) == 3
    # Adding a person sends an invitation, so it is refused too, naming the limit; nobody is added.
    with pytest.raises(DomainError, match="You have sent 3 invitation emails in the last 1 hour") as refused:
        services.person_create(actor=world.manager, partnership=world.partnership, email="newer@icb.example",
                               full_name="Newer Person", role=Role.PCI_MEMBER)
    assert refused.value.field == "email"
    assert not services.User.objects.filter(email="newer@icb.example").exists()
    with pytest.raises(DomainError, match="the limit for one person"):
        services.person_send_invitation(actor=world.manager, person=world.submitter_a)
    assert len(mailoutbox) == 3
    # Adding without an invitation is not an email, so it is not counted.
    services.person_create(actor=world.manager, partnership=world.partnership, email="quiet@icb.example",
                           full_name="Quiet Person", role=Role.PCI_MEMBER, password="x-Long-Passw0rd")
    # Another sender has their own count.
    with django_capture_on_commit_callbacks(execute=True):
        services.person_send_invitation(actor=world.other_admin, person=world.outsider)
    assert len(mailoutbox) == 4


def test_a_refused_invitation_is_not_counted(world, settings):
    """A person_create that fails after counting rolls back its count with it."""
    settings.INVITATIONS_PER_SENDER = 1
    with pytest.raises(DomainError):
        services.person_create(actor=world.manager, partnership=world.partnership, email=world.pci.email,
                               full_name="Duplicate", role=Role.PCI_MEMBER)
    services.person_send_invitation(actor=world.manager, person=world.designated)


# --- immediate notifications: per recipient, the rest wait for the digest ----------------------

def test_immediate_notifications_to_one_person_stop_at_the_limit_and_go_in_the_digest(world, settings):
    settings.NOTIFICATION_EMAILS_PER_ADDRESS = 2
    notes = [notifications.notify(recipients=[world.submitter_a], occasion=f"test:{n}", kind="test",
                                  subject=f"Event {n}")[0] for n in range(4)]
    from django.core import mail
    mail.outbox.clear()
    sent = [notifications.send_notification(note.pk) for note in notes]
    assert sent == [True, True, False, False]
    assert len(mail.outbox) == 2
    # The two held back are still unsent, and the digest takes them once the grace has passed.
    held = Notification.objects.filter(emailed_at__isnull=True)
    assert {n.subject for n in held} == {"Event 2", "Event 3"}
    held.update(created_at=timezone.now() - notifications.IMMEDIATE_GRACE - dt.timedelta(minutes=1))
    assert notifications.send_digests() == 1
    assert "Event 2" in mail.outbox[-1].body and "Event 3" in mail.outbox[-1].body


def test_an_operator_starting_partnerships_is_a_sender_with_a_limit(db, mailoutbox, settings,
                                                                      django_capture_on_commit_callbacks):
    """The first manager's invitation counts against the operator who starts the partnership, so
    the page cannot be used to mail any number of addresses; a refusal creates no partnership."""
    from partners.models import Partnership, User

    settings.INVITATIONS_PER_SENDER = 1
    operator = User.objects.create_superuser("root@platform.example", "x", full_name="Platform Root")
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_start(actor=operator, name="Westshire SCP", manager_email="bm@westshire.example")
    assert len(mailoutbox) == 1
    with pytest.raises(DomainError, match="You have sent 1 invitation emails in the last 1 hour"):
        services.partnership_start(actor=operator, name="Eastshire SCP", manager_email="bm@eastshire.example")
    assert not Partnership.objects.filter(name="Eastshire SCP").exists()
    # The command (no person sending) counts per address only.
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_start(actor=None, name="Northshire SCP", manager_email="bm@northshire.example")
    assert len(mailoutbox) == 2
