"""Reads of training data: each runs a fixed number of queries whatever the data size.

The annual report calls ``compliance_by_agency_and_level``, ``programme_attendance_by_audience``
(member agencies and sectors; ``programme_attendance_by_agency`` for members only),
``evaluation_summary`` and ``course_summary`` (see their docstrings).
"""

from .compliance import compliance_by_agency_and_level, compliance_trend, target_book
from .programme import (
    attendance_by_format,
    course_summary,
    evaluation_summary,
    programme_attendance_by_agency,
    programme_attendance_by_audience,
    programme_totals,
    session_detail,
    share_total,
)
from .returns import my_returns_due, return_detail, return_list, returns_awaiting_review, returns_to_start

__all__ = [
    "compliance_by_agency_and_level",
    "compliance_trend",
    "course_summary",
    "attendance_by_format",
    "evaluation_summary",
    "my_returns_due",
    "programme_attendance_by_agency",
    "programme_attendance_by_audience",
    "programme_totals",
    "return_detail",
    "return_list",
    "returns_awaiting_review",
    "returns_to_start",
    "session_detail",
    "share_total",
    "target_book",
]
