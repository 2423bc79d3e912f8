"""The home page's partnership panel lists the agencies active today.

The demo's home pages listed "Agencies (16)" with NHS Northbridge Clinical Commissioning Group as
a statutory partner, although it closed in 2022 and the integrated care board replaced it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partners.home import partnership_panel

pytestmark = pytest.mark.django_db


def test_a_closed_agency_is_not_listed_as_a_member(world):
    before = [a.pk for a in partnership_panel(world.manager)["agencies"]]
    assert world.agency_a.pk in before
    world.agency_a.active_to = timezone.localdate() - dt.timedelta(days=1)
    world.agency_a.save()
    after = [a.pk for a in partnership_panel(world.manager)["agencies"]]
    assert world.agency_a.pk not in after and len(after) == len(before) - 1
    world.agency_b.active_from = timezone.localdate() + dt.timedelta(days=30)
    world.agency_b.save()
    assert world.agency_b.pk not in [a.pk for a in partnership_panel(world.manager)["agencies"]]
