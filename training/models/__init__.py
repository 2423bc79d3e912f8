"""Training's tables, one module per sub-domain: the catalogue (levels, staff groups, targets),
single-agency training returns, and the multi-agency programme."""

from .catalogue import Level, StaffGroup, TrainingTarget
from .programme import (
    AgencyAttendance,
    Audience,
    Booking,
    BookingStatus,
    Course,
    CourseFormat,
    EvaluationStage,
    EvaluationTally,
    Impact,
    Rating,
    Session,
)
from .returns import TrainingFigure, TrainingReturn, TrainingReturnEvent

__all__ = [
    "AgencyAttendance",
    "Audience",
    "Booking",
    "BookingStatus",
    "Course",
    "CourseFormat",
    "EvaluationStage",
    "EvaluationTally",
    "Impact",
    "Level",
    "Rating",
    "Session",
    "StaffGroup",
    "TrainingFigure",
    "TrainingReturn",
    "TrainingReturnEvent",
    "TrainingTarget",
]
