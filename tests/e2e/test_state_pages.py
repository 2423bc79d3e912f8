"""Pages the every-page walk (``test_every_page.py``) cannot reach by a plain GET, held to the same
bar (issue 16.7/16.8): nothing scrolls sideways at 375 px, and axe-core with all its rules plus
``target-size`` finds nothing, at 1280 and 375 px (``conftest.narrow_and_axe_problems``).

- what an upload shows after its POST, refused rows and the preview: the historical, training
  attendance, people and recommendations uploads;
- confirmation pages in their other state: reopening a closed quarter, approving the report and
  returning it to draft;
- signed-out pages and refusals: sign-in with an error, the password reset refused over its limit
  (429), an expired reset link, the 404, 403 and 400 pages;
- the two-step code page between password and code, and the page for a person with no partnership.

Failures are gathered and reported together, as the walk does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

from .conftest import checked_page, narrow_and_axe_problems, pass_second_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD = "agency,quarter,code,value\nTestshire Hospitals NHS Trust,2021/22-Q1,H-REF,4\n"
REFUSED = ("agency,quarter,code,value\nTestshire Hospitals NHS Trust,2021/22-Q1,H-NOPE,4\n"
           "Nobody Trust,2021/22-Q2,H-REF,5\n")


def _submit(page, button: str) -> None:
    """Press ``button`` and wait for the page its form posts to. A bare click returns before the
    answer arrives, and ``wait_for_load_state`` straight after it can see the page being left,
    already loaded; CI read the sign-in page before its refusal once that way."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _upload(page, tmp_path, text: str, url: str | None = None) -> None:
    """Post ``text`` as a CSV on an upload page (the historical upload, with its source, unless
    ``url`` names another) and wait for what it answers: refused rows, or the preview."""
    path = tmp_path / "upload.csv"
    path.write_text(text)
    page.goto(url or reverse("datasets:historical_upload"))
    if url is None:
        page.get_by_label("Where these figures come from").fill("PCI dataset workbook 2021/22")
    page.set_input_files("input[type=file]", str(path))
    _submit(page, "Check the file")


def test_pages_reached_by_a_post_or_a_state_fit_375_and_pass_axe(browser, live_server, world, axe_source, tmp_path):
    from datasets import services as datasets
    from partners.models import Role
    from tests.datasets.conftest import make_catalogue
    from tests.factories import UserFactory
    from tests.reports.factories import YEAR, annual_report

    cat = make_catalogue(world)
    annual_report(world)
    datasets.quarter_close(actor=world.manager, quarter=cat.previous)
    from decimal import Decimal

    from reviews import services as reviews
    from training import services as training

    course = training.course_create(actor=world.manager, partnership=world.partnership, title="Neglect",
                                    format="classroom", duration_hours=Decimal(3), capacity=30)
    session_day = dt.date(2024, 5, 14)
    training.session_create(actor=world.manager, course=course, starts_on=session_day, venue="Town hall")
    review = reviews.review_create(actor=world.manager, partnership=world.partnership, review_type="cspr",
                                   title="Child K", started_on=dt.date(2024, 4, 1))
    problems: list[str] = []
    seen: list[str] = []

    def check(page, label: str, *, text: str = "") -> None:
        seen.append(label)
        page.wait_for_load_state()
        if text and text not in page.content():
            problems.append(f"{label}: the page does not say ‘{text}’ ({page.url})")
        problems.extend(narrow_and_axe_problems(page, label))

    # Signed out.
    with checked_page(browser, live_server, axe_source) as page:
        page.goto("/account/sign-in/")
        page.get_by_label("Email address").fill(world.pci.email)
        page.get_by_label("Password").fill("not-the-password")
        _submit(page, "Sign in")
        check(page, "sign-in refused", text="govuk-error-summary")
        for _ in range(4):  # the fourth is over the limit of 3 an hour for one address
            page.goto("/account/password-reset/")
            page.get_by_label("Email address").fill("someone@example.org")
            _submit(page, "Send the link")
        check(page, "password reset refused (429)", text="the limit")
        page.goto("/account/password-reset/Mg/expired-token/")
        check(page, "expired reset link")
        response = page.goto("/no-such-page/")
        assert response.status == 404
        check(page, "404")
        response = page.goto("/account/sign-in/?next=%00")
        assert response.status == 400
        check(page, "400")

    # The manager: the code page, the historical upload after its POST, confirmation states.
    with checked_page(browser, live_server, axe_source) as page:
        from tests.conftest import authenticator_for

        authenticator_for(world.manager)
        page.goto("/account/sign-in/")
        page.get_by_label("Email address").fill(world.manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account/two-step/**")
        check(page, "two-step code page")
        pass_second_step(page, world.manager)
        _upload(page, tmp_path, REFUSED)
        check(page, "historical upload, rows refused", text="Nobody Trust")
        _upload(page, tmp_path, GOOD)
        check(page, "historical upload, preview", text="Save these changes")
        attendance = reverse("training:attendance_upload")
        _upload(page, tmp_path, "course,session date,agency,attended\nNo such course,14/05/2024,Testshire Council "
                                "Children's Social Care,4\n", attendance)
        check(page, "attendance upload, rows refused", text="There is no course called")
        _upload(page, tmp_path, f"course,session date,agency,attended\nNeglect,{session_day:%d/%m/%Y},"
                                "Testshire Council Children's Social Care,4\n", attendance)
        check(page, "attendance upload, preview", text="Save these changes")
        people = reverse("partners:people_upload")
        _upload(page, tmp_path, "name,email,role\nRay Refused,not-an-address,pci member\n", people)
        check(page, "people upload, rows refused", text="not-an-address")
        _upload(page, tmp_path, "name,email,role,agencies\nNew Nurse,new.nurse@icb.example,agency submitter,"
                                "Testshire Hospitals NHS Trust\n", people)
        check(page, "people upload, preview", text="Save these changes")
        recommendations = reverse("reviews:recommendation_upload", kwargs={"pk": review.pk})
        _upload(page, tmp_path, "number,text,addressed to\n1.1,Revise the protocol,Nobody Trust\n", recommendations)
        check(page, "recommendations upload, rows refused", text="Nobody Trust")
        _upload(page, tmp_path, "number,text,addressed to\n1.1,Revise the protocol,the partnership\n", recommendations)
        check(page, "recommendations upload, preview", text="Save these changes")
        page.goto(reverse("datasets:quarter_close", kwargs={"pk": cat.previous.pk}))
        check(page, "reopen a closed quarter", text=f"Reopen {cat.previous.label}")
        transition = reverse("reports:report_transition", kwargs={"year": YEAR})
        page.goto(transition + "?action=approve")
        check(page, "report approve confirmation", text='name="action"')
        # The report is a draft: returning it to draft or publishing it says why not, with no button.
        for action in ("draft", "publish"):
            page.goto(transition + f"?action={action}")
            check(page, f"report {action} confirmation, not possible yet", text="You cannot do this yet")

    # Refused by role; and a person who belongs to no partnership.
    with checked_page(browser, live_server, axe_source, world.submitter_b) as page:
        response = page.goto("/people/")
        assert response.status == 403
        check(page, "403")
    nobody = UserFactory(email="nobody@example.org", partnership=None, role=Role.PCI_MEMBER)
    with checked_page(browser, live_server, axe_source, nobody) as page:
        page.goto(reverse("partners:partnership_start"))
        check(page, "no partnership yet")

    assert len(seen) == 20  # the report publish page that cannot publish yet joined the approve and draft pages
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
