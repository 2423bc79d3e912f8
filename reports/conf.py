"""The build's time limits, from the environment so a test (or a slow machine) can tighten them."""

from __future__ import annotations

import os

from django.conf import settings


def hard_time_limit() -> int:
    """Seconds after which a build's worker is killed; a build silent this long is stale."""
    return int(os.environ.get("REPORTS_BUILD_TIME_LIMIT") or getattr(settings, "CELERY_TASK_TIME_LIMIT", 300))


def soft_time_limit() -> int:
    soft = os.environ.get("REPORTS_BUILD_SOFT_TIME_LIMIT")
    if soft:
        return int(soft)
    return max(1, min(int(getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 240)), hard_time_limit() - 5))


# A queued build that no worker picked up for this long is reported as failed, so it can be retried.
QUEUED_STALE_FACTOR = 6
