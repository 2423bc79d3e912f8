"""The menu marks one current section: the item whose prefix matches the page longest.

A PCI member raising a challenge saw both "Reviews" (prefix /reviews/) and "Impact log"
(/reviews/challenges/) underlined as the current page, and the PCI pack pages marked "Annual
report" (/reports/) too."""

from __future__ import annotations

import pytest

from safeguarding.navigation import nav_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "current"), [
    ("/", "Home"),
    ("/reviews/", "Reviews"),
    ("/reviews/4/", "Reviews"),
    ("/reviews/challenges/", "Impact log"),
    ("/reviews/challenges/new/", "Impact log"),
    ("/reports/2025/", "Annual report"),
    ("/reports/pci/", "PCI pack"),
    ("/datasets/returns/12/", "Returns"),
    ("/dashboards/indicators/LA-REREF/", "Dashboards"),
])
def test_one_item_is_the_current_section(world, path, current):
    active = [i["label"] for i in nav_for(world.pci, path) if i["active"]]
    assert active == [current]


def test_a_page_outside_every_section_marks_none(world):
    assert not [i for i in nav_for(world.pci, "/account/notifications/") if i["active"]]
