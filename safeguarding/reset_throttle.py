"""Password-reset emails are throttled per address and per client (issue 11.5).

Limits (settings, from the environment): ``PASSWORD_RESET_PER_ADDRESS`` requests for one address
and ``PASSWORD_RESET_PER_CLIENT`` from one client IP address, in ``PASSWORD_RESET_WINDOW_MINUTES``.
The per-client limit is the higher one because agencies reach the portal through shared NAT
addresses. The address counts in its canonical form (``email_canonical.email_key``), so
look-alike spellings share one limit, and whether or not it has an account, so the answer never
says which addresses have one. The client IP address is read the way django-axes reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.utils import timezone

from .email_canonical import email_key
from .models import PasswordResetRequest

KEEP = dt.timedelta(days=1)


def _address_hash(email: str) -> str:
    return hashlib.sha256(email_key(email).encode("utf-8")).hexdigest()


def client_ip(request) -> str | None:
    """The client's IP address as django-axes sees it (``AXES_CLIENT_IP_CALLABLE`` or REMOTE_ADDR)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def reset_request_refusal(*, email: str, ip: str | None) -> str | None:
    """The message for a refused request, or None if it may go ahead (and then it is counted).

    Two queries (the two counts) and one insert; old rows are pruned at the same time.
    """
    now = timezone.now()
    since = now - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    window = settings.PASSWORD_RESET_WINDOW_MINUTES
    wait = f"{window} minutes" if window % 60 else f"{window // 60} hour{'s' if window // 60 != 1 else ''}"
    address_hash = _address_hash(email)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if recent.filter(address_hash=address_hash).count() >= settings.PASSWORD_RESET_PER_ADDRESS:
        return (f"A password reset email has been asked for this address {settings.PASSWORD_RESET_PER_ADDRESS} "
                f"times in the last {wait}. Check your inbox and junk folder for the last one, or try again "
                f"after {wait}.")
    if ip and recent.filter(client_ip=ip).count() >= settings.PASSWORD_RESET_PER_CLIENT:
        return (f"Too many password reset emails have been asked for from your network in the last {wait}. "
                f"Try again after {wait}, or ask your business manager to send you a link.")
    PasswordResetRequest.objects.filter(requested_at__lt=now - KEEP).delete()
    PasswordResetRequest.objects.create(address_hash=address_hash, client_ip=ip)
    return None
