"""Empty states at 375 px: every page of the access matrix that needs no object, opened once by
the first role it lets in of a partnership that has just been made (``create_partnership``: no agencies, indicators,
quarters, reviews, training or reports), fits 375 px and passes axe with all its rules at 375
(``conftest.narrow_and_axe_problems``). The every-page walk opens these pages full of the world's
objects, at 1280 and 375; ``tests/access/test_empty_partnership.py`` only asks them for 200."""

from __future__ import annotations

import pytest

from partners.models import Role
from partners.services import partnership_start, person_create
from tests.access.registry import OK
from tests.access.test_matrix import ROUTES
from tests.conftest import PASSWORD

from .conftest import PHONE, checked_page, narrow_and_axe_problems
from .test_every_page import NOT_PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each role of the empty partnership and the matrix's persona whose pages it opens.
ROLES = {"manager": Role.BUSINESS_MANAGER, "pci": Role.PCI_MEMBER, "designated": Role.DESIGNATED_PROFESSIONAL}


def test_every_page_of_an_empty_partnership_fits_375_and_passes_axe(browser, live_server, axe_source):
    partnership, manager = partnership_start(actor=None, name="Emptyshire Safeguarding Children Partnership",
                                             manager_email="bm@empty.example")
    manager.set_password(PASSWORD)
    manager.save()
    people = {"manager": manager}
    for persona, role in ROLES.items():
        if persona != "manager":
            people[persona] = person_create(actor=None, partnership=partnership, email=f"{persona}@empty.example",
                                            full_name=f"{role.label} of Emptyshire", role=role, password=PASSWORD,
                                            invite=False)
    problems, opened = [], 0
    # Each page once, by the first role it lets in (as the every-page walk does): the suite's time
    # is the walks' time, and the roles' empty pages share their templates.
    seen: set[str] = set()
    for persona, person in people.items():
        urls = [route.url(None) for route in ROUTES
                if route.method == "get" and route.kwargs is None and not callable(route.query)
                and route.expect[persona] == OK and not any(part in route.name for part in NOT_PAGES)]
        with checked_page(browser, live_server, axe_source, person) as page:
            for url in dict.fromkeys(urls):
                if url in seen:
                    continue
                seen.add(url)
                response = page.goto(url)
                opened += 1
                if response is None or response.status != OK or "text/html" not in response.headers.get(
                        "content-type", ""):
                    if response is not None and response.status != OK:
                        problems.append(f"{persona} {url}: HTTP {response.status}")
                    continue
                problems += narrow_and_axe_problems(page, f"empty {persona} {url}", widths=(PHONE,))
    assert opened > 40, opened
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
