"""Training audiences (issue 12.5): sectors that are not members attend, kept apart from agencies."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Agency
from safeguarding.uploads import UploadRejected
from training import selectors, services
from training.models import AgencyAttendance, Audience, Booking

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def prog(world):
    world.course = services.course_create(actor=world.manager, partnership=world.partnership,
                                          title="Neglect: recognising it", format="classroom",
                                          duration_hours=Decimal(3), capacity=30)
    world.past = services.session_create(actor=world.manager, course=world.course, starts_on=dt.date(2025, 2, 10),
                                         venue="Town hall")
    return world


def _upload(prog, text: str):
    return services.attendance_upload(actor=prog.manager, partnership=prog.partnership, today=TODAY,
                                      upload=SimpleUploadedFile("bookings.csv", text.strip().encode()))


MIXED = """course,session date,agency,audience,attendee,status,attended,no shows,late cancellations
Neglect: recognising it,10/02/2025,Testshire Hospitals NHS Trust,,,,4,0,0
Neglect: recognising it,10/02/2025,,early years,,,6,1,0
Neglect: recognising it,10/02/2025,Foster carers,,,,3,0,0
Neglect: recognising it,10/02/2025,,PVI,Pat,attended,,,
Neglect: recognising it,10/02/2025,Testshire Council Children's Social Care,agency,,,2,0,0
"""


def test_sectors_are_recorded_apart_from_agencies_and_no_agency_is_made(prog):
    agencies_before = Agency.objects.count()
    _upload(prog, MIXED)
    assert Agency.objects.count() == agencies_before  # no fake agency for a sector
    sectors = dict(AgencyAttendance.objects.filter(agency__isnull=True).values_list("audience", "attended"))
    assert sectors == {Audience.EARLY_YEARS: 6, Audience.FOSTER_CARERS: 3}
    (pvi,) = Booking.objects.all()
    assert pvi.agency is None and pvi.audience == Audience.PVI and pvi.audience_label.startswith("Private")


def test_attendance_by_audience_for_a_year(prog):
    _upload(prog, MIXED)
    rows = selectors.programme_attendance_by_audience(partnership_id=prog.partnership.pk, year_start=2024)
    by_label = {r.agency: r for r in rows}
    assert [r.agency for r in rows] == ["Early years settings", "Testshire Hospitals NHS Trust", "Foster carers",
                                        "Testshire Council Children's Social Care",
                                        "Private, voluntary and independent providers"]
    assert by_label["Early years settings"].is_sector and not by_label["Testshire Hospitals NHS Trust"].is_sector
    assert by_label["Early years settings"].tally.no_shows == 1
    assert by_label["Early years settings"].share == Decimal("37.5")  # 6 of 16 attendees
    # Members only: sectors never appear as agencies.
    members = selectors.programme_attendance_by_agency(partnership_id=prog.partnership.pk, year_start=2024)
    assert {r.agency for r in members} == {"Testshire Hospitals NHS Trust",
                                           "Testshire Council Children's Social Care"}
    assert selectors.programme_attendance_by_audience(partnership_id=prog.partnership.pk, year_start=2023) == []


def test_the_by_audience_selector_is_three_queries(prog, django_assert_num_queries):
    _upload(prog, MIXED)
    with django_assert_num_queries(3):
        selectors.programme_attendance_by_audience(partnership_id=prog.partnership.pk, year_start=2024)


def test_bad_audiences_are_refused_naming_the_row_and_nothing_is_saved(prog):
    bad = """course,session date,agency,audience,attendee,status,attended,no shows,late cancellations
Neglect: recognising it,10/02/2025,,dragons,,,4,0,0
Neglect: recognising it,10/02/2025,Testshire Hospitals NHS Trust,foster carers,,,2,0,0
Neglect: recognising it,10/02/2025,,early years,,,2,0,0
Neglect: recognising it,10/02/2025,,early years,,,1,0,0
"""
    with pytest.raises(UploadRejected) as rejected:
        _upload(prog, bad)
    errors = {(e.row, e.column): e.message for e in rejected.value.errors}
    assert "‘dragons’ is not an audience" in errors[(2, "audience")]
    assert "A row for foster carers names no agency" in errors[(3, "audience")]
    assert "Early years settings already has counts for this session on row 4" in errors[(5, "agency")]
    assert not AgencyAttendance.objects.exists()


def test_existing_attendance_is_an_agencys(prog):
    """The migration's default: every row recorded before audiences is a member agency's."""
    row = AgencyAttendance.objects.create(session=prog.past, agency=prog.agency_a, attended=3)
    assert row.audience == Audience.AGENCY and row.audience_label == prog.agency_a.name


def test_the_programme_and_session_pages_show_sectors(prog, as_user):
    _upload(prog, MIXED)
    page = as_user(prog.manager).get(reverse("training:programme") + "?year=2024/25").content.decode()
    assert "Attendance by audience" in page and "Foster carers" in page and "sector, not a member" in page
    session = as_user(prog.manager).get(reverse("training:session_detail", args=[prog.past.pk])).content.decode()
    assert "Early years settings" in session


def test_sectors_merge_like_agencies(prog):
    _upload(prog, MIXED)
    again = _upload(prog, MIXED)
    assert again.nothing_changed
    assert AgencyAttendance.objects.filter(audience=Audience.EARLY_YEARS).get().attended == 6
    one_sector = """course,session date,agency,audience,attendee,status,attended,no shows,late cancellations
Neglect: recognising it,10/02/2025,,foster carers,,,5,0,0
"""
    result = _upload(prog, one_sector)
    assert [c.what for c in result.changed] == ["Neglect: recognising it, 10 February 2025: Foster carers"]
    sectors = dict(AgencyAttendance.objects.filter(agency__isnull=True).values_list("audience", "attended"))
    assert sectors == {Audience.EARLY_YEARS: 6, Audience.FOSTER_CARERS: 5}  # early years kept
    assert AgencyAttendance.objects.filter(agency__isnull=False).count() == 2
