"""Statistical process control as NHS England's *Making Data Count* does it: XmR charts, the four
special-cause rules, and the variation and assurance icons. Pure Python, no Django, so the
statistics are tested without a database (tests/datasets/test_spc.py).

Sources:

- Wheeler, D. J., *Making Sense of Data* / *Understanding Variation*: the XmR (individuals and
  moving range) chart. The moving range is the absolute difference between consecutive points;
  the process limits are the mean ± 2.66 × the mean moving range (2.66 = 3 / d2, d2 = 1.128 for
  ranges of two points, so the limits sit at three sigma).
- NHS England and NHS Improvement, *Making data count: strengthening your decisions* (2019) and
  *Making data count: getting started* (2018): the four special-cause rules used here, the
  variation icons (common cause; special cause of improving or concerning nature, high or low)
  and the assurance icons (target consistently passed, consistently failed, hit and miss), and the
  advice not to draw limits from fewer than 12 points.

Rules, judged inside each phase against that phase's limits:

1. ``beyond`` — a point above the upper or below the lower process limit;
2. ``shift`` — a run of 7 or more consecutive points on the same side of the mean (a point
   exactly on the mean ends the run);
3. ``trend`` — 6 or more consecutive points each higher (or each lower) than the one before
   (an equal pair ends the trend);
4. ``two_of_three`` — 2 of 3 consecutive points beyond two sigma on the same side, two sigma being
   the mean ± 2/3 of the distance to the limit (±1.773 × the mean moving range). The points beyond
   two sigma are flagged.

Each flagged point has a side: ``high`` (above the mean, or rising) or ``low``.

Icons (for the series' latest point and the latest phase's limits):

- variation: ``common`` when the latest point is not special cause; otherwise ``improving`` or
  ``concerning`` by the indicator's polarity (``higher`` or ``lower`` is better), or ``neither``
  for an indicator with no polarity; each with its side (``high`` / ``low``);
- assurance (only with a target, and a polarity): for higher-is-better, a target at or below the
  lower limit is consistently ``pass``-ed, at or above the upper limit consistently ``fail``-ed,
  and between the limits ``hit_and_miss``; mirrored for lower-is-better.

Values are ``Decimal`` (anything ``Decimal(str(x))`` accepts); ``None`` is a missing point, left
out of the calculation but kept in its place so indexes match the caller's quarters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import sub

MIN_POINTS = 12
SCALE = Decimal("2.66")
TWO_SIGMA = SCALE * 2 / 3
SHIFT_RUN = 7
TREND_RUN = 6

HIGHER, LOWER = "higher", "lower"
RULES = {
    "beyond": "A point beyond a process limit",
    "shift": "A run of 7 or more points on one side of the mean",
    "trend": "6 or more points in a row rising or falling",
    "two_of_three": "2 of 3 points beyond two sigma on the same side",
}
VARIATION_LABELS = {
    "common": "Common cause variation",
    "improving_high": "Special cause variation, improving (high)",
    "improving_low": "Special cause variation, improving (low)",
    "concerning_high": "Special cause variation, concerning (high)",
    "concerning_low": "Special cause variation, concerning (low)",
    "neither_high": "Special cause variation, high (no better direction)",
    "neither_low": "Special cause variation, low (no better direction)",
}
ASSURANCE_LABELS = {
    "pass": "Target consistently met",
    "fail": "Target consistently missed",
    "hit_and_miss": "Target hit and miss",
}


class TooFewPoints(ValueError):
    """Raised by ``xmr_limits`` when a baseline has fewer than ``MIN_POINTS`` values."""


@dataclass(frozen=True)
class Limits:
    """One phase's XmR limits, in the series' unit: ``mean``, ``mean_moving_range`` and the process
    limits ``upper`` / ``lower`` (mean ± 2.66 × mean moving range), with the two-sigma lines."""

    mean: Decimal
    mean_moving_range: Decimal
    upper: Decimal
    lower: Decimal
    upper_two_sigma: Decimal
    lower_two_sigma: Decimal
    points: int


@dataclass(frozen=True)
class Phase:
    """A stretch of the series ``[start, end)`` (indexes into the values) judged against ``limits``."""

    start: int
    end: int
    limits: Limits


@dataclass
class SpcResult:
    """The judged series.

    ``values`` as given (``None`` for a gap); ``moving_ranges`` (computed when asked);
    ``phases`` cover every index; ``flags[i]`` is the set of rule keys point ``i``
    breaks and ``sides[i]`` its side (``"high"``, ``"low"`` or ``None``); ``variation`` and
    ``assurance`` are keys of ``VARIATION_LABELS`` / ``ASSURANCE_LABELS`` (``assurance`` is
    ``None`` without a target). When ``refused`` is not empty the series had too few points and
    nothing else is filled in: show the reason instead of limits.
    """

    values: list[Decimal | None]
    refused: str = ""
    phases: list[Phase] = field(default_factory=list)
    flags: list[set[str]] = field(default_factory=list)
    sides: list[str | None] = field(default_factory=list)
    variation: str | None = None
    assurance: str | None = None

    @property
    def moving_ranges(self) -> list[Decimal | None]:
        """|x_i − previous present x| per point (``None`` for the first and for gaps); empty when refused."""
        return [] if self.refused else moving_ranges(self.values)

    @property
    def limits(self) -> Limits | None:
        """The latest phase's limits (what the icons judge), or ``None`` when refused."""
        return self.phases[-1].limits if self.phases else None

    def limits_at(self, index: int) -> Limits | None:
        for phase in self.phases:
            if phase.start <= index < phase.end:
                return phase.limits
        return None

    @property
    def variation_label(self) -> str:
        return VARIATION_LABELS.get(self.variation or "", "")

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS.get(self.assurance or "", "")

    def special(self, index: int) -> bool:
        return bool(self.flags and self.flags[index])


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def moving_ranges(values: Sequence) -> list[Decimal | None]:
    """|x_i − x_j| for each present point and the present point before it; ``None`` for the
    first present point and for gaps."""
    out: list[Decimal | None] = []
    previous: Decimal | None = None
    for raw in values:
        value = _dec(raw)
        if value is None:
            out.append(None)
            continue
        out.append(abs(value - previous) if previous is not None else None)
        previous = value
    return out


def xmr_limits(values: Sequence, *, minimum: int = MIN_POINTS) -> Limits:
    """The XmR limits of ``values`` (gaps skipped). Raises ``TooFewPoints`` below ``minimum``
    present points (``MIN_POINTS``, 12, as Making Data Count advises; never fewer than 2)."""
    present = [v for v in (_dec(x) for x in values) if v is not None]
    if len(present) < max(minimum, 2):
        raise TooFewPoints(f"{len(present)} point{'s' if len(present) != 1 else ''}: process limits need at "
                           f"least {max(minimum, 2)}.")
    mean = sum(present, Decimal(0)) / len(present)
    ranges = [abs(b - a) for a, b in zip(present, present[1:], strict=False)]
    mr = sum(ranges, Decimal(0)) / len(ranges)
    return Limits(mean=mean, mean_moving_range=mr, upper=mean + SCALE * mr, lower=mean - SCALE * mr,
                  upper_two_sigma=mean + TWO_SIGMA * mr, lower_two_sigma=mean - TWO_SIGMA * mr,
                  points=len(present))


def _phases(values: list[Decimal | None], recalculate_at: Sequence[int],
            baseline_points: int | None) -> list[Phase]:
    cuts = sorted({i for i in recalculate_at if 0 < i < len(values)})
    bounds = [0, *cuts, len(values)]
    phases = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        chunk = values[start:end]
        if baseline_points:
            present = [i for i, v in enumerate(chunk) if v is not None][:baseline_points]
            chunk = chunk[: present[-1] + 1] if present else []
        try:
            limits = xmr_limits(chunk)
        except TooFewPoints as exc:
            label = f"The limits from point {start + 1}" if start else "The limits"
            raise TooFewPoints(f"{label} would rest on {exc}") from exc
        phases.append(Phase(start=start, end=end, limits=limits))
    return phases


def _flag(flags, sides, index: int, rule: str, side: str) -> None:
    flags[index].add(rule)
    sides[index] = sides[index] or side


def _judge_phase(values: list[Decimal | None], phase: Phase, flags, sides) -> None:
    # Judged in floats: the dashboards judge hundreds of series a page (the matrix), and the
    # limits (kept exact in Decimal) are far from float's precision at these magnitudes.
    lim = phase.limits
    idx = [i for i in range(phase.start, phase.end) if values[i] is not None]
    xs = [float(values[i]) for i in idx]
    upper, lower, mean = float(lim.upper), float(lim.lower), float(lim.mean)
    high2, low2 = float(lim.upper_two_sigma), float(lim.lower_two_sigma)
    n = len(xs)
    # 1. beyond a limit
    for k, x in enumerate(xs):
        if x > upper:
            _flag(flags, sides, idx[k], "beyond", "high")
        elif x < lower:
            _flag(flags, sides, idx[k], "beyond", "low")
    # 2. a shift: 7+ in a row on one side of the mean (a point on the mean ends the run)
    start, run_side = 0, None
    for k in range(n + 1):
        side = None if k == n else ("high" if xs[k] > mean else "low" if xs[k] < mean else None)
        if side is not None and side == run_side:
            continue
        if run_side is not None and k - start >= SHIFT_RUN:
            for j in range(start, k):
                _flag(flags, sides, idx[j], "shift", run_side)
        start, run_side = k, side
    # 3. a trend: 6+ points in a row, each higher (or each lower) than the one before; two
    # trends may share their turning point
    i = 0
    while i < n:
        j, direction = i, None
        while j + 1 < n:
            step = "high" if xs[j + 1] > xs[j] else "low" if xs[j + 1] < xs[j] else None
            if step is None or (direction is not None and step != direction):
                break
            direction, j = step, j + 1
        if j - i + 1 >= TREND_RUN:
            for k in range(i, j + 1):
                _flag(flags, sides, idx[k], "trend", direction)
        i = j if j > i else i + 1
    # 4. two of three beyond two sigma on the same side
    above = [x > high2 for x in xs]
    below = [x < low2 for x in xs]
    for k in range(n - 2):
        for side, beyond in (("high", above), ("low", below)):
            if beyond[k] + beyond[k + 1] + beyond[k + 2] >= 2:
                for j in range(k, k + 3):
                    if beyond[j]:
                        _flag(flags, sides, idx[j], "two_of_three", side)


def _variation(side: str | None, polarity: str) -> str:
    if side is None:
        return "common"
    if polarity not in (HIGHER, LOWER):
        return f"neither_{side}"
    good = (side == "high") == (polarity == HIGHER)
    return f"{'improving' if good else 'concerning'}_{side}"


def _assurance(limits: Limits, target: Decimal | None, polarity: str) -> str | None:
    if target is None or polarity not in (HIGHER, LOWER):
        return None
    if polarity == HIGHER:
        if target <= limits.lower:
            return "pass"
        if target >= limits.upper:
            return "fail"
    else:
        if target >= limits.upper:
            return "pass"
        if target <= limits.lower:
            return "fail"
    return "hit_and_miss"


def xmr(values: Sequence, *, polarity: str = "", target=None, recalculate_at: Sequence[int] = (),
        baseline_points: int | None = None) -> SpcResult:
    """Judge a series.

    ``values``: the figures in time order (``None`` for a gap). ``polarity``: ``"higher"`` or
    ``"lower"`` is better, anything else for neither. ``target``: the target in force now (for the
    assurance icon), or ``None``. ``recalculate_at``: indexes where new limits start (a process
    that changed); each phase's limits come from its own points, or from its first
    ``baseline_points`` present points when given (limits frozen on a baseline and extended).
    Never raises: with fewer than ``MIN_POINTS`` points in a baseline the result is ``refused``
    with the reason.
    """
    vals = [_dec(v) for v in values]
    result = SpcResult(values=vals)
    try:
        phases = _phases(vals, recalculate_at, baseline_points)
    except TooFewPoints as exc:
        result.refused = str(exc)
        return result
    flags: list[set[str]] = [set() for _ in vals]
    sides: list[str | None] = [None] * len(vals)
    for phase in phases:
        _judge_phase(vals, phase, flags, sides)
    result.phases, result.flags, result.sides = phases, flags, sides
    last = next((i for i in range(len(vals) - 1, -1, -1) if vals[i] is not None), None)
    result.variation = _variation(sides[last] if last is not None and flags[last] else None, polarity)
    result.assurance = _assurance(phases[-1].limits, _dec(target), polarity)
    return result


def latest_variation(values: Sequence, *, polarity: str = "") -> str | None:
    """``xmr(values, polarity=polarity).variation`` for one set of limits, without judging the
    whole series: only the rules that can reach the latest point are checked, from the end back.
    ``None`` with fewer than ``MIN_POINTS`` points. The overview matrix judges hundreds of series a
    page through this; tests/datasets/test_spc.py checks it agrees with ``xmr`` on random series."""
    xs = [float(v) for v in values if v is not None]
    n = len(xs)
    if n < MIN_POINTS:
        return None
    mean = sum(xs) / n
    # The same sums in the same order as a generator would make, without a Python frame per step.
    mr = sum(map(abs, map(sub, xs[1:], xs))) / (n - 1)
    reach, reach2 = float(SCALE) * mr, float(TWO_SIGMA) * mr
    last = xs[-1]
    side = None
    # Judged in xmr's order, whose first rule to flag a point gives its side.
    if last > mean + reach:
        side = "high"
    elif last < mean - reach:
        side = "low"
    if side is None:
        here = "high" if last > mean else "low" if last < mean else None
        run = 0
        for x in reversed(xs):
            if here is not None and ("high" if x > mean else "low" if x < mean else None) == here:
                run += 1
            else:
                break
        if run >= SHIFT_RUN:
            side = here
    if side is None and n >= 2:
        direction = "high" if xs[-1] > xs[-2] else "low" if xs[-1] < xs[-2] else None
        steps = 0
        for k in range(n - 1, 0, -1):
            step = "high" if xs[k] > xs[k - 1] else "low" if xs[k] < xs[k - 1] else None
            if step is None or step != direction:
                break
            steps += 1
        if direction is not None and steps + 1 >= TREND_RUN:
            side = direction
    if side is None:
        window = xs[-3:]
        if last > mean + reach2 and sum(x > mean + reach2 for x in window) >= 2:
            side = "high"
        elif last < mean - reach2 and sum(x < mean - reach2 for x in window) >= 2:
            side = "low"
    return _variation(side, polarity)
