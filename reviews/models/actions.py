"""Actions under a recommendation or a challenge, their progress, evidence and assurance."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ActionStatus(models.TextChoices):
    # Made from a recommendation for an addressed agency, waiting for its lead and due date (16.4).
    DRAFT = "draft", "Draft: lead and due date to add"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed, awaiting assurance"
    ASSURED = "assured", "Assured"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    SUPERSEDED = "superseded", "Superseded"


# Statuses in which the owner still has work to do: only these can be overdue (a draft has no due date).
OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
# Statuses still to be delivered, drafts included: the owner's "my actions" list shows these.
TO_DO_STATUSES = (ActionStatus.DRAFT, *OPEN_STATUSES)


class Action(models.Model):
    """An agency's action, or, with no ``owner_agency``, the partnership's own action (a
    recommendation addressed to "the partnership": the business manager owns it; PCI assures it)."""

    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="+")
    recommendation = models.ForeignKey("reviews.Recommendation", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="actions")
    challenge = models.ForeignKey("reviews.Challenge", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="actions")
    owner_agency = models.ForeignKey("partners.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="review_actions",
                                     help_text="Empty for the partnership's own action.")
    lead_name = models.CharField(max_length=150, blank=True)
    lead_role = models.CharField(max_length=150, blank=True)
    description = models.TextField()
    start_on = models.DateField()
    due_on = models.DateField(null=True, blank=True, help_text="Empty only while the action is a draft.")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    assured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    assured_at = models.DateTimeField(null=True, blank=True)
    # The days these things happened, as entered (default today, never after it): the annual
    # report reads the year as it stood from them, not from when they were typed in (issue 15.1).
    completed_on = models.DateField(null=True, blank=True)
    assured_on = models.DateField(null=True, blank=True)
    assurance_comment = models.TextField(blank=True)
    # The indicator the action is expected to move, so the dashboards can show its effect.
    indicator = models.ForeignKey("datasets.Indicator", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="review_actions")
    # Why an action was assured with no evidence file: kept because it is an exception.
    no_evidence_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__isnull=True) | Q(due_on__gte=F("start_on")),
                                   name="action_due_after_start"),
            models.CheckConstraint(condition=Q(status="draft") | (Q(due_on__isnull=False) & ~Q(lead_name="")),
                                   name="action_lead_and_due_unless_draft"),
            models.CheckConstraint(
                condition=(Q(recommendation__isnull=False) & Q(challenge__isnull=True))
                | (Q(recommendation__isnull=True) & Q(challenge__isnull=False)),
                name="action_has_one_source",
            ),
            models.CheckConstraint(
                condition=~Q(status="assured") | (Q(assured_by__isnull=False) & Q(assured_at__isnull=False)),
                name="action_assured_has_signoff",
            ),
        ]
        indexes = [models.Index(fields=["owner_agency", "status", "due_on"]),
                   models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        """The owner as pages and the report write it: the agency's name, or "The partnership"."""
        return self.owner_agency.name if self.owner_agency_id else "The partnership"

    @property
    def is_draft(self) -> bool:
        return self.status == ActionStatus.DRAFT

    @property
    def source_label(self) -> str:
        if self.recommendation_id:
            return f"{self.recommendation.review.title}, recommendation {self.recommendation.number}"
        return f"Challenge {self.challenge_id}"

    def rag(self, today=None) -> str:
        from reviews.rag import action_rag

        return action_rag(status=self.status, start_on=self.start_on, due_on=self.due_on, today=today)


class ActionStatusChange(models.Model):
    """Each change of an action's status, dated when it happened (entered, never after the day
    it was recorded). The status on a day is the latest change on or before it; an action with
    none was not started. Written only by the reviews services; read by
    ``reviews.selectors.actions_as_at`` for the annual report (issue 15.1)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    on = models.DateField(help_text="The day the change happened.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["action", "on"])]

    def __str__(self) -> str:
        return f"{self.on}: {self.get_status_display()}"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress_updates")
    on = models.DateField(help_text="The date the progress refers to.")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never comes from the person's file name: it only keeps the checked extension.
    return f"reviews/evidence/{instance.action_id}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)
    evidence_date = models.DateField(help_text="The date the evidence is from, not the upload date.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evidence_date", "-id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name
