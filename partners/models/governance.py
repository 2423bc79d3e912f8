"""Governance: board and subgroup meetings with attendance by agency, the budget per financial
year, and the partnership's priorities. Read by the annual report through partners.governance.selectors."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .people import Agency, Partnership, Subgroup

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Meeting(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    notes = models.TextField(blank=True, help_text="What the meeting decided, for the annual report.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "subgroup__name"]
        constraints = [
            models.UniqueConstraint(fields=["subgroup", "held_on"], name="meeting_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.subgroup} on {self.held_on:%d %B %Y}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        DEPUTY = "deputy", "Sent a deputy"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    # An agency is represented when it was there in person or through a deputy.
    REPRESENTED = (Status.PRESENT, Status.DEPUTY)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_once_per_meeting"),
            models.CheckConstraint(condition=Q(status__in=["present", "deputy", "apologies", "absent"]),
                                   name="attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_status_display()}"


class Budget(models.Model):
    """One financial year's budget; its totals are computed, never typed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="budgets")
    year_start = models.PositiveIntegerField(help_text="2024 for 2024/25.")
    reserves_used = models.DecimalField(default=Decimal("0"), **MONEY)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year_start"], name="budget_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"Budget {self.year_start}/{(self.year_start + 1) % 100:02d}"


class Contribution(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contributions")
    cash = models.DecimalField(default=Decimal("0"), **MONEY)
    in_kind = models.DecimalField(default=Decimal("0"), **MONEY)
    in_kind_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "agency"], name="contribution_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: £{self.cash} + £{self.in_kind} in kind"

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind


class BudgetLine(models.Model):
    """Income other than contributions (training charges, grants) and expenditure by category."""

    class Kind(models.TextChoices):
        INCOME = "income", "Income"
        EXPENDITURE = "expenditure", "Expenditure"

    class Category(models.TextChoices):
        TRAINING_CHARGES = "training_charges", "Training charges"
        GRANT = "grant", "Grants"
        OTHER_INCOME = "other_income", "Other income"
        STAFFING = "staffing", "Staffing"
        INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
        TRAINING = "training", "Training"
        REVIEWS = "reviews", "Reviews"
        OTHER = "other", "Other expenditure"

    INCOME_CATEGORIES = ("training_charges", "grant", "other_income")
    EXPENDITURE_CATEGORIES = ("staffing", "independent_chair", "training", "reviews", "other")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["kind", "category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="income", category__in=["training_charges", "grant", "other_income"])
                           | Q(kind="expenditure",
                               category__in=["staffing", "independent_chair", "training", "reviews", "other"])),
                name="budget_line_category_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.amount}"


class Priority(models.Model):
    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        PARTLY_MET = "partly_met", "Partly met"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="priorities")
    year_start = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    outcome = models.TextField(blank=True, help_text="What will be different for children.")
    actions = models.TextField(blank=True)
    progress = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year_start", "position", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year_start", "title"], name="priority_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title
