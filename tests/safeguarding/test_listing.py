"""Lists that scale (issue 16.6): search, filters (status, quarter, agency) and 50 a page, through
the one helper (safeguarding/listing.py), on the returns list and its siblings."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from tests.dashboards.factories import make_dataset
from tests.dashboards.test_pages import more_agencies

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_returns_list_searches_filters_and_pages(world, as_user):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 4)]
    data = make_dataset(world.partnership, agencies, indicators=1, quarters=10)
    client = as_user(world.pci)
    url = reverse("datasets:return_list")
    first = text(client.get(url))
    assert "60 returns, page 1 of 2" in first
    assert first.count('href="/datasets/returns/') >= 50
    second = text(client.get(url, {"page": 2}))
    assert "page 2 of 2" in second
    by_agency = text(client.get(url, {"agency": world.agency_b.pk}))
    assert "10 returns" in by_agency
    by_quarter = text(client.get(url, {"quarter": data.quarters[3].pk, "q": "agency 0"}))
    assert "4 returns" in by_quarter  # Agency 00..03 in one quarter
    assert "0 returns" in text(client.get(url, {"status": "draft"}))
    # A nonsense filter value is ignored, not an error page.
    assert "60 returns" in text(client.get(url, {"status": "nonsense", "agency": "x"}))


@pytest.mark.parametrize(("name", "words"), [
    ("training:return_list", "Agency name contains"), ("reviews:challenge_list", "Issue, indicator or reference"),
    ("partners:people_list", "Name or email contains"), ("partners:agency_list", "Name or former name contains"),
    ("audit_log", "Record name or number"),
])
def test_every_long_list_has_search_and_paging(name, words, world, as_user):
    page = text(as_user(world.manager).get(reverse(name), {"page": 99}))
    assert words in page
