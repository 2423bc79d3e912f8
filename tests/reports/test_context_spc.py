"""The annual report's key indicators carry their SPC as at the end of the reported year (issue 16.2
"…in the PCI pack and the annual report"), compactly (issue 15.5: the demo within 40 pages).

- mean and process limits from the quarters up to the year's end only, never a later quarter;
- "fewer than 12 points" said instead of limits;
- variation and assurance icons as an image with alternative text beside their words;
- small charts of this year and last, each with its table (period, partnership, target, special
  cause), in the PDF's HTML and the web edition alike.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from datasets import dashboard_selectors as ds
from datasets.models import Indicator, ReturnValue
from datasets.spc import xmr
from reports import content, edition, pdf
from reports.content.base import Chapter, Document, draw
from reports.content.context import chapter_context
from safeguarding import formatting
from safeguarding.periods import FinancialYear
from tests.dashboards.factories import fill, make_indicators, make_quarters
from tests.dashboards.test_pages import more_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """Five agencies, 18 quarters from 2022/23-Q1 to 2026/27-Q2, three indicators (a percentage
    with a target that rose and comparators, a count with no target, days with a target). The two
    quarters after 2025/26 hold figures far from the rest, so reading them would show."""
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    quarters = make_quarters(world.partnership, 18, first_year=2022)
    indicators = make_indicators(world.partnership, 3, first_year=2022, years=5)
    fill(agencies, quarters, indicators, seed=11)
    ReturnValue.objects.filter(ret__quarter__in=quarters[16:], indicator=indicators[0]).update(
        value=Decimal("5"), numerator=Decimal(10), denominator=Decimal(200))
    return {"quarters": quarters, "indicators": indicators}


def _context(world, year_start: int, *, drawn: bool = False) -> Chapter:
    """The context chapter of ``year_start``'s report with every indicator chosen (its charts
    drawn when ``drawn``)."""
    chosen = list(Indicator.objects.filter(partnership=world.partnership).values_list("pk", flat=True))
    ch = chapter_context(Chapter(key="context", title="Safeguarding context",
                                 template="reports/pdf/chapters/context.html"),
                         world.partnership, FinancialYear(year_start), selected=chosen)
    if drawn:
        draw(Document(kind="annual", title="", subtitle="", partnership=world.partnership, period_label="",
                      status_label="", version=1, date_label="", chapters=[ch]))
    return ch


def test_the_spc_is_judged_on_the_quarters_up_to_the_years_end_only(world, history):
    ch = _context(world, 2025)
    quarters = history["quarters"]
    percentage = history["indicators"][0]
    row = next(r for r in ch.data["rows"] if r["indicator"] == percentage)
    # The dashboard's own series and judging, stopped at 2025/26-Q4 (16 quarters), not 2026/27-Q2.
    values = ds.partnership_series(indicators={percentage.pk: percentage}, quarters=quarters[:16])[percentage.pk]
    expected = xmr(values, polarity=percentage.polarity, target=Decimal(90))
    assert row["spc"]["points"] == 16 and row["spc"]["span"] == "2022/23-Q1 to 2025/26-Q4"
    assert row["spc"]["mean"] == formatting.format_figure(expected.limits.mean, percentage)
    assert row["spc"]["lower"] == formatting.format_figure(expected.limits.lower, percentage)
    assert row["spc"]["upper"] == formatting.format_figure(expected.limits.upper, percentage)
    assert row["spc"]["variation"] == expected.variation and row["spc"]["assurance"] == expected.assurance
    everything = ds.partnership_series(indicators={percentage.pk: percentage}, quarters=quarters)[percentage.pk]
    assert formatting.format_figure(xmr(everything).limits.mean, percentage) != row["spc"]["mean"]
    # The neutral count has no assurance icon, and says why; the days indicator has one.
    count, days = (next(r for r in ch.data["rows"] if r["indicator"] == i) for i in history["indicators"][1:])
    assert count["spc"]["assurance"] is None and count["spc"]["no_assurance"] == "No target"
    assert days["spc"]["assurance"] in ("pass", "fail", "hit_and_miss")


def test_fewer_than_twelve_points_is_said_instead_of_limits(world, history):
    ch = _context(world, 2023, drawn=True)  # 2022/23 and 2023/24: eight quarters
    html = render_to_string(ch.template, {"data": ch.data, "charts": ch.charts})
    row = ch.data["rows"][0]
    assert row["spc"]["refused"] == "Fewer than 12 points (8 quarters): no process limits"
    assert row["spc"]["mean"] is None and "Fewer than 12 points (8 quarters): no process limits" in html
    assert "Variation icon:" not in html  # no icons without limits
    assert all("sg-spc-mean" not in chart.svg for chart in ch.charts.values())
    # The chart still draws the points and the target, which steps where it rose (80% to 90%).
    table = ch.charts[f"trend-{history['indicators'][0].pk}"].table
    assert [r[table.headers.index("Target")] for r in table.rows] == ["80.0%"] * 4 + ["90.0%"] * 4


def test_each_key_indicator_gets_a_small_chart_of_two_years_with_its_table(world, history):
    ch = _context(world, 2025, drawn=True)
    assert len(ch.charts) == len(ch.data["rows"]) == 3
    for row in ch.data["rows"]:
        chart = ch.charts[f"trend-{row['indicator'].pk}"]
        assert chart.table.headers[:2] == ["Period", "Partnership"] and chart.table.headers[-1] == "Special cause"
        assert [r[0] for r in chart.table.rows] == [q.label for q in history["quarters"][8:16]]
        assert "sg-spc-mean" in chart.svg and 'width="400"' in chart.svg
        if row["target"] is not None:
            assert "Target" in chart.table.headers
    percentage = next(r for r in ch.data["rows"] if r["indicator"] == history["indicators"][0])
    table = ch.charts[f"trend-{percentage['indicator'].pk}"].table
    # The target in force each quarter (90% since 2023/24), quarter by quarter in the table.
    assert {r[table.headers.index("Target")] for r in table.rows} == {"90.0%"}
    assert "sg-chart-target" in ch.charts[f"trend-{percentage['indicator'].pk}"].svg


def test_the_pdf_and_the_web_edition_show_the_same_spc_with_icons_and_words(world, history):
    doc = content.draw_charts(content.gather_annual(partnership=world.partnership, year_start=2025, report=None))
    printed, web = pdf.render_html(doc), edition.render_edition(doc)
    context = next(c for c in doc.chapters if c.key == "context")
    for html in (printed, web):
        assert "<caption>Variation and assurance at 2025/26-Q4</caption>" in html
        for row in context.data["rows"]:
            spc = row["spc"]
            assert f'<td class="num">{spc["mean"]}</td><td class="num">{spc["lower"]}</td>' in html
            assert spc["variation_words"] in html
            if spc["assurance"]:
                assert spc["assurance_words"] in html
        # Each icon is an image with alternative text, followed by its words: never colour alone.
        icons = re.findall(r'<img class="spc-icon" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"[^>]*> ([^<]+)<',
                           html)
        assert len(icons) >= len(context.data["rows"])
        assert {alt for alt, _ in icons} <= {"Variation icon:", "Assurance icon:"}
        assert all(words.strip() for _, words in icons)
        assert html.count('<div class="small-multiple">') == len(context.data["rows"])
