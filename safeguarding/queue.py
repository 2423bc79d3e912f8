"""The task queue, as the rest of the portal sees it: is it there, and send a task after commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from .errors import QueueUnavailable

log = logging.getLogger(__name__)


def queue_is_eager() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def broker_status() -> dict:
    """A real round trip to the broker (Redis PING), or the in-process mode when there is none."""
    if queue_is_eager():
        return {"ok": True, "mode": "in-process (no broker configured)"}
    url = settings.CELERY_BROKER_URL or ""
    started = time.perf_counter()
    try:
        if url.startswith(("redis://", "rediss://")):
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
        else:
            from safeguarding.celery import app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # every failure means the same thing to the caller
        return {"ok": False, "mode": "broker", "error": type(exc).__name__}
    return {"ok": True, "mode": "broker", "ms": round((time.perf_counter() - started) * 1000, 1)}


def require_broker() -> None:
    """Refuse early, before anything is written, when a task could not be queued."""
    if not broker_status()["ok"]:
        raise QueueUnavailable(
            "The task queue is not available just now, so this cannot be started. Nothing has "
            "been lost: try again in a few minutes, and tell your administrator if it persists."
        )


def enqueue_on_commit(task, *args, on_failure: Callable[[Exception], None] | None = None, **kwargs) -> None:
    """Send ``task`` once the surrounding transaction commits (never inside it).

    If the broker refuses at that moment, ``on_failure`` records it so nothing is left
    pretending to be queued.
    """

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception as exc:
            log.exception("Could not queue %s", getattr(task, "name", task))
            if on_failure is not None:
                on_failure(exc)

    transaction.on_commit(send)
