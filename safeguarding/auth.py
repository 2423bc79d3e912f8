"""Signing in: the email-address form and how django-axes recognises the person being tried."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from .forms import GovukFormMixin


def axes_username(request, credentials: dict | None) -> str:
    """Lock the account, not the spelling: ``Ann@X`` and ``ann@x`` count as one address."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(label="Email address", max_length=254,
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
    def get_users(self, email):
        """Active people with this address, including those invited who never set a password
        (Django's default skips them, which would strand anyone whose invitation expired)."""
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    pass
