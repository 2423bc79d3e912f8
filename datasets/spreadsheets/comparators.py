"""Uploading comparators (England, region, statistical neighbours) for many indicators at once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from partners.access import require_manager
from safeguarding.audit import audit_record
from safeguarding.formatting import NA_REASONS, format_figure, reason_label
from safeguarding.periods import FinancialYear
from safeguarding.upload_preview import Change, UploadChanges, changed_fields
from safeguarding.uploads import RowError, read_table, word_key

from ..models import Comparator, ComparatorKind, Unit
from ..selectors.catalogue import catalogue_load
from ..services.parsing import NotANumber, parse_figure, published_symbol

KINDS = {label.lower(): value for value, label in ComparatorKind.choices} | {v: v for v in ComparatorKind.values}
COMPARATORS_SHEET = "Comparators"
COMPARATOR_COLUMNS = ["code", "year", "kind", "value", "source"]
KIND_LABELS = dict(ComparatorKind.choices)
# The precision the database keeps (Comparator.value has 4 decimal places).
_STORED = Decimal(1).scaleb(-Comparator._meta.get_field("value").decimal_places)
KINDS |= {"national": "england", "statistical neighbour": "neighbours", "neighbours": "neighbours", "sn": "neighbours"}


def comparators_upload(*, actor, partnership, upload) -> UploadChanges:
    """Create or replace comparators from a file with columns code, year, kind, value (and
    optionally source, part — a part of the indicator's breakdown — and "not available because"
    with a "not available note", for a comparator published as not available, issue 13.1/13.3;
    its value is then blank). Every bad row is listed and nothing is saved if there is one
    (``UploadRejected``). A value equal to the stored one once rounded to the stored precision is
    left alone (no phantom change). Returns what was added and changed, from what to what."""
    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload comparators.")
    table = read_table(upload, required=["code", "year", "kind", "value"],
                       optional=["source", "indicator", "part", "not available because", "not available note"],
                       sheet=COMPARATORS_SHEET)
    catalogue = catalogue_load(partnership.pk)
    errors: list[RowError] = []
    wanted: dict[tuple, tuple] = {}
    reasons = {**{v.lower(): k for k, v in NA_REASONS.items()}, **{k: k for k in NA_REASONS}}
    for number, cells in table.numbered():
        indicator = catalogue.by_code.get(cells["code"].strip().upper())
        if indicator is None:
            errors.append(RowError(number, "code", f"‘{cells['code']}’ is not an indicator code in the catalogue."))
            continue
        try:
            year = FinancialYear.parse(cells["year"])
        except ValueError as exc:
            errors.append(RowError(number, "year", str(exc)))
            continue
        kind = KINDS.get(word_key(cells["kind"]))
        if kind is None:
            errors.append(RowError(number, "kind", "Write England, Region or Statistical neighbours."))
            continue
        symbol = published_symbol(cells["value"])
        try:
            value = None if symbol else parse_figure(
                cells["value"], percent_ok=indicator.unit == Unit.PERCENTAGE,
                pounds_ok=indicator.unit == Unit.POUNDS, label="The comparator", symbols=True)
        except NotANumber as exc:
            errors.append(RowError(number, "value", exc.message))
            continue
        reason_text = word_key(cells.get("not available because", ""))
        reason = reasons.get(reason_text, "") if reason_text else (symbol or "")
        if reason_text and (not reason or reason == "not_known"):
            errors.append(RowError(number, "not available because", f"‘{reason_text[:40]}’ is not a reason: use "
                                   "not collected, no longer reported, suppressed at source or not applicable."))
            continue
        if value is None and not reason:
            errors.append(RowError(number, "value", "Give the figure, or say why it is not available."))
            continue
        if value is not None and reason:
            errors.append(RowError(number, "value", "A comparator that is not available has no figure: clear one."))
            continue
        part = None
        part_text = word_key(cells.get("part", ""))
        if part_text:
            part = next((x for x in catalogue.parts.get(indicator.pk, [])
                         if part_text in (word_key(x.label), word_key(x.code))), None)
            if part is None:
                errors.append(RowError(number, "part", f"‘{cells['part'][:40]}’ is not a part of {indicator.code}'s "
                                                       "breakdown."))
                continue
        key = (indicator.pk, part.pk if part else None, year.start_year, kind)
        if key in wanted:
            errors.append(RowError(number, "code", f"This repeats row {wanted[key][2]}: keep one of them."))
            continue
        if value is not None:
            value = value.quantize(_STORED, rounding=ROUND_HALF_UP)
        wanted[key] = (value, cells.get("source", "").strip()[:300], number, reason,
                       cells.get("not available note", "").strip()[:300], part)
    if errors:
        raise table.reject(errors)
    with transaction.atomic():
        existing = {(c.indicator_id, c.part_id, c.year_start, c.kind): c
                    for c in Comparator.objects.select_for_update().filter(indicator__partnership=partnership)}
        create, update = [], []
        changes = UploadChanges(singular="comparator", what_heading="Indicator, year and comparator")
        for key, (value, source, number, reason, note, part) in wanted.items():
            row = existing.get(key)
            indicator = catalogue.indicators[key[0]]
            what = (f"{catalogue.indicators[key[0]].code}{' – ' + part.label if part else ''}, "
                    f"{FinancialYear(key[2]).label}, {KIND_LABELS[key[3]]}")
            if row is None:
                create.append(Comparator(indicator_id=key[0], part=part, year_start=key[2], kind=key[3], value=value,
                                         source=source, na_reason=reason, na_note=note))
                changes.added.append(Change(number, what, None, _shown(indicator, value, source, reason, note)))
            elif (row.value, row.na_reason, row.na_note) == (value, reason, note) and \
                    (not source or source == row.source):
                changes.unchanged += 1
            else:
                old = {"value": row.value, "source": row.source, "reason": row.na_reason, "note": row.na_note}
                new = {"value": value, "source": source or row.source, "reason": reason, "note": note}
                changes.changed.append(Change(
                    number, what, _shown(indicator, row.value, row.source, row.na_reason, row.na_note),
                    _shown(indicator, value, source or row.source, reason, note),
                    changed_fields(old, new, {"value": "value", "source": "source", "reason": "not available because",
                                              "note": "not available note"})))
                row.value, row.source, row.na_reason, row.na_note = value, source or row.source, reason, note
                update.append(row)
        Comparator.objects.bulk_create(create)
        Comparator.objects.bulk_update(update, ["value", "source", "na_reason", "na_note"])
        if create or update:
            audit_record(actor=actor, action="comparators.uploaded", partnership=partnership,
                         data={"created": len(create), "updated": len(update)})
    return changes


def _shown(indicator, value, source: str, reason: str = "", note: str = "") -> str:
    """A comparator as people read it: its figure by the indicator's unit and decimals (the one
    formatter), or "n/a: <reason>", then its source in brackets."""
    text = f"n/a: {reason_label(reason, note)}" if reason else format_figure(value, indicator)
    return text + (f" ({source})" if source else "")
