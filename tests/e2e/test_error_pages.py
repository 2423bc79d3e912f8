"""The error pages the other walks cannot reach, at 375 px and with axe's full rule set
(issue 16.7/16.8): the server error (500), the database briefly unreachable (503), a form sent
without its security cookie (403 CSRF) and a file over the size limit (413). The 400, 403, 404 and
429 pages are in ``test_state_pages.py``. The 500 and 503 pages are drawn without the request
(the context processors would need the database), so they are checked for the scroll, the font
and axe like any other page."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from .conftest import checked_page, narrow_and_axe_problems, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_server_database_csrf_and_size_error_pages_fit_375_and_pass_axe(browser, live_server, world, axe_source,
                                                                         monkeypatch, settings, tmp_path):
    from reports import selectors

    problems: list[str] = []
    with checked_page(browser, live_server, axe_source) as page:
        # A form whose security cookie has gone (an old tab, a cleared browser): 403 with the reason.
        page.goto("/account/sign-in/")
        page.context.clear_cookies()
        page.get_by_label("Email address").fill(world.pci.email)
        page.get_by_label("Password").fill("anything")
        with page.expect_navigation() as sent:
            page.get_by_role("button", name="Sign in").click()
        assert sent.value.status == 403, sent.value.status
        problems += narrow_and_axe_problems(page, "403 CSRF")

        sign_in(page, world.manager)

        def broken(**kwargs):
            raise RuntimeError("a fault in the code")

        def database_down(**kwargs):
            raise OperationalError("could not connect to server")

        for label, fault, status in (("500", broken, 500), ("503", database_down, 503)):
            monkeypatch.setattr(selectors, "report_list", fault)
            response = page.goto("/reports/")
            assert response.status == status, f"{label}: {response.status}"
            problems += narrow_and_axe_problems(page, label)
        monkeypatch.undo()

        # A file over the limit: the size is refused before the body is read (413).
        settings.REQUEST_MAX_BYTES = 4096
        big = tmp_path / "too-big.csv"
        big.write_text("agency,quarter,code,value\n" + "x" * 8192)
        page.goto("/people/upload/")
        page.set_input_files("input[type=file]", str(big))
        with page.expect_navigation() as sent:
            page.get_by_role("button", name="Check the file").click()
        assert sent.value.status == 413 and "The file is too large" in page.title(), page.title()
        problems += narrow_and_axe_problems(page, "413")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
