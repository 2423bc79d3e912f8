"""A signed-in person who belongs to no partnership (a platform superuser on a fresh database)
sees one page that says so and offers to create one (issue 12.1), instead of pages that assume
a partnership and answer 500.

This is the one place the rule lives: every page below it may rely on ``user.partnership``.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

# Paths that work without a partnership: signing in and out, passwords and second factors,
# the Django admin, static files, the health check, and the no-partnership page itself.
EXEMPT_PREFIXES = ("/account/", "/django-admin/", "/static/", "/healthz", "/favicon")


class PartnershipRequiredMiddleware:
    """Send a signed-in person with no partnership to ``partners:partnership_start`` (302)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.partnership_id is None:
            start = reverse("partners:partnership_start")
            if request.path != start and not request.path.startswith(EXEMPT_PREFIXES):
                return redirect(start)
        return self.get_response(request)
