"""The review register: practice reviews, inspections and audits, and their recommendations."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models

from safeguarding.working_days import add_working_days


class ReviewType(models.TextChoices):
    CSPR = "cspr", "Child safeguarding practice review"
    RAPID = "rapid", "Rapid review"
    SCR = "scr", "Serious case review"
    LEARNING = "learning", "Learning review"
    DHR = "dhr", "Domestic homicide review"
    SAR = "sar", "Safeguarding adults review"
    INSPECTION = "inspection", "Inspection"
    MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
    SINGLE_AGENCY_AUDIT = "single_agency_audit", "Single-agency audit"
    SECTION_11 = "section_11", "Section 11 audit"


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    SUMMARY = "summary", "Summary only"
    NOT_PUBLISHED = "not_published", "Not published"


class ReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Review in progress"
    ACTION_PLAN = "action_plan", "Action plan being delivered"
    CLOSED = "closed", "Closed"


class Theme(models.Model):
    """A learning theme shared across reviews ("information sharing", "neglect")."""

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="theme_unique_name")]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="reviews")
    review_type = models.CharField(max_length=30, choices=ReviewType.choices)
    title = models.CharField(max_length=200, help_text="A title or pseudonym: never a child's real name.")
    lead_partnership = models.CharField(max_length=200, blank=True,
                                        help_text="For a joint review led by another partnership.")
    notified_on = models.DateField(null=True, blank=True)
    commissioned_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    publication_status = models.CharField(max_length=20, choices=PublicationStatus.choices,
                                          default=PublicationStatus.NOT_PUBLISHED)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.IN_PROGRESS)
    summary = models.TextField(blank=True)
    action_plan_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days after the report within which the action plan is due.")
    themes = models.ManyToManyField(Theme, blank=True, related_name="reviews")
    agencies = models.ManyToManyField("partners.Agency", blank=True, related_name="reviews")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-notified_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="review_unique_title"),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(started_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="review_completed_after_started",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def report_date(self) -> dt.date | None:
        """The day the report was received: the start of the action-plan clock."""
        return self.published_on or self.completed_on

    @property
    def action_plan_due_on(self) -> dt.date | None:
        if self.action_plan_working_days is None or self.report_date is None:
            return None
        return add_working_days(self.report_date, self.action_plan_working_days)


_NUMBER_PART = re.compile(r"\d+|\D+")


def number_sort_key(number: str) -> str:
    """"1.10" after "1.9": digit runs are zero-padded so that text ordering is numeric."""
    return "".join(p.zfill(6) if p.isdigit() else p for p in _NUMBER_PART.findall(number.strip().lower()))[:60]


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=60, editable=False)
    text = models.TextField()
    # The agencies named one by one. Groups ("all member agencies", "the partnership") are in
    # ``groups`` (RecommendationGroup); together they are the addressees as written.
    addressees = models.ManyToManyField("partners.Agency", blank=True, related_name="recommendations")
    made_on = models.DateField(help_text="The date the recommendation was made: groups of agencies are taken "
                                         "as they stood on this day.")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="recommendations",
                              help_text="Groups the same recommendation made to several agencies.")
    source_paragraph = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="recommendation_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"


class AddresseeGroup(models.TextChoices):
    """A group a recommendation can be addressed to (issue 12.4; DOMAIN "Addressees and audiences")."""

    PARTNERSHIP = "partnership", "The partnership"
    ALL_MEMBERS = "all_members", "All member agencies"
    HEALTH_PROVIDERS = "health_providers", "All health providers"
    AGENCY_TYPE = "agency_type", "All agencies of one type"


# How a group of one agency type reads in the register ("All police forces"), by AgencyType value.
TYPE_GROUP_LABELS = {
    "la_csc": "All local authority children's social care services",
    "education": "All schools and colleges",
    "health_commissioner": "All health commissioners",
    "acute_trust": "All acute hospital trusts",
    "community_health": "All community health providers",
    "mental_health_trust": "All mental health trusts",
    "primary_care": "All GP practices",
    "police": "All police forces",
    "probation": "All probation services",
    "youth_justice": "All youth justice services",
    "drug_alcohol": "All drug and alcohol services",
    "voluntary": "All voluntary sector agencies",
    "other": "All other agencies",
}


class RecommendationGroup(models.Model):
    """One group among a recommendation's addressees: the partnership itself, all member agencies,
    all health providers, or all agencies of one type. Which agencies a group holds is worked out
    on the recommendation's ``made_on`` date (``reviews.selectors.recommendation_addressed_agencies``)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=20, choices=AddresseeGroup.choices)
    agency_type = models.CharField(max_length=30, blank=True,
                                   help_text="For a group of one agency type: the type (an AgencyType value).")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "kind", "agency_type"],
                                    name="recommendation_group_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind="agency_type") & ~models.Q(agency_type=""))
                | (~models.Q(kind="agency_type") & models.Q(agency_type="")),
                name="recommendation_group_type_only_for_type_groups",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The group as the register writes it: "The partnership", "All schools and colleges"."""
        if self.kind == AddresseeGroup.AGENCY_TYPE:
            return TYPE_GROUP_LABELS.get(self.agency_type, f"All agencies of type {self.agency_type}")
        return AddresseeGroup(self.kind).label

    @property
    def code(self) -> str:
        """The group as one string, as forms and services pass it: ``all_members`` or ``type:police``."""
        return f"type:{self.agency_type}" if self.kind == AddresseeGroup.AGENCY_TYPE else self.kind
