"""A challenge is raised on a day that has happened, to an agency active that day.

In the demo a PCI member could raise a challenge today to NHS Northbridge Clinical Commissioning
Group, which closed in 2022 and was replaced by the integrated care board: nobody was left to
answer it. Active dates decide everywhere who can be given work (partners.lifecycle)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reviews import services
from safeguarding.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_challenge_to_a_closed_agency_is_refused_naming_its_successor(world):
    world.agency_a.active_to = dt.date(2022, 6, 30)
    world.agency_a.replaced_by = world.agency_b
    world.agency_a.save()
    with pytest.raises(DomainError, match=rf"{world.agency_a.name} closed on 30 June 2022 and was replaced by "
                                          rf"{world.agency_b.name}, so it cannot have a challenge raised on") as err:
        services.challenge_raise(actor=world.pci, agency=world.agency_a, issue="Why?")
    assert err.value.field == "agency"
    # While it was active, a challenge recorded after the event is still accepted.
    old = services.challenge_raise(actor=world.pci, agency=world.agency_a, issue="Why?", raised_on=dt.date(2022, 5, 3))
    assert old.raised_on == dt.date(2022, 5, 3)


def test_a_challenge_cannot_be_raised_after_today(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="cannot be after today") as err:
        services.challenge_raise(actor=world.pci, agency=world.agency_a, issue="Why?", raised_on=tomorrow)
    assert err.value.field == "raised_on"
