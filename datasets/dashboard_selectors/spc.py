"""SPC series for the dashboards: an indicator's history, for the partnership and for agencies,
over the last ``SPC_SPAN`` quarters up to the quarter shown, judged by ``datasets.spc``.

Only accepted figures count. Each function runs one query whatever the number of agencies,
indicators or quarters; the judging is pure Python (``datasets.spc.xmr``).

The agencies' series are the dashboards' biggest read (the overview matrix judges every cell over
``SPC_SPAN`` quarters: 200 agencies x 15 indicators x 24 quarters is 72,000 figures). On
PostgreSQL they come as one row per return with its indicators and figures as arrays
(``array_agg``), read from the covering index ``value_total_figures`` without touching the table
(migration ``datasets/0007_value_total_figures``); elsewhere (SQLite, the first-look database) as one row per value,
put in place here. Both give the same figures (tests/dashboards/test_series.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.functions import Cast

from .. import spc
from ..models import Indicator, Quarter, ReturnValue, Target
from .base import ACCEPTED, PartnershipFigure, aggregates, figure, window

# Six years of quarters: enough for limits (12 points) and for two sets of them when the limits
# are recalculated from a chosen quarter, and a bounded read however long the history grows.
SPC_SPAN = 24


def spc_window(quarters: list[Quarter], end: Quarter) -> list[Quarter]:
    """The quarters an SPC chart covers: up to ``SPC_SPAN`` ending at ``end`` (no queries)."""
    return window(quarters, end, SPC_SPAN)


def partnership_value(indicator: Indicator, agg: PartnershipFigure | None) -> Decimal | None:
    """The partnership's figure as every output shows it (``PartnershipFigure.value``, the one
    withholding rule): pooled for percentages and rates with counts, the median otherwise; ``None``
    when withheld."""
    return agg.value if agg is not None else None


def partnership_series(*, indicators: dict[int, Indicator],
                       quarters: Sequence[Quarter]) -> dict[int, list[Decimal | None]]:
    """``{indicator_id: [figure per quarter]}`` for the partnership (1 query)."""
    aggs = aggregates(quarter_ids=[q.pk for q in quarters], indicators=indicators)
    return {pk: [partnership_value(i, aggs.get((q.pk, pk))) for q in quarters] for pk, i in indicators.items()}


def agency_series(*, agency_ids: Iterable[int], indicators: dict[int, Indicator], quarters: Sequence[Quarter],
                  exact: bool = True) -> dict[tuple[int, int], list]:
    """``{(agency_id, indicator_id): [figure per quarter]}`` from accepted returns (1 query), each
    figure the stored value or the ratio from its counts (``figure``), ``None`` for a quarter with
    none. Pairs with no value row at all are left out.

    ``exact``: the figures as ``Decimal`` (charts and their limits, shown as figures); otherwise as
    floats, for the variation icon alone (``datasets.spc.latest_variation`` judges in floats):
    PostgreSQL casts them (correctly rounded, as Python's ``float(Decimal)``) and thousands of
    ``Decimal`` are never built."""
    quarters = list(quarters)
    values = ReturnValue.objects.filter(
        ret__quarter_id__in=[q.pk for q in quarters], ret__status=ACCEPTED, ret__agency_id__in=list(agency_ids),
        part__isnull=True, indicator_id__in=list(indicators)).order_by()
    if connection.vendor == "postgresql":
        return _series_in_postgres(values, indicators, quarters, exact)
    return _series_in_python(values, indicators, quarters, exact)


def _series_in_postgres(values, indicators: dict[int, Indicator], quarters: list[Quarter],
                        exact: bool) -> dict[tuple[int, int], list]:
    from django.contrib.postgres.aggregates import ArrayAgg

    position = {q.pk: k for k, q in enumerate(quarters)}
    # One row per return: its values come together from the index (grouping by return needs no
    # sort of the whole read), the indicators and figures as arrays. The counts matter only where
    # no figure was stored (the ratio is worked out from them): separate, usually empty, arrays.
    counts_only = Q(value__isnull=True)
    rows = values.values("ret_id", "ret__agency_id", "ret__quarter_id").annotate(
        ids=ArrayAgg("indicator_id"), figures=ArrayAgg("value" if exact else Cast("value", FloatField())),
        gaps=ArrayAgg("indicator_id", filter=counts_only), nums=ArrayAgg("numerator", filter=counts_only),
        dens=ArrayAgg("denominator", filter=counts_only),
    ).values_list("ret__agency_id", "ret__quarter_id", "ids", "figures", "gaps", "nums", "dens")
    span = len(quarters)
    # Series by agency, then by indicator: a plain integer key per figure (72,000 of them for a
    # 200-agency matrix) rather than a tuple built and hashed for each.
    by_agency: dict[int, dict[int, list]] = {}
    for agency_id, quarter_id, ids, figures, gaps, nums, dens in rows:
        k = position[quarter_id]
        mine = by_agency.get(agency_id)
        if mine is None:
            mine = by_agency[agency_id] = {}
        for indicator_id, given in zip(ids, figures, strict=True):
            series = mine.get(indicator_id)
            if series is None:
                series = mine[indicator_id] = [None] * span
            series[k] = given
        for indicator_id, num, den in zip(gaps or (), nums or (), dens or (), strict=True):
            ratio = figure(indicators[indicator_id], None, num, den)
            mine[indicator_id][k] = ratio if exact or ratio is None else float(ratio)
    return {(agency_id, indicator_id): series for agency_id, mine in by_agency.items()
            for indicator_id, series in mine.items()}


def _series_in_python(values, indicators: dict[int, Indicator], quarters: list[Quarter],
                      exact: bool) -> dict[tuple[int, int], list]:
    """The same as ``_series_in_postgres`` from one row per value."""
    position = {q.pk: k for k, q in enumerate(quarters)}
    out: dict[tuple[int, int], list] = {}
    for agency_id, quarter_id, indicator_id, value, num, den in values.values_list(
            "ret__agency_id", "ret__quarter_id", "indicator_id", "value", "numerator", "denominator"):
        row = out.setdefault((agency_id, indicator_id), [None] * len(quarters))
        shown = figure(indicators[indicator_id], value, num, den)
        row[position[quarter_id]] = shown if exact or shown is None else float(shown)
    return out


def judge(indicator: Indicator, values: Sequence, target: Target | None = None,
          recalculate_at: Sequence[int] = ()) -> spc.SpcResult:
    """The series judged with the indicator's polarity and the target in force (no queries)."""
    return spc.xmr(values, polarity=indicator.polarity, target=target.target if target is not None else None,
                   recalculate_at=recalculate_at)


def direction(values: Sequence) -> str | None:
    """``"up"``, ``"down"`` or ``"same"`` for the last figure against the one before it (both
    present), else ``None``."""
    if len(values) < 2 or values[-1] is None or values[-2] is None:
        return None
    return "up" if values[-1] > values[-2] else "down" if values[-1] < values[-2] else "same"
