"""Every error-summary link lands on an element of the page (issue 14, point 7).

Each POST form of every page in the access matrix is opened as a persona who may use it and
submitted with its fields empty (hidden fields such as the version kept); every link in the
error summary that comes back must point to an id on that page. Radio and checkbox groups are
the case that failed: their inputs are ``id_status_1`` …, and the link said ``#id_status``.

The same walk checks the wording: no message of the summary is Django's bare "This field is
required." — each names its field by the label, GOV.UK style ("Enter the full name", "Select the
role", "Choose a file"; ``safeguarding.forms.govuk_messages``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.urls import resolve, reverse

from .registry import OK
from .test_fuzz import NOT_POSTED, _forms_on, _sign_in, _tryer
from .test_matrix import ROUTES

SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</ul>', re.S)
HREF = re.compile(r'href="#([^"]*)"')
BARE = ("This field is required", "Select a valid choice", "Enter a whole number.", "Enter a number.")


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _empty(form: dict) -> dict:
    """The form as a person who filled nothing in sends it: text emptied, nothing ticked or
    chosen; hidden fields (the version of the row, ids of the object) as the page drew them."""
    return {name: ("" if name not in form["hidden"] else value) for name, value in form["fields"].items()
            if name not in form["choices"]}


def test_every_error_summary_link_lands_on_the_page(fuzz_world, client):
    checked, groups, worded, posted = 0, 0, 0, set()
    for route in ROUTES:
        if route.method != "get" or not (persona := _tryer(route)) or persona == "anonymous" and route.name != "login":
            continue
        url = reverse(route.name, kwargs=route.kwargs(fuzz_world) if route.kwargs else None)
        _sign_in(client, fuzz_world, persona)
        page = client.get(url)
        if page.status_code != OK or not page["Content-Type"].startswith("text/html"):
            continue
        for form in _forms_on(page.content.decode()):
            action = form["action"] or url
            target = urlsplit(action).path
            if (persona, target) in posted or resolve(target).view_name in NOT_POSTED:
                continue
            posted.add((persona, target))
            _sign_in(client, fuzz_world, persona)
            response = client.post(action, _empty(form))
            if response.status_code != OK or not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            ids = _ids(html)
            for summary in SUMMARY.findall(html):
                bare = [b for b in BARE if b in summary]
                assert not bare, f"{action} (from {route.name}): {bare} does not name its field"
                worded += bool(re.search(r">\s*(Enter|Select|Choose) ", summary))
                for href in HREF.findall(summary):
                    assert href in ids, f"{action} (from {route.name}): the error link #{href} lands nowhere"
                    checked += 1
                    groups += bool(re.search(r"_\d+$", href))
    assert checked > 40, checked
    assert worded > 20, f"only {worded} summaries said Enter/Select/Choose"
    assert groups >= 5, f"only {groups} links to radio or checkbox groups were checked"
