"""Reviews' tables: the review register and recommendations; actions with their progress,
evidence and sign-off; the PCI impact log (challenges)."""

from .actions import (
    OPEN_STATUSES,
    TO_DO_STATUSES,
    Action,
    ActionStatus,
    ActionStatusChange,
    Evidence,
    ProgressUpdate,
)
from .challenges import Challenge, ChallengeStatus
from .register import (
    TYPE_GROUP_LABELS,
    AddresseeGroup,
    PublicationStatus,
    Recommendation,
    RecommendationGroup,
    Review,
    ReviewStatus,
    ReviewType,
    Theme,
)

__all__ = [
    "OPEN_STATUSES",
    "TO_DO_STATUSES",
    "TYPE_GROUP_LABELS",
    "AddresseeGroup",
    "RecommendationGroup",
    "Action",
    "ActionStatus",
    "ActionStatusChange",
    "Challenge",
    "ChallengeStatus",
    "Evidence",
    "ProgressUpdate",
    "PublicationStatus",
    "Recommendation",
    "Review",
    "ReviewStatus",
    "ReviewType",
    "Theme",
]
