"""Every list that can pass 50 rows is paged at 50 with search and its own filters (issue 16.6),
through the one helper (``safeguarding.listing``): the review register, actions by agency, one
agency's overdue actions, the indicator catalogue, the quarters, a quarter's completeness, the
notifications, a course's sessions, the PCI packs, a report's builds and the year's meetings.

Each list is built with 3 rows and then with 60 or more: the second pages at 50, its filters
narrow it, a bogus page or filter value shows the list rather than an error, and the page runs
the same pinned number of queries with 3 rows as with 60 or more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import second_factor_queries
from tests.dashboards.factories import make_dataset
from tests.dashboards.test_pages import more_agencies

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ------------------------------------------------------------------ builders: n rows of each list


def reviews(world, n: int) -> str:
    from reviews.models import Review, ReviewStatus, ReviewType

    made = Review.objects.bulk_create(
        Review(partnership=world.partnership, review_type=ReviewType.INSPECTION, title=f"Review {k:02d}",
               status=ReviewStatus.CLOSED if k % 3 == 0 else ReviewStatus.IN_PROGRESS) for k in range(n))
    for review in made[:5]:
        review.agencies.add(world.agency_b)
    return reverse("reviews:review_list")


def _recommendation(world):
    from reviews.models import Recommendation, Review, ReviewType

    review = Review.objects.create(partnership=world.partnership, review_type=ReviewType.INSPECTION,
                                   title="Inspection of health services")
    return Recommendation.objects.create(review=review, number="1.1", text="Share information better.",
                                         made_on=TODAY() - dt.timedelta(days=200))


def _actions(world, agencies, per_agency: int):
    from reviews.models import Action, ActionStatus

    rec = _recommendation(world)
    past = TODAY() - dt.timedelta(days=30)
    Action.objects.bulk_create(
        Action(partnership=world.partnership, recommendation=rec, owner_agency=agency, lead_name="Lee Lead",
               description=f"Audit referrals {agency.slug} {k:02d}", start_on=past - dt.timedelta(days=90),
               due_on=past, status=ActionStatus.IN_PROGRESS if k % 2 else ActionStatus.NOT_STARTED)
        for agency in agencies for k in range(per_agency))


def agencies_with_actions(world, n: int) -> str:
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, n - 2)]
    _actions(world, agencies, 1)
    return reverse("reviews:overdue")


def overdue_actions(world, n: int) -> str:
    _actions(world, [world.agency_a], n)
    return reverse("reviews:agency_overdue", args=[world.agency_a.slug])


def indicators(world, n: int) -> str:
    from datasets.models import Domain, Indicator, Unit

    Indicator.objects.bulk_create(
        Indicator(partnership=world.partnership, code=f"IND-{k:02d}", name=f"Indicator {k:02d}",
                  domain=Domain.TRAINING if k % 2 else Domain.CHILD_PROTECTION, unit=Unit.COUNT, order=k,
                  active_to=dt.date(2020, 3, 31) if k % 5 == 0 else None) for k in range(n))
    return reverse("datasets:indicator_list")


def quarters(world, n: int) -> str:
    from datasets.models import Quarter

    Quarter.objects.bulk_create(
        Quarter(partnership=world.partnership, year_start=2000 + k // 4, number=k % 4 + 1,
                opens_on=dt.date(2000 + k // 4, 1, 1), due_on=dt.date(2000 + k // 4, 2, 1),
                closed_at=timezone.now() if k < n - 4 else None) for k in range(n))
    return reverse("datasets:quarter_list")


def completeness(world, n: int) -> str:
    data = make_dataset(world.partnership, [world.agency_a, world.agency_b, *more_agencies(world, n - 2)],
                        indicators=1, quarters=1)
    return reverse("datasets:completeness", args=[data.last.pk])


def notifications(world, n: int) -> str:
    from safeguarding.models import Notification

    Notification.objects.bulk_create(
        Notification(key=f"test:{k}:{world.submitter_a.pk}", recipient=world.submitter_a,
                     partnership=world.partnership, kind="return.queried", subject=f"Return {k:02d} queried",
                     read_at=timezone.now() if k % 4 else None) for k in range(n))
    return reverse("notifications")


def sessions(world, n: int) -> str:
    from training.models import Course, CourseFormat, Session

    course = Course.objects.create(partnership=world.partnership, title="Neglect: multi-agency working",
                                   format=CourseFormat.CLASSROOM, duration_hours=3, capacity=20)
    first = TODAY() - dt.timedelta(weeks=n - 2)
    Session.objects.bulk_create(
        Session(course=course, starts_on=first + dt.timedelta(weeks=k), places=20,
                venue="Town hall" if k % 2 else "Online room") for k in range(n))
    return reverse("training:course_detail", args=[course.pk])


def _builds(world, n: int, **kind) -> None:
    from reports.models import BuildStage, BuildStatus, ReportBuild

    ReportBuild.objects.bulk_create(
        ReportBuild(partnership=world.partnership, year_start=2023 + k % 2, requested_by=world.manager,
                    status=BuildStatus.FAILED if k % 5 == 0 else BuildStatus.DONE, stage=BuildStage.DONE,
                    error="Stopped" if k % 5 == 0 else "", sha256="" if k % 5 == 0 else "0" * 64,
                    **kind) for k in range(n))


def pci_packs(world, n: int) -> str:
    from reports.models import BuildKind

    for quarter in (1, 2, 3, 4):  # a pack of each quarter; status and year filters narrow them
        _builds(world, n // 4 + (quarter <= n % 4), kind=BuildKind.PCI, quarter=quarter)
    return reverse("reports:pci_list")


def report_builds(world, n: int) -> str:
    from reports.models import BuildKind
    from tests.reports.factories import YEAR, annual_report

    _builds(world, n, kind=BuildKind.ANNUAL, report=annual_report(world))
    return reverse("reports:report_detail", kwargs={"year": YEAR})


def meetings(world, n: int) -> str:
    from partners.models import Meeting
    from tests.factories import SubgroupFactory

    board = SubgroupFactory(partnership=world.partnership, name="Board", slug="board")
    year = TODAY().year if TODAY().month >= 4 else TODAY().year - 1
    start = dt.date(year, 4, 1)
    Meeting.objects.bulk_create(
        Meeting(partnership=world.partnership, subgroup=board if k % 3 == 0 else world.subgroup,
                held_on=start + dt.timedelta(days=k * 3), notes=f"Decided item {k:02d}") for k in range(n))
    return reverse("partners:governance")


def compliance(world, n: int) -> str:
    from partners.models import AgencyType
    from tests.factories import AgencyFactory
    from tests.training.helpers import fill, setup_training
    from training import services

    setup_training(world)
    agencies = [world.agency_a, *(AgencyFactory(partnership=world.partnership, name=f"GP practice {k:02d}",
                                                slug=f"gp-{k:02d}", agency_type=AgencyType.PRIMARY_CARE)
                                  for k in range(n - 1))]
    for k, agency in enumerate(agencies):
        trained = 95 if k % 2 else 50  # against a 90% target: green or red
        ret = services.training_return_start(actor=None, agency=agency, quarter=world.quarters[0])
        lines = (("GPs", "Level 3"), ("Practice nurses", "Level 2"), ("Practice nurses", "Level 3"))
        fill(ret, dict.fromkeys(lines, (100, trained, "" if k % 2 else "Two trainers left.")))
        services.training_return_transition(actor=world.manager, ret=ret, action="submit")
    return reverse("training:compliance")


def courses(world, n: int) -> str:
    from training.models import Course, CourseFormat

    Course.objects.bulk_create(
        Course(partnership=world.partnership, title=f"Course {k:02d}", duration_hours=2, capacity=20,
               format=CourseFormat.CONFERENCE if k % 3 == 0 else CourseFormat.CLASSROOM) for k in range(n))
    return reverse("training:programme")  # the manager sees courses not yet run too


def bookings(world, n: int) -> str:
    from training.models import Booking, BookingStatus, Course, CourseFormat, Session

    course = Course.objects.create(partnership=world.partnership, title="Annual safeguarding conference",
                                   format=CourseFormat.CONFERENCE, duration_hours=6, capacity=300)
    session = Session.objects.create(course=course, starts_on=TODAY() - dt.timedelta(days=7), places=300,
                                     venue="Civic centre")
    Booking.objects.bulk_create(
        Booking(session=session, agency=world.agency_a, attendee_name=f"Person {k:02d}",
                status=BookingStatus.NO_SHOW if k % 6 == 0 else BookingStatus.ATTENDED) for k in range(n))
    return reverse("training:session_detail", args=[session.pk])


# ------------------------------------------------------------------ the lists


@dataclass
class Case:
    name: str
    persona: str
    build: Callable
    nouns: str
    # (query, how many rows it leaves, of the 60 built), each a filter the list offers
    narrows: list[tuple[dict, int]] = field(default_factory=list)
    rows: int = 60
    params: dict = field(default_factory=dict)  # sent with every request (the page's own choices)
    queries: int = 0  # pinned: the page's queries with any number of rows, the second factor's excluded


def _agency_b(world) -> dict:
    return {"agency": world.agency_b.pk}


# The pins are the pages' whole count as measured (session and user included, the second factor's
# query excluded): each the same with 3 rows as with 60. A change is a change in how the page reads.
CASES = [
    Case("review_list", "manager", reviews, "reviews", queries=10,
         narrows=[({"status": "closed"}, 20), ({"q": "Review 1"}, 10), (_agency_b, 5)]),
    Case("overdue", "pci", agencies_with_actions, "agencies", queries=8,
         narrows=[({"q": "Agency 1"}, 10), ({"status": "overdue"}, 60)]),
    Case("agency_overdue", "pci", overdue_actions, "overdue actions", queries=10,
         narrows=[({"status": "not_started"}, 30), ({"q": "hospital 1"}, 10)]),
    Case("indicator_list", "manager", indicators, "indicators", queries=10,
         narrows=[({"kind": "training"}, 30), ({"status": "ended"}, 12), ({"q": "IND-1"}, 10)]),
    Case("quarter_list", "manager", quarters, "quarters", queries=10,
         narrows=[({"status": "open"}, 4), ({"q": "2003/04"}, 4)]),
    Case("completeness", "pci", completeness, "agencies", queries=10,
         narrows=[({"q": "Agency 1"}, 10), ({"status": "draft"}, 0), ({"kind": "historical"}, 0)]),
    Case("notifications", "submitter_a", notifications, "notifications", queries=9,
         narrows=[({"status": "new"}, 15), ({"q": "Return 1"}, 10)]),
    Case("course_sessions", "manager", sessions, "sessions", queries=10,
         narrows=[({"status": "planned"}, 1), ({"q": "Town"}, 30)]),
    Case("pci_list", "pci", pci_packs, "packs", queries=11,
         narrows=[({"status": "failed"}, 12), ({"kind": "2023"}, 32)]),
    Case("meetings", "manager", meetings, "meetings", queries=17,
         narrows=[({"q": "item 1"}, 10)]),
    Case("report_builds", "manager", report_builds, "builds", queries=23),
    Case("courses", "manager", courses, "courses", queries=18,
         narrows=[({"kind": "conference"}, 20), ({"q": "Course 1"}, 10)]),
    Case("bookings", "manager", bookings, "bookings", queries=10,
         narrows=[({"status": "no_show"}, 10), ({"q": "Person 1"}, 10)]),
    Case("compliance", "manager", compliance, "agencies", queries=14, params={"year": "2024/25"},
         narrows=[({"status": "red"}, 30), ({"q": "practice 1"}, 10)]),
]


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        page = text(client.get(url))
    return len(ctx.captured_queries), page


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_long_list_pages_at_50_and_filters(case, world, as_user):
    url = case.build(world, case.rows)
    client = as_user(getattr(world, case.persona))
    get = lambda extra=None: text(client.get(url, {**case.params, **(extra or {})}))  # noqa: E731
    first = get()
    if case.name != "report_builds":  # the report page shows its builds' pages, without a filter
        assert f"{case.rows} {case.nouns}, page 1 of 2" in first, case.name
    assert 'rel="next"' in first
    second = get({"page": 2})
    assert 'rel="prev"' in second and "Page 2 of 2" in second
    # A bogus page is the nearest page; bogus filter values are ignored: never an error page.
    assert "Page 2 of 2" in get({"page": 99})
    assert "Page 1 of 2" in get({"page": "abc", "status": "nonsense", "kind": "x", "agency": "x", "quarter": "x",
                                 "q": "x" * 500})
    for query, rows in case.narrows:
        query = query(world) if callable(query) else query
        page = get(query)
        noun = case.nouns if rows != 1 else case.nouns.removesuffix("s").replace("agencie", "agency")
        assert f"{rows} {noun}" in page, (case.name, query, rows)


@pytest.mark.parametrize("size", [3, 60])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_long_list_query_count_is_pinned(case, size, world, as_user):
    """The same pinned number of queries with 3 rows and with 60 (the page is 50, counted once)."""
    person = getattr(world, case.persona)
    client = as_user(person)
    url = case.build(world, size)
    if case.params:
        url = f"{url}?{urlencode(case.params)}"
    client.get(url)  # the first request of a session may set it up
    queries, _ = _count(client, url)
    assert queries == case.queries + second_factor_queries(person), f"{case.name} with {size} rows"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_filter_choices_name_only_what_the_viewer_may_see(case, world, as_user):
    """A filter never offers another partnership's agency, nor to an agency's submitter another
    agency of the partnership (issue 16.6: choices scoped like the list)."""
    import re

    url = case.build(world, 3)
    for persona in ("submitter_a", "designated", "pci", "manager"):
        response = as_user(getattr(world, persona)).get(url)
        if response.status_code != 200:
            continue
        options = re.findall(r"<option[^>]*>([^<]*)</option>", unescape(response.content.decode()))
        assert world.other_agency.name not in options, (case.name, persona)
        assert world.other_partnership.name not in options, (case.name, persona)
        if persona == "submitter_a":
            assert world.agency_b.name not in options, (case.name, persona)


def test_exceptions_page_pages_at_50_in_the_chosen_order(world, as_user):
    """The exceptions for the meeting (issue 16.6): 64 red figures show 50 a page, in the order
    chosen, and the export still holds every one."""
    from decimal import Decimal

    from datasets.models import ReturnValue

    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 14)]
    data = make_dataset(world.partnership, agencies, indicators=6, quarters=2)
    last = ReturnValue.objects.filter(ret__quarter=data.last)
    last.filter(indicator__unit="percentage").update(value=Decimal(10), numerator=Decimal(10),
                                                     denominator=Decimal(100))
    last.filter(indicator__unit="days").update(value=Decimal(60))  # lower is better; the target is 20
    client = as_user(world.pci)
    url = reverse("dashboards:exceptions")
    first = text(client.get(url, {"quarter": data.last.label, "sort": "agency"}))
    count = int(first.split(" exceptions in ")[0].rsplit(">", 1)[1])
    assert count >= 64 and f"page 1 of {-(-count // 50)}" in first
    body = '<tr class="govuk-table__row">'  # the head's row is one more
    assert first.count(body) == 50 + 1
    second = text(client.get(url, {"quarter": data.last.label, "sort": "agency", "page": 2}))
    assert second.count(body) == count - 50 + 1
    assert "Agency 13" in second and "Agency 00" not in second, "page 2 goes on in the chosen order"
    export = client.get(reverse("dashboards:exceptions_export", args=["csv"]), {"quarter": data.last.label})
    assert export.content.decode().count("\n") == count + 1
