"""Single-agency training returns: per staff group and level, eligible and trained staff.

A return moves through the shared workflow (``safeguarding.workflow``), the same one as the
quarterly dataset's returns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from safeguarding.workflow import WorkflowEvent, WorkflowReturn

from .catalogue import Level, StaffGroup


class TrainingReturn(WorkflowReturn):
    """One agency's training figures for one quarter. ``updated_at`` is the version edit forms
    carry: every save of its figures touches it, so a stale form is refused."""

    agency = models.ForeignKey("partners.Agency", on_delete=models.PROTECT, related_name="training_returns")
    quarter = models.ForeignKey("datasets.Quarter", on_delete=models.PROTECT, related_name="training_returns")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["quarter", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "quarter"], name="training_return_unique")]

    def __str__(self) -> str:
        return f"{self.agency} training {self.quarter.label}"


class TrainingReturnEvent(WorkflowEvent):
    ret = models.ForeignKey(TrainingReturn, on_delete=models.CASCADE, related_name="events")


class TrainingFigure(models.Model):
    """One line of a return: a staff group at a level. Compliance is computed, never typed.
    Every change is kept by django-simple-history (old, new, who, when)."""

    ret = models.ForeignKey(TrainingReturn, on_delete=models.CASCADE, related_name="figures")
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="figures")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="figures")
    eligible = models.PositiveIntegerField(null=True, blank=True)
    trained = models.PositiveIntegerField(null=True, blank=True)
    narrative = models.TextField(blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["ret", "staff_group__order", "staff_group__name", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["ret", "staff_group", "level"], name="training_figure_unique"),
            models.CheckConstraint(condition=Q(trained__isnull=True) | Q(eligible__isnull=True)
                                   | Q(trained__lte=F("eligible")), name="training_figure_trained_le_eligible"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_group} {self.level}: {self.trained}/{self.eligible}"
