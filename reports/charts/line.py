"""Line charts: trends by quarter, with a target that can step between years and comparators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .common import (
    COMPARATOR_COLOUR,
    DASHES,
    MARKERS,
    PALETTE,
    TARGET_COLOUR,
    ChartTable,
    Number,
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

# ---------------------------------------------------------------- line chart


def _line_summary(categories, series, unit) -> str:
    parts = []
    for s in series:
        pts = [(c, _num(v)) for c, v in zip(categories, s.get("values", []), strict=False) if _num(v) is not None]
        if pts:
            first, last = pts[0], pts[-1]
            parts.append(f"{s['name']}: {format_value(first[1], unit)} in {first[0]}, "
                         f"{format_value(last[1], unit)} in {last[0]}")
    return "; ".join(parts) + "." if parts else "No data yet."


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[dict],
    target: Any = None,
    comparators: Sequence[dict] | None = None,
    unit: str = "",
    desc: str | None = None,
    y_min: Number | None = None,
    y_max: Number | None = None,
    width: int = 640,
    height: int = 320,
    chart_id: str | None = None,
    **_table_only: Any,
) -> str:
    categories = [str(c) for c in categories]
    comparators = list(comparators or [])
    n = len(categories)
    targets = targets_per_category(target, n)
    cid = _chart_id("line", title, (categories, series, targets, comparators, unit), chart_id)
    summary = _line_summary(categories, series, unit)
    full_desc = f"{desc} {summary}" if desc else summary
    out = _open_svg(cid, width, height, title, full_desc)

    all_values = [
        v for s in [*series, *comparators] for v in (_num(x) for x in s.get("values", [])) if v is not None
    ] + [t for t in targets if t is not None]
    if not all_values or n == 0:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#505a5f">'
                   "No data yet</text></svg>")
        return "".join(out)

    lo = _num(y_min) if y_min is not None else min(0.0, min(all_values))
    hi = _num(y_max) if y_max is not None else max(all_values)
    if unit == "%" and y_max is None:
        hi = min(max(hi, 0.0), 100.0) if hi <= 100 else hi
    lo, hi, ticks = nice_scale(lo, hi)

    left, right, top, bottom = 56, 150, axis_top(unit, 16), 46
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    # axes and grid
    out.append('<g class="sg-chart-axes" stroke="#b1b4b6" stroke-width="1">')
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{_fmt(py(t))}" y2="{_fmt(py(t))}"/>')
    out.append("</g>")
    out += value_axis(ticks, unit, left=left, py=py, top=top)
    out.append('<g class="sg-chart-ticks" fill="#0b0c0c">')
    out += time_axis(categories, px, top + plot_h + 16)
    out.append("</g>")

    labels: list[tuple[float, str, str]] = []

    # target: a stepped line so a change between years shows as a step
    if any(t is not None for t in targets):
        out.append(f'<path class="sg-chart-target" d="{target_path(targets, left=left, plot_w=plot_w, n=n, py=py)}" '
                   f'fill="none" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="8 4"/>')
        last_t = next(t for t in reversed(targets) if t is not None)
        labels.append((py(last_t), f"Target {format_value(last_t, unit)}", TARGET_COLOUR))

    def draw(s: dict, colour: str, dash: str, marker: str | None, stroke: float, css: str) -> None:
        values = [_num(v) for v in (list(s.get("values", [])) + [None] * n)[:n]]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="{css}"><path d="{path_runs(values, px, py)}" fill="none" stroke="{colour}" '
                   f'stroke-width="{stroke}"{dash_attr}/>')
        if marker:
            for i, v in enumerate(values):
                if v is not None:
                    out.append(_marker(marker, px(i), py(v), colour))
        out.append("</g>")
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
        if last is not None:
            labels.append((py(last[1]), f"{s['name']} {format_value(last[1], unit)}", colour))

    for s in comparators:
        draw(s, COMPARATOR_COLOUR, "2 2", None, 1.5, "sg-chart-comparator")
    for k, s in enumerate(series):
        draw(s, PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)], 2.5,
             "sg-chart-series")

    out.append('<g class="sg-chart-labels">')
    # End-of-line labels wrap onto a second line rather than being cut (issue 15.7).
    wrapped = {text: wrap_label(text, 24) for _, text, _ in labels}
    gap = {text: 13 * len(lines) for text, lines in wrapped.items()}  # each label's own height
    for y, text, colour in _spread_labels(labels, gap, top + 4, top + plot_h):
        out.append(text_lines(wrapped[text], x=left + plot_w + 6, y=y + 4, line_height=12, fill=colour))
    out.append("</g></svg>")
    return "".join(out)


def line_chart_table(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[dict],
    target: Any = None,
    comparators: Sequence[dict] | None = None,
    unit: str = "",
    **_ignored: Any,
) -> ChartTable:
    """Period per row; one column per series, then comparators, then the target."""
    categories = [str(c) for c in categories]
    comparators = list(comparators or [])
    targets = targets_per_category(target, len(categories))
    has_target = any(t is not None for t in targets)
    headers = ["Period", *(s["name"] for s in series), *(c["name"] for c in comparators)]
    if has_target:
        headers.append("Target")
    rows = []
    for i, c in enumerate(categories):
        row = [c]
        for s in [*series, *comparators]:
            values = list(s.get("values", []))
            row.append(format_value(values[i] if i < len(values) else None, unit))
        if has_target:
            row.append(format_value(targets[i], unit))
        rows.append(row)
    return ChartTable(caption=title, headers=headers, rows=rows)
