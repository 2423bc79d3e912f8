"""Reviews' tables: the review register and recommendations; actions with their progress,
evidence and sign-off; the PCI impact log (challenges)."""

from .actions import OPEN_STATUSES, Action, ActionStatus, ActionStatusChange, Evidence, ProgressUpdate
from .challenges import Challenge, ChallengeStatus
from .register import PublicationStatus, Recommendation, Review, ReviewStatus, ReviewType, Theme

__all__ = [
    "OPEN_STATUSES",
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
