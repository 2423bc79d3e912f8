import datetime as dt
from decimal import Decimal

import pytest

from safeguarding.errors import DomainError
from training import rules


@pytest.mark.parametrize("raw, expected", [("12", 12), (" 1,204 ", 1204), ("", None), (None, None), (7, 7),
                                           ("3.0", 3)])
def test_counts_are_read_as_whole_numbers(raw, expected):
    assert rules.parse_count(raw, label="Eligible staff") == expected


@pytest.mark.parametrize("raw, message", [
    ("-1", "Eligible staff cannot be negative."),
    ("2.5", "Eligible staff must be a whole number of people, not 2.5."),
    ("lots", "Eligible staff must be a number, like 1234 or 12.5 (you typed ‘lots’)."),
    ("NaN", "Eligible staff must be a number, like 1234 or 12.5 (you typed ‘NaN’)."),
    # Read by the one parser: a comma that does not separate thousands was dropped ("1,23" read
    # as 123, a European "12,5" as 125); it is refused as the dataset returns refuse it.
    ("1,23", "Eligible staff must be a number; commas may only separate thousands, as in 1,234 "
             "(you typed ‘1,23’)."),
    ("12,5", "Eligible staff must be a number; commas may only separate thousands, as in 1,234 "
             "(you typed ‘12,5’)."),
])
def test_bad_counts_are_refused_with_a_message_naming_the_field(raw, message):
    with pytest.raises(DomainError) as caught:
        rules.parse_count(raw, label="Eligible staff")
    assert caught.value.message == message


def test_trained_above_eligible_is_refused():
    with pytest.raises(DomainError, match=r"GPs, Level 3: trained staff \(142\) cannot be more than eligible"):
        rules.check_trained(eligible=141, trained=142, label="GPs, Level 3")
    rules.check_trained(eligible=141, trained=141, label="GPs, Level 3")


def test_compliance_is_computed_to_one_decimal_place():
    assert rules.compliance(138, 141) == Decimal("97.9")
    assert rules.compliance(32, 66) == Decimal("48.5")
    assert rules.compliance(0, 0) is None
    assert rules.compliance(None, 10) is None


class Row:
    def __init__(self, level_id, year_start, effective_from, target, amber=None):
        self.level_id, self.year_start, self.effective_from = level_id, year_start, effective_from
        self.target, self.amber_threshold = Decimal(target), Decimal(amber) if amber else None


def test_a_past_quarter_keeps_the_target_it_had():
    book = rules.TargetBook([Row(None, 2017, dt.date(2017, 4, 1), 80), Row(None, 2018, dt.date(2018, 4, 1), 90)])
    assert book.in_force(level_id=3, on=dt.date(2018, 3, 31)).target == 80
    assert book.in_force(level_id=3, on=dt.date(2018, 6, 30)).target == 90
    assert book.in_force(level_id=3, on=dt.date(2016, 6, 30)) is None


def test_a_level_target_beats_the_general_one_and_mid_year_changes_apply_from_their_date():
    book = rules.TargetBook([Row(None, 2024, dt.date(2024, 4, 1), 90), Row(5, 2024, dt.date(2024, 4, 1), 85),
                             Row(None, 2024, dt.date(2024, 10, 1), 95)])
    assert book.in_force(level_id=5, on=dt.date(2024, 6, 30)).target == 85
    assert book.in_force(level_id=3, on=dt.date(2024, 6, 30)).target == 90
    assert book.in_force(level_id=3, on=dt.date(2024, 12, 31)).target == 95


def test_rag_against_target_and_amber_threshold():
    target = rules.TargetRow(None, 2024, dt.date(2024, 4, 1), Decimal(90), Decimal(80))
    assert rules.rag(Decimal("97.9"), target) == "green"
    assert rules.rag(Decimal("90"), target) == "green"
    assert rules.rag(Decimal("85"), target) == "amber"
    assert rules.rag(Decimal("48.5"), target) == "red"
    assert rules.rag(None, target) is None
    assert rules.rag(Decimal(50), None) is None
    no_amber = rules.TargetRow(None, 2024, dt.date(2024, 4, 1), Decimal(90), None)
    assert rules.rag(Decimal("89.9"), no_amber) == "red"
    assert rules.below_target(Decimal("89.9"), no_amber)
