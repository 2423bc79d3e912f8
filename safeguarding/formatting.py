"""The one figure formatter: every page, message, email, export and PDF shows figures through it.

Pure functions, no database. A figure is formatted by its indicator's **unit** (the
``datasets.Unit`` codes: ``count``, ``percentage``, ``rate_10k``, ``days``, ``pounds``) and, where
the indicator sets it, its own number of **decimals**. Issue 13.6:

- counts: 0 decimals, thousands separated ("1,234");
- percentages and rates: 1 decimal unless the indicator says otherwise ("85.3%",
  "42.1 per 10,000 children");
- days: 0 decimals unless the indicator says otherwise ("12 days");
- money: 0 decimals, a £ and thousands separators ("£12,500").

The unit is always shown. A figure that is *missing* (nobody has given it) is "–"; a figure that is
*not available* (someone said why: not collected, no longer reported, suppressed at source, not
applicable) is "n/a" with the reason given as a footnote (13.1). Exports carry numbers as numbers,
rounded as displayed (``round_figure``), with the unit in the column header (``unit_header``).
Movement (13.7) is the change in the indicator's own unit — percentage points for percentages —
with an arrow and "better"/"worse" by polarity (``movement``).

Everything here accepts an indicator-like object (anything with ``unit`` and, optionally,
``decimals`` and ``polarity`` attributes) or a bare unit code, so dashboards, charts and the
report can share it without importing the datasets app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

# ---------------------------------------------------------------- units

COUNT, PERCENTAGE, RATE_10K, DAYS, POUNDS = "count", "percentage", "rate_10k", "days", "pounds"

# Decimals by unit when the indicator does not say (issue 13.6).
DEFAULT_DECIMALS = {COUNT: 0, PERCENTAGE: 1, RATE_10K: 1, DAYS: 0, POUNDS: 0}

# What a column header adds after the figure's name: "Value (%)", "Value (per 10,000 children)".
UNIT_HEADERS = {COUNT: "number", PERCENTAGE: "%", RATE_10K: "per 10,000 children", DAYS: "days", POUNDS: "£"}

# Older call sites (the charts) name units by their sign; these map them onto the unit codes.
_SIGN_TO_UNIT = {"%": PERCENTAGE, "£": POUNDS, "days": DAYS, "": COUNT, "per 10,000": RATE_10K,
                 "per 10,000 children": RATE_10K}

# Why a figure is not available (issue 13.1). The datasets models use these as their choices.
NA_REASONS = {
    "not_collected": "Not collected",
    "no_longer_reported": "No longer reported",
    "suppressed": "Suppressed at source",
    "not_applicable": "Not applicable",
    # For a part of a breakdown known only in part (issue 13.4), and a total that therefore is not.
    "not_known": "Not known",
}

MISSING = "–"
NOT_AVAILABLE = "n/a"


def unit_of(subject: Any) -> str:
    """The unit code of ``subject``: an indicator-like object (its ``unit``), a unit code, or a
    sign used by the charts ("%", "£", "days", ""). Unknown text is treated as a count."""
    unit = getattr(subject, "unit", subject)
    if unit is None:
        return COUNT
    unit = str(unit)
    if unit in DEFAULT_DECIMALS:
        return unit
    return _SIGN_TO_UNIT.get(unit, COUNT)


def decimals_for(subject: Any, decimals: int | None = None) -> int:
    """How many decimals a figure of ``subject`` shows: ``decimals`` if given, else the
    indicator's own ``decimals`` attribute if set, else the unit's default (``DEFAULT_DECIMALS``)."""
    if decimals is not None:
        return int(decimals)
    own = getattr(subject, "decimals", None)
    if own is not None and not callable(own):
        return int(own)
    return DEFAULT_DECIMALS[unit_of(subject)]


def to_decimal(value: Any) -> Decimal | None:
    """``value`` (Decimal, int, float or numeric text) as a finite ``Decimal``; ``None`` for
    blanks, ``None``, booleans, text that is not a number, NaN and infinities."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return out if out.is_finite() else None


def _quantize(number: Decimal, places: int) -> Decimal:
    out = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return out + 0 if out != 0 else abs(out)  # never "-0.0"


# ---------------------------------------------------------------- one figure


def number_text(value: Any, places: int) -> str:
    """The bare number rounded half-up to ``places`` decimals with thousands separators,
    e.g. ``number_text(Decimal("1234.56"), 1) == "1,234.6"``; "–" when missing."""
    number = to_decimal(value)
    if number is None:
        return MISSING
    return f"{_quantize(number, places):,.{places}f}"


def limit_text(value: Any) -> str:
    """A limit or a count in a message ("must be 5,000 characters or fewer", "the limit is
    1,000 rows") as people read it: thousands separated, with the decimals the number itself
    has and no more ("0.5", "1,234.25", "5,000"). A value that is not a number (a date limit) is
    its ``str``. Every number a message prints comes through here or ``format_figure``."""
    number = to_decimal(value)
    if number is None or isinstance(value, bool):
        return str(value)
    exponent = number.normalize().as_tuple().exponent
    return number_text(number, max(0, -exponent) if isinstance(exponent, int) else 0)


def format_figure(value: Any, subject: Any = COUNT, *, decimals: int | None = None) -> str:
    """A figure as people read it, with its unit: "1,234", "85.3%", "42.1 per 10,000 children",
    "12 days", "£12,500". ``subject`` is the indicator (or a unit code); ``decimals`` overrides.
    A missing figure (``None``, blank, not a number) is "–". Use ``format_status`` for a figure
    whose status says it is not available."""
    number = to_decimal(value)
    if number is None:
        return MISSING
    unit = unit_of(subject)
    places = decimals_for(subject, decimals)
    # ``number_text`` inlined: a matrix formats thousands of figures a page.
    rounded = _quantize(number, places)
    text = f"{rounded:,.{places}f}"
    if unit == PERCENTAGE:
        return f"{text}%"
    if unit == RATE_10K:
        return f"{text} per 10,000 children"
    if unit == DAYS:
        return f"{text} day" if rounded == 1 else f"{text} days"
    if unit == POUNDS:
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    return text


def reason_label(reason: str | None, note: str = "") -> str:
    """The words for why a figure is not available: "Suppressed at source: fewer than 5 children"
    (the label of ``reason`` from ``NA_REASONS``, then the optional ``note``). An unknown or empty
    reason reads "Not available"."""
    label = NA_REASONS.get(reason or "", "Not available")
    note = (note or "").strip()
    return f"{label}: {note}" if note else label


def format_status(value: Any, subject: Any = COUNT, *, reason: str | None = None, note: str = "",
                  decimals: int | None = None) -> str:
    """A figure that may be "not available": "n/a" when ``reason`` is given (show
    ``reason_label(reason, note)`` as its footnote), else ``format_figure``."""
    if reason:
        return NOT_AVAILABLE
    return format_figure(value, subject, decimals=decimals)


def round_figure(value: Any, subject: Any = COUNT, *, decimals: int | None = None) -> Decimal | None:
    """A figure for an export: a number (``Decimal``) rounded as ``format_figure`` shows it,
    ``None`` when missing. openpyxl writes a ``Decimal`` as a number and ``csv`` as its digits,
    so "76.4706" leaves as 76.5 and 0.2136… never leaves at all."""
    number = to_decimal(value)
    if number is None:
        return None
    return _quantize(number, decimals_for(subject, decimals))


def unit_header(subject: Any) -> str:
    """What an export's or table's column header adds for the unit: "%", "per 10,000 children",
    "days", "£", "number"."""
    return UNIT_HEADERS[unit_of(subject)]


def comparator_label(kind: str, year: str, value: Any = None, subject: Any = COUNT, *,
                     reason: str | None = None, decimals: int | None = None) -> str:
    """A comparator with its year, always: "England 2015/16: 42.4%" (issue 13.3). Without a value
    the label alone ("England 2015/16"), e.g. for a column header or a chart legend; "n/a" when the
    comparator is not available."""
    head = f"{kind} {year}".strip()
    if value is None and not reason:
        return head
    return f"{head}: {format_status(value, subject, reason=reason, decimals=decimals)}"


# ---------------------------------------------------------------- movement


@dataclass(frozen=True)
class Movement:
    """A change between two figures in the indicator's own unit.

    ``change`` is ``current - previous`` rounded as the figure is shown (percentage points for a
    percentage, children for a count, £ for money); ``direction`` is "up", "down" or "same";
    ``judgement`` is "better", "worse" or "" (no polarity, or no change); ``text`` is what a page
    shows: "↑ 5.2 percentage points (better)", "↓ 1 (worse)", "no change".
    """

    change: Decimal
    direction: str
    judgement: str
    text: str

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓"}.get(self.direction, "→")


def change_text(change: Decimal, subject: Any = COUNT, *, decimals: int | None = None) -> str:
    """The size of a change, without sign, in the unit's own terms: "5.2 percentage points",
    "3 days", "£1,200", "4.1 per 10,000 children", "12"."""
    size = abs(change)
    unit = unit_of(subject)
    if unit == PERCENTAGE:
        places = decimals_for(subject, decimals)
        text = number_text(size, places)
        return f"{text} percentage point" + ("" if _quantize(size, places) == 1 else "s")
    return format_figure(size, subject, decimals=decimals)


def movement(previous: Any, current: Any, subject: Any = COUNT, *, polarity: str | None = None,
             decimals: int | None = None) -> Movement | None:
    """How ``current`` moved from ``previous`` (issue 13.7), or ``None`` when either is missing.

    ``polarity`` ("higher", "lower", "neutral") defaults to ``subject.polarity``; with "higher" an
    increase is "better", with "lower" it is "worse", with "neutral" neither is said. A change that
    rounds to nothing as displayed is "no change".
    """
    before, after = to_decimal(previous), to_decimal(current)
    if before is None or after is None:
        return None
    places = decimals_for(subject, decimals)
    change = _quantize(after - before, places)
    if change == 0:
        return Movement(change=change, direction="same", judgement="", text="no change")
    direction = "up" if change > 0 else "down"
    polarity = polarity if polarity is not None else getattr(subject, "polarity", "neutral")
    judgement = ""
    if polarity == "higher":
        judgement = "better" if direction == "up" else "worse"
    elif polarity == "lower":
        judgement = "worse" if direction == "up" else "better"
    arrow = "↑" if direction == "up" else "↓"
    text = f"{arrow} {change_text(change, subject, decimals=places)}"
    if judgement:
        text += f" ({judgement})"
    return Movement(change=change, direction=direction, judgement=judgement, text=text)


def format_movement(previous: Any, current: Any, subject: Any = COUNT, *, polarity: str | None = None,
                    decimals: int | None = None) -> str:
    """``movement(...).text``, or "–" when either figure is missing."""
    moved = movement(previous, current, subject, polarity=polarity, decimals=decimals)
    return MISSING if moved is None else moved.text


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class ChartFormat:
    """What a chart needs to label its figures the same way as the tables beside it.

    ``unit`` is the unit code, ``places`` the decimals of a data label; ``label(v)`` formats a data
    point; ``tick(v)`` formats an axis tick (same unit, but as many decimals as the tick step
    needs, so 2.5 is not drawn as "3"); ``axis_title`` names the unit ("%", "per 10,000 children").
    """

    unit: str
    places: int

    def label(self, value: Any) -> str:
        return format_figure(value, self.unit, decimals=self.places)

    def tick(self, value: Any) -> str:
        number = to_decimal(value)
        if number is None:
            return MISSING
        places = max(0, -number.normalize().as_tuple().exponent) if number != number.to_integral_value() else 0
        return format_figure(number, self.unit, decimals=min(places, 2))

    @property
    def axis_title(self) -> str:
        return unit_header(self.unit)

    @property
    def axis_note(self) -> str:
        """The unit written once above a chart's value axis when its ticks leave it out: "per 10,000
        children", "days"; "" for percentages, money and counts, whose ticks carry it ("40%", "£5,000").
        A tick of "40 per 10,000 children" would not fit beside the axis (it was cut to "0 children")."""
        return "" if self.unit in (PERCENTAGE, POUNDS, COUNT) else unit_header(self.unit)

    def axis_tick(self, value: Any) -> str:
        """A value-axis tick: ``tick(value)`` when the unit is short, else the bare number, with the
        unit in ``axis_note`` ("40" under "per 10,000 children"; "2.5", never "3")."""
        if not self.axis_note:
            return self.tick(value)
        number = to_decimal(value)
        if number is None:
            return MISSING
        places = max(0, -number.normalize().as_tuple().exponent) if number != number.to_integral_value() else 0
        return number_text(number, min(places, 2))


def chart_format(subject: Any = COUNT, *, decimals: int | None = None) -> ChartFormat:
    """The ``ChartFormat`` of an indicator (or unit code, or chart sign such as "%")."""
    return ChartFormat(unit=unit_of(subject), places=decimals_for(subject, decimals))


def plain_number(value: Any) -> str:
    """A stored figure as a person would type it back into a form or a downloaded spreadsheet:
    no unit, no thousands separators, no trailing zeros ("12.5", "1234"); "" when missing.
    Not for showing figures — use ``format_figure``."""
    number = to_decimal(value)
    if number is None:
        return ""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
