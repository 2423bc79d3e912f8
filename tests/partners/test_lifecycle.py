"""Issue 12.6: an agency's life (active from/to, replaced by) is enforced everywhere through
partners.lifecycle, and a manager can still read and correct a closed agency's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets import services as datasets
from datasets.models import Return
from datasets.selectors import quarter_completeness
from datasets.spreadsheets import bulk_upload
from partners import lifecycle
from partners import services as partners
from partners.governance import services as governance
from safeguarding.concurrency import version_token
from safeguarding.errors import DomainError
from safeguarding.uploads import UploadRejected
from tests.datasets.conftest import make_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def life(world):
    """A CCG that closed on 30 June 2022, replaced by the ICB; a trust that opens in 2030."""
    m, p = world.manager, world.partnership
    icb = partners.agency_create(actor=m, partnership=p, name="NHS Testshire ICB", agency_type="acute_trust",
                                 membership="statutory", active_from=dt.date(2022, 7, 1))
    ccg = partners.agency_create(actor=m, partnership=p, name="NHS Testshire CCG", agency_type="acute_trust",
                                 active_from=dt.date(2013, 4, 1), active_to=dt.date(2022, 6, 30),
                                 replaced_by=icb, aliases=["Testshire CCG"])
    future = partners.agency_create(actor=m, partnership=p, name="New Testshire Trust", agency_type="acute_trust",
                                    active_from=dt.date(2030, 4, 1))
    world.icb, world.ccg, world.future = icb, ccg, future
    world.cat = make_catalogue(world)
    return world


def _csv(rows):
    frame = pd.DataFrame(rows, columns=["agency", "quarter", "code", "part", "value", "numerator", "denominator",
                                        "narrative"])
    return SimpleUploadedFile("bulk.csv", frame.to_csv(index=False).encode(), content_type="text/csv")


def test_a_bulk_upload_row_naming_a_closed_ccg_is_refused_naming_its_successor(life):
    rows = [["Testshire CCG", "2024/25-Q4", "H-REF", "", "4", "", "", ""]]
    with pytest.raises(UploadRejected) as caught:
        bulk_upload(actor=life.manager, partnership=life.partnership, upload=_csv(rows))
    message = str(caught.value.errors[0])
    assert "NHS Testshire CCG closed on 30 June 2022 and was replaced by NHS Testshire ICB" in message
    assert "name NHS Testshire ICB instead" in message
    assert not Return.objects.filter(agency=life.ccg).exists()


def test_a_return_of_a_closed_agency_is_not_counted_in_completeness(life):
    Return.objects.create(agency=life.ccg, quarter=life.cat.quarter)  # as the old bulk upload did
    names = {row.agency.name for row in quarter_completeness(life.cat.quarter).rows}
    assert life.ccg.name not in names and life.future.name not in names
    assert life.icb.name in names


def test_an_agency_added_without_an_active_from_date_does_not_lower_past_completeness(life):
    before = quarter_completeness(life.cat.quarter)
    added = partners.agency_create(actor=life.manager, partnership=life.partnership, name="Late Trust",
                                   agency_type="acute_trust")
    after = quarter_completeness(life.cat.quarter)
    assert (after.expected, after.returned) == (before.expected, before.returned)
    assert added.name not in {r.agency.name for r in after.rows}
    # It is expected from the quarter it was added, and in a past quarter where it has a return.
    today = dt.date.today()
    assert lifecycle.expected_in(added, today, today)
    assert lifecycle.expected_in(added, dt.date(2025, 1, 1), dt.date(2025, 3, 31), has_return=True)
    assert not lifecycle.expected_in(added, dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_no_new_return_or_training_return_for_a_closed_or_future_agency(life):
    from training import services as training

    for agency in (life.ccg, life.future):
        with pytest.raises(DomainError, match="cannot have a return for 2024/25 Q4|cannot have a return"):
            datasets.return_get_or_create(actor=life.manager, agency=agency, quarter=life.cat.quarter)
        with pytest.raises(DomainError, match="cannot have a training return"):
            training.training_return_start(actor=life.manager, agency=agency, quarter=life.cat.quarter)
    assert not Return.objects.filter(agency__in=[life.ccg, life.future]).exists()


def test_the_manager_still_reads_and_corrects_a_closed_agencys_history(life, as_user):
    client = as_user(life.manager)
    assert client.get(reverse("partners:agency_detail", args=[life.ccg.slug])).status_code == 200
    assert client.get(reverse("partners:agency_edit", args=[life.ccg.slug])).status_code == 200
    partners.agency_update(actor=life.manager, agency=life.ccg, version=version_token(life.ccg.updated_at),
                           aliases=["Testshire CCG", "TCCG"], name="NHS Testshire Clinical Commissioning Group")
    # A quarter when it was active still opens its return, for a correction.
    old = datasets.quarter_create(actor=life.manager, partnership=life.partnership, period="2022/23-Q1")
    ret, created = datasets.return_get_or_create(actor=life.manager, agency=life.ccg, quarter=old)
    assert created and ret.agency == life.ccg


def test_report_sections_are_asked_only_of_agencies_active_in_the_year(life):
    from reports import selectors as report_selectors
    from reports import services as reports

    report = reports.report_create(actor=life.manager, partnership=life.partnership, year_start=2024)
    asked = {row["agency"].name for row in report_selectors.agency_rows(
        report=report, agencies=life.partnership.agencies.all())}
    assert life.icb.name in asked and life.agency_a.name in asked
    assert life.ccg.name not in asked and life.future.name not in asked
    with pytest.raises(DomainError, match="closed on 30 June 2022"):
        reports.agency_section_save(actor=life.manager, report=report, agency=life.ccg, achievements="x",
                                    challenges="", version=None)


def test_no_budget_contribution_from_a_closed_agency(life, as_user):
    budget = governance.budget_ensure(actor=life.manager, partnership=life.partnership, year_start=2024)
    with pytest.raises(DomainError, match="cannot have a contribution in 2024/25"):
        governance.budget_update(actor=life.manager, budget=budget, version=version_token(budget.updated_at),
                                 reserves_used=Decimal(0), contributions={life.ccg: (Decimal(100), Decimal(0))})
    page = as_user(life.manager).get(reverse("partners:budget_edit", args=[2024])).content.decode()
    assert life.icb.name in page and life.ccg.name not in page and life.future.name not in page


def test_no_action_owned_by_a_closed_agency(life):
    from reviews import services as reviews

    review = reviews.review_create(actor=life.manager, partnership=life.partnership, review_type="cspr",
                                   title="Child K", started_on=dt.date(2024, 4, 1))
    rec = reviews.recommendation_create(actor=life.manager, review=review, number="1", text="Do better.",
                                        addressees=[life.icb])
    with pytest.raises(DomainError, match="cannot have a new action"):
        reviews.action_create(actor=life.manager, recommendation=rec, owner_agency=life.ccg, lead_name="Lee",
                              description="Revise the protocol", start_on=dt.date.today(),
                              due_on=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(DomainError, match="active only from 1 April 2030"):
        reviews.action_create(actor=life.manager, recommendation=rec, owner_agency=life.future, lead_name="Lee",
                              description="Revise the protocol", start_on=dt.date.today(),
                              due_on=dt.date.today() + dt.timedelta(days=30))
    action = reviews.action_create(actor=life.manager, recommendation=rec, owner_agency=life.icb, lead_name="Lee",
                                   description="Revise the protocol", start_on=dt.date.today(),
                                   due_on=dt.date.today() + dt.timedelta(days=30))
    assert action.owner_agency == life.icb


def test_a_set_up_upload_reads_a_closed_name_as_its_successor_with_a_note(life):
    index = lifecycle.NameIndex(life.partnership.pk)
    resolved = index.resolve("testshire   ccg", follow_successor=True)
    assert resolved.agency == life.icb
    assert "read as its successor, NHS Testshire ICB" in resolved.note
    refused = index.resolve("Testshire CCG", follow_successor=False)
    assert refused.agency is None and "name NHS Testshire ICB instead" in refused.error
    assert index.resolve("Testshire CCG", dt.date(2021, 4, 1), dt.date(2021, 6, 30),
                         follow_successor=False).agency == life.ccg


# --- every upload that names agencies refuses one outside its membership, naming row and cell ----

def _attendance(life, day, agency_text):
    from decimal import Decimal

    from training import services as training
    from training.models import Course

    course = Course.objects.filter(title="Neglect").first() or training.course_create(
        actor=life.manager, partnership=life.partnership, title="Neglect", format="classroom",
        duration_hours=Decimal(3), capacity=30)
    training.session_create(actor=life.manager, course=course, starts_on=day, venue="Town hall")
    text = ("course,session date,agency,attended,no shows,late cancellations\n"
            f"Neglect,{day:%d/%m/%Y},{agency_text},4,0,0\n")
    return training.attendance_upload(actor=life.manager, partnership=life.partnership, today=dt.date(2031, 1, 1),
                                      upload=SimpleUploadedFile("bookings.csv", text.encode()))


def test_training_attendance_for_a_closed_agency_is_refused_naming_row_cell_and_successor(life):
    from training.models import AgencyAttendance

    with pytest.raises(UploadRejected) as caught:
        _attendance(life, dt.date(2024, 5, 14), "Testshire CCG")  # its alias, two years after it closed
    error, = caught.value.errors
    assert (error.row, error.column) == (2, "agency")
    assert "NHS Testshire CCG closed on 30 June 2022 and was replaced by NHS Testshire ICB" in str(error)
    assert "name NHS Testshire ICB instead" in str(error) and str(error).startswith("row 2")
    assert not AgencyAttendance.objects.exists()


def test_training_attendance_for_an_agency_not_yet_joined_is_refused_and_in_its_time_accepted(life):
    from training.models import AgencyAttendance

    with pytest.raises(UploadRejected) as caught:
        _attendance(life, dt.date(2029, 5, 14), "New Testshire Trust")
    assert "New Testshire Trust is active only from 1 April 2030" in str(caught.value.errors[0])
    # The same closed CCG attended a session while it was a member: accepted, as itself.
    result = _attendance(life, dt.date(2022, 5, 14), "NHS Testshire CCG")
    assert len(result.added) == 1 and AgencyAttendance.objects.get().agency == life.ccg


def test_historical_figures_for_an_agency_outside_its_membership_are_refused(life):
    from datasets.spreadsheets.historical import historical_upload

    rows = [["NHS Testshire CCG", "2023/24-Q1", "H-REF", "", "4", "", "", ""],   # closed by then
            ["New Testshire Trust", "2023/24-Q1", "H-REF", "", "5", "", "", ""],  # not yet joined
            ["NHS Testshire CCG", "2021/22-Q1", "H-REF", "", "6", "", "", ""]]    # a member then
    with pytest.raises(UploadRejected) as caught:
        historical_upload(actor=life.manager, partnership=life.partnership, upload=_csv(rows),
                          source="PCI dataset workbook")
    by_row = {e.row: str(e) for e in caught.value.errors}
    assert set(by_row) == {2, 3}
    assert "closed on 30 June 2022" in by_row[2] and "name NHS Testshire ICB instead" in by_row[2]
    assert "active only from 1 April 2030" in by_row[3]
    assert not Return.objects.exists()


def test_a_recommendation_upload_addressed_to_a_closed_agency_is_refused_naming_the_row(life):
    from reviews import services as reviews

    review = reviews.review_create(actor=life.manager, partnership=life.partnership, review_type="cspr",
                                   title="Child K", started_on=dt.date(2024, 4, 1), published_on=dt.date(2024, 9, 1))
    text = "number,text,addressed to\n1,Revise the protocol,Testshire CCG\n2,Train staff,NHS Testshire ICB\n"
    with pytest.raises(UploadRejected) as caught:
        reviews.recommendations_import(actor=life.manager, review=review,
                                       upload=SimpleUploadedFile("recs.csv", text.encode()))
    error, = caught.value.errors
    assert (error.row, error.column) == (2, "addressed to")
    assert "closed on 30 June 2022" in str(error) and "NHS Testshire ICB" in str(error)
