"""Issue 6, "Done when", in a real browser with axe on every page: a GP-like agency's submitter
enters staff trained by group and level, sees one below target, writes the narrative and submits;
the PCI member reads compliance by agency and level; the business manager uploads a session's
attendance and evaluations and sees attendance by agency."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.training.helpers import setup_training
from training import services

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_training_done_when(page, world, assert_accessible, tmp_path):
    setup_training(world)  # agency A reports GPs (level 3) and practice nurses (levels 2 and 3)
    course = services.course_create(actor=None, partnership=world.partnership, title="Recognising neglect",
                                    format="classroom", duration_hours=Decimal(6), capacity=20,
                                    no_show_charge=Decimal(50))
    services.session_create(actor=None, course=course, starts_on=dt.date(2025, 2, 10), venue="Civic Centre")

    # 1. The agency's submitter enters the figures, sees the red line, writes the narrative, submits.
    sign_in(page, world.submitter_a)
    assert_accessible(page, "home")
    page.get_by_role("link", name="Training", exact=True).click()
    assert_accessible(page, "training index")
    page.get_by_role("link", name="Training returns").click()
    assert_accessible(page, "return list")
    page.get_by_role("button", name="Start the return for Testshire Hospitals NHS Trust, 2024/25-Q4").click()
    assert page.locator("h1").inner_text() == "Figures for Testshire Hospitals NHS Trust"
    assert_accessible(page, "figures form")
    page.get_by_label("Eligible staff for GPs, Level 3").fill("141")
    page.get_by_label("Trained staff for GPs, Level 3").fill("142")
    page.get_by_label("Eligible staff for Practice nurses, Level 2").fill("105")
    page.get_by_label("Trained staff for Practice nurses, Level 2").fill("99")
    page.get_by_label("Eligible staff for Practice nurses, Level 3").fill("118")
    page.get_by_label("Trained staff for Practice nurses, Level 3").fill("88")
    page.get_by_role("button", name="Save the figures").click()
    assert "cannot be more than eligible" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page, "figures form with an error")
    page.get_by_label("Trained staff for GPs, Level 3").fill("138")
    page.get_by_role("button", name="Save the figures").click()
    assert "The figures have been saved" in page.locator(".govuk-notification-banner").inner_text()
    table = page.locator("table", has_text="Staff trained by staff group and level")
    assert "97.9%" in table.inner_text() and "74.6%" in table.inner_text()
    assert "Red" in table.locator("tr", has_text="Practice nurses, Level 3").inner_text()
    assert "below the 90.0% target" in page.locator(".govuk-inset-text").inner_text()  # the one formatter
    assert_accessible(page, "return with a red line")
    page.get_by_role("button", name="Submit the return").click()
    assert "explain why in the narrative" in page.locator(".govuk-notification-banner").first.inner_text()
    page.get_by_role("link", name="Enter or change the figures").click()
    page.get_by_label("Narrative (needed: below target) for Practice nurses, Level 3").fill(
        "Twelve new starters since January; all are booked on level 3 training in May.")
    page.get_by_role("button", name="Save the figures").click()
    page.get_by_role("button", name="Submit the return").click()
    assert "The return has been submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "submitted return")
    page.get_by_role("button", name="Sign out").click()

    # 2. The training subgroup (PCI) reads compliance by agency and level.
    sign_in(page, world.pci)
    assert "Training returns awaiting review" in page.content()
    page.goto("/training/compliance/?year=2024/25")
    table = page.locator("table", has_text="Compliance by agency and level")
    row = table.locator("tr", has_text="Testshire Hospitals NHS Trust")
    assert "87.3% (226/259)" in row.inner_text()  # level 3: GPs 138/141 + nurses 88/118
    assert "94.3% (99/105)" in row.inner_text()
    assert_accessible(page, "compliance")
    details = page.locator("details", has_text="Testshire Hospitals NHS Trust")
    details.locator("summary").click()  # the agency's lines by staff group
    assert "97.9% (138/141)" in details.locator("tr", has_text="GPs, Level 3").inner_text()
    assert_accessible(page, "compliance with a staff-group breakdown open")
    page.get_by_role("button", name="Sign out").click()

    # 3. The business manager uploads a session's attendance and evaluations.
    sign_in(page, world.manager)
    page.goto("/training/programme/?year=2024/25")
    assert_accessible(page, "programme, empty")
    page.get_by_role("link", name="Upload attendance and evaluations").click()
    assert_accessible(page, "attendance upload")
    bad = tmp_path / "bad.csv"
    bad.write_text("course,session date,agency,attendee,status,rating\n"
                   "Recognising neglect,10/02/2025,Testshire Hospitals NHS Trust,Ann,attended,brilliant\n"
                   "Recognising neglect,10/02/2025,Nowhere Trust,Bob,attended,good\n")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    refused = page.locator("table", has_text="Rows refused").inner_text()
    assert "not on the rating scale" in refused and "no agency called ‘Nowhere Trust’" in refused
    assert_accessible(page, "upload with refused rows")
    good = tmp_path / "good.csv"
    good.write_text("course,session date,agency,attendee,status,attended,no shows,late cancellations,rating,impact\n"
                    "Recognising neglect,10/02/2025,Testshire Hospitals NHS Trust,Ann,attended,,,,excellent,"
                    "significantly better equipped\n"
                    "Recognising neglect,10/02/2025,Testshire Hospitals NHS Trust,Bob,no-show,,,,,\n"
                    "Recognising neglect,10/02/2025,Testshire Council Children's Social Care,,,3,0,1,,\n"
                    "Recognising neglect,10/02/2025,Foster carers,,,4,0,0,,\n")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    changes = page.locator("table", has_text="What the file changes").inner_text()
    assert "2 named bookings (1 attended, 1 no-show)" in changes and "3 attended" in changes
    assert_accessible(page, "attendance upload preview")
    page.get_by_role("button", name="Save these changes").click()
    assert "Saved:" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "programme after upload")
    page.goto("/training/programme/?year=2024/25")
    # By audience: the agencies and a sector that is not a member (issue 12.5).
    attendance = page.locator("table", has_text="Attendance by audience")
    council = attendance.locator("tr", has_text="Testshire Council Children's Social Care").inner_text()
    assert "3" in council and "37.5%" in council
    assert "12.5%" in attendance.locator("tr", has_text="Testshire Hospitals NHS Trust").inner_text()
    carers = attendance.locator("tr", has_text="Foster carers").inner_text()
    assert "sector, not a member" in carers and "50.0%" in carers
    assert_accessible(page, "programme with attendance")


def test_every_training_page_passes_axe(page, world, assert_accessible):
    setup_training(world)
    ret = services.training_return_start(actor=None, agency=world.agency_a, quarter=world.quarters[0])
    course = services.course_create(actor=None, partnership=world.partnership, title="Recognising neglect",
                                    format="classroom", duration_hours=Decimal(6), capacity=20)
    session = services.session_create(actor=None, course=course, starts_on=dt.date(2025, 2, 10), venue="Hall")
    sign_in(page, world.manager)
    paths = ["/training/", "/training/setup/", "/training/setup/levels/new/",
             f"/training/setup/levels/{world.levels[3].pk}/", "/training/setup/staff-groups/new/",
             f"/training/setup/staff-groups/{world.gps.pk}/", "/training/setup/targets/new/",
             f"/training/returns/{ret.pk}/", f"/training/returns/{ret.pk}/upload/",
             "/training/programme/courses/new/", f"/training/programme/courses/{course.pk}/",
             f"/training/programme/courses/{course.pk}/edit/", f"/training/programme/courses/{course.pk}/sessions/new/",
             f"/training/programme/sessions/{session.pk}/", f"/training/programme/sessions/{session.pk}/edit/",
             f"/training/programme/sessions/{session.pk}/evaluation/"]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, path)
    # A form with errors, too.
    page.goto("/training/setup/targets/new/")
    page.get_by_label("Financial year").fill("2024/26")  # not following each other; 2024-25 now reads
    page.get_by_role("button", name="Save").click()
    assert "financial year" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "target form with an error")
    page.goto(f"/training/programme/sessions/{session.pk}/evaluation/")
    page.get_by_label("Excellent").fill("-2")
    page.get_by_role("button", name="Save").click()
    assert "cannot be negative" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "evaluation form with an error")
