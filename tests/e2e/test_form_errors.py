"""Every form of the access matrix, sent empty in a real browser, comes back with its errors on a
page that fits 375 px and passes axe with all its rules at 375 px (issue 16.7/16.8): the walks of
``test_every_page.py`` open each page as it is first drawn, and ``test_error_links.py`` checks the
error summary's links without a browser, so neither measured the page a person sees after a
mistake (the error summary, each field's message and the red borders).

Each GET page is opened by the persona the every-page walk uses; each POST form on it that asks
for something (a visible field) is sent with every field emptied and nothing ticked or chosen,
hidden fields kept, as ``test_error_links._empty`` does. Forms that start long work (PDF builds)
or sign out are left alone (``test_fuzz.NOT_POSTED``). Failures are gathered and reported
together."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve

from tests.access.test_fuzz import NOT_POSTED
from tests.access.test_matrix import BUILDERS

from .conftest import PHONE, checked_page, narrow_and_axe_problems
from .test_every_page import _pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The page's POST forms that ask for something: (index among the page's forms, action path).
FORMS = """() => Array.from(document.forms).map((form, index) => {
  const asks = Array.from(form.elements).some(el => !['hidden', 'submit', 'button', 'image'].includes(el.type)
                                                    && el.tagName !== 'BUTTON' && el.tagName !== 'FIELDSET');
  return (form.method || '').toLowerCase() === 'post' && asks ? [index, new URL(form.action, location).pathname] : null;
}).filter(Boolean)"""
# Empty the form as a person who filled nothing in would send it, and send it.
SEND_EMPTY = """(index) => {
  const form = document.forms[index];
  for (const el of form.elements) {
    if (['checkbox', 'radio'].includes(el.type)) el.checked = false;
    else if (el.tagName === 'SELECT') el.selectedIndex = -1;
    else if (!['hidden', 'submit', 'button', 'image', 'file'].includes(el.type) && el.tagName !== 'BUTTON'
             && el.tagName !== 'FIELDSET') el.value = '';
  }
  form.noValidate = true;
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  form.requestSubmit(button || undefined);
}"""


def _posts_long_work(path: str) -> bool:
    try:
        return resolve(path).view_name in NOT_POSTED
    except Resolver404:
        return True


def test_every_form_sent_empty_shows_its_errors_at_375_and_passes_axe(browser, live_server, world, axe_source):
    for build in BUILDERS:
        build(world)
    problems: list[str] = []
    sent, summaries, done = 0, 0, set()
    for persona, urls in _pages(world).items():
        if not urls:
            continue
        with checked_page(browser, live_server, axe_source, world.persona(persona)) as page:
            for url in urls:
                response = page.goto(url)
                if response is None or response.status != 200 or "text/html" not in response.headers.get(
                        "content-type", ""):
                    continue
                fresh = True
                for index, action in page.evaluate(FORMS):
                    if action in done or _posts_long_work(action):
                        continue
                    done.add(action)
                    if not fresh:
                        page.goto(url)
                    fresh = False
                    with page.expect_navigation():
                        page.evaluate(SEND_EMPTY, index)
                    sent += 1
                    page.wait_for_load_state()
                    summaries += page.locator(".govuk-error-summary").count() > 0
                    problems += narrow_and_axe_problems(page, f"{persona} {action} (sent empty from {url})",
                                                        widths=(PHONE,))
    assert sent > 40, sent
    assert summaries > 30, f"only {summaries} of {sent} forms came back with an error summary"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
