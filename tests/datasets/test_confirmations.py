"""Workflow pages (issue 16.5): closing a quarter, accepting a training return and publishing the
report each ask for confirmation on a page that says what will be locked; the GET changes nothing
and the POST does it. (Accepting and reopening a dataset return: tests/datasets/test_pages.py.)"""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_closing_a_quarter_says_what_it_locks(world, cat, as_user):
    client = as_user(world.manager)
    url = reverse("datasets:quarter_close", kwargs={"pk": cat.quarter.pk})
    page = text(client.get(url))
    assert f"No return for {cat.quarter.label} can be opened, changed, submitted or resubmitted." in page
    assert "0 accepted returns become final" in page
    cat.quarter.refresh_from_db()
    assert not cat.quarter.is_closed
    assert client.post(url).status_code == 302
    cat.quarter.refresh_from_db()
    assert cat.quarter.is_closed
    assert "can be opened, changed and submitted again" in text(client.get(url))
    assert as_user(world.pci).get(url).status_code == 403


def test_accepting_a_training_return_asks_first(world, as_user):
    from tests.training.routes import build

    build(world)
    ret = world.training_submitted_b
    url = reverse("training:return_action", kwargs={"pk": ret.pk, "action": "accept"})
    page = text(as_user(world.pci).get(url))
    assert "are locked: nobody can change them" in page and "Accept and lock the return" in page
    ret.refresh_from_db()
    assert ret.status == "submitted"
    as_user(world.pci).post(url, {"comment": ""})
    ret.refresh_from_db()
    assert ret.status == "accepted"
    reopen = reverse("training:return_action", kwargs={"pk": ret.pk, "action": "reopen"})
    assert "goes back to draft" in text(as_user(world.manager).get(reopen))


def test_publishing_the_report_asks_first(world, as_user):
    from reports.services import report_approve
    from tests.reports.factories import YEAR, annual_report, finished_build

    # Publishing is offered only once it can be done: the report approved and its PDF built (a
    # draft's page says why not, with no button: tests/reports/test_views.py).
    report = report_approve(actor=world.manager, report=annual_report(world))
    finished_build(world, report=report)
    url = reverse("reports:report_transition", kwargs={"year": YEAR})
    page = text(as_user(world.manager).get(url + "?action=publish"))
    assert "The latest PDF becomes the published report, and will never change." in page
    assert 'name="action" value="publish"' in page
    assert as_user(world.manager).get(url + "?action=nonsense").status_code == 302


# --- one handler (safeguarding.confirmation.confirm_then_act): refusals are treated alike --------

def test_a_refused_step_is_a_message_and_changes_nothing(world, as_user):
    from django.contrib.messages import get_messages

    from reports.models import AnnualReport
    from tests.reports.factories import YEAR, annual_report

    annual_report(world)
    url = reverse("reports:report_transition", kwargs={"year": YEAR})
    response = as_user(world.manager).post(url, {"action": "publish"})  # a draft cannot be published
    assert response.status_code == 302 and response.url == reverse("reports:report_detail", kwargs={"year": YEAR})
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert AnnualReport.objects.get().status == "draft"
    refused = as_user(world.manager).post(url, {"action": "nonsense"}, follow=True)
    assert "Choose approve, publish or return to draft." in text(refused)


def test_a_person_who_may_not_take_a_confirmed_step_gets_403_on_get_and_post(world, as_user):
    from tests.training.routes import build

    build(world)
    ret = world.training_submitted_b
    url = reverse("training:return_action", kwargs={"pk": ret.pk, "action": "accept"})
    assert as_user(world.submitter_b).get(url).status_code == 403
    assert as_user(world.submitter_b).post(url, {"comment": ""}).status_code == 403
    ret.refresh_from_db()
    assert ret.status == "submitted"


def test_a_comment_the_step_needs_is_asked_for_on_the_page_again(world, cat, as_user):
    from datasets import services

    ret, _ = services.return_get_or_create(actor=world.submitter_a, agency=world.agency_a, quarter=cat.quarter)
    url = reverse("datasets:return_query", kwargs={"pk": ret.pk})
    response = as_user(world.manager).post(url, {"comment": ""})
    assert response.status_code == 200 and "govuk-error-summary" in text(response)
