"""The walk of every page with every name and free text at its longest (issue 16.7), in a file
of its own so that the test processes share the two walks (``--dist loadfile`` gives a file to
one process)."""

from __future__ import annotations

import pytest

from tests.access.test_matrix import BUILDERS

from .conftest import DESKTOP, PHONE, WIDEST, make_everything_long
from .test_every_page import _walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_page_fits_375_when_every_name_and_text_is_long(browser, live_server, world, axe_source):
    """The same walk with every name and free text at its longest and without spaces (a 200-letter
    agency name, narrative pasted with no space): still nothing scrolls sideways at 375 px. The
    axe rules do not depend on the text's length, so this walk measures the width only."""
    for build in BUILDERS:
        build(world)
    make_everything_long(world)

    def sideways(page, label: str) -> list[str]:
        page.wait_for_load_state()
        page.set_viewport_size({"width": PHONE, "height": 900})
        width, widest = page.evaluate(WIDEST)
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        return [f"{label}: {width} px wide at 375 ({widest})"] if width > PHONE else []

    opened, problems = _walk(browser, live_server, world, axe_source, sideways)
    assert opened > 30
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
