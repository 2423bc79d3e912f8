"""XmR (SPC) charts and the Making Data Count icons, drawn from a judged series
(``datasets.spc.SpcResult``). Kept apart from the line chart so that whoever replaces the chart
drawing can adapt this one module: it needs only the result's ``values``, ``phases``
(``start``, ``end``, ``limits`` with ``mean``/``upper``/``lower``), ``flags``, ``sides``,
``variation`` and ``assurance``.

``spc_chart(**spec) -> str`` draws the points joined by a line, the mean (solid), the process
limits (dashed), the target (dash-dot, black) and every special-cause point as a larger marker:
improving in blue with an upward/downward triangle, concerning in orange with a square, neither
in purple with a diamond — shape as well as colour. ``spc_chart_table(**spec)`` is its table
alternative (period, value, mean, lower limit, upper limit, target, special cause in words).
``variation_icon(key)`` / ``assurance_icon(key)`` draw the icons as small inline SVGs with their
words as the accessible name (``role="img"`` and ``aria-label``); the words are also shown by the
pages beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from .common import (
    TARGET_COLOUR,
    ChartTable,
    _chart_id,
    _fmt,
    _marker,
    _num,
    _open_svg,
    _spread_labels,
    axis_top,
    format_value,
    nice_scale,
    path_runs,
    target_path,
    targets_per_category,
    text_lines,
    time_axis,
    value_axis,
    wrap_label,
)

IMPROVING, CONCERNING, NEITHER, COMMON = "#1d70b8", "#b33b00", "#4c2c92", "#505a5f"
RULE_WORDS = {
    "beyond": "beyond a limit",
    "shift": "run of 7 on one side",
    "trend": "6 rising or falling",
    "two_of_three": "2 of 3 near a limit",
}
VARIATION_WORDS = {
    "common": "Common cause variation",
    "improving_high": "Special cause: improving (high)",
    "improving_low": "Special cause: improving (low)",
    "concerning_high": "Special cause: concerning (high)",
    "concerning_low": "Special cause: concerning (low)",
    "neither_high": "Special cause: high",
    "neither_low": "Special cause: low",
}
ASSURANCE_WORDS = {
    "pass": "Target consistently met",
    "fail": "Target consistently missed",
    "hit_and_miss": "Target hit and miss",
}


def _point_style(side: str | None, polarity: str) -> tuple[str, str]:
    if side is None:
        return COMMON, "circle"
    if polarity not in ("higher", "lower"):
        return NEITHER, "diamond"
    if (side == "high") == (polarity == "higher"):
        return IMPROVING, "triangle" if side == "high" else "triangle-down"
    return CONCERNING, "square"


def spc_chart(*, title: str, categories: Sequence[str], result: Any, polarity: str = "", target: Any = None,
              unit: str = "", desc: str | None = None, width: int = 640, height: int = 300,
              chart_id: str | None = None, show_last: int | None = None, label_width: int = 150,
              **_table_only: Any) -> str:
    """The XmR chart as an SVG string. ``categories`` label the points (one per value);
    ``target`` is one number (the target now) or ``None``. With a refused result the chart shows
    the points and says why there are no limits. ``show_last`` draws only the last that many
    points (the report's two years) while the mean and limits stay those judged from the whole
    series; ``label_width`` is the room on the right for the lines' labels (narrower for a chart
    drawn two to a row)."""
    categories = [str(c) for c in categories]
    n = len(categories)
    values = [_num(v) for v in result.values]
    cid = _chart_id("spc", title, (categories, values), chart_id)
    summary = spc_summary(result, unit)
    out = _open_svg(cid, width, height, title, f"{desc} {summary}" if desc else summary)
    first = max(0, n - show_last) if show_last else 0
    shown = n - first
    present = [v for v in values[first:] if v is not None]
    if not present or n == 0:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#505a5f">'
                   "No data yet</text></svg>")
        return "".join(out)
    phases = [p for p in result.phases if p.end > first]
    lines = list(present)
    for phase in phases:
        lines += [_num(phase.limits.upper), _num(phase.limits.lower)]
    targets = targets_per_category(target, n)
    lines += [t for t in targets[first:] if t is not None]
    lo, hi, ticks = nice_scale(min(lines), max(lines))
    left, right, top, bottom = 56, label_width, axis_top(unit, 16), 46
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(i: float) -> float:
        return left + plot_w * (i - first + 0.5) / shown

    def py(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    out.append('<g class="sg-chart-axes" stroke="#b1b4b6" stroke-width="1">')
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_fmt(py(t))}" y2="{_fmt(py(t))}"/>')
    out.append("</g>")
    out += value_axis(ticks, unit, left=left, py=py, top=top)
    out.append('<g class="sg-chart-ticks" fill="#0b0c0c">')
    out += time_axis(categories[first:], lambda i: px(i + first), top + plot_h + 16)
    out.append("</g>")
    labels: list[tuple[float, str, str]] = []
    for k, phase in enumerate(phases):
        x0 = left + plot_w * (max(phase.start, first) - first) / shown
        x1 = left + plot_w * (phase.end - first) / shown
        lim = phase.limits
        last = k == len(phases) - 1
        for value, dash, name in ((lim.mean, "", "Mean"), (lim.upper, "6 4", "Upper limit"),
                                  (lim.lower, "6 4", "Lower limit")):
            y = py(_num(value))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line class="sg-spc-{name.split()[0].lower()}" x1="{_fmt(x0)}" x2="{_fmt(x1)}" '
                       f'y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="#505a5f" stroke-width="1.5"{dash_attr}/>')
            if last:
                labels.append((y, f"{name} {format_value(value, unit)}", "#505a5f"))
    if any(t is not None for t in targets[first:]):
        # One number is the target now; a sequence steps where the target changed between years.
        d = target_path(targets, left=left, plot_w=plot_w, n=n, first=first, py=py)
        out.append(f'<path class="sg-chart-target" d="{d}" fill="none" stroke="{TARGET_COLOUR}" stroke-width="2" '
                   'stroke-dasharray="10 3 2 3"/>')
        latest = next(t for t in reversed(targets[first:]) if t is not None)
        labels.append((py(latest), f"Target {format_value(latest, unit)}", TARGET_COLOUR))
    out.append(f'<path class="sg-spc-series" d="{path_runs(values[first:], lambda i: px(i + first), py)}" '
               f'fill="none" stroke="{COMMON}" stroke-width="2"/>')
    sides = result.sides or [None] * n
    for i in range(first, n):
        v = values[i]
        if v is None:
            continue
        special = bool(result.flags and result.flags[i])
        colour, shape = _point_style(sides[i] if special else None, polarity)
        out.append(_marker(shape, px(i), py(v), colour, 5.5 if special else 3.5))
    out.append('<g class="sg-chart-labels">')
    # Labels wrap rather than run past the edge of a narrow chart (issue 15.7: never cut).
    limit = max(10, int((right - 8) / 6.2))
    wrapped = {text: wrap_label(text, limit) for _, text, _ in labels}
    gap = {text: 13 * len(lines) for text, lines in wrapped.items()}  # each label's own height
    for y, text, colour in _spread_labels(labels, gap, top + 4, top + plot_h):
        out.append(text_lines(wrapped[text], x=left + plot_w + 6, y=y + 4, line_height=12, fill=colour))
    out.append("</g></svg>")
    return "".join(out)


def spc_summary(result: Any, unit: str = "") -> str:
    """One or two sentences saying what the chart shows, for its description and alt text."""
    if result.refused:
        return f"No process limits: {result.refused}"
    lim = result.limits
    specials = sum(1 for f in result.flags if f)
    text = (f"Mean {format_value(lim.mean, unit)}, process limits {format_value(lim.lower, unit)} to "
            f"{format_value(lim.upper, unit)}. {VARIATION_WORDS.get(result.variation, '')}")
    if specials:
        text += f" ({specials} point{'s' if specials != 1 else ''} show special cause)"
    if result.assurance:
        text += f". {ASSURANCE_WORDS[result.assurance]}"
    return text + "."


def spc_chart_table(*, title: str, categories: Sequence[str], result: Any, target: Any = None, unit: str = "",
                    show_last: int | None = None, series_name: str = "Value", limits_in_table: bool = True,
                    **_ignored: Any) -> ChartTable:
    """Period per row: the value (headed ``series_name``), the mean and the limits of its phase,
    the target, and the rules the point breaks in words. ``show_last`` keeps the rows of the points
    drawn; ``limits_in_table`` False leaves the mean and limits out, for a page that gives them
    once in its own table (the annual report's "Variation and assurance")."""
    targets = targets_per_category(target, len(categories))
    first = max(0, len(categories) - show_last) if show_last else 0
    has_target = any(t is not None for t in targets[first:])
    headers = ["Period", series_name]
    if limits_in_table:
        headers += ["Mean", "Lower limit", "Upper limit"]
    if has_target:
        headers.append("Target")
    headers.append("Special cause")
    rows = []
    for i, c in enumerate(categories):
        if i < first:
            continue
        row = [str(c), format_value(result.values[i], unit)]
        if limits_in_table:
            lim = result.limits_at(i) if not result.refused else None
            row += [format_value(lim.mean, unit), format_value(lim.lower, unit), format_value(lim.upper, unit)] \
                if lim else ["–", "–", "–"]
        if has_target:
            row.append(format_value(targets[i], unit))
        flags = result.flags[i] if result.flags else set()
        row.append(", ".join(RULE_WORDS[f] for f in sorted(flags)) + (f" ({result.sides[i]})" if flags else "")
                   if flags else "–")
        rows.append(row)
    return ChartTable(caption=f"{title} (the chart as a table)", headers=headers, rows=rows)


# ---------------------------------------------------------------- icons

_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" class="sg-spc-icon" role="img" aria-label="{label}" '
         'width="{size}" height="{size}" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#ffffff" '
         'stroke="{colour}" stroke-width="2"/>{inner}</svg>')


def _letter(letter: str, colour: str) -> str:
    return (f'<text x="12" y="16.5" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
            f'font-size="13" font-weight="700" fill="{colour}">{letter}</text>')


# The icons are pure functions of their key and size, drawn for every cell of a matrix: kept.
@lru_cache(maxsize=64)
def variation_icon(key: str | None, size: int = 24) -> str:
    """The variation icon: grey with a flat wave (common cause), blue (improving), orange
    (concerning) or purple (neither) with H or L for the side. Empty for ``None``."""
    if not key:
        return ""
    label = VARIATION_WORDS[key]
    if key == "common":
        inner = f'<path d="M5,12 C8,7 10,17 12,12 C14,7 16,17 19,12" fill="none" stroke="{COMMON}" stroke-width="2"/>'
        colour = COMMON
    else:
        kind, side = key.split("_")
        colour = {"improving": IMPROVING, "concerning": CONCERNING}.get(kind, NEITHER)
        inner = _letter("H" if side == "high" else "L", colour)
    return _ICON.format(label=escape(label, quote=True), size=size, colour=colour, inner=inner)


@lru_cache(maxsize=64)
def assurance_icon(key: str | None, size: int = 24) -> str:
    """The assurance icon: P in blue (consistently met), F in orange (consistently missed), a grey
    question mark (hit and miss). Empty for ``None``."""
    if not key:
        return ""
    colour, letter = {"pass": (IMPROVING, "P"), "fail": (CONCERNING, "F"), "hit_and_miss": (COMMON, "?")}[key]
    return _ICON.format(label=escape(ASSURANCE_WORDS[key], quote=True), size=size, colour=colour,
                        inner=_letter(letter, colour))
