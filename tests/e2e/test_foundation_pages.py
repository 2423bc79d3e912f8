"""Every page of the foundation, in a real browser, as each role: it works and axe finds nothing."""

import pytest

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVERYONE = ["/", "/agencies/", "/agencies/council/", "/subgroups/", "/subgroups/pci/"]
MANAGER = ["/agencies/new/", "/agencies/council/edit/", "/subgroups/new/", "/subgroups/pci/edit/",
           "/people/", "/people/new/", "/audit/"]


def test_signed_out_pages_are_accessible(page, assert_accessible):
    for path in ["/account/sign-in/", "/account/password-reset/", "/account/password-reset/sent/",
                 "/no-such-page/"]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page, path)


def test_wrong_password_shows_the_error_summary(page, world, assert_accessible):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(world.manager.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page, "sign-in with an error")


@pytest.mark.parametrize("persona", ["submitter_a", "designated", "pci", "manager"])
def test_every_page_for_each_role(persona, page, world, assert_accessible):
    person = getattr(world, persona)
    sign_in(page, person)
    paths = EVERYONE + (MANAGER if person.is_manager else [])
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{persona} {path} answered {response.status}"
        assert_accessible(page, f"{persona} {path}")


def test_manager_adds_an_agency_with_an_error_first(page, world, assert_accessible):
    sign_in(page, world.manager)
    page.goto("/agencies/new/")
    page.get_by_role("button", name="Save").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "agency form with errors")
    page.get_by_label("Name", exact=True).fill("Testshire Youth Justice Service")
    page.get_by_label("Type of agency").select_option("youth_justice")
    page.get_by_label("Relevant agency").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator("h1").inner_text() == "Testshire Youth Justice Service"
    assert "has been added" in page.locator(".govuk-notification-banner").inner_text()


def test_sign_out(page, world):
    sign_in(page, world.pci)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/sign-in/")
    page.goto("/")
    assert "/account/sign-in/" in page.url
