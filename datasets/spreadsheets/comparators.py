"""Uploading comparators (England, region, statistical neighbours) for many indicators at once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from partners.access import require_manager
from safeguarding.audit import audit_record
from safeguarding.periods import FinancialYear
from safeguarding.upload_preview import Change, UploadChanges
from safeguarding.uploads import RowError, read_table

from ..models import Comparator, ComparatorKind, Unit
from ..selectors.catalogue import catalogue_load
from ..services.parsing import NotANumber, format_figure, parse_figure

KINDS = {label.lower(): value for value, label in ComparatorKind.choices} | {v: v for v in ComparatorKind.values}
COMPARATORS_SHEET = "Comparators"
COMPARATOR_COLUMNS = ["code", "year", "kind", "value", "source"]
KIND_LABELS = dict(ComparatorKind.choices)
# The precision the database keeps (Comparator.value has 4 decimal places).
_STORED = Decimal(1).scaleb(-Comparator._meta.get_field("value").decimal_places)
KINDS |= {"national": "england", "statistical neighbour": "neighbours", "neighbours": "neighbours", "sn": "neighbours"}


def comparators_upload(*, actor, partnership, upload) -> UploadChanges:
    """Create or replace comparators from a file with columns code, year, kind, value (and
    optionally source). Every bad row is listed and nothing is saved if there is one
    (``UploadRejected``). A value equal to the stored one once rounded to the stored precision is
    left alone (no phantom change). Returns what was added and changed, from what to what."""
    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload comparators.")
    table = read_table(upload, required=["code", "year", "kind", "value"], optional=["source", "indicator"],
                       sheet=COMPARATORS_SHEET)
    catalogue = catalogue_load(partnership.pk)
    errors: list[RowError] = []
    wanted: dict[tuple[int, int, str], tuple[object, str, int]] = {}
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
        kind = KINDS.get(cells["kind"].strip().lower())
        if kind is None:
            errors.append(RowError(number, "kind", "Write England, Region or Statistical neighbours."))
            continue
        try:
            value = parse_figure(cells["value"], percent_ok=indicator.unit == Unit.PERCENTAGE,
                                 pounds_ok=indicator.unit == Unit.POUNDS, label="The comparator")
        except NotANumber as exc:
            errors.append(RowError(number, "value", exc.message))
            continue
        if value is None:
            errors.append(RowError(number, "value", "Give the figure."))
            continue
        key = (indicator.pk, year.start_year, kind)
        if key in wanted:
            errors.append(RowError(number, "code", f"This repeats row {wanted[key][2]}: keep one of them."))
            continue
        value = value.quantize(_STORED, rounding=ROUND_HALF_UP)
        wanted[key] = (value, cells.get("source", "").strip()[:300], number)
    if errors:
        raise table.reject(errors)
    with transaction.atomic():
        existing = {(c.indicator_id, c.year_start, c.kind): c for c in Comparator.objects.select_for_update().filter(
            indicator__partnership=partnership)}
        create, update = [], []
        changes = UploadChanges(singular="comparator")
        for key, (value, source, number) in wanted.items():
            row = existing.get(key)
            what = f"{catalogue.indicators[key[0]].code}, {FinancialYear(key[1]).label}, {KIND_LABELS[key[2]]}"
            if row is None:
                create.append(Comparator(indicator_id=key[0], year_start=key[1], kind=key[2], value=value,
                                         source=source))
                changes.added.append(Change(number, what, None, _shown(value, source)))
            elif row.value == value and (not source or source == row.source):
                changes.unchanged += 1
            else:
                changes.changed.append(Change(number, what, _shown(row.value, row.source),
                                              _shown(value, source or row.source)))
                row.value, row.source = value, source or row.source
                update.append(row)
        Comparator.objects.bulk_create(create)
        Comparator.objects.bulk_update(update, ["value", "source"])
        if create or update:
            audit_record(actor=actor, action="comparators.uploaded", partnership=partnership,
                         data={"created": len(create), "updated": len(update)})
    return changes


def _shown(value, source: str) -> str:
    return format_figure(value) + (f" ({source})" if source else "")
