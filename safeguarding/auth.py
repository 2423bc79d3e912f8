"""Signing in: the email-address form and how django-axes recognises the person being tried."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from .email_canonical import CanonicalEmailField, email_key
from .forms import GovukFormMixin


def axes_username(request, credentials: dict | None) -> str:
    """Lock the account, not the spelling (issue 11.2): the lockout key is the address's
    canonical form, the same key the account lookup uses (``User.objects.get_by_natural_key``),
    so ``Ann@X``, ``ａｎｎ@x`` and ``ann@x`` share one counter of failures."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return email_key(value)


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = CanonicalEmailField(label="Email address", max_length=254,
                                widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    error_messages = {
        # One message for a wrong password and an unknown address, so the form does not
        # reveal who has an account.
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive "
                         "except the email address.",
        "inactive": "This account has been switched off. Ask your business manager to switch it on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    email = CanonicalEmailField(label="Email address", max_length=254,
                                widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        """Active people with this address (its canonical form, issue 11.2), including those
        invited who never set a password (Django's default skips them, which would strand anyone
        whose invitation expired)."""
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.filter(email=email_key(email), is_active=True)


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    pass
