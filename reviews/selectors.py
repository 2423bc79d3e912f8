"""Reads for the register, progress pages, lists and home panels: each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from partners.models import Agency

from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionStatusChange,
    Challenge,
    ChallengeStatus,
    ProgressUpdate,
    Recommendation,
    RecommendationGroup,
    Review,
)
from .rag import DUE_SOON_DAYS, action_rag

# Drafts (no due date yet) first, then by due date.
BY_DUE = (F("due_on").asc(nulls_first=True), "id")


def recommendations_with_addressees(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Recommendations with what ``recommendation_addressees_label`` needs, prefetched: two extra
    queries whatever the number of recommendations."""
    return queryset.prefetch_related(
        Prefetch("groups", queryset=RecommendationGroup.objects.order_by("id")),
        Prefetch("addressees", queryset=Agency.objects.order_by("name")))


def recommendation_addressee_parts(rec: Recommendation) -> list[str]:
    """The addressees as written, one string each: groups first in the order given ("The
    partnership", "All member agencies", "All schools and colleges"), then agencies by name.
    Never expands a group into its agencies (issue 12.4). Use on recommendations from
    ``recommendations_with_addressees`` to stay within a fixed number of queries."""
    return [group.label for group in rec.groups.all()] + [agency.name for agency in rec.addressees.all()]


def recommendation_addressees_label(rec: Recommendation) -> str:
    """The addressees as one line for the register, the action pages and the annual report:
    ``"All health providers; Northshire Police"``. See ``recommendation_addressee_parts``."""
    return "; ".join(recommendation_addressee_parts(rec))


def recommendation_addressed_agencies(rec: Recommendation) -> list[Agency]:
    """Every agency the recommendation reaches: those named and those its groups held on its date
    (``made_on``), active that day, by name. One query (two if groups are not prefetched)."""
    from .addressees import addressed_agencies

    return addressed_agencies(partnership_id=rec.review.partnership_id, made_on=rec.made_on,
                              named=[a.pk for a in rec.addressees.all()],
                              group_codes=[g.code for g in rec.groups.all()])


def _overdue_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_on__lt": today})


def review_list(*, reviews: QuerySet[Review], today: dt.date | None = None) -> QuerySet[Review]:
    """Every review with its action counts: one query for the reviews, one for their themes."""
    today = today or timezone.localdate()
    a = "recommendations__actions__"
    return (reviews
            .annotate(
                n_recommendations=Count("recommendations", distinct=True),
                n_actions=Count("recommendations__actions", distinct=True),
                n_assured=Count("recommendations__actions", distinct=True,
                                filter=Q(**{f"{a}status": ActionStatus.ASSURED})),
                n_overdue=Count("recommendations__actions", distinct=True, filter=_overdue_q(today, a)),
            )
            .prefetch_related("themes")
            .order_by("-notified_on", "-id"))


@dataclass
class Tally:
    total: int = 0
    assured: int = 0
    completed: int = 0
    overdue: int = 0
    rag: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, action: Action, today: dt.date, status: str | None = None) -> None:
        """Count ``action`` as it stands on ``today``; ``status`` overrides its current status
        (the status it had on that day, from ``actions_as_at``)."""
        status = status or action.status
        self.total += 1
        colour = action_rag(status=status, start_on=action.start_on, due_on=action.due_on, today=today)
        self.rag[colour] += 1
        if status == ActionStatus.ASSURED:
            self.assured += 1
        elif status == ActionStatus.COMPLETED:
            self.completed += 1
        if colour == "red" and status in OPEN_STATUSES:
            self.overdue += 1

    @property
    def share_assured(self) -> int:
        """Percentage of actions assured, superseded ones left out of the count."""
        live = self.total - self.rag.get("grey", 0)
        return round(100 * self.assured / live) if live else 0


@dataclass(frozen=True)
class ActionAsAt:
    """An action as it stood at the end of a day: status, the days it was completed and assured
    (None unless they had happened by then) and the latest progress note written for a day up to
    then (None when there was none)."""

    status: str
    completed_on: dt.date | None
    assured_on: dt.date | None
    progress: ProgressUpdate | None

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label


def actions_as_at(*, action_ids: list[int], on: dt.date) -> dict[int, ActionAsAt]:
    """Each action's state at the end of ``on``, read from its dated status changes and progress
    notes (2 queries). A change or note dated after ``on`` is not counted, however long ago it
    was typed in: an assurance after the year's end does not make the year's report say
    "assured" (issue 15.1). An action with no change by then was not started."""
    status: dict[int, str] = {}
    completed: dict[int, dt.date | None] = {}
    assured: dict[int, dt.date | None] = {}
    for change in (ActionStatusChange.objects.filter(action_id__in=action_ids, on__lte=on)
                   .order_by("action_id", "on", "id")):
        status[change.action_id] = change.status
        if change.status == ActionStatus.COMPLETED:
            completed[change.action_id] = change.on
        elif change.status == ActionStatus.ASSURED:
            assured[change.action_id] = change.on
        elif change.status in OPEN_STATUSES:
            completed[change.action_id] = None
    progress: dict[int, ProgressUpdate] = {}
    for note in (ProgressUpdate.objects.filter(action_id__in=action_ids, on__lte=on)
                 .order_by("action_id", "-on", "-id")):
        progress.setdefault(note.action_id, note)
    out = {}
    for pk in action_ids:
        state = status.get(pk, ActionStatus.NOT_STARTED)
        done = state in (ActionStatus.COMPLETED, ActionStatus.ASSURED)
        out[pk] = ActionAsAt(status=state, completed_on=completed.get(pk) if done else None,
                             assured_on=assured.get(pk) if state == ActionStatus.ASSURED else None,
                             progress=progress.get(pk))
    return out


def _action_rows(queryset: QuerySet[Action]) -> QuerySet[Action]:
    return queryset.select_related("owner_agency", "recommendation__review", "challenge__agency", "assured_by")


def review_progress(*, review: Review, actions: QuerySet[Action], today: dt.date | None = None,
                    as_at: dt.date | None = None) -> dict:
    """A review's recommendations with their actions, and the tallies overall and by agency.

    ``actions`` is the person's scoped action queryset. Three queries whatever the size; with
    ``as_at`` (the annual report: the end of its year), two more, and every action carries
    ``action.then`` (an ``ActionAsAt``) and is counted and coloured as it stood that day.
    """
    today = today or timezone.localdate()
    action_list = list(_action_rows(actions.filter(recommendation__review=review)).order_by(*BY_DUE))
    recommendations = list(
        recommendations_with_addressees(Recommendation.objects.filter(review=review).select_related("theme"))
        .order_by("sort_key")
    )
    by_rec: dict[int, list[Action]] = defaultdict(list)
    overall = Tally()
    by_agency: dict[int, tuple[Agency, Tally]] = {}
    then = actions_as_at(action_ids=[a.pk for a in action_list], on=as_at) if as_at else {}
    for action in action_list:
        action.then = then.get(action.pk)
        status = action.then.status if action.then else action.status
        action.rag_colour = action_rag(status=status, start_on=action.start_on, due_on=action.due_on, today=today)
        by_rec[action.recommendation_id].append(action)
        overall.add(action, today, status)
        if action.owner_agency_id is not None:  # the partnership's own actions are in "overall" only
            agency, tally = by_agency.setdefault(action.owner_agency_id, (action.owner_agency, Tally()))
            tally.add(action, today, status)
    for rec in recommendations:
        rec.action_list = by_rec.get(rec.pk, [])
        rec.addressees_label = recommendation_addressees_label(rec)
    return {
        "recommendations": recommendations,
        "overall": overall,
        "by_agency": sorted(by_agency.values(), key=lambda pair: pair[0].name),
        "actions": action_list,
    }


def recommendations_matching(recommendations: list[Recommendation], *, text: str = "", status: str = "",
                             agency_id: str = "") -> list[Recommendation]:
    """The recommendations of ``review_progress`` (each with ``action_list``, addressees prefetched)
    that match a review page's filter (issue 16.6), in their order; no query.

    ``text``: contained in the number or the text, ignoring case. ``status``: an ``ActionStatus``
    value one of its (scoped) actions has. ``agency_id``: an agency's pk as a string, named as an
    addressee or owning one of its actions (a group addressee is not expanded: that would be a
    query a recommendation). An empty argument does not narrow the list."""
    needle = text.casefold()
    chosen = []
    for rec in recommendations:
        if needle and needle not in rec.number.casefold() and needle not in rec.text.casefold():
            continue
        if status and not any(action.status == status for action in rec.action_list):
            continue
        if agency_id and not (any(str(a.pk) == agency_id for a in rec.addressees.all())
                              or any(str(action.owner_agency_id) == agency_id for action in rec.action_list)):
            continue
        chosen.append(rec)
    return chosen


def annotate_rag(actions: list[Action], today: dt.date | None = None) -> list[Action]:
    today = today or timezone.localdate()
    for action in actions:
        action.rag_colour = action_rag(status=action.status, start_on=action.start_on, due_on=action.due_on,
                                       today=today)
    return actions


def my_actions(*, actions: QuerySet[Action], include_closed: bool = False,
               today: dt.date | None = None) -> list[Action]:
    """The person's actions, drafts first then by due date, each with its latest progress note.
    Two queries."""
    qs = _action_rows(actions)
    if not include_closed:
        qs = qs.exclude(status__in=(ActionStatus.ASSURED, ActionStatus.SUPERSEDED))
    qs = qs.prefetch_related("progress_updates").order_by(*BY_DUE)
    rows = annotate_rag(list(qs), today)
    for action in rows:
        updates = list(action.progress_updates.all())
        action.latest_update = updates[0] if updates else None
    return rows


def overdue_actions(*, actions: QuerySet[Action], today: dt.date | None = None) -> list[Action]:
    """Every overdue action of ``actions`` (open, due before ``today``), oldest due first, with its
    RAG (``rag_colour``): one query."""
    today = today or timezone.localdate()
    return annotate_rag(list(overdue_action_rows(actions=actions, today=today)), today)


def overdue_action_rows(*, actions: QuerySet[Action], today: dt.date | None = None) -> QuerySet[Action]:
    """The overdue actions of ``actions`` as a queryset (oldest due first, with what a list row
    shows joined), for a list to filter and page before ``annotate_rag`` on the page it shows."""
    today = today or timezone.localdate()
    return _action_rows(actions.filter(_overdue_q(today))).order_by("due_on", "id")


def overdue_by_agency(*, actions: QuerySet[Action], agencies: QuerySet[Agency],
                      today: dt.date | None = None) -> list[dict]:
    """Each agency with open, overdue and awaiting-assurance counts: one query."""
    today = today or timezone.localdate()
    rows = (actions.values("owner_agency")
            .annotate(open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
                      overdue=Count("id", filter=_overdue_q(today)),
                      awaiting=Count("id", filter=Q(status=ActionStatus.COMPLETED)),
                      assured=Count("id", filter=Q(status=ActionStatus.ASSURED)),
                      total=Count("id")))
    counts = {r["owner_agency"]: r for r in rows}
    out = []
    for agency in agencies.order_by("name"):
        row = counts.get(agency.pk)
        if row:
            out.append({"agency": agency, **{k: row[k] for k in ("open", "overdue", "awaiting", "assured", "total")}})
    return sorted(out, key=lambda r: (-r["overdue"], r["agency"].name))


def themes_across(*, reviews: QuerySet[Review], actions: QuerySet[Action], today: dt.date | None = None) -> list[dict]:
    """Each theme: the reviews that raised it, its recommendations and how their actions stand.

    Three queries: themes with their reviews, recommendation counts, action counts.
    """
    from .models import Theme

    today = today or timezone.localdate()
    review_ids = reviews.values("pk")
    themes = list(Theme.objects.filter(Q(reviews__in=review_ids) | Q(recommendations__review__in=review_ids))
                  .distinct().prefetch_related(Prefetch("reviews", queryset=reviews.order_by("title")))
                  .order_by("name"))
    rec_counts = dict(Recommendation.objects.filter(review__in=review_ids, theme__isnull=False)
                      .values_list("theme").annotate(n=Count("id")))
    action_counts = {
        r["recommendation__theme"]: r
        for r in actions.filter(recommendation__review__in=review_ids, recommendation__theme__isnull=False)
        .values("recommendation__theme")
        .annotate(total=Count("id"), assured=Count("id", filter=Q(status=ActionStatus.ASSURED)),
                  overdue=Count("id", filter=_overdue_q(today)))
    }
    out = []
    for theme in themes:
        counts = action_counts.get(theme.pk, {})
        out.append({"theme": theme, "reviews": list(theme.reviews.all()),
                    "recommendations": rec_counts.get(theme.pk, 0),
                    "actions": counts.get("total", 0), "assured": counts.get("assured", 0),
                    "overdue": counts.get("overdue", 0)})
    return out


def action_detail(*, actions: QuerySet[Action], pk: int) -> Action:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        _action_rows(actions).select_related("assured_by", "recommendation__theme", "challenge__partnership",
                                             "indicator")
        .prefetch_related("progress_updates__author", "evidence__uploaded_by"),
        pk=pk,
    )


def challenge_list(*, challenges: QuerySet[Challenge], status: str | None = None) -> QuerySet[Challenge]:
    qs = challenges.select_related("agency", "forum", "raised_by").annotate(n_actions=Count("actions"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_on", "-id")


def actions_awaiting_assurance(*, actions: QuerySet[Action], limit: int = 10) -> list[Action]:
    return list(_action_rows(actions.filter(status=ActionStatus.COMPLETED)).order_by("due_on", "id")[:limit])


def due_soon_or_overdue(*, actions: QuerySet[Action], today: dt.date | None = None, limit: int = 10) -> list[Action]:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    qs = _action_rows(actions.filter(status__in=OPEN_STATUSES, due_on__lte=soon)).order_by("due_on", "id")
    return annotate_rag(list(qs[:limit]), today)


def draft_actions(*, actions: QuerySet[Action], limit: int = 10) -> list[Action]:
    """Draft actions (made from recommendations) waiting for their lead and due date. One query."""
    return list(_action_rows(actions.filter(status=ActionStatus.DRAFT)).order_by("id")[:limit])


def open_challenges(*, challenges: QuerySet[Challenge], limit: int = 10) -> list[Challenge]:
    return list(challenges.filter(status__in=(ChallengeStatus.OPEN, ChallengeStatus.RESPONDED,
                                              ChallengeStatus.ESCALATED))
                .select_related("agency").order_by("response_due_on", "id")[:limit])


def export_rows(actions: list[Action]) -> tuple[list[str], list[list]]:
    columns = ["Review", "Recommendation", "Challenge", "Owner agency", "Lead", "Lead role", "Action",
               "Start", "Due", "Status", "RAG", "Assured by", "Assured on"]
    rows = []
    for a in actions:
        rows.append([
            a.recommendation.review.title if a.recommendation_id else "",
            a.recommendation.number if a.recommendation_id else "",
            a.challenge.reference if a.challenge_id else "",
            a.owner_label, a.lead_name, a.lead_role, a.description, a.start_on, a.due_on,
            a.get_status_display(), getattr(a, "rag_colour", "").capitalize(),
            a.assured_by.full_name if a.assured_by_id else "",
            timezone.localtime(a.assured_at).date() if a.assured_at else "",
        ])
    return columns, rows


def actions_by_indicator(*, partnership_id: int, indicator_ids: list[int] | None = None,
                         today: dt.date | None = None) -> dict[int, list[Action]]:
    """For the dashboards: the actions expected to move each indicator, in one query."""
    qs = Action.objects.filter(indicator__partnership_id=partnership_id)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    out: dict[int, list[Action]] = defaultdict(list)
    for action in annotate_rag(list(_action_rows(qs).order_by("due_on", "id")), today):
        out[action.indicator_id].append(action)
    return dict(out)
