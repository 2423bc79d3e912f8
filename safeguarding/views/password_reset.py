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
