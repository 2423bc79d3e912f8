"""The reviews panels on the home page, one per kind of person."""

from __future__ import annotations

from django.utils import timezone

from partners.access import agencies_in_partnership

from . import selectors
from .access import actions_for, challenges_for


def my_actions_panel(user) -> dict | None:
    """Overdue and due-soon actions, and the draft actions waiting for a lead and due date."""
    actions = selectors.due_soon_or_overdue(actions=actions_for(user))
    today = timezone.localdate()
    return {"overdue": [a for a in actions if a.due_on < today], "due_soon": [a for a in actions if a.due_on >= today],
            "drafts": selectors.draft_actions(actions=actions_for(user))}


def assurance_panel(user) -> dict | None:
    return {"awaiting": selectors.actions_awaiting_assurance(actions=actions_for(user)),
            "challenges": selectors.open_challenges(challenges=challenges_for(user))}


def partnership_overdue_panel(user) -> dict | None:
    # agencies_in_partnership is empty for a person with no partnership (was a FieldError: issue 12.1).
    rows = [r for r in selectors.overdue_by_agency(actions=actions_for(user), agencies=agencies_in_partnership(user))
            if r["overdue"]]
    return {"rows": rows, "total": sum(r["overdue"] for r in rows)}
