"""The forgotten-password page, throttled per address and per client (issue 11.5)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..email_throttle import RESET, client_ip, email_refusal


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page; a request over a limit is refused with the reason beside the field
    (429), whether or not the address has an account, and nothing is sent."""

    def form_valid(self, form):
        refusal = email_refusal(kind=RESET, email=form.cleaned_data["email"], ip=client_ip(self.request))
        if refusal:
            form.add_error("email", refusal)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class ActivePasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's set-a-password page, for resets and invitations alike, for people who are
    switched on only.

    Django's token changes with the password, the last sign-in and the email address, not when an
    account is switched off, so a link sent before a person left still set their password. Here a
    switched-off person's link is treated like a used one ("the link is no longer valid"), whether
    they were switched off before the link was opened or between opening it and sending the new
    password (``get_user`` runs on both requests)."""

    def get_user(self, uidb64):
        """The link's person if they may still sign in (``is_active``), else None (invalid link)."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
