"""Datasets' reads, for its own views and for other apps (dashboards, the annual report).

Other apps import from here, never from the submodules' internals.
"""

from .catalogue import (
    Catalogue,
    catalogue_load,
    comparators_for,
    indicator_targets,
    indicators_for,
    target_in_force,
    targets_for_year,
    targets_in_force,
)
from .completeness import (
    Completeness,
    CompletenessRow,
    completeness_for,
    latest_open_quarters,
    outstanding_health_returns,
    quarter_completeness,
    timeliness_of,
)
from .lists import my_queried_returns, my_returns_due, open_quarters, returns_awaiting_review, returns_list
from .quarters import quarters_of
from .returns import (
    Line,
    ReturnSheet,
    build_lines,
    figures_by_return,
    previous_accepted_values,
    return_for,
    return_history,
    return_sheet,
    returns_for,
)

__all__ = [
    "Catalogue",
    "Completeness",
    "CompletenessRow",
    "Line",
    "ReturnSheet",
    "build_lines",
    "catalogue_load",
    "comparators_for",
    "completeness_for",
    "figures_by_return",
    "indicator_targets",
    "indicators_for",
    "latest_open_quarters",
    "my_queried_returns",
    "my_returns_due",
    "open_quarters",
    "outstanding_health_returns",
    "previous_accepted_values",
    "quarter_completeness",
    "quarters_of",
    "return_for",
    "return_history",
    "return_sheet",
    "returns_awaiting_review",
    "returns_for",
    "returns_list",
    "target_in_force",
    "targets_for_year",
    "targets_in_force",
    "timeliness_of",
]
