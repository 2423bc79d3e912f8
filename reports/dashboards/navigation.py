"""The dashboards' menu item and home panel. ``register()`` is called from ReportsConfig.ready()."""

from __future__ import annotations

from partners.access import ALL_ROLES, MANAGERS
from partners.models import Role

PANEL_ROLES = (Role.PCI_MEMBER, *MANAGERS)


def exceptions_panel(user) -> dict | None:
    """How many exceptions the last reported quarter has, with a link to them (6 queries)."""
    from datasets import dashboard_selectors as ds
    from partners.access import agencies_in_partnership, agencies_readable_by

    if user.partnership_id is None:
        return None
    quarters = ds.quarters_for(user.partnership_id)
    quarter = ds.default_quarter(quarters)
    if quarter is None:
        return None
    rows = ds.exceptions(quarter=quarter, previous=ds.previous_quarter(quarters, quarter),
                         indicators=ds.indicators_of(user.partnership_id),
                         agencies=list(agencies_in_partnership(user)),
                         visible=set(agencies_readable_by(user).values_list("pk", flat=True)))
    return {"quarter": quarter, "count": len(rows), "red": sum(1 for r in rows if r.rag == "red")}


def register() -> None:
    from safeguarding.navigation import HomePanel, NavItem, register_home_panel, register_nav

    register_nav(NavItem("Dashboards", "dashboards:overview", ALL_ROLES, order=30, prefixes=("/dashboards/",)))
    register_home_panel(HomePanel("reports/dashboards/panels/exceptions.html", PANEL_ROLES, exceptions_panel,
                                  order=20))
