"""Dating a past that is built today (the demo, issue 16.9).

The services stamp what they record with the moment they run (``auto_now_add``), which is right
for people using the portal and wrong for the demo, which builds years of events in a minute:
every progress update, upload and notification would say "today". Each app's ``demo`` module
tells its story through the services and then moves those stamps to when the story says the
thing happened, through these two helpers, so every app dates its past the same way: at a
working hour of the story's day, and never after now.

The audit log is the exception: it is append-only (a PostgreSQL trigger refuses any UPDATE), so
its rows keep the moment the demo wrote them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import models
from django.utils import timezone

# A stamp moved into the past stays at least this far before now, so that a story's "today"
# happens before the demo finished building.
MARGIN = dt.timedelta(minutes=5)


def moment(day: dt.date | dt.datetime, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute`` local time (an aware datetime), or a little before now if
    that is later (a story's event of today happened before the demo finished). A datetime is
    taken as it is, with the same cap."""
    if isinstance(day, dt.datetime):
        at = day if timezone.is_aware(day) else timezone.make_aware(day)
    else:
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(at, timezone.now() - MARGIN)


def redate(model: type[models.Model], field: str, when: Mapping[int, dt.datetime]) -> int:
    """Set ``field`` of each ``model`` row (by primary key) to ``when[pk]``, capped at now
    (``moment``). One UPDATE per batch of rows; returns how many rows were given a date."""
    rows = [model(pk=pk, **{field: moment(at)}) for pk, at in when.items() if at is not None]
    if rows:
        model._default_manager.bulk_update(rows, [field], batch_size=500)
    return len(rows)


def days_to_moments(pairs: Iterable[tuple[int, dt.date | None]], hour: int) -> dict[int, dt.datetime]:
    """``{pk: moment(day, hour)}`` from ``(pk, day)`` pairs, leaving out rows with no day."""
    return {pk: moment(day, hour) for pk, day in pairs if day is not None}
