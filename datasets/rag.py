"""Red, amber, green: one pure function used by returns, dashboards and the annual report.

Nothing here touches the database, so a dashboard can call ``rag`` on thousands of values it
already fetched (see ``datasets.selectors`` for the values together with their target in force).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

RagStatus = Literal["red", "amber", "green"]

RAG_LABELS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rag(value, polarity: str, target, amber_threshold=None) -> RagStatus | None:
    """The RAG rating of ``value`` against ``target``.

    - ``polarity``: ``"higher"`` (higher is better), ``"lower"`` (lower is better) or anything
      else (``"neutral"``: context figures are never rated).
    - ``target``: the figure to meet; ``amber_threshold``: the edge between amber and red.
      Higher is better: value >= target is green, value >= threshold is amber, else red.
      Lower is better: value <= target is green, value <= threshold is amber, else red.
      With no threshold (or one on the wrong side of the target) there is no amber band: a
      missed target is red.
    - Returns ``None`` when there is nothing to rate: no value, no target, or a neutral polarity.

    Values may be ``Decimal``, ``int``, ``float`` or numeric strings.

    >>> rag(Decimal("92"), "higher", Decimal("90"), Decimal("80"))
    'green'
    >>> rag(85, "higher", 90, 80)
    'amber'
    >>> rag(12, "lower", 10)
    'red'
    """
    value, target, threshold = _dec(value), _dec(target), _dec(amber_threshold)
    if value is None or target is None or polarity not in ("higher", "lower"):
        return None
    if polarity == "higher":
        if value >= target:
            return "green"
        if threshold is not None and threshold <= target and value >= threshold:
            return "amber"
        return "red"
    if value <= target:
        return "green"
    if threshold is not None and threshold >= target and value <= threshold:
        return "amber"
    return "red"


def rag_label(status: str | None) -> str:
    """'Red' / 'Amber' / 'Green', or 'No target' for ``None`` (for tables and captions)."""
    return RAG_LABELS.get(status or "", "No target")


# How a RAG rating looks wherever it is shown (returns, dashboards, training, the report): the
# word from ``rag_label`` carries the meaning, the GOV.UK tag colour repeats it.
RAG_TAG_CLASSES = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}
