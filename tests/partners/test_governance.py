"""Governance: meetings and attendance, budgets with computed totals, priorities."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.governance import selectors, services
from partners.models import Attendance, Meeting
from safeguarding.errors import DomainError, NotAllowed, StaleEdit
from tests.factories import SubgroupFactory


@pytest.fixture
def board(world):
    return SubgroupFactory(partnership=world.partnership, name="Board", slug="board", is_board=True)


def test_attendance_rate_per_agency_per_year(world, board):
    for day, a_status, b_status in [(dt.date(2024, 5, 1), "present", "apologies"),
                                    (dt.date(2024, 9, 1), "deputy", "absent"),
                                    (dt.date(2025, 2, 1), "apologies", "present"),
                                    (dt.date(2025, 5, 1), "present", "present")]:  # next year
        services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board, held_on=day,
                                attendance={world.agency_a: a_status, world.agency_b: b_status})
    result = selectors.attendance_by_seat(partnership_id=world.partnership.pk, year_start=2024)
    rows = {r["agency"]: r for r in result["rows"]}
    assert rows[world.agency_a]["rate"] == Decimal("66.7") and rows[world.agency_a]["deputy"] == 1
    assert rows[world.agency_b]["rate"] == Decimal("33.3") and rows[world.agency_b]["absent"] == 1
    assert result["overall_rate"] == Decimal("50.0")
    # Subgroup meetings do not count towards board attendance.
    services.meeting_create(actor=None, partnership=world.partnership, subgroup=world.subgroup,
                            held_on=dt.date(2024, 6, 1), attendance={world.agency_b: "present"})
    assert selectors.attendance_by_seat(partnership_id=world.partnership.pk, year_start=2024)["overall_rate"] \
        == Decimal("50.0")


def test_meeting_rules(world, board):
    with pytest.raises(NotAllowed):
        services.meeting_create(actor=world.pci, partnership=world.partnership, subgroup=board,
                                held_on=dt.date(2024, 5, 1))
    with pytest.raises(DomainError, match="another partnership"):
        services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board,
                                held_on=dt.date(2024, 5, 1), attendance={world.other_agency: "present"})
    assert not Meeting.objects.exists()  # nothing half-saved
    meeting = services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board,
                                      held_on=dt.date(2024, 5, 1), attendance={world.agency_a: "present"})
    with pytest.raises(DomainError, match="already has a meeting"):
        services.meeting_create(actor=world.manager, partnership=world.partnership, subgroup=board,
                                held_on=dt.date(2024, 5, 1))
    version = meeting.updated_at.isoformat()
    services.meeting_update(actor=world.manager, meeting=meeting, version=version, held_on=dt.date(2024, 5, 2),
                            attendance={world.agency_a: "apologies", world.agency_b: "present"})
    assert dict(Attendance.objects.values_list("seat__agency__slug", "status")) == {"hospital": "apologies",
                                                                                    "council": "present"}
    with pytest.raises(StaleEdit):
        services.meeting_update(actor=world.manager, meeting=meeting, version=version, held_on=dt.date(2024, 5, 3))


def test_budget_totals_are_computed(world):
    budget = services.budget_ensure(actor=world.manager, partnership=world.partnership, year_start=2024)
    services.budget_update(actor=world.manager, budget=budget, version=budget.updated_at.isoformat(),
                           reserves_used=Decimal("5000"),
                           contributions={world.agency_a: (Decimal("10000"), Decimal("2500")),
                                          world.agency_b: (Decimal("40000"), Decimal("0"))})
    services.budget_line_add(actor=world.manager, budget=budget, category="training_charges", amount=Decimal("3000"))
    services.budget_line_add(actor=world.manager, budget=budget, category="staffing", amount=Decimal("45000"))
    services.budget_line_add(actor=world.manager, budget=budget, category="reviews", amount=Decimal("12000"))
    summary = selectors.budget_summary(partnership_id=world.partnership.pk, year_start=2024)
    assert summary["cash_total"] == Decimal("50000") and summary["in_kind_total"] == Decimal("2500")
    assert summary["contributions_total"] == Decimal("52500")
    assert summary["income_total"] == Decimal("53000")
    assert summary["expenditure_total"] == Decimal("57000")
    assert summary["balance"] == Decimal("1000")  # 53,000 + 5,000 reserves - 57,000
    assert [r["label"] for r in summary["expenditure"]] == ["Staffing", "Independent chair", "Training", "Reviews",
                                                            "Other expenditure"]
    with pytest.raises(DomainError):
        services.budget_line_add(actor=world.manager, budget=budget, category="nonsense", amount=Decimal("1"))
    assert selectors.budget_summary(partnership_id=world.partnership.pk, year_start=2019) is None


def test_priorities(world):
    p = services.priority_create(actor=world.manager, partnership=world.partnership, year_start=2024,
                                 title="Neglect", outcome="Earlier help")
    with pytest.raises(DomainError, match="already a priority"):
        services.priority_create(actor=world.manager, partnership=world.partnership, year_start=2024,
                                 title=" Neglect ")
    services.priority_update(actor=world.manager, priority=p, version=p.updated_at.isoformat(), status="met",
                             progress="Done")
    p.refresh_from_db()
    assert p.status == "met" and p.progress == "Done"


def test_governance_pages(world, as_user, board):
    client = as_user(world.manager)
    seat_a = services.seat_create(actor=world.manager, subgroup=board, agency=world.agency_a)
    seat_b = services.seat_create(actor=world.manager, subgroup=board, agency=world.agency_b)
    response = client.post(reverse("partners:meeting_create") + f"?subgroup={board.pk}", {
        "held_on": "2024-06-12", "notes": "<b>Agreed</b> the plan",
        f"seat_{seat_a.pk}": "present", f"seat_{seat_b.pk}": "deputy"})
    assert response.status_code == 302
    page = client.get(reverse("partners:governance") + "?year=2024/25").content.decode()
    assert "12 June 2024" in page and "2 of 2" in page and "100.0%" in page
    response = client.post(reverse("partners:budget_edit", kwargs={"year": 2024}), {
        "reserves_used": "1000", f"cash_{world.agency_b.pk}": "25000", f"kind_{world.agency_a.pk}": "-5"})
    assert response.status_code == 200 and "in kind must be 0 or more" in response.content.decode()
    response = client.post(reverse("partners:budget_edit", kwargs={"year": 2024}), {
        "reserves_used": "£1,000", f"cash_{world.agency_b.pk}": "£25,000", "version": ""})
    assert response.status_code == 302
    client.post(reverse("partners:budget_line_add", kwargs={"year": 2024}), {"category": "staffing",
                                                                           "amount": "20,000"})
    page = client.get(reverse("partners:governance") + "?year=2024/25").content.decode()
    assert "£25,000" in page and "£20,000" in page and "£6,000" in page  # 25,000 + 1,000 - 20,000
    response = client.post(reverse("partners:priority_create"), {"year": "2024/25", "position": 1,
                                                                 "title": "Exploitation", "status": "on_track"})
    assert response.status_code == 302
    assert client.get(reverse("partners:governance") + "?year=nonsense").status_code == 404
