"""A long review's page (issue 16.6): its recommendations are searched, filtered and paged at 20,
while the progress tallies stay the whole review's; the agency filter offers only readable agencies."""

import re

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import ActionStatus

from .conftest import make_action, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_review(world):
    """42 recommendations: odd numbers to agency A, even to agency B; 3.1 about referrals and with
    A's action started (not a draft)."""
    review = make_review(world)
    for i in range(1, 43):
        services.recommendation_create(
            actor=world.manager, review=review, number=f"{i}.1",
            text=f"Improve {'referrals' if i == 3 else 'training'} for item {i}.",
            addressees=[world.agency_a if i % 2 else world.agency_b])
    make_action(world, agency=world.agency_a, review=review, number="3.1", description="Audit referrals.")
    return review


def _numbers(html: str) -> list[str]:
    return re.findall(r"Recommendation (\d+\.1)", html)


def test_a_long_review_pages_its_recommendations_at_twenty(long_review, world, as_user):
    client = as_user(world.manager)
    url = reverse("reviews:review_detail", args=[long_review.pk])
    first = client.get(url).content.decode()
    assert _numbers(first) == [f"{i}.1" for i in range(1, 21)]
    assert "42 recommendations, page 1 of 3" in first
    # The tallies are the whole review's on every page: 42 draft actions, none assured.
    assert "(0 of 42)" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert _numbers(last) == ["41.1", "42.1"] and "(0 of 42)" in last


def test_a_long_review_is_searched_and_filtered(long_review, world, as_user):
    client = as_user(world.manager)
    url = reverse("reviews:review_detail", args=[long_review.pk])
    assert _numbers(client.get(url, {"q": "REFERRALS"}).content.decode()) == ["3.1"]
    assert _numbers(client.get(url, {"q": "42.1"}).content.decode()) == ["42.1"]
    assert _numbers(client.get(url, {"status": ActionStatus.NOT_STARTED}).content.decode()) == ["3.1"]
    by_b = client.get(url, {"agency": world.agency_b.pk}).content.decode()
    assert _numbers(by_b) == [f"{i}.1" for i in range(2, 41, 2)] and "21 recommendations, page 1 of 2" in by_b
    both = client.get(url, {"agency": world.agency_a.pk, "q": "item 1", "page": 1}).content.decode()
    assert _numbers(both) == ["1.1", "11.1", "13.1", "15.1", "17.1", "19.1"]
    none = client.get(url, {"q": "no such words"}).content.decode()
    assert _numbers(none) == [] and "No recommendations match." in none
    # A bogus status or agency is dropped, not an error page.
    assert len(_numbers(client.get(url, {"status": "bogus", "agency": "999999"}).content.decode())) == 20


def _agency_options(html: str) -> str:
    return re.search(r'<select[^>]*name="agency".*?</select>', html, re.S).group(0)


def test_the_agency_filter_offers_only_agencies_the_person_may_read(long_review, world, as_user):
    url = reverse("reviews:review_detail", args=[long_review.pk])
    # The designated nurse acts for the health provider (A) only.
    nurse = as_user(world.designated).get(url).content.decode()
    offered = _agency_options(nurse)
    assert f'value="{world.agency_a.pk}"' in offered and f'value="{world.agency_b.pk}"' not in offered
    offered = _agency_options(as_user(world.manager).get(url).content.decode())
    assert f'value="{world.agency_b.pk}"' in offered and f'value="{world.other_agency.pk}"' not in offered
