"""What training is measured against: intercollegiate levels, staff groups, targets by year."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safeguarding.periods import FinancialYear


class Level(models.Model):
    """A training level (intercollegiate levels 1-5, board level): an editable list."""

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="training_levels")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="training_level_unique_name")]

    def __str__(self) -> str:
        return self.name


class StaffGroup(models.Model):
    """A group of staff whose training an agency reports (GPs, midwives, police officers ...).

    ``agency_types`` lists the ``partners.AgencyType`` values whose returns include the group;
    ``levels`` are the levels the group is measured at (GPs at level 3, practice staff at 1).
    """

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT,
                                    related_name="training_staff_groups")
    name = models.CharField(max_length=150)
    agency_types = models.JSONField(default=list, blank=True)
    levels = models.ManyToManyField(Level, related_name="staff_groups", blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="training_staff_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class TrainingTarget(models.Model):
    """The compliance target (a percentage) in force from ``effective_from``.

    Like indicator targets, rows are added and never overwritten, so a past quarter keeps the
    RAG it had. ``level`` empty means every level; a row for a level beats the general row.
    ``amber_threshold`` is the edge between amber and red; without one a missed target is red.
    """

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT,
                                    related_name="training_targets")
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="targets")
    year_start = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    effective_from = models.DateField()
    target = models.DecimalField(max_digits=5, decimal_places=2)
    amber_threshold = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year_start", "effective_from", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year_start", "effective_from"],
                                    condition=Q(level__isnull=True), name="training_target_unique_general"),
            models.UniqueConstraint(fields=["partnership", "level", "year_start", "effective_from"],
                                    condition=Q(level__isnull=False), name="training_target_unique_level"),
            models.CheckConstraint(condition=Q(target__gte=0) & Q(target__lte=100), name="training_target_0_100"),
            models.CheckConstraint(condition=Q(amber_threshold__isnull=True) | (
                Q(amber_threshold__gte=0) & Q(amber_threshold__lte=models.F("target"))),
                name="training_target_amber_below_target"),
        ]

    def __str__(self) -> str:
        return f"{self.year_label} {self.level or 'all levels'}: {self.target}%"

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year_start).label
