"""Training returns: lists, one return with its computed compliance, home-page panels."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from datasets.models import Quarter
from partners.access import agencies_for
from partners.lifecycle import is_active_during
from safeguarding.workflow import AWAITING_REVIEW, ReturnStatus

from .. import rules
from ..access import training_returns_for
from ..models import TrainingFigure, TrainingReturn
from .compliance import target_book


def return_list(*, user, status: str | None = None) -> QuerySet[TrainingReturn]:
    """The returns a person may open, newest quarter first, with their overall figures. One query."""
    qs = (training_returns_for(user).select_related("agency", "quarter")
          .annotate(total_eligible=Sum("figures__eligible"), total_trained=Sum("figures__trained"),
                    lines=Count("figures"))
          .order_by("-quarter__year_start", "-quarter__number", "agency__name"))
    if status:
        qs = qs.filter(status=status)
    return qs


def returns_to_start(*, user) -> list[tuple]:
    """(agency, quarter) pairs the person could start a return for: open quarters of their
    partnership with no return yet for an agency they act for. Three queries."""
    today = timezone.localdate()
    agencies = list(agencies_for(user).order_by("name"))
    if not agencies:
        return []
    quarters = list(Quarter.objects.filter(partnership_id=user.partnership_id, opens_on__lte=today,
                                           closed_at__isnull=True).order_by("-year_start", "-number")[:4])
    started = set(TrainingReturn.objects.filter(agency__in=agencies, quarter__in=quarters)
                  .values_list("agency_id", "quarter_id"))
    return [(a, q) for q in quarters for a in agencies
            if (a.pk, q.pk) not in started and is_active_during(a, q.starts_on, q.ends_on)]


@dataclass
class Line:
    figure: TrainingFigure
    compliance: object
    target: object
    rag: str | None
    needs_narrative: bool


@dataclass
class ReturnDetail:
    ret: TrainingReturn
    lines: list[Line]
    events: list
    history: list
    total: object
    below_target: int


def return_detail(*, ret: TrainingReturn) -> ReturnDetail:
    """A return's lines with compliance, the target in force at the quarter's end and RAG, its
    workflow events and the history of its figures. Four queries."""
    book = target_book(ret.agency.partnership_id)
    figures = list(ret.figures.select_related("staff_group", "level")
                   .order_by("staff_group__order", "staff_group__name", "level__order"))
    lines = []
    eligible = trained = 0
    for figure in figures:
        value = rules.compliance(figure.trained, figure.eligible)
        target = book.in_force(level_id=figure.level_id, on=ret.quarter.ends_on)
        status = rules.rag(value, target)
        lines.append(Line(figure, value, target.target if target else None, status,
                          status in ("amber", "red")))
        eligible += figure.eligible or 0
        trained += figure.trained or 0
    events = list(ret.events.select_related("actor").order_by("occurred_at", "id"))
    history = list(TrainingFigure.history.filter(ret_id=ret.pk).select_related("history_user")
                   .order_by("-history_date", "-history_id")[:200])
    labels = {f.pk: f"{f.staff_group.name}, {f.level.name}" for f in figures}
    previous: dict[int, object] = {}
    for entry in reversed(history):
        entry.line_label = labels.get(entry.id, "A line no longer in the return")
        before = previous.get(entry.id)
        entry.changes = [(name, getattr(before, name) if before else None, getattr(entry, name))
                         for name in ("eligible", "trained", "narrative")
                         if before is None or getattr(before, name) != getattr(entry, name)]
        previous[entry.id] = entry
    return ReturnDetail(ret=ret, lines=lines, events=events, history=history,
                        total=rules.compliance(trained, eligible),
                        below_target=sum(1 for line in lines if line.needs_narrative))


def my_returns_due(*, user) -> list[TrainingReturn]:
    """A submitter's returns still to send: drafts and queried returns. One query."""
    return list(TrainingReturn.objects.filter(agency__in=agencies_for(user))
                .filter(Q(status=ReturnStatus.DRAFT) | Q(status=ReturnStatus.QUERIED))
                .select_related("agency", "quarter").order_by("quarter__due_on", "agency__name")[:20])


def returns_awaiting_review(*, user) -> list[TrainingReturn]:
    """Returns submitted or resubmitted and waiting for a reviewer. One query."""
    return list(training_returns_for(user).filter(status__in=list(AWAITING_REVIEW))
                .select_related("agency", "quarter").order_by("submitted_at")[:20])
