"""Who may reach which training return. Views reach returns only through ``training_returns_for``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partners.access import agencies_for
from safeguarding.workflow import ReturnStatus

from .models import TrainingReturn


def training_returns_for(user) -> QuerySet[TrainingReturn]:
    """The training returns a person may open.

    Submitters: their own agencies' returns, drafts included. Designated professionals: every
    health agency's. PCI members and business managers: every return of the partnership that has
    been submitted (a draft is the agency's own business until it is sent), and the business
    manager, who acts for every agency, drafts too. Anything else answers 404.
    """
    if not user.is_authenticated or user.partnership_id is None:
        return TrainingReturn.objects.none()
    scope = Q(agency__in=agencies_for(user))
    if user.reads_everything:
        scope |= Q(agency__partnership_id=user.partnership_id) & ~Q(status=ReturnStatus.DRAFT)
    return TrainingReturn.objects.filter(scope)


def can_manage_training(user) -> bool:
    return user.is_authenticated and user.is_manager and user.partnership_id is not None
