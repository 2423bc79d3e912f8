"""The shapes the report's templates read: a document with front matter and chapters."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..charts import ChartOutput, chart


@dataclass
class ChartSpec:
    slot: str
    kind: str  # "line", "bar" or "spc"
    spec: dict
    # The caption of the chapter's own table that holds the same figures: then the chart's
    # table alternative is not printed a second time, the chart points to that table.
    table_in_chapter: str = ""


@dataclass
class Chapter:
    key: str
    title: str
    template: str
    intro: str = ""
    data: dict = field(default_factory=dict)
    chart_specs: list[ChartSpec] = field(default_factory=list)
    charts: dict[str, ChartOutput] = field(default_factory=dict)
    # Set when the data this chapter draws on is not there yet (or not for this period).
    empty: str = ""

    @property
    def anchor(self) -> str:
        return f"chapter-{self.key}"

    def add_chart(self, slot: str, kind: str, *, table_in_chapter: str = "", **spec: Any) -> None:
        """Ask for a chart in ``slot``; left out when it would show fewer than three points or only
        zeros, where the chapter's table stands alone (issue 15.7). ``table_in_chapter`` names
        the chapter's table that already holds the chart's figures."""
        if not drawable(kind, spec):
            return
        spec.setdefault("chart_id", f"{self.key}-{slot}")
        self.chart_specs.append(ChartSpec(slot, kind, spec, table_in_chapter))


MIN_POINTS = 3


def drawable(kind: str, spec: dict) -> bool:
    """Whether a chart is worth drawing: at least ``MIN_POINTS`` values, not all of them zero.
    For a line chart the values are those of its first series (the partnership); for an SPC
    chart, the points it draws."""
    if kind == "bar":
        raw = [item.get("value") for item in spec.get("items", [])]
    elif kind == "spc":
        # The points drawn: the last ``show_last`` of the judged series (all of it when not set).
        raw = list(spec["result"].values)[-(spec.get("show_last") or len(spec["result"].values) or 1):]
    else:
        series = spec.get("series") or [{}]
        raw = list(series[0].get("values", []))
    values = [v for v in raw if v is not None]
    return len(values) >= MIN_POINTS and any(v != 0 for v in values)


@dataclass
class Document:
    kind: str  # "annual" or "pci"
    title: str
    subtitle: str
    partnership: Any
    period_label: str
    status_label: str
    version: int
    date_label: str
    chapters: list[Chapter]
    front: dict = field(default_factory=dict)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    @property
    def chart_count(self) -> int:
        return sum(len(c.chart_specs) for c in self.chapters)


def draw(document: Document) -> None:
    for chapter in document.chapters:
        for item in chapter.chart_specs:
            output = chart(item.kind, **item.spec)
            chapter.charts[item.slot] = replace(output, table_in_chapter=item.table_in_chapter)
