"""The indicator catalogue: indicators, their breakdown parts, targets by year, comparators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

from safeguarding.formatting import NA_REASONS
from safeguarding.periods import FinancialQuarter, FinancialYear

# Why a figure, comparator or breakdown part is not available (issue 13.1).
NA_REASON_CHOICES = list(NA_REASONS.items())


class Domain(models.TextChoices):
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_NEED = "children_in_need", "Children in need and referrals"
    LOOKED_AFTER = "looked_after", "Children looked after"
    HEALTH = "health", "Health"
    TRAINING = "training", "Training and supervision"
    EARLY_HELP = "early_help", "Early help"
    EXPLOITATION = "exploitation", "Exploitation and missing"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EDUCATION = "education", "Education"
    ALLEGATIONS = "allegations", "Allegations against staff (LADO)"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE_10K = "rate_10k", "Rate per 10,000 children"
    DAYS = "days", "Days"
    POUNDS = "pounds", "Pounds (£)"


# Units whose figure the portal computes from a numerator and a denominator.
RATIO_UNITS = frozenset({Unit.PERCENTAGE, Unit.RATE_10K})
RATIO_SCALE = {Unit.PERCENTAGE: Decimal(100), Unit.RATE_10K: Decimal(10000)}
# Units that must be whole numbers when typed directly.
WHOLE_UNITS = frozenset({Unit.COUNT})


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neither (context only, no RAG)"


class Indicator(models.Model):
    """One figure an agency returns each quarter.

    ``agency_types`` lists ``partners.AgencyType`` values; an agency reports the indicator if its
    type is listed and the indicator is active in the quarter. Percentages and rates are never
    typed: the agency gives the numerator and denominator and the portal computes the figure.
    A breakdown (``breakdown_label`` plus ``parts``) splits a count into parts whose sum is the
    total; a typed total must equal the sum of its parts.
    """

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(max_length=40, help_text="A short code used in spreadsheets, e.g. LA-CPP-01.")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    domain = models.CharField(max_length=30, choices=Domain.choices)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    numerator_label = models.CharField(max_length=200, blank=True)
    denominator_label = models.CharField(max_length=200, blank=True)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    agency_types = models.JSONField(default=list, blank=True,
                                    help_text="The agency types (partners.AgencyType values) that report it.")
    breakdown_label = models.CharField(max_length=120, blank=True,
                                       help_text="What the parts are, e.g. 'Category of abuse'.")
    required = models.BooleanField(default=True, help_text="A return cannot be submitted without it.")
    decimals = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Decimals shown for this figure; blank for the unit's default (counts, days and £ 0, "
                  "percentages and rates 1). See safeguarding.formatting.")
    min_abs_change = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True,
        help_text="A movement smaller than this (in the indicator's own unit) never needs a narrative, "
                  "however large in relative terms: e.g. 2 for a small count, so 1 → 0 does not.")
    training_level = models.CharField(
        max_length=100, blank=True,
        help_text="For a training compliance percentage: the training level (by name) whose accepted training "
                  "return fills this figure. A typed figure that differs from it is refused (issue 13.8).")
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="indicator_unit_valid"),
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="indicator_polarity_valid"),
            models.CheckConstraint(condition=Q(decimals__isnull=True) | Q(decimals__lte=4),
                                   name="indicator_decimals_at_most_4"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="indicator_active_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_ratio(self) -> bool:
        return self.unit in RATIO_UNITS

    @property
    def is_whole(self) -> bool:
        return self.unit in WHOLE_UNITS

    @property
    def has_breakdown(self) -> bool:
        return bool(self.breakdown_label)

    def is_active_in(self, quarter: FinancialQuarter) -> bool:
        return (self.active_from is None or self.active_from <= quarter.end) and (
            self.active_to is None or self.active_to >= quarter.start
        )

    def reported_by(self, agency_type: str) -> bool:
        return agency_type in (self.agency_types or [])


class BreakdownPart(models.Model):
    """One part of an indicator's breakdown (e.g. 'Neglect' of CP plans by category)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="part_unique_code")]

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    """A target and RAG thresholds for one indicator, in force from ``effective_from``.

    Rows are kept, never overwritten, so a past quarter keeps the RAG it had: the row in force for
    a quarter is the latest of its financial year whose ``effective_from`` is on or before the
    quarter's end (falling back to the latest row of an earlier year). ``amber_threshold`` is the
    edge between amber and red: with "higher is better" values at or above the target are green,
    at or above the threshold amber, below it red (mirrored for "lower is better"). Without a
    threshold a missed target is red.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year_start = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    effective_from = models.DateField()
    target = models.DecimalField(max_digits=14, decimal_places=4)
    amber_threshold = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "year_start", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year_start", "effective_from"],
                                    name="target_unique_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year_label}: {self.target}"

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year_start).label

    @staticmethod
    def default_effective_from(year_start: int) -> dt.date:
        return FinancialYear(year_start).start


class ComparatorKind(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "neighbours", "Statistical neighbours"


class Comparator(models.Model):
    """A published benchmark for an indicator (or one part of its breakdown) in one financial year
    (usually a year behind). ``value`` is blank exactly when ``na_reason`` says why it is not
    available (issue 13.1); the year is shown wherever the comparator is (13.3)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparators")
    part = models.ForeignKey(BreakdownPart, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="comparators")
    year_start = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ComparatorKind.choices)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    na_reason = models.CharField(max_length=30, blank=True, choices=NA_REASON_CHOICES)
    na_note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "year_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year_start", "kind"], name="comparator_unique",
                                    condition=Q(part__isnull=True)),
            models.UniqueConstraint(fields=["indicator", "part", "year_start", "kind"],
                                    name="comparator_part_unique", condition=Q(part__isnull=False)),
            models.CheckConstraint(condition=(Q(na_reason="") & Q(value__isnull=False))
                                   | (~Q(na_reason="") & Q(value__isnull=True)),
                                   name="comparator_value_or_reason"),
            models.CheckConstraint(condition=Q(kind__in=ComparatorKind.values), name="comparator_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_kind_display()} {FinancialYear(self.year_start).label}"

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year_start).label
