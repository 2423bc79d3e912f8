from __future__ import annotations

from safeguarding.errors import NotAllowed


def require_manager(actor, partnership) -> None:
    # None is the system itself (demo data, management commands).
    if actor is None:
        return
    if not actor.is_manager or actor.partnership_id != partnership.pk:
        raise NotAllowed("Only the partnership's business manager can change this.")
