"""Datasets' writes. Every function is keyword-only, checks who may do it, runs in a
transaction, writes the audit log, and raises a ``DomainError`` a person can act on."""

from .catalogue import (
    comparator_set,
    indicator_create,
    indicator_update,
    target_delete,
    target_set,
)
from .figures import ApplyResult, FiguresRefused, figures_apply
from .parsing import NotANumber, format_figure, parse_figure
from .quarters import quarter_close, quarter_create, quarter_reopen, quarter_update
from .returns import (
    ReturnProblems,
    check_ready,
    return_accept,
    return_get_or_create,
    return_query,
    return_reopen,
    return_resubmit,
    return_submit,
    return_values_save,
)

__all__ = [
    "ApplyResult",
    "FiguresRefused",
    "NotANumber",
    "ReturnProblems",
    "check_ready",
    "comparator_set",
    "figures_apply",
    "format_figure",
    "indicator_create",
    "indicator_update",
    "parse_figure",
    "quarter_close",
    "quarter_create",
    "quarter_reopen",
    "quarter_update",
    "return_accept",
    "return_get_or_create",
    "return_query",
    "return_reopen",
    "return_resubmit",
    "return_submit",
    "return_values_save",
    "target_delete",
    "target_set",
]
