from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(*, partnership_id: int, action: str = "", object_type: str = "", actor: str = "",
                 date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(partnership_id=partnership_id)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-occurred_at", "-id")


def audit_filter_choices(*, partnership_id: int) -> dict:
    qs = AuditEvent.objects.filter(partnership_id=partnership_id)
    return {
        "actions": list(qs.order_by("action").values_list("action", flat=True).distinct()),
        "object_types": list(qs.order_by("object_type").values_list("object_type", flat=True).distinct()),
    }


def history_for(obj) -> QuerySet[AuditEvent]:
    """Every event about one object, newest first: the history panel on detail pages."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "-occurred_at", "-id")
