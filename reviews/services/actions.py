"""Actions: created under a recommendation or a challenge, delivered by the owner agency,
assured by PCI or the business manager."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partners.lifecycle import require_active
from partners.models import Agency, User
from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, NotAllowed, full_clean_or_refuse

from ..access import may_assure, may_update_action
from ..models import Action, ActionStatus, ActionStatusChange, Challenge, ProgressUpdate, Recommendation
from ..notify import notify_action_decided

ACTION_FIELDS = ("owner_agency", "lead_name", "lead_role", "description", "start_on", "due_on", "status",
                 "indicator")
EDITABLE = ("lead_name", "lead_role", "description", "start_on", "due_on", "indicator")
# The delivery statuses an owner may set; assurance has its own service, superseding is the manager's.
OWNER_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED,
                  ActionStatus.NOT_ACHIEVED)


def _check_indicator(indicator, partnership_id: int) -> None:
    if indicator is not None and indicator.partnership_id != partnership_id:
        raise DomainError("That indicator belongs to another partnership.", field="indicator")


def _check_dates(start_on: dt.date, due_on: dt.date) -> None:
    if start_on and due_on and due_on < start_on:
        raise DomainError("The due date must be on or after the start date.", field="due_on")


def _partnership_of(action: Action):
    return action.partnership


@transaction.atomic
def action_create(*, actor: User | None, owner_agency: Agency, lead_name: str, description: str,
                  start_on: dt.date, due_on: dt.date, recommendation: Recommendation | None = None,
                  challenge: Challenge | None = None, lead_role: str = "",
                  status: str = ActionStatus.NOT_STARTED, **extra) -> Action:
    if (recommendation is None) == (challenge is None):
        raise TypeError("An action comes from exactly one recommendation or one challenge.")
    partnership = recommendation.review.partnership if recommendation else challenge.partnership
    if actor is not None:
        if recommendation is not None and not actor.is_manager:
            raise NotAllowed("Only the business manager adds actions to a review's action plan.")
        if challenge is not None and not (actor.is_manager or actor.is_pci):
            raise NotAllowed("Only PCI members and the business manager add actions to a challenge.")
        if actor.partnership_id != partnership.pk:
            raise NotAllowed("That review belongs to another partnership.")
    if owner_agency.partnership_id != partnership.pk:
        raise DomainError("That agency belongs to another partnership.", field="owner_agency")
    # A closed agency (or one not yet active) is given no new action (partners.lifecycle, issue 12.6).
    require_active(owner_agency, timezone.localdate(), what="a new action", field="owner_agency")
    if status in (ActionStatus.ASSURED, ActionStatus.DRAFT):
        raise DomainError("An action is assured by signing it off, not when it is created." if status ==
                          ActionStatus.ASSURED else "Give the action's lead and due date.", field="status")
    _check_dates(start_on, due_on)
    _check_indicator(extra.get("indicator"), partnership.pk)
    action = Action(partnership=partnership, recommendation=recommendation, challenge=challenge,
                    owner_agency=owner_agency,
                    lead_name=lead_name.strip(), lead_role=lead_role.strip(), description=description.strip(),
                    start_on=start_on, due_on=due_on, status=status, **extra)
    if status == ActionStatus.COMPLETED:
        action.completed_on = timezone.localdate()
    full_clean_or_refuse(action)
    action.save()
    if status != ActionStatus.NOT_STARTED:
        # Created already under way: the day it was recorded is the only date known.
        _record_change(action, status, timezone.localdate(), actor)
    audit_record(actor=actor, action="action.created", obj=action, partnership=partnership,
                 after=snapshot(action, ACTION_FIELDS))
    return action


def _locked(action: Action) -> Action:
    return (Action.objects.select_for_update(of=("self",))
            .select_related("partnership", "recommendation__review", "challenge", "owner_agency")
            .get(pk=action.pk))


@transaction.atomic
def action_update(*, actor: User, action: Action, version: str, **changes) -> Action:
    action = _locked(action)
    if not may_update_action(actor, action):
        raise NotAllowed("Only the owner agency or the business manager can change this action.")
    if action.status == ActionStatus.ASSURED:
        raise DomainError("This action has been assured: its details can no longer change.")
    ensure_current(current=action.updated_at, token=version, what="action")
    before = snapshot(action, ACTION_FIELDS)
    for field, value in changes.items():
        if field not in EDITABLE:
            raise TypeError(f"action_update got an unexpected field {field!r}")
        setattr(action, field, value)
    _check_dates(action.start_on, action.due_on)
    _check_indicator(action.indicator, _partnership_of(action).pk)
    if action.status == ActionStatus.DRAFT:
        # The owner completes a draft with a lead and a due date: it is then planned, not started.
        if not action.lead_name or action.due_on is None:
            raise DomainError("Give the action's lead and due date to complete the draft.",
                              field="lead_name" if not action.lead_name else "due_on")
        action.status = ActionStatus.NOT_STARTED
        _record_change(action, ActionStatus.NOT_STARTED, timezone.localdate(), actor)
    full_clean_or_refuse(action)
    action.save()
    audit_record(actor=actor, action="action.updated", obj=action, partnership=_partnership_of(action),
                 before=before, after=snapshot(action, ACTION_FIELDS))
    return action


def _entered_day(on: dt.date | None, field: str, what: str) -> dt.date:
    """The day something happened, as entered: today when blank, never after today (issue 15.1)."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError(f"The date {what} cannot be after today.", field=field)
    return on


def _record_change(action: Action, status: str, on: dt.date, actor: User | None) -> None:
    ActionStatusChange.objects.create(action=action, status=status, on=on,
                                      recorded_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def action_set_status(*, actor: User | None, action: Action, status: str, note: str = "",
                      on: dt.date | None = None) -> Action:
    """Move an action's delivery status, dated ``on`` (the day it happened: default today, never
    after it). A completion keeps its date in ``completed_on``; leaving "completed" clears it.
    The dated change is what the annual report reads to show the year as it stood."""
    action = _locked(action)
    if actor is not None and not may_update_action(actor, action):
        raise NotAllowed("Only the owner agency or the business manager can change this action's status.")
    if status == ActionStatus.ASSURED:
        raise DomainError("Assurance is given by signing the action off.", field="status")
    if status == ActionStatus.SUPERSEDED and actor is not None and not actor.is_manager:
        raise NotAllowed("Only the business manager can mark an action as superseded.")
    if status not in ActionStatus.values:
        raise DomainError("Choose a status from the list.", field="status")
    if action.status == ActionStatus.ASSURED:
        raise DomainError("This action has already been assured; its status can no longer change.",
                          field="status")
    if status == action.status:
        return action
    if action.status == ActionStatus.DRAFT and status != ActionStatus.SUPERSEDED:
        raise DomainError("This action is still a draft: give its lead and due date first (Change the "
                          "action's details).", field="status")
    on = _entered_day(on, "on", "of this change")
    before = action.status
    action.status = status
    action.completed_on = on if status == ActionStatus.COMPLETED else None
    action.save(update_fields=["status", "completed_on", "updated_at"])
    _record_change(action, status, on, actor)
    audit_record(actor=actor, action="action.status_changed", obj=action, partnership=_partnership_of(action),
                 before={"status": before}, after={"status": status, "on": on}, data={"note": note})
    return action


@transaction.atomic
def action_post_progress(*, actor: User, action: Action, text: str, on: dt.date | None = None,
                         status: str | None = None) -> ProgressUpdate:
    """A dated progress note, optionally moving the delivery status at the same time."""
    action = _locked(action)
    if not may_update_action(actor, action):
        raise NotAllowed("Only the owner agency can post progress on this action.")
    if action.status == ActionStatus.ASSURED:
        raise DomainError("This action has been assured and is closed: progress can no longer be added.")
    if not text.strip():
        raise DomainError("Enter what has been done.", field="text")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("Progress cannot be dated in the future.", field="on")
    update = ProgressUpdate(action=action, on=on, text=text.strip(), author=actor)
    full_clean_or_refuse(update)
    update.save()
    audit_record(actor=actor, action="action.progress_posted", obj=action, partnership=_partnership_of(action),
                 data={"on": on, "text": text.strip()[:500]})
    if status and status != action.status:
        action_set_status(actor=actor, action=action, status=status, on=on)
    return update


@transaction.atomic
def action_assure(*, actor: User, action: Action, comment: str, no_evidence_reason: str = "",
                  at: dt.datetime | None = None, on: dt.date | None = None) -> Action:
    """Sign an action off. With no evidence file, only with a written reason, which is kept.

    ``on`` is the day of the assurance (the PCI meeting), entered: default today (or the day of
    ``at``), never after today and never before the action was completed (issue 15.1).

    Raises ``NotAllowed`` for a person who may not assure it; ``DomainError`` when it is not
    completed or already assured, or with every problem of what was entered at once
    (``field_errors``: the comment, the date, the reason for no evidence).
    """
    action = _locked(action)
    if not may_assure(actor, action):
        if actor.role in ("pci", "manager", "admin"):
            raise NotAllowed("You cannot assure an action of an agency you submit for.")
        raise NotAllowed("Only a PCI member or the business manager can assure an action.")
    if action.status == ActionStatus.ASSURED:
        raise DomainError("This action has already been assured.")
    if action.status != ActionStatus.COMPLETED:
        raise DomainError("Only an action its owner has marked completed can be assured.", field="comment")
    # Everything wrong with what was entered is said at once, each beside its field: a PCI member
    # at a meeting should not correct the form three times.
    problems: dict[str | None, list[str]] = {}
    if not comment.strip():
        problems["comment"] = ["Say what the evidence shows: the assurance comment is kept with the sign-off."]
    if on is None and at is not None:
        on = timezone.localtime(at).date()
    try:
        on = _entered_day(on, "on", "of the assurance")
    except DomainError as error:
        problems["on"] = [error.message]
    else:
        if action.completed_on and on < action.completed_on:
            problems["on"] = [f"The assurance cannot be dated before the action was completed "
                              f"({action.completed_on:%-d %B %Y})."]
    has_evidence = action.evidence.exists()
    if not has_evidence and not no_evidence_reason.strip():
        problems["no_evidence_reason"] = ["There is no evidence for this action. Give the reason for assuring it "
                                          "without evidence, or ask the owner to upload some first."]
    if problems:
        field, messages = next(iter(problems.items()))
        raise DomainError(messages[0], field=field, errors=problems)
    before = snapshot(action, ("status",))
    action.status = ActionStatus.ASSURED
    action.assured_by = actor
    action.assured_at = at or timezone.now()
    action.assured_on = on
    action.assurance_comment = comment.strip()
    action.no_evidence_reason = "" if has_evidence else no_evidence_reason.strip()
    full_clean_or_refuse(action)
    action.save()
    _record_change(action, ActionStatus.ASSURED, on, actor)
    audit = audit_record(actor=actor, action="action.assured", obj=action, partnership=_partnership_of(action),
                 before=before, after=snapshot(action, ("status",)),
                 data={"comment": action.assurance_comment, "no_evidence_reason": action.no_evidence_reason,
                       "had_evidence": has_evidence})
    notify_action_decided(action=action, event="assured", text=action.assurance_comment, audit_id=audit.pk)
    return action


@transaction.atomic
def action_return(*, actor: User, action: Action, reason: str) -> Action:
    """Send a completed action back to its owner, not assured: the evidence does not yet show the
    change. Moves it from completed to in progress and keeps the reason (audit ``action.returned``);
    the owners are told (issue 16.3). Raises ``NotAllowed`` for anyone who may not assure it and
    ``DomainError`` (field ``reason``) without a reason or when the action is not completed."""
    action = _locked(action)
    if not may_assure(actor, action):
        raise NotAllowed("Only a PCI member or the business manager can return an action to its owner.")
    if action.status != ActionStatus.COMPLETED:
        raise DomainError("Only an action its owner has marked completed can be returned.", field="reason")
    reason = reason.strip()
    if not reason:
        raise DomainError("Say what is missing, so the owner knows what to do next.", field="reason")
    action.status = ActionStatus.IN_PROGRESS
    action.completed_on = None
    action.save(update_fields=["status", "completed_on", "updated_at"])
    _record_change(action, ActionStatus.IN_PROGRESS, timezone.localdate(), actor)
    audit = audit_record(actor=actor, action="action.returned", obj=action, partnership=_partnership_of(action),
                         before={"status": ActionStatus.COMPLETED}, after={"status": action.status},
                         data={"reason": reason})
    notify_action_decided(action=action, event="returned", text=reason, audit_id=audit.pk)
    return action
