"""Reading typed figures, and the RAG function the dashboards call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from datasets.models import Target
from datasets.rag import rag
from datasets.selectors import target_in_force
from datasets.services.parsing import NotANumber, format_figure, parse_figure
from safeguarding.periods import FinancialQuarter


@pytest.mark.parametrize("text, expected", [
    ("1,234", Decimal("1234")), ("1234", Decimal("1234")), (" 12.5 ", Decimal("12.5")), ("0", Decimal(0)),
    ("1,234,567.25", Decimal("1234567.25")), (".5", Decimal("0.5")), ("-3", Decimal("-3")), ("", None),
    ("   ", None), (None, None), (12, Decimal(12)),
])
def test_numbers_people_type_are_read(text, expected):
    assert parse_figure(text) == expected


def test_percent_sign_understood_where_a_percentage_is_expected():
    assert parse_figure("85%", percent_ok=True) == Decimal(85)
    assert parse_figure("85.5 %", percent_ok=True) == Decimal("85.5")


def test_pounds_sign_understood_for_money():
    assert parse_figure("£1,200", pounds_ok=True) == Decimal(1200)


@pytest.mark.parametrize("text, words", [
    ("85%", "not a percentage"), ("£12", "not an amount of money"), ("1,23", "commas may only separate thousands"),
    ("1 234", "must be a number"), ("12e3", "must be a number"), ("about 40", "must be a number"),
    ("12,34.5", "commas"), ("1e99", "must be a number"), ("999999999999", "too large"), ("N/A", "must be a number"),
])
def test_ambiguous_text_is_refused_with_what_was_typed(text, words):
    with pytest.raises(NotANumber) as exc:
        parse_figure(text, label="Referrals")
    assert words in exc.value.message and "Referrals" in exc.value.message


def test_format_figure_drops_trailing_zeros():
    assert format_figure(Decimal("12.5000")) == "12.5"
    assert format_figure(Decimal("1234.0000")) == "1234"
    assert format_figure(None) == ""


@pytest.mark.parametrize("value, polarity, target, amber, expected", [
    (92, "higher", 90, 80, "green"), (90, "higher", 90, 80, "green"), (85, "higher", 90, 80, "amber"),
    (80, "higher", 90, 80, "amber"), (79.9, "higher", 90, 80, "red"), (85, "higher", 90, None, "red"),
    (3, "lower", 3, 5, "green"), (4, "lower", 3, 5, "amber"), (6, "lower", 3, 5, "red"),
    (4, "lower", 3, None, "red"), (None, "higher", 90, 80, None), (50, "higher", None, None, None),
    (50, "neutral", 10, 5, None), ("85.0", "higher", "90", "80", "amber"),
    (85, "higher", 90, 95, "red"),  # a threshold on the wrong side of the target means no amber band
])
def test_rag(value, polarity, target, amber, expected):
    assert rag(value, polarity, target, amber) == expected


def _t(year, effective, target):
    return Target(year_start=year, effective_from=effective, target=Decimal(target))


def test_target_in_force_keeps_past_quarters_rag():
    rows = [_t(2023, dt.date(2023, 4, 1), 80), _t(2024, dt.date(2024, 4, 1), 85), _t(2024, dt.date(2024, 10, 1), 90)]
    assert target_in_force(rows, FinancialQuarter.parse("2023/24-Q4")).target == 80
    assert target_in_force(rows, FinancialQuarter.parse("2024/25-Q2")).target == 85
    assert target_in_force(rows, FinancialQuarter.parse("2024/25-Q3")).target == 90
    # A year without its own row carries the latest one forward.
    assert target_in_force(rows, FinancialQuarter.parse("2025/26-Q1")).target == 90
    assert target_in_force(rows, FinancialQuarter.parse("2022/23-Q4")) is None
