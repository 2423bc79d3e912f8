"""Server-side SVG charts: no JavaScript, so the same drawing works in a web page and in the PDF
(WeasyPrint runs no scripts). Shared by the dashboards and the annual report.

Every function is pure: plain data in (lists, dicts, ``Decimal``/``int``/``float``, ``None`` for a
missing value), a string out. All text is escaped. Colour is never the only cue: each series has
its own dash pattern and marker shape and is labelled directly at its last point; bars below
their target are hatched as well as coloured.

API
---

``line_chart(**spec) -> str`` — trend by quarter (or any ordered categories)::

    line_chart(
        title="Training compliance, level 3",          # required; becomes <title>
        desc="Quarterly compliance against target.",    # optional; <desc> (a summary is added)
        categories=["2023/24-Q1", ..., "2024/25-Q4"],   # x axis, in order
        series=[{"name": "Acute trust", "values": [Decimal("81.5"), None, ...]}, ...],
        target=[80, 80, 80, 80, 90, 90, 90, 90],        # optional: one value per category, so
                                                         # it can step between years; or a number
        comparators=[{"name": "England", "values": [...]}],  # optional: thin grey lines
        unit="%",                                        # "%", "£", "" or any suffix ("days")
        y_min=None, y_max=None,                          # optional axis limits (else from data)
        width=640, height=320, chart_id=None,           # chart_id: stable id prefix for aria
    )

``bar_chart(**spec) -> str`` — horizontal bars, e.g. by agency::

    bar_chart(
        title="Level 3 compliance by agency, 2024/25",
        items=[{"label": "Acute trust", "value": Decimal("88.2")}, ...],
        target=90,                 # optional: a dashed marker line; bars below it are hatched
        polarity="higher",         # "higher" or "lower" is better: decides "below target"
        unit="%", x_max=None, width=640, chart_id=None, desc=None,
    )

``line_chart_table(**spec)`` / ``bar_chart_table(**spec)`` take the *same* keyword arguments
(each side ignores the other's extras; ``label_header="Quarter"`` names the bar table's first column)
and return a ``ChartTable`` (``caption``, ``headers``, ``rows`` of already-formatted strings)
— the text alternative to show beside or under the chart (``<table>`` with a caption).

``chart(kind, **spec) -> ChartOutput`` returns both at once (``.svg``, ``.table``, ``.title``,
``.alt``), ``kind`` being ``"line"`` or ``"bar"``. ``.alt`` is a one-sentence alternative
text (for an ``<img alt>`` in the PDF).

``svg_data_uri(svg)`` turns an SVG string into a ``data:`` URI for ``<img src>``.

``format_value(value, unit)`` is the one number format used by charts and tables.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

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
    """``87.5%``, ``£12,400``, ``1,234``, ``3.5 days``; a dash for a missing value."""
    number = _num(value)
    if number is None:
        return "–"
    if unit == "£":
        return f"£{number:,.0f}"
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


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
    return format_value(Decimal(str(value)), unit)


# ---------------------------------------------------------------- svg helpers


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


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


def _spread_labels(items: list[tuple[float, str, str]], gap: float, top: float, bottom: float):
    """Nudge direct labels apart vertically so they never overprint one another."""
    items = sorted(items, key=lambda item: item[0])
    placed: list[list[Any]] = []
    for y, text, colour in items:
        y = max(y, top)
        if placed and y - placed[-1][0] < gap:
            y = placed[-1][0] + gap
        placed.append([y, text, colour])
    overflow = placed[-1][0] - bottom if placed else 0
    if overflow > 0:
        for item in placed:
            item[0] -= overflow
    return placed


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- line chart


def _targets(target: Any, n: int) -> list[float | None]:
    if target is None:
        return [None] * n
    if isinstance(target, (list, tuple)):
        values = [_num(v) for v in target]
        return (values + [None] * n)[:n]
    value = _num(target)
    return [value] * n


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
    targets = _targets(target, n)
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

    left, right, top, bottom = 56, 150, 16, 46
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
    out.append('<g class="sg-chart-ticks" fill="#0b0c0c">')
    for t in ticks:
        out.append(f'<text x="{left - 6}" y="{_fmt(py(t) + 4)}" text-anchor="end">'
                   f"{escape(_tick_label(t, unit))}</text>")
    step = max(1, math.ceil(n / 8))
    for i, c in enumerate(categories):
        if i % step == 0 or i == n - 1:
            parts = c.split("-", 1) if "-Q" in c else [c]
            out.append(f'<text x="{_fmt(px(i))}" y="{top + plot_h + 16}" text-anchor="middle">'
                       f"{escape(parts[-1])}</text>")
            if len(parts) == 2 and (i == 0 or parts[1] == "Q1"):
                out.append(f'<text x="{_fmt(px(i))}" y="{top + plot_h + 30}" text-anchor="middle" '
                           f'fill="#505a5f">{escape(parts[0])}</text>')
    out.append("</g>")

    labels: list[tuple[float, str, str]] = []

    # target: a stepped line so a change between years shows as a step
    if any(t is not None for t in targets):
        segments, d = [], ""
        for i, t in enumerate(targets):
            x0, x1 = left + plot_w * i / n, left + plot_w * (i + 1) / n
            if t is None:
                if d:
                    segments.append(d)
                d = ""
                continue
            d += f"{'L' if d else 'M'}{_fmt(x0)},{_fmt(py(t))} L{_fmt(x1)},{_fmt(py(t))} "
        if d:
            segments.append(d)
        out.append(f'<path class="sg-chart-target" d="{" ".join(segments).strip()}" fill="none" '
                   f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="8 4"/>')
        last_t = next(t for t in reversed(targets) if t is not None)
        labels.append((py(last_t), f"Target {format_value(last_t, unit)}", TARGET_COLOUR))

    def draw(s: dict, colour: str, dash: str, marker: str | None, stroke: float, css: str) -> None:
        values = [_num(v) for v in (list(s.get("values", [])) + [None] * n)[:n]]
        d, runs = "", []
        for i, v in enumerate(values):
            if v is None:
                if d:
                    runs.append(d)
                d = ""
                continue
            d += f"{'L' if d else 'M'}{_fmt(px(i))},{_fmt(py(v))} "
        if d:
            runs.append(d)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="{css}"><path d="{" ".join(runs).strip()}" fill="none" stroke="{colour}" '
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
    for y, text, colour in _spread_labels(labels, 13, top + 4, top + plot_h):
        out.append(f'<text x="{left + plot_w + 6}" y="{_fmt(y + 4)}" fill="{colour}">'
                   f"{escape(_truncate(text, 24))}</text>")
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
    targets = _targets(target, len(categories))
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
    height = top + max(len(items), 1) * (bar_height + gap) + 30
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

    plot_bottom = top + len(items) * (bar_height + gap)
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
    for k, (item, v) in enumerate(zip(items, values, strict=True)):
        y = top + k * (bar_height + gap)
        label = _truncate(str(item["label"]), max(8, label_width // 7))
        out.append(f'<text x="{left - 6}" y="{_fmt(y + bar_height * 0.7)}" text-anchor="end">{escape(label)}</text>')
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
    **_ignored: Any,
) -> ChartTable:
    t = _num(target)
    headers = [label_header, "Value"]
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


# ---------------------------------------------------------------- both at once


def chart(kind: str, **spec: Any) -> ChartOutput:
    if kind == "line":
        svg, table = line_chart(**spec), line_chart_table(**spec)
    elif kind == "bar":
        svg, table = bar_chart(**spec), bar_chart_table(**spec)
    else:
        raise ValueError(f"Unknown chart kind {kind!r}: use 'line' or 'bar'.")
    alt = f"{spec['title']}. " + _alt_summary(kind, spec)
    return ChartOutput(title=spec["title"], svg=svg, table=table, alt=alt)


def _alt_summary(kind: str, spec: dict) -> str:
    unit = spec.get("unit", "")
    if kind == "line":
        return _line_summary([str(c) for c in spec["categories"]], spec["series"], unit) + (
            " The figures are in the table that follows."
        )
    items = spec["items"]
    if not items:
        return "No data yet."
    return f"{len(items)} bars; the figures are in the table that follows."


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
