"""Thin Celery tasks for the shared notifications (``safeguarding.notifications``)."""

from celery import shared_task

from . import notifications


@shared_task(name="safeguarding.send_notification", time_limit=60, soft_time_limit=45)
def send_notification(notification_id: int) -> bool:
    """Email one notification at once (immediate mode); sends nothing if it has already gone."""
    return notifications.send_notification(notification_id)


@shared_task(name="safeguarding.send_notification_digests", time_limit=300, soft_time_limit=240)
def send_notification_digests() -> int:
    """The daily digest of notifications for those who chose it."""
    return notifications.send_digests()
