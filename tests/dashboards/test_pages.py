"""The dashboards' pages: what each person sees, RAG as words, narratives without JavaScript,
exports, and query counts that do not grow with agencies, indicators or quarters."""

from __future__ import annotations

import io
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from datasets.models import ReturnValue
from tests.factories import AgencyFactory

from .factories import TYPES, make_dataset

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


def more_agencies(world, n: int):
    return [AgencyFactory(partnership=world.partnership, name=f"Agency {k:02d}", slug=f"agency-{k:02d}",
                          agency_type=TYPES[k % len(TYPES)]) for k in range(n)]


@pytest.fixture
def data(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    dataset = make_dataset(world.partnership, agencies, indicators=3, quarters=8)
    # One clearly red figure with a narrative, in the last quarter, for agency B.
    value = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=dataset.last,
                                    indicator=dataset.indicators[0])
    value.value, value.numerator, value.denominator = Decimal("50.0000"), Decimal(50), Decimal(100)
    value.narrative = "Two trainers left; courses cancelled in January."
    value.save()
    return dataset


def test_overview_shows_the_matrix_with_rag_words_and_narratives(as_user, world, data):
    response = as_user(world.pci).get(reverse("dashboards:overview"))
    html = text(response)
    assert response.status_code == 200
    assert data.last.label in html  # the default is the last quarter with accepted figures
    assert world.agency_b.name in html and world.agency_a.name in html
    assert ">Red<" in html  # RAG as a word, not only a colour
    assert "<details" in html and "Two trainers left" in html
    assert "Reporting rate" in html and "On-time rate" in html
    assert "Partnership median" in html


def test_overview_filters_by_agency_type_and_quarter(as_user, world, data):
    client = as_user(world.pci)
    html = text(client.get(reverse("dashboards:overview"), {"agency_type": "la_csc"}))
    assert world.agency_b.name in html and world.agency_a.name not in html
    html = text(client.get(reverse("dashboards:overview"), {"quarter": data.quarters[2].label}))
    assert f"Partnership overview, {data.quarters[2].label}" in html
    assert "Two trainers left" not in html


def test_submitter_sees_only_their_agency_beside_the_median(as_user, world, data):
    html = text(as_user(world.submitter_a).get(reverse("dashboards:overview")))
    assert world.agency_a.name in html
    assert world.agency_b.name not in html and "Two trainers left" not in html
    assert "Partnership median" in html
    html = text(as_user(world.submitter_a).get(
        reverse("dashboards:indicator", args=[data.indicators[0].code])))
    assert world.agency_b.name not in html and "Two trainers left" not in html
    html = text(as_user(world.submitter_a).get(reverse("dashboards:exceptions")))
    assert world.agency_b.name not in html


def test_agency_page_compares_with_previous_quarter_target_and_median(as_user, world, data):
    response = as_user(world.submitter_b).get(reverse("dashboards:agency", args=[world.agency_b.slug]))
    html = text(response)
    assert response.status_code == 200
    assert data.quarters[-2].label in html and "Partnership median" in html
    assert "50.0%" in html and ">Red<" in html
    assert "Accepted" in html  # its returns and their status
    assert as_user(world.submitter_b).get(reverse("dashboards:agency", args=[world.agency_a.slug])).status_code == 404


def test_median_is_hidden_when_fewer_than_three_agencies_report(as_user, world):
    data = make_dataset(world.partnership, [world.agency_a, world.agency_b], indicators=1, quarters=2)
    html = text(as_user(world.submitter_a).get(reverse("dashboards:overview")))
    assert "Withheld" in html and "fewer than three agencies report it" in html
    html = text(as_user(world.submitter_a).get(
        reverse("dashboards:indicator", args=[data.indicators[0].code])))
    assert world.agency_b.name not in html


def test_indicator_page_has_chart_table_targets_comparators_and_narratives(as_user, world, data):
    code = data.indicators[0].code
    html = text(as_user(world.pci).get(reverse("dashboards:indicator", args=[code]),
                                       {"focus": world.agency_b.slug}))
    assert "<svg" in html and 'role="img"' in html
    assert "(the chart as a table)" in html
    assert "Target in force" in html and "80.0%" in html and "90.0%" in html  # the target as it was each year
    assert "England" in html and "Statistical neighbours" in html
    assert "Narratives, quarter by quarter" in html and "Two trainers left" in html
    for quarter in data.quarters:
        assert quarter.label in html


def test_exceptions_list_red_and_moves_sorted_with_challenge_link(as_user, world, data):
    client = as_user(world.pci)
    html = text(client.get(reverse("dashboards:exceptions")))
    assert "Two trainers left" in html and "Red against its target" in html
    by_agency = text(client.get(reverse("dashboards:exceptions"), {"sort": "agency"}))
    assert "<strong>Agency</strong>" in by_agency
    try:
        reverse("reviews:challenge_create")
    except Exception:
        assert "Raise a challenge" not in html
    else:
        assert "Raise a challenge" in html and "indicator=" + data.indicators[0].code in html


def test_exports_are_formula_safe_csv_and_xlsx(as_user, world, data):
    value = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=data.last,
                                    indicator=data.indicators[0])
    value.narrative = "=HYPERLINK(\"http://evil\")"
    value.save()
    client = as_user(world.pci)
    csv = client.get(reverse("dashboards:overview_export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and world.agency_b.name in csv
    response = client.get(reverse("dashboards:overview_export", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells and 50 in cells
    for name, args in [("dashboards:indicator_export", [data.indicators[0].code]),
                       ("dashboards:agency_export", [world.agency_b.slug]),
                       ("dashboards:exceptions_export", [])]:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse(name, args=[*args, fmt]))
            assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client.get(reverse("dashboards:overview_export", args=["pdf"])).status_code == 404


def test_home_panel_counts_exceptions_for_pci(as_user, world, data):
    html = text(as_user(world.pci).get(reverse("home")))
    assert "Exceptions this quarter" in html
    assert "Exceptions this quarter" not in text(as_user(world.submitter_a).get(reverse("home")))


def test_pages_without_quarters(as_user, world):
    assert "no reporting quarters" in text(as_user(world.pci).get(reverse("dashboards:overview")))


def test_designated_professional_sees_the_health_agencies(as_user, world, data):
    html = text(as_user(world.designated).get(reverse("dashboards:overview")))
    assert world.agency_a.name in html and world.agency_b.name not in html
    assert as_user(world.designated).get(reverse("dashboards:agency", args=[world.agency_b.slug])).status_code == 404


def test_overview_opens_on_a_domain_the_person_reports(as_user, world, data):
    from datasets.models import Indicator

    Indicator.objects.create(partnership=world.partnership, code="CP-ONLY-LA", name="Only the council",
                             domain="child_protection", unit="count", polarity="neutral",
                             agency_types=[world.agency_b.agency_type])
    # Child protection comes first in the catalogue, but agency A reports nothing in it.
    assert "Child protection" in text(as_user(world.submitter_b).get(reverse("dashboards:overview")))
    html = text(as_user(world.submitter_a).get(reverse("dashboards:overview")))
    assert "Training and supervision" in html and "CP-ONLY-LA" not in html


def test_overview_matrix_pages_agencies_at_fifty_and_counts_them_all(as_user, world):
    """The matrix is a list of agencies (issue 16.6): 62 agencies show 50 on the first page and
    12 on the second, in name order, the quarter and domain kept by the page links; the RAG counts
    and the partnership row are the same on both pages, and the export holds every agency."""
    import re

    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 60)]
    data = make_dataset(world.partnership, agencies, indicators=2, quarters=4)
    client = as_user(world.pci)
    url = reverse("dashboards:overview")
    query = {"quarter": data.last.label, "domain": "training"}
    first, second = (text(client.get(url, {**query, "page": n})) for n in (1, 2))
    names = sorted(a.name for a in agencies)
    rows = lambda html: re.findall(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" '  # noqa: E731
                                   r'href="/dashboards/agencies/[^"]*">([^<]+)</a>', html)
    shown_first, shown_second = set(rows(first)), set(rows(second))
    assert shown_first == set(names[:50]) and shown_second == set(names[50:])
    assert "Agencies 1 to 50 of 62, in name order" in first and "Agencies 51 to 62 of 62" in second
    assert f'href="?quarter={data.last.label.replace("/", "%2F")}&domain=training&page=2" rel="next"' in first
    counts = lambda html: re.search(r'RAG in this view</h2>.*?</ul>', html, re.S).group(0)  # noqa: E731
    assert counts(first) == counts(second)
    whole = lambda html: re.findall(r'dash-matrix__whole.*?</tr>', html, re.S)  # noqa: E731
    assert whole(first) == whole(second)
    # A page number out of range is the nearest page, never an error.
    assert set(rows(text(client.get(url, {**query, "page": 9})))) == shown_second
    export = openpyxl.load_workbook(io.BytesIO(client.get(
        reverse("dashboards:overview_export", args=["xlsx"]), {**query, "page": 2}).content))
    exported = {row[1].value for row in export.active.iter_rows()}
    assert set(names) <= exported


def test_indicator_page_pages_its_agencies_at_fifty(as_user, world):
    """The indicator page's table of agencies is a list that can pass 50 rows (issue 16.6): 62
    agencies show 50 and then 12, each row with its SPC icons; the partnership row is the same on
    both pages, and the export holds every agency."""
    import re

    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 60)]
    data = make_dataset(world.partnership, agencies, indicators=1, quarters=4)
    client = as_user(world.pci)
    url = reverse("dashboards:indicator", args=[data.indicators[0].code])
    first, second = (text(client.get(url, {"quarter": data.last.label, "page": n})) for n in (1, 2))
    rows = lambda html: re.findall(r'<th scope="row" class="govuk-table__header"><a class="govuk-link" '  # noqa: E731
                                   r'href="/dashboards/agencies/[^"]*">([^<]+)</a>', html)
    names = sorted(a.name for a in agencies)
    assert rows(first) == names[:50] and rows(second) == names[50:]
    assert "Agencies 1 to 50 of 62, in name order" in first and "Agencies 51 to 62 of 62" in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    whole = lambda html: re.search(r'<tfoot.*?</tfoot>', html, re.S).group(0)  # noqa: E731
    assert whole(first) == whole(second)
    export = client.get(reverse("dashboards:indicator_export", args=[data.indicators[0].code, "csv"]),
                        {"quarter": data.last.label, "page": 2})
    exported = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert all(name in exported for name in names)
