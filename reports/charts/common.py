"""What both kinds of chart share: palette, number formats, scales and SVG helpers."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from safeguarding import formatting

Number = Decimal | int | float

# GOV.UK colours dark enough (4.5:1 on white) for the direct labels drawn in them.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#912b88", "#6f4b00", "#003078", "#505a5f")
COMPARATOR_COLOUR = "#505a5f"
TARGET_COLOUR = "#0b0c0c"
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")
FONT = "Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class ChartOutput:
    title: str
    svg: str
    table: ChartTable
    alt: str
    # The caption of the report's own table with the same figures (the alternative is not repeated).
    table_in_chapter: str = ""


# ---------------------------------------------------------------- numbers


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        out = float(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return out if math.isfinite(out) else None


def format_value(value: Any, unit: str = "") -> str:
    """A chart's or table's figure through the one formatter (``safeguarding.formatting``):
    ``unit`` is a unit code ("percentage") or a sign ("%", "£", "days"); a dash when missing."""
    return formatting.format_figure(value, unit)


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * magnitude:
            return mult * magnitude
    return 10 * magnitude


def nice_scale(lo: float, hi: float, ticks: int = 5) -> tuple[float, float, list[float]]:
    """Round axis limits and tick values that enclose ``lo``..``hi``."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) or 1)
    step = _nice_step(hi - lo, ticks)
    start = math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    count = round((end - start) / step)
    return start, end, [round(start + i * step, 10) for i in range(count + 1)]


def _tick_label(value: float, unit: str) -> str:
    return formatting.chart_format(unit).tick(Decimal(str(value)))


def targets_per_category(target: Any, n: int) -> list[float | None]:
    """A chart's target as one number (or ``None``) per category: ``target`` is ``None``, one
    number (flat), or a sequence of one value per category (a target that steps between years)."""
    if target is None:
        return [None] * n
    if isinstance(target, (list, tuple)):
        values = [_num(v) for v in target]
        return (values + [None] * n)[:n]
    value = _num(target)
    return [value] * n


def target_path(targets: list[float | None], *, left: float, plot_w: float, n: int, first: int = 0, py) -> str:
    """SVG path data for a target drawn flat across each category's slot, so a change between years
    shows as a step and a category without a target leaves a gap. ``first`` is the index of the first
    category drawn (the earlier ones are left out). Shared by the line and SPC charts."""
    shown = n - first

    def slot(i: int):
        t = targets[i]
        if t is None:
            return None
        x0, x1 = left + plot_w * (i - first) / shown, left + plot_w * (i - first + 1) / shown
        return [(x0, py(t)), (x1, py(t))]

    return _runs(slot(i) for i in range(first, n))


def value_axis(ticks: list[float], unit: str, *, left: float, py, top: float) -> list[str]:
    """The value axis's tick labels (right-aligned beside the plot, ending at ``left - 6``) and,
    when the unit is too long for every tick (rates, days), the unit written once above the axis
    (``formatting.ChartFormat.axis_note``), so no tick is ever cut off at the chart's edge. Shared by
    the line and SPC charts; ``py`` maps a value to its y coordinate."""
    fmt = formatting.chart_format(unit)
    out = ['<g class="sg-chart-ticks" fill="#0b0c0c">']
    for t in ticks:
        out.append(f'<text x="{left - 6}" y="{_fmt(py(t) + 4)}" text-anchor="end">'
                   f"{escape(fmt.axis_tick(Decimal(str(t))))}</text>")
    if fmt.axis_note:
        out.append(f'<text class="sg-chart-unit" x="4" y="{_fmt(top - 6)}" fill="#505a5f">'
                   f"{escape(fmt.axis_note)}</text>")
    out.append("</g>")
    return out


def axis_top(unit: str, top: float) -> float:
    """The plot's top edge: ``top``, or lower by a line when the unit is written above the axis."""
    return top + 12 if formatting.chart_format(unit).axis_note else top


def time_axis(categories: list[str], px, y: float, *, most: int = 8) -> list[str]:
    """Category labels under a time axis: at most about ``most`` quarters labelled, the last
    always, and the year named at every change of year whether or not its quarter is labelled
    (issue 15.7). Categories such as "2024/25-Q1" are drawn as "Q1" over "2024/25"; ``px(i)``
    gives the x of category ``i``. Shared by the line and SPC charts."""
    n = len(categories)
    step = max(1, math.ceil(n / most))
    out = []
    previous_year = None
    for i, c in enumerate(categories):
        parts = c.split("-", 1) if "-Q" in c else [c]
        year_changes = len(parts) == 2 and parts[0] != previous_year
        previous_year = parts[0] if len(parts) == 2 else previous_year
        if i % step == 0 or i == n - 1 or year_changes:
            out.append(f'<text x="{_fmt(px(i))}" y="{_fmt(y)}" text-anchor="middle">{escape(parts[-1])}</text>')
        if year_changes:
            out.append(f'<text x="{_fmt(px(i))}" y="{_fmt(y + 14)}" text-anchor="middle" '
                       f'fill="#505a5f">{escape(parts[0])}</text>')
    return out


# ---------------------------------------------------------------- svg helpers


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def path_runs(values, px, py) -> str:
    """The SVG path data ("M x,y L x,y …") through ``values`` (numbers or None, one per slot),
    starting a new run after each gap, so a missing quarter is never bridged by a line.
    ``px(i)``/``py(v)`` map a slot and a value to coordinates. Shared by the line and SPC charts."""
    return _runs(None if v is None else [(px(i), py(v))] for i, v in enumerate(values))


def _runs(slots) -> str:
    """SVG path data from ``slots``: each a list of (x, y) points, or ``None`` for a gap. Points of
    consecutive slots join into one run ("M x,y L x,y …"); a gap ends the run, so it is never bridged."""
    runs, points = [], []
    for slot in slots:
        if slot is None:
            if points:
                runs.append(" ".join(points))
            points = []
            continue
        for x, y in slot:
            points.append(f"{'L' if points else 'M'}{_fmt(x)},{_fmt(y)}")
    if points:
        runs.append(" ".join(points))
    return " ".join(runs)


def _chart_id(prefix: str, title: str, payload: Any, chart_id: str | None) -> str:
    if chart_id:
        return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in chart_id)
    digest = hashlib.sha1(repr((title, payload)).encode(), usedforsecurity=False).hexdigest()[:10]
    return f"{prefix}-{digest}"


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.0) -> str:
    s = size
    if shape == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(s)}" fill="{colour}"/>'
    if shape == "square":
        return (f'<rect x="{_fmt(x - s)}" y="{_fmt(y - s)}" width="{_fmt(2 * s)}" height="{_fmt(2 * s)}" '
                f'fill="{colour}"/>')
    if shape == "triangle":
        pts = f"{_fmt(x)},{_fmt(y - s - 1)} {_fmt(x + s + 1)},{_fmt(y + s)} {_fmt(x - s - 1)},{_fmt(y + s)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "triangle-down":
        pts = f"{_fmt(x)},{_fmt(y + s + 1)} {_fmt(x + s + 1)},{_fmt(y - s)} {_fmt(x - s - 1)},{_fmt(y - s)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if shape == "diamond":
        pts = (f"{_fmt(x)},{_fmt(y - s - 1)} {_fmt(x + s + 1)},{_fmt(y)} "
               f"{_fmt(x)},{_fmt(y + s + 1)} {_fmt(x - s - 1)},{_fmt(y)}")
        return f'<polygon points="{pts}" fill="{colour}"/>'
    # cross
    return (f'<path d="M{_fmt(x - s)},{_fmt(y - s)} L{_fmt(x + s)},{_fmt(y + s)} M{_fmt(x - s)},{_fmt(y + s)} '
            f'L{_fmt(x + s)},{_fmt(y - s)}" stroke="{colour}" stroke-width="2"/>')


def _open_svg(cid: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sg-chart" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _spread_labels(items: list[tuple[float, str, str]], gap, top: float, bottom: float):
    """Nudge direct labels apart vertically so they never overprint one another.

    ``items`` are ``(y, text, colour)`` at each line's last point; ``gap`` is the room one label
    takes (pixels), or ``{text: pixels}`` for labels of different heights (a wrapped label takes
    one line height a line). Labels pushed past ``bottom`` move up together, but never above
    ``top``: a stack taller than the plot runs on below it rather than off the top of the
    drawing, where the first labels were cut ("Region 2023/24 81.0%" on the indicator page)."""
    def room(text: str) -> float:
        return gap.get(text, 13) if isinstance(gap, dict) else gap

    items = sorted(items, key=lambda item: item[0])
    placed: list[list[Any]] = []
    for y, text, colour in items:
        y = max(y, top)
        if placed and y - placed[-1][0] < room(placed[-1][1]):
            y = placed[-1][0] + room(placed[-1][1])
        placed.append([y, text, colour])
    overflow = placed[-1][0] - bottom if placed else 0
    if overflow > 0:
        shift = min(overflow, placed[0][0] - top)
        for item in placed:
            item[0] -= shift
    return placed


def wrap_label(text: str, limit: int) -> list[str]:
    """``text`` as lines of at most ``limit`` characters, broken between words; a word longer
    than a line is broken inside it. Nothing is ever cut off (issue 15.7)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > limit:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:limit])
            word = word[limit:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= limit:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def text_lines(lines: list[str], *, x: float, y: float, line_height: float = 12, **attrs: str) -> str:
    """An SVG <text> of several lines (tspans), the first on ``y``; attributes as keyword arguments."""
    from html import escape

    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    spans = "".join(f'<tspan x="{_fmt(x)}" dy="{0 if i == 0 else line_height}">{escape(part)}</tspan>'
                    for i, part in enumerate(lines))
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}"{extra}>{spans}</text>'


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
