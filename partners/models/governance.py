"""Governance: the seats of the board and subgroups, their meetings with attendance per seat, the
budget per financial year, and the partnership's priorities. Read by the annual report through
partners.governance.selectors."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .people import Agency, Partnership, Subgroup

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# Named roles that hold a seat without being an agency (Working Together 2023; issue 12.3). The
# business manager may type any other role; these are offered first.
STANDARD_SEAT_ROLES = (
    "Independent chair",
    "Independent scrutineer",
    "Lay member",
    "School or college representative",
    "Designated doctor",
)


class Seat(models.Model):
    """A place on the board or a subgroup, held by an agency or by a named role that is no agency
    (an independent chair, a lay member, a school representative). Attendance is recorded per
    seat. A role seat is never an agency: it has no returns, report section, contribution or
    actions, because none of those can point at a seat."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="seats")
    subgroup = models.ForeignKey(Subgroup, on_delete=models.PROTECT, related_name="seats")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=120, blank=True,
                            help_text="For a seat no agency holds: e.g. Independent chair, Lay member.")
    holder = models.CharField(max_length=150, blank=True, help_text="Who holds the seat now (optional).")
    is_active = models.BooleanField(default=True, help_text="A seat that is no longer on the body keeps its history.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_active", "role", "agency__name", "holder"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, role="") | (Q(agency__isnull=True) & ~Q(role="")),
                name="seat_held_by_agency_or_role"),
            models.UniqueConstraint(fields=["subgroup", "agency"], condition=Q(agency__isnull=False),
                                    name="seat_once_per_agency"),
            models.UniqueConstraint("subgroup", Lower("role"), Lower("holder"), condition=Q(agency__isnull=True),
                                    name="seat_once_per_role_and_holder"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_agency(self) -> bool:
        return self.agency_id is not None

    @property
    def label(self) -> str:
        """How the seat is named in pages and the report: the agency's name, or the role (with
        the holder's name when given)."""
        if self.agency_id:
            return self.agency.name
        return f"{self.role} ({self.holder})" if self.holder else self.role


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

    # A seat is represented when its holder was there in person or sent a deputy.
    REPRESENTED = (Status.PRESENT, Status.DEPUTY)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["seat__agency__name", "seat__role"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat"),
            models.CheckConstraint(condition=Q(status__in=["present", "deputy", "apologies", "absent"]),
                                   name="attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_status_display()}"


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
