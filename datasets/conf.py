"""Datasets' settings, each overridable in Django settings (and so from the environment)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def due_days() -> int:
    """Days after a quarter ends that its returns are due."""
    return int(getattr(settings, "DATASETS_DUE_DAYS", 30))


def movement_share() -> Decimal:
    """A value that moves more than this share against the last accepted quarter needs a narrative."""
    return Decimal(str(getattr(settings, "DATASETS_MOVEMENT_SHARE", "0.25")))


def reminder_days_before() -> int:
    """How many days before the due date submitters are reminded."""
    return int(getattr(settings, "DATASETS_REMINDER_DAYS_BEFORE", 7))
