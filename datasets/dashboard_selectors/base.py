"""What every dashboard starts from: quarters, the catalogue, agencies, targets in force and
the partnership's aggregate figures (medians, pooled ratios)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from partners.models import HEALTH_AGENCY_TYPES, Agency
from safeguarding.periods import FinancialQuarter
from safeguarding.workflow import ReturnStatus

from ..models import RATIO_SCALE, Domain, Indicator, PartnershipSummary, Quarter, Return, ReturnValue, Target
from ..rag import rag
from ..validation import compute_ratio

# Fewer contributing agencies than this and a median would give away someone's figure.
MIN_AGGREGATE = 3
HEALTH = "health"
ACCEPTED = ReturnStatus.ACCEPTED


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def figure(indicator: Indicator, value, numerator, denominator) -> Decimal | None:
    """The stored figure, or the ratio from its numerator and denominator if none was stored."""
    if value is not None:
        return value
    if indicator.unit in RATIO_SCALE:
        return compute_ratio(indicator.unit, numerator, denominator)
    return None


# ---------------------------------------------------------------- quarters, catalogue, agencies


RECENT_YEARS = 3


def quarters_for(partnership_id: int) -> list[Quarter]:
    """The partnership's quarters, oldest first, each with ``has_accepted`` and, for the quarters
    of the last three financial years, ``accepted`` (how many accepted returns; 0 for older ones,
    so that a long history costs an index probe per quarter, not a count) (1 query)."""
    accepted = Return.objects.filter(quarter_id=OuterRef("pk"), status=ACCEPTED)
    counted = accepted.order_by().values("quarter_id").annotate(n=Count("id")).values("n")
    latest = Quarter.objects.filter(partnership_id=partnership_id).order_by("-year_start").values("year_start")[:1]
    recent = ExpressionWrapper(Subquery(latest) - (RECENT_YEARS - 1), output_field=IntegerField())
    return list(Quarter.objects.filter(partnership_id=partnership_id).annotate(
        has_accepted=Exists(accepted),
        accepted=Case(When(year_start__gte=recent, then=Coalesce(Subquery(counted), 0)), default=Value(0)),
    ).order_by("year_start", "number"))


def default_quarter(quarters: list[Quarter]) -> Quarter | None:
    """The last quarter PCI can meet about: the latest with at least half as many accepted returns
    as the best-covered quarter (the quarter still being returned has only a few), else the last."""
    most = max((q.accepted for q in quarters), default=0)
    if most:
        return [q for q in quarters if q.accepted * 2 >= most][-1]
    return quarters[-1] if quarters else None


def pick_quarter(quarters: list[Quarter], label: str | None) -> Quarter | None:
    for quarter in quarters:
        if label and quarter.label == label:
            return quarter
    return default_quarter(quarters)


def previous_quarter(quarters: list[Quarter], quarter: Quarter) -> Quarter | None:
    index = next(i for i, q in enumerate(quarters) if q.pk == quarter.pk)
    return quarters[index - 1] if index > 0 else None


def window(quarters: list[Quarter], end: Quarter, span: int) -> list[Quarter]:
    index = next(i for i, q in enumerate(quarters) if q.pk == end.pk)
    return quarters[max(0, index - span + 1): index + 1]


def indicators_of(partnership_id: int) -> list[Indicator]:
    """The whole catalogue, in catalogue order (1 query; it is small and not per quarter)."""
    return list(Indicator.objects.filter(partnership_id=partnership_id).order_by("domain", "order", "code"))


def domains_in(indicators: Iterable[Indicator]) -> list[tuple[str, str]]:
    """The domains that have indicators, in the catalogue's order of domains."""
    present = {indicator.domain for indicator in indicators}
    return [(key, label) for key, label in Domain.choices if key in present]


def default_domain(*, indicators: list[Indicator], agencies: list[Agency], visible: set[int],
                   period: FinancialQuarter) -> str:
    """The first domain (in catalogue order) with an indicator one of the visible agencies reports:
    a submitter's overview opens on something of theirs. No queries."""
    seen = [a for a in agencies if a.pk in visible]
    for key, _label in domains_in(indicators):
        if any(reports(a, i, period) for i in indicators if i.domain == key for a in seen):
            return key
    domains = domains_in(indicators)
    return domains[0][0] if domains else ""


def type_matches(agency_type: str, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted == HEALTH:
        return agency_type in HEALTH_AGENCY_TYPES
    return agency_type == wanted


def agencies_of(partnership_id: int) -> list[Agency]:
    return list(Agency.objects.filter(partnership_id=partnership_id).order_by("name"))


def reports(agency: Agency, indicator: Indicator, period: FinancialQuarter) -> bool:
    return indicator.reported_by(agency.agency_type) and indicator.is_active_in(period) and (
        agency.is_active_on(period.end) or agency.is_active_on(period.start))


# ---------------------------------------------------------------- targets and comparators


def targets_at(*, indicator_ids: Iterable[int], period: FinancialQuarter) -> dict[int, Target]:
    """``{indicator_id: Target}`` in force in ``period`` (1 query, one row per indicator).

    Same rule as ``datasets.selectors.catalogue.target_in_force``, done by ``DISTINCT ON`` so that
    a long history of target rows is never loaded."""
    in_force = Q(year_start__lt=period.year.start_year) | Q(year_start=period.year.start_year,
                                                            effective_from__lte=period.end)
    rows = (Target.objects.filter(in_force, indicator_id__in=list(indicator_ids))
            .order_by("indicator_id", "-year_start", "-effective_from"))
    if connection.vendor == "postgresql":
        return {row.indicator_id: row for row in rows.distinct("indicator_id")}
    # SQLite (the first-look database) has no DISTINCT ON: keep the first row per indicator.
    out: dict[int, Target] = {}
    for row in rows:
        out.setdefault(row.indicator_id, row)
    return out


def rate(indicator: Indicator, value: Decimal | None, target: Target | None) -> str | None:
    if target is None:
        return None
    return rag(value, indicator.polarity, target.target, target.amber_threshold)


# ---------------------------------------------------------------- aggregates


def small_count() -> int:
    """A pooled numerator or a total count from 1 up to this many children is withheld (issue 13.9):
    national statistics suppress such small numbers too. ``DATASETS_SMALL_COUNT``, default 5."""
    return int(getattr(settings, "DATASETS_SMALL_COUNT", 5))


NOT_POOLED = "not pooled: some figures have no counts"


@dataclass(frozen=True)
class PartnershipFigure:
    """The partnership's figure for one indicator and quarter, and the one rule (issue 13.9) that
    decides whether it is shown — the dashboards, their exports and the report all read ``value``
    and ``withheld`` from here, so they cannot disagree.

    ``count`` agencies contributed a figure; ``median`` is their median; for percentages and rates
    ``pooled`` is all numerators over all denominators, only when every agency gave counts
    (``counted == count``), otherwise ``None`` and ``not_pooled`` says so (issue 13.2). ``small``
    is True when the pooled numerator (ratios) or the total (counts) is between 1 and
    ``small_count()``.
    """

    count: int
    median: Decimal | None
    pooled: Decimal | None
    counted: int = 0
    small: bool = False
    is_ratio: bool = False
    # Reported by one kind of agency only (the local authority's child protection figures, the
    # community trust's health assessments): the figure is that agency's own, published as such,
    # so it is not withheld for coming from fewer than MIN_AGGREGATE agencies.
    single_type: bool = False

    @property
    def withheld(self) -> str:
        """Why the figure is withheld ("" when shown): fewer than ``MIN_AGGREGATE`` agencies of
        an indicator several kinds of agency report, or a small count."""
        if not self.count:
            return ""
        if self.count < MIN_AGGREGATE and not self.single_type:
            return f"fewer than {MIN_AGGREGATE} agencies report it"
        if self.small:
            return "a small count"
        return ""

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def not_pooled(self) -> str:
        """"not pooled: some figures have no counts" for a ratio some agencies gave as published
        figures without counts; "" otherwise."""
        return NOT_POOLED if self.is_ratio and self.count and self.counted < self.count else ""

    @property
    def basis(self) -> str:
        """"pooled" or "median": which figure ``value`` is."""
        return "pooled" if self.is_ratio and self.pooled is not None else "median"

    @property
    def value(self) -> Decimal | None:
        """The partnership's figure as every output shows it: the pooled ratio when there is one,
        else the median; ``None`` when withheld or nobody contributed."""
        if not self.count or not self.shown:
            return None
        return self.pooled if self.basis == "pooled" else self.median


def partnership_shown(figure: PartnershipFigure | None) -> tuple[Decimal | None, str]:
    """The one withholding selector: ``(value, why_not)`` for a partnership figure — the value
    shown, or ``None`` with the reason ("fewer than 3 agencies report it", "a small count", or ""
    when nobody contributed)."""
    if figure is None:
        return None, ""
    return figure.value, figure.withheld


def aggregates(*, quarter_ids: Iterable[int],
               indicators: dict[int, Indicator]) -> dict[tuple[int, int], PartnershipFigure]:
    """``{(quarter_id, indicator_id): PartnershipFigure}`` over every agency's accepted figure (1 query).

    On PostgreSQL the figures come from ``PartnershipSummary``, one row per (quarter, indicator)
    kept by the database's triggers from the stored values (``datasets/0008``): a page judging 24
    quarters reads 24 rows an indicator however many agencies there are. Elsewhere (SQLite) they
    are worked out from the values here."""
    if connection.vendor == "postgresql":
        rows = PartnershipSummary.objects.filter(quarter_id__in=list(quarter_ids),
                                                 indicator_id__in=list(indicators)).values(
            "indicator_id", "median", "counted", ret__quarter_id=F("quarter_id"), n=F("contributors"),
            num=F("numerator_total"), den=F("denominator_total"), total=F("value_total"))
    else:
        rows = _aggregate_in_python(ReturnValue.objects.filter(
            ret__quarter_id__in=list(quarter_ids), ret__status=ACCEPTED, part__isnull=True,
            indicator_id__in=list(indicators), value__isnull=False))
    out = {}
    limit = small_count()
    for row in rows:
        indicator = indicators[row["indicator_id"]]
        pooled = None
        is_ratio = indicator.unit in RATIO_SCALE
        num = _dec(row["num"])
        if is_ratio and row["counted"] == row["n"]:
            pooled = compute_ratio(indicator.unit, num, _dec(row["den"]))
        if is_ratio:
            small = pooled is not None and num is not None and 0 < num <= limit
        else:
            total = _dec(row["total"])
            small = indicator.unit == "count" and total is not None and 0 < total <= limit
        median = _dec(row["median"])
        out[(row["ret__quarter_id"], row["indicator_id"])] = PartnershipFigure(
            count=row["n"], median=median.quantize(Decimal("0.0001")) if median is not None else None, pooled=pooled,
            counted=row["counted"], small=small, is_ratio=is_ratio,
            single_type=len(set(indicator.agency_types or [])) == 1)
    return out


def _aggregate_in_python(values) -> list[dict]:
    """The same rows as the PostgreSQL aggregate, for SQLite, which has no percentile_cont."""
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for quarter_id, indicator_id, value, numerator, denominator in values.values_list(
            "ret__quarter_id", "indicator_id", "value", "numerator", "denominator"):
        groups[(quarter_id, indicator_id)].append((value, numerator, denominator))
    return [{"ret__quarter_id": q, "indicator_id": i, "n": len(rows),
             "median": statistics.median(_dec(r[0]) for r in rows),
             "num": _sum_or_none(r[1] for r in rows), "den": _sum_or_none(r[2] for r in rows),
             "counted": sum(1 for r in rows if r[1] is not None), "total": _sum_or_none(r[0] for r in rows)}
            for (q, i), rows in groups.items()]


def _sum_or_none(values) -> Decimal | None:
    present = [_dec(v) for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def indicator_by_code(*, partnership_id: int | None, code: str) -> Indicator | None:
    return Indicator.objects.filter(partnership_id=partnership_id, code=code).first()
