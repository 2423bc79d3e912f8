"""Counts on a return's page read alike (a tester's finding: "5092 of 5303" beside "5,432"): the
numerator and denominator go through the one formatter as the figure does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .test_pages import _field, _form_data, _start

pytestmark = pytest.mark.django_db


def test_the_return_page_formats_numerator_and_denominator_as_counts(world, cat, as_user):
    client = as_user(world.designated)
    ret = _start(client, world, cat, world.designated)
    data = _form_data(client, ret)
    data.update({_field(cat.training, "numerator"): "5092", _field(cat.training, "denominator"): "5303",
                 _field(cat.referrals, "value"): "5432"})
    assert client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data).status_code == 302
    page = client.get(reverse("datasets:return_detail", kwargs={"pk": ret.pk})).content.decode()
    assert "5,092 of 5,303" in page and "5,432" in page
    assert "5092" not in page and "5303" not in page
