"""Lists of returns that need someone's attention (home panels, the returns page)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from partners.access import agencies_for
from safeguarding.workflow import AWAITING_REVIEW, ReturnStatus

from ..models import Quarter, Return
from .completeness import CompletenessRow, completeness_for
from .returns import returns_for


def open_quarters(partnership_id: int, *, today: dt.date | None = None) -> list[Quarter]:
    """Quarters open for returns and not closed, oldest first (1 query)."""
    today = today or timezone.localdate()
    return list(Quarter.objects.filter(partnership_id=partnership_id, opens_on__lte=today,
                                       closed_at__isnull=True).order_by("year_start", "number"))


def my_returns_due(user, *, today: dt.date | None = None) -> list[CompletenessRow]:
    """Returns ``user`` must still submit or answer, for the agencies they act for, in open
    quarters: not started, draft or queried (5 queries). Each row has ``quarter`` set."""
    if not user.is_authenticated or user.partnership_id is None:
        return []
    today = today or timezone.localdate()
    quarters = open_quarters(user.partnership_id, today=today)
    rows = []
    for result in completeness_for(quarters, today=today, agencies=agencies_for(user)):
        for row in result.rows:
            if row.status in ("not_started", ReturnStatus.DRAFT, ReturnStatus.QUERIED):
                row.quarter = result.quarter
                rows.append(row)
    return rows


def my_queried_returns(user) -> QuerySet[Return]:
    """Queried returns of the agencies ``user`` acts for, waiting for their answer."""
    return Return.objects.filter(agency__in=agencies_for(user), status=ReturnStatus.QUERIED).select_related(
        "agency", "quarter").order_by("quarter__year_start", "quarter__number", "agency__name")


def returns_awaiting_review(user) -> QuerySet[Return]:
    """Submitted or resubmitted returns ``user`` may review (PCI members and managers)."""
    if not (user.is_authenticated and (user.is_pci or user.is_manager)):
        return Return.objects.none()
    return returns_for(user).filter(status__in=list(AWAITING_REVIEW)).order_by(
        "submitted_at", "agency__name")


def returns_list(user, *, quarter: Quarter | None = None, status: str | None = None) -> QuerySet[Return]:
    """The returns page: every return in ``user``'s scope, newest quarter first."""
    qs = returns_for(user)
    if quarter is not None:
        qs = qs.filter(quarter=quarter)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-quarter__year_start", "-quarter__number", "agency__name")
