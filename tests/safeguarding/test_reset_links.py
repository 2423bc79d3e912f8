"""Password links (resets and invitations, one machinery: Django's token on the person) work once,
for the person they were sent to, while that person is switched on.

Django's token changes when the password, the last sign-in or the email address changes, but not
when an account is switched off: a link sent before a person left (an invitation, a reset) still
set their password afterwards. ``safeguarding.views.password_reset.ActivePasswordResetConfirmView``
treats a switched-off person's link like a used one.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partners.models import User

NEW = "a-brand-new-passphrase-2026"


def _link(person) -> str:
    return reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                                                     "token": default_token_generator.make_token(person)})


def _set(client, link: str):
    """Open the link as the email's reader does (Django swaps the token for a session marker and
    redirects), then send the new password. Returns the final page."""
    page = client.get(link, follow=True)
    if b"new_password1" not in page.content:
        return page
    return client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)


def _invalid(page) -> bool:
    return b"new_password1" not in page.content


def test_a_link_sets_the_password_once(world, client):
    link = _link(world.submitter_b)
    _set(client, link)
    world.submitter_b.refresh_from_db()
    assert world.submitter_b.check_password(NEW)
    assert _invalid(client.get(link, follow=True)), "a used link still offers the form"


def test_a_link_sent_before_the_person_was_switched_off_no_longer_works(world, client):
    link = _link(world.submitter_b)
    User.objects.filter(pk=world.submitter_b.pk).update(is_active=False)
    page = _set(client, link)
    assert _invalid(page)
    world.submitter_b.refresh_from_db()
    assert not world.submitter_b.check_password(NEW)


def test_a_link_switched_off_between_opening_it_and_sending_the_password_saves_nothing(world, client):
    page = client.get(_link(world.submitter_b), follow=True)
    assert b"new_password1" in page.content
    User.objects.filter(pk=world.submitter_b.pk).update(is_active=False)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    world.submitter_b.refresh_from_db()
    assert not world.submitter_b.check_password(NEW)


def test_a_link_is_only_its_persons_and_dies_with_a_new_email_address(world, client):
    token = default_token_generator.make_token(world.submitter_b)
    other = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(world.submitter_a.pk)), "token": token})
    assert _invalid(_set(client, other))
    link = _link(world.submitter_b)
    User.objects.filter(pk=world.submitter_b.pk).update(email="moved@council.example")
    assert _invalid(_set(client, link))
    for person in (world.submitter_a, world.submitter_b):
        person.refresh_from_db()
        assert not person.check_password(NEW)
