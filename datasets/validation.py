"""The rules a return's figures must keep, as pure functions over figures already read.

Used by the browser form, both spreadsheet uploads and ``check_ready`` at submission, so every
path refuses the same things with the same words. Two stages:

- ``save``: what is wrong whatever else is filled in (a negative count, a fractional count, a
  numerator above its denominator, parts that do not add up to a given total). A draft with
  these is not saved.
- ``submit``: also what is still missing (a required value, half of a ratio, some parts of a
  breakdown) and the narratives the soft checks ask for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from safeguarding import formatting

from .models import RATIO_SCALE, Unit
from .rag import rag

FOUR_PLACES = Decimal("0.0001")
# A typed percentage is accepted beside its numerator and denominator only if it agrees to
# within rounding to one decimal place.
TYPED_RATIO_TOLERANCE = Decimal("0.05")


@dataclass
class Figures:
    """One line of a return (an indicator's total, or one breakdown part) as numbers."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    narrative: str = ""
    computed: bool = False  # value (or a total's "not known") worked out by the portal, not typed
    na_reason: str = ""  # a key of safeguarding.formatting.NA_REASONS: the figure is not available
    na_note: str = ""
    source: str = ""  # where a published percentage or rate without counts comes from
    source_date: dt.date | None = None

    @property
    def is_blank(self) -> bool:
        return (self.value is None and self.numerator is None and self.denominator is None and not self.narrative
                and not self.na_reason and not self.na_note and not self.source and self.source_date is None)

    @property
    def answered(self) -> bool:
        """A figure was given, or it was said why there is none."""
        return self.value is not None or bool(self.na_reason)


@dataclass(frozen=True)
class Problem:
    """A refusal naming the indicator (and part), the column and the reason."""

    indicator_id: int
    part_id: int | None
    column: str  # value / numerator / denominator / narrative
    label: str
    message: str
    hard: bool = True

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"

    @property
    def field_name(self) -> str:
        return field_name(self.indicator_id, self.part_id, self.column)


def field_name(indicator_id: int, part_id: int | None, column: str) -> str:
    """The browser form's name for a figure: ``i12-value``, ``i12-p3-value``, ``i12-narrative``."""
    return f"i{indicator_id}-p{part_id}-{column}" if part_id else f"i{indicator_id}-{column}"


@dataclass
class IndicatorFigures:
    """An indicator's figures in one return: the total line and its parts' lines."""

    total: Figures = field(default_factory=Figures)
    parts: dict[int, Figures] = field(default_factory=dict)


def compute_ratio(unit: str, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """The percentage or rate from its numerator and denominator, to four places; None if incomplete."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return (numerator / denominator * RATIO_SCALE[unit]).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def line_label(indicator, part=None) -> str:
    """How a line of a return is named in messages: code, name and breakdown part."""
    return f"{indicator.code} {indicator.name}" + (f" – {part.label}" if part is not None else "")


def _shown(number: Decimal) -> str:
    """A figure quoted in a message as the person typed it (and as Excel shows it): "80.5"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_problems(indicator, part, figures: Figures, *, stage: str) -> list[Problem]:
    """Problems of one line on its own."""
    problems: list[Problem] = []
    label = line_label(indicator, part)
    part_id = part.pk if part is not None else None

    def add(column: str, message: str) -> None:
        problems.append(Problem(indicator.pk, part_id, column, label, message))

    if figures.na_reason:
        if figures.na_reason not in formatting.NA_REASONS:
            add("na_reason", "Say why the figure is not available: "
                             + ", ".join(v.lower() for v in formatting.NA_REASONS.values()) + ".")
        elif figures.na_reason == "not_known" and part is None and not figures.computed:
            add("na_reason", "Only a part of a breakdown can be ‘not known’: for the figure itself say why it "
                             "is not available (not collected, no longer reported, suppressed at source, "
                             "not applicable).")
        given = [c for c in ("value", "numerator", "denominator") if getattr(figures, c) is not None]
        if given:
            add(given[0], f"The figure is marked ‘{formatting.NA_REASONS.get(figures.na_reason, 'not available')}’"
                          f", so leave the {given[0]} blank (or clear the reason to give the figure).")
        return problems
    if figures.na_note and not figures.na_reason:
        add("na_reason", "A note on why the figure is not available needs the reason as well.")

    if indicator.unit in RATIO_SCALE and part is None:
        num, den = figures.numerator, figures.denominator
        for column, number, name in (("numerator", num, indicator.numerator_label or "The numerator"),
                                     ("denominator", den, indicator.denominator_label or "The denominator")):
            if number is None:
                continue
            if number < 0:
                add(column, f"{name} cannot be negative (it reads {_shown(number)}).")
            elif not is_whole(number):
                add(column, f"{name} must be a whole number (it reads {_shown(number)}).")
        if num is not None and den is not None and num >= 0 and den >= 0:
            if den == 0 and num > 0:
                add("denominator", "The denominator cannot be 0 when the numerator is more than 0.")
            elif num > den:
                add("numerator", f"The numerator ({formatting.limit_text(num)}) cannot be more than the "
                                 f"denominator ({formatting.limit_text(den)}).")
        if figures.value is not None:
            computed = compute_ratio(indicator.unit, num, den)
            if computed is None and num is None and den is None:
                # A published figure without counts (issue 13.2): accepted with its source and date.
                if not figures.source.strip() or figures.source_date is None:
                    missing = "source" if not figures.source.strip() else "source_date"
                    add(missing, "Give the numerator and the denominator, or, for a published "
                                 f"{indicator.get_unit_display().lower()} without counts, say where it comes "
                                 "from: its source and the date it was published.")
                elif figures.value < 0:
                    add("value", "The figure cannot be negative.")
                elif indicator.unit == Unit.PERCENTAGE and figures.value > 100:
                    add("value", f"A percentage cannot be more than 100 (you gave {figures.value.normalize():f}).")
            elif computed is None:
                add("value", "Give both the numerator and the denominator, or neither for a published figure.")
            elif abs(computed - figures.value) > TYPED_RATIO_TOLERANCE:
                add("value", f"The figure typed ({figures.value:f}) does not match the numerator and "
                             f"denominator, which give {formatting.format_figure(computed, indicator)}. Leave the "
                             "figure blank: the portal works it out.")
        if stage == "submit" and (num is None) != (den is None):
            missing = "denominator" if den is None else "numerator"
            add(missing, f"Give the {missing} as well: both are needed to work out the figure.")
        return problems

    value = figures.value
    if value is None:
        return problems
    if value < 0:
        add("value", f"The figure cannot be negative (it reads {_shown(value)}).")
    elif indicator.unit == Unit.COUNT and not is_whole(value):
        add("value", f"This is a count, so it must be a whole number (it reads {_shown(value)}).")
    return problems


def indicator_problems(indicator, parts: list, figures: IndicatorFigures, *, stage: str) -> list[Problem]:
    """Every hard problem of one indicator in one return (its lines, its breakdown, what is missing)."""
    problems = line_problems(indicator, None, figures.total, stage=stage)
    part_values = {}
    unknown = 0
    for part in parts:
        part_figures = figures.parts.get(part.pk) or Figures()
        problems += line_problems(indicator, part, part_figures, stage=stage)
        part_values[part.pk] = part_figures.value
        unknown += bool(part_figures.na_reason)
    given = [v for v in part_values.values() if v is not None]
    total = figures.total.value
    if parts and unknown and given and total is not None and sum(given, Decimal(0)) > total:
        problems.append(Problem(indicator.pk, None, "value", line_label(indicator),
                                f"The known parts add up to {sum(given, Decimal(0)).normalize():f}, more than "
                                f"the total given ({total.normalize():f})."))
    if parts and given and len(given) == len(parts) and total is not None:
        parts_sum = sum(given, Decimal(0))
        if parts_sum != total:
            problems.append(Problem(indicator.pk, None, "value", line_label(indicator),
                                    f"The parts add up to {parts_sum.normalize():f} but the total given is "
                                    f"{total.normalize():f}. Correct the parts or the total, or leave the "
                                    "total blank for the portal to add them up."))
    if stage == "submit":
        if parts and (given or unknown) and len(given) + unknown < len(parts):
            for part in parts:
                part_figures = figures.parts.get(part.pk) or Figures()
                if not part_figures.answered:
                    problems.append(Problem(indicator.pk, part.pk, "value", line_label(indicator, part),
                                            "Give a figure for every part of the breakdown (0 if none), "
                                            "mark it ‘not known’, or leave every part blank."))
        total_refused = any(p.indicator_id == indicator.pk for p in problems)
        # A breakdown with parts not known has a total as typed, or "not known" (set by the engine).
        answered = effective_value(indicator, parts, figures) is not None or bool(figures.total.na_reason) \
            or bool(parts and unknown)
        if indicator.required and not total_refused and not answered:
            column = "numerator" if indicator.unit in RATIO_SCALE else "value"
            problems.append(Problem(indicator.pk, None, column, line_label(indicator),
                                    "This figure is required: give it before submitting."))
    return problems


def effective_value(indicator, parts: list, figures: IndicatorFigures) -> Decimal | None:
    """The indicator's figure as the portal holds it: computed for ratios with counts, the typed
    published figure for ratios without (issue 13.2), the sum of a complete breakdown when no total
    is typed (never the sum of a breakdown known only in part, issue 13.4), otherwise the typed
    value; ``None`` when not available."""
    if figures.total.na_reason and not figures.total.computed:
        return None
    if indicator.unit in RATIO_SCALE:
        computed = compute_ratio(indicator.unit, figures.total.numerator, figures.total.denominator)
        if computed is None and figures.total.numerator is None and figures.total.denominator is None:
            return figures.total.value
        return computed
    if figures.total.value is not None:
        return figures.total.value
    if parts:
        given = [(figures.parts.get(p.pk) or Figures()).value for p in parts]
        if all(v is not None for v in given):
            return sum(given, Decimal(0))
    return None


def moved_share(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """How far ``value`` moved against ``previous`` as a share of it (0.3 = 30%); None if unknown."""
    if value is None or previous is None or previous == 0:
        return None
    return abs(value - previous) / abs(previous)


# A count that moves by fewer than this many never needs a narrative, unless the indicator sets its
# own ``min_abs_change`` (issue 13.7: 1 -> 0 is a 100% move but no story).
DEFAULT_MIN_COUNT_CHANGE = Decimal(3)


def min_abs_change(indicator) -> Decimal:
    """The smallest change (in the indicator's unit) that can count as sharp: the indicator's
    ``min_abs_change``, else ``DEFAULT_MIN_COUNT_CHANGE`` for counts, else 0."""
    own = getattr(indicator, "min_abs_change", None)
    if own is not None:
        return own
    return DEFAULT_MIN_COUNT_CHANGE if indicator.unit == Unit.COUNT else Decimal(0)


def sharp_movement(indicator, value: Decimal | None, previous: Decimal | None, *,
                   share: Decimal) -> formatting.Movement | None:
    """The movement from ``previous`` to ``value`` if it is sharp — more than ``share`` of
    ``previous`` (``conf.movement_share()``) *and* at least ``min_abs_change(indicator)`` in the
    indicator's own unit — else ``None``. The ``Movement`` carries direction, change and words."""
    moved = moved_share(value, previous)
    if moved is None or moved <= share:
        return None
    if abs(value - previous) < min_abs_change(indicator):
        return None
    return formatting.movement(previous, value, indicator)


def narrative_reasons(indicator, value: Decimal | None, *, target=None, previous: Decimal | None,
                      share: Decimal) -> list[str]:
    """Why this figure needs a narrative (empty when it does not): red against its target, or a
    sharp movement (``sharp_movement``) against the last accepted quarter."""
    reasons = []
    if value is None:
        return reasons
    if target is not None and rag(value, indicator.polarity, target.target, target.amber_threshold) == "red":
        reasons.append("it is red against its target")
    moved = sharp_movement(indicator, value, previous, share=share)
    if moved is not None:
        reasons.append(f"it moved {moved.text} against the last accepted quarter "
                       f"({formatting.format_figure(previous, indicator)})")
    return reasons
