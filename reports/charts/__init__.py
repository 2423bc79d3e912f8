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

``spc_chart(**spec)`` / ``spc_chart_table(**spec)`` — an XmR chart of a judged series
(``datasets.spc.SpcResult``) with its mean, process limits, target and special-cause points;
``variation_icon(key)`` / ``assurance_icon(key)`` — the Making Data Count icons (see ``spc.py``).
``chart("spc", title=..., categories=..., result=..., polarity=..., target=..., unit=...)``.

``svg_data_uri(svg)`` turns an SVG string into a ``data:`` URI for ``<img src>``.

``format_value(value, unit)`` is the one number format used by charts and tables.
"""

from __future__ import annotations

import base64
from typing import Any

from .bar import bar_chart, bar_chart_table
from .common import (
    ChartOutput,
    ChartTable,
    format_value,
    nice_scale,
)
from .line import _line_summary, line_chart, line_chart_table
from .spc import assurance_icon, spc_chart, spc_chart_table, spc_summary, variation_icon

__all__ = ["ChartOutput", "ChartTable", "assurance_icon", "bar_chart", "bar_chart_table", "chart", "format_value",
           "line_chart", "line_chart_table", "nice_scale", "spc_chart", "spc_chart_table", "svg_data_uri",
           "variation_icon"]


# ---------------------------------------------------------------- both at once


def chart(kind: str, **spec: Any) -> ChartOutput:
    if kind == "line":
        svg, table = line_chart(**spec), line_chart_table(**spec)
    elif kind == "bar":
        svg, table = bar_chart(**spec), bar_chart_table(**spec)
    elif kind == "spc":
        svg, table = spc_chart(**spec), spc_chart_table(**spec)
    else:
        raise ValueError(f"Unknown chart kind {kind!r}: use 'line', 'bar' or 'spc'.")
    alt = f"{spec['title']}. " + _alt_summary(kind, spec)
    return ChartOutput(title=spec["title"], svg=svg, table=table, alt=alt)


def _alt_summary(kind: str, spec: dict) -> str:
    unit = spec.get("unit", "")
    if kind == "spc":
        return spc_summary(spec["result"], unit) + " The figures are in the table that follows."
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
