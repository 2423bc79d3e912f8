"""Training's rules, as pure functions: reading a headcount, computing compliance, finding the
target in force and its RAG. Forms, uploads, services and selectors all use these, so a figure
is judged the same way whichever door it came in by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from datasets.rag import rag as _rag
from safeguarding import formatting
from safeguarding.errors import DomainError
from safeguarding.parsing import NotANumber, parse_figure


def parse_count(raw, *, label: str, field: str | None = None) -> int | None:
    """A headcount or attendance count as typed, read by the one figure parser
    (``safeguarding.parsing.parse_figure``): blank is None, "1,234" is 1234; an ambiguous "1,23"
    (which read as 123) or "12,5", a negative, fractional or non-numeric figure is refused with a
    message naming ``label`` (``DomainError`` on ``field``)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise DomainError(f"{label} must be a number, like 12.", field=field)
    try:
        value = parse_figure(raw, label=label, field=field)
    except NotANumber as exc:
        raise DomainError(exc.message, field=field) from None
    if value is None:
        return None
    if value < 0:
        raise DomainError(f"{label} cannot be negative.", field=field)
    if value != value.to_integral_value():
        raise DomainError(f"{label} must be a whole number of people, not {value.normalize()}.", field=field)
    return int(value)


def check_trained(*, eligible: int | None, trained: int | None, label: str, field: str | None = None) -> None:
    if eligible is not None and trained is not None and trained > eligible:
        raise DomainError(f"{label}: trained staff ({formatting.limit_text(trained)}) cannot be more than eligible "
                          f"staff ({formatting.limit_text(eligible)}).",
                          field=field)


def compliance(trained: int | None, eligible: int | None) -> Decimal | None:
    """Trained as a percentage of eligible, to one decimal place; None when nobody is eligible."""
    if trained is None or not eligible:
        return None
    return (Decimal(trained) * 100 / Decimal(eligible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TargetRow:
    level_id: int | None
    year_start: int
    effective_from: dt.date
    target: Decimal
    amber_threshold: Decimal | None


class TargetBook:
    """Every target of a partnership, fetched once, answering 'which target was in force'.

    The row in force for a level on a day is the latest row (by year, then effective date) whose
    ``effective_from`` is on or before the day; a row for the level beats a row for every level.
    So a target raised from 80% to 90% next year leaves this year's quarters rated against 80%.
    """

    def __init__(self, rows: Iterable):
        self.rows = sorted(
            (TargetRow(r.level_id, r.year_start, r.effective_from, r.target, r.amber_threshold) for r in rows),
            key=lambda r: (r.year_start, r.effective_from),
        )

    def in_force(self, *, level_id: int | None, on: dt.date) -> TargetRow | None:
        specific = general = None
        for row in self.rows:
            if row.effective_from > on:
                continue
            if row.level_id is None:
                general = row
            elif row.level_id == level_id:
                specific = row
        return specific or general


def rag(value: Decimal | None, target: TargetRow | None) -> str | None:
    """'green', 'amber', 'red', or None (no figure or no target). Higher compliance is better."""
    if target is None:
        return None
    return _rag(value, "higher", target.target, target.amber_threshold)


def fmt_pct(value: Decimal | None) -> str:
    """A compliance percentage (0–100) through the one formatter: 97.94 -> '97.9%', 90 -> '90.0%'."""
    return formatting.format_figure(value, formatting.PERCENTAGE)


def below_target(value: Decimal | None, target: TargetRow | None) -> bool:
    return rag(value, target) in ("amber", "red")
