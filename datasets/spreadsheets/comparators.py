"""Uploading comparators (England, region, statistical neighbours) for many indicators at once."""

from __future__ import annotations

from django.db import transaction

from partners.access import require_manager
from safeguarding.audit import audit_record
from safeguarding.periods import FinancialYear
from safeguarding.uploads import RowError, read_table

from ..models import Comparator, ComparatorKind, Unit
from ..selectors.catalogue import catalogue_load
from ..services.parsing import NotANumber, parse_figure

KINDS = {label.lower(): value for value, label in ComparatorKind.choices} | {v: v for v in ComparatorKind.values}
KINDS |= {"national": "england", "statistical neighbour": "neighbours", "neighbours": "neighbours", "sn": "neighbours"}


def comparators_upload(*, actor, partnership, upload) -> int:
    """Create or replace comparators from a file with columns code, year, kind, value (and
    optionally source). Every bad row is listed and nothing is saved if there is one. Returns the
    number of comparators written."""
    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload comparators.")
    table = read_table(upload, required=["code", "year", "kind", "value"], optional=["source", "indicator"],
                       sheet="Comparators")
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
        wanted[key] = (value, cells.get("source", "").strip()[:300], number)
    if errors:
        raise table.reject(errors)
    with transaction.atomic():
        existing = {(c.indicator_id, c.year_start, c.kind): c for c in Comparator.objects.select_for_update().filter(
            indicator__partnership=partnership)}
        create, update = [], []
        for key, (value, source, _) in wanted.items():
            row = existing.get(key)
            if row is None:
                create.append(Comparator(indicator_id=key[0], year_start=key[1], kind=key[2], value=value,
                                         source=source))
            else:
                row.value, row.source = value, source or row.source
                update.append(row)
        Comparator.objects.bulk_create(create)
        Comparator.objects.bulk_update(update, ["value", "source"])
        audit_record(actor=actor, action="comparators.uploaded", partnership=partnership,
                     data={"created": len(create), "updated": len(update)})
    return len(create) + len(update)
