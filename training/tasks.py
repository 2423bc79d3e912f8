"""Beat tasks: thin, they call the reminder functions. Each reminder is sent once (send_once)."""

from celery import shared_task

from . import reminders


@shared_task(name="training.send_return_reminders", time_limit=300, soft_time_limit=240)
def send_return_reminders() -> int:
    return reminders.send_training_reminders()
