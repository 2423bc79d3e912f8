"""Figures of a dataset return that another app already holds (issue 13.8: one training figure).

Training compliance is returned in the training return (per staff group and level). A dataset
indicator with a ``training_level`` takes its numerator and denominator from the agency's
**accepted** training return for the same quarter: left blank, they are filled from it; typed and
different, they are refused. The training app registers the provider (``training.linked``) in its
``ready()``, so datasets never imports training.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LinkedCounts:
    """A numerator and denominator held elsewhere, and what holds them (for messages)."""

    numerator: Decimal
    denominator: Decimal
    source: str


Provider = Callable[[int, int, list], dict[int, LinkedCounts]]
_PROVIDERS: list[Provider] = []


def register_linked(provider: Provider) -> None:
    """Add ``provider(agency_id, quarter_id, indicators) -> {indicator_id: LinkedCounts}``."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def linked_counts(agency_id: int, quarter_id: int, indicators: Iterable) -> dict[int, LinkedCounts]:
    """The counts other apps hold for ``indicators`` of one agency and quarter (each provider runs
    a fixed number of queries; none when no indicator is linked)."""
    wanted = [i for i in indicators if getattr(i, "training_level", "")]
    out: dict[int, LinkedCounts] = {}
    if not wanted:
        return out
    for provider in _PROVIDERS:
        out.update(provider(agency_id, quarter_id, wanted))
    return out
