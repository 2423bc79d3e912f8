"""Who is told about actions (issue 16.3), through the shared ``safeguarding.notifications``.

An action's owners are the people who act for its owner agency: the agency's submitters and,
for a health agency, the designated professionals. The partnership's own actions (no owner
agency) are the business manager's.
"""

from __future__ import annotations

from django.urls import reverse

from partners.access import MANAGERS
from partners.models import Role, User
from safeguarding.notifications import notify

from .models import Action, Recommendation


def action_owners(action: Action) -> list[User]:
    """The active people who act for the action's owner (one query)."""
    if action.owner_agency_id is None:
        return list(User.objects.filter(partnership_id=action.partnership_id, is_active=True, role__in=MANAGERS))
    return agency_people(action.owner_agency)


def agency_people(agency) -> list[User]:
    """The active people who act for ``agency``: its submitters and, for a health agency, the
    designated professionals (one query)."""
    people = User.objects.filter(partnership_id=agency.partnership_id, is_active=True)
    if agency.is_health:
        people = people.filter(role__in=(Role.AGENCY_SUBMITTER, Role.DESIGNATED_PROFESSIONAL))
        return [p for p in people.prefetch_related("agencies")
                if p.role == Role.DESIGNATED_PROFESSIONAL or agency in p.agencies.all()]
    return list(people.filter(role=Role.AGENCY_SUBMITTER, agencies=agency))


def notify_recommendation_addressed(*, recommendation: Recommendation, actions: list[Action]) -> None:
    """Tell each draft action's owners that a recommendation is addressed to them, with its text."""
    rec = recommendation
    for action in actions:
        notify(recipients=action_owners(action), occasion=f"recommendation.addressed:action-{action.pk}",
               kind="recommendation.addressed",
               subject=f"A recommendation for {action.owner_label}: {rec.review.title}, {rec.number}",
               body=f"{rec.text}\n\nA draft action is waiting for its lead and due date.",
               url=reverse("reviews:action_detail", args=[action.pk]), partnership_id=action.partnership_id)


def notify_action_decided(*, action: Action, event: str, text: str, audit_id: int) -> None:
    """Tell the owners that their action was assured (``event`` "assured", with the comment) or
    returned to them (``event`` "returned", with what is missing). The decision's audit event
    (``audit_id``) names the occasion, so each decision notifies each person once."""
    words = {"assured": ("Action assured", "What the evidence shows: "),
             "returned": ("Action returned to you", "What is missing: ")}[event]
    notify(recipients=action_owners(action), occasion=f"action.{event}:action-{action.pk}:audit-{audit_id}",
           kind=f"action.{event}", subject=f"{words[0]}: {action.source_label}",
           body=f"{words[1]}{text}", url=reverse("reviews:action_detail", args=[action.pk]),
           partnership_id=action.partnership_id)


def notify_challenge_raised(*, challenge) -> None:
    """Tell the challenged agency's people that PCI has raised a challenge, with the issue and
    the evidence asked for (issue 16, "the agency is notified and answers")."""
    body = challenge.issue
    if challenge.evidence_requested:
        body += f"\n\nEvidence asked for: {challenge.evidence_requested}"
    if challenge.response_due_on:
        body += f"\n\nPlease answer by {challenge.response_due_on:%-d %B %Y}."
    notify(recipients=agency_people(challenge.agency), occasion=f"challenge.raised:challenge-{challenge.pk}",
           kind="challenge.raised", subject=f"PCI challenge {challenge.reference} for {challenge.agency.name}",
           body=body, url=reverse("reviews:challenge_detail", args=[challenge.pk]),
           partnership_id=challenge.partnership_id)
