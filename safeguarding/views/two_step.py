"""Sign-in with a second step (issue 11.6): password, then a code from an authenticator app or a
recovery code; and the page that sets the app up (QR code, text key, recovery codes).

The password step does not sign anyone in who needs a code: it remembers, in the session, who
passed it (for ``PENDING_MINUTES``), and ``login()`` happens only when the code is right. So
django-axes' reset-on-success never wipes the count of wrong codes, and a wrong code counts as a
failed sign-in for the account.
"""

from __future__ import annotations

import time

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import two_factor
from ..auth import SignInForm
from ..forms import GovukForm

PENDING = "two_step_pending"
SETUP_DEVICE = "two_step_setup_device"
PENDING_MINUTES = 10


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code", max_length=40,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                      "autocapitalize": "none", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code."},
    )


class SignInView(auth_views.LoginView):
    """The password step. People who need a code are sent to it instead of being signed in."""

    authentication_form = SignInForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.needs_code(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                         "at": time.time(), "next": self.get_success_url()}
        return redirect("two_step_verify")


def _subject(request):
    """The person being verified: the one who just passed the password step (not yet signed in),
    or the signed-in person whose session is not verified. None when there is neither."""
    if request.user.is_authenticated:
        return request.user, False
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_MINUTES * 60:
        request.session.pop(PENDING, None)
        return None, False
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None, False
    user.backend = pending["backend"]
    return user, True


def _next_url(request, fallback: str = "/") -> str:
    pending = request.session.get(PENDING) or {}
    candidate = request.GET.get("next") or request.POST.get("next") or pending.get("next") or fallback
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return fallback


def _finish(request, user, device, pending: bool) -> str:
    """Sign in (if only the password step was passed) and mark the session verified by
    ``device``. Returns where to go next."""
    next_url = _next_url(request)
    if pending:
        request.session.pop(PENDING, None)
        login(request, user, backend=user.backend)
    otp_login(request, device)
    return next_url


def _locked(request):
    request.session.pop(PENDING, None)
    return render(request, "registration/locked_out.html", status=429)


@sensitive_post_parameters("code")
@never_cache
def two_step_verify(request):
    """The code step: a code from the app or a recovery code (used once)."""
    user, pending = _subject(request)
    if user is None:
        messages.info(request, "Sign in with your email address and password first.")
        return redirect("login")
    if not pending and (two_factor.is_verified(request) or not two_factor.needs_code(user)):
        return redirect(_next_url(request))
    if not two_factor.has_app(user):
        return redirect("two_step_setup")
    if two_factor.code_step_locked(request, user):
        return _locked(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user=user, token=form.cleaned_data["code"])
        if device is not None:
            next_url = _finish(request, user, device, pending)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(request, f"You used a recovery code. You have {left} left. If you have lost "
                                          "your phone, ask an administrator to reset your two-step sign-in.")
            return redirect(next_url)
        two_factor.record_code_failure(request, user)
        if two_factor.code_step_locked(request, user):
            return _locked(request)
        form.add_error("code", "That code is not right. Enter the code your app shows now (it changes every "
                               "30 seconds), or a recovery code.")
    return render(request, "registration/two_step_verify.html", {"form": form, "person": user})


@sensitive_post_parameters("code")
@never_cache
def two_step_setup(request):
    """Set up an authenticator app: QR code and text key, a code to confirm, then recovery codes.
    Required for managers, administrators and operators; anyone signed in may choose it."""
    user, pending = _subject(request)
    if user is None:
        return redirect("login")
    if two_factor.has_app(user):
        if pending or not two_factor.is_verified(request):
            return redirect("two_step_verify")
        return render(request, "registration/two_step_setup_done.html",
                      {"codes_left": two_factor.recovery_codes_left(user)})
    device = TOTPDevice.objects.filter(pk=request.session.get(SETUP_DEVICE), user=user, confirmed=False).first()
    if device is None:
        device = two_factor.app_device_start(user)
        request.session[SETUP_DEVICE] = device.pk
    if two_factor.code_step_locked(request, user):
        return _locked(request)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows now."
    if request.method == "POST" and form.is_valid():
        codes = two_factor.app_device_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(SETUP_DEVICE, None)
            device.refresh_from_db()
            next_url = _finish(request, user, device, pending)
            return render(request, "registration/two_step_codes.html", {"codes": codes, "next_url": next_url})
        two_factor.record_code_failure(request, user)
        if two_factor.code_step_locked(request, user):
            return _locked(request)
        form.add_error("code", "That code is not right. Check that the app shows this portal's account, then "
                               "enter the code it shows now.")
    return render(request, "registration/two_step_setup.html", {
        "form": form, "qr_svg": two_factor.qr_svg(device), "text_key": two_factor.text_key(device),
        "required": two_factor.requires_second_factor(user), "pending": pending,
    })
