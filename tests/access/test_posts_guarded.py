"""Every form of the access matrix refuses a POST from the people the matrix keeps off its page.

The matrix lists mostly GET pages; their forms post back to the same address, through the same
view. This walk takes each such form as a person who may use it sees it (its fields filled as the
page drew them: ids, versions, choices), then sends exactly that as each persona the matrix
refuses the page to: they must get what they get for the page (403, 404, or for the signed-out
the sign-in page), never a save, and the database must not change (its audit log stays as it was).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.urls import resolve

from safeguarding.models import AuditEvent

from .registry import FORBIDDEN, FOUND, NOT_FOUND, PERSONAS
from .test_fuzz import NOT_POSTED, _forms_on, _sign_in, _tryer
from .test_matrix import ROUTES

REFUSED = (FORBIDDEN, NOT_FOUND, FOUND)


def test_every_form_refuses_the_people_kept_off_its_page(fuzz_world, client):
    problems, tried, seen = [], 0, set()
    for route in ROUTES:
        if route.method != "get" or not (persona := _tryer(route)) or persona == "anonymous":
            continue
        url = route.url(fuzz_world)
        refused = [p for p in PERSONAS if route.expect[p] in REFUSED]
        if not refused or url in seen:
            continue
        seen.add(url)
        _sign_in(client, fuzz_world, persona)
        page = client.get(url)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for form in _forms_on(page.content.decode()):
            action = form["action"] or url
            if urlsplit(action).path != urlsplit(url).path or resolve(urlsplit(action).path).view_name in NOT_POSTED:
                continue
            for other in refused:
                before = AuditEvent.objects.count()
                _sign_in(client, fuzz_world, other)
                response = client.post(action, form["fields"])
                tried += 1
                expected = route.expect[other]
                went = response.get("Location", "")
                if response.status_code != expected or (expected == FOUND and "/account/sign-in/" not in went):
                    problems.append(f"{other} POST {action}: {response.status_code} {went} (the page: {expected})")
                if AuditEvent.objects.count() != before:
                    problems.append(f"{other} POST {action}: wrote to the audit log")
    assert tried > 150, tried
    assert not problems, f"{len(problems)} refused posts got through:\n" + "\n".join(problems)
