"""The partnership panel on every home page."""

from django.utils import timezone

from . import selectors
from .lifecycle import active_during_q


def partnership_panel(user) -> dict | None:
    """The partnership as it is today on every home page: its agencies active today (a closed
    agency, such as the CCG the ICB replaced, is history, not a member) and its subgroups."""
    if user.partnership_id is None:
        return None
    return {
        "agencies": selectors.agency_list(partnership_id=user.partnership_id).filter(
            active_during_q(timezone.localdate())),
        "subgroups": selectors.subgroup_list(partnership_id=user.partnership_id),
    }


def setup_panel(user) -> dict | None:
    """The business manager's first-run checklist (issue 12.1): shown until the partnership has
    agencies, a board, seats and people besides the manager; each step links to its page, most
    to a spreadsheet upload. 4 queries."""
    from .models import Agency, Seat, Subgroup, User

    pid = user.partnership_id
    if pid is None:
        return None
    steps = [
        ("Add the agencies", "partners:agency_upload", Agency.objects.filter(partnership_id=pid).exists()),
        ("Add the board and subgroups", "partners:subgroup_create",
         Subgroup.objects.filter(partnership_id=pid, is_board=True).exists()),
        ("Add the seats of the board and subgroups", "partners:seats_upload",
         Seat.objects.filter(partnership_id=pid).exists()),
        ("Add the people who sign in", "partners:people_upload",
         User.objects.filter(partnership_id=pid).exclude(pk=user.pk).exists()),
    ]
    if all(done for _, _, done in steps):
        return None
    return {"steps": [{"label": label, "url_name": url_name, "done": done} for label, url_name, done in steps]}
