"""Home-page panels: what needs each person's attention in the quarterly dataset."""

from __future__ import annotations

from . import selectors


def my_returns_panel(user) -> dict | None:
    """Submitters and designated professionals: returns due, in draft or queried."""
    rows = selectors.my_returns_due(user)
    return {"rows": rows[:20], "more": max(0, len(rows) - 20)}


def health_outstanding_panel(user) -> dict | None:
    """The designated nurse: health agencies yet to submit (or to answer a query)."""
    rows = selectors.outstanding_health_returns(user.partnership_id) if user.partnership_id else []
    return {"rows": rows}


def awaiting_review_panel(user) -> dict | None:
    """PCI members: returns submitted or resubmitted, waiting for a query or acceptance."""
    returns = list(selectors.returns_awaiting_review(user)[:20])
    return {"returns": returns}


def completeness_panel(user) -> dict | None:
    """The business manager: reporting and on-time rates of the latest open quarters."""
    if not user.partnership_id:
        return None
    quarters = selectors.latest_open_quarters(user.partnership_id, limit=2)
    return {"results": selectors.completeness_for(quarters)}
