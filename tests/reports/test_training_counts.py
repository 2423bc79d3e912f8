"""The training chapter's tables print counts through the one formatter, and the follow-up
response rate says which answers it is out of (issues 13.6 and 15.2).

The demo report printed "All formats 65 2228 1982" beside "1,982 people attended" in the sentence
above it, and "Follow-up impact survey: 644 answers (38.9% of the 1,397 people invited)" although
644 / 1,397 is 46.1%: 100 of the answers came from sessions that did not record how many were
invited, and the rate (rightly) leaves them out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from training import services as training
from training.models import AgencyAttendance

from .test_training_budget import _cells, _chapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_programme(world):
    m, p = world.manager, world.partnership
    online = training.course_create(actor=m, partnership=p, title="Introduction to safeguarding",
                                    format="e_learning", duration_hours=Decimal("1"), capacity=2000)
    briefing = training.course_create(actor=m, partnership=p, title="Learning from reviews", format="briefing",
                                      duration_hours=Decimal("2"), capacity=100)
    e_session = training.session_create(actor=m, course=online, starts_on=dt.date(2024, 6, 1), places=2000,
                                        online=True)
    invited = training.session_create(actor=m, course=briefing, starts_on=dt.date(2024, 9, 2), places=100,
                                      venue="Town hall")
    not_recorded = training.session_create(actor=m, course=briefing, starts_on=dt.date(2024, 11, 4), places=100,
                                           venue="Town hall")
    AgencyAttendance.objects.create(session=e_session, agency=world.agency_a, attended=1200, no_shows=10)
    AgencyAttendance.objects.create(session=invited, agency=world.agency_b, attended=40)
    AgencyAttendance.objects.create(session=not_recorded, agency=world.agency_b, attended=30)
    training.evaluation_set(actor=m, session=invited, stage="follow_up",
                            counts={"significantly": "3", "somewhat": "2"}, invited=10)
    training.evaluation_set(actor=m, session=not_recorded, stage="follow_up", counts={"somewhat": "4"})


def test_counts_in_the_training_tables_are_thousands_separated(world, big_programme):
    html = _chapter(world, "training")
    assert _cells(html, "E-learning")[:3] == ["1", "1,210", "1,200"]
    assert _cells(html, "All formats")[:3] == ["3", "1,280", "1,270"]
    assert "1,270 people attended" in html
    assert _cells(html, "All courses")[2] == "1,270"


def test_the_follow_up_rate_names_the_answers_it_is_out_of(world, big_programme):
    html = _chapter(world, "training")
    assert ("9 answers (5 of the 10 people invited answered, 50.0%; the other answers came from sessions "
            "that did not record how many were invited)") in html
    assert "9 answers (50.0% of the 10 people invited)" not in html
