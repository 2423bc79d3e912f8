"""One training figure (issue 13.8): the dataset's training indicator is filled from the agency's
accepted training return, a typed figure that differs is refused, and a training return that would
contradict an accepted dataset figure cannot be accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from datasets import services as ds_services
from datasets.models import ReturnValue
from datasets.selectors import catalogue_load
from partners.models import AgencyType
from safeguarding.concurrency import version_token
from safeguarding.workflow import ReturnNotReady
from training import services

from .helpers import fill, setup_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def tw(world):
    setup_training(world)
    world.l3 = ds_services.indicator_create(
        actor=world.manager, partnership=world.partnership, code="H-TRN-L3", name="Level 3 training compliance",
        domain="training", unit="percentage", agency_types=[AgencyType.ACUTE_TRUST, AgencyType.PRIMARY_CARE],
        numerator_label="Trained", denominator_label="Eligible", training_level="Level 3")
    return world


def _training(tw, *, gp_trained=138, accept=True):
    ret = services.training_return_start(actor=tw.submitter_a, agency=tw.agency_a, quarter=tw.quarters[0])
    fill(ret, {("GPs", "Level 3"): (141, gp_trained, ""), ("Practice nurses", "Level 2"): (105, 98, ""),
               ("Practice nurses", "Level 3"): (118, 110, "")}, actor=tw.submitter_a)
    ret = services.training_return_transition(actor=tw.submitter_a, ret=ret, action="submit")
    if accept:
        ret = services.training_return_transition(actor=tw.pci, ret=ret, action="accept")
    return ret


def _dataset(tw):
    ret, _ = ds_services.return_get_or_create(actor=tw.submitter_a, agency=tw.agency_a, quarter=tw.quarters[0])
    return ret


def _save(ret, person, raw):
    ret.refresh_from_db()
    catalogue = catalogue_load(ret.agency.partnership_id)
    indicator = catalogue.by_code["H-TRN-L3"]
    return ds_services.return_values_save(actor=person, ret=ret, version=version_token(ret.updated_at),
                                          entries={(indicator.pk, None): raw}, catalogue=catalogue)


def test_blank_training_figure_is_filled_from_the_accepted_training_return(tw):
    _training(tw)
    ret = _dataset(tw)
    _save(ret, tw.submitter_a, {"numerator": "", "denominator": ""})
    row = ReturnValue.objects.get(ret=ret, indicator=tw.l3)
    assert (row.numerator, row.denominator) == (Decimal(248), Decimal(259))  # GPs and nurses at level 3
    assert row.value == Decimal("95.7529")


def test_a_typed_figure_that_differs_is_refused(tw):
    _training(tw)
    ret = _dataset(tw)
    with pytest.raises(ds_services.FiguresRefused) as exc:
        _save(ret, tw.submitter_a, {"numerator": "99", "denominator": "100"})
    message = exc.value.problems[0][1].message
    assert "differs from" in message and "accepted training return" in message and "95.8% (248 of 259)" in message
    _save(ret, tw.submitter_a, {"numerator": "248", "denominator": "259"})  # the same figure is fine


def test_a_training_return_cannot_contradict_an_accepted_dataset_figure(tw):
    ret = _dataset(tw)
    _save(ret, tw.submitter_a, {"numerator": "95", "denominator": "100"})
    ds_services.return_submit(actor=tw.submitter_a, ret=ret)
    ds_services.return_accept(actor=tw.pci, ret=ret)
    training = _training(tw, accept=False)
    with pytest.raises(ReturnNotReady) as exc:
        services.training_return_transition(actor=tw.pci, ret=training, action="accept")
    assert "this return gives 95.8%, but the accepted dataset return holds 95.0% for H-TRN-L3" in exc.value.problems[0]
