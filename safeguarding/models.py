"""The audit log: an append-only record of every change made through a service."""

from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):  # pragma: no cover - the guard is the point
        raise PermissionError("Audit events are never deleted.")

    def update(self, **kwargs):
        raise PermissionError("Audit events are never changed.")


class AuditEvent(models.Model):
    """Who did what to which object, with the state before and after.

    Written only by ``safeguarding.audit.audit_record``; PostgreSQL refuses UPDATE and DELETE on
    the table (see the migration), so not even a shell session can rewrite history.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are never deleted.")


class SentReminder(models.Model):
    """A reminder that has gone out, keyed so that the same reminder is never sent twice.

    The key names the occasion, e.g. ``return-due:datasets.return:42:7-days``. The row is written
    in the same transaction that sends, so a beat task that runs twice sends once.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.key} -> {self.recipient}"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Email me each notification as it happens"
    DIGEST = "digest", "Email me one daily digest"


class NotificationPreference(models.Model):
    """How a person wants their notifications emailed (issue 16.3). No row means immediate."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_mode = models.CharField(max_length=12, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(email_mode__in=EmailMode.values),
                                              name="notification_preference_mode_valid")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"


class Notification(models.Model):
    """Something a person is told: shown on their home page and emailed once, at once or in the
    day's digest (``safeguarding.notifications``).

    ``key`` names the occasion and the person (``return.queried:datasets.return:42:event-7:user-3``),
    so the same event never notifies the same person twice, whoever calls ``notify`` again.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    partnership = models.ForeignKey("partners.Partnership", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    kind = models.CharField(max_length=60, help_text="The event, e.g. return.queried or action.assured.")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True, max_length=5000)
    url = models.CharField(max_length=300, blank=True, help_text="The page to open, a path within the portal.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["emailed_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject}"


class PendingUpload(models.Model):
    """An uploaded file waiting for its person to confirm the changes it was shown to make.

    The preview step (``safeguarding.upload_preview``) keeps the file here, keyed by a random
    token, with the digest of the changes it showed; "Save these changes" reads the file back
    from here (never from the browser) and saves only if the changes are still the same. Rows
    older than ``upload_preview.PENDING_HOURS`` are deleted whenever a new one is written.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=120)  # which page and object, e.g. "datasets.return:42"
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.filename}"


class ThrottledEmail(models.Model):
    """One email that people made the portal send (a password reset asked for, an invitation, an
    immediate notification), kept to throttle them per address, per sender and per client
    (``safeguarding.email_throttle``; issue 11.5 and its siblings). The address is stored as a hash
    of its canonical form, whether or not it has an account; rows older than a day are deleted
    whenever a new one is written."""

    kind = models.CharField(max_length=20, default="password_reset", db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    sender_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} to {self.address_hash[:8]}… at {self.requested_at:%Y-%m-%d %H:%M}"
