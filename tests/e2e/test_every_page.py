"""Every page of the access matrix in a real browser (issue 16.7 and 16.8): at 375 px wide nothing
scrolls sideways (``document.scrollingElement.scrollWidth <= 375``), and axe-core with *all* its
rules (not only the WCAG tags), plus ``target-size`` (WCAG 2.2 AA 2.5.8, off in axe's default
set), finds nothing, at 1280 px and at 375 px. ``color-contrast-enhanced`` (AAA) stays off.

Each GET route is opened once, by the first of the manager, the PCI member, the designated nurse
and agency B's submitter whom the matrix lets in (one browser, one sign-in per persona), so the
whole walk stays within a few minutes. Failures are gathered and reported together."""

from __future__ import annotations

import pytest

from tests.access.registry import OK
from tests.access.test_matrix import BUILDERS, ROUTES

from .conftest import (  # noqa: F401 (CHROMIUM_ARGS documents the launch)
    CHROMIUM_ARGS,
    checked_page,
    narrow_and_axe_problems,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PERSONAS = ("manager", "pci", "designated", "submitter_b")
# Not pages: files, exports and redirects to them.
NOT_PAGES = ("export", "download", "template", "_csv", "_xlsx", "healthz", "logout", "favicon")


def _pages(world) -> dict[str, list[str]]:
    """{persona: [url, ...]}: each GET route once, for the first persona it answers 200."""
    out: dict[str, list[str]] = {p: [] for p in PERSONAS}
    seen = set()
    for route in ROUTES:
        if route.method != "get" or any(part in route.name for part in NOT_PAGES):
            continue
        url = route.url(world)
        if url in seen:
            continue
        persona = next((p for p in PERSONAS if route.expect.get(p) == OK), None)
        if persona is not None:
            seen.add(url)
            out[persona].append(url)
    return out


def _walk(browser, live_server, world, axe_source, check) -> tuple[int, list[str]]:
    """Open every page of ``_pages(world)`` as its persona; ``check(page, label)`` returns the
    problems found on each HTML page that answered 200. Returns (pages opened, problems)."""
    problems: list[str] = []
    opened = 0
    for persona, urls in _pages(world).items():
        if not urls:
            continue
        with checked_page(browser, live_server, axe_source, world.persona(persona)) as page:
            for url in urls:
                response = page.goto(url)
                opened += 1
                if response is None or response.status != 200 or "text/html" not in response.headers.get(
                        "content-type", ""):
                    continue
                problems += check(page, f"{persona} {url}")
    return opened, problems


def test_every_page_fits_375_and_passes_axe(browser, live_server, world, axe_source):
    for build in BUILDERS:
        build(world)
    opened, problems = _walk(browser, live_server, world, axe_source, narrow_and_axe_problems)
    assert opened > 30
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
