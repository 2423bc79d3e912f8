"""Reads of partners' data that are more than a get: each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Agency, AgencyAlias, Subgroup, User


def agency_list(*, partnership_id: int) -> QuerySet[Agency]:
    return (Agency.objects.filter(partnership_id=partnership_id)
            .select_related("parent", "replaced_by")
            .prefetch_related(Prefetch("aliases", queryset=AgencyAlias.objects.order_by("name")))
            .order_by("membership", "name"))


def agency_people(*, agency: Agency) -> QuerySet[User]:
    return agency.people.filter(is_active=True).order_by("full_name")


def subgroup_list(*, partnership_id: int) -> QuerySet[Subgroup]:
    return (Subgroup.objects.filter(partnership_id=partnership_id)
            .select_related("chair", "parent"))


def people_list(*, partnership_id: int) -> QuerySet[User]:
    return (User.objects.filter(partnership_id=partnership_id)
            .prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("name")))
            .order_by("-is_active", "full_name"))


def partnership_summary(*, partnership_id: int) -> dict:
    counts = dict(Agency.objects.filter(partnership_id=partnership_id)
                  .values_list("membership").annotate(n=Count("id")))
    return {"statutory": counts.get(Agency.Membership.STATUTORY_PARTNER, 0),
            "relevant": counts.get(Agency.Membership.RELEVANT_AGENCY, 0)}
