"""Reminder emails for actions: 14 days before the due date, once overdue, and the manager's
weekly digest. ``safeguarding.reminders.send_once`` makes each one go once, however often the
beat task runs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partners.models import Partnership, Role, User
from safeguarding.reminders import send_once

from . import selectors
from .models import OPEN_STATUSES, Action, ActionStatus, Challenge, ChallengeStatus
from .rag import DUE_SOON_DAYS


def _owners_by_agency(agency_ids: set[int]) -> dict[int, list[User]]:
    """The agency's submitters: the people who own its actions in the portal."""
    out: dict[int, list[User]] = defaultdict(list)
    people = (User.objects.filter(is_active=True, role=Role.AGENCY_SUBMITTER, agencies__in=agency_ids)
              .prefetch_related("agencies").distinct())
    for person in people:
        for agency in person.agencies.all():
            if agency.pk in agency_ids:
                out[agency.pk].append(person)
    return out


def send_action_reminders(*, today: dt.date | None = None) -> int:
    """Due-soon and overdue reminders for every open action. Returns how many emails went."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    actions = list(Action.objects.filter(status__in=OPEN_STATUSES, due_on__lte=soon)
                   .select_related("owner_agency", "recommendation__review", "challenge"))
    owners = _owners_by_agency({a.owner_agency_id for a in actions})
    sent = 0
    for action in actions:
        overdue = action.due_on < today
        # The due date is in the key: if the date moves, the new date gets its own reminder.
        key = f"reviews:action-{'overdue' if overdue else 'due-soon'}:{action.pk}:{action.due_on.isoformat()}"
        template = "reviews/email/action_overdue" if overdue else "reviews/email/action_due_soon"
        context = {"action": action, "days": (action.due_on - today).days, "days_over": (today - action.due_on).days,
                   "path": reverse("reviews:action_detail", args=[action.pk])}
        for person in owners.get(action.owner_agency_id, []):
            sent += send_once(key=key, to=person.email, template=template, context={**context, "person": person})
    return sent


def send_weekly_digests(*, today: dt.date | None = None) -> int:
    """One email a week to each partnership's business managers: overdue, awaiting, challenges."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    sent = 0
    for partnership in Partnership.objects.filter(people__role=Role.BUSINESS_MANAGER,
                                                  people__is_active=True).distinct():
        actions = Action.objects.filter(Q(recommendation__review__partnership=partnership)
                                        | Q(challenge__partnership=partnership))
        overdue = selectors.overdue_actions(actions=actions, today=today)
        awaiting = list(actions.filter(status=ActionStatus.COMPLETED).select_related("owner_agency")
                        .order_by("due_on"))
        challenges = list(Challenge.objects.filter(partnership=partnership)
                          .exclude(status=ChallengeStatus.CLOSED).select_related("agency"))
        context = {"partnership": partnership, "overdue": overdue, "awaiting": awaiting, "challenges": challenges,
                   "week": f"{year}-W{week:02d}", "today": today}
        for person in partnership.people.filter(role=Role.BUSINESS_MANAGER, is_active=True):
            sent += send_once(key=f"reviews:weekly-digest:{partnership.pk}:{year}-W{week:02d}", to=person.email,
                              template="reviews/email/weekly_digest", context={**context, "person": person})
    return sent
