"""Two-step sign-in (issue 11.6): time-based one-time codes (TOTP, RFC 6238) with django-otp.

Who needs it: business managers, administrators and platform operators must use a second
factor; anyone else may set one up, and is then asked for it too. A person's factors are
django-otp devices: one confirmed ``TOTPDevice`` (an authenticator app) and one ``StaticDevice``
holding ten one-time recovery codes, each deleted when used.

Where the rules are enforced:
- ``safeguarding.views.two_step``: the sign-in asks for the code before ``login()`` is called, so
  a password alone never makes a session, and django-axes counts a wrong code as a failed sign-in
  for the account (``record_code_failure``), locking it at the same limit;
- ``SecondFactorMiddleware``: a session that is signed in but not verified (a role changed
  mid-session, a reset device) reaches only the two-step pages and sign-out;
- ``second_factor_reset``: an administrator's reset (``partners.services``) deletes the devices
  and writes the audit log; the person sets up a new device at their next sign-in.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def requires_second_factor(user) -> bool:
    """Business managers, administrators and platform operators must use a second factor
    (issue 11.6). Reads attributes only: no query."""
    return bool(user.is_authenticated and (user.is_manager or user.is_operator))


def has_app(user) -> bool:
    """Whether ``user`` has a confirmed authenticator app (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(user) -> bool:
    """Whether signing in asks ``user`` for a code: required for their role, or set up by choice."""
    return requires_second_factor(user) or has_app(user)


def is_verified(request) -> bool:
    """Whether this session passed the code step (django-otp's ``OTPMiddleware`` sets it)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def app_device_start(user) -> TOTPDevice:
    """A new, unconfirmed authenticator device for ``user`` (earlier unconfirmed ones are
    dropped). It becomes usable only when ``app_device_confirm`` accepts a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def text_key(device: TOTPDevice) -> str:
    """The device's secret as people type it into an app: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code (segno): no image request,
    no inline style or script, so the Content-Security-Policy holds."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=2, dark="#0b0c0c", light="#ffffff", omitsize=False,
                        title="QR code for your authenticator app")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)


@transaction.atomic
def app_device_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code read from the app. Returns the new recovery codes (shown
    once), or None when the code is wrong. Replaces any earlier app and recovery codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    audit_record(actor=user, action="second_factor.set_up", obj=user, data={"device": APP_DEVICE_NAME})
    return codes


def recovery_codes_issue(*, user) -> list[str]:
    """Ten new one-time recovery codes for ``user`` (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify_code(*, user, token: str):
    """The confirmed device that accepts ``token`` (an app code or a recovery code), or None.
    A recovery code is deleted as it is used; the audit log records it."""
    token = (token or "").strip().replace(" ", "").lower()
    if not token:
        return None
    device = match_token(user, token)
    if isinstance(device, StaticDevice):
        audit_record(actor=user, action="second_factor.recovery_code_used", obj=user,
                     data={"left": device.token_set.count()})
    return device


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def record_code_failure(request, user) -> None:
    """A wrong code counts as a failed sign-in for the account (django-axes, issue 11.6)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def code_step_locked(request, user) -> bool:
    """Whether django-axes has locked the account (by the same key as the password step)."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials={"username": user.email})


def devices_delete(user) -> int:
    """Remove every second-factor device of ``user``; returns how many were removed."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed


# Paths an unverified session may open: the two-step pages, signing out, static files, the
# health check.
OPEN_PREFIXES = ("/account/two-step/", "/account/sign-out/", "/static/", "/healthz", "/favicon")


class SecondFactorMiddleware:
    """Sends a signed-in person who must use a second factor, and has not passed the code step in
    this session, to the code step (or set-up, if they have no device yet). Install after
    django-otp's ``OTPMiddleware``. Costs no query for people who need no second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and requires_second_factor(user) and not is_verified(request)
                and not request.path.startswith(OPEN_PREFIXES)):
            target = reverse("two_step_verify")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)


__all__ = ["DEVICE_ID_SESSION_KEY", "SecondFactorMiddleware"]


DEMO_DEVICE_NAME = "Demo authenticator"


def demo_app_enrol(user) -> TOTPDevice:
    """The demo only (``seed_demo``): give ``user`` a confirmed app whose key follows from the
    address (``safeguarding.demo_totp``), so the printed key stays valid across rebuilds. Idempotent."""
    from .demo_totp import demo_key_hex

    existing = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if existing:
        return existing
    device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=demo_key_hex(user.email),
                                       confirmed=True)
    audit_record(actor=None, action="second_factor.set_up", obj=user, data={"device": DEMO_DEVICE_NAME})
    return device


def current_code(device: TOTPDevice) -> str:
    """The code ``device``'s app shows now (for the demo's ``demo_code`` command)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
