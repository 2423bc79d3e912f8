"""Datasets' tables, one module per sub-domain: reporting quarters, the indicator catalogue
(indicators, breakdown parts, targets, comparators) and returns with their values."""

from .catalogue import (
    NA_REASON_CHOICES,
    RATIO_SCALE,
    RATIO_UNITS,
    WHOLE_UNITS,
    BreakdownPart,
    Comparator,
    ComparatorKind,
    Domain,
    Indicator,
    Polarity,
    Target,
    Unit,
)
from .periods import Quarter
from .returns import Return, ReturnEvent, ReturnValue
from .summary import PartnershipSummary

__all__ = [
    "NA_REASON_CHOICES",
    "RATIO_SCALE",
    "RATIO_UNITS",
    "WHOLE_UNITS",
    "BreakdownPart",
    "Comparator",
    "ComparatorKind",
    "Domain",
    "Indicator",
    "PartnershipSummary",
    "Polarity",
    "Quarter",
    "Return",
    "ReturnEvent",
    "ReturnValue",
    "Target",
    "Unit",
]
