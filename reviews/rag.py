"""Red, amber, green for an action, from its status and dates alone (a pure function)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# How close a due date must be for an open action to turn amber.
DUE_SOON_DAYS = 14

RAG_LABELS = {
    "red": "Red: overdue or not achieved",
    "amber": "Amber: at risk",
    "green": "Green: on track",
    "blue": "Complete: assured",
    "grey": "Superseded",
}
RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green",
            "blue": "govuk-tag--blue", "grey": "govuk-tag--grey"}


def is_overdue(*, status: str, due_on: dt.date | None, today: dt.date) -> bool:
    return status in ("not_started", "in_progress") and due_on is not None and due_on < today


def action_rag(*, status: str, start_on: dt.date | None, due_on: dt.date | None,
               today: dt.date | None = None) -> str:
    """The action's colour: "red", "amber", "green", "blue" (assured) or "grey" (superseded).

    A draft (made from a recommendation, no lead or due date yet) is amber: the agency has not
    yet planned it (issue 16.4)."""
    today = today or timezone.localdate()
    if status == "assured":
        return "blue"
    if status == "superseded":
        return "grey"
    if status == "draft" or due_on is None:
        return "amber"
    if status == "not_achieved" or is_overdue(status=status, due_on=due_on, today=today):
        return "red"
    if status == "completed":
        # Delivered and waiting for PCI to see the evidence: on track, not yet closed.
        return "green"
    if (due_on - today).days <= DUE_SOON_DAYS:
        return "amber"
    if status == "not_started" and start_on is not None and start_on < today:
        return "amber"
    return "green"
