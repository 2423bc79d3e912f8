"""Figures as partnerships publish them (issue 13): "not available" with a reason, published rates
without counts, breakdowns known only in part, movement with direction and a minimum change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from datasets import services
from datasets.models import ReturnValue
from datasets.selectors import return_sheet
from safeguarding.concurrency import version_token

from .conftest import entries_for

pytestmark = pytest.mark.django_db

SOURCE = {"source": "DfE Children in need census 2023/24, table B1", "source_date": "26/10/2024"}


def _open(world, cat, person=None, agency=None, quarter=None):
    ret, _ = services.return_get_or_create(actor=person or world.submitter_a, agency=agency or world.agency_a,
                                           quarter=quarter or cat.quarter)
    return ret


def _save(ret, person, **figures):
    ret.refresh_from_db()
    return services.return_values_save(actor=person, ret=ret, version=version_token(ret.updated_at),
                                       entries=entries_for(ret, **figures))


def _refused(ret, person, **figures) -> list[str]:
    with pytest.raises(services.FiguresRefused) as exc:
        _save(ret, person, **figures)
    return [p.message for _, p in exc.value.problems]


def test_not_available_is_stored_with_its_reason_never_as_zero(world, cat):
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"},
                                     "H-REF": {"value": "", "na_reason": "No longer reported",
                                               "na_note": "Replaced by the MASH contact count"}})
    row = ReturnValue.objects.get(ret=ret, indicator=cat.referrals)
    assert row.value is None and row.na_reason == "no_longer_reported"
    assert row.na_note == "Replaced by the MASH contact count"
    services.return_submit(actor=world.submitter_a, ret=ret)  # a required figure, answered with its reason


def test_not_available_with_a_value_or_an_unknown_reason_is_refused(world, cat):
    ret = _open(world, cat)
    messages = _refused(ret, world.submitter_a, **{"H-REF": {"value": "4", "na_reason": "suppressed"}})
    assert any("marked ‘Suppressed at source’, so leave the value blank" in m for m in messages)
    messages = _refused(ret, world.submitter_a, **{"H-REF": {"na_reason": "lost it"}})
    assert any("‘lost it’ is not a reason" in m for m in messages)
    messages = _refused(ret, world.submitter_a, **{"H-REF": {"na_reason": "not known"}})
    assert any("Only a part of a breakdown can be ‘not known’" in m for m in messages)
    assert not ReturnValue.objects.filter(ret=ret).exists()


def test_published_rate_without_counts_needs_source_and_date(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    messages = _refused(ret, world.submitter_b, **{"LA-CPP-RATE": {"value": "42.4"}})
    assert any("say where it comes from: its source and the date" in m for m in messages)
    _save(ret, world.submitter_b, **{"LA-CPP-RATE": {"value": "42.4", **SOURCE}})
    row = ReturnValue.objects.get(ret=ret, indicator=cat.cpp_rate)
    assert row.value == Decimal("42.4") and not row.value_computed and row.is_published
    assert row.source_date == dt.date(2024, 10, 26)
    assert return_sheet(ret).line(cat.cpp_rate.pk).value == Decimal("42.4")


def test_counts_decide_the_figure_and_refuse_a_contradicting_typed_one(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    messages = _refused(ret, world.submitter_b, **{"LA-CPP-RATE": {"numerator": "80", "denominator": "20,000",
                                                                   "value": "42.4", **SOURCE}})
    assert any("does not match the numerator and denominator, which give 40" in m for m in messages)
    _save(ret, world.submitter_b, **{"LA-CPP-RATE": {"numerator": "80", "denominator": "20,000", "value": "40"}})
    row = ReturnValue.objects.get(ret=ret, indicator=cat.cpp_rate)
    assert row.value == 40 and row.value_computed
    messages = _refused(ret, world.submitter_b, **{"LA-CPP-RATE": {"value": "40", "numerator": "", **SOURCE}})
    assert any("Give both the numerator and the denominator, or neither" in m for m in messages)
    ret2 = _open(world, cat)
    messages = _refused(ret2, world.submitter_a, **{"H-TRN-L3": {"value": "101", **SOURCE}})
    assert any("lies between 0 and 100" in m for m in messages), messages


def test_partial_breakdown_total_is_as_entered_or_not_known(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    parts = {"LA-CPP/NEGLECT": {"value": "not known"}, "LA-CPP/EMOTIONAL": {"value": "not known"},
             "LA-CPP/PHYSICAL": {"value": "not known"}, "LA-CPP/SEXUAL": {"value": "7"},
             "LA-CPP/MULTIPLE": {"value": "12"}}
    _save(ret, world.submitter_b, **parts, **{"LA-CPP-RATE": {"numerator": "80", "denominator": "20,000"}})
    total = ReturnValue.objects.get(ret=ret, indicator=cat.cpp, part=None)
    # Never the sum of the known parts (19) posing as complete.
    assert total.value is None and total.na_reason == "not_known" and total.value_computed
    assert return_sheet(ret).line(cat.cpp.pk).value is None
    services.return_submit(actor=world.submitter_b, ret=ret)  # every part answered; total not known
    services.return_accept(actor=world.pci, ret=ret)
    services.return_reopen(actor=world.manager, ret=ret, comment="Published total now known")
    _save(ret, world.submitter_b, **{"LA-CPP": {"value": "80"}})
    total.refresh_from_db()
    assert total.value == 80 and total.na_reason == "" and not total.value_computed
    messages = _refused(ret, world.submitter_b, **{"LA-CPP": {"value": "15"}})
    assert any("known parts add up to 19, more than the total given (15)" in m for m in messages)


def test_a_part_left_blank_still_needs_an_answer(world, cat):
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **{"LA-CPP/SEXUAL": {"value": "7"}, "LA-CPP/NEGLECT": {"value": "not known"},
                                     "LA-CPP-RATE": {"numerator": "80", "denominator": "20,000"}})
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_b, ret=ret)
    assert len(exc.value.problems) == 3 and "mark it ‘not known’" in exc.value.problems[0]


def test_a_small_count_moving_1_to_0_needs_no_narrative(world, cat, settings):
    settings.DATASETS_MOVEMENT_SHARE = "0.25"
    earlier = _open(world, cat, quarter=cat.previous)
    _save(earlier, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"},
                                         "H-REF": {"value": "1"}})
    services.return_submit(actor=world.submitter_a, ret=earlier)
    services.return_accept(actor=world.pci, ret=earlier)
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"}, "H-REF": {"value": "0"}})
    services.return_submit(actor=world.submitter_a, ret=ret)  # 1 -> 0 "moved 100%" no longer asks


def test_minimum_change_is_set_per_indicator(world, cat, settings):
    settings.DATASETS_MOVEMENT_SHARE = "0.25"
    services.indicator_update(actor=world.manager, indicator=cat.referrals,
                              version=version_token(cat.referrals.updated_at), min_abs_change="10")
    earlier = _open(world, cat, quarter=cat.previous)
    _save(earlier, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"},
                                         "H-REF": {"value": "12"}})
    services.return_submit(actor=world.submitter_a, ret=earlier)
    services.return_accept(actor=world.pci, ret=earlier)
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"}, "H-REF": {"value": "20"}})
    services.return_submit(actor=world.submitter_a, ret=ret)  # +8 < 10: no narrative needed


def test_percentage_movement_message_in_points_with_direction(world, cat, settings):
    settings.DATASETS_MOVEMENT_SHARE = "0.25"
    earlier = _open(world, cat, quarter=cat.previous)
    _save(earlier, world.submitter_a, **{"H-TRN-L3": {"numerator": "6", "denominator": "7"}, "H-REF": {"value": "12"}})
    services.return_submit(actor=world.submitter_a, ret=earlier)
    services.return_accept(actor=world.pci, ret=earlier)
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-TRN-L3": {"numerator": "50", "denominator": "100",
                                                  "narrative": ""}, "H-REF": {"value": "12"}})
    with pytest.raises(services.ReturnProblems) as exc:
        services.return_submit(actor=world.submitter_a, ret=ret)
    text = " ".join(exc.value.problems)
    # The issue's "moved 38% against the last accepted quarter (81.0954)".
    assert "moved ↓ 35.7 percentage points (worse) against the last accepted quarter (85.7%)" in text


def test_comparators_upload_takes_parts_and_not_available_with_a_reason(world, cat):
    import pandas as pd
    from django.core.files.uploadedfile import SimpleUploadedFile

    from datasets.models import Comparator
    from datasets.spreadsheets.comparators import comparators_upload
    from safeguarding.uploads import UploadRejected

    def upload(rows):
        columns = ["code", "year", "kind", "value", "part", "not available because", "not available note"]
        frame = pd.DataFrame(rows, columns=columns)
        return SimpleUploadedFile("c.csv", frame.to_csv(index=False).encode(), content_type="text/csv")

    with pytest.raises(UploadRejected) as exc:
        comparators_upload(actor=world.manager, partnership=world.partnership, upload=upload([
            ["LA-CPP", "2023/24", "England", "", "", "", ""], ["LA-CPP", "2023/24", "England", "4", "Nope", "", ""],
            ["LA-CPP", "2023/24", "Region", "3", "", "Not collected", ""]]))
    assert [e.column for e in exc.value.errors] == ["value", "part", "value"]
    changes = comparators_upload(actor=world.manager, partnership=world.partnership, upload=upload([
        ["LA-CPP", "2023/24", "England", "4.1", "Sexual", "", ""],
        ["LA-CPP", "2023/24", "England", "", "", "No longer reported", "Stopped in 2024"]]))
    assert len(changes.added) == 2
    part = Comparator.objects.get(part__isnull=False)
    assert part.value == Decimal("4.1") and part.part.label == "Sexual"
    whole = Comparator.objects.get(part__isnull=True)
    assert whole.value is None and whole.na_reason == "no_longer_reported" and whole.na_note == "Stopped in 2024"
    assert changes.added[1].after == "n/a: No longer reported: Stopped in 2024"


@pytest.mark.parametrize(("typed", "reason"), [("c", "suppressed"), (" [c] ", "suppressed"), ("X", "suppressed"),
                                               ("z", "not_applicable"), ("[z]", "not_applicable")])
def test_a_published_tables_symbol_is_read_as_not_available_with_its_reason(world, cat, typed, reason):
    """Published statistics print c (suppressed) or z (not applicable) in place of a figure; typed
    from such a table into the return (and its spreadsheets, the same engine) it is stored as not
    available with that reason, never refused as not a number nor read as zero."""
    ret = _open(world, cat)
    _save(ret, world.submitter_a, **{"H-REF": {"value": typed}})
    row = ReturnValue.objects.get(ret=ret, indicator=cat.referrals)
    assert row.value is None and row.na_reason == reason


def test_a_symbol_that_names_no_reason_is_refused_saying_what_to_type(world, cat):
    ret = _open(world, cat)
    messages = _refused(ret, world.submitter_a, **{"H-REF": {"value": "[x]"}})
    assert any("must be a number, like 1234 or 12.5 (you typed ‘[x]’); for a figure the published table does "
               "not give, write c (suppressed)" in m for m in messages)
    assert not ReturnValue.objects.filter(ret=ret).exists()


def test_comparators_take_the_published_symbols_in_the_form_and_the_upload(world, cat):
    import pandas as pd
    from django.core.files.uploadedfile import SimpleUploadedFile

    from datasets.models import Comparator
    from datasets.spreadsheets.comparators import comparators_upload

    services.comparator_set(actor=world.manager, indicator=cat.cpp, year=2023, kind="england", value="c")
    typed = Comparator.objects.get(kind="england")
    assert typed.value is None and typed.na_reason == "suppressed"
    frame = pd.DataFrame([["LA-CPP", "2023/24", "Region", "[c]"], ["LA-CPP", "2023/24", "Statistical neighbours", "z"]],
                         columns=["code", "year", "kind", "value"])
    changes = comparators_upload(actor=world.manager, partnership=world.partnership, upload=SimpleUploadedFile(
        "c.csv", frame.to_csv(index=False).encode(), content_type="text/csv"))
    assert [c.after for c in changes.added] == ["n/a: Suppressed at source", "n/a: Not applicable"]
    assert dict(Comparator.objects.filter(kind__in=["region", "neighbours"]).values_list("kind", "na_reason")) == {
        "region": "suppressed", "neighbours": "not_applicable"}


def test_the_return_and_its_check_page_show_not_available_and_the_indicators_decimals(world, cat, as_user):
    """What was entered shows on the return's own pages as the dashboards show it: a figure marked
    not available reads "n/a" with its reason (it read "–", as if left blank), and a rate with the
    indicator's own decimals (2 here) shows them (the pages used the unit's default of 1)."""
    from django.urls import reverse

    cat.cpp_rate.decimals = 2
    cat.cpp_rate.save()
    ret = _open(world, cat, world.submitter_b, world.agency_b)
    _save(ret, world.submitter_b, **{"LA-CPP-RATE": {"numerator": "312", "denominator": "68,450"},
                                     "LA-CPP": {"value": "c"}})
    for name in ("datasets:return_detail", "datasets:return_check"):
        page = as_user(world.submitter_b).get(reverse(name, kwargs={"pk": ret.pk})).content.decode()
        assert "45.58 per 10,000 children" in page
        assert "n/a <span class=\"govuk-body-s\">(Suppressed at source)</span>" in page
