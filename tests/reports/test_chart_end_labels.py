"""End-of-line labels fit in the drawing, never above it (issue 15.7: labels are never cut).

The indicator page's trend for LA-ICPC15 has nine end labels (the target, six comparators, the
partnership and one agency), some wrapped onto two or three lines. Every label was given the room
of the tallest, the stack overflowed the plot, and moving it up put "Region 2023/24 81.0%" above
the top of the SVG, where it was cut off."""

from __future__ import annotations

import re

from reports.charts.line import line_chart

QUARTERS = [f"{y}/{str(y + 1)[2:]}-Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]


def _labels(svg: str) -> list[tuple[float, int, str]]:
    """(y of the first line, number of lines, text) of each end label."""
    group = re.search(r'<g class="sg-chart-labels">(.*?)</g>', svg, re.S).group(1)
    return [(float(y), len(re.findall(r"<tspan", body)), re.sub(r"<[^>]+>", " ", body).strip())
            for y, body in re.findall(r'<text x="[^"]+" y="([^"]+)"[^>]*>(.*?)</text>', group, re.S)]


def test_nine_end_labels_fit_inside_the_drawing_without_overprinting():
    comparators = [{"name": f"{kind} {year}", "values": [value] * 12}
                   for kind, value in (("England", 78), ("Region", 81), ("Statistical neighbours", 79))
                   for year in ("2023/24", "2024/25")]
    svg = line_chart(title="LA-ICPC15", categories=QUARTERS, unit="%", target=85, comparators=comparators,
                     series=[{"name": "Partnership (all agencies pooled)", "values": [75 + i for i in range(12)]},
                             {"name": "Northbridge Council Children's Social Care", "values": [74] * 12}])
    height = float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))
    labels = _labels(svg)
    assert len(labels) == 9
    for y, lines, text in labels:
        assert y - 10 >= 0, f"{text!r} starts above the drawing (y={y})"
        assert y + 12 * (lines - 1) + 3 <= height, f"{text!r} runs off the bottom (y={y}, {lines} lines)"
    ordered = sorted(labels)
    for (y1, lines1, t1), (y2, _lines2, t2) in zip(ordered, ordered[1:], strict=False):
        assert y2 - y1 >= 12 * lines1, f"{t1!r} and {t2!r} overprint"
