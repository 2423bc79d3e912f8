"""Training (15.2) and budget (15.3) chapters as these reports publish them, and their figures
reconciled with the selectors the portal's own pages use (15.11)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils.html import escape

from partners.governance import selectors as governance_selectors
from partners.governance import services as governance
from reports import content, pdf
from reports.wording import count_noun
from safeguarding.errors import DomainError
from training import selectors as training_selectors
from training import services as training
from training.models import AgencyAttendance

from .factories import YEAR, annual_report

pytestmark = pytest.mark.django_db


def _chapter(world, key: str) -> str:
    doc = content.gather_annual(partnership=world.partnership, year_start=YEAR, report=annual_report(world))
    content.draw_charts(doc)
    html = pdf.render_html(doc)
    start = html.index(f'id="chapter-{key}"')
    end = html.find('<section class="chapter', start + 10)
    return html[start:end if end > 0 else len(html)]


def _cells(html: str, row_header: str) -> list[str]:
    """The cells of the table row whose header is ``row_header``, as text."""
    match = re.search(r'<th scope="row">' + re.escape(escape(row_header)) + r"</th>(.*?)</tr>", html, re.S)
    assert match, f"no row {row_header!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


# ---------------------------------------------------------------- plurals


@pytest.mark.parametrize(("n", "singular", "plural", "expected"), [
    (1, "course", None, "1 course"), (0, "course", None, "0 courses"), (2, "session", None, "2 sessions"),
    (1, "person", "people", "1 person"), (1250, "person", "people", "1,250 people"), (None, "answer", None,
                                                                                      "no answers"),
])
def test_counts_take_the_right_plural(n, singular, plural, expected):
    assert count_noun(n, singular, plural) == expected


@pytest.fixture
def programme(world):
    m, p = world.manager, world.partnership
    classroom = training.course_create(actor=m, partnership=p, title="Neglect in practice", format="classroom",
                                       duration_hours=Decimal("3"), capacity=20)
    online = training.course_create(actor=m, partnership=p, title="Introduction to safeguarding",
                                    format="e_learning", duration_hours=Decimal("1"), capacity=500)
    hall = {"places": 20, "venue": "Town hall"}
    this_year = training.session_create(actor=m, course=classroom, starts_on=dt.date(2024, 10, 3), **hall)
    last_year = training.session_create(actor=m, course=classroom, starts_on=dt.date(2023, 10, 3), **hall)
    e_session = training.session_create(actor=m, course=online, starts_on=dt.date(2024, 6, 1), places=500, online=True)
    AgencyAttendance.objects.create(session=this_year, agency=world.agency_a, attended=12, no_shows=2,
                                    late_cancellations=1)
    AgencyAttendance.objects.create(session=this_year, agency=world.agency_b, attended=5, no_shows=0)
    AgencyAttendance.objects.create(session=last_year, agency=world.agency_a, attended=9, no_shows=1)
    AgencyAttendance.objects.create(session=e_session, agency=world.agency_b, attended=300)
    training.evaluation_set(actor=m, session=this_year, stage="immediate",
                            counts={"excellent": "8", "good": "6", "satisfactory": "1"})
    training.evaluation_set(actor=m, session=this_year, stage="follow_up",
                            counts={"significantly": "3", "somewhat": "2"}, invited=10)
    return {"classroom": this_year}


def test_training_by_format_with_last_year_and_computed_totals(world, programme):
    html = _chapter(world, "training")
    # Formats are never added together silently: e-learning has its own row.
    assert _cells(html, "Classroom") == ["1", "20", "17", "2", "1", "1", "9"]
    assert _cells(html, "E-learning") == ["1", "300", "300", "0", "0", "0", "0"]
    assert _cells(html, "All formats") == ["2", "320", "317", "2", "1", "1", "9"]
    assert "2 courses ran 2 sessions; 317 people attended 520 places" in html
    # Evaluation counts and shares; the follow-up rate is out of the 10 invited, not the 317 attended.
    assert "Immediate evaluation: 15 answers (4.7% of attendees)" in html
    assert "5 answers (50.0% of the 10 people invited)" in html
    assert _cells(html, "Excellent") == ["8", "53.3%"]


def test_share_totals_are_added_up_from_the_rows_never_typed(world, programme):
    """15.2: "Totals and subtotals computed, never typed": the share columns' totals are the rows'
    shares added up and printed by the one formatter ("100.0%"), not a typed "100%"."""
    html = _chapter(world, "training")
    assert ">100%<" not in html
    # Attendance by audience: 12 and 305 of 317 attendees, 3.8% + 96.2%.
    assert _cells(html, "Total")[5] == "100.0%"
    all_answers = re.findall(r'<th scope="row">All answers</th>(.*?)</tr>', html, re.S)
    assert [re.findall(r'<td class="num">(.*?)</td>', row) for row in all_answers] == [["15", "100.0%"],
                                                                                        ["5", "100.0%"]]


def test_a_share_total_shows_its_rounding_because_it_is_added_up(world, programme):
    # Three answers of one each: 33.3% three times adds up to 99.9%, as the rows print.
    training.evaluation_set(actor=world.manager, session=programme["classroom"], stage="immediate",
                            counts={"excellent": "1", "good": "1", "satisfactory": "1"})
    html = _chapter(world, "training")
    assert _cells(html, "Excellent") == ["1", "33.3%"]
    first = re.search(r'<th scope="row">All answers</th>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', first) == ["3", "99.9%"]


def test_one_course_one_session_reads_in_the_singular(world):
    m = world.manager
    course = training.course_create(actor=m, partnership=world.partnership, title="Briefing", format="briefing",
                                    duration_hours=Decimal("1"), capacity=30)
    session = training.session_create(actor=m, course=course, starts_on=dt.date(2024, 5, 1), places=1, online=True)
    AgencyAttendance.objects.create(session=session, agency=world.agency_a, attended=1)
    html = _chapter(world, "training")
    assert "1 course ran 1 session; 1 person attended 1 place" in html


def test_more_answers_than_people_invited_is_refused(world, programme):
    with pytest.raises(DomainError, match="7 answers were recorded but only 5 people were invited"):
        training.evaluation_set(actor=world.manager, session=programme["classroom"], stage="follow_up",
                                counts={"significantly": "7"}, invited=5)


def test_training_tables_reconcile_with_the_programme_selectors(world, programme):
    """15.11: every attendance figure in the report's tables is the selectors' figure."""
    html = _chapter(world, "training")
    for row in training_selectors.programme_attendance_by_audience(partnership_id=world.partnership.pk,
                                                                  year_start=YEAR):
        cells = _cells(html, row.agency)
        assert cells[:4] == [str(row.tally.booked), str(row.tally.attended), str(row.tally.no_shows),
                             str(row.tally.late_cancellations)]
    totals = training_selectors.programme_totals(training_selectors.course_summary(
        partnership_id=world.partnership.pk, year_start=YEAR))
    assert _cells(html, "All courses")[1:3] == [str(totals["sessions"]), str(totals["tally"].attended)]


# ---------------------------------------------------------------- budget


@pytest.fixture
def budget(world):
    for year, uplift in ((YEAR - 1, Decimal("1")), (YEAR, Decimal("2"))):
        b = governance.budget_ensure(actor=None, partnership=world.partnership, year_start=year)
        b = governance.budget_update(actor=None, budget=b, version=b.updated_at.isoformat(),
                                     reserves_used=Decimal("1000") * uplift,
                                     contributions={world.agency_b: (Decimal("50000") * uplift, Decimal("0")),
                                                    world.agency_a: (Decimal("0"), Decimal("0"),
                                                                     "Rooms for the conference")})
        governance.budget_line_add(actor=None, budget=b, category="staffing", amount=Decimal("30000") * uplift,
                                   description="Business unit team")
        governance.budget_line_add(actor=None, budget=b, category="independent_chair", amount=Decimal("0"),
                                   description="Chair (paid by the council this year)")
        governance.budget_line_add(actor=None, budget=b, category="training",
                                   amount=Decimal("5000") * uplift)
    return b


def test_budget_lines_as_named_both_years_zero_lines_out_in_kind_not_valued(world, budget):
    html = _chapter(world, "finance")
    assert _cells(html, "Business unit team") == ["£60,000", "£30,000"]
    assert _cells(html, "Training") == ["£10,000", "£5,000"]  # no name given: the category's
    assert "Chair (paid by the council" not in html  # zero in both years: left out
    assert "Grants" not in html and "£0" not in _cells(html, "Total expenditure")
    assert _cells(html, "Total expenditure") == ["£70,000", "£35,000"]
    assert _cells(html, "Reserves used") == ["£2,000", "£1,000"]
    assert _cells(html, "Balance (income and reserves used, less expenditure)") == ["£32,000", "£16,000"]
    hospital = _cells(html, world.agency_a.name)
    assert hospital[1] == "Not valued" and "Rooms for the conference" in html
    # The chart's table names its rows as budget lines, not agencies.
    assert "<th scope=\"col\">Budget line</th>" in html or "Expenditure by budget line" not in html


def test_budget_totals_reconcile_with_the_governance_selector(world, budget):
    html = _chapter(world, "finance")
    summary = governance_selectors.budget_summary(partnership_id=world.partnership.pk, year_start=YEAR)
    from reports.templatetags.reports_tags import money

    assert _cells(html, "Total income")[0] == money(summary["income_total"])
    assert _cells(html, "Total expenditure")[0] == money(summary["expenditure_total"])
    assert _cells(html, "Total")[:3] == [money(summary["cash_total"]), money(summary["in_kind_total"]),
                                         money(summary["contributions_total"])]
