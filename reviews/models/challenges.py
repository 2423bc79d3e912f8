"""The PCI impact log: challenges raised to agencies, their answers and outcomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESPONDED = "responded", "Responded"
    CLOSED = "closed", "Assured and closed"
    ESCALATED = "escalated", "Escalated"


class Challenge(models.Model):
    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="challenges")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forum = models.ForeignKey("partners.Subgroup", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="challenges")
    agency = models.ForeignKey("partners.Agency", on_delete=models.PROTECT, related_name="challenges")
    issue = models.TextField()
    # Text until the indicator catalogue can be linked: the code as the dashboards show it.
    indicator_code = models.CharField(max_length=40, blank=True)
    quarter_label = models.CharField(max_length=20, blank=True)
    return_reference = models.CharField(max_length=100, blank=True)
    evidence_requested = models.TextField(blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    outcome = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response_due_on__isnull=True) | models.Q(response_due_on__gte=models.F("raised_on")),
                name="challenge_response_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return f"Challenge {self.pk} to {self.agency}"

    @property
    def reference(self) -> str:
        return f"CH-{self.pk:04d}" if self.pk else "CH-new"
