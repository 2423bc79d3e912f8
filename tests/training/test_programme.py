"""The multi-agency programme: attendance uploads, evaluations, the figures the pages show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import AgencyAlias
from safeguarding.errors import DomainError, NotAllowed
from safeguarding.uploads import UploadRejected
from training import selectors, services
from training.models import AgencyAttendance, Booking, EvaluationTally

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def prog(world):
    AgencyAlias.objects.create(agency=world.agency_a, name="THT")
    world.course = services.course_create(actor=world.manager, partnership=world.partnership,
                                          title="Neglect: recognising it", format="classroom",
                                          duration_hours=Decimal(3), capacity=20, no_show_charge=Decimal(50))
    world.past = services.session_create(actor=world.manager, course=world.course, starts_on=dt.date(2025, 2, 10),
                                         venue="Town hall")
    world.future = services.session_create(actor=world.manager, course=world.course, starts_on=dt.date(2025, 5, 1),
                                           online=True, places=30)
    return world


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("bookings.csv", text.strip().encode())


GOOD = """course,session date,agency,attendee,status,attended,no shows,late cancellations,rating,impact
Neglect: recognising it,10/02/2025,THT,Ann,attended,,,,excellent,significantly better equipped
Neglect: recognising it,10/02/2025,Testshire Hospitals NHS Trust,Bob,no-show,,,,,
Neglect: recognising it,10/02/2025,Testshire Hospitals NHS Trust,Cy,attended,,,,good,
Neglect: recognising it,2025-02-10,Testshire Council Children's Social Care,,,6,1,1,,
"""


def test_an_upload_records_bookings_counts_and_evaluations_and_a_second_upload_replaces_the_first(prog):
    result = services.attendance_upload(actor=prog.manager, partnership=prog.partnership, upload=_csv(GOOD),
                                        today=TODAY)
    assert (result.sessions, result.bookings, result.count_rows, result.evaluations) == (1, 3, 1, 3)
    services.attendance_upload(actor=prog.manager, partnership=prog.partnership, upload=_csv(GOOD), today=TODAY)
    assert Booking.objects.count() == 3
    assert AgencyAttendance.objects.count() == 1
    assert dict(EvaluationTally.objects.values_list("answer", "count")) == {"excellent": 1, "good": 1,
                                                                             "significantly": 1}

    by_agency = {r.agency: r for r in selectors.programme_attendance_by_agency(partnership_id=prog.partnership.pk,
                                                                               year_start=2024)}
    hospital = by_agency["Testshire Hospitals NHS Trust"]
    council = by_agency["Testshire Council Children's Social Care"]
    assert (hospital.tally.attended, hospital.tally.no_shows, hospital.tally.charges) == (2, 1, Decimal(50))
    assert (council.tally.attended, council.tally.no_shows, council.tally.late_cancellations) == (6, 1, 1)
    assert council.tally.charges == Decimal(100)
    assert hospital.share == Decimal("25.0") and council.share == Decimal("75.0")

    [row] = selectors.course_summary(partnership_id=prog.partnership.pk, year_start=2024)
    assert (row.sessions, row.places, row.tally.attended) == (1, 20, 8)
    assert row.fill_rate == Decimal("40.0")
    assert row.tally.no_show_rate == Decimal("18.2")  # 2 no-shows of 11 booked
    summary = selectors.evaluation_summary(partnership_id=prog.partnership.pk, year_start=2024)
    immediate, follow_up = summary["immediate"], summary["follow_up"]
    assert immediate.responses == 2 and immediate.response_rate == Decimal("25.0")
    assert immediate.positive == Decimal("100.0")
    # Out of those invited (issue 15.2): the upload does not say how many were, so there is no rate.
    assert follow_up.responses == 1 and follow_up.response_rate is None


BAD = """course,session date,agency,attendee,status,attended,no shows,late cancellations,rating,impact
Unknown course,10/02/2025,THT,Ann,attended,,,,,
Neglect: recognising it,10/02/2025,Nobody's Agency,Bob,attended,,,,,
Neglect: recognising it,01/05/2025,THT,Cy,attended,,,,,
Neglect: recognising it,10/02/2025,THT,Di,attended,,,,brilliant,
Neglect: recognising it,10/02/2025,Testshire Council Children's Social Care,,,-2,1.5,,,
Neglect: recognising it,11/02/2025,THT,Ed,attended,,,,,
Neglect: recognising it,01/05/2025,Testshire Council Children's Social Care,,,4,,,,
Neglect: recognising it,10/02/2025,THT,Flo,no-show,,,,good,
Neglect: recognising it,10/02/2025,THT,Gus,maybe,,,,,
"""


def test_an_upload_with_bad_rows_saves_nothing_and_lists_every_refused_row(prog):
    with pytest.raises(UploadRejected) as caught:
        services.attendance_upload(actor=prog.manager, partnership=prog.partnership,
                                   upload=_csv(GOOD.strip() + "\n" + BAD.strip().split("\n", 1)[1]), today=TODAY)
    errors = {(e.row, e.column): e.message for e in caught.value.errors}
    assert "no course called ‘Unknown course’" in errors[(6, "course")]
    assert "no agency called ‘Nobody's Agency’" in errors[(7, "agency")]
    assert "has not happened yet" in errors[(8, "status")]
    assert "not on the rating scale" in errors[(9, "rating")]
    assert "cannot be negative" in errors[(10, "attended")]
    assert "whole number" in errors[(10, "no shows")]
    assert "has no session on 11 February 2025" in errors[(11, "session date")]
    assert "has not happened yet" in errors[(12, "attended")]
    assert "Only people who attended" in errors[(13, "rating")]
    assert "not a booking status" in errors[(14, "status")]
    assert not Booking.objects.exists() and not AgencyAttendance.objects.exists()
    assert not EvaluationTally.objects.exists()


def test_an_unknown_column_is_refused(prog):
    with pytest.raises(UploadRejected, match="not expected"):
        services.attendance_upload(actor=prog.manager, partnership=prog.partnership,
                                   upload=_csv("course,session date,agency,shoe size\nx,y,z,9"), today=TODAY)


def test_only_the_business_manager_uploads(prog):
    with pytest.raises(NotAllowed):
        services.attendance_upload(actor=prog.pci, partnership=prog.partnership, upload=_csv(GOOD), today=TODAY)


def test_evaluation_counts_are_checked(prog):
    with pytest.raises(DomainError, match="cannot be negative"):
        services.evaluation_set(actor=prog.manager, session=prog.past, stage="immediate", counts={"good": "-1"})
    with pytest.raises(DomainError, match="not on the scale"):
        services.evaluation_set(actor=prog.manager, session=prog.past, stage="immediate", counts={"awful": "1"})
    later = services.session_create(actor=prog.manager, course=prog.course, starts_on=dt.date(2099, 1, 5), online=True)
    with pytest.raises(DomainError, match="not happened yet"):
        services.evaluation_set(actor=prog.manager, session=later, stage="immediate", counts={"good": "3"})
    services.evaluation_set(actor=prog.manager, session=prog.past, stage="follow_up",
                            counts={"significantly": "4", "somewhat": "2", "not": ""})
    assert dict(prog.past.evaluations.values_list("answer", "count")) == {"significantly": 4, "somewhat": 2}


def test_courses_and_sessions_refuse_bad_input(prog):
    with pytest.raises(DomainError, match="already a course"):
        services.course_create(actor=prog.manager, partnership=prog.partnership, title="neglect: RECOGNISING it",
                               format="briefing", duration_hours=Decimal(1), capacity=10)
    with pytest.raises(DomainError, match="venue"):
        services.session_create(actor=prog.manager, course=prog.course, starts_on=dt.date(2025, 1, 5))
    with pytest.raises(DomainError, match="already has a session"):
        services.session_create(actor=prog.manager, course=prog.course, starts_on=dt.date(2025, 2, 10), online=True)


def test_the_upload_page_lists_refused_rows(prog, as_user):
    client = as_user(prog.manager)
    response = client.post("/training/programme/attendance/upload/",
                           {"file": _csv("course,session date,agency\nNo such course,10/02/2025,THT")})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rows refused (2)" in body and "There is no course called" in body and "attendee" in body


COUNCIL_ONLY = """course,session date,agency,attended,no shows,late cancellations
Neglect: recognising it,10/02/2025,Testshire Council Children's Social Care,7,0,1
"""


def test_a_one_agency_file_merges_into_the_session_and_says_what_changed(prog):
    services.attendance_upload(actor=prog.manager, partnership=prog.partnership, upload=_csv(GOOD), today=TODAY)
    result = services.attendance_upload(actor=prog.manager, partnership=prog.partnership,
                                        upload=_csv(COUNCIL_ONLY), today=TODAY)
    assert Booking.objects.count() == 3  # the hospital's named bookings are kept
    assert AgencyAttendance.objects.get().attended == 7
    [change] = result.changed
    assert change.row == 2 and "Testshire Council" in change.what
    assert change.before == "6 attended, 1 no-show, 1 late cancellation"
    assert change.after == "7 attended, 0 no-shows, 1 late cancellation"
    assert result.message == "Saved: 1 attendance record changed."
    again = services.attendance_upload(actor=prog.manager, partnership=prog.partnership,
                                       upload=_csv(COUNCIL_ONLY), today=TODAY)
    assert again.nothing_changed and again.message.startswith("Nothing changed")


def test_replacing_a_whole_session_is_an_explicit_choice(prog):
    services.attendance_upload(actor=prog.manager, partnership=prog.partnership, upload=_csv(GOOD), today=TODAY)
    result = services.attendance_upload(actor=prog.manager, partnership=prog.partnership,
                                        upload=_csv(COUNCIL_ONLY), today=TODAY, replace_sessions=True)
    assert not Booking.objects.exists() and AgencyAttendance.objects.count() == 1
    [removed] = result.removed
    assert removed.after is None and removed.before == "3 named bookings (2 attended, 1 no-show)"


def test_the_attendance_page_previews_and_offers_the_replace_choice(prog, as_user):
    from django.urls import reverse

    from tests.upload_flow import upload_and_save

    client = as_user(prog.manager)
    url = reverse("training:attendance_upload")
    services.attendance_upload(actor=prog.manager, partnership=prog.partnership, upload=_csv(GOOD), today=TODAY)
    page = client.get(url).content.decode()
    assert "Download the template" in page and 'name="replace_sessions"' in page
    preview, saved = upload_and_save(client, url, {"file": _csv(COUNCIL_ONLY), "replace_sessions": "on"})
    assert "Removed" in preview.content.decode() and saved.status_code == 302
    assert not Booking.objects.exists()
    template = client.get(reverse("training:attendance_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
