"""The impact log: PCI raises a challenge, the agency answers in the portal, PCI decides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partners.lifecycle import require_active
from partners.models import Agency, Subgroup, User
from safeguarding.audit import audit_record, snapshot
from safeguarding.errors import DomainError, NotAllowed, full_clean_or_refuse
from safeguarding.periods import FinancialQuarter

from ..access import may_answer_challenge, may_decide_challenge
from ..models import Challenge, ChallengeStatus
from ..notify import notify_challenge_raised

CHALLENGE_FIELDS = ("raised_on", "forum", "agency", "issue", "indicator_code", "quarter_label",
                    "return_reference", "evidence_requested", "response_due_on", "status")
# Where a decision may lead from each state.
DECISIONS = {
    ChallengeStatus.RESPONDED: (ChallengeStatus.CLOSED, ChallengeStatus.ESCALATED, ChallengeStatus.OPEN),
    ChallengeStatus.ESCALATED: (ChallengeStatus.CLOSED, ChallengeStatus.OPEN),
    ChallengeStatus.OPEN: (ChallengeStatus.ESCALATED, ChallengeStatus.CLOSED),
}


@transaction.atomic
def challenge_raise(*, actor: User, agency: Agency, issue: str, raised_on: dt.date | None = None,
                    forum: Subgroup | None = None, indicator_code: str = "", quarter_label: str = "",
                    return_reference: str = "", evidence_requested: str = "",
                    response_due_on: dt.date | None = None) -> Challenge:
    if not may_decide_challenge(actor):
        raise NotAllowed("Only PCI members and the business manager raise challenges.")
    partnership = actor.partnership
    if agency.partnership_id != actor.partnership_id:
        raise DomainError("That agency belongs to another partnership.", field="agency")
    if forum is not None and forum.partnership_id != actor.partnership_id:
        raise DomainError("That forum belongs to another partnership.", field="forum")
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        raise DomainError("The date raised cannot be after today.", field="raised_on")
    # Active dates decide everywhere who can be given work (partners.lifecycle): a closed agency
    # (the CCG the ICB replaced) has nobody to answer a challenge raised after it closed.
    require_active(agency, raised_on, what=f"a challenge raised on {raised_on:%-d %B %Y}", field="agency")
    if quarter_label:
        try:
            quarter_label = FinancialQuarter.parse(quarter_label).label
        except ValueError as exc:
            raise DomainError(str(exc), field="quarter_label")
    if not issue.strip():
        raise DomainError("Describe the issue the agency is asked about.", field="issue")
    if response_due_on and response_due_on < raised_on:
        raise DomainError("The response date must be on or after the date the challenge is raised.",
                          field="response_due_on")
    challenge = Challenge(partnership=partnership, raised_on=raised_on, raised_by=actor, forum=forum, agency=agency,
                          issue=issue.strip(), indicator_code=indicator_code.strip().upper()[:40],
                          quarter_label=quarter_label, return_reference=return_reference.strip(),
                          evidence_requested=evidence_requested.strip(), response_due_on=response_due_on)
    full_clean_or_refuse(challenge)
    challenge.save()
    audit_record(actor=actor, action="challenge.raised", obj=challenge, after=snapshot(challenge, CHALLENGE_FIELDS))
    notify_challenge_raised(challenge=challenge)
    return challenge


@transaction.atomic
def challenge_respond(*, actor: User, challenge: Challenge, response: str, on: dt.date | None = None) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not may_answer_challenge(actor, challenge):
        raise NotAllowed("Only the agency the challenge is addressed to can answer it.")
    if challenge.status != ChallengeStatus.OPEN:
        raise DomainError("This challenge is not waiting for an answer.")
    if not response.strip():
        raise DomainError("Enter the agency's answer.", field="response")
    challenge.response = response.strip()
    challenge.responded_on = on or timezone.localdate()
    challenge.responded_by = actor
    challenge.status = ChallengeStatus.RESPONDED
    full_clean_or_refuse(challenge)
    challenge.save()
    audit_record(actor=actor, action="challenge.responded", obj=challenge,
                 data={"response": challenge.response[:1000]})
    return challenge


@transaction.atomic
def challenge_decide(*, actor: User, challenge: Challenge, status: str, outcome: str) -> Challenge:
    """Close (assured), escalate, or send back to the agency for more."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not may_decide_challenge(actor) or actor.partnership_id != challenge.partnership_id:
        raise NotAllowed("Only PCI members and the business manager decide a challenge's outcome.")
    if actor.agencies.filter(pk=challenge.agency_id).exists():
        raise NotAllowed("You cannot decide a challenge addressed to an agency you submit for.")
    allowed = DECISIONS.get(challenge.status, ())
    if status not in allowed:
        raise DomainError(f"A challenge that is {challenge.get_status_display().lower()} cannot move to "
                          f"‘{ChallengeStatus(status).label if status in ChallengeStatus.values else status}’.",
                          field="status")
    if not outcome.strip():
        raise DomainError("Record the outcome: what PCI concluded and why.", field="outcome")
    before = challenge.status
    challenge.status = status
    challenge.outcome = outcome.strip()
    full_clean_or_refuse(challenge)
    challenge.save()
    audit_record(actor=actor, action="challenge.decided", obj=challenge, before={"status": before},
                 after={"status": status}, data={"outcome": challenge.outcome[:1000]})
    return challenge
