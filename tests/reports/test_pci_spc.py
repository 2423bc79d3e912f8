"""The PCI pack shows each indicator's SPC variation (issue 16.2), in words and as the icon."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from reports.content.base import Chapter
from reports.content.external_pci import chapter_overview
from tests.dashboards.factories import make_dataset
from tests.dashboards.test_pages import more_agencies

pytestmark = pytest.mark.django_db


def test_pci_overview_gives_each_indicator_its_variation(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    data = make_dataset(world.partnership, agencies, indicators=3, quarters=14)
    ch = chapter_overview(Chapter(key="overview", title="Overview", template="reports/pdf/pci/overview.html"),
                          world.partnership, data.last.period)
    rows = ch.data["indicators"]
    assert rows and all(r["variation"] for r in rows if r["reported"] >= 3)
    html = render_to_string("reports/pdf/pci/overview.html", {"data": ch.data, "charts": ch.charts})
    assert "Variation (SPC)" in html and 'class="spc-icon"' in html and 'alt="Variation icon:"' in html
    assert any(words in html for words in ("Common cause variation", "Special cause"))
