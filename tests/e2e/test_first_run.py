"""Issue 12.1 in a real browser: a partnership starts from an empty database.

``create_partnership`` -> the emailed set-password link -> sign in -> agencies and people
uploaded from spreadsheets (preview, then save), the board and its seats (six that are not agencies)
-> every page on the manager's menu answers 200.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from django.core import mail
from django.core.management import call_command

from partners.models import Agency, Seat, User
from partners.setup_uploads import AGENCY_COLUMNS, PEOPLE_COLUMNS, SEAT_COLUMNS
from safeguarding.exports import xlsx_bytes

from .conftest import pass_second_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Northshire-first-run-2026"
LINK = re.compile(r"https?://[^/\s]+(/account/password-reset/\S+/)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(name: str, sheet: str, columns: list[str], rows: list[list]) -> dict:
    return {"name": name, "mimeType": XLSX, "buffer": xlsx_bytes({sheet: pd.DataFrame(rows, columns=columns)})}


def _upload(page, path: str, file: dict, assert_accessible) -> None:
    page.goto(path)
    page.set_input_files('input[type="file"]', files=[file])
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check the changes before saving").wait_for()
    assert_accessible(page, f"{path} preview")
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_url(lambda url: "/upload/" not in url)
    assert "Saved:" in page.locator(".govuk-notification-banner, .govuk-panel, body").first.inner_text()


def test_first_run_from_the_command_to_every_menu_page(page, assert_accessible):
    mail.outbox.clear()
    call_command("create_partnership", name="Northshire Safeguarding Children Partnership",
                 manager_email="jo.bloggs@northshire.example", manager_name="Jo Bloggs")
    link = LINK.search(mail.outbox[-1].body).group(1)

    # The emailed link: choose a password, then sign in.
    page.goto(link)
    page.fill('input[name="new_password1"]', PASSWORD)
    page.fill('input[name="new_password2"]', PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill("jo.bloggs@northshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/sign-in/" not in url)
    # A business manager sets up two-step sign-in at their first sign-in (issue 11.6).
    assert "/account/two-step/set-up/" in page.url
    pass_second_step(page, User.objects.get(email="jo.bloggs@northshire.example"))
    assert page.locator("h1").count() == 1

    # Agencies, one replacing another (a later row), then people who submit for them.
    _upload(page, "/agencies/upload/", _file("agencies.xlsx", "Agencies", AGENCY_COLUMNS, [
        ["NHS Northshire CCG", "Health commissioner (ICB)", "Statutory partner", "", "NCCG", "2013-04-01",
         "2022-06-30", "NHS Northshire ICB"],
        ["NHS Northshire ICB", "Health commissioner (ICB)", "Statutory partner", "", "", "2022-07-01", "", ""],
        ["Northshire Council Children's Services", "Local authority children's social care", "Statutory partner",
         "", "NCS", "2019-09-29", "", ""],
        ["Northshire Police", "Police", "Statutory partner", "", "", "2019-09-29", "", ""],
        ["Northshire Hospitals NHS Trust", "Acute hospital trust", "Relevant agency", "", "NHT", "2019-09-29", "",
         ""],
    ]), assert_accessible)
    assert Agency.objects.get(name="NHS Northshire CCG").replaced_by.name == "NHS Northshire ICB"
    _upload(page, "/people/upload/", _file("people.xlsx", "People", PEOPLE_COLUMNS, [
        ["Nina Nurse", "nina@nht.example", "Agency submitter", "NHT", "Named nurse"],
        ["Carl Commissioner", "carl@icb.example", "Agency submitter", "NCCG", ""],  # the CCG's old name
        ["Pat Reader", "pat@northshire.example", "PCI subgroup member", "", ""],
    ]), assert_accessible)
    assert User.objects.get(email="carl@icb.example").agencies.get().name == "NHS Northshire ICB"

    # The board, then its seats: six that are not agencies and two that are.
    page.goto("/subgroups/new/")
    page.get_by_label("Name", exact=True).fill("Northshire Partnership Board")
    page.get_by_label("This is the partnership board").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/subgroups/new/" not in url)
    board = "Northshire Partnership Board"
    _upload(page, "/subgroups/seats/upload/", _file("seats.xlsx", "Seats", SEAT_COLUMNS, [
        [board, "", "Independent chair", "Margaret Ellis"], [board, "", "Independent scrutineer", ""],
        [board, "", "Lay member", "Joan"], [board, "", "Lay member", "Imran"],
        [board, "", "School or college representative", "Primary"], [board, "", "Designated doctor", ""],
        [board, "NCS", "", ""], [board, "NCCG", "", ""],  # the CCG's old name means the ICB now
    ]), assert_accessible)
    assert Seat.objects.filter(agency__isnull=True).count() == 6
    assert Agency.objects.count() == 5  # no role became an agency

    # Every page on the manager's menu answers 200 and passes axe.
    menu = page.locator('nav[aria-label="Menu"] a')
    hrefs = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
    assert "/agencies/" in hrefs and "/people/" in hrefs
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, f"{href} answered {response.status}"
        assert_accessible(page, href)


def test_seat_settings_and_no_partnership_pages_fit_a_phone_and_pass_axe(browser, live_server, world,
                                                                        assert_accessible):
    from partners.governance import services as governance
    from tests.conftest import PASSWORD as WORLD_PASSWORD

    from .conftest import sign_in

    seat = governance.seat_create(actor=None, subgroup=world.subgroup, role="Independent chair",
                                  holder="Margaret Ellis")
    operator = User.objects.create_superuser("operator@platform.example", WORLD_PASSWORD, full_name="Op")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, world.manager)
        for path in [f"/subgroups/{world.subgroup.slug}/", f"/subgroups/{world.subgroup.slug}/seats/new/",
                     f"/subgroups/{world.subgroup.slug}/seats/{seat.pk}/", "/governance/meetings/new/",
                     f"/governance/meetings/new/?subgroup={world.subgroup.pk}", "/governance/attendance-target/",
                     "/agencies/upload/", "/people/upload/", "/subgroups/seats/upload/"]:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls"
            assert_accessible(page, path)
        context.clear_cookies()
        sign_in(page, operator, WORLD_PASSWORD)
        response = page.goto("/")
        assert page.url.endswith("/start/") and response.status == 200
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page, "/start/")
    finally:
        context.close()
