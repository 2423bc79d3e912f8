"""Quarters as the dashboards and lists see them. (The dashboards' own reads over accepted
figures live in ``datasets.dashboard_selectors``.)"""

from __future__ import annotations

from ..models import Quarter


def quarters_of(partnership_id: int, *, year_start: int | None = None) -> list[Quarter]:
    """The partnership's quarters, oldest first, optionally one financial year's (1 query)."""
    qs = Quarter.objects.filter(partnership_id=partnership_id)
    if year_start is not None:
        qs = qs.filter(year_start=year_start)
    return list(qs.order_by("year_start", "number"))
