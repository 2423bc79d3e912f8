"""The Django admin, for platform operators only, with every change written to the audit log.

Issue 11.1: the admin is not scoped to a partnership, so nobody who belongs to one may open it.
Platform operators are people with ``is_staff``/``is_superuser`` and no partnership, created by
``createsuperuser`` (or the demo); no partnership role makes anyone an operator (a database
constraint on ``partners.User`` holds that). Everyone else who is signed in gets 404 from every
admin URL: the admin might as well not exist for them.

Every admin page that changes data calls ``ModelAdmin.log_addition``/``log_change``/
``log_deletions``; ``OperatorAdminSite.register`` puts ``AuditedAdminMixin`` in front of every
registered ``ModelAdmin`` (the portal's and third-party apps' alike), so each of those calls also
writes an ``AuditEvent``: one place, no admin class can forget it.
"""

from __future__ import annotations

import json
from functools import update_wrapper
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url


def _message_text(message) -> object:
    """The admin's change message (a JSON list, or a plain string) as JSON-ready data."""
    if isinstance(message, str):
        try:
            return json.loads(message) if message.startswith("[") else message
        except ValueError:
            return message
    return message


def _audit(request, kind: str, obj, message=None) -> None:
    from .audit import audit_record

    action = {"added": "admin.added", "changed": "admin.changed", "deleted": "admin.deleted"}[kind]
    audit_record(actor=request.user, action=action, obj=obj,
                 data={"via": "django-admin", "message": _message_text(message or "")})


class AuditedAdminMixin:
    """Writes an ``AuditEvent`` (``admin.added``/``admin.changed``/``admin.deleted``) beside the
    admin's own ``LogEntry`` for every change made through the Django admin."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        _audit(request, "added", obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        _audit(request, "changed", obj, message)
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        for obj in objects:
            _audit(request, "deleted", obj)
        return super().log_deletions(request, queryset)


def is_platform_operator(user) -> bool:
    """Whether ``user`` may use the Django admin: an active operator whose second factor is
    verified in this session (django-otp's ``is_verified``, set by ``OTPMiddleware``)."""
    if not (user.is_authenticated and user.is_active and getattr(user, "is_operator", False)):
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else True


class OperatorAdminSite(admin.AdminSite):
    """The admin site: platform operators only; 404 for anyone else signed in (issue 11.1)."""

    site_header = "Safeguarding portal: platform operators"
    site_title = "Platform operators"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(admin_class.__name__, (AuditedAdminMixin, admin_class),
                               {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        return is_platform_operator(request.user)

    def _refuse_members(self, request) -> None:
        if request.user.is_authenticated and not self.has_permission(request) \
                and not getattr(request.user, "is_operator", False):
            raise Http404("No such page.")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapped(request, *args, **kwargs):
            self._refuse_members(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapped, view)

    def login(self, request, extra_context=None):
        """Operators sign in through the portal's own sign-in, which asks for the second factor."""
        self._refuse_members(request)
        next_url = request.GET.get("next") or resolve_url("admin:index")
        return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
