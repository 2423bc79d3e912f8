"""Uploading returns from a spreadsheet: one agency's return, or many agencies' at once.

Both read the file with ``safeguarding.uploads.read_table`` (size, type, zip-bomb and formula
checks), resolve every row (agency by name or alias, quarter, indicator code, breakdown part),
then hand the figures to ``services.figures.figures_apply``. Every refused row is reported as a
``RowError`` (row, column, reason) in one ``UploadRejected``, and nothing at all is saved from a
file with any error. No per-row queries: the catalogue, agencies, quarters and returns are read
once, and values are written in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from partners.access import require_manager
from partners.lifecycle import NameIndex
from partners.models import Agency
from safeguarding.audit import audit_record
from safeguarding.formatting import format_figure, reason_label
from safeguarding.periods import FinancialQuarter
from safeguarding.upload_preview import Change, UploadChanges, changed_fields, counted
from safeguarding.uploads import RowError, Table, UploadRejected, read_table, word_key
from safeguarding.workflow import EDITABLE

from ..models import Quarter, Return
from ..selectors.catalogue import Catalogue, catalogue_load
from ..services.figures import ApplyResult, FiguresRefused, figures_apply
from ..services.returns import lock_for_editing
from ..validation import Figures, line_label
from .layout import ENTRY_KEYS, FIGURE_COLUMNS, INFO_COLUMNS, OPTIONAL, REQUIRED, SHEET


@dataclass
class UploadOutcome(UploadChanges):
    """What a returns upload changes: figures added and changed (from what to what), unchanged,
    and the returns it touches (``returns``) and opens as drafts (``returns_created``)."""

    singular: str = "figure"
    rows: int = 0
    returns: int = 0
    returns_created: int = 0

    @property
    def created(self) -> int:
        return len(self.added)

    @property
    def updated(self) -> int:
        return len(self.changed)


# What a changed line's "Changed:" names, by ``Figures`` attribute (the template's column names).
FIGURE_FIELDS = {"value": "value", "numerator": "numerator", "denominator": "denominator", "narrative": "narrative",
                 "na_reason": "not available because", "na_note": "not available note", "source": "source",
                 "source_date": "source date"}


def _describe(figures: Figures, indicator) -> str:
    """A line's figures as people read them, through the one formatter (the value by its
    indicator's unit and decimals, counts as counts): "85.0% (170 / 200)", "blank", or
    "n/a: Suppressed at source"; then the narrative, and the source and its date if given."""
    if figures.na_reason:
        text = f"n/a: {reason_label(figures.na_reason, figures.na_note)}"
    else:
        text = "blank" if figures.value is None else format_figure(figures.value, indicator)
    if figures.numerator is not None or figures.denominator is not None:
        text += f" ({format_figure(figures.numerator)} / {format_figure(figures.denominator)})"
    if figures.narrative:
        narrative = figures.narrative if len(figures.narrative) <= 60 else figures.narrative[:57] + "…"
        text += f"; narrative ‘{narrative}’"
    if figures.source or figures.source_date:
        text += f"; source {figures.source or '–'}" + (f", {figures.source_date:%-d %b %Y}"
                                                         if figures.source_date else "")
    return text


def _fields(old: Figures, new: Figures) -> tuple[str, ...]:
    return changed_fields({k: getattr(old, k) for k in FIGURE_FIELDS}, {k: getattr(new, k) for k in FIGURE_FIELDS},
                          FIGURE_FIELDS)


def _outcome(result: ApplyResult, *, returns: list[Return], catalogue: Catalogue, row_of: dict, first_row_of: dict,
             rows: int, with_agency: bool) -> UploadOutcome:
    by_id = {r.pk: r for r in returns}
    parts = {p.pk: p for ps in catalogue.parts.values() for p in ps}

    def what(key) -> str:
        ret_id, indicator_id, part_id = key
        label = line_label(catalogue.indicators[indicator_id], parts.get(part_id))
        ret = by_id[ret_id]
        return f"{ret.agency.name}, {ret.quarter.label}: {label}" if with_agency else label

    def row(key):
        return row_of.get(key) or first_row_of.get(key[:2])

    def ind(key):
        return catalogue.indicators[key[1]]

    outcome = UploadOutcome(rows=rows, unchanged=result.unchanged, returns=len(result.changed_returns),
                            what_heading="Agency, quarter and figure" if with_agency else "Figure")
    outcome.added = [Change(row(key), what(key), None, _describe(new, ind(key))) for key, new in result.added]
    outcome.changed = [Change(row(key), what(key), _describe(old, ind(key)), _describe(new, ind(key)),
                              _fields(old, new)) for key, old, new in result.modified]
    return outcome


@dataclass
class _Row:
    number: int
    agency: Agency
    quarter: Quarter
    indicator_id: int
    part_id: int | None
    raw: dict


def _part_lookup(catalogue: Catalogue) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    for indicator_id, parts in catalogue.parts.items():
        names = {}
        for part in parts:
            names[word_key(part.label)] = part
            names[word_key(part.code)] = part
        out[indicator_id] = names
    return out


def _resolve_rows(table, *, catalogue: Catalogue, agency_names: NameIndex,
                  quarters: dict[tuple[int, int], Quarter], fixed_agency: Agency | None = None,
                  fixed_quarter: Quarter | None = None) -> tuple[list[_Row], list[RowError]]:
    """Each row as (agency, quarter, indicator, part, typed figures), or an error naming it."""
    errors: list[RowError] = []
    rows: list[_Row] = []
    parts = _part_lookup(catalogue)
    seen: dict[tuple, int] = {}
    present = [c for c in FIGURE_COLUMNS if c in table.columns]
    quarter_cache: dict[str, Quarter | str] = {}
    for number, cells in table.numbered():
        agency_text = cells.get("agency", "")
        if fixed_agency is not None and not agency_text:
            agency = fixed_agency
        else:
            agency = agency_names.get(agency_text)
            if agency is None:
                errors.append(RowError(number, "agency", f"‘{agency_text}’ is not an agency of this partnership "
                                                         "(use its name or one of its other names)."
                                       if agency_text else "Give the agency's name."))
                continue
            if fixed_agency is not None and agency.pk != fixed_agency.pk:
                errors.append(RowError(number, "agency", f"This row is for {agency.name}, but this file is "
                                                         f"{fixed_agency.name}'s return: remove the row."))
                continue
        quarter_text = cells.get("quarter", "").strip()
        if fixed_quarter is not None and not quarter_text:
            quarter = fixed_quarter
        else:
            if quarter_text not in quarter_cache:
                try:
                    period = FinancialQuarter.parse(quarter_text)
                    quarter_cache[quarter_text] = quarters.get((period.year.start_year, period.number)) or \
                        f"There is no reporting quarter {period.label} set up."
                except ValueError:
                    quarter_cache[quarter_text] = (f"‘{quarter_text}’ is not a quarter: write it like 2024/25-Q3."
                                                   if quarter_text else "Give the quarter, like 2024/25-Q3.")
            quarter = quarter_cache[quarter_text]
            if isinstance(quarter, str):
                errors.append(RowError(number, "quarter", quarter))
                continue
            if fixed_quarter is not None and quarter.pk != fixed_quarter.pk:
                errors.append(RowError(number, "quarter", f"This row is for {quarter.label}, but this file is "
                                                          f"the return for {fixed_quarter.label}."))
                continue
        if fixed_agency is None:
            # A closed agency's name (or one not yet active) opens no return: the row is refused
            # naming its successor (partners.lifecycle, issue 12.6).
            resolved = agency_names.resolve(agency_text, quarter.starts_on, quarter.ends_on, follow_successor=False)
            if resolved.error:
                errors.append(RowError(number, "agency", resolved.error))
                continue
        code = cells.get("code", "").strip()
        indicator = catalogue.by_code.get(code.upper())
        if indicator is None:
            errors.append(RowError(number, "code", f"‘{code}’ is not an indicator code in the catalogue."
                                   if code else "Give the indicator's code."))
            continue
        part_text = cells.get("part", "").strip()
        part = None
        if part_text:
            part = parts.get(indicator.pk, {}).get(word_key(part_text))
            if part is None:
                known = ", ".join(p.label for p in catalogue.parts.get(indicator.pk, [])) or "none"
                errors.append(RowError(number, "part", f"‘{part_text}’ is not a part of {indicator.code}'s "
                                                       f"breakdown (its parts: {known})."))
                continue
        key = (agency.pk, quarter.pk, indicator.pk, part.pk if part else None)
        if key in seen:
            errors.append(RowError(number, "code", f"This repeats row {seen[key]} (same agency, quarter, "
                                                   "indicator and part): keep one of them."))
            continue
        seen[key] = number
        rows.append(_Row(number, agency, quarter, indicator.pk, part.pk if part else None,
                         {ENTRY_KEYS.get(c, c): cells.get(c, "") for c in present}))
    return rows, errors


def _refusal_errors(exc: FiguresRefused, row_of: dict[tuple, int], first_row_of: dict[tuple, int]) -> list[RowError]:
    out = []
    for ret_id, problem in exc.problems:
        number = row_of.get((ret_id, problem.indicator_id, problem.part_id)) or first_row_of.get(
            (ret_id, problem.indicator_id))
        out.append(RowError(number, problem.column, f"{problem.label}: {problem.message}"))
    out.sort(key=lambda e: (e.row or 0))
    return out


def _raise(errors: list[RowError], table: Table) -> None:
    """Refuse the file: every error with its cell reference, sorted by row and capped."""
    raise table.reject(errors)


def _agency_names(partnership_id: int) -> NameIndex:
    """Names, slugs and aliases of the partnership's agencies, case and spacing ignored (2 queries)."""
    return NameIndex(partnership_id)


def _apply(*, actor, returns: list[Return], rows: list[_Row], catalogue: Catalogue, table: Table,
           with_agency: bool = True, history_reason: str | None = None) -> UploadOutcome:
    by_pair = {(r.agency_id, r.quarter_id): r for r in returns}
    entries, row_of, first_row_of = {}, {}, {}
    for row in rows:
        ret = by_pair[(row.agency.pk, row.quarter.pk)]
        key = (ret.pk, row.indicator_id, row.part_id)
        entries[key] = row.raw
        row_of[key] = row.number
        first_row_of.setdefault((ret.pk, row.indicator_id), row.number)
    try:
        result = figures_apply(actor=actor, returns=returns, entries=entries, catalogue=catalogue,
                               history_reason=history_reason)
    except FiguresRefused as exc:
        _raise(_refusal_errors(exc, row_of, first_row_of), table)
    return _outcome(result, returns=returns, catalogue=catalogue, row_of=row_of, first_row_of=first_row_of,
                    rows=len(rows), with_agency=with_agency)


def _apply_collecting(*, actor, returns, rows, catalogue, errors: list[RowError], table: Table,
                      with_agency: bool = True, history_reason: str | None = None) -> UploadOutcome:
    """Check (and, if nothing at all is wrong, save) the figures; raise every error of the file.
    Called inside a transaction: raising after a save rolls the save back."""
    result = None
    try:
        result = _apply(actor=actor, returns=returns, rows=rows, catalogue=catalogue, table=table,
                        with_agency=with_agency, history_reason=history_reason)
    except UploadRejected as exc:
        errors = errors + exc.errors
    if errors:
        errors.sort(key=lambda e: e.row or 0)
        _raise(errors, table)
    return result


def return_upload(*, actor, ret: Return, upload) -> UploadOutcome:
    """Fill ``ret`` from an uploaded XLSX or CSV (the downloaded return, filled in).

    Rows for another agency or quarter, unknown codes or parts, duplicates, unreadable figures,
    formulas: every one is listed and nothing is saved (raises ``UploadRejected``).
    """
    table = read_table(upload, required=REQUIRED, optional=OPTIONAL, ignored=INFO_COLUMNS, sheet=SHEET)
    catalogue = catalogue_load(ret.agency.partnership_id)
    with transaction.atomic():
        locked = lock_for_editing(actor, ret)
        quarters = {(locked.quarter.year_start, locked.quarter.number): locked.quarter}
        names = _agency_names(locked.agency.partnership_id)
        rows, errors = _resolve_rows(table, catalogue=catalogue, agency_names=names, quarters=quarters,
                                     fixed_agency=locked.agency, fixed_quarter=locked.quarter)
        result = _apply_collecting(actor=actor, returns=[locked], rows=rows, catalogue=catalogue, errors=errors,
                                   table=table, with_agency=False)
        if not result.nothing_changed:
            audit_record(actor=actor, action="return.uploaded", obj=locked, partnership=locked.agency.partnership,
                         data={"rows": len(rows), "created": result.created, "updated": result.updated})
    return result


def bulk_upload(*, actor, partnership, upload, quarter: Quarter | None = None) -> UploadOutcome:
    """The business manager's file of many agencies' returns (e.g. a performance team's extract).

    Agencies are matched by name or alias; ``quarter`` limits the file to one quarter (rows may
    then leave the quarter blank), otherwise each row names an existing quarter. Returns are
    opened as drafts where there are none; returns already submitted or accepted, and closed
    quarters, are refused. All or nothing (raises ``UploadRejected``).
    """
    require_manager(actor, partnership.pk,
                    "Only the partnership's business manager can upload several agencies' returns.")
    table = read_table(upload, required=REQUIRED, optional=OPTIONAL, ignored=INFO_COLUMNS, sheet=SHEET)
    catalogue = catalogue_load(partnership.pk)
    quarters = {(q.year_start, q.number): q for q in Quarter.objects.filter(partnership=partnership)}
    rows, errors = _resolve_rows(table, catalogue=catalogue, agency_names=_agency_names(partnership.pk),
                                 quarters=quarters, fixed_quarter=quarter)
    pairs = {}
    for row in rows:
        pairs.setdefault((row.agency.pk, row.quarter.pk), row)
    with transaction.atomic():
        existing = {(r.agency_id, r.quarter_id): r for r in Return.objects.select_for_update().filter(
            agency__partnership=partnership, quarter__in={r.quarter.pk for r in rows}).only(
            "pk", "agency_id", "quarter_id", "status")}
        refused = set()
        for pair, first in pairs.items():
            ret = existing.get(pair)
            if first.quarter.is_closed or (ret is not None and ret.status not in EDITABLE):
                refused.add(pair)
            if first.quarter.is_closed:
                errors.append(RowError(first.number, "quarter", f"{first.quarter.label} is closed: its returns "
                                                                "can no longer be changed."))
            elif ret is not None and ret.status not in EDITABLE:
                errors.append(RowError(first.number, "agency",
                                       f"{first.agency.name}'s return for {first.quarter.label} is "
                                       f"{ret.get_status_display().lower()}, so it cannot be changed by upload"
                                       + (" (reopen it first)." if ret.status == "accepted" else ".")))
        # Rows of refused returns are not checked further; every other row is, so that the
        # person sees every problem of the file at once.
        rows = [row for row in rows if (row.agency.pk, row.quarter.pk) not in refused]
        pairs = {pair: row for pair, row in pairs.items() if pair not in refused}
        missing = [Return(agency=row.agency, quarter=row.quarter) for pair, row in pairs.items()
                   if pair not in existing]
        Return.objects.bulk_create(missing, batch_size=1000)
        returns = list(Return.objects.select_for_update(of=("self",)).select_related("agency", "quarter").filter(
            agency__partnership=partnership, quarter__in={r.quarter.pk for r in rows},
            agency__in={r.agency.pk for r in rows}))
        returns = [r for r in returns if (r.agency_id, r.quarter_id) in pairs]
        result = _apply_collecting(actor=actor, returns=returns, rows=rows, catalogue=catalogue, errors=errors,
                                   table=table)
        if missing or not result.nothing_changed:
            audit_record(actor=actor, action="returns.bulk_uploaded", obj=quarter, partnership=partnership,
                         data={"rows": len(rows), "returns": len(returns), "returns_created": len(missing),
                               "created": result.created, "updated": result.updated})
    result.returns_created = len(missing)
    if missing:
        drafts = "a draft" if len(missing) == 1 else "drafts"
        opened = counted(len(missing), 'return')
        result.effect(will=f"{opened} will be opened as {drafts} for the agencies to check and submit.",
                      done=f"{opened} opened as {drafts} for the agencies to check and submit.")
    return result
