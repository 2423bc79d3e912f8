"""The business manager's pages: levels, staff groups, targets, courses, sessions, evaluations."""

import datetime as dt
from decimal import Decimal

import pytest

from safeguarding.models import AuditEvent
from training import services
from training.models import Course, EvaluationTally, Level, Session, StaffGroup, TrainingTarget

from .helpers import setup_training

pytestmark = pytest.mark.django_db


def test_the_manager_keeps_levels_staff_groups_and_targets(world, as_user):
    setup_training(world)
    client = as_user(world.manager)
    response = client.post("/training/setup/levels/new/", {"name": "Level 4", "order": "4", "is_active": "on"})
    assert response.status_code == 302
    level4 = Level.objects.get(name="Level 4")
    response = client.post("/training/setup/levels/new/", {"name": "level 4", "order": "5"})
    assert "already a level called" in response.content.decode()
    response = client.post("/training/setup/staff-groups/new/", {
        "name": "Midwives", "agency_types": ["acute_trust"], "levels": [world.levels[3].pk], "order": "3",
        "is_active": "on"})
    assert response.status_code == 302
    assert list(StaffGroup.objects.get(name="Midwives").levels.all()) == [world.levels[3]]
    response = client.post("/training/setup/targets/new/", {"year": "2025/26", "level": level4.pk, "target": "95",
                                                            "amber_threshold": "96"})
    assert "amber threshold must be between 0 and the target" in response.content.decode()
    response = client.post("/training/setup/targets/new/", {"year": "2025/26", "target": "92%",
                                                            "effective_from": "2025-10-01"})
    assert response.status_code == 302
    row = TrainingTarget.objects.get(year_start=2025)
    assert (row.target, row.effective_from) == (Decimal(92), dt.date(2025, 10, 1))
    response = client.post("/training/setup/targets/new/", {"year": "2025/26", "target": "92",
                                                            "effective_from": "2026-10-01"})
    assert "must fall in 2025/26" in response.content.decode()
    assert AuditEvent.objects.filter(action="training_target.created").count() == 3


def test_a_stale_level_edit_is_refused(world, as_user):
    setup_training(world)
    client = as_user(world.manager)
    level = world.levels[1]
    page = client.get(f"/training/setup/levels/{level.pk}/")
    version = page.context["form"]["version"].value()
    services.level_update(actor=world.manager, level=level, version=version, description="Changed elsewhere")
    response = client.post(f"/training/setup/levels/{level.pk}/", {"name": "Level 1", "order": "1",
                                                                  "version": version})
    assert "Someone else changed this level" in response.content.decode()


def test_the_manager_adds_a_course_a_session_and_its_evaluation(world, as_user):
    client = as_user(world.manager)
    response = client.post("/training/programme/courses/new/", {
        "title": "Safer recruitment", "format": "classroom", "duration_hours": "6", "capacity": "16",
        "no_show_charge": "£60", "is_active": "on", "shared_with_adults": "on"})
    assert response.status_code == 302
    course = Course.objects.get(title="Safer recruitment")
    assert course.shared_with_adults and course.no_show_charge == Decimal(60)
    response = client.post(f"/training/programme/courses/{course.pk}/sessions/new/",
                           {"starts_on": "2025-01-15", "places": "16"})
    assert "Give the venue, or say that the session is online" in response.content.decode()
    response = client.post(f"/training/programme/courses/{course.pk}/sessions/new/",
                           {"starts_on": "2025-01-15", "places": "16", "online": "on"})
    session = Session.objects.get(course=course)
    assert response.status_code == 302
    response = client.post(f"/training/programme/sessions/{session.pk}/evaluation/", {
        "immediate_excellent": "5", "immediate_good": "6", "follow_up_somewhat": "3"})
    assert response.status_code == 302
    assert EvaluationTally.objects.filter(session=session).count() == 3
    response = client.post(f"/training/programme/sessions/{session.pk}/evaluation/", {"immediate_poor": "1.5"})
    assert "whole number" in response.content.decode()
    assert client.get(f"/training/programme/sessions/{session.pk}/").status_code == 200


def test_exports_are_spreadsheets(world, as_user):
    client = as_user(world.pci)
    response = client.get("/training/compliance/export/?year=2024/25&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("Year,Agency,As at,Staff group,Level")
    response = client.get("/training/programme/export/?year=2024/25")
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_an_accepted_return_cannot_be_edited_and_unknown_actions_are_404(world, as_user):
    setup_training(world)
    ret = services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[0])
    client = as_user(world.submitter_b)
    assert client.post(f"/training/returns/{ret.pk}/destroy/").status_code == 404
    response = client.post(f"/training/returns/{ret.pk}/submit/")
    assert response.status_code == 302  # refused with the problems listed on the return's page
    page = client.get(f"/training/returns/{ret.pk}/")
    assert "enter the number of eligible staff" in page.content.decode()


def test_home_panels_show_returns_to_send_and_returns_awaiting_review(world, as_user):
    setup_training(world)
    ret = services.training_return_start(actor=None, agency=world.agency_a, quarter=world.quarters[0])
    body = as_user(world.submitter_a).get("/").content.decode()
    assert "Your training returns to send" in body and "2024/25-Q1" in body
    assert "Training returns awaiting review" not in as_user(world.pci).get("/").content.decode()

    from .helpers import fill

    fill(ret, {("GPs", "Level 3"): (10, 10, ""), ("Practice nurses", "Level 2"): (10, 10, ""),
               ("Practice nurses", "Level 3"): (10, 10, "")})
    services.training_return_transition(actor=world.submitter_a, ret=ret, action="submit")
    assert "Training returns awaiting review" in as_user(world.pci).get("/").content.decode()
    assert "Your training returns to send" not in as_user(world.submitter_a).get("/").content.decode()


def test_the_evaluation_form_saves_both_stages_or_neither(world, as_user):
    course = services.course_create(actor=None, partnership=world.partnership, title="Neglect", format="briefing",
                                    duration_hours=Decimal(2), capacity=40)
    session = services.session_create(actor=None, course=course, starts_on=dt.date(2025, 1, 15), online=True)
    response = as_user(world.manager).post(f"/training/programme/sessions/{session.pk}/evaluation/", {
        "immediate_good": "4", "follow_up_not": "-1"})
    assert response.status_code == 200
    assert "Not better equipped cannot be negative" in response.content.decode()
    assert not EvaluationTally.objects.exists()


def test_compliance_counts_are_printed_through_the_one_formatter(world, as_user):
    """The compliance page printed "89.2% (1101/1234)" where the return printed "1,234 eligible":
    staff counts read with thousands separators on every training page."""
    from safeguarding.periods import FinancialYear

    from .helpers import YEAR, fill

    setup_training(world)
    ret = services.training_return_start(actor=None, agency=world.agency_a, quarter=world.quarters[0])
    fill(ret, {(line.staff_group.name, line.level.name): (1234, 1101, "Two wards short of staff")
               for line in ret.figures.select_related("staff_group", "level")})
    edit = as_user(world.submitter_a).get(f"/training/returns/{ret.pk}/figures/").content.decode()
    assert "(1,101/1,234)" in edit
    services.training_return_transition(actor=world.submitter_a, ret=ret, action="submit")
    page = as_user(world.pci).get(f"/training/compliance/?year={FinancialYear(YEAR).label}").content.decode()
    assert "(1,101/1,234)" in page and "(1101/1234)" not in page
