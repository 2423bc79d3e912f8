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
    _tick_label,
    format_value,
    nice_scale,
    path_runs,
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
              chart_id: str | None = None, **_table_only: Any) -> str:
    """The XmR chart as an SVG string. ``categories`` label the points (one per value);
    ``target`` is one number (the target now) or ``None``. With a refused result the chart shows
    the points and says why there are no limits."""
    categories = [str(c) for c in categories]
    n = len(categories)
    values = [_num(v) for v in result.values]
    cid = _chart_id("spc", title, (categories, values), chart_id)
    summary = spc_summary(result, unit)
    out = _open_svg(cid, width, height, title, f"{desc} {summary}" if desc else summary)
    present = [v for v in values if v is not None]
    if not present or n == 0:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#505a5f">'
                   "No data yet</text></svg>")
        return "".join(out)
    lines = list(present)
    for phase in result.phases:
        lines += [_num(phase.limits.upper), _num(phase.limits.lower)]
    target_value = _num(target)
    if target_value is not None:
        lines.append(target_value)
    lo, hi, ticks = nice_scale(min(lines), max(lines))
    left, right, top, bottom = 56, 150, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(i: float) -> float:
        return left + plot_w * (i + 0.5) / n

    def py(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    out.append('<g class="sg-chart-axes" stroke="#b1b4b6" stroke-width="1">')
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_fmt(py(t))}" y2="{_fmt(py(t))}"/>')
    out.append('</g><g class="sg-chart-ticks" fill="#0b0c0c">')
    for t in ticks:
        out.append(f'<text x="{left - 6}" y="{_fmt(py(t) + 4)}" text-anchor="end">'
                   f'{escape(_tick_label(t, unit))}</text>')
    step = max(1, -(-n // 8))
    for i, c in enumerate(categories):
        if i % step == 0 or i == n - 1:
            parts = c.split("-", 1) if "-Q" in c else [c]
            out.append(f'<text x="{_fmt(px(i))}" y="{top + plot_h + 16}" text-anchor="middle">'
                       f'{escape(parts[-1])}</text>')
            if len(parts) == 2:
                out.append(f'<text x="{_fmt(px(i))}" y="{top + plot_h + 30}" text-anchor="middle" '
                           f'fill="#505a5f">{escape(parts[0])}</text>')
    out.append("</g>")
    labels: list[tuple[float, str, str]] = []
    for k, phase in enumerate(result.phases):
        x0, x1 = left + plot_w * phase.start / n, left + plot_w * phase.end / n
        lim = phase.limits
        last = k == len(result.phases) - 1
        for value, dash, name in ((lim.mean, "", "Mean"), (lim.upper, "6 4", "Upper limit"),
                                  (lim.lower, "6 4", "Lower limit")):
            y = py(_num(value))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line class="sg-spc-{name.split()[0].lower()}" x1="{_fmt(x0)}" x2="{_fmt(x1)}" '
                       f'y1="{_fmt(y)}" y2="{_fmt(y)}" stroke="#505a5f" stroke-width="1.5"{dash_attr}/>')
            if last:
                labels.append((y, f"{name} {format_value(value, unit)}", "#505a5f"))
    if target_value is not None:
        y = py(target_value)
        out.append(f'<line class="sg-chart-target" x1="{left}" x2="{left + plot_w}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
                   f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="10 3 2 3"/>')
        labels.append((y, f"Target {format_value(target_value, unit)}", TARGET_COLOUR))
    out.append(f'<path class="sg-spc-series" d="{path_runs(values, px, py)}" fill="none" stroke="{COMMON}" '
               f'stroke-width="2"/>')
    sides = result.sides or [None] * n
    for i, v in enumerate(values):
        if v is None:
            continue
        special = bool(result.flags and result.flags[i])
        colour, shape = _point_style(sides[i] if special else None, polarity)
        out.append(_marker(shape, px(i), py(v), colour, 5.5 if special else 3.5))
    out.append('<g class="sg-chart-labels">')
    for y, text, colour in _spread_labels(labels, 13, top + 4, top + plot_h):
        out.append(f'<text x="{left + plot_w + 6}" y="{_fmt(y + 4)}" fill="{colour}">{escape(text)}</text>')
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
                    **_ignored: Any) -> ChartTable:
    """Period per row: the value, the mean and the limits of its phase, the target, and the rules
    the point breaks in words."""
    headers = ["Period", "Value", "Mean", "Lower limit", "Upper limit"]
    if target is not None:
        headers.append("Target")
    headers.append("Special cause")
    rows = []
    for i, c in enumerate(categories):
        lim = result.limits_at(i) if not result.refused else None
        row = [str(c), format_value(result.values[i], unit)]
        row += [format_value(lim.mean, unit), format_value(lim.lower, unit), format_value(lim.upper, unit)] if lim \
            else ["–", "–", "–"]
        if target is not None:
            row.append(format_value(target, unit))
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
