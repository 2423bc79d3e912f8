"""Lists and progress pages run a fixed number of queries, whatever the amount of data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from tests.conftest import second_factor_queries

from .conftest import make_review

pytestmark = pytest.mark.django_db


def grow(world, review, n: int) -> None:
    """``n`` more recommendations, each with an action for A and B, progress, evidence, a challenge."""
    start = review.recommendations.count()
    for i in range(start, start + n):
        rec = services.recommendation_create(
            actor=world.manager, review=review, number=f"{i + 1}.1", text=f"Recommendation {i}",
            addressees=[world.agency_a, world.agency_b],
            theme=services.themes_from_names(world.partnership, [f"Theme {i % 3}"])[0])
        for agency, due in ((world.agency_a, dt.date(2024, 6, 1)), (world.agency_b, dt.date(2099, 6, 1))):
            action = services.action_create(actor=world.manager, recommendation=rec, owner_agency=agency,
                                            lead_name="L", description=f"Action {i}", start_on=dt.date(2024, 1, 1),
                                            due_on=due)
            services.action_post_progress(actor=world.manager, action=action, text="Going well",
                                          on=dt.date(2024, 3, 1), status="in_progress")
        services.challenge_raise(actor=world.pci, agency=world.agency_a, issue=f"Issue {i}")
    review.themes.set(services.themes_from_names(world.partnership, ["Theme 0", "Theme 1"]))


PAGES = [
    ("review_list", "manager", lambda w: reverse("reviews:review_list")),
    ("review_detail", "manager", lambda w: reverse("reviews:review_detail", args=[w.review.pk])),
    ("review_detail_designated", "designated", lambda w: reverse("reviews:review_detail", args=[w.review.pk])),
    ("my_actions", "submitter_a", lambda w: reverse("reviews:my_actions")),
    ("overdue", "pci", lambda w: reverse("reviews:overdue")),
    ("agency_overdue", "pci", lambda w: reverse("reviews:agency_overdue", args=[w.agency_a.slug])),
    ("themes", "pci", lambda w: reverse("reviews:themes")),
    ("challenge_list", "pci", lambda w: reverse("reviews:challenge_list")),
    ("actions_export", "manager", lambda w: reverse("reviews:actions_export", args=["csv"])),
    ("home_pci", "pci", lambda w: "/"),
    ("home_submitter", "submitter_a", lambda w: "/"),
    ("home_manager", "manager", lambda w: "/"),
]

# The pinned counts: session, user, and then the page's own queries. A change here is a
# change in how a page reads, to be made on purpose.
# The home page also draws other apps' panels, so only its growth is checked here; the reviews
# panels' own counts are pinned below.
# challenge_list: the filters' quarters and agencies and the page count are the three more; my_actions:
# the agencies for its filter is the one more (issue 16.6). review_list: the agencies for its filter
# and the page count are the two more; agency_overdue: the page count is the one more (16.6).
EXPECTED = {
    # review_detail: +1 for the recommendations' addressee groups (issue 12.4); +1 for the agencies of
    # its recommendation filter (16.6: the filter and the pages of recommendations are in memory).
    "review_list": 10, "review_detail": 14, "review_detail_designated": 14, "my_actions": 9, "overdue": 8,
    "agency_overdue": 10, "themes": 10, "challenge_list": 10, "actions_export": 6,
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "persona", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_the_data(name, persona, url, world, as_user, django_assert_num_queries):
    world.review = make_review(world)
    grow(world, world.review, 2)
    person = getattr(world, persona)
    client = as_user(person)
    small = _count(client, url(world))
    grow(world, world.review, 8)
    make_review(world, title="A second review")
    large = _count(client, url(world))
    assert small == large, f"{name}: {small} queries with little data, {large} with more"
    if name in EXPECTED:
        with django_assert_num_queries(EXPECTED[name] + second_factor_queries(person)):
            client.get(url(world))


@pytest.mark.parametrize(("builder", "persona", "queries"), [
    # The person's agencies are a subquery: one list query, and one for the drafts to complete (16.4).
    ("my_actions_panel", "submitter_a", 2),
    ("assurance_panel", "pci", 2),
    ("partnership_overdue_panel", "manager", 2),
])
def test_home_panels_are_fixed(builder, persona, queries, world, django_assert_num_queries):
    from reviews import home

    world.review = make_review(world)
    grow(world, world.review, 5)
    person = getattr(world, persona)
    with django_assert_num_queries(queries):
        getattr(home, builder)(person)
