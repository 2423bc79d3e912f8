"""Every GET page of the portal is held to the 375 px and axe bar somewhere: by the every-page walk
(``tests/e2e/test_every_page.py``, each GET route of the matrix for the first of its personas
that gets 200), or, for the pages none of those personas reaches by a plain GET, by
``tests/e2e/test_state_pages.py``. A new page that neither walk reaches fails here, by name, so
it cannot be added without a browser check (no database or browser needed)."""

from __future__ import annotations

from tests.access.registry import OK
from tests.access.test_matrix import ROUTES
from tests.e2e.test_every_page import NOT_PAGES, PERSONAS

# GET pages the every-page walk cannot open, and where they are checked instead.
REACHED_ELSEWHERE = {
    "login": "test_state_pages: sign-in refused (signed out only)",
    "two_step_verify": "test_state_pages: the code page between password and code",
    "partners:partnership_start": "test_state_pages: a person with no partnership",
}


def test_every_get_page_is_walked_in_a_browser():
    walked, unwalked = set(), set()
    for route in ROUTES:
        if route.method != "get" or any(part in route.name for part in NOT_PAGES):
            continue
        (walked if any(route.expect.get(p) == OK for p in PERSONAS) else unwalked).add(route.name)
    missing = sorted(unwalked - walked - set(REACHED_ELSEWHERE))
    assert not missing, f"GET pages no browser walk opens: {missing}; add them to test_state_pages.py"
    assert not set(REACHED_ELSEWHERE) & walked, "a page listed here is now walked: remove it from the list"
