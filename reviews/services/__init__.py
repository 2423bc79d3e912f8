"""Every change to reviews, recommendations, actions and challenges goes through these functions."""

from .actions import (
    action_assure,
    action_create,
    action_post_progress,
    action_return,
    action_set_status,
    action_update,
)
from .challenges import challenge_decide, challenge_raise, challenge_respond
from .drafts import draft_actions_create
from .evidence import EVIDENCE_TYPES, evidence_add
from .register import (
    recommendation_create,
    recommendations_import,
    review_create,
    review_update,
    themes_from_names,
)

__all__ = [
    "EVIDENCE_TYPES",
    "action_assure",
    "action_create",
    "action_post_progress",
    "action_return",
    "draft_actions_create",
    "action_set_status",
    "action_update",
    "challenge_decide",
    "challenge_raise",
    "challenge_respond",
    "evidence_add",
    "recommendation_create",
    "recommendations_import",
    "review_create",
    "review_update",
    "themes_from_names",
]
