"""The annual report's rules: who writes what, status changes, stale edits, escaping."""

import pytest

from reports import services
from reports.models import ReportStatus
from safeguarding.errors import DomainError, NotAllowed, StaleEdit
from tests.training.helpers import quarter

from .factories import annual_report, finished_build


def test_only_the_manager_starts_and_writes_the_narrative(world):
    with pytest.raises(NotAllowed):
        services.report_create(actor=world.pci, partnership=world.partnership, year_start=2023)
    report = services.report_create(actor=world.manager, partnership=world.partnership, year_start=2023)
    with pytest.raises(NotAllowed):
        services.narrative_save(actor=world.submitter_a, report=report, key="foreword", body="x", version="")
    with pytest.raises(NotAllowed):
        services.narrative_save(actor=world.outsider, report=report, key="foreword", body="x", version="")
    section = services.narrative_save(actor=world.manager, report=report, key="foreword", body=" Hello\r\n\r\nWorld ",
                                      version="")
    assert section.body == "Hello\n\nWorld"
    with pytest.raises(DomainError):
        services.report_create(actor=world.manager, partnership=world.partnership, year_start=2023)


def test_a_submitter_writes_only_their_own_agencys_section(world):
    report = annual_report(world)
    with pytest.raises(NotAllowed):
        services.agency_section_save(actor=world.submitter_a, report=report, agency=world.agency_b,
                                     achievements="x", challenges="", version="")
    with pytest.raises(NotAllowed):
        services.agency_section_save(actor=world.designated, report=report, agency=world.agency_b,
                                     achievements="x", challenges="", version="")
    section = services.agency_section_save(actor=world.submitter_b, report=report, agency=world.agency_b,
                                           achievements="We did well", challenges="Staffing", version="")
    assert section.agency == world.agency_b
    # The designated nurse acts for the health agency A.
    services.agency_section_save(actor=world.designated, report=report, agency=world.agency_a,
                                 achievements="Health", challenges="", version="")


def test_a_stale_edit_never_overwrites(world):
    report = annual_report(world)
    first = services.narrative_save(actor=world.manager, report=report, key="about", body="One", version="")
    loaded = first.updated_at.isoformat()
    services.narrative_save(actor=world.manager, report=report, key="about", body="Two", version=loaded)
    with pytest.raises(StaleEdit):
        services.narrative_save(actor=world.manager, report=report, key="about", body="Three", version=loaded)
    # Two people writing an empty section at once: the second is told.
    services.agency_section_save(actor=world.submitter_b, report=report, agency=world.agency_b,
                                 achievements="A", challenges="", version="")
    with pytest.raises(StaleEdit):
        services.agency_section_save(actor=world.manager, report=report, agency=world.agency_b,
                                     achievements="B", challenges="", version="")


def test_too_long_narrative_is_refused_with_the_field(world):
    report = annual_report(world)
    with pytest.raises(DomainError) as exc:
        services.narrative_save(actor=world.manager, report=report, key="about", body="x" * 20001, version="")
    assert exc.value.field == "body" and "20,000" in exc.value.message


def test_status_draft_approved_published_and_the_published_pdf_never_changes(world):
    report = annual_report(world)
    with pytest.raises(DomainError):
        services.report_publish(actor=world.manager, report=report)  # not approved
    report = services.report_approve(actor=world.manager, report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_at
    with pytest.raises(DomainError, match="approved"):
        services.narrative_save(actor=world.manager, report=report, key="about", body="x", version="")
    with pytest.raises(DomainError, match="Build the PDF"):
        services.report_publish(actor=world.manager, report=report)
    build = finished_build(world, report=report)
    report = services.report_publish(actor=world.manager, report=report)
    assert report.status == ReportStatus.PUBLISHED and report.published_build == build
    with pytest.raises(DomainError, match="never changes"):
        services.build_request(actor=world.manager, partnership=world.partnership, kind="annual", year_start=2024)
    with pytest.raises(DomainError):
        services.report_return_to_draft(actor=world.manager, report=report)
    with pytest.raises(DomainError, match="published"):
        services.narrative_save(actor=world.manager, report=report, key="about", body="x", version="")


def test_returning_to_draft_makes_a_new_version(world):
    report = services.report_approve(actor=world.manager, report=annual_report(world))
    report = services.report_return_to_draft(actor=world.manager, report=report)
    assert report.status == ReportStatus.DRAFT and report.version == 2


def test_who_may_build(world):
    annual_report(world)
    with pytest.raises(NotAllowed):
        services.build_request(actor=world.pci, partnership=world.partnership, kind="annual", year_start=2024)
    with pytest.raises(NotAllowed):
        services.build_request(actor=world.submitter_a, partnership=world.partnership, kind="pci", year_start=2024,
                               quarter=3)
    quarter(world.partnership, 2024, 3)  # a PCI pack is built only for a quarter that exists
    build, created = services.build_request(actor=world.pci, partnership=world.partnership, kind="pci",
                                            year_start=2024, quarter=3)
    assert created and build.status == "queued"
    with pytest.raises(DomainError, match="Start the annual report"):
        services.build_request(actor=world.manager, partnership=world.partnership, kind="annual", year_start=2019)
