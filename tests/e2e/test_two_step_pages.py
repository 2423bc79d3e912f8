"""Two-step sign-in in a real browser (issue 11.6): set-up with the QR code, the code step, the
recovery codes; axe finds nothing, the CSP blocks nothing, and nothing scrolls sideways at 375 px."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.two_factor import current_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_manager_sets_up_an_app_then_signs_in_with_a_code(page, world, assert_accessible):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(world.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-step/set-up/")
    assert page.locator(".portal-qr svg").count() == 1
    assert_accessible(page, "two-step set-up")
    assert _no_sideways_scroll(page)
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.locator("h2").first.inner_text() == "Save your recovery codes"
    assert page.locator(".portal-recovery-codes li").count() == 10
    assert_accessible(page, "recovery codes")
    assert _no_sideways_scroll(page)
    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/sign-in/")

    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.get_by_label("Email address").fill(world.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-step/")
    page.get_by_role("button", name="Continue").click()
    assert "Enter the code" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "code step with an error")
    assert _no_sideways_scroll(page)
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/account/two-step/" not in url)
    assert page.get_by_role("button", name="Sign out").count() == 1
