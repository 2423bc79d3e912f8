"""The dashboards' "done when", in a real browser: a PCI member opens the overview for the last
quarter, finds a red cell, reads its narrative, opens the indicator's trend with its target and
comparators, exports the matrix to XLSX and opens the agency's page; an agency submitter sees
only their own agency beside the median. Axe checks every page."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from datasets.models import ReturnValue
from reports.dashboards.navigation import register
from tests.dashboards.factories import TYPES, make_dataset
from tests.factories import AgencyFactory

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = "Two trainers left; courses cancelled in January."


@pytest.fixture
def dataset(world):
    register()
    others = [AgencyFactory(partnership=world.partnership, name=f"Agency {k:02d}", slug=f"agency-{k:02d}",
                            agency_type=TYPES[k % len(TYPES)]) for k in range(4)]
    data = make_dataset(world.partnership, [world.agency_a, world.agency_b, *others], indicators=4, quarters=8)
    value = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=data.last,
                                    indicator=data.indicators[0])
    value.value, value.numerator, value.denominator = Decimal("50.0000"), Decimal(50), Decimal(100)
    value.narrative = NARRATIVE
    value.save()
    return data


def test_pci_member_reads_the_dashboards(page, world, dataset, assert_accessible):
    sign_in(page, world.pci)
    page.goto("/")
    assert "Exceptions this quarter" in page.locator("main").inner_text()
    assert_accessible(page, "home with the exceptions panel")
    page.get_by_role("link", name="Dashboards").first.click()
    assert page.locator("h1").inner_text() == f"Partnership overview, {dataset.last.label}"
    assert_accessible(page, "overview")

    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=world.agency_b.name))
    red = row.locator("td").filter(has_text="Red").first
    assert "50.0%" in red.inner_text()
    red.locator("summary").click()
    assert red.get_by_text(NARRATIVE).is_visible()
    assert_accessible(page, "overview with a narrative open")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    with open(download_info.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert any(c.value == NARRATIVE for r in book.active.iter_rows() for c in r)

    code = dataset.indicators[0].code
    page.get_by_role("link", name=code, exact=True).first.click()
    assert page.locator("svg.sg-chart[role=img]").count() == 2  # the trend and the SPC chart
    body = page.locator("main").inner_text()
    assert "Target in force" in body and "England" in body and "Statistical neighbours" in body
    assert NARRATIVE in body
    assert_accessible(page, "indicator trend")

    page.get_by_role("link", name=world.agency_b.name).first.click()
    assert page.locator("h1").inner_text().startswith(world.agency_b.name)
    assert "Partnership median" in page.locator("main").inner_text()
    assert_accessible(page, "agency page")

    page.goto("/dashboards/exceptions/")
    assert NARRATIVE in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Raise a challenge").count() >= 1
    assert_accessible(page, "exceptions")


@pytest.fixture
def long_dataset(world):
    register()
    others = [AgencyFactory(partnership=world.partnership, name=f"Agency {k:02d}", slug=f"agency-{k:02d}",
                            agency_type=TYPES[k % len(TYPES)]) for k in range(3)]
    data = make_dataset(world.partnership, [world.agency_a, world.agency_b, *others], indicators=6, quarters=16)
    value = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=data.last,
                                    indicator=data.indicators[0])
    value.value, value.numerator, value.denominator = Decimal("5.0000"), Decimal(5), Decimal(100)
    value.narrative = NARRATIVE
    value.save()
    return data


def test_a_pci_meeting(page, world, long_dataset, assert_accessible):
    """Issue 16's journey: open the matrix, drill down to an indicator, read its SPC chart and
    icons, raise a challenge from the exceptions; the agency answers it."""
    sign_in(page, world.pci)
    page.goto("/dashboards/")
    assert page.locator("main svg.sg-spc-icon").count() > 0  # variation icons in the matrix
    # One domain of six indicators fits 1280 px: no table frame scrolls sideways (issue 16.1).
    assert page.evaluate("() => [...document.querySelectorAll('.dash-matrix-wrapper')]"
                         ".every(f => f.scrollWidth <= f.clientWidth)")
    # The agency column and the header row stay in view while the frame scrolls.
    assert page.evaluate("() => getComputedStyle(document.querySelector('.dash-matrix tbody th')).position") == "sticky"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.dash-matrix thead th')).position") == "sticky"
    code = long_dataset.indicators[0].code
    page.get_by_role("link", name=code, exact=True).first.click()
    page.get_by_label("Agency to draw on the charts").select_option(world.agency_b.slug)
    page.get_by_role("button", name="Show").click()
    spc = page.locator("section.dash-spc")
    assert f"Variation and assurance (SPC): {world.agency_b.name}" in spc.inner_text()
    assert "Special cause: concerning (low)" in spc.inner_text()  # 5% is far below its own limits
    assert "Lower process limit" in spc.inner_text() and "Mean" in spc.inner_text()
    assert_accessible(page, "indicator with its SPC chart")

    page.goto("/dashboards/exceptions/")
    row = page.get_by_role("row").filter(has_text=world.agency_b.name).filter(has_text=code).first
    row.get_by_role("link", name="Raise a challenge").click()
    page.get_by_label("Evidence asked for (optional)").fill("The recovery plan for training.")
    page.get_by_role("button", name="Save").click()
    assert "has been raised" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, world.submitter_b)
    from reviews.models import Challenge

    challenge = Challenge.objects.get(agency=world.agency_b)
    assert challenge.indicator_code == code
    page.get_by_role("link", name="Impact log").first.click()
    page.get_by_role("link", name=challenge.reference).click()
    page.get_by_label("Your answer").fill("Two trainers start in April; the plan is attached.")
    page.get_by_role("button", name="Send the answer").click()
    assert "Your answer has been sent" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "challenge answered by the agency")


def test_submitter_sees_only_their_agency_beside_the_median(page, world, dataset, assert_accessible):
    sign_in(page, world.submitter_a)
    page.goto("/dashboards/")
    main = page.locator("main").inner_text()
    assert world.agency_a.name in main and world.agency_b.name not in main
    assert "Partnership median" in main
    assert_accessible(page, "overview as a submitter")
    page.goto(f"/dashboards/agencies/{world.agency_a.slug}/")
    assert "Partnership median" in page.locator("main").inner_text()
    assert_accessible(page, "own agency page")
    assert page.goto(f"/dashboards/agencies/{world.agency_b.slug}/").status == 404
