"""Returns at the service level: each validation rule, each transition and who may take it,
stale edits, value history."""

from __future__ import annotations

import datetime as dt

import pytest

from datasets import services
from datasets.models import ReturnEvent, ReturnValue
from datasets.selectors import return_history, return_sheet
from safeguarding.concurrency import version_token
from safeguarding.errors import DomainError, NotAllowed, StaleEdit
from safeguarding.workflow import ReturnStatus

from .conftest import entries_for

pytestmark = pytest.mark.django_db

GOOD_A = {"H-TRN-L3": {"numerator": "95", "denominator": "100"}, "H-REF": {"value": "12"}}
GOOD_B = {"LA-CPP/NEGLECT": {"value": "40"}, "LA-CPP/EMOTIONAL": {"value": "20"}, "LA-CPP/PHYSICAL": {"value": "10"},
          "LA-CPP/SEXUAL": {"value": "5"}, "LA-CPP/MULTIPLE": {"value": "5"},
          "LA-CPP-RATE": {"numerator": "80", "denominator": "20,000"}}


def _open(world, cat, person=None, agency=None, quarter=None):
    ret, _ = services.return_get_or_create(actor=person or world.submitter_a, agency=agency or world.agency_a,
                                           quarter=quarter or cat.quarter)
    return ret


def _save(ret, person, **figures):
    return services.return_values_save(actor=person, ret=ret, version=version_token(ret.updated_at),
                                       entries=entries_for(ret, **figures))


def _refused(ret, person, **figures) -> list[str]:
    with pytest.raises(services.FiguresRefused) as exc:
        _save(ret, person, **figures)
    assert not ReturnValue.objects.filter(ret=ret).exists() or True
    return [p.message for _, p in exc.value.problems]


def _submitted(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **GOOD_A)
    return services.return_submit(actor=world.submitter_a, ret=ret)


# --- validation ---------------------------------------------------------------------------------

def test_negative_count_refused(world, cat):
    ret = _open(world, cat)
    assert any("cannot be negative" in m for m in _refused(ret, world.submitter_a, **{"H-REF": {"value": "-1"}}))
    assert not ReturnValue.objects.filter(ret=ret).exists()


def test_fractional_count_refused(world, cat):
    ret = _open(world, cat)
    assert any("whole number" in m for m in _refused(ret, world.submitter_a, **{"H-REF": {"value": "12.5"}}))


def test_days_may_be_fractional(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-WAIT": {"value": "12.5"}})
    assert ReturnValue.objects.get(ret=ret, indicator=cat.wait).value == 12.5


def test_numerator_above_denominator_refused(world, cat):
    ret = _open(world, cat)
    messages = _refused(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "101", "denominator": "100"}})
    assert any("cannot be more than the denominator" in m for m in messages)


def test_zero_denominator_refused(world, cat):
    ret = _open(world, cat)
    assert any("cannot be 0" in m for m in _refused(ret, world.submitter_a,
                                                  **{"H-TRN-L3": {"numerator": "3", "denominator": "0"}}))


def test_percentage_computed_never_typed(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "1,000", "denominator": "1,250", "value": "80%"}})
    assert ReturnValue.objects.get(ret=ret, indicator=cat.training).value == 80
    messages = _refused(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "900", "denominator": "1,250",
                                                                "value": "99%"}})
    assert any("does not match" in m for m in messages)
    messages = _refused(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "", "denominator": "", "value": "85%"}})
    assert any("Give the numerator and the denominator, or, for a published percentage without counts, say where "
               "it comes from" in m for m in messages)


def test_percent_sign_in_a_count_refused(world, cat):
    ret = _open(world, cat)
    assert any("not a percentage" in m for m in _refused(ret, world.submitter_a, **{"H-REF": {"value": "85%"}}))


def test_text_in_number_field_refused(world, cat):
    ret = _open(world, cat)
    assert any("must be a number" in m for m in _refused(ret, world.submitter_a, **{"H-REF": {"value": "twelve"}}))


def test_breakdown_total_computed_and_checked(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **GOOD_B)
    line = return_sheet(ret).line(cat.cpp.pk)
    assert line.value == 80  # the total from the parts
    messages = _refused(ret, world.submitter_b, **{"LA-CPP": {"value": "81"}})
    assert any("parts add up to 80 but the total given is 81" in m for m in messages)
    _save(ret, world.submitter_b, **{"LA-CPP": {"value": "80"}})


def test_submit_lists_every_hard_error(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **{"LA-CPP/NEGLECT": {"value": "40"}, "LA-CPP-RATE": {"numerator": "80"}})
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_b, ret=ret)
    text = " ".join(exc.value.problems)
    assert "every part of the breakdown" in text  # 4 parts missing
    assert "Give the denominator as well" in text
    assert len(exc.value.problems) == 5
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.DRAFT


def test_required_value_missing_refused_at_submit(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"}})
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_a, ret=ret)
    assert exc.value.problems == ["H-REF Referrals to children's social care: This figure is required: give it "
                                  "before submitting."]
    assert exc.value.details[0].field_name == f"i{cat.referrals.pk}-value"


def test_red_value_needs_a_narrative(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "70", "denominator": "100"}, "H-REF": {"value": "3"}})
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_a, ret=ret)
    assert "red against its target" in exc.value.problems[0]
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"narrative": "Staffing gaps on two wards."}})
    services.return_submit(actor=world.submitter_a, ret=ret)


def test_sharp_move_against_last_accepted_quarter_needs_a_narrative(world, cat, settings):
    settings.DATASETS_MOVEMENT_SHARE = "0.25"
    earlier = _open(world, cat, quarter=cat.previous)
    _save(earlier, world.submitter_a, **GOOD_A)
    services.return_submit(actor=world.submitter_a, ret=earlier)
    services.return_accept(actor=world.pci, ret=earlier)
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{**GOOD_A, "H-REF": {"value": "16"}})  # 12 -> 16 is +33%
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_a, ret=ret)
    # Direction and change in the indicator's own unit, never a relative % (issue 13.7).
    assert "moved ↑ 4 against the last accepted quarter (12)" in exc.value.problems[0]
    _save(ret, world.submitter_a, **{"H-REF": {"value": "14"}})  # +17%: fine
    services.return_submit(actor=world.submitter_a, ret=ret)


def test_closed_quarter_refuses_changes_and_submission(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **GOOD_A)
    services.quarter_close(actor=world.manager, quarter=cat.quarter)
    ret.quarter.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        _save(ret, world.submitter_a, **{"H-REF": {"value": "13"}})
    with pytest.raises(services.ReturnProblems, match="closed"):
        services.return_submit(actor=world.submitter_a, ret=ret)
    other = world.agency_a.__class__.objects.create(partnership=world.partnership, name="New Trust", slug="new",
                                                    agency_type="acute_trust")
    with pytest.raises(DomainError, match="closed"):
        services.return_get_or_create(actor=world.manager, agency=other, quarter=cat.quarter)


def test_indicator_not_reported_by_the_agency_refused(world, cat):
    ret = _open(world, cat)
    assert any("does not report" in m for m in _refused(ret, world.submitter_a, **{"LA-CPP/NEGLECT": {"value": "1"}}))


# --- optimistic locking and history -----------------------------------------------------------------

def test_stale_edit_saves_nothing(world, cat):
    ret = _open(world, cat)
    loaded = version_token(ret.updated_at)
    services.return_values_save(actor=world.designated, ret=ret, version=loaded,
                                entries=entries_for(ret, **{"H-REF": {"value": "10"}}))
    with pytest.raises(StaleEdit, match="Someone else changed this return"):
        services.return_values_save(actor=world.submitter_a, ret=ret, version=loaded,
                                    entries=entries_for(ret, **{"H-REF": {"value": "11"}}))
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 10


def test_every_change_keeps_old_new_who_when(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-REF": {"value": "10"}})
    ret.refresh_from_db()
    _save(ret, world.designated, **{"H-REF": {"value": "12"}})
    changes = [c for c in return_history(ret)["changes"] if c.column == "value"]
    assert [(c.old, c.new, c.who) for c in changes] == [(None, 10, world.submitter_a), (10, 12, world.designated)]
    assert all(c.when for c in changes)


# --- transitions and who may take them ---------------------------------------------------------------------

def test_submitter_cannot_touch_another_agencys_return(world, cat):
    ret = _open(world, cat)
    with pytest.raises(NotAllowed):
        _save(ret, world.submitter_b, **GOOD_A)
    with pytest.raises(NotAllowed):
        services.return_get_or_create(actor=world.submitter_b, agency=world.agency_a, quarter=cat.previous)
    _save(ret, world.submitter_a, **GOOD_A)
    with pytest.raises(NotAllowed):
        services.return_submit(actor=world.submitter_b, ret=ret)
    with pytest.raises(NotAllowed):
        services.return_submit(actor=world.pci, ret=ret)


def test_designated_acts_for_health_agencies_only(world, cat):
    ret = _open(world, cat, world.designated)
    _save(ret, world.designated, **GOOD_A)
    services.return_submit(actor=world.designated, ret=ret)
    with pytest.raises(NotAllowed):
        services.return_get_or_create(actor=world.designated, agency=world.agency_b, quarter=cat.quarter)


def test_outsider_cannot_act(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **GOOD_A)
    for action in (services.return_submit, services.return_accept):
        with pytest.raises(NotAllowed):
            action(actor=world.outsider, ret=ret)


def test_query_resubmit_accept_reopen(world, cat):
    ret = _submitted(world, cat)
    with pytest.raises(NotAllowed):
        services.return_query(actor=world.submitter_a, ret=ret, comment="?")
    with pytest.raises(DomainError, match="question"):
        services.return_query(actor=world.pci, ret=ret, comment=" ")
    ret = services.return_query(actor=world.pci, ret=ret, comment="Why so low?")
    assert ret.status == ReturnStatus.QUERIED
    _save(ret, world.submitter_a, **{"H-REF": {"value": "13"}})  # a queried return can be corrected
    with pytest.raises(DomainError, match="answer"):
        services.return_resubmit(actor=world.submitter_a, ret=ret, comment="")
    ret = services.return_resubmit(actor=world.submitter_a, ret=ret, comment="Corrected referrals.")
    with pytest.raises(NotAllowed):
        services.return_accept(actor=world.submitter_a, ret=ret)
    ret = services.return_accept(actor=world.pci, ret=ret)
    assert ret.status == ReturnStatus.ACCEPTED and ret.accepted_by == world.pci
    with pytest.raises(DomainError, match="accepted"):
        _save(ret, world.submitter_a, **{"H-REF": {"value": "14"}})
    with pytest.raises(NotAllowed):
        services.return_reopen(actor=world.pci, ret=ret, comment="Wrong")
    with pytest.raises(DomainError, match="reason"):
        services.return_reopen(actor=world.manager, ret=ret, comment="")
    ret = services.return_reopen(actor=world.manager, ret=ret, comment="Referrals recounted.")
    assert ret.status == ReturnStatus.DRAFT and ret.accepted_at is None
    steps = list(ReturnEvent.objects.filter(ret=ret).values_list("action", "actor__email", "comment"))
    assert [s[0] for s in steps] == ["submit", "query", "resubmit", "accept", "reopen"]
    assert steps[1] == ("query", world.pci.email, "Why so low?")


def test_double_submit_is_refused_clearly(world, cat):
    ret = _submitted(world, cat)
    with pytest.raises(DomainError, match="cannot be submitted"):
        services.return_submit(actor=world.submitter_a, ret=ret)


def test_first_submission_time_is_kept_on_resubmit(world, cat):
    ret = _submitted(world, cat)
    first = ret.first_submitted_at
    services.return_query(actor=world.pci, ret=ret, comment="?")
    ret = services.return_resubmit(actor=world.submitter_a, ret=ret, comment="!")
    assert ret.first_submitted_at == first and ret.submitted_at > first


# --- catalogue and quarters ---------------------------------------------------------------------------

def test_only_managers_keep_the_catalogue(world, cat):
    with pytest.raises(NotAllowed):
        services.indicator_create(actor=world.pci, partnership=world.partnership, code="X", name="X",
                                  domain="health", unit="count", agency_types=["acute_trust"])
    with pytest.raises(NotAllowed):
        services.target_set(actor=world.outsider, indicator=cat.training, year=2024, target="90")


def test_indicator_rules(world, cat):
    make = {"actor": world.manager, "partnership": world.partnership, "name": "X", "domain": "health",
                "agency_types": ["acute_trust"]}
    with pytest.raises(DomainError, match="already exists"):
        services.indicator_create(code="h-ref", unit="count", **make)
    with pytest.raises(DomainError, match="Only a count"):
        services.indicator_create(code="Y1", unit="days", breakdown_label="By", parts=["a", "b"], **make)
    with pytest.raises(DomainError, match="numerator and denominator labels"):
        services.indicator_create(code="Y2", unit="rate_10k", **make)
    with pytest.raises(DomainError, match="Unknown agency types"):
        services.indicator_create(code="Y3", unit="count", **{**make, "agency_types": ["martians"]})


def test_unit_cannot_change_once_figures_exist(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-REF": {"value": "3"}})
    with pytest.raises(DomainError, match="unit cannot change"):
        services.indicator_update(actor=world.manager, indicator=cat.referrals,
                                  version=version_token(cat.referrals.updated_at), unit="days")


def test_target_change_mid_year_keeps_earlier_quarters(world, cat):
    services.target_set(actor=world.manager, indicator=cat.training, year=2024, target="95",
                        amber_threshold="85", effective_from=dt.date(2025, 1, 1))
    earlier = _open(world, cat, quarter=cat.previous)
    _save(earlier, world.submitter_a, **{"H-TRN-L3": {"numerator": "92", "denominator": "100"}})
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "92", "denominator": "100"}})
    assert return_sheet(earlier).line(cat.training.pk).rag == "green"  # target 90 in Q3
    assert return_sheet(ret).line(cat.training.pk).rag == "amber"  # target 95 from January


def test_quarter_due_date_from_setting(world, settings):
    settings.DATASETS_DUE_DAYS = 20
    quarter = services.quarter_create(actor=world.manager, partnership=world.partnership, period="2025/26-Q1")
    assert quarter.due_on == dt.date(2025, 7, 20) and quarter.opens_on == dt.date(2025, 7, 1)
    with pytest.raises(DomainError, match="already exists"):
        services.quarter_create(actor=world.manager, partnership=world.partnership, period="2025/26-Q1")
    with pytest.raises(DomainError, match="not a quarter"):
        services.quarter_create(actor=world.manager, partnership=world.partnership, period="2025 Q5")
    with pytest.raises(NotAllowed):
        services.quarter_close(actor=world.pci, quarter=quarter)


def test_changing_a_ratio_recomputes_it(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "70", "denominator": "100"}})
    ret.refresh_from_db()
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "80"}})  # the form sends no typed figure
    row = ReturnValue.objects.get(ret=ret, indicator=cat.training)
    assert (row.value, row.value_computed) == (80, True)


def test_breakdown_total_is_stored_and_follows_its_parts(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **GOOD_B)
    total = ReturnValue.objects.get(ret=ret, indicator=cat.cpp, part=None)
    assert (total.value, total.value_computed) == (80, True)
    ret.refresh_from_db()
    _save(ret, world.submitter_b, **{"LA-CPP/NEGLECT": {"value": "41"}})
    total.refresh_from_db()
    assert (total.value, total.value_computed) == (81, True)
    ret.refresh_from_db()
    _save(ret, world.submitter_b, **{"LA-CPP": {"value": "81"}})  # typed, and it agrees
    total.refresh_from_db()
    assert (total.value, total.value_computed) == (81, False)
    ret.refresh_from_db()
    assert any("parts add up to 82" in m for m in _refused(ret, world.submitter_b,
                                                         **{"LA-CPP/NEGLECT": {"value": "42"}}))


def test_indicator_edit_stale_and_parts(world, cat):
    loaded = version_token(cat.cpp.updated_at)
    services.indicator_update(actor=world.manager, indicator=cat.cpp, version=loaded, name="Children on a CP plan",
                              parts=["Neglect", "Emotional", "Physical", "Sexual", "Multiple", "Not recorded"])
    assert cat.cpp.parts.count() == 6
    with pytest.raises(StaleEdit):
        services.indicator_update(actor=world.manager, indicator=cat.cpp, version=loaded, name="Other")
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **{"LA-CPP/NEGLECT": {"value": "4"}})
    cat.cpp.refresh_from_db()
    with pytest.raises(DomainError, match="already holds figures"):
        services.indicator_update(actor=world.manager, indicator=cat.cpp, version=version_token(cat.cpp.updated_at),
                                  parts=["Emotional", "Physical"])
