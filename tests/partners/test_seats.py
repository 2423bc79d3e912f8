"""Issue 12.3: membership is made of seats; a seat is held by an agency or by a named role that
is never an agency; attendance is recorded and reported per seat; the target is a setting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.governance import selectors, services
from partners.models import Agency, Seat
from safeguarding.errors import DomainError
from tests.factories import SubgroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world):
    board = SubgroupFactory(partnership=world.partnership, name="Board", slug="board", is_board=True)
    world.chair = services.seat_create(actor=world.manager, subgroup=board, role="Independent chair",
                                       holder="Margaret Ellis")
    world.lay = services.seat_create(actor=world.manager, subgroup=board, role="Lay member", holder="Joan W")
    world.seat_a = services.seat_create(actor=world.manager, subgroup=board, agency=world.agency_a)
    return board


def _meet(world, board, day, **statuses):
    return services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board,
                                   held_on=day, attendance={getattr(world, k): v for k, v in statuses.items()})


def test_attendance_is_reported_per_seat_and_a_role_is_never_an_agency(world, board):
    agencies_before = Agency.objects.count()
    for n, day in enumerate([dt.date(2024, 5, 1), dt.date(2024, 9, 1), dt.date(2024, 12, 1), dt.date(2025, 3, 1)]):
        _meet(world, board, day, chair="present", lay="present" if n == 0 else "apologies", seat_a="deputy")
    result = selectors.attendance_by_seat(partnership_id=world.partnership.pk, year_start=2024)
    rows = {r["name"]: r for r in result["rows"]}
    assert rows["Lay member (Joan W)"]["rate"] == Decimal("25.0")  # 1 of 4
    assert rows["Independent chair (Margaret Ellis)"]["rate"] == Decimal("100.0")
    assert rows[world.agency_a.name]["rate"] == Decimal("100.0") and rows[world.agency_a.name]["kind"] == "agency"
    assert rows["Lay member (Joan W)"]["kind"] == "role" and rows["Lay member (Joan W)"]["agency"] is None
    assert [r["kind"] for r in result["rows"]] == ["agency", "role", "role"]
    assert result["target"] == Decimal("75.0")
    assert Agency.objects.count() == agencies_before  # no fake agency was made for a role


def test_the_report_reads_attendance_per_seat_and_the_target_setting(world, board):
    from reports.content.annual import chapter_partnership
    from safeguarding.periods import FinancialYear

    _meet(world, board, dt.date(2024, 5, 1), chair="present", lay="absent", seat_a="present")
    services.partnership_set_attendance_target(actor=world.manager, partnership=world.partnership,
                                               attendance_target=Decimal("80"))
    world.partnership.refresh_from_db()
    chapter = chapter_partnership(world.partnership, FinancialYear(2024), {})
    names = [r["name"] for r in chapter.data["attendance"]["rows"]]
    assert "Independent chair (Margaret Ellis)" in names and "Lay member (Joan W)" in names
    assert chapter.data["attendance_target"] == Decimal("80.0")
    # The report's agency lists hold agencies only.
    listed = {a.name for a in chapter.data["statutory"] + chapter.data["relevant"]}
    assert "Independent chair" not in " ".join(listed) and world.agency_a.name in listed


def test_a_seat_is_an_agency_or_a_role_never_both_and_never_twice(world, board):
    with pytest.raises(DomainError):
        services.seat_create(actor=world.manager, subgroup=board, agency=world.agency_b, role="Lay member")
    with pytest.raises(DomainError):
        services.seat_create(actor=world.manager, subgroup=board)
    with pytest.raises(DomainError, match="already has a seat"):
        services.seat_create(actor=world.manager, subgroup=board, agency=world.agency_a)
    with pytest.raises(DomainError, match="already has a seat for Lay member"):
        services.seat_create(actor=world.manager, subgroup=board, role="lay  MEMBER", holder="joan w")
    with pytest.raises(DomainError, match="another partnership"):
        services.seat_create(actor=world.manager, subgroup=board, agency=world.other_agency)
    with pytest.raises(DomainError, match="another body"):
        services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=world.subgroup,
                                held_on=dt.date(2024, 5, 1), attendance={world.chair: "present"})


def test_the_manager_keeps_seats_and_records_a_meeting_per_seat_in_the_browser(world, board, as_user):
    client = as_user(world.manager)
    url = reverse("partners:seat_create", args=[board.slug])
    assert client.post(url, {"role": "__other__", "other_role": "Faith communities representative",
                             "holder": "Rev. Ann Oduya"}).status_code == 302
    both = client.post(url, {"agency": world.agency_b.pk, "role": "Lay member"})
    assert both.status_code == 200 and "not both" in both.content.decode()
    assert client.post(url, {"agency": world.agency_b.pk}).status_code == 302
    faith = Seat.objects.get(role="Faith communities representative")
    detail = client.get(reverse("partners:subgroup_detail", args=[board.slug])).content.decode()
    assert "Faith communities representative" in detail and "A member who represents no agency" in detail
    assert client.get(reverse("partners:meeting_create")).status_code == 200  # choose the body
    form_url = reverse("partners:meeting_create") + f"?subgroup={board.pk}"
    page = client.get(form_url).content.decode()
    assert "Faith communities representative (Rev. Ann Oduya) (not an agency)" in page
    response = client.post(form_url, {"held_on": "2024-06-12", f"seat_{faith.pk}": "present",
                                      f"seat_{world.chair.pk}": "apologies"})
    assert response.status_code == 302
    # The seat retires but keeps its history; the edit page still shows its attendance.
    client.post(reverse("partners:seat_edit", args=[board.slug, faith.pk]),
                {"role": faith.role, "holder": faith.holder, "is_active": "",
                 "version": faith.updated_at.isoformat()})
    faith.refresh_from_db()
    assert not faith.is_active
    meeting = board.meetings.get()
    assert "Faith communities" in client.get(reverse("partners:meeting_edit", args=[meeting.pk])).content.decode()
    assert "Faith communities" not in client.get(form_url).content.decode()


def test_the_attendance_target_is_a_setting_checked_0_to_100(world, as_user):
    client = as_user(world.manager)
    url = reverse("partners:attendance_target_edit")
    bad = client.post(url, {"attendance_target": "120"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()
    assert client.post(url, {"attendance_target": "82.5"}).status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.attendance_target == Decimal("82.5")
    assert as_user(world.pci).post(url, {"attendance_target": "10"}).status_code == 403


def test_attendance_by_seat_runs_three_queries_whatever_the_size(world, board, django_assert_num_queries):
    for n in range(12):
        services.seat_create(actor=world.manager, subgroup=board, role="Lay member", holder=f"Member {n}")
    seats = list(board.seats.all())
    for day in (dt.date(2024, 5, 1), dt.date(2024, 9, 1), dt.date(2025, 1, 1)):
        services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board, held_on=day,
                                attendance=dict.fromkeys(seats, "present"))
    with django_assert_num_queries(3):
        result = selectors.attendance_by_seat(partnership_id=world.partnership.pk, year_start=2024)
        assert len(result["rows"]) == len(seats)


def test_the_reports_membership_list_names_members_who_are_not_agencies(world, board):
    from reports.content.annual import chapter_membership
    from safeguarding.periods import FinancialYear

    chapter = chapter_membership(world.partnership, FinancialYear(2024), {}, [])
    assert [(s.role, s.holder) for s in chapter.data["role_seats"]] == [("Independent chair", "Margaret Ellis"),
                                                                         ("Lay member", "Joan W")]
    assert all(isinstance(a, Agency) for a in chapter.data["agencies"])
    assert "Independent chair" not in {a.name for a in chapter.data["agencies"]}
