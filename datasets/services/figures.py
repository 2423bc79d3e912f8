"""Saving figures into returns: the one engine behind the browser form and both uploads.

``figures_apply`` takes what people typed (text, keyed by return, indicator and part), reads
it with ``parsing.parse_figure``, checks it with ``validation`` together with what is already
stored, and either saves every change (in bulk, with history) or raises ``FiguresRefused``
listing every problem and saving nothing.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from safeguarding.errors import DomainError
from safeguarding.formatting import NA_REASONS, format_figure, limit_text
from safeguarding.uploads import word_key

from ..linked import linked_counts
from ..models import RATIO_SCALE, Indicator, Return, ReturnValue, Unit
from ..selectors.catalogue import Catalogue
from ..validation import (
    TYPED_RATIO_TOLERANCE,
    Figures,
    IndicatorFigures,
    Problem,
    compute_ratio,
    effective_value,
    indicator_problems,
    line_label,
)
from .parsing import NotANumber, parse_date, parse_figure, published_symbol

COLUMNS = ("value", "numerator", "denominator", "narrative", "na_reason", "na_note", "source", "source_date")
# What people type for a part of a breakdown that is not known (issue 13.4).
NOT_KNOWN_WORDS = frozenset({"not known", "unknown", "n/k"})
_REASON_WORDS = {**{k: k for k in NA_REASONS}, **{v.lower(): k for k, v in NA_REASONS.items()},
                 "suppressed": "suppressed", "n/k": "not_known"}
TEXT_MAX = 300
NARRATIVE_MAX = 5000
BATCH = 2000

Key = tuple[int, int, int | None]  # (return id, indicator id, part id)


class FiguresRefused(DomainError):
    """Some figures cannot be accepted; nothing has been saved. ``problems`` lists each one with
    ``ret_id`` set by the caller's key."""

    def __init__(self, problems: list[tuple[int, Problem]]):
        count = len(problems)
        super().__init__(str(problems[0][1]) if count == 1 else
                         f"{count} figures need correcting. Nothing has been saved.")
        self.problems = problems


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_returns: set[int] = field(default_factory=set)
    # What changed, for the upload preview: (key, new figures) and (key, stored, new figures).
    added: list[tuple[Key, Figures]] = field(default_factory=list)
    modified: list[tuple[Key, Figures, Figures]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def parse_entry(indicator: Indicator, part, raw: dict) -> tuple[Figures, list[Problem]]:
    """One line's typed text as ``Figures`` and the problems reading it."""
    problems: list[Problem] = []
    part_id = part.pk if part is not None else None
    label = line_label(indicator, part)
    figures = Figures()
    is_ratio = indicator.unit in RATIO_SCALE and part is None
    reason_text = word_key(raw.get("na_reason"))
    if reason_text:
        reason = _REASON_WORDS.get(reason_text)
        if reason is None:
            problems.append(Problem(indicator.pk, part_id, "na_reason", label,
                                    f"‘{reason_text[:40]}’ is not a reason a figure can be unavailable: use one of "
                                    + ", ".join(v.lower() for v in NA_REASONS.values()) + "."))
        else:
            figures.na_reason = reason
    for column in ("na_note", "source"):
        text = str(raw.get(column) or "").strip()
        if len(text) > TEXT_MAX:
            problems.append(Problem(indicator.pk, part_id, column, label,
                                    f"This is {limit_text(len(text))} characters; "
                                    f"the limit is {limit_text(TEXT_MAX)}."))
        else:
            setattr(figures, column, text)
    if raw.get("source_date") not in (None, ""):
        try:
            figures.source_date = parse_date(raw["source_date"], label="The source date", field="source_date")
        except NotANumber as exc:
            problems.append(Problem(indicator.pk, part_id, "source_date", label, exc.message))
    for column in ("value", "numerator", "denominator"):
        text = raw.get(column)
        if text is None or (isinstance(text, str) and not text.strip()):
            continue
        if column == "value" and isinstance(text, str) and word_key(text) in NOT_KNOWN_WORDS:
            figures.na_reason = figures.na_reason or "not_known"
            continue
        symbol = published_symbol(text)
        if symbol is not None:  # "c" for a suppressed figure, as published tables print it
            figures.na_reason = figures.na_reason or symbol
            continue
        if column != "value" and not is_ratio:
            problems.append(Problem(indicator.pk, part_id, column, label,
                                    f"This figure is a {indicator.get_unit_display().lower()}, not a ratio: "
                                    f"leave the {column} blank and give the figure itself."))
            continue
        name = {"value": "The figure", "numerator": indicator.numerator_label or "The numerator",
                "denominator": indicator.denominator_label or "The denominator"}[column]
        try:
            number = parse_figure(text, label=name,
                                  percent_ok=(column == "value" and indicator.unit == Unit.PERCENTAGE),
                                  pounds_ok=(column == "value" and indicator.unit == Unit.POUNDS), symbols=True)
        except NotANumber as exc:
            problems.append(Problem(indicator.pk, part_id, column, label, exc.message))
            continue
        setattr(figures, column, number)
    narrative = (raw.get("narrative") or "").strip()
    if narrative and part is not None:
        problems.append(Problem(indicator.pk, part_id, "narrative", label,
                                "Write the narrative on the indicator's total, not on a part of its breakdown."))
    elif len(narrative) > NARRATIVE_MAX:
        problems.append(Problem(indicator.pk, part_id, "narrative", label,
                                f"The narrative is {limit_text(len(narrative))} characters; "
                                f"the limit is {limit_text(NARRATIVE_MAX)}."))
    else:
        figures.narrative = narrative
    return figures, problems


def _typed(row: ReturnValue) -> Figures:
    """What a person typed into a stored line: a value (or a total's "not known") the portal
    worked out is not theirs."""
    computed = row.value_computed
    return Figures(value=None if computed else row.value, numerator=row.numerator,
                   denominator=row.denominator, narrative=row.narrative,
                   na_reason="" if computed else row.na_reason, na_note="" if computed else row.na_note,
                   source=row.source, source_date=row.source_date)


_STORED = ("value", "numerator", "denominator", "narrative", "value_computed", "na_reason", "na_note", "source",
           "source_date")


def _same(row: ReturnValue, b: Figures) -> bool:
    """Whether the new figures equal the stored row (``b`` already rounded by ``_as_stored``)."""
    return (row.value, row.numerator, row.denominator, row.narrative or "", row.value_computed, row.na_reason,
            row.na_note, row.source, row.source_date) == (
        b.value, b.numerator, b.denominator, b.narrative or "", b.computed, b.na_reason, b.na_note, b.source,
        b.source_date)


_PLACES = {name: ReturnValue._meta.get_field(name).decimal_places for name in ("value", "numerator", "denominator")}


def _as_stored(figures: Figures) -> None:
    """Round each figure to the precision the database keeps (``decimal_places`` of the field),
    half away from zero as PostgreSQL does, so that a figure typed with more decimals (35.12345)
    compares equal to what was stored from it last time: no phantom change (issue 14 point 5)."""
    for name, places in _PLACES.items():
        number = getattr(figures, name)
        if number is not None:
            setattr(figures, name, number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# Above this many new figures (a bulk upload) rows go in by PostgreSQL COPY, history included:
# building 20,000 model instances twice and binding every parameter costs more than the
# whole rest of the upload. Smaller saves use simple_history's own bulk helpers.
FAST_INSERT_MIN = 1000
_VALUE_COLUMNS = ("ret_id", "indicator_id", "part_id", "value", "numerator", "denominator", "narrative",
                  "value_computed", "na_reason", "na_note", "source", "source_date")


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_text(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _insert(rows: list[tuple], *, actor, now, reason: str | None = None) -> None:
    """Insert new values with their history row ("+", who, when, and ``reason`` if given)."""
    actor_id = getattr(actor, "pk", None)
    if connection.vendor != "postgresql" or len(rows) < FAST_INSERT_MIN:
        objs = [ReturnValue(**dict(zip(_VALUE_COLUMNS, row, strict=True)), updated_by_id=actor_id, updated_at=now)
                for row in rows]
        bulk_create_with_history(objs, ReturnValue, batch_size=BATCH, default_user=actor, default_date=now,
                                 default_change_reason=reason)
        return
    history = ReturnValue.history.model
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [ReturnValue._meta.db_table, len(rows)])
        ids = [r[0] for r in cursor.fetchall()]
        _copy(cursor, ReturnValue._meta.db_table, ["id", *_VALUE_COLUMNS, "updated_by_id", "updated_at"],
              ((pk, *row, actor_id, now) for pk, row in zip(ids, rows, strict=True)))
        _copy(cursor, history._meta.db_table,
              ["id", *_VALUE_COLUMNS, "updated_by_id", "history_date", "history_type", "history_user_id",
               "history_change_reason"],
              ((pk, *row, actor_id, now, "+", actor_id, reason) for pk, row in zip(ids, rows, strict=True)))


def _linked_figures(pairs, *, by_id, merged, catalogue: Catalogue) -> list[tuple[int, Problem]]:
    """Issue 13.8: an indicator filled from another app's accepted figures (training compliance).
    A blank figure takes the linked numerator and denominator; a typed one that differs from them
    (beyond rounding to one decimal) is refused. One provider read per return concerned."""
    linked_indicators = [i for i in catalogue.indicators.values() if i.training_level]
    problems: list[tuple[int, Problem]] = []
    if not linked_indicators:
        return problems
    cache: dict[int, dict] = {}
    for ret_id, indicator_id in sorted(pairs):
        indicator = catalogue.indicators[indicator_id]
        if not indicator.training_level:
            continue
        if ret_id not in cache:
            ret = by_id[ret_id]
            cache[ret_id] = linked_counts(ret.agency_id, ret.quarter_id, linked_indicators)
        link = cache[ret_id].get(indicator_id)
        total = merged[(ret_id, indicator_id)].total
        if link is None or total.na_reason:
            continue
        if total.numerator is None and total.denominator is None and total.value is None:
            total.numerator, total.denominator = link.numerator, link.denominator
            continue
        expected = compute_ratio(indicator.unit, link.numerator, link.denominator)
        typed = compute_ratio(indicator.unit, total.numerator, total.denominator) \
            if total.numerator is not None or total.denominator is not None else total.value
        if typed is not None and abs(typed - expected) > TYPED_RATIO_TOLERANCE:
            problems.append((ret_id, Problem(
                indicator_id, None, "numerator", line_label(indicator),
                f"This differs from {link.source}, which gives {format_figure(expected, indicator)} "
                f"({format_figure(link.numerator, 'count')} of {format_figure(link.denominator, 'count')}). Leave the "
                "numerator and denominator blank to fill them from it, or correct the training return.")))
    return problems


def figures_apply(*, actor, returns: list[Return], entries: dict[Key, dict], catalogue: Catalogue,
                  history_reason: str | None = None) -> ApplyResult:
    """Validate ``entries`` against the stored figures and save every change, or nothing.

    ``returns`` are locked rows (``select_for_update``) with ``agency`` loaded, already checked
    editable by the caller. ``entries`` maps (return id, indicator id, part id or None) to the
    typed text of ``value``/``numerator``/``denominator``/``narrative``; blank text clears a
    figure, a missing column keeps what is stored. ``history_reason`` is written on every history
    row (e.g. the source of historical figures). Raises ``FiguresRefused``.
    Queries: 1 to read stored values, then batched inserts/updates.
    """
    by_id = {r.pk: r for r in returns}
    stored_rows: dict[Key, ReturnValue] = {}
    merged: dict[tuple[int, int], IndicatorFigures] = defaultdict(IndicatorFigures)
    for row in ReturnValue.objects.filter(ret_id__in=list(by_id)).only("pk", "ret_id", "indicator_id", "part_id",
                                                                       *_STORED):
        key = (row.ret_id, row.indicator_id, row.part_id)
        stored_rows[key] = row
        bucket = merged[(row.ret_id, row.indicator_id)]
        if row.part_id is None:
            bucket.total = _typed(row)
        else:
            bucket.parts[row.part_id] = _typed(row)

    problems: list[tuple[int, Problem]] = []
    new_figures: dict[Key, Figures] = {}
    touched: set[tuple[int, int]] = set()
    applies: dict[tuple[int, str], set[int]] = {}
    for key, raw in entries.items():
        ret_id, indicator_id, part_id = key
        ret = by_id[ret_id]
        indicator = catalogue.indicators[indicator_id]
        part = None
        if part_id is not None:
            part = next((p for p in catalogue.parts.get(indicator_id, []) if p.pk == part_id), None)
        cache_key = (ret.agency_id, ret.quarter_id)
        if cache_key not in applies:
            applies[cache_key] = {i.pk for i in catalogue.indicators_for_agency(ret.agency.agency_type,
                                                                                ret.quarter.period)}
        if indicator_id not in applies[cache_key]:
            problems.append((ret_id, Problem(indicator_id, part_id, "value", line_label(indicator, part),
                                             f"{ret.agency} does not report this indicator in {ret.quarter.label}.")))
            continue
        figures, found = parse_entry(indicator, part, raw)
        problems += [(ret_id, p) for p in found]
        if found:
            continue
        previous = stored_rows.get(key)
        base = _typed(previous) if previous is not None else Figures()
        sent = set(raw)
        if "value" in raw and "na_reason" not in raw:
            # A value typed without a reason column (a spreadsheet, a part's "not known") decides it.
            sent |= {"na_reason", "na_note"}
        for column in COLUMNS:  # a column not sent keeps its stored figure
            if column not in sent:
                setattr(figures, column, getattr(base, column))
        new_figures[key] = figures
        bucket = merged[(ret_id, indicator_id)]
        if part_id is None:
            bucket.total = figures
        else:
            bucket.parts[part_id] = figures
        touched.add((ret_id, indicator_id))

    # A breakdown's total is worked out again whenever one of its parts changes.
    for ret_id, indicator_id in touched:
        total_key = (ret_id, indicator_id, None)
        if catalogue.parts.get(indicator_id) and total_key not in new_figures:
            new_figures[total_key] = merged[(ret_id, indicator_id)].total

    failed = {(r, p.indicator_id) for r, p in problems}
    problems += _linked_figures(touched - failed, by_id=by_id, merged=merged, catalogue=catalogue)
    failed = {(r, p.indicator_id) for r, p in problems}
    for ret_id, indicator_id in sorted(touched - failed):
        indicator = catalogue.indicators[indicator_id]
        found = indicator_problems(indicator, catalogue.parts.get(indicator_id, []),
                                   merged[(ret_id, indicator_id)], stage="save")
        problems += [(ret_id, p) for p in found]
    if problems:
        raise FiguresRefused(problems)

    now = timezone.now()
    result = ApplyResult()
    to_create: list[ReturnValue] = []
    to_update: list[ReturnValue] = []
    for key, figures in new_figures.items():
        ret_id, indicator_id, part_id = key
        indicator = catalogue.indicators[indicator_id]
        parts = catalogue.parts.get(indicator_id)
        if indicator.unit in RATIO_SCALE and part_id is None:
            # Worked out here from counts, whatever was typed beside them; without counts the
            # published figure stands as typed, with its source (validated above).
            computed = compute_ratio(indicator.unit, figures.numerator, figures.denominator)
            if computed is not None or figures.numerator is not None or figures.denominator is not None:
                figures.value = computed
            figures.computed = computed is not None
        elif part_id is None and parts and figures.value is None and not figures.na_reason:
            bucket = merged[(ret_id, indicator_id)]
            figures.value = effective_value(indicator, parts, bucket)
            figures.computed = figures.value is not None
            if figures.value is None and any(f.na_reason for f in bucket.parts.values()):
                # Known only in part: the total is "not known", never the sum of the known parts.
                figures.na_reason, figures.na_note, figures.computed = "not_known", "", True
        _as_stored(figures)
        row = stored_rows.get(key)
        if row is None:
            if figures.is_blank:
                continue
            to_create.append((ret_id, indicator_id, part_id, figures.value, figures.numerator,
                              figures.denominator, figures.narrative, figures.computed, figures.na_reason,
                              figures.na_note, figures.source, figures.source_date))
            result.added.append((key, figures))
        elif _same(row, figures):
            result.unchanged += 1
            continue
        else:
            result.modified.append((key, Figures(value=row.value, numerator=row.numerator, denominator=row.denominator,
                                                 narrative=row.narrative or "", computed=row.value_computed,
                                                 na_reason=row.na_reason, na_note=row.na_note, source=row.source,
                                                 source_date=row.source_date), figures))
            row.value, row.numerator, row.denominator = figures.value, figures.numerator, figures.denominator
            row.narrative, row.value_computed = figures.narrative, figures.computed
            row.na_reason, row.na_note = figures.na_reason, figures.na_note
            row.source, row.source_date = figures.source, figures.source_date
            row.updated_by, row.updated_at = actor, now
            to_update.append(row)
        result.changed_returns.add(ret_id)
    if to_create:
        _insert(to_create, actor=actor, now=now, reason=history_reason)
    if to_update:
        bulk_update_with_history(to_update, ReturnValue, [*_STORED, "updated_by", "updated_at"],
                                 batch_size=BATCH, default_user=actor, default_date=now,
                                 default_change_reason=history_reason)
    result.created, result.updated = len(to_create), len(to_update)
    if result.changed_returns:
        # The return's version moves with its figures, so a form loaded before is stale.
        Return.objects.filter(pk__in=result.changed_returns).update(updated_at=now)
        for ret_id in result.changed_returns:
            by_id[ret_id].updated_at = now
    return result
