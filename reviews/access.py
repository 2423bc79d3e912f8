"""Who may see and do what with reviews, actions and challenges. Every view goes through here.

Reviews are partnership business (titles are pseudonyms): the register is read by the people
who oversee it. Actions and challenges belong to an agency: a submitter reaches only their
agencies', a designated professional the health agencies', PCI and the manager everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partners.access import MANAGERS, READERS, agencies_for, agencies_readable_by
from partners.models import Role, User

from .models import Action, Challenge, Evidence, Review

# Who reads the register and the progress pages.
REVIEW_READERS = (*READERS, Role.DESIGNATED_PROFESSIONAL)
# Who keeps the register.
REGISTER_KEEPERS = MANAGERS
# Who signs actions off and raises challenges.
ASSURERS = (Role.PCI_MEMBER, *MANAGERS)
# Who has actions of their own to update.
ACTION_OWNERS = (Role.AGENCY_SUBMITTER, Role.DESIGNATED_PROFESSIONAL)


def reviews_in_partnership(partnership_id: int) -> QuerySet[Review]:
    """The whole partnership's register, for reading it as a body (the annual report)."""
    return Review.objects.filter(partnership_id=partnership_id)


def actions_in_partnership(partnership_id: int) -> QuerySet[Action]:
    """Every action of the partnership, its own (no owner agency) included."""
    return Action.objects.filter(partnership_id=partnership_id)


def challenges_in_partnership(partnership_id: int) -> QuerySet[Challenge]:
    return Challenge.objects.filter(partnership_id=partnership_id)


def reviews_for(user: User) -> QuerySet[Review]:
    if not user.is_authenticated or user.partnership_id is None or user.role not in REVIEW_READERS:
        return Review.objects.none()
    return reviews_in_partnership(user.partnership_id)


def actions_for(user: User) -> QuerySet[Action]:
    """The actions a person may see: those owned by the agencies they may read, and, for those who
    read everything (PCI, the manager), the partnership's own actions (no owner agency)."""
    if not user.is_authenticated or user.partnership_id is None:
        return Action.objects.none()
    scope = Q(owner_agency__in=agencies_readable_by(user))
    if user.reads_everything:
        scope |= Q(owner_agency__isnull=True, partnership_id=user.partnership_id)
    return Action.objects.filter(scope)


def evidence_for(user: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(action__in=actions_for(user))


def challenges_for(user: User) -> QuerySet[Challenge]:
    if not user.is_authenticated or user.partnership_id is None:
        return Challenge.objects.none()
    return Challenge.objects.filter(partnership_id=user.partnership_id,
                                    agency__in=agencies_readable_by(user))


def may_update_action(user: User, action: Action) -> bool:
    """Post progress, add evidence, change the delivery status: the owner agency, or the manager
    (who also owns the partnership's own actions)."""
    if not user.is_authenticated:
        return False
    if action.owner_agency_id is None:
        return user.is_manager and user.partnership_id == action.partnership_id
    return agencies_for(user).filter(pk=action.owner_agency_id).exists()


def may_assure(user: User, action: Action) -> bool:
    """PCI or the manager, and never for an agency the person themselves submits for. The
    partnership's own actions (owned by the manager) are assured by PCI."""
    if not user.is_authenticated or user.role not in ASSURERS:
        return False
    if action.owner_agency_id is None:
        return user.is_pci and user.partnership_id == action.partnership_id
    return not user.agencies.filter(pk=action.owner_agency_id).exists()


def may_answer_challenge(user: User, challenge: Challenge) -> bool:
    return user.is_authenticated and agencies_for(user).filter(pk=challenge.agency_id).exists()


def may_decide_challenge(user: User) -> bool:
    return user.is_authenticated and user.role in ASSURERS
