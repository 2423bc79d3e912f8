"""The one figure formatter (issue 13.6, 13.7): units, decimals, n/a, movement, exports, charts."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from safeguarding import formatting as f


def ind(unit, decimals=None, polarity="higher"):
    return SimpleNamespace(unit=unit, decimals=decimals, polarity=polarity)


@pytest.mark.parametrize(("value", "unit", "text"), [
    (Decimal("85.2941"), "percentage", "85.3%"),
    (Decimal("78.3871"), "percentage", "78.4%"),
    (90, "percentage", "90.0%"),
    (Decimal("42.06"), "rate_10k", "42.1 per 10,000 children"),
    (Decimal("12.4"), "days", "12 days"),
    (1, "days", "1 day"),
    (Decimal("12500.4"), "pounds", "£12,500"),
    (-1200, "pounds", "-£1,200"),
    (1234, "count", "1,234"),
    (Decimal("0.05"), "percentage", "0.1%"),
    (Decimal("-0.04"), "percentage", "0.0%"),
    (None, "percentage", "–"),
    ("", "count", "–"),
    ("bad", "count", "–"),
    (float("nan"), "count", "–"),
])
def test_format_by_unit(value, unit, text):
    assert f.format_figure(value, unit) == text


def test_indicator_decimals_override_unit_default():
    assert f.format_figure(Decimal("85.35"), ind("percentage", 0)) == "85%"
    assert f.format_figure(Decimal("3.25"), ind("days", 1)) == "3.3 days"
    assert f.format_figure(Decimal("81.0954"), ind("percentage")) == "81.1%"


def test_not_available_is_na_with_reason():
    assert f.format_status(None, "percentage", reason="suppressed") == "n/a"
    assert f.format_status(Decimal("5"), "percentage") == "5.0%"
    assert f.reason_label("no_longer_reported") == "No longer reported"
    assert f.reason_label("suppressed", "fewer than 5 children") == "Suppressed at source: fewer than 5 children"
    assert set(f.NA_REASONS) == {"not_collected", "no_longer_reported", "suppressed", "not_applicable",
                                 "not_known"}


def test_round_figure_is_a_number_rounded_as_shown():
    assert f.round_figure(Decimal("76.4706"), "percentage") == Decimal("76.5")
    assert f.round_figure(0.2136513254298045, "percentage") == Decimal("0.2")
    assert f.round_figure(Decimal("12.6"), "count") == Decimal("13")
    assert f.round_figure(None, "count") is None
    assert str(f.round_figure(Decimal("76.4706"), "percentage")) == "76.5"


def test_unit_header_and_comparator_label():
    assert f.unit_header("percentage") == "%"
    assert f.unit_header(ind("rate_10k")) == "per 10,000 children"
    assert f.comparator_label("England", "2015/16", Decimal("42.4"), "percentage") == "England 2015/16: 42.4%"
    assert f.comparator_label("England", "2015/16") == "England 2015/16"
    na = f.comparator_label("England", "2015/16", None, "percentage", reason="not_collected")
    assert na == "England 2015/16: n/a"


def test_movement_has_direction_unit_and_judgement():
    # The examples: 54 -> 59 and 1.1% -> 2.4% showed "8%" and "56%".
    assert f.format_movement(54, 59, ind("count")) == "↑ 5 (better)"
    assert f.format_movement(Decimal("1.1"), Decimal("2.4"), ind("percentage", polarity="lower")) == \
        "↑ 1.3 percentage points (worse)"
    assert f.format_movement(Decimal("90"), Decimal("89"), ind("percentage")) == "↓ 1.0 percentage point (worse)"
    assert f.format_movement(1, 0, ind("count", polarity="lower")) == "↓ 1 (better)"
    assert f.format_movement(2000, 1500, ind("pounds", polarity="neutral")) == "↓ £500"
    assert f.format_movement(Decimal("50.01"), Decimal("50.04"), ind("percentage")) == "no change"
    assert f.format_movement(None, 5, "count") == "–"
    moved = f.movement(Decimal("78.3871"), Decimal("90.3226"), ind("percentage"))
    assert moved.change == Decimal("11.9") and moved.direction == "up" and moved.arrow == "↑"


def test_chart_format_ticks_and_labels():
    fmt = f.chart_format(ind("percentage"))
    assert fmt.label(Decimal("87.54")) == "87.5%"
    assert fmt.tick(Decimal("20")) == "20%" and fmt.tick(Decimal("2.5")) == "2.5%"
    assert f.chart_format("%").unit == "percentage" and fmt.axis_title == "%"


def test_plain_number_for_forms():
    assert f.plain_number(Decimal("12.5000")) == "12.5"
    assert f.plain_number(Decimal("1234.0000")) == "1234"
    assert f.plain_number(None) == ""


def test_template_library():
    out = Template(
        "{% load figures %}{{ a|figure:'percentage' }}|{{ b|money }}|{{ c|pct }}|{{ d|count }}|"
        "{% movement 54 59 'count' 'higher' %}|{% comparator 'England' '2015/16' e 'percentage' %}|"
        "{% figure_status None 'percentage' 'suppressed' %}|{{ 'not_collected'|na_reason }}|"
        "{{ 'rate_10k'|unit_header }}"
    ).render(Context({"a": Decimal("85.2941"), "b": Decimal("12500"), "c": 7, "d": 1234, "e": Decimal("42.4")}))
    assert out == ("85.3%|£12,500|7.0%|1,234|↑ 5 (better)|England 2015/16: 42.4%|n/a|Not collected|"
                   "per 10,000 children")
