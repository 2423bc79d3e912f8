"""The PCI pack's "Figures against target by agency" counts a figure with no accepted value apart
from a figure without a target.

The demo's pack for 2026/27-Q1 gave Northbridge University Hospitals "0 red, 0 amber, 0 green,
11 no target": its return was still queried, so none of its figures was accepted, yet they were
counted as if they had no target (most have one)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from datasets.models import Return
from reports.content.base import Chapter
from reports.content.external_pci import chapter_overview
from tests.dashboards.factories import make_dataset
from tests.dashboards.test_pages import more_agencies

pytestmark = pytest.mark.django_db


def test_a_queried_return_counts_as_no_accepted_figure_not_as_no_target(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 2)]
    data = make_dataset(world.partnership, agencies, indicators=3, quarters=4)
    Return.objects.filter(agency=world.agency_b, quarter=data.last).update(status="queried", accepted_at=None)
    ch = chapter_overview(Chapter(key="overview", title="Overview", template="reports/pdf/pci/overview.html"),
                          world.partnership, data.last.period)
    rows = {r["agency"].pk: r for r in ch.data["by_agency"]}
    queried, accepted = rows[world.agency_b.pk], rows[world.agency_a.pk]
    assert (queried["red"], queried["amber"], queried["green"], queried["none"], queried["missing"]) == (0, 0, 0, 0, 3)
    assert accepted["missing"] == 0 and accepted["red"] + accepted["amber"] + accepted["green"] + accepted["none"] == 3
    html = render_to_string("reports/pdf/pci/overview.html", {"data": ch.data, "charts": ch.charts})
    assert '<th scope="col" class="num">No accepted figure</th>' in html
