"""Notifications: telling people what happened to their returns and actions (issue 16.3).

One mechanism with the reminders (``safeguarding.reminders.send_once``): every notification is a
``Notification`` row, shown on the person's home page and emailed at most once, either at once
(a Celery task enqueued when the transaction commits) or in the day's digest (a beat task,
``safeguarding.send_notification_digests``), as the person chose on their notifications page
(``NotificationPreference``; no choice means immediate).

"At most once" holds twice over: the row's ``key`` is unique, so the same occasion never makes a
second row for the same person; and the email is claimed (``emailed_at`` set under a row lock)
in the same transaction that sends it through ``send_once``, so a task run twice, or a digest
running beside an immediate task, sends nothing more.

Who is told what (the callers decide the recipients):
- a return (dataset or training) queried, with the question; accepted; reopened, with the
  reason: the agency's submitters and whoever submitted it (``safeguarding.workflow``);
- a recommendation addressed to an agency (its draft action made), an action assured, an action
  returned to its owner: the people who act for the owner agency (``reviews.notify``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Least
from django.utils import timezone

from .audit import audit_record
from .errors import DomainError
from .models import EmailMode, Notification, NotificationPreference
from .reminders import send_once

# An immediate email still unsent after this long (the queue was down) goes in the next digest.
IMMEDIATE_GRACE = dt.timedelta(hours=1)
HOME_PANEL_LIMIT = 5
_history = threading.local()


@contextlib.contextmanager
def as_history():
    """Within this block notifications are recorded as already emailed, and no email is sent: for
    building the demo's past (``seed_demo``), where the events happened long ago."""
    _history.on = True
    try:
        yield
    finally:
        _history.on = False


def settle_history(*, partnership_id: int, keep_unread: int = 3) -> int:
    """After building a past: each person's notifications are read except their latest
    ``keep_unread``, each read the day after it came (or just now, for one from today). Returns
    how many were marked read."""
    rows = (Notification.objects.filter(partnership_id=partnership_id, read_at__isnull=True)
            .order_by("recipient_id", "-created_at", "-id").values_list("pk", "recipient_id"))
    seen: dict[int, int] = defaultdict(int)
    older = []
    for pk, person in rows:
        seen[person] += 1
        if seen[person] > keep_unread:
            older.append(pk)
    return Notification.objects.filter(pk__in=older).update(
        read_at=Least(F("created_at") + dt.timedelta(days=1), Value(timezone.now())))


def history_redate(occasions: dict[str, dt.datetime]) -> int:
    """For building a past (the demo, issue 16.9): date the notifications of each occasion (the
    ``occasion`` given to ``notify``) when its event happened, created and emailed then, never
    after now (``safeguarding.history.moment``). Returns how many notifications were dated."""
    from .history import moment

    dated = 0
    for occasion, at in occasions.items():
        when = moment(at)
        notes = Notification.objects.filter(key__startswith=f"{occasion}:user-"[:200])
        notes.filter(emailed_at__isnull=False).update(emailed_at=when)
        dated += notes.update(created_at=when)
    return dated


def email_mode_for(user) -> str:
    """The person's choice: ``"immediate"`` (the default) or ``"digest"``."""
    pref = NotificationPreference.objects.filter(user_id=user.pk).values_list("email_mode", flat=True).first()
    return pref or EmailMode.IMMEDIATE


@transaction.atomic
def email_mode_set(*, actor, mode: str) -> NotificationPreference:
    """The signed-in person chooses immediate emails or a daily digest for themselves.

    Raises ``DomainError`` (field ``email_mode``) for a mode that is not offered."""
    if mode not in EmailMode.values:
        raise DomainError("Choose immediate emails or a daily digest.", field="email_mode")
    pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    before = pref.email_mode
    pref.email_mode = mode
    pref.full_clean()
    pref.save()
    if before != mode:
        audit_record(actor=actor, action="notifications.preference_changed", obj=pref,
                     partnership=getattr(actor, "partnership", None),
                     before={"email_mode": before}, after={"email_mode": mode})
    return pref


def notify(*, recipients: Iterable, occasion: str, kind: str, subject: str, body: str = "", url: str = "",
           partnership_id: int | None = None, exclude=None) -> list[Notification]:
    """Tell each of ``recipients`` (active people with an email address; ``exclude``, the person who
    acted, is left out) about one occasion. ``occasion`` names it uniquely (the event's id, not
    only the object's); calling again for the same occasion adds nothing. Immediate-mode people
    are emailed by a task once the transaction commits. Returns the new notifications."""
    from .tasks import send_notification

    people = {p.pk: p for p in recipients if p is not None and p.is_active and p.email}
    if exclude is not None:
        people.pop(exclude.pk, None)
    if not people:
        return []
    modes = dict(NotificationPreference.objects.filter(user_id__in=list(people))
                 .values_list("user_id", "email_mode"))
    keys = {pk: f"{occasion}:user-{pk}"[:200] for pk in people}
    existing = set(Notification.objects.filter(key__in=list(keys.values())).values_list("key", flat=True))
    created = []
    for pk, person in sorted(people.items()):
        if keys[pk] in existing:
            continue
        history = getattr(_history, "on", False)
        note = Notification(key=keys[pk], recipient=person, partnership_id=partnership_id, kind=kind,
                            subject=" ".join(subject.split())[:300], body=body[:5000], url=url[:300],
                            emailed_at=timezone.now() if history else None)
        note.full_clean()
        note.save()
        created.append(note)
        if not history and modes.get(pk, EmailMode.IMMEDIATE) == EmailMode.IMMEDIATE:
            from .queue import enqueue_on_commit

            enqueue_on_commit(send_notification, note.pk)
    return created


def send_notification(notification_id: int) -> bool:
    """Email one notification now (immediate mode). Returns whether an email went: never for a
    notification already emailed (alone or in a digest) or whose person now takes the digest.

    People's actions make these emails (a return queried and reopened again and again), so they
    are throttled per recipient (``email_throttle``, ``NOTIFICATION_EMAILS_PER_ADDRESS`` in the
    window): one over the limit stays unsent and goes in the next digest (``IMMEDIATE_GRACE``)."""
    from .email_throttle import NOTIFICATION, email_refusal

    with transaction.atomic():
        note = (Notification.objects.select_for_update(of=("self",)).select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True).first())
        if note is None or email_mode_for(note.recipient) != EmailMode.IMMEDIATE:
            return False
        if email_refusal(kind=NOTIFICATION, email=note.recipient.email):
            return False
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
        return send_once(key=f"notification:{note.pk}", to=note.recipient.email,
                         template="notifications/email/notification",
                         context={"notification": note, "person": note.recipient})


def send_digests(*, now: dt.datetime | None = None) -> int:
    """The daily digest: one email per person listing every notification not yet emailed, for
    those who chose the digest (and, as a safety net, immediate ones left unsent for an hour).
    A person gets at most one digest a day (``send_once`` keyed by the date). Returns the number
    of digests sent."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(emailed_at__isnull=True, recipient__is_active=True)
            .select_related("recipient").order_by("recipient_id", "created_at", "id"))
        by_person: dict[int, list[Notification]] = defaultdict(list)
        for note in pending:
            by_person[note.recipient_id].append(note)
        modes = dict(NotificationPreference.objects.filter(user_id__in=list(by_person))
                     .values_list("user_id", "email_mode"))
        for person_id, notes in by_person.items():
            if modes.get(person_id, EmailMode.IMMEDIATE) != EmailMode.DIGEST:
                notes = [n for n in notes if n.created_at <= now - IMMEDIATE_GRACE]
            if not notes:
                continue
            person = notes[0].recipient
            if send_once(key=f"notification-digest:{day.isoformat()}", to=person.email,
                         template="notifications/email/digest",
                         context={"notifications": notes, "person": person, "day": day}):
                Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
                sent += 1
    return sent


def notifications_for(user) -> QuerySet[Notification]:
    """The person's own notifications, and nobody else's (scoping: never another person's)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


@transaction.atomic
def notifications_mark_read(*, actor) -> int:
    """Mark every unread notification of ``actor`` as read. Returns how many."""
    return notifications_for(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


def home_panel(user) -> dict | None:
    """The home page's notifications panel: the latest few and the unread count (two queries);
    None (no panel) for a person who has never been notified."""
    latest = list(notifications_for(user).only("subject", "body", "url", "created_at", "read_at")
                  [:HOME_PANEL_LIMIT])
    if not latest:
        return None
    unread = notifications_for(user).filter(read_at__isnull=True).count()
    return {"notifications": latest, "unread": unread}
