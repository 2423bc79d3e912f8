"""Training returns: start, fill in (browser or spreadsheet), and move through the one shared
return workflow (``safeguarding.workflow.return_transition``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.access import can_act_for
from partners.lifecycle import require_active
from partners.models import Agency
from safeguarding.audit import audit_record
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, NotAllowed, full_clean_or_refuse
from safeguarding.formatting import format_figure, limit_text
from safeguarding.plurals import counted
from safeguarding.upload_preview import Change, UploadChanges
from safeguarding.uploads import RowError, read_table, word_key
from safeguarding.workflow import check_quarter_open, lock_for_figures, return_transition

from .. import rules
from ..models import StaffGroup, TrainingFigure, TrainingReturn, TrainingReturnEvent, TrainingTarget

NARRATIVE_MAX = 5000  # characters, as the dataset narratives (datasets.services.figures)

UPLOAD_REQUIRED = ["staff group", "level", "eligible staff", "trained staff"]
UPLOAD_OPTIONAL = ["narrative"]
# Our own download carries the computed columns too: never read back (``read_table``'s
# ``ignored``), so a compliance formula a person adds there refuses nothing.
UPLOAD_IGNORED = ["compliance %", "target %", "rag"]


class FiguresInvalid(DomainError):
    """Some figures of a return were refused; ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(f"{counted(len(errors), 'figure')} could not be saved: "
                         "nothing has been changed.")
        self.errors = errors


@dataclass(frozen=True)
class FigureInput:
    eligible: object = None
    trained: object = None
    narrative: str = ""


@transaction.atomic
def training_return_start(*, actor, agency: Agency, quarter) -> TrainingReturn:
    """The agency's training return for the quarter, created with one line per staff group and
    level the agency reports (taken from the staff groups in force when it is started)."""
    if actor is not None and not can_act_for(actor, agency):
        raise NotAllowed("You cannot start a training return for this agency.")
    if quarter.partnership_id != agency.partnership_id:
        raise DomainError("That quarter belongs to another partnership.", field="quarter")
    check_quarter_open(quarter)
    if quarter.opens_on > timezone.localdate():
        raise DomainError(f"Returns for {quarter.label} open on {quarter.opens_on:%-d %B %Y}.", field="quarter")
    existing = TrainingReturn.objects.filter(agency=agency, quarter=quarter).first()
    if existing:
        return existing
    require_active(agency, quarter.starts_on, quarter.ends_on, what=f"a training return for {quarter.label}",
                   field="agency")
    # Staff groups list their agency types in a JSON array; filtered here rather than with a
    # JSON "contains" lookup, which SQLite (the first-look database) does not have.
    groups = [group for group in StaffGroup.objects.filter(partnership_id=agency.partnership_id, is_active=True)
              .prefetch_related("levels") if agency.agency_type in (group.agency_types or [])]
    try:
        with transaction.atomic():  # the return and its lines together, or neither
            ret = TrainingReturn.objects.create(agency=agency, quarter=quarter)
            TrainingFigure.objects.bulk_create([
                TrainingFigure(ret=ret, staff_group=group, level=level)
                for group in groups for level in group.levels.all() if level.is_active
            ])
    except IntegrityError:  # someone else started it a moment ago
        return TrainingReturn.objects.get(agency=agency, quarter=quarter)
    audit_record(actor=actor, action="training_return.started", obj=ret, partnership=agency.partnership,
                 data={"quarter": quarter.label})
    return ret


def _target_book(partnership_id: int) -> rules.TargetBook:
    return rules.TargetBook(TrainingTarget.objects.filter(partnership_id=partnership_id))


def _label(figure: TrainingFigure) -> str:
    return f"{figure.staff_group.name}, {figure.level.name}"


def _parse(figure: TrainingFigure, data: FigureInput, *, key: str) -> tuple[dict, dict[str, str]]:
    """The new values for one line, and the errors keyed by form field."""
    errors: dict[str, str] = {}
    values = {}
    for name, word in (("eligible", "Eligible staff"), ("trained", "Trained staff")):
        try:
            values[name] = rules.parse_count(getattr(data, name), label=f"{_label(figure)}: {word.lower()}")
        except DomainError as error:
            errors[f"{name}_{key}"] = error.message
    if not errors:
        try:
            rules.check_trained(eligible=values["eligible"], trained=values["trained"], label=_label(figure))
        except DomainError as error:
            errors[f"trained_{key}"] = error.message
    narrative = (data.narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        errors[f"narrative_{key}"] = (f"{_label(figure)}: the narrative must be {limit_text(NARRATIVE_MAX)} characters "
                                      f"or fewer (it has {limit_text(len(narrative))}).")
    values["narrative"] = narrative
    return values, errors


def _apply(*, actor, ret: TrainingReturn, changes: dict[int, dict], source: str) -> list[dict]:
    """Save the changed lines (each kept in the figures' history) and, only when one changed,
    move the return's version (an unchanged upload leaves open forms current: issue 14 point 5).
    Returns each changed line as {"line", "pk", "before", "after"}."""
    figures = {f.pk: f for f in ret.figures.select_related("staff_group", "level")}
    changed = []
    for pk, values in changes.items():
        figure = figures[pk]
        before = {k: getattr(figure, k) for k in values}
        if before == values:
            continue
        for key, value in values.items():
            setattr(figure, key, value)
        figure.updated_by = actor
        figure._history_user = actor  # noqa: SLF001 - simple-history's documented hook outside requests
        full_clean_or_refuse(figure, exclude=["ret", "staff_group", "level", "updated_by"])
        figure.save()
        changed.append({"line": _label(figure), "pk": pk, "before": before, "after": values})
    if changed:
        ret.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="training_return.figures_changed", obj=ret, partnership=ret.partnership,
                     data={"source": source, "changes": changed})
    return changed


def _locked_editable(actor, ret: TrainingReturn) -> TrainingReturn:
    """The shared rule for changing a return's figures (``workflow.lock_for_figures``): the
    agency's people, a draft or queried return, an open quarter."""
    return lock_for_figures(actor=actor, ret=ret)


@transaction.atomic
def training_return_save(*, actor, ret: TrainingReturn, version: str | None,
                         figures: dict[int, FigureInput]) -> int:
    """Save the figures typed in the browser. ``figures`` maps a line's id to what was typed.
    Every line is checked before anything is saved; returns how many lines changed."""
    locked = _locked_editable(actor, ret)
    if version is not None:
        ensure_current(current=locked.updated_at, token=version, what="training return")
    lines = {f.pk: f for f in locked.figures.select_related("staff_group", "level")}
    errors: dict[str, str] = {}
    changes: dict[int, dict] = {}
    for pk, data in figures.items():
        if pk not in lines:
            raise DomainError("A figure does not belong to this return: reload the page and try again.")
        values, line_errors = _parse(lines[pk], data, key=str(pk))
        errors |= line_errors
        changes[pk] = values
    if errors:
        raise FiguresInvalid(errors)
    return len(_apply(actor=actor, ret=locked, changes=changes, source="form"))


@transaction.atomic
def training_return_upload(*, actor, ret: TrainingReturn, upload) -> UploadChanges:
    """Read the return's spreadsheet back. Every row is checked first; one refused row means
    nothing is saved, and ``UploadRejected`` lists every refused row and why. Returns the lines
    changed (from what to what) and how many were unchanged."""
    locked = _locked_editable(actor, ret)
    table = read_table(upload, required=UPLOAD_REQUIRED, optional=UPLOAD_OPTIONAL, ignored=UPLOAD_IGNORED,
                       sheet="Return")
    lines = {(word_key(f.staff_group.name), word_key(f.level.name)): f
             for f in locked.figures.select_related("staff_group", "level")}
    errors: list[RowError] = []
    changes: dict[int, dict] = {}
    seen: dict[int, int] = {}
    for row_number, row in table.numbered():
        key = (word_key(row["staff group"]), word_key(row["level"]))
        figure = lines.get(key)
        if figure is None:
            errors.append(RowError(row_number, "staff group", f"‘{row['staff group']}’ at ‘{row['level']}’ is not "
                                                              "a line of this return."))
            continue
        if figure.pk in seen:
            errors.append(RowError(row_number, "staff group", f"{_label(figure)} appears twice (also row "
                                                              f"{seen[figure.pk]})."))
            continue
        seen[figure.pk] = row_number
        data = FigureInput(eligible=row["eligible staff"], trained=row["trained staff"],
                           narrative=row.get("narrative", figure.narrative))
        values, line_errors = _parse(figure, data, key="x")
        for field, message in line_errors.items():
            column = {"eligible": "eligible staff", "trained": "trained staff"}.get(field.split("_")[0], "narrative")
            errors.append(RowError(row_number, column, message))
        changes[figure.pk] = values
    if errors:
        raise table.reject(errors)
    changed = _apply(actor=actor, ret=locked, changes=changes, source="upload")
    result = UploadChanges(singular="line", unchanged=len(changes) - len(changed),
                           what_heading="Staff group and level")
    result.changed = [Change(seen[c["pk"]], c["line"], _figures_text(c["before"]), _figures_text(c["after"]))
                      for c in changed]
    return result


def _figures_text(values: dict) -> str:
    """A training line's figures for the upload preview, counts through the one formatter:
    "1,120 eligible, 96 trained; narrative ‘…’"."""
    text = f"{format_figure(values.get('eligible'))} eligible, {format_figure(values.get('trained'))} trained"
    narrative = values.get("narrative") or ""
    if narrative:
        text += f"; narrative ‘{narrative if len(narrative) <= 60 else narrative[:57] + '…'}’"
    return text


def training_return_check(ret: TrainingReturn) -> list[str]:
    """What stops the return being submitted: missing figures, below-target lines without a
    narrative, a closed quarter. Each problem names its line."""
    problems = []
    if ret.quarter.is_closed:
        problems.append(f"{ret.quarter.label} has been closed by the business manager.")
    book = _target_book(ret.agency.partnership_id)
    figures = list(ret.figures.select_related("staff_group", "level"))
    if not figures:
        problems.append("The return has no lines: ask the business manager to set up the staff groups your "
                        "agency reports.")
    for figure in figures:
        label = _label(figure)
        if figure.eligible is None or figure.trained is None:
            problems.append(f"{label}: enter the number of eligible staff and the number trained.")
            continue
        value = rules.compliance(figure.trained, figure.eligible)
        target = book.in_force(level_id=figure.level_id, on=ret.quarter.ends_on)
        if rules.below_target(value, target) and not figure.narrative.strip():
            problems.append(f"{label}: {rules.fmt_pct(value)} is below the {rules.fmt_pct(target.target)} "
                            "target; explain why in the narrative.")
    return problems


def training_return_transition(*, actor, ret: TrainingReturn, action: str, comment: str = "") -> TrainingReturn:
    """Submit, resubmit, query, accept or reopen, through the one shared workflow."""
    check = training_return_check if action in ("submit", "resubmit") else None
    if action == "accept":
        from ..linked import dataset_conflicts

        check = dataset_conflicts  # one training figure (issue 13.8): never two that disagree
    return return_transition(actor=actor, ret=ret, action=action, comment=comment,
                             event_model=TrainingReturnEvent, check_ready=check, audit_name="training_return")
