"""Beat tasks: thin, they call the reminder functions. Each reminder is sent once (send_once)."""

from celery import shared_task

from . import reminders


@shared_task(name="reviews.send_action_reminders", time_limit=300, soft_time_limit=240)
def send_action_reminders() -> int:
    return reminders.send_action_reminders()


@shared_task(name="reviews.send_weekly_digests", time_limit=300, soft_time_limit=240)
def send_weekly_digests() -> int:
    return reminders.send_weekly_digests()
