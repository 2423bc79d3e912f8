"""Horizontal bar charts, e.g. by agency, with a target marker; bars short of it are hatched."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from .common import (
    TARGET_COLOUR,
    ChartTable,
    Number,
    _chart_id,
    _fmt,
    _num,
    _open_svg,
    _tick_label,
    format_value,
    nice_scale,
    text_lines,
    wrap_label,
)

# ---------------------------------------------------------------- bar chart


def _below(value: float | None, target: float | None, polarity: str) -> bool:
    if value is None or target is None:
        return False
    return value < target if polarity != "lower" else value > target


def bar_chart(
    *,
    title: str,
    items: Sequence[dict],
    target: Number | None = None,
    polarity: str = "higher",
    unit: str = "",
    desc: str | None = None,
    x_max: Number | None = None,
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 190,
    chart_id: str | None = None,
    **_table_only: Any,
) -> str:
    items = list(items)
    if len(items) <= 5 and width == 640:
        # A few bars need no full width: the chart stays small on the page (issue 15.7).
        width = 480
        label_width = min(label_width, 170)
    t = _num(target)
    cid = _chart_id("bar", title, (items, t, unit, polarity), chart_id)
    below = [i["label"] for i in items if _below(_num(i.get("value")), t, polarity)]
    summary_bits = [f"{i['label']} {format_value(i.get('value'), unit)}" for i in items]
    summary = "; ".join(summary_bits) + "." if summary_bits else "No data yet."
    if t is not None:
        summary += f" Target {format_value(t, unit)}; {len(below)} of {len(items)} short of it."
    full_desc = f"{desc} {summary}" if desc else summary

    legend_h = 22 if t is not None else 0
    top, gap = 10 + legend_h, 8
    # Long labels wrap onto more lines (never cut, issue 15.7); every row is as tall as the tallest.
    label_chars = max(8, label_width // 7)
    wrapped = [wrap_label(str(i["label"]), label_chars) for i in items]
    line_h = 12
    pitch = max(bar_height + gap, max((len(w) for w in wrapped), default=1) * line_h + gap)
    height = top + max(len(items), 1) * pitch + 30
    out = _open_svg(cid, width, height, title, full_desc)
    out.append(
        f'<defs><pattern id="{cid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d4351c"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="3"/></pattern></defs>'
    )
    values = [_num(i.get("value")) for i in items]
    present = [v for v in values if v is not None]
    if not present:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#505a5f">'
                   "No data yet</text></svg>")
        return "".join(out)

    hi = _num(x_max) if x_max is not None else max([*present, t or 0])
    if unit == "%" and x_max is None and hi <= 100:
        hi = 100.0
    lo, hi, ticks = nice_scale(min(0.0, min(present)), hi, 4)
    left, right = label_width, 70
    plot_w = width - left - right

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot_w

    plot_bottom = top + len(items) * pitch
    if t is not None:
        out.append(f'<g class="sg-chart-legend"><rect x="{left}" y="4" width="14" height="12" fill="#1d70b8"/>'
                   f'<text x="{left + 18}" y="14">Meets target</text>'
                   f'<rect x="{left + 110}" y="4" width="14" height="12" fill="url(#{cid}-hatch)"/>'
                   f'<text x="{left + 128}" y="14">Short of target (hatched)</text></g>')
    out.append('<g class="sg-chart-axes" stroke="#b1b4b6">')
    for tick in ticks:
        out.append(f'<line x1="{_fmt(px(tick))}" x2="{_fmt(px(tick))}" y1="{top - 4}" y2="{plot_bottom}"/>')
    out.append("</g><g class=\"sg-chart-ticks\">")
    for tick in ticks:
        out.append(f'<text x="{_fmt(px(tick))}" y="{plot_bottom + 16}" text-anchor="middle">'
                   f"{escape(_tick_label(tick, unit))}</text>")
    out.append("</g><g class=\"sg-chart-bars\">")
    for k, v in enumerate(values):
        y = top + k * pitch
        lines = wrapped[k]
        first = y + bar_height * 0.7 - (len(lines) - 1) * line_h / 2
        out.append(text_lines(lines, x=left - 6, y=first, line_height=line_h, text_anchor="end"))
        if v is None:
            out.append(f'<text x="{left + 4}" y="{_fmt(y + bar_height * 0.7)}" fill="#505a5f">no figure</text>')
            continue
        x0, x1 = px(max(lo, 0.0)), px(v)
        fill = f"url(#{cid}-hatch)" if _below(v, t, polarity) else "#1d70b8"
        out.append(f'<rect x="{_fmt(min(x0, x1))}" y="{y}" width="{_fmt(abs(x1 - x0))}" height="{bar_height}" '
                   f'fill="{fill}" stroke="#0b0c0c" stroke-width="0.5"/>')
        out.append(f'<text x="{_fmt(max(x0, x1) + 4)}" y="{_fmt(y + bar_height * 0.7)}">'
                   f"{escape(format_value(v, unit))}</text>")
    out.append("</g>")
    if t is not None:
        out.append(f'<g class="sg-chart-target"><line x1="{_fmt(px(t))}" x2="{_fmt(px(t))}" y1="{top - 6}" '
                   f'y2="{plot_bottom}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>'
                   f'<text x="{_fmt(px(t))}" y="{plot_bottom + 28}" text-anchor="middle" font-weight="bold">'
                   f"Target {escape(format_value(t, unit))}</text></g>")
    out.append("</svg>")
    return "".join(out)


def bar_chart_table(
    *,
    title: str,
    items: Sequence[dict],
    target: Number | None = None,
    polarity: str = "higher",
    unit: str = "",
    label_header: str = "Agency",
    value_header: str = "",
    **_ignored: Any,
) -> ChartTable:
    """The chart's table alternative. ``label_header`` names what the bars are (agencies, budget
    lines, quarters); ``value_header`` what they measure, by default "Value" with its unit."""
    t = _num(target)
    headers = [label_header, value_header or (f"Value ({unit})" if unit else "Value")]
    if t is not None:
        headers.append(f"Against target of {format_value(t, unit)}")
    rows = []
    for item in items:
        v = _num(item.get("value"))
        row = [str(item["label"]), format_value(v, unit)]
        if t is not None:
            row.append("–" if v is None else ("Short of target" if _below(v, t, polarity) else "Meets target"))
        rows.append(row)
    return ChartTable(caption=title, headers=headers, rows=rows)
