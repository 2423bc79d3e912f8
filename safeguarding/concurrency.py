"""Optimistic locking for edit forms: a stale edit never overwrites someone else's."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime

from .errors import StaleEdit


def version_token(value: dt.datetime | None) -> str:
    """What an edit form carries in its hidden ``version`` field."""
    return value.isoformat() if value else ""


def ensure_current(*, current: dt.datetime | None, token: str | None, what: str) -> None:
    """Raise ``StaleEdit`` when the row changed after the form was loaded.

    ``current`` is read from the row locked with ``select_for_update``; ``token`` came back with
    the form. A missing or unreadable token counts as stale: we cannot prove it is not.
    """
    if current is None:
        return
    loaded = parse_datetime(token) if token else None
    if loaded is None or loaded != current:
        raise StaleEdit(
            f"Someone else changed this {what} while you were editing it. Your changes have not "
            f"been saved: check the current details below and make your changes again."
        )
