"""Learning from reviews as it stood at the end of the year (issue 15.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import content, pdf
from reviews import services as review_services
from reviews.models import ActionStatus
from reviews.selectors import actions_as_at
from safeguarding.errors import DomainError
from tests.reviews.conftest import make_action, make_review

from .factories import YEAR, annual_report

pytestmark = pytest.mark.django_db


def _chapter_html(world, year: int) -> str:
    doc = content.gather_annual(partnership=world.partnership, year_start=year, report=annual_report(world, year))
    content.draw_charts(doc)
    html = pdf.render_html(doc)
    start = html.index('id="chapter-reviews"')
    return html[start:html.index('<section class="chapter', start)]


@pytest.fixture
def delivered(world, settings, tmp_path):
    """An action completed in February 2025 (year 2024/25) and assured in May 2025 (the next year)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    review = make_review(world, title="Child Q", notified_on=dt.date(2024, 5, 1))
    action = make_action(world, agency=world.agency_a, review=review, number="1",
                         start_on=dt.date(2024, 6, 1), due_on=dt.date(2025, 2, 28))
    owner = world.submitter_a
    review_services.action_post_progress(actor=owner, action=action, on=dt.date(2024, 7, 1), text="Started.",
                                         status=ActionStatus.IN_PROGRESS)
    review_services.action_post_progress(actor=owner, action=action, on=dt.date(2025, 2, 20),
                                         text="Delivered: new referral form in use.", status=ActionStatus.COMPLETED)
    review_services.action_post_progress(actor=owner, action=action, on=dt.date(2025, 4, 20),
                                         text="Re-audit presented to the committee.")
    review_services.action_assure(actor=world.pci, action=action, comment="Seen at PCI.", on=dt.date(2025, 5, 15),
                                  no_evidence_reason="Shown live at the meeting.")
    action.refresh_from_db()
    return action


def test_the_year_shows_an_action_as_it_stood_at_its_end_not_as_it_is_now(world, delivered):
    assert delivered.status == ActionStatus.ASSURED and delivered.assured_on == dt.date(2025, 5, 15)
    then = actions_as_at(action_ids=[delivered.pk], on=dt.date(2025, 3, 31))[delivered.pk]
    assert then.status == ActionStatus.COMPLETED and then.completed_on == dt.date(2025, 2, 20)
    assert then.assured_on is None and then.progress.text == "Delivered: new referral form in use."
    html = _chapter_html(world, YEAR)
    assert "Completed, awaiting assurance</strong>, completed 20 Feb 2025." in html
    assert "Delivered: new referral form in use." in html
    assert "Re-audit presented" not in html and "Assured</strong>" not in html
    assert "To: Testshire Hospitals NHS Trust" in html  # the addressees as written
    assert "Testshire Hospitals NHS Trust, due 28 Feb 2025" in html  # owner and due date
    assert "1 action at 31 March 2025: 0 assured, 1 completed and awaiting assurance" in html
    # The report is built after the year's end, and says so.
    assert "after the year's end" in html
    # The next year's report counts the assurance, on the day it was given.
    later = _chapter_html(world, YEAR + 1)
    assert "Assured</strong>, completed 20 Feb 2025, assured 15 May 2025." in later
    assert "Re-audit presented to the committee." in later


def test_an_action_not_started_by_the_year_end_shows_not_started(world):
    review = make_review(world, title="Child R", notified_on=dt.date(2024, 5, 1))
    action = make_action(world, agency=world.agency_a, review=review, number="1",
                         start_on=dt.date(2024, 6, 1), due_on=dt.date(2025, 2, 28))
    review_services.action_post_progress(actor=world.submitter_a, action=action, on=dt.date(2025, 4, 2),
                                         text="Started late.", status=ActionStatus.IN_PROGRESS)
    html = _chapter_html(world, YEAR)
    # Overdue at the year's end: judged against 31 March, with the status it had then.
    assert "Not started</strong>." in html and "Started late." not in html
    assert "1 overdue" in html


def test_assurance_carries_an_entered_date_never_after_today_nor_before_completion(world):
    action = make_action(world, agency=world.agency_a, start_on=dt.date(2024, 6, 1), due_on=dt.date(2025, 2, 28))
    review_services.action_post_progress(actor=world.submitter_a, action=action, on=dt.date(2025, 2, 20),
                                         text="Done.", status=ActionStatus.COMPLETED)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="cannot be after today") as error:
        review_services.action_assure(actor=world.pci, action=action, comment="OK", on=tomorrow,
                                      no_evidence_reason="Seen.")
    assert error.value.field == "on"
    with pytest.raises(DomainError, match=r"before the action was completed \(20 February 2025\)"):
        review_services.action_assure(actor=world.pci, action=action, comment="OK", on=dt.date(2025, 2, 1),
                                      no_evidence_reason="Seen.")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.assured_on is None
    assured = review_services.action_assure(actor=world.pci, action=action, comment="OK",
                                            no_evidence_reason="Seen.")
    assert assured.assured_on == timezone.localdate()  # blank: today


def test_completion_date_cannot_be_after_today(world):
    action = make_action(world, agency=world.agency_a, start_on=dt.date(2024, 6, 1), due_on=dt.date(2025, 2, 28))
    with pytest.raises(DomainError, match="cannot be after today"):
        review_services.action_set_status(actor=world.submitter_a, action=action, status=ActionStatus.COMPLETED,
                                          on=timezone.localdate() + dt.timedelta(days=3))
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert not action.status_changes.exclude(status__in=(ActionStatus.DRAFT, ActionStatus.NOT_STARTED)).exists()


def test_the_assure_page_takes_the_date_of_the_assurance(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    action = make_action(world, agency=world.agency_a, start_on=dt.date(2024, 6, 1), due_on=dt.date(2025, 2, 28))
    review_services.action_post_progress(actor=world.submitter_a, action=action, on=dt.date(2025, 2, 20),
                                         text="Done.", status=ActionStatus.COMPLETED)
    client = as_user(world.pci)
    url = reverse("reviews:action_assure", kwargs={"pk": action.pk})
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(url, {"comment": "Seen", "no_evidence_reason": "Live", "on": future})
    assert response.status_code == 200 and "cannot be after today" in response.content.decode()
    response = client.post(url, {"comment": "Seen", "no_evidence_reason": "Live", "on": "2025-03-10"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.assured_on == dt.date(2025, 3, 10)


def test_the_reviews_table_reconciles_with_the_register(world, delivered):
    """15.11: each review's action count in the report is the register's count (reviews.selectors.review_list)."""
    from reviews import selectors as rs
    from reviews.access import reviews_in_partnership

    html = _chapter_html(world, YEAR)
    for review in rs.review_list(reviews=reviews_in_partnership(world.partnership.pk)):
        noun = "action" if review.n_actions == 1 else "actions"
        assert f"{review.n_actions} {noun} at 31 March 2025" in html
        assert html.count("<tr><th scope=\"row\">") >= review.n_recommendations
