"""Issue 13 over the whole demo, one slow module (it seeds the demo once):

- every page and export a manager opens, and the annual report's PDF, show no figure with more
  decimals than its indicator allows (13.6: never "78.3871", "0.2136513254298045" or "85.29%");
- reconciliation (13.9): every figure of the PDF's key-indicator and trend tables is what the
  dashboard's indicator page shows for the same indicator and quarter, and so are each key
  indicator's SPC mean, process limits and icons as at the year's end (16.2);
- the demo holds a figure "not available" with its reason, a published rate without counts, a
  comparator from an earlier year and a partial breakdown, and pages and report show each.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser

import openpyxl
import pdfplumber
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOO_MANY = [
    (re.compile(r"\d\.\d{2,}\s?%"), "a percentage with more than 1 decimal"),
    (re.compile(r"\d\.\d{2,} per 10,000"), "a rate with more than 1 decimal"),
    (re.compile(r"£[\d,]+\.\d"), "money with pence"),
    (re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])"), "a raw stored decimal"),
]


@pytest.fixture(scope="module")
def seeded(demo_seeded):
    """The whole demo, for this module (tests/conftest.py)."""
    return demo_seeded


class Tables(HTMLParser):
    """Every <table>: its caption and rows of cell texts (a <sup> footnote mark left out)."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell = None
        self._sup = 0
        self._caption = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption" and self.tables:
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]["rows"]:
            self._cell = []
        elif tag == "sup":
            self._sup += 1

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "sup":
            self._sup -= 1

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None and not self._sup:
            self._cell.append(data)


def tables(html: str) -> list[dict]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def too_many_decimals(text: str) -> list[str]:
    found = []
    for pattern, what in TOO_MANY:
        found += [f"{what}: …{text[max(0, m.start() - 40):m.end() + 10]}…" for m in pattern.finditer(text)]
    return found


@pytest.fixture(scope="module")
def demo(seeded, django_db_blocker):
    from partners.demo import demo_calendar
    from partners.models import Partnership, User
    from tests.demo_snapshot import demo_report

    with django_db_blocker.unblock():
        partnership = Partnership.objects.filter(indicators__isnull=False).distinct().get()
        year = demo_calendar().report_year
        result = demo_report()  # the demo's report for that year, rendered once for the run
        with pdfplumber.open(io.BytesIO(result.pdf)) as document:
            text = "\n".join(page.extract_text() or "" for page in document.pages)
            pages = len(document.pages)
        manager = User.objects.filter(partnership=partnership, role="manager").first()
        return {"partnership": partnership, "html": result.html, "text": text, "manager": manager, "year": year,
                "pages": pages}


def test_the_pdf_shows_no_figure_with_too_many_decimals(demo):
    print("PDF pages:", demo["pages"])
    assert too_many_decimals(demo["text"]) == []
    assert too_many_decimals(visible_text(demo["html"])) == []


def _dashboard_whole(client, code: str, end: str) -> dict[str, str]:
    """{quarter label: the partnership's figure as the indicator page shows it}."""
    html = client.get(reverse("dashboards:indicator", args=[code]) + f"?quarter={end}&span=12").content.decode()
    table = next(t for t in tables(html) if t["caption"].endswith("by agency, with the RAG against the target in "
                                                                   "force that quarter"))
    header = table["rows"][0]
    whole = next(r for r in table["rows"] if r and r[0].startswith("Partnership"))
    return dict(zip(header[2:], whole[2:], strict=True))


def test_pdf_key_indicator_and_trend_tables_match_the_dashboard(demo, client):
    client.force_login(demo["manager"])
    pdf_tables = tables(demo["html"])
    key = next(t for t in pdf_tables if t["caption"].startswith("Key indicators at"))
    end = key["caption"].removeprefix("Key indicators at ").strip()
    flat = re.sub(r"\s", "", demo["text"])
    header = key["rows"][0]
    years = header[1:4]
    compared = 0
    for row in key["rows"][1:]:
        code = re.search(r"\(([A-Z0-9.-]+)\)$", row[0]).group(1)
        labels = [f"{y}-{end.rsplit('-', 1)[1]}" for y in years]
        whole = _dashboard_whole(client, code, end)
        for label, cell in zip(labels, row[1:4], strict=True):
            if label in whole:
                assert cell == whole[label], (code, label, cell, whole[label])
                compared += 1
            number = re.match(r"[£\d.,%–-]+|n/a|Withheld", cell).group(0)
            assert number in flat, (code, cell)  # the PDF prints the figure its HTML holds
        # The trend table beside it: the partnership column, quarter by quarter.
        trend = next((t for t in pdf_tables if t["caption"].startswith(f"Figures for: {row[0].split(' (')[0]}: ")
                      and t["rows"] and t["rows"][0][:2] == ["Period", "Partnership"]), None)
        assert trend is not None, f"no trend table for {code}"
        for line in trend["rows"][1:]:
            shown = whole.get(line[0])
            if shown is None:
                continue
            expected = "–" if shown in ("Withheld", "n/a") else shown
            assert line[1] == expected, (code, line[0], line[1], shown)
            compared += 1
    assert compared > 40, compared


def _dashboard_spc(client, code: str, end: str) -> dict[str, str]:
    """The indicator page's SPC section at quarter ``end``: its figures by label ("Mean", "Lower
    process limit", "Upper process limit", "Points"), the variation and assurance words, or
    ``refused`` when it draws no limits."""
    html = client.get(reverse("dashboards:indicator", args=[code]) + f"?quarter={end}&span=12").content.decode()
    section = html[html.index('<section class="dash-spc"'):]
    section = section[:section.index("</section>")]
    if "No process limits are drawn" in section:
        return {"refused": "yes"}
    found = dict(re.findall(r'<dt class="govuk-summary-list__key">([^<]+)</dt>'
                            r'<dd class="govuk-summary-list__value">([^<]+)</dd>', section))
    words = re.findall(r"<li>.*?<span>([^<]+)</span></li>", section, flags=re.S)
    found["variation"] = words[0]
    found["assurance"] = words[1] if len(words) > 1 else ""
    return found


def test_the_reports_spc_figures_and_icons_match_the_dashboard(demo, client):
    """Issue 16.2 in the annual report: each key indicator's mean, process limits, points and icons
    as at the year's end are what the indicator page shows for that quarter."""
    client.force_login(demo["manager"])
    pdf_tables = tables(demo["html"])
    spc = next(t for t in pdf_tables if t["caption"].startswith("Variation and assurance at "))
    end = spc["caption"].removeprefix("Variation and assurance at ").strip()
    assert spc["rows"][0] == ["Indicator", "Quarters", "Mean", "Lower process limit", "Upper process limit",
                              "Variation", "Assurance"]
    flat = re.sub(r"\s", "", demo["text"])
    judged = 0
    for row in spc["rows"][1:]:
        code = re.search(r"\(([A-Z0-9.-]+)\)$", row[0]).group(1)
        dashboard = _dashboard_spc(client, code, end)
        if "refused" in dashboard:
            assert row[2:5] == ["–", "–", "–"] and row[5].startswith("Fewer than 12 points"), (code, row)
            continue
        assert row[1] == dashboard["Points"], (code, row[1], dashboard)
        assert row[2:5] == [dashboard["Mean"], dashboard["Lower process limit"], dashboard["Upper process limit"]], \
            (code, row, dashboard)
        assert row[5] == dashboard["variation"], (code, row[5], dashboard["variation"])
        if dashboard["assurance"]:
            assert row[6] == dashboard["assurance"], (code, row[6], dashboard["assurance"])
        else:  # the page has no assurance icon: the report says why
            assert row[6] in ("No target", "No better direction"), (code, row[6])
        for cell in row[2:5]:  # the PDF prints the figures its HTML holds (a wrapped unit splits the cell)
            assert re.match(r"[£\d.,%–-]+", cell).group(0) in flat, (code, cell)
        judged += 1
    assert len(spc["rows"]) - 1 >= 6 and judged >= 6, judged


def _urls(demo) -> list[str]:
    from datasets.models import Indicator, Quarter, Return
    from partners.models import Agency

    p = demo["partnership"]
    urls = []
    for pattern_name in ("dashboards:overview", "dashboards:exceptions", "datasets:indicator_list",
                         "datasets:quarter_list", "datasets:return_list", "training:index", "training:compliance",
                         "training:programme"):
        urls.append(reverse(pattern_name))
    for fmt in ("csv", "xlsx"):
        urls += [reverse("dashboards:overview_export", args=[fmt]), reverse("dashboards:exceptions_export", args=[fmt])]
    for indicator in Indicator.objects.filter(partnership=p):
        urls += [reverse("dashboards:indicator", args=[indicator.code]) + "?span=12",
                 reverse("dashboards:indicator_export", args=[indicator.code, "csv"]),
                 reverse("datasets:indicator_detail", args=[indicator.pk])]
    for domain in Indicator.objects.filter(partnership=p).values_list("domain", flat=True).distinct():
        urls.append(reverse("dashboards:overview") + f"?domain={domain}")
    for agency in Agency.objects.filter(partnership=p, active_to__isnull=True):
        urls += [reverse("dashboards:agency", args=[agency.slug]),
                 reverse("dashboards:agency_export", args=[agency.slug, "xlsx"])]
    for quarter in Quarter.objects.filter(partnership=p).order_by("-year_start", "-number")[:6]:
        urls.append(reverse("datasets:completeness", args=[quarter.pk]))
    for ret in Return.objects.filter(agency__partnership=p).order_by("-quarter__year_start", "-quarter__number")[:40]:
        urls += [reverse("datasets:return_detail", args=[ret.pk]), reverse("datasets:return_history", args=[ret.pk])]
    return urls


def test_every_page_and_export_shows_figures_as_the_indicator_allows(demo, client):
    client.force_login(demo["manager"])
    problems = []
    for url in _urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        kind = response.get("Content-Type", "")
        if "spreadsheetml" in kind:
            book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    for cell in row:
                        if isinstance(cell, float) and round(cell, 1) != cell:
                            problems.append(f"{url}: {cell}")
        elif "csv" in kind:
            for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))):
                problems += [f"{url}: {c}" for c in row if re.fullmatch(r"-?\d+\.\d{2,}", c)]
        else:
            problems += [f"{url}: {p}" for p in too_many_decimals(visible_text(response.content.decode()))]
    assert problems == []


def test_the_demo_shows_figures_as_they_are_published(demo, client):
    from datasets.models import Comparator, ReturnValue

    client.force_login(demo["manager"])
    na = ReturnValue.objects.get(indicator__code="LA-CLA-DENTAL", na_reason="not_collected")
    assert na.value is None
    page = visible_text(client.get(reverse("dashboards:agency", args=[na.ret.agency.slug])
                                   + f"?quarter={na.ret.quarter.label}").content.decode())
    assert "n/a (Not collected: the dental provider's data feed was suspended this quarter)" in page
    published = ReturnValue.objects.filter(indicator__code="LA-CPP-RATE", numerator__isnull=True,
                                           value__isnull=False)
    assert published.count() == 4 and all(v.is_published and v.source for v in published)
    partial = ReturnValue.objects.filter(indicator__code="LA-CPP", part__isnull=True, ret__historical=False,
                                         value_computed=True, na_reason="not_known")
    assert partial.count() == 1
    assert ReturnValue.objects.filter(indicator__code="LA-CPP", part__isnull=False, na_reason="not_known").count() == 6
    assert Comparator.objects.filter(part__isnull=False).exists()
    assert Comparator.objects.filter(na_reason="no_longer_reported").exists()
    # The report's key table labels every comparator with its year, and footnotes the reasons.
    key = next(t for t in tables(demo["html"]) if t["caption"].startswith("Key indicators at"))
    england = [r[-2] for r in key["rows"][1:] if r[-2] != "–"]
    assert england and all(re.match(r"\d{4}/\d{2}: ", cell) for cell in england)
