"""The return form, the completeness page and the history page run a fixed number of queries
whatever the number of agencies, indicators and changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datasets import services
from partners.models import Agency
from safeguarding.concurrency import version_token
from tests.conftest import second_factor_queries

from .conftest import entries_for, make_catalogue

pytestmark = pytest.mark.django_db

# Pinned counts: session and user (2), the return or quarter, the page's selectors, the
# partnership for the layout, and the session save (4).
FORM_QUERIES = 13
COMPLETENESS_QUERIES = 10
HISTORY_QUERIES = 9


def _world_of_size(world, size: int):
    cat = make_catalogue(world, extra=size)
    Agency.objects.bulk_create([Agency(partnership=world.partnership, name=f"Agency {n}", slug=f"agency-{n}",
                                       agency_type="acute_trust") for n in range(size)])
    ret, _ = services.return_get_or_create(actor=world.submitter_a, agency=world.agency_a, quarter=cat.quarter)
    figures = {f"X-{n}": {"value": str(n)} for n in range(size)}
    figures["H-REF"] = {"value": "3"}
    for round_ in range(1 + size // 5):
        ret.refresh_from_db()
        figures = {k: {"value": str(int(v["value"]) + round_)} for k, v in figures.items()}
        services.return_values_save(actor=world.submitter_a, ret=ret, version=version_token(ret.updated_at),
                                    entries=entries_for(ret, **figures))
    return cat, ret


@pytest.mark.parametrize("size", [1, 25])
def test_return_form_queries_fixed(world, as_user, size, django_assert_num_queries):
    cat, ret = _world_of_size(world, size)
    client = as_user(world.submitter_a)
    with django_assert_num_queries(FORM_QUERIES):
        assert client.get(reverse("datasets:return_edit", kwargs={"pk": ret.pk})).status_code == 200


@pytest.mark.parametrize("size", [1, 25])
def test_completeness_page_queries_fixed(world, as_user, size, django_assert_num_queries):
    cat, ret = _world_of_size(world, size)
    client = as_user(world.manager)
    with django_assert_num_queries(COMPLETENESS_QUERIES + second_factor_queries(world.manager)):
        assert client.get(reverse("datasets:completeness", kwargs={"pk": cat.quarter.pk})).status_code == 200


@pytest.mark.parametrize("size", [1, 25])
def test_history_page_queries_fixed(world, as_user, size, django_assert_num_queries):
    cat, ret = _world_of_size(world, size)
    client = as_user(world.submitter_a)
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(reverse("datasets:return_history", kwargs={"pk": ret.pk})).status_code == 200
