"""Reporting quarters: financial-year quarters of one partnership, with their dates."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.periods import FinancialQuarter, FinancialYear


class Quarter(models.Model):
    """A financial-year quarter of one partnership, with the dates its returns open and are due."""

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="quarters")
    year_start = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    number = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "year_start", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year_start", "number"], name="quarter_unique"),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=4), name="quarter_number_1_to_4"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opens_on")), name="quarter_due_after_open"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def period(self) -> FinancialQuarter:
        return _period(self.year_start, self.number)

    @property
    def label(self) -> str:
        return _label(self.year_start, self.number)

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year_start).label

    @property
    def starts_on(self):
        return self.period.start

    @property
    def ends_on(self):
        return self.period.end

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


# A quarter's period and label depend only on its year and number, and ``FinancialQuarter`` is
# immutable: worked out once per quarter, not for every lookup (a dashboard's pick-lists and
# windows read the labels of a partnership's 160 quarters several times a page).
@lru_cache(maxsize=4096)
def _period(year_start: int, number: int) -> FinancialQuarter:
    return FinancialQuarter(FinancialYear(year_start), number)


@lru_cache(maxsize=4096)
def _label(year_start: int, number: int) -> str:
    return _period(year_start, number).label
