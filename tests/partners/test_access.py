import pytest

from partners.access import agencies_for, agencies_readable_by
from partners.models import AgencyType
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_submitters_act_only_for_their_agencies(world):
    assert list(agencies_for(world.submitter_a)) == [world.agency_a]
    assert list(agencies_for(world.submitter_b)) == [world.agency_b]


def test_designated_professional_acts_for_every_health_agency_and_nothing_else(world):
    gp = AgencyFactory(partnership=world.partnership, agency_type=AgencyType.PRIMARY_CARE)
    AgencyFactory(partnership=world.other_partnership, agency_type=AgencyType.PRIMARY_CARE)
    assert set(agencies_for(world.designated)) == {world.agency_a, gp}


def test_pci_reads_everything_but_acts_for_nothing(world):
    assert not agencies_for(world.pci).exists()
    assert set(agencies_readable_by(world.pci)) == {world.agency_a, world.agency_b}


def test_a_submitter_linked_to_another_partnerships_agency_gets_nothing_from_it(world):
    world.submitter_a.agencies.add(world.other_agency)
    assert list(agencies_for(world.submitter_a)) == [world.agency_a]
