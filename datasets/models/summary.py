"""The partnership's figure for each quarter and indicator, kept by PostgreSQL itself.

The dashboards judge the partnership row over 24 quarters (the SPC window): for 200 agencies
that is a median of 72,000 accepted figures a page, about 100 ms of SQL at 4.8 million values,
and it grows with the number of agencies whatever the page shows. This table holds, per
(quarter, indicator), what that median and the pooled ratio are worked out from, so a page reads
24 × 15 rows instead.

It is never written by Python. Statement triggers on ``datasets_return`` and
``datasets_returnvalue`` (migration ``datasets/0008_partnership_summary``) recompute the rows of
every (quarter, indicator) a statement touches from the stored figures, whoever writes them: the
return workflow (accept, reopen), historical loads, bulk ``COPY``, a correction, a delete. The
recomputation takes a per-quarter advisory lock first, so two returns accepted at once cannot
leave a row without the other. ``tests/dashboards/test_partnership_summary.py`` checks the rows
against the same figures worked out from the values, after each kind of write.

SQLite (the first-look database) has no triggers here: its table stays empty and the dashboards
work the figures out from the values (``datasets.dashboard_selectors.base.aggregates``).
"""

from __future__ import annotations

from django.db import models

from .catalogue import Indicator
from .periods import Quarter


class PartnershipSummary(models.Model):
    """What the partnership's figure for one indicator in one quarter is worked out from, over
    the accepted returns' totals (``part`` empty) that have a figure.

    ``contributors`` agencies gave a figure; ``median`` is their median (PostgreSQL's
    ``percentile_cont(0.5)``, a float as the live aggregate returns it); ``numerator_total`` and
    ``denominator_total`` sum the counts given (``counted`` of the contributors gave a
    numerator); ``value_total`` sums the figures (used for the small-count rule on counts).
    Units are the indicator's own (a percentage 0–100, money in pounds)."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    contributors = models.PositiveIntegerField()
    median = models.FloatField(null=True)
    numerator_total = models.DecimalField(max_digits=30, decimal_places=4, null=True)
    denominator_total = models.DecimalField(max_digits=30, decimal_places=4, null=True)
    counted = models.PositiveIntegerField()
    value_total = models.DecimalField(max_digits=30, decimal_places=4, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quarter", "indicator"], name="summary_unique_quarter_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} in {self.quarter_id}: {self.contributors} agencies"
