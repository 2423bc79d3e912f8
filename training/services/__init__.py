"""Every change to training data goes through these functions (keyword-only, audited)."""

from .attendance import attendance_upload
from .catalogue import level_create, level_update, staff_group_create, staff_group_update, target_create
from .programme import (
    course_create,
    course_update,
    evaluation_set,
    session_create,
    session_update,
)
from .returns import (
    training_return_check,
    training_return_save,
    training_return_start,
    training_return_transition,
    training_return_upload,
)

__all__ = [
    "attendance_upload",
    "course_create",
    "course_update",
    "evaluation_set",
    "level_create",
    "level_update",
    "session_create",
    "session_update",
    "staff_group_create",
    "staff_group_update",
    "target_create",
    "training_return_check",
    "training_return_save",
    "training_return_start",
    "training_return_transition",
    "training_return_upload",
]
