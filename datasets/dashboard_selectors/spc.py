"""SPC series for the dashboards: an indicator's history, for the partnership and for agencies,
over the last ``SPC_SPAN`` quarters up to the quarter shown, judged by ``datasets.spc``.

Only accepted figures count. Each function runs one query whatever the number of agencies,
indicators or quarters; the judging is pure Python (``datasets.spc.xmr``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

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


def agency_series(*, agency_ids: Iterable[int], indicators: dict[int, Indicator],
                  quarters: Sequence[Quarter]) -> dict[tuple[int, int], list[Decimal | None]]:
    """``{(agency_id, indicator_id): [figure per quarter]}`` from accepted returns (1 query).
    Pairs with no figure at all are left out."""
    position = {q.pk: k for k, q in enumerate(quarters)}
    out: dict[tuple[int, int], list[Decimal | None]] = {}
    for agency_id, quarter_id, indicator_id, value, num, den in ReturnValue.objects.filter(
            ret__quarter_id__in=list(position), ret__status=ACCEPTED, ret__agency_id__in=list(agency_ids),
            part__isnull=True, indicator_id__in=list(indicators)).order_by().values_list(
            "ret__agency_id", "ret__quarter_id", "indicator_id", "value", "numerator", "denominator"):
        row = out.setdefault((agency_id, indicator_id), [None] * len(quarters))
        row[position[quarter_id]] = figure(indicators[indicator_id], value, num, den)
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
