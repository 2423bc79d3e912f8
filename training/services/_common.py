from __future__ import annotations

from partners import access


def require_manager(actor, partnership) -> None:
    access.require_manager(actor, partnership.pk, "Only the partnership's business manager can change this.")
