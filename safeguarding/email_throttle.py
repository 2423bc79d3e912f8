"""Emails that people can make the portal send are throttled, in one place (issues 11.5 and its
siblings): password resets, invitations (a manager's "send the set-password email", a person
added by hand, by the people upload or by ``create_partnership``), and immediate notifications.

One table (``ThrottledEmail``) counts what was sent in the window; one function,
``email_refusal``, says whether one more may go, and counts it when it may. The counts:

- **per recipient address**, in its canonical form (``email_canonical.email_key``, so look-alike
  spellings share one count) and hashed, whether or not it has an account: password-link emails
  (resets and invitations count together, since both carry a link that sets the password), at
  most ``PASSWORD_RESET_PER_ADDRESS`` in the window; immediate notifications at most
  ``NOTIFICATION_EMAILS_PER_ADDRESS`` (the rest wait for the day's digest, nothing is lost);
- **per sender**: invitations sent by one person, at most ``INVITATIONS_PER_SENDER`` (a people
  upload of a whole partnership fits; a script looping on the invite button does not);
- **per client** IP address: password resets asked for from one address, at most
  ``PASSWORD_RESET_PER_CLIENT`` (higher, because agencies sit behind shared NAT addresses). It is
  read the way django-axes, the sign-in lockout, reads it.

All in ``PASSWORD_RESET_WINDOW_MINUTES`` (settings, from the environment). The sign-in lockout
itself stays django-axes: it counts failures to lock an account, which is not this job (counting
successes to cap a volume); both use the same canonical address and the same client IP.
A refused invitation is a ``DomainError`` from the service, a refused reset a 429 page.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.utils import timezone

from .email_canonical import email_key
from .formatting import limit_text
from .models import ThrottledEmail

KEEP = dt.timedelta(days=1)
RESET = "password_reset"
INVITATION = "invitation"
NOTIFICATION = "notification"
PASSWORD_LINKS = (RESET, INVITATION)


def _address_hash(email: str) -> str:
    return hashlib.sha256(email_key(email).encode("utf-8")).hexdigest()


def client_ip(request) -> str | None:
    """The client's IP address as django-axes sees it (``AXES_CLIENT_IP_CALLABLE`` or REMOTE_ADDR)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def window_text() -> str:
    """The throttle window in words: "1 hour", "2 hours", "45 minutes"."""
    window = settings.PASSWORD_RESET_WINDOW_MINUTES
    if window % 60:
        return f"{window} minutes"
    hours = window // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{limit_text(n)} times"


def email_refusal(*, kind: str, email: str, sender_id: int | None = None, ip: str | None = None) -> str | None:
    """The message refusing one more email of ``kind`` (``RESET``, ``INVITATION`` or
    ``NOTIFICATION``) to ``email``, or None if it may go, and then it is counted (one row).

    ``sender_id`` is the person who makes it go (invitations; None for the system), ``ip`` the
    client asking (resets). Each message names the limit and the window. At most three counts
    (queries) and one insert; rows older than a day are pruned at the same time.
    """
    now = timezone.now()
    since = now - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    wait = window_text()
    address_hash = _address_hash(email)
    recent = ThrottledEmail.objects.filter(requested_at__gte=since)
    if kind == NOTIFICATION:
        limit = settings.NOTIFICATION_EMAILS_PER_ADDRESS
        if recent.filter(kind=kind, address_hash=address_hash).count() >= limit:
            return (f"{_times(limit).capitalize()} in the last {wait} is the limit of immediate emails to one "
                    "person: this one goes in their next digest.")
    else:
        limit = settings.PASSWORD_RESET_PER_ADDRESS
        if recent.filter(kind__in=PASSWORD_LINKS, address_hash=address_hash).count() >= limit:
            if kind == RESET:
                return (f"A password reset email has been asked for this address {_times(limit)} in the last "
                        f"{wait}, the limit. Check your inbox and junk folder for the last one, or try again "
                        f"after {wait}.")
            return (f"An email to set a password has been sent to this address {_times(limit)} in the last "
                    f"{wait}, the limit for one address. Ask the person to check their inbox and junk folder, "
                    f"or send it again after {wait}.")
    if kind == INVITATION and sender_id is not None:
        limit = settings.INVITATIONS_PER_SENDER
        if recent.filter(kind=kind, sender_id=sender_id).count() >= limit:
            return (f"You have sent {limit_text(limit)} invitation emails in the last {wait}, the limit for "
                    f"one person. Send the rest after {wait}.")
    if kind == RESET and ip:
        limit = settings.PASSWORD_RESET_PER_CLIENT
        if recent.filter(kind=kind, client_ip=ip).count() >= limit:
            return (f"Too many password reset emails have been asked for from your network in the last {wait} "
                    f"(the limit is {limit_text(limit)}). Try again after {wait}, or ask your business manager "
                    "to send you a link.")
    ThrottledEmail.objects.filter(requested_at__lt=now - KEEP).delete()
    ThrottledEmail.objects.create(kind=kind, address_hash=address_hash, client_ip=ip, sender_id=sender_id)
    return None
