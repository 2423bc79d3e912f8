from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .models import AuditEvent


def audit_events(*, partnership_id: int, action: str = "", object_type: str = "", actor: str = "",
                 person: str = "", q: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None) -> QuerySet[AuditEvent]:
    """The partnership's audit events, newest first, filtered by what happened (``action``), the
    kind of record, the person (``person``: a user id, or ``actor``: part of an email), the record's
    name or id (``q``) and the day range. The actor comes with each event (select_related)."""
    qs = AuditEvent.objects.filter(partnership_id=partnership_id).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if person and str(person).isdigit():
        qs = qs.filter(actor_id=int(person))
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(object_id=q.strip()))
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-occurred_at", "-id")


def audit_filter_choices(*, partnership_id: int) -> dict:
    """What the filters offer: the action codes and kinds of record in the log, and the people
    who appear in it (id, name) (3 queries)."""
    from django.contrib.auth import get_user_model

    qs = AuditEvent.objects.filter(partnership_id=partnership_id)
    actor_ids = qs.exclude(actor__isnull=True).order_by().values("actor_id").distinct()
    return {
        "actions": list(qs.order_by("action").values_list("action", flat=True).distinct()),
        "object_types": list(qs.order_by("object_type").values_list("object_type", flat=True).distinct()),
        "people": list(get_user_model().objects.filter(pk__in=actor_ids).order_by("full_name")
                       .values_list("pk", "full_name")),
    }


def history_for(obj) -> QuerySet[AuditEvent]:
    """Every event about one object, newest first: the history panel on detail pages."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "-occurred_at", "-id")
