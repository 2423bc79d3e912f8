"""Returns: opening one, saving its figures, and moving it through the shared workflow."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from partners.access import can_act_for
from partners.lifecycle import require_active
from partners.models import Agency
from safeguarding.audit import audit_record
from safeguarding.concurrency import ensure_current
from safeguarding.errors import NotAllowed, StaleEdit
from safeguarding.formatting import format_figure
from safeguarding.workflow import (
    ReturnNotReady,
    ReturnStatus,
    check_quarter_open,
    lock_for_figures,
    return_transition,
)

from ..linked import linked_counts
from ..models import Quarter, Return, ReturnEvent
from ..selectors.catalogue import Catalogue, catalogue_load
from ..selectors.returns import return_sheet
from ..validation import TYPED_RATIO_TOLERANCE, Problem, compute_ratio, indicator_problems, line_label
from .figures import ApplyResult, FiguresRefused, figures_apply


class ReturnProblems(ReturnNotReady):
    """Submission refused; ``details`` holds each ``Problem`` (with its form field)."""

    def __init__(self, problems: list[str], details: list[Problem]):
        super().__init__(problems)
        self.details = details


_check_quarter_open = check_quarter_open


def return_get_or_create(*, actor, agency: Agency, quarter: Quarter) -> tuple[Return, bool]:
    """The agency's return for the quarter, opened as a draft if there is none yet.

    Only someone who acts for the agency may open it; a closed quarter opens nothing.
    """
    if agency.partnership_id != quarter.partnership_id or actor.partnership_id != agency.partnership_id:
        raise NotAllowed("This agency and quarter do not belong to your partnership.")
    existing = Return.objects.filter(agency=agency, quarter=quarter).select_related("agency", "quarter").first()
    if existing is not None:
        return existing, False
    if not can_act_for(actor, agency):
        raise NotAllowed(f"You cannot open a return for {agency}.")
    _check_quarter_open(quarter)
    require_active(agency, quarter.starts_on, quarter.ends_on, what=f"a return for {quarter.label}")
    try:
        with transaction.atomic():
            ret = Return.objects.create(agency=agency, quarter=quarter)
            audit_record(actor=actor, action="return.created", obj=ret, partnership=agency.partnership,
                         data={"agency": agency.pk, "quarter": quarter.label})
    except IntegrityError:  # someone opened it a moment ago
        return Return.objects.select_related("agency", "quarter").get(agency=agency, quarter=quarter), False
    ret.agency, ret.quarter = agency, quarter
    return ret, True


def lock_for_editing(actor, ret: Return) -> Return:
    """Lock ``ret`` for a change of its figures, refusing unless ``actor`` acts for its agency,
    it is a draft or queried, and its quarter is open (the shared rule, ``workflow.lock_for_figures``).
    Call inside ``transaction.atomic``."""
    return lock_for_figures(actor=actor, ret=ret)


def return_values_save(*, actor, ret: Return, version: str | None, entries: dict[tuple[int, int | None], dict],
                       catalogue: Catalogue | None = None) -> ApplyResult:
    """Save a draft's figures from the browser form.

    ``entries`` maps (indicator id, part id or None) to the typed text of ``value``,
    ``numerator``, ``denominator``, ``narrative``. ``version`` is the token the form was loaded
    with: if the return changed since, nothing is saved (``StaleEdit``), unless the post
    changes nothing at all (a form posted twice). Raises ``FiguresRefused`` with every problem.
    """
    catalogue = catalogue or catalogue_load(ret.agency.partnership_id)
    with transaction.atomic():
        locked = lock_for_editing(actor, ret)
        try:
            ensure_current(current=locked.updated_at, token=version, what="return")
            stale = None
        except StaleEdit as exc:
            stale = exc
        keyed = {(locked.pk, ind, part): raw for (ind, part), raw in entries.items()}
        try:
            result = figures_apply(actor=actor, returns=[locked], entries=keyed, catalogue=catalogue)
        except FiguresRefused:
            if stale:
                raise stale from None
            raise
        if stale and result.changed:
            # Leaving the block by an exception rolls back what figures_apply wrote.
            raise stale
        if result.changed:
            audit_record(actor=actor, action="return.figures_saved", obj=locked,
                         partnership=locked.agency.partnership,
                         data={"created": result.created, "updated": result.updated})
    ret.updated_at = locked.updated_at
    return result


def check_ready(ret: Return, *, catalogue: Catalogue | None = None) -> list[Problem]:
    """Everything that stops ``ret`` being submitted, each naming its field: hard errors on any
    figure, required figures missing, incomplete ratios and breakdowns, narratives the soft checks
    ask for (red against target, or a large move against the last accepted quarter), a closed quarter."""
    problems: list[Problem] = []
    if ret.quarter.is_closed:
        problems.append(Problem(0, None, "quarter", ret.quarter.label,
                                "the quarter is closed, so returns can no longer be submitted."))
    sheet = return_sheet(ret, catalogue=catalogue)
    linked = linked_counts(ret.agency_id, ret.quarter_id, [line.indicator for line in sheet.lines])
    for line in sheet.lines:
        link = linked.get(line.indicator.pk)
        if link is not None and not line.figures.total.na_reason:
            expected = compute_ratio(line.indicator.unit, link.numerator, link.denominator)
            if line.value is None or abs(line.value - expected) > TYPED_RATIO_TOLERANCE:
                problems.append(Problem(line.indicator.pk, None, "numerator", line_label(line.indicator),
                                        f"{link.source} gives {format_figure(expected, line.indicator)} "
                                        f"({format_figure(link.numerator, 'count')} of "
                                        f"{format_figure(link.denominator, 'count')}): leave the numerator and "
                                        "denominator blank and save, so that they are filled from it."))
                continue
        found = indicator_problems(line.indicator, line.parts, line.figures, stage="submit")
        problems += found
        if line.needs_narrative and not (line.figures.total.narrative or "").strip():
            problems.append(Problem(line.indicator.pk, None, "narrative",
                                    f"{line.indicator.code} {line.indicator.name}",
                                    "Give a narrative explaining this figure: " + " and ".join(line.narrative_reasons)
                                    + ".", hard=False))
    return problems


def _transition(*, actor, ret: Return, action: str, comment: str = "") -> Return:
    details: list[Problem] = []

    def ready(locked: Return) -> list[str]:
        details[:] = check_ready(locked)
        return [str(p) for p in details]

    try:
        return return_transition(actor=actor, ret=ret, action=action, comment=comment, event_model=ReturnEvent,
                                 check_ready=ready if action in ("submit", "resubmit") else None)
    except ReturnNotReady as exc:
        raise ReturnProblems(exc.problems, list(details)) from exc


def return_submit(*, actor, ret: Return, comment: str = "") -> Return:
    """Draft -> submitted, if ``check_ready`` finds nothing (raises ``ReturnProblems``)."""
    return _transition(actor=actor, ret=ret, action="submit", comment=comment)


def return_resubmit(*, actor, ret: Return, comment: str) -> Return:
    """Queried -> resubmitted, with the answer to the query as ``comment``."""
    return _transition(actor=actor, ret=ret, action="resubmit", comment=comment)


def return_query(*, actor, ret: Return, comment: str) -> Return:
    """Submitted/resubmitted -> queried: the reviewer's question is ``comment``."""
    return _transition(actor=actor, ret=ret, action="query", comment=comment)


def return_accept(*, actor, ret: Return, comment: str = "") -> Return:
    """Submitted/resubmitted -> accepted: the return locks."""
    return _transition(actor=actor, ret=ret, action="accept", comment=comment)


def return_reopen(*, actor, ret: Return, comment: str) -> Return:
    """Accepted -> draft, by the business manager only, with the reason as ``comment``."""
    return _transition(actor=actor, ret=ret, action="reopen", comment=comment)


__all__ = ["FiguresRefused", "ReturnProblems", "ReturnStatus", "check_ready", "return_accept",
           "return_get_or_create", "return_query", "return_reopen", "return_resubmit", "return_submit",
           "return_values_save"]
