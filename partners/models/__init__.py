"""Partners' tables, one module per sub-domain: the partnership and its people; governance
(meetings, attendance, budget, priorities) arrives with the annual-report issue."""

from .governance import (
    STANDARD_SEAT_ROLES,
    Attendance,
    Budget,
    BudgetLine,
    Contribution,
    Meeting,
    Priority,
    Seat,
)
from .people import (
    HEALTH_AGENCY_TYPES,
    Agency,
    AgencyAlias,
    AgencyQuerySet,
    AgencyType,
    Partnership,
    Role,
    Subgroup,
    User,
    UserManager,
    name_key,
    tidy_name,
)

__all__ = [
    "STANDARD_SEAT_ROLES",
    "Seat",
    "Attendance",
    "Budget",
    "BudgetLine",
    "Contribution",
    "Meeting",
    "Priority",
    "HEALTH_AGENCY_TYPES",
    "Agency",
    "AgencyAlias",
    "AgencyQuerySet",
    "AgencyType",
    "Partnership",
    "Role",
    "Subgroup",
    "User",
    "UserManager",
    "name_key",
    "tidy_name",
]
