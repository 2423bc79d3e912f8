"""Past years loaded from the old spreadsheets (issue 12.8): one upload by the business manager.

The file has the layout of a downloaded return (agency, quarter, code, part, value, numerator,
denominator, narrative, not available because, source, …) for many agencies and quarters: counts,
figures from counts, and published percentages or rates without counts (with their source and date,
issue 13.2). Every figure goes through ``services.figures.figures_apply``, so the same rules hold as
for any return. The returns it makes are **historical**: accepted and locked at once, never judged
for timeliness (completeness shows "Historical", issue 15.4), and every value's history names the
source ("Historical: loaded from …"). Quarters of the file that are not set up yet are created
(only quarters that have ended). All or nothing: any problem refuses the whole file.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from partners.access import require_manager
from safeguarding.audit import audit_record
from safeguarding.errors import DomainError
from safeguarding.formatting import limit_text
from safeguarding.periods import FinancialQuarter
from safeguarding.upload_preview import counted
from safeguarding.uploads import RowError, read_table
from safeguarding.workflow import ReturnStatus

from ..models import Quarter, Return, ReturnEvent
from ..selectors.catalogue import catalogue_load
from ..services.quarters import quarter_create
from .layout import INFO_COLUMNS, OPTIONAL, REQUIRED, SHEET
from .upload import UploadOutcome, _agency_names, _apply_collecting, _resolve_rows

SOURCE_MAX = 300


def _past_quarters(table, *, actor, partnership, today) -> tuple[dict[tuple[int, int], Quarter], list[RowError]]:
    """The partnership's quarters, with every ended quarter the file names created if missing;
    rows naming a quarter that has not ended yet are errors."""
    quarters = {(q.year_start, q.number): q for q in Quarter.objects.filter(partnership=partnership)}
    errors: list[RowError] = []
    for number, cells in table.numbered():
        text = cells.get("quarter", "").strip()
        try:
            period = FinancialQuarter.parse(text)
        except ValueError:
            continue  # _resolve_rows reports it
        if period.end >= today:
            errors.append(RowError(number, "quarter", f"{period.label} has not ended: historical figures are for "
                                                      "past quarters. Enter this quarter's returns as usual."))
            continue
        key = (period.year.start_year, period.number)
        if key not in quarters:
            quarters[key] = quarter_create(actor=actor, partnership=partnership, period=period)
    return quarters, errors


def historical_upload(*, actor, partnership, upload, source: str) -> UploadOutcome:
    """Load past quarters' figures for many agencies from one file, as historical returns.

    ``source`` names where the figures come from (e.g. "PCI dataset workbook 2021/22, as presented
    to the board"); it is kept on each return and in each value's history. A quarter that already
    has a return for an agency that is not historical is refused (its figures were entered as a
    return); historical returns can be loaded again, and change only where the file differs.
    Raises ``UploadRejected`` listing every refused row (nothing is saved), or ``DomainError``.
    """
    require_manager(actor, partnership.pk, "Only the partnership's business manager can load past years.")
    source = " ".join((source or "").split())
    if not source:
        raise DomainError("Say where these figures come from, e.g. the workbook and the meeting they went to.",
                          field="source")
    if len(source) > SOURCE_MAX:
        raise DomainError(f"The source is {limit_text(len(source))} characters; "
                          f"the limit is {limit_text(SOURCE_MAX)}.", field="source")
    table = read_table(upload, required=REQUIRED, optional=OPTIONAL, ignored=INFO_COLUMNS, sheet=SHEET)
    catalogue = catalogue_load(partnership.pk)
    now = timezone.now()
    with transaction.atomic():
        quarters, errors = _past_quarters(table, actor=actor, partnership=partnership, today=timezone.localdate())
        rows, found = _resolve_rows(table, catalogue=catalogue, agency_names=_agency_names(partnership.pk),
                                    quarters=quarters)
        errors += found
        bad_rows = {e.row for e in errors}
        rows = [r for r in rows if r.number not in bad_rows]
        pairs: dict[tuple[int, int], object] = {}
        for row in rows:
            pairs.setdefault((row.agency.pk, row.quarter.pk), row)
        existing = {(r.agency_id, r.quarter_id): r for r in Return.objects.select_for_update().filter(
            agency__partnership=partnership, quarter__in={r.quarter.pk for r in rows})}
        refused = set()
        for pair, first in pairs.items():
            ret = existing.get(pair)
            if ret is not None and not ret.historical:
                refused.add(pair)
                errors.append(RowError(first.number, "agency",
                                       f"{first.agency.name} already has a return for {first.quarter.label} "
                                       f"({ret.get_status_display().lower()}): historical figures only fill quarters "
                                       "with no return. Remove these rows, or correct that return instead."))
        rows = [row for row in rows if (row.agency.pk, row.quarter.pk) not in refused]
        missing = [Return(agency=row.agency, quarter=row.quarter, status=ReturnStatus.ACCEPTED, historical=True,
                          historical_source=source, accepted_at=now, accepted_by=actor)
                   for pair, row in pairs.items() if pair not in existing and pair not in refused]
        Return.objects.bulk_create(missing, batch_size=1000)
        wanted = {(row.agency.pk, row.quarter.pk) for row in rows}
        returns = [r for r in Return.objects.select_for_update(of=("self",)).select_related("agency", "quarter")
                   .filter(agency__partnership=partnership, quarter__in={r.quarter.pk for r in rows},
                           agency__in={r.agency.pk for r in rows})
                   if (r.agency_id, r.quarter_id) in wanted]
        Return.objects.filter(pk__in=[r.pk for r in returns]).update(historical_source=source)
        result = _apply_collecting(actor=actor, returns=returns, rows=rows, catalogue=catalogue, errors=errors,
                                   table=table, history_reason=f"Historical: loaded from {source}"[:100])
        created = {(r.agency_id, r.quarter_id) for r in missing}
        ReturnEvent.objects.bulk_create([
            ReturnEvent(ret=r, actor=actor, action="accept", from_status=ReturnStatus.DRAFT,
                        to_status=ReturnStatus.ACCEPTED, comment=f"Loaded as historical figures from {source}.")
            for r in returns if (r.agency_id, r.quarter_id) in created])
        audit_record(actor=actor, action="returns.historical_loaded", obj=None, partnership=partnership,
                     data={"rows": len(rows), "returns": len(returns), "returns_created": len(missing),
                           "created": result.created, "updated": result.updated, "source": source})
    result.returns_created = len(missing)
    if missing:
        loaded = counted(len(missing), "historical return")
        tail = f"with the source “{source}”; never judged for timeliness."
        result.effect(will=f"{loaded} will be accepted and locked at once, {tail}",
                      done=f"{loaded} accepted and locked at once, {tail}")
    return result
