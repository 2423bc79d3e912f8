"""Issue 11.5: password reset sent any number of emails. Now throttled per address (its canonical
form) and per client, with a clear message that does not say whether the address has an account."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.models import PasswordResetRequest

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
    PasswordResetRequest.objects.update(
        requested_at=timezone.now() - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES + 1))
    assert _ask(client, world.pci.email).status_code == 302
