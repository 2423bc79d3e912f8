"""Sending a reminder email exactly once per occasion, for every app's reminders.

Templates come in threes: ``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import SentReminder


def send_once(*, key: str, to: str, template: str, context: dict) -> bool:
    """Send unless a reminder with ``key`` to ``to`` has already gone. Returns whether it sent."""
    full_key = f"{key}:{to.lower()}"[:200]
    if SentReminder.objects.filter(key=full_key).exists():
        return False
    context = {"portal_url": settings.PORTAL_BASE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    try:
        with transaction.atomic():
            # The row first: if another worker got here at the same moment, its insert wins
            # and this one sends nothing.
            SentReminder.objects.create(key=full_key, recipient=to, subject=subject[:300])
            message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False
    return True
