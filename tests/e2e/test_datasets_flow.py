"""The issue's "Done when", in a real browser: a designated nurse fills and submits a provider's
return with one red value and its narrative (after a spreadsheet round trip); a PCI member
queries it; the nurse answers and resubmits; the PCI member accepts it and it locks; the
history shows every step. axe checks every page on the way."""

from __future__ import annotations

import io

import openpyxl
import pytest

from datasets.models import Return
from safeguarding.workflow import ReturnStatus
from tests.datasets.conftest import make_catalogue

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/sign-in/")


def _field(page, indicator, column):
    return page.locator(f"#id_i{indicator.pk}-{column}")


def test_return_from_draft_to_accepted(page, world, assert_accessible, tmp_path):
    cat = make_catalogue(world)
    nurse, pci = world.designated, world.pci

    # The designated nurse starts the acute trust's return from her list.
    sign_in(page, nurse)
    assert_accessible(page, "designated home")
    page.goto("/datasets/returns/")
    assert_accessible(page, "returns list")
    page.get_by_role("button", name=f"Start the return for {world.agency_a.name} 2024/25-Q4").click()
    assert page.locator("h1").inner_text() == f"Return for {world.agency_a.name}"
    assert_accessible(page, "return form")

    # Figures with a mistake first: a percentage sign in a count.
    _field(page, cat.training, "numerator").fill("700")
    _field(page, cat.training, "denominator").fill("1,000")
    _field(page, cat.referrals, "value").fill("85%")
    page.get_by_role("button", name="Save draft").click()
    assert "not a percentage" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page, "return form with errors")
    _field(page, cat.referrals, "value").fill("1,234")
    page.get_by_role("button", name="Save draft").click()
    assert "Your draft has been saved" in page.locator(".govuk-notification-banner").inner_text()

    # The spreadsheet round trip: download, change a figure, upload.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this return as a spreadsheet").click()
    path = tmp_path / "return.xlsx"
    download_info.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Return"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "H-REF":
            assert str(row[4].value) == "1234"
            row[4].value = 1240
    out = io.BytesIO()
    workbook.save(out)
    path.write_bytes(out.getvalue())
    page.get_by_role("link", name="upload a completed spreadsheet").click()
    assert_accessible(page, "upload page")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    assert "1,234" in page.locator("table", has_text="What the file changes").inner_text()
    assert_accessible(page, "upload preview")
    page.get_by_role("button", name="Save these changes").click()
    assert "Saved: 1 figure changed" in page.locator(".govuk-notification-banner").inner_text()
    assert _field(page, cat.referrals, "value").input_value() == "1240"

    # Check your answers: the red figure needs a narrative.
    page.get_by_role("button", name="Save and check your answers").click()
    summary = page.locator(".govuk-error-summary")
    assert "red against its target" in summary.inner_text()
    assert_accessible(page, "check your answers with problems")
    summary.get_by_role("link").first.click()
    narrative = _field(page, cat.training, "narrative")
    narrative.fill("Two wards were short of trainers; a recovery plan was agreed in March.")
    page.get_by_role("button", name="Save and check your answers").click()
    assert page.locator("h1").inner_text() == "Check your answers before submitting"
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Submit the return").click()
    assert "has been submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "return page, submitted")
    _sign_out(page)

    # The PCI member queries it.
    ret = Return.objects.get(agency=world.agency_a, quarter=cat.quarter)
    sign_in(page, pci)
    assert_accessible(page, "PCI home")
    page.get_by_role("link", name=f"{world.agency_a.name}, 2024/25-Q4").click()
    page.get_by_role("link", name="Query the return").click()
    assert_accessible(page, "query page")
    page.get_by_label("Your question for the agency").fill("What is the recovery date for level 3 training?")
    page.get_by_role("button", name="Send the query").click()
    assert "queried" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    # The nurse answers and resubmits.
    sign_in(page, nurse)
    page.goto(f"/datasets/returns/{ret.pk}/")
    assert "What is the recovery date" in page.locator(".govuk-inset-text").inner_text()
    page.get_by_role("link", name="Check and resubmit").click()
    page.get_by_label("Your answer to the query").fill("Back above 90% by the end of June.")
    assert_accessible(page, "resubmit page")
    page.get_by_role("button", name="Resubmit the return").click()
    assert "has been resubmitted" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    # The PCI member accepts it, and it locks.
    sign_in(page, pci)
    page.goto(f"/datasets/returns/{ret.pk}/")
    page.get_by_role("link", name="Accept the return").click()
    assert "are locked: nobody can change them" in page.locator("main").inner_text()  # confirmation first
    assert ret.__class__.objects.get(pk=ret.pk).status != ReturnStatus.ACCEPTED
    assert_accessible(page, "accept confirmation")
    page.get_by_role("button", name="Accept and lock the return").click()
    assert "accepted and is now locked" in page.locator(".govuk-notification-banner").inner_text()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    _sign_out(page)

    sign_in(page, nurse)
    page.goto(f"/datasets/returns/{ret.pk}/")
    assert page.get_by_role("link", name="Enter the figures").count() == 0
    page.goto(f"/datasets/returns/{ret.pk}/edit/")
    assert "cannot be changed" in page.locator(".govuk-notification-banner").inner_text()

    # The history shows every step and every change.
    page.goto(f"/datasets/returns/{ret.pk}/history/")
    history = page.locator("main").inner_text()
    for text in ("Draft to submitted", "Submitted to queried", "Queried to resubmitted", "Resubmitted to accepted",
                 "What is the recovery date", "Back above 90%", "1,234", "1,240"):
        assert text in history, text
    assert_accessible(page, "history page")
    page.goto(f"/datasets/quarters/{cat.quarter.pk}/completeness/")
    assert_accessible(page, "completeness (designated)")
    page.goto("/datasets/indicators/")
    assert_accessible(page, "indicators")
    page.goto(f"/datasets/indicators/{cat.training.pk}/")
    assert_accessible(page, "indicator detail")


def test_manager_pages_are_accessible(page, world, assert_accessible):
    cat = make_catalogue(world)
    sign_in(page, world.manager)
    for path in ["/", "/datasets/quarters/", "/datasets/quarters/new/",
                 f"/datasets/quarters/{cat.quarter.pk}/completeness/", f"/datasets/quarters/{cat.quarter.pk}/upload/",
                 f"/datasets/quarters/{cat.quarter.pk}/dates/",
                 "/datasets/indicators/new/",
                 f"/datasets/indicators/{cat.cpp.pk}/edit/", f"/datasets/indicators/{cat.cpp.pk}/targets/new/",
                 f"/datasets/indicators/{cat.cpp.pk}/comparators/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page, path)
