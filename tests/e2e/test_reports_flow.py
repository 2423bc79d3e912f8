"""The annual report as a business manager and an agency use it, in a real browser, with axe on every page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from partners.governance import services as governance
from reports import services
from tests.dashboards.factories import fill, make_indicators
from tests.dashboards.test_pages import more_agencies
from tests.factories import SubgroupFactory
from tests.training.helpers import quarter

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2024


@pytest.fixture
def report_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    board = SubgroupFactory(partnership=world.partnership, name="The board", slug="board", is_board=True)
    governance.meeting_create(actor=None, partnership=world.partnership, subgroup=board, held_on=dt.date(2024, 6, 5),
                              attendance={world.agency_a: "present", world.agency_b: "deputy"})
    budget = governance.budget_ensure(actor=None, partnership=world.partnership, year_start=YEAR)
    governance.budget_update(actor=None, budget=budget, version=budget.updated_at.isoformat(),
                             reserves_used=Decimal("2000"),
                             contributions={world.agency_b: (Decimal("48250"), Decimal("0"))})
    governance.priority_create(actor=None, partnership=world.partnership, year_start=YEAR, title="Neglect")
    world.report = services.report_create(actor=None, partnership=world.partnership, year_start=YEAR)
    quarter(world.partnership, 2024, 3)  # a PCI pack is built only for a quarter that exists
    return world


def test_foreword_agency_section_build_and_download(page, report_world, assert_accessible):
    world = report_world
    sign_in(page, world.manager)
    page.goto("/reports/")
    assert_accessible(page, "report list")
    page.get_by_role("link", name="Annual report 2024/25").click()
    assert_accessible(page, "report page")
    page.get_by_role("link", name="Write foreword by the independent chair").click()
    assert_accessible(page, "foreword form")
    page.get_by_label("Foreword by the independent chair").fill("A year of <progress> & learning.\n\nThank you all.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/reports/{YEAR}/")
    assert "has been saved" in page.inner_text("main")
    page.goto("/governance/?year=2024/25")
    assert_accessible(page, "governance")
    page.goto(f"/governance/budget/{YEAR}/")
    assert_accessible(page, "budget form")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, world.submitter_b)
    page.goto(f"/reports/{YEAR}/")
    page.get_by_role("link", name=f"Write the section for {world.agency_b.name}").click()
    assert_accessible(page, "agency section form")
    page.get_by_label("Achievements this year").fill("Every referral answered within a day.")
    page.get_by_label("Challenges and what you are doing about them").fill("Recruiting social workers.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/reports/{YEAR}/")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, world.manager)
    page.goto(f"/reports/{YEAR}/")
    page.get_by_role("button", name="Build PDF").click()
    page.wait_for_url("**/reports/builds/*/")
    assert "The PDF is ready" in page.inner_text("main")
    assert_accessible(page, "build page")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    reader = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "A year of <progress> & learning." in text
    assert "Every referral answered within a day." in text
    assert "£48,250" in text
    page.goto("/reports/pci/")
    assert_accessible(page, "PCI packs")
    page.get_by_label("Quarter").fill("2024/25-Q3")
    page.get_by_role("button", name="Build the PCI pack").click()
    page.wait_for_url("**/reports/builds/*/")
    assert "The PDF is ready" in page.inner_text("main")


def test_the_progress_page_follows_a_build_in_place(page, world, assert_accessible):
    """The live region is refreshed by the page's script as the build moves on, with no reload."""
    from django.utils import timezone

    from reports import services
    from reports.models import BuildStatus, ReportBuild
    from tests.reports.factories import YEAR, annual_report

    annual_report(world)
    build, _ = services.build_request(actor=world.manager, partnership=world.partnership, kind="annual",
                                      year_start=YEAR)
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, stage="gathering",
                                                   heartbeat_at=timezone.now())
    sign_in(page, world.manager)
    page.goto(f"/reports/builds/{build.pk}/")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    assert_accessible(page, "build in progress")
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.FAILED, stage="rendering",
                                                   error="Rendering stopped: the test said so.")
    page.locator("#build-live .govuk-error-summary").wait_for(timeout=10_000)
    assert "Rendering stopped: the test said so." in page.locator("#build-live").inner_text()
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("#build-live").get_attribute("data-active") == "false"


def test_composition_figures_and_the_web_edition_pass_axe(page, report_world, assert_accessible):
    """Issue 15.5, 15.8, 15.10: the new report pages, and the web edition of a real build at 375 px."""
    from reports.models import ReportBuild

    world = report_world
    services.narrative_save(actor=world.manager, report=world.report, key="voice",
                            body="## What changed\n\n- **Conferences** start with the child's words.", version="")
    # Key indicators with 16 quarters to the year's end: the SPC table, its icons and the small charts.
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    quarters = [quarter(world.partnership, 2021 + n // 4, n % 4 + 1) for n in range(16)]
    fill(agencies, quarters, make_indicators(world.partnership, 3, first_year=2021, years=4), seed=5)
    build, _ = services.build_request(actor=world.manager, partnership=world.partnership, kind="annual",
                                      year_start=YEAR)
    services.build_run(build_id=build.pk)
    assert ReportBuild.objects.get(pk=build.pk).status == "done"
    sign_in(page, world.manager)
    page.goto(f"/reports/{YEAR}/chapters/")
    assert_accessible(page, "chapters and key indicators")
    page.goto(f"/reports/{YEAR}/figures/child_death/")
    assert_accessible(page, "chapter figures")
    page.goto(f"/reports/{YEAR}/")
    assert "What Working Together 2023 expects" in page.inner_text("main")
    page.goto(f"/reports/{YEAR}/web/")
    assert page.locator("h1").inner_text() == "Annual report 2024/25"
    assert "Conferences" in page.inner_text("main")
    assert "Variation and assurance at 2024/25-Q4" in page.inner_text("main")
    assert page.locator("img.spc-icon").count() >= 3 and page.locator(".small-multiple").count() == 2
    assert_accessible(page, "web edition")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page, "web edition at 375 px")
