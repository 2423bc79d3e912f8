"""Partners' tables, one module per sub-domain: the partnership and its people; governance
(meetings, attendance, budget, priorities) arrives with the annual-report issue."""

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
)

__all__ = [
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
]
