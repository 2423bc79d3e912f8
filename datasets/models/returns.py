"""Returns: one agency's values for one quarter, moving through the shared return workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from safeguarding.workflow import WorkflowEvent, WorkflowReturn

from .catalogue import NA_REASON_CHOICES, BreakdownPart, Indicator
from .periods import Quarter


class Return(WorkflowReturn):
    """One agency's part of the quarterly dataset. ``updated_at`` is the version an edit form
    carries: every save of its values touches it, so a stale form is refused."""

    agency = models.ForeignKey("partners.Agency", on_delete=models.PROTECT, related_name="dataset_returns")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="returns")
    created_at = models.DateTimeField(auto_now_add=True)
    # Past years loaded from the old spreadsheets (issue 12.8): accepted and locked at once, never
    # judged for timeliness; ``historical_source`` names where the figures came from.
    historical = models.BooleanField(default=False)
    historical_source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["quarter", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "quarter"], name="return_unique_agency_quarter")]

    def __str__(self) -> str:
        return f"{self.agency} {self.quarter.label}"


class ReturnEvent(WorkflowEvent):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="events")


class ReturnValue(models.Model):
    """One figure of a return: an indicator's total (``part`` empty) or one breakdown part.

    ``value`` is always the figure as the portal holds it: typed for counts, days and pounds;
    computed from ``numerator`` and ``denominator`` for percentages and rates (never typed); for a
    breakdown's total, typed (and checked against the parts) or, left blank, the sum of the parts
    (``value_computed``).
    Every change is kept by django-simple-history (old, new, who, when).
    """

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    part = models.ForeignKey(BreakdownPart, null=True, blank=True, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    narrative = models.TextField(blank=True, max_length=5000)
    # True when the portal worked ``value`` out (a ratio from its numerator and denominator, or a
    # breakdown's total from its parts) rather than a person typing it. Readers can sum ``value``.
    value_computed = models.BooleanField(default=False)
    # "Not available" with its reason (issue 13.1): the figure is then blank, stored as such, never
    # as zero. For a breakdown part "not known"; for a total the portal marks "not known" itself
    # when some parts are not known and no total was given (``value_computed`` is then True).
    na_reason = models.CharField(max_length=30, blank=True, choices=NA_REASON_CHOICES)
    na_note = models.CharField(max_length=300, blank=True)
    # Where a published percentage or rate typed without counts comes from (issue 13.2).
    source = models.CharField(max_length=300, blank=True)
    source_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["ret", "indicator", "part"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "indicator", "part"], name="value_unique_part",
                                    condition=Q(part__isnull=False)),
            models.UniqueConstraint(fields=["ret", "indicator"], name="value_unique_total",
                                    condition=Q(part__isnull=True)),
            models.CheckConstraint(condition=Q(na_reason="") | Q(value__isnull=True, numerator__isnull=True,
                                                                 denominator__isnull=True),
                                   name="value_not_available_is_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}{'/' + self.part.code if self.part_id else ''}: {self.value}"

    @property
    def is_published(self) -> bool:
        """A percentage or rate typed from a published table, without counts (issue 13.2)."""
        return self.value is not None and not self.value_computed and self.numerator is None \
            and self.indicator.is_ratio
