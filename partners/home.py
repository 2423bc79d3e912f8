"""The partnership panel on every home page."""

from . import selectors


def partnership_panel(user) -> dict | None:
    if user.partnership_id is None:
        return None
    return {
        "agencies": selectors.agency_list(partnership_id=user.partnership_id),
        "subgroups": selectors.subgroup_list(partnership_id=user.partnership_id),
    }
