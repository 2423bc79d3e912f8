"""The one return workflow, shared by every kind of quarterly return (datasets, training).

draft -> submitted -> queried (the reviewer asks) -> resubmitted -> accepted (locked);
only the business manager reopens an accepted return, with a reason, back to draft.

A concrete return model inherits ``WorkflowReturn`` (it must have ``agency`` and
``partnership`` available) and declares a ``WorkflowEvent`` subclass with a ``ret`` foreign
key. Every transition goes through ``return_transition``: it locks the row, checks the state,
the person and the app's own readiness rules, writes the event and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .audit import audit_record
from .errors import DomainError, NotAllowed
from .formatting import limit_text


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    RESUBMITTED = "resubmitted", "Resubmitted"
    ACCEPTED = "accepted", "Accepted"


# How each status looks as a GOV.UK tag, for every kind of return.
STATUS_TAG_CLASSES = {
    ReturnStatus.DRAFT: "govuk-tag--grey", ReturnStatus.SUBMITTED: "govuk-tag--blue",
    ReturnStatus.QUERIED: "govuk-tag--orange", ReturnStatus.RESUBMITTED: "govuk-tag--light-blue",
    ReturnStatus.ACCEPTED: "govuk-tag--green",
}

# The longest comment a workflow step keeps (the form and the service both hold to it).
COMMENT_MAX_LENGTH = 5000

# Statuses in which the agency may still change its figures.
EDITABLE = frozenset({ReturnStatus.DRAFT, ReturnStatus.QUERIED})
# Statuses waiting for a reviewer.
AWAITING_REVIEW = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED})


class WorkflowReturn(models.Model):
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT,
                              db_index=True)
    # Timeliness is judged on the first submission: answering a query later is not lateness.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    # A concrete return names its ``agency``; the partnership is the agency's.
    @property
    def partnership(self):
        return self.agency.partnership

    @property
    def partnership_id(self) -> int:
        return self.agency.partnership_id

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status == ReturnStatus.ACCEPTED

    @property
    def awaiting_review(self) -> bool:
        return self.status in AWAITING_REVIEW


class WorkflowEvent(models.Model):
    """One step of a return's life: who moved it, from what to what, and what they wrote."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)

    class Meta:
        abstract = True
        ordering = ["occurred_at", "id"]


@dataclass(frozen=True)
class Rule:
    sources: frozenset
    target: str
    who: str  # "agency", "reviewer" or "manager"
    verb: str  # for messages: "submitted", "queried" ...
    comment_required: bool = False
    comment_prompt: str = ""


RULES: dict[str, Rule] = {
    "submit": Rule(frozenset({ReturnStatus.DRAFT}), ReturnStatus.SUBMITTED, "agency", "submitted"),
    "resubmit": Rule(frozenset({ReturnStatus.QUERIED}), ReturnStatus.RESUBMITTED, "agency", "resubmitted",
                     comment_required=True, comment_prompt="Write your answer to the query."),
    "query": Rule(AWAITING_REVIEW, ReturnStatus.QUERIED, "reviewer", "queried",
                  comment_required=True, comment_prompt="Write the question for the agency."),
    "accept": Rule(AWAITING_REVIEW, ReturnStatus.ACCEPTED, "reviewer", "accepted"),
    "reopen": Rule(frozenset({ReturnStatus.ACCEPTED}), ReturnStatus.DRAFT, "manager", "reopened",
                   comment_required=True, comment_prompt="Give the reason for reopening the accepted return."),
}


def query_thread(ret: WorkflowReturn) -> list:
    """The questions and answers on a queried return (dataset or training), oldest first, for
    the page where the agency answers (issue 16.5); empty unless the return is queried. 1 query."""
    if ret.status != ReturnStatus.QUERIED:
        return []
    return list(ret.events.filter(action__in=("query", "resubmit")).exclude(comment="")
                .select_related("actor").order_by("occurred_at", "id"))


def may(actor, ret, action: str) -> bool:
    """Whether ``actor`` may take ``action`` on ``ret`` as it stands (for showing buttons)."""
    rule = RULES[action]
    return (ret.status in rule.sources and _permitted(actor, ret, rule.who)
            and not (action == "accept" and _own_submission(actor, ret)
                     and not ret.agency.partnership.submitter_may_accept))


def _own_submission(actor, ret) -> bool:
    return ret.submitted_by_id is not None and ret.submitted_by_id == getattr(actor, "pk", None)


def _permitted(actor, ret, who: str) -> bool:
    from partners.access import can_act_for  # partners is below every app that has returns

    if actor.partnership_id != ret.agency.partnership_id:
        return False
    if who == "agency":
        return can_act_for(actor, ret.agency)
    if who == "reviewer":
        return actor.is_pci or actor.is_manager
    return actor.is_manager


def check_quarter_open(quarter) -> None:
    """Refuse (``DomainError``) any change to a return of a closed quarter: once the business
    manager closes a quarter its figures are final, for every kind of return (issue 11.5)."""
    if quarter.is_closed:
        raise DomainError(f"{quarter.label} is closed: its returns can no longer be changed or submitted. "
                          "Ask the business manager if a figure must be corrected.")


def lock_for_figures(*, actor, ret: WorkflowReturn) -> WorkflowReturn:
    """Lock ``ret`` (a concrete ``WorkflowReturn`` with ``agency`` and ``quarter``) for a change of
    its figures and return the locked row. Call inside ``transaction.atomic``.

    The one rule for every kind of return: ``actor`` acts for its agency (``None`` is the system,
    e.g. the demo), the return is a draft or queried, and its quarter is open. Raises
    ``NotAllowed`` or ``DomainError`` with a message a person can act on.
    """
    from partners.access import can_act_for  # partners is below every app that has returns

    locked = (type(ret).objects.select_for_update(of=("self",)).select_related("agency", "quarter")
              .get(pk=ret.pk))
    if actor is not None and (actor.partnership_id != locked.agency.partnership_id
                              or not can_act_for(actor, locked.agency)):
        raise NotAllowed("You cannot change this return's figures.")
    if not locked.is_editable:
        raise DomainError(f"This return is {locked.get_status_display().lower()}, so its figures cannot be "
                          "changed." + (" Only the business manager can reopen it." if locked.is_locked else ""))
    check_quarter_open(locked.quarter)
    return locked


def return_transition(
    *,
    actor,
    ret: WorkflowReturn,
    action: str,
    comment: str = "",
    event_model: type[WorkflowEvent],
    check_ready: Callable[[WorkflowReturn], list[str]] | None = None,
    audit_name: str = "return",
) -> WorkflowReturn:
    """Move ``ret`` by ``action``. ``check_ready`` returns the problems that stop it (for
    ``submit``/``resubmit``: hard validation errors, missing narratives, a closed quarter)."""
    if action not in RULES:
        raise ValueError(f"Unknown return action {action!r}")
    rule = RULES[action]
    with transaction.atomic():
        locked = type(ret).objects.select_for_update(of=("self",)).select_related("agency__partnership").get(pk=ret.pk)
        if not _permitted(actor, locked, rule.who):
            raise NotAllowed(f"You cannot mark this return as {rule.verb}.")
        if locked.status not in rule.sources:
            raise DomainError(
                f"This return is {locked.get_status_display().lower()}, so it cannot be {rule.verb}. "
                "Someone may have changed it a moment ago: reload the page to see where it stands."
            )
        comment = (comment or "").strip()
        if rule.comment_required and not comment:
            raise DomainError(rule.comment_prompt, field="comment")
        if len(comment) > COMMENT_MAX_LENGTH:
            raise DomainError(f"The comment must be {limit_text(COMMENT_MAX_LENGTH)} characters or fewer "
                              f"(it has {limit_text(len(comment))}).", field="comment")
        # Separation of duties: whoever submitted (or last resubmitted) the return does not accept
        # it, unless the partnership allows it; then the audit log records that it happened.
        self_accepted = action == "accept" and _own_submission(actor, locked)
        if self_accepted and not locked.agency.partnership.submitter_may_accept:
            raise NotAllowed("You submitted this return, so someone else must accept it: ask a PCI member or "
                             "another business manager.")
        if check_ready is not None:
            problems = check_ready(locked)
            if problems:
                raise ReturnNotReady(problems)
        before = locked.status
        now = timezone.now()
        locked.status = rule.target
        if action in ("submit", "resubmit"):
            locked.submitted_at, locked.submitted_by = now, actor
            locked.first_submitted_at = locked.first_submitted_at or now
        elif action == "accept":
            locked.accepted_at, locked.accepted_by = now, actor
        elif action == "reopen":
            locked.accepted_at, locked.accepted_by = None, None
        locked.save()
        event = event_model.objects.create(ret=locked, actor=actor, action=action, from_status=before,
                                           to_status=rule.target, comment=comment, occurred_at=now)
        audit_record(actor=actor, action=f"{audit_name}.{rule.verb}", obj=locked,
                     partnership=locked.agency.partnership, before={"status": before},
                     after={"status": rule.target}, data=_event_data(comment, self_accepted))
        if action in NOTIFIED:
            notify_agency(ret=locked, action=action, comment=comment, actor=actor, event_id=event.pk)
    return locked


def _event_data(comment: str, self_accepted: bool) -> dict | None:
    data = {"comment": comment} if comment else {}
    if self_accepted:
        data["self_accepted"] = ("Accepted by the person who submitted it: the partnership allows the submitter "
                                 "to accept their own return.")
    return data or None


# The transitions the agency is told about (issue 16.3), with how the notification opens.
NOTIFIED = {
    "query": "{kind} queried: {ret}",
    "accept": "{kind} accepted: {ret}",
    "reopen": "{kind} reopened: {ret}",
}


def return_occasion(ret: WorkflowReturn, action: str, event_id: int) -> str:
    """The notifications' occasion for one event of a return (``notify``'s ``occasion``)."""
    return f"return.{action}:{ret._meta.label_lower}:{ret.pk}:event-{event_id}"


def notifications_follow_events(ret: WorkflowReturn, events) -> int:
    """For building a past (the demos' backdating, issue 16.9): date the notifications of
    ``ret``'s ``events`` (its event rows, already moved to when they happened) at those moments.
    Returns how many notifications were dated."""
    from .notifications import history_redate

    return history_redate({return_occasion(ret, e.action, e.pk): e.occurred_at for e in events
                           if e.action in NOTIFIED})


def notify_agency(*, ret: WorkflowReturn, action: str, comment: str, actor, event_id: int) -> list:
    """Tell the agency's submitters, and whoever submitted the return, that it was queried (with
    the question), accepted, or reopened (with the reason). The one place every kind of return
    (datasets, training) notifies from; each event notifies each person once."""
    from django.urls import NoReverseMatch, reverse

    from partners.models import Role

    from .notifications import notify

    people = list(ret.agency.people.filter(role=Role.AGENCY_SUBMITTER, is_active=True))
    if ret.submitted_by_id:
        people.append(ret.submitted_by)
    subject = NOTIFIED[action].format(kind=str(ret._meta.verbose_name).capitalize(), ret=ret)
    body = {"query": "The question: {c}", "reopen": "The reason: {c}"}.get(action, "{c}").format(c=comment)
    try:
        url = reverse(f"{ret._meta.app_label}:return_detail", args=[ret.pk])
    except NoReverseMatch:
        url = ""
    return notify(recipients=people, occasion=return_occasion(ret, action, event_id),
                  kind=f"return.{RULES[action].verb}", subject=subject, body=body.strip(), url=url,
                  partnership_id=ret.agency.partnership_id, exclude=actor)


class ReturnNotReady(DomainError):
    """Submission refused: ``problems`` lists every reason, each naming its field."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if len(problems) == 1 else
                         f"The return cannot be submitted yet: {limit_text(len(problems))} things need attention.")
        self.problems = problems
