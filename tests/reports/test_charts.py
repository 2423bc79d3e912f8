"""The shared SVG charts: pure functions, escaped text, accessible names, a table alternative."""

import re
from decimal import Decimal

import pytest
from defusedxml import ElementTree as ET

from reports import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
CATS = ["2023/24-Q1", "2023/24-Q2", "2023/24-Q3", "2023/24-Q4", "2024/25-Q1", "2024/25-Q2"]


def _line(**over):
    spec = {
        "title": "Level 3 compliance",
        "categories": CATS,
        "series": [{"name": "Acute trust", "values": [Decimal("81.5"), 82, None, 85, 86, 88]},
                   {"name": "Community", "values": [70, 72, 75, 77, 80, 82]}],
        "target": [80, 80, 80, 80, 90, 90],
        "comparators": [{"name": "England", "values": [78] * 6}],
        "unit": "%",
    }
    spec.update(over)
    return spec


def test_line_chart_is_valid_svg_with_accessible_name():
    svg = charts.line_chart(**_line(chart_id="trend-1"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "trend-1-title trend-1-desc"
    assert root.find("svg:title", NS).text == "Level 3 compliance"
    assert root.find("svg:title", NS).get("id") == "trend-1-title"
    desc = root.find("svg:desc", NS).text
    assert "Acute trust: 81.5% in 2023/24-Q1, 88.0% in 2024/25-Q2" in desc


def test_line_chart_draws_direct_labels_markers_and_a_stepped_target():
    svg = charts.line_chart(**_line())
    assert "Acute trust 88.0%" in svg and "Community 82.0%" in svg and "England 78.0%" in svg
    assert "Target 90.0%" in svg
    # two series: one solid with circles, one dashed with squares
    assert "<circle" in svg and "<rect" in svg and 'stroke-dasharray="6 3"' in svg
    target_path = ET.fromstring(svg).find(".//svg:path[@class='sg-chart-target']", NS).get("d")
    ys = {seg.split(",")[1].strip() for seg in target_path.replace("M", "L").split("L") if "," in seg}
    assert len(ys) == 2  # the target steps from 80% to 90% between years


def test_missing_values_break_the_line_rather_than_draw_zero():
    svg = charts.line_chart(**_line(series=[{"name": "A", "values": [1, None, 3]}], categories=["a", "b", "c"],
                                    target=None, comparators=None, unit=""))
    path = ET.fromstring(svg).find(".//svg:g[@class='sg-chart-series']/svg:path", NS).get("d")
    assert path.count("M") == 2


def test_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script> & co'
    svg = charts.line_chart(**_line(title=evil, series=[{"name": evil, "values": [1] * 6}]))
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    bar = charts.bar_chart(title=evil, items=[{"label": evil, "value": 3}])
    ET.fromstring(bar)
    assert "<script>" not in bar


def test_no_data_says_so():
    svg = charts.line_chart(title="Empty", categories=CATS, series=[])
    assert "No data yet" in svg
    ET.fromstring(svg)
    bar = charts.bar_chart(title="Empty", items=[])
    assert "No data yet" in bar
    ET.fromstring(bar)


def test_bar_chart_hatches_bars_short_of_target_and_marks_target():
    svg = charts.bar_chart(title="By agency", items=[{"label": "Trust", "value": Decimal("88.2")},
                                                     {"label": "Council", "value": 95},
                                                     {"label": "Police", "value": None}],
                           target=90, unit="%", chart_id="bars")
    root = ET.fromstring(svg)
    fills = [r.get("fill") for r in root.findall(".//svg:g[@class='sg-chart-bars']/svg:rect", NS)]
    assert fills == ["url(#bars-hatch)", "#1d70b8"]
    assert "no figure" in svg and "Target 90.0%" in svg and "88.2%" in svg
    assert "1 of 3 short of it" in root.find("svg:desc", NS).text


def test_lower_is_better_polarity():
    svg = charts.bar_chart(title="Re-referrals", items=[{"label": "LA", "value": 25}], target=20,
                           polarity="lower", unit="%", chart_id="r")
    assert "url(#r-hatch)" in svg.split("sg-chart-bars")[1]


def test_table_alternatives_hold_the_same_figures():
    table = charts.line_chart_table(**_line())
    assert table.caption == "Level 3 compliance"
    assert table.headers == ["Period", "Acute trust", "Community", "England", "Target"]
    assert table.rows[0] == ["2023/24-Q1", "81.5%", "70.0%", "78.0%", "80.0%"]
    assert table.rows[2][1] == "–"
    assert table.rows[5][-1] == "90.0%"
    bars = charts.bar_chart_table(title="By agency", items=[{"label": "Trust", "value": 88}], target=90, unit="%")
    assert bars.headers == ["Agency", "Value (%)", "Against target of 90.0%"]
    assert bars.rows == [["Trust", "88.0%", "Short of target"]]


def test_chart_returns_svg_table_and_alt():
    out = charts.chart("line", **_line())
    assert out.svg.startswith("<svg") and out.table.rows and out.alt.startswith("Level 3 compliance.")
    assert charts.svg_data_uri(out.svg).startswith("data:image/svg+xml;base64,")
    with pytest.raises(ValueError):
        charts.chart("pie", title="x")


def test_same_data_same_svg():
    assert charts.line_chart(**_line()) == charts.line_chart(**_line())


@pytest.mark.parametrize(("value", "unit", "text"), [
    (Decimal("87.50"), "%", "87.5%"), (12400, "£", "£12,400"), (1234, "", "1,234"), (3.5, "days", "4 days"),
    (Decimal("42.06"), "rate_10k", "42.1 per 10,000 children"), (90, "%", "90.0%"),
    (None, "%", "–"), ("bad", "", "–"),
])
def test_format_value(value, unit, text):
    assert charts.format_value(value, unit) == text


def test_nice_scale():
    lo, hi, ticks = charts.nice_scale(3, 97)
    assert lo == 0 and hi == 100 and ticks[0] == 0 and ticks[-1] == 100
    assert charts.nice_scale(5, 5)[1] > 5


# ---------------------------------------------------------------- fit for print (issue 15.7)


def test_long_labels_wrap_and_are_never_cut():
    from reports.charts.bar import bar_chart
    from reports.charts.common import wrap_label

    name = "Three Boroughs Mental Health NHS Foundation Trust"
    assert wrap_label(name, 20) == ["Three Boroughs", "Mental Health NHS", "Foundation Trust"]
    assert wrap_label("Supercalifragilisticexpialidocious", 10) == ["Supercalif", "ragilistic", "expialidoc",
                                                                    "ious"]
    svg = bar_chart(title="Attendance", items=[{"label": name, "value": 80}, {"label": "A", "value": 60},
                                               {"label": "B", "value": 70}], unit="%", label_width=140)
    assert "…" not in svg and "Mental Health NHS" in svg and "Foundation Trust" in svg


def test_the_time_axis_names_the_year_at_every_change_of_year():
    from reports.charts.line import line_chart

    quarters = [f"{y}/{str(y + 1)[2:]}-Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    svg = line_chart(title="Trend", categories=quarters, series=[{"name": "Partnership",
                                                                  "values": list(range(12))}])
    for year in ("2022/23", "2023/24", "2024/25"):
        assert f">{year}</text>" in svg


def test_end_labels_wrap_rather_than_cut():
    from reports.charts.line import line_chart

    svg = line_chart(title="Trend", categories=["2024/25-Q1", "2024/25-Q2", "2024/25-Q3"],
                     series=[{"name": "Partnership", "values": [1, 2, 3]}],
                     comparators=[{"name": "Statistical neighbours (average of ten)", "values": [2, 2, 2]}])
    assert "…" not in svg and "Statistical neighbours" in svg and "(average of ten) 2" in svg


def test_no_chart_for_fewer_than_three_points_or_only_zeros():
    from reports.content.base import Chapter

    ch = Chapter(key="k", title="K", template="t")
    ch.add_chart("two", "bar", title="Two", items=[{"label": "A", "value": 1}, {"label": "B", "value": 2}])
    ch.add_chart("zeros", "bar", title="Zeros", items=[{"label": x, "value": 0} for x in "ABCD"])
    ch.add_chart("line", "line", title="Line", categories=["a", "b", "c"],
                 series=[{"name": "P", "values": [None, 1, None]}])
    ch.add_chart("ok", "bar", title="OK", items=[{"label": x, "value": 1} for x in "ABC"])
    assert [c.slot for c in ch.chart_specs] == ["ok"]


def test_a_small_bar_chart_stays_small():
    import re

    from reports.charts.bar import bar_chart

    small = bar_chart(title="Actions", items=[{"label": s, "value": v} for s, v in
                                              (("Assured", 2), ("On track", 1), ("Overdue", 0), ("Late", 1))])
    big = bar_chart(title="Agencies", items=[{"label": f"Agency {n}", "value": n} for n in range(12)])
    width = lambda svg: int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))  # noqa: E731
    height = lambda svg: int(re.search(r'<svg[^>]* height="(\d+)"', svg).group(1))  # noqa: E731
    assert width(small) == 480 < width(big) and height(small) < 160


@pytest.mark.parametrize("kind", ["line", "spc"])
def test_a_long_unit_is_written_once_above_the_value_axis_never_cut_from_a_tick(kind):
    """A rate's tick was "40 per 10,000 children" beside a 56 px margin, printed as "0 children"."""
    from datasets.spc import xmr

    values = [Decimal(v) for v in (34.5, 37.4, 35.6, 38.5, 38.5, 42.2, 40.8, 39.3, 36, 37, 38, 39)]
    cats = [f"{y}/{str(y + 1)[2:]}-Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)]
    spec = {"title": "CP plans", "categories": cats, "unit": "rate_10k"}
    spec |= {"result": xmr(values)} if kind == "spc" else {"series": [{"name": "Partnership", "values": values}]}
    root = ET.fromstring(charts.chart(kind, **spec).svg)
    ticks = root.find("svg:g[@class='sg-chart-ticks']", NS)
    texts = [t.text for t in ticks.findall("svg:text", NS)]
    assert "per 10,000 children" in texts  # the unit, once, above the axis
    assert all(t == "per 10,000 children" or "children" not in t for t in texts)
    assert all(re.fullmatch(r"[\d,.]+", t) for t in texts if t != "per 10,000 children")
    # Percentages keep their sign on every tick, with no note.
    spec["unit"] = "%"
    svg = charts.chart(kind, **spec).svg
    assert 'class="sg-chart-unit"' not in svg and re.search(r">\d+%</text>", svg)


def test_an_spc_chart_can_draw_its_last_quarters_with_the_limits_of_the_whole_series():
    from datasets.spc import xmr

    values = [Decimal(v) for v in (20, 22, 21, 23, 22, 24, 23, 25, 22, 21, 23, 24, 26, 25, 24, 23)]
    cats = [f"{y}/{str(y + 1)[2:]}-Q{q}" for y in (2022, 2023, 2024, 2025) for q in (1, 2, 3, 4)]
    result = xmr(values, polarity="higher", target=20)
    target = [18] * 12 + [20] * 4
    spec = {"title": "T", "categories": cats, "result": result, "target": target, "unit": "%", "show_last": 8,
            "series_name": "Partnership", "limits_in_table": False, "width": 400, "label_width": 118}
    output = charts.chart("spc", **spec)
    root = ET.fromstring(output.svg)
    assert len(root.findall(".//svg:circle", NS)) + len(root.findall(".//svg:polygon", NS)) \
        + len(root.findall(".//svg:rect", NS)) == 8  # one marker a quarter drawn
    assert ">2024/25</text>" in output.svg and ">2023/24</text>" not in output.svg
    mean = charts.format_value(result.limits.mean, "%")
    assert f"Mean {mean}" in "".join(root.itertext())  # the whole series' mean, not the last eight's
    assert output.table.headers == ["Period", "Partnership", "Target", "Special cause"]
    assert [r[0] for r in output.table.rows] == cats[8:]
    assert [r[2] for r in output.table.rows] == ["18.0%"] * 4 + ["20.0%"] * 4  # the target steps
    full = charts.spc_chart_table(title="T", categories=cats, result=result, unit="%")
    assert full.headers[:5] == ["Period", "Value", "Mean", "Lower limit", "Upper limit"] and len(full.rows) == 16
