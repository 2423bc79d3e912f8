"""SPC (datasets/spc.py): XmR limits, the four special-cause rules, the icons. No database.

The published worked example: the statprocon library's README (https://pypi.org/project/statprocon/,
after Wheeler, *Making Sense of Data*) gives the series 10, 50, 40, 30 with mean 32.5, mean moving
range 20, upper natural process limit 85.7 and lower -20.7.

The longer hand-worked example (BASELINE, 12 points) was computed independently of the code:
    values 20 22 19 21 23 20 18 21 22 20 19 21, sum 246, mean 246 / 12 = 20.5
    moving ranges 2 3 2 2 3 2 3 1 2 1 2, sum 23, mean moving range 23 / 11 = 2.090909…
    2.66 × 23 / 11 = 61.18 / 11 = 5.561818…  → upper 26.061818…, lower 14.938181…
    two sigma: 2/3 × 5.561818… = 3.707878…   → 24.207878…, 16.792121…
Within the baseline no rule fires: the longest run on one side of 20.5 is 2 points and the longest
rise or fall is 3 points.
"""

from decimal import Decimal

import pytest

from datasets import spc

BASELINE = [20, 22, 19, 21, 23, 20, 18, 21, 22, 20, 19, 21]
Q = Decimal("0.000001")


def q(value: Decimal) -> Decimal:
    return value.quantize(Q)


def test_published_example_statprocon():
    limits = spc.xmr_limits([10, 50, 40, 30], minimum=4)
    assert limits.mean == Decimal("32.5")
    assert limits.mean_moving_range == Decimal("20")
    assert limits.upper == Decimal("85.7")
    assert limits.lower == Decimal("-20.7")
    assert spc.moving_ranges([10, 50, 40, 30]) == [None, 40, 10, 10]


def test_hand_worked_baseline():
    limits = spc.xmr_limits(BASELINE)
    assert limits.mean == Decimal("20.5")
    assert q(limits.mean_moving_range) == Decimal("2.090909")
    assert q(limits.upper) == Decimal("26.061818")
    assert q(limits.lower) == Decimal("14.938182")
    assert q(limits.upper_two_sigma) == Decimal("24.207879")
    assert q(limits.lower_two_sigma) == Decimal("16.792121")
    result = spc.xmr(BASELINE, polarity="higher")
    assert not any(result.flags)
    assert result.variation == "common"


def judged(tail, *, polarity="higher", target=None):
    """The baseline's limits, frozen on its 12 points, applied to the baseline and ``tail``."""
    return spc.xmr(BASELINE + tail, polarity=polarity, target=target, baseline_points=12)


def test_a_point_beyond_a_limit():
    result = judged([27])
    assert result.flags[12] == {"beyond"} and result.sides[12] == "high"
    assert result.variation == "improving_high"
    low = judged([14], polarity="higher")
    assert low.flags[12] == {"beyond"} and low.variation == "concerning_low"
    assert not judged([26]).flags[12], "26 is inside the upper limit (26.06) and alone beyond two sigma"


def test_a_run_of_seven_on_one_side():
    six = judged([21] * 5)
    assert not any(six.flags[11:]), "the baseline's last point (21) and five more make only 6"
    result = judged([21] * 6)
    assert all("shift" in f for f in result.flags[11:])  # the baseline's last 21 starts the run
    assert result.variation == "improving_high"
    assert judged([20] * 7, polarity="higher").variation == "concerning_low"
    on_the_mean = judged([21, 21, 21, Decimal("20.5"), 21, 21, 21])
    assert not any(on_the_mean.flags[12:]), "a point on the mean ends the run"


def test_six_in_a_row_rising_or_falling():
    result = judged([17, 18, 19, 20, 21, 22])
    assert [("trend" in f) for f in result.flags[12:]] == [True] * 6
    assert set().union(*result.flags[12:]) == {"trend"}
    assert result.sides[17] == "high" and result.variation == "improving_high"
    five = judged([17, 18, 19, 20, 21])
    assert not any(five.flags[12:])
    falling = judged([24, 23, 22, 21, 20, 19], polarity="lower")
    assert all("trend" in f for f in falling.flags[12:]) and falling.variation == "improving_low"


def test_two_of_three_beyond_two_sigma():
    result = judged([20, 25, 20, 25], polarity="lower")
    assert result.flags[13] == {"two_of_three"} and result.flags[15] == {"two_of_three"}
    assert not result.flags[14], "the point between them, inside two sigma, is not flagged"
    assert result.variation == "concerning_high"
    one = judged([25, 20, 20])
    assert not any(one.flags[12:])
    opposite = judged([25, 16])  # one high, one low: not the same side
    assert not any(opposite.flags[12:])


def test_variation_without_polarity_and_common_cause_last_point():
    assert judged([27], polarity="neutral").variation == "neither_high"
    assert judged([27, 21]).variation == "common", "the icon judges the latest point"


@pytest.mark.parametrize(("polarity", "target", "expected"), [
    ("higher", 14, "pass"), ("higher", Decimal("14.938"), "pass"), ("higher", 27, "fail"),
    ("higher", 20, "hit_and_miss"), ("lower", 27, "pass"), ("lower", 14, "fail"), ("lower", 25, "hit_and_miss"),
    ("higher", None, None), ("neutral", 20, None),
])
def test_assurance_by_where_the_target_lies(polarity, target, expected):
    result = spc.xmr(BASELINE, polarity=polarity, target=target)
    assert result.assurance == expected
    if expected:
        assert result.assurance_label


def test_fewer_than_twelve_points_is_refused():
    result = spc.xmr(BASELINE[:11], polarity="higher", target=20)
    assert result.refused == "The limits would rest on 11 points: process limits need at least 12."
    assert result.limits is None and result.variation is None
    gaps = spc.xmr([*BASELINE[:11], None, None], polarity="higher")
    assert gaps.refused, "gaps are not points"


def test_gaps_keep_their_place():
    values = [*BASELINE[:6], None, *BASELINE[6:], 27]
    result = spc.xmr(values, polarity="higher", baseline_points=12)
    assert result.moving_ranges[6] is None and result.moving_ranges[7] == 2  # 18 against 20 across the gap
    assert result.limits.mean == Decimal("20.5")
    assert result.flags[13] == {"beyond"}


def test_recalculated_from_a_chosen_point():
    higher = [v + 20 for v in BASELINE]
    whole = spc.xmr(BASELINE + higher, polarity="higher")
    assert any("shift" in f for f in whole.flags), "one set of limits sees the step as a shift"
    split = spc.xmr(BASELINE + higher, polarity="higher", recalculate_at=[12])
    assert [p.limits.mean for p in split.phases] == [Decimal("20.5"), Decimal("40.5")]
    assert not any(split.flags) and split.variation == "common"
    assert split.limits_at(3).mean == Decimal("20.5") and split.limits.mean == Decimal("40.5")
    short = spc.xmr(BASELINE + higher[:5], polarity="higher", recalculate_at=[12])
    assert short.refused == "The limits from point 13 would rest on 5 points: process limits need at least 12."


def test_latest_variation_agrees_with_the_whole_judgement():
    import random

    rng = random.Random(16)
    shapes = [lambda k: rng.gauss(50, 5), lambda k: k * 0.8 + rng.gauss(50, 0.5),
              lambda k: (60 if k > 14 else 50) + rng.gauss(0, 2), lambda k: round(rng.uniform(0, 3))]
    for trial in range(600):
        shape = shapes[trial % len(shapes)]
        values = [Decimal(str(round(shape(k), 2))) for k in range(rng.randint(10, 24))]
        if rng.random() < 0.2:
            values[rng.randrange(len(values))] = None
        polarity = rng.choice(["higher", "lower", "neutral"])
        assert spc.latest_variation(values, polarity=polarity) == spc.xmr(values, polarity=polarity).variation, values
