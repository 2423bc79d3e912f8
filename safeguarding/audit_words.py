"""The audit log in words (issue 16.6): "Jo Patel assured action 12 of review Child M".

One describer per action code, all in this one module (``DESCRIBERS``): each says what the
person did, in the past tense, to the record named by ``name_records``. Record names come from
the event itself (``object_repr``, stored when it happened) and, for the few kinds whose useful
name lives on a parent (an action belongs to a review or a challenge; a recommendation to a
review), from one query per kind on the page, so a page of 50 events costs a fixed number of
queries. The tests (tests/safeguarding/test_audit_words.py) check that every action code the
code base writes has a describer here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps

# action code -> what the person did (the record's name follows unless the phrase has {record}).
DESCRIBERS: dict[str, str] = {
    # partners
    "partnership.created": "set up the partnership {record}",
    "partnership.started": "started the partnership {record}",
    "agency.created": "added the agency {record}",
    "agency.updated": "changed the agency {record}",
    "agency.deactivated": "closed the agency {record}",
    "agency.replaced": "recorded a successor for the agency {record}",
    "person.created": "added {record}",
    "person.invited": "invited {record}",
    "person.updated": "changed the details of {record}",
    "person.deactivated": "removed the access of {record}",
    "person.operator_access_removed": "removed the operator access of {record}",
    "person.email_canonicalised": "tidied the email address of {record}",
    "person.unlocked": "unlocked the sign-in of {record}",
    "person.second_factor_reset": "reset the second factor of {record}",
    "operator.created": "created the operator {record}",
    "second_factor.set_up": "set up two-step sign-in for {record}",
    "second_factor.recovery_code_used": "signed in with a recovery code as {record}",
    "admin.added": "added {record} in the Django admin",
    "admin.changed": "changed {record} in the Django admin",
    "admin.deleted": "deleted {record} in the Django admin",
    "subgroup.created": "added the subgroup {record}",
    "subgroup.updated": "changed the subgroup {record}",
    "meeting.created": "recorded the meeting {record}",
    "meeting.updated": "changed the meeting {record}",
    "meeting.deleted": "deleted the meeting {record}",
    "budget.created": "opened the budget {record}",
    "budget.updated": "changed the budget {record}",
    "budget.line_added": "added a line to the budget {record}",
    "budget.line_removed": "removed a line from the budget {record}",
    "priority.created": "added the priority {record}",
    "priority.updated": "changed the priority {record}",
    "partnership.attendance_target_set": "set the attendance target of {record}",
    "seat.created": "added the seat {record}",
    "seat.updated": "changed the seat {record}",
    # datasets
    "indicator.created": "added the indicator {record}",
    "indicator.updated": "changed the indicator {record}",
    "target.set": "set a target for {record}",
    "target.deleted": "removed a target of {record}",
    "comparator.set": "set a comparator for {record}",
    "comparators.uploaded": "uploaded comparators",
    "quarter.created": "opened the quarter {record}",
    "quarter.updated": "changed the dates of the quarter {record}",
    "quarter.closed": "closed the quarter {record}",
    "quarter.reopened": "reopened the quarter {record}",
    "return.created": "started {record}",
    "return.figures_saved": "saved figures in {record}",
    "return.uploaded": "uploaded a spreadsheet to {record}",
    "returns.bulk_uploaded": "uploaded returns for many agencies",
    "returns.historical_loaded": "loaded past years' figures",
    "return.submitted": "submitted {record}",
    "return.queried": "queried {record}",
    "return.resubmitted": "answered the query on {record} and resubmitted it",
    "return.accepted": "accepted {record}",
    "return.reopened": "reopened {record}",
    # reviews
    "review.created": "added {record}",
    "review.updated": "changed {record}",
    "recommendation.created": "added {record}",
    "recommendation.imported": "imported {record}",
    "recommendation.updated": "changed {record}",
    "action.created": "added {record}",
    "action.updated": "changed {record}",
    "action.progress_posted": "posted progress on {record}",
    "action.status_changed": "changed the status of {record}",
    "action.assured": "assured {record}",
    "action.returned": "returned {record} for more evidence",
    "action.drafted": "drafted {record} from its recommendation",
    "notifications.preference_changed": "changed how their notifications are emailed",
    "evidence.added": "added evidence to {record}",
    "challenge.raised": "raised {record}",
    "challenge.responded": "answered {record}",
    "challenge.decided": "decided the outcome of {record}",
    # training
    "training_level.created": "added the training level {record}",
    "training_level.updated": "changed the training level {record}",
    "training_staff_group.created": "added the staff group {record}",
    "training_staff_group.updated": "changed the staff group {record}",
    "training_target.created": "set the training target {record}",
    "training_return.started": "started {record}",
    "training_return.figures_changed": "saved figures in {record}",
    "training_return.submitted": "submitted {record}",
    "training_return.queried": "queried {record}",
    "training_return.resubmitted": "answered the query on {record} and resubmitted it",
    "training_return.accepted": "accepted {record}",
    "training_return.reopened": "reopened {record}",
    "training_attendance.uploaded": "uploaded training attendance",
    "course.created": "added the course {record}",
    "course.updated": "changed the course {record}",
    "session.created": "added the session {record}",
    "session.updated": "changed the session {record}",
    "session.evaluation_recorded": "recorded evaluations for the session {record}",
    # reports
    "annual_report.created": "started the {record}",
    "annual_report.section_saved": "wrote a section of the {record}",
    "annual_report.agency_section_saved": "wrote an agency's section of the {record}",
    "annual_report.figures_saved": "saved figures in the {record}",
    "annual_report.distribution_saved": "saved who receives the {record}",
    "annual_report.sent": "recorded sending the {record}",  # + " to {to}": see DETAILS
    "annual_report.composed": "chose the chapters of the {record}",
    "annual_report.approved": "approved the {record}",
    "annual_report.published": "published the {record}",
    "annual_report.returned_to_draft": "returned the {record} to draft",
    "report_build.requested": "asked for a PDF: {record}",
    "report_build.done": "finished building the PDF {record}",
    "report_build.failed": "could not build the PDF {record}",
}

# What a phrase adds from the event's own data (``after``, then ``data``) when every name it uses
# was stored: "recorded sending the Annual report 2025/26 to the Child Safeguarding Practice
# Review Panel" (issue 15.9). An older event without the value still reads, without the clause.
DETAILS: dict[str, str] = {
    "annual_report.sent": " to {to}",
}

# The kinds of record, in words, for the filter and for records the code does not name itself.
KINDS: dict[str, str] = {
    "partners.partnership": "Partnership", "partners.agency": "Agency", "partners.user": "Person",
    "partners.subgroup": "Subgroup", "partners.meeting": "Meeting", "partners.budget": "Budget",
    "partners.priority": "Priority", "datasets.indicator": "Indicator", "datasets.quarter": "Quarter",
    "datasets.return": "Dataset return", "reviews.review": "Review", "reviews.recommendation": "Recommendation",
    "reviews.action": "Action", "reviews.challenge": "Challenge", "training.level": "Training level",
    "training.staffgroup": "Staff group", "training.trainingtarget": "Training target",
    "training.trainingreturn": "Training return", "training.course": "Course", "training.session": "Session",
    "reports.annualreport": "Annual report", "reports.reportbuild": "PDF build",
    "safeguarding.notificationpreference": "Notification choice",
}


def kind_word(object_type: str) -> str:
    """A kind of record in words ("Seat", "Dataset return") for the audit log's filter and for
    records the code does not name itself: ``KINDS`` where it says better, otherwise the model's
    own verbose name, never the code ("partners.seat"). "" for an event about no record."""
    if not object_type:
        return ""
    if object_type in KINDS:
        return KINDS[object_type]
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return "Record"


@dataclass(frozen=True)
class Described:
    """One audit event in words: ``who`` (the person's name, or "The system"), ``sentence`` (who
    did what to which record) and the raw event for the details."""

    who: str
    sentence: str
    event: object


def describe_action(action: str) -> str:
    """The phrase for an action code; an unknown code still reads ("did review.archived to …")."""
    return DESCRIBERS.get(action) or f"did “{action}” to {{record}}"


def _details(event) -> str:
    """The clause ``DETAILS`` adds for ``event``, filled from its ``after`` then ``data``; "" when
    the action has none or a value it names was not stored."""
    template = DETAILS.get(event.action)
    if not template:
        return ""
    stored = {**(getattr(event, "data", None) or {}), **(getattr(event, "after", None) or {})}
    try:
        return template.format_map({k: v for k, v in stored.items() if v not in (None, "")})
    except KeyError:
        return ""


def _action_names(ids: list[str]) -> dict[str, str]:
    Action = apps.get_model("reviews", "Action")
    out = {}
    for action in Action.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).select_related(
            "recommendation__review", "challenge"):
        if action.recommendation_id:
            out[str(action.pk)] = (f"action {action.pk} of review {action.recommendation.review.title} "
                                   f"(recommendation {action.recommendation.number})")
        elif action.challenge_id:
            out[str(action.pk)] = f"action {action.pk} of challenge {action.challenge_id}"
        else:
            out[str(action.pk)] = f"action {action.pk}"
    return out


def _recommendation_names(ids: list[str]) -> dict[str, str]:
    Recommendation = apps.get_model("reviews", "Recommendation")
    return {str(r.pk): f"recommendation {r.number} of review {r.review.title}" for r in Recommendation.objects.filter(
        pk__in=[int(i) for i in ids if i.isdigit()]).select_related("review")}


# Kinds whose name is built from their parents, one query per kind on the page.
PARENT_NAMES = {"reviews.action": _action_names, "reviews.recommendation": _recommendation_names}
# Kinds whose stored name reads better with a noun in front.
PREFIX = {"datasets.return": "the return of ", "training.trainingreturn": "the return of ",
          "reviews.review": "", "reviews.challenge": ""}


def name_records(events: Iterable) -> dict[tuple[str, str], str]:
    """``{(object_type, object_id): name}`` for the events (one query per kind in PARENT_NAMES)."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event.object_type in PARENT_NAMES and event.object_id:
            wanted[event.object_type].append(event.object_id)
    names = {}
    for kind, ids in wanted.items():
        for pk, name in PARENT_NAMES[kind](ids).items():
            names[(kind, pk)] = name
    return names


def _record(event, names: dict) -> str:
    found = names.get((event.object_type, event.object_id))
    if found:
        return found
    if not event.object_repr:
        return kind_word(event.object_type).lower() if event.object_type else "the portal"
    prefix = PREFIX.get(event.object_type, "")
    repr_ = event.object_repr
    if event.object_type == "reviews.challenge" and repr_.startswith("Challenge"):
        repr_ = "c" + repr_[1:]
    if event.object_type == "reviews.review":
        repr_ = f"the review {repr_}"
    return f"{prefix}{repr_}"


def who_did(event) -> str:
    actor = getattr(event, "actor", None)
    if actor is not None and getattr(actor, "full_name", ""):
        return actor.full_name
    return event.actor_label if event.actor_label and event.actor_label != "system" else "The system"


def describe(events: Iterable) -> list[Described]:
    """Each event in words, in the given order (``events`` should select_related("actor"))."""
    events = list(events)
    names = name_records(events)
    out = []
    for event in events:
        phrase = describe_action(event.action)
        record = _record(event, names)
        text = phrase.replace("{record}", record) if "{record}" in phrase else f"{phrase} {record}".strip()
        text += _details(event)
        who = who_did(event)
        out.append(Described(who=who, sentence=f"{who} {text}", event=event))
    return out
