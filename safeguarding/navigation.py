"""The portal's navigation and home-page panels, contributed by each app in its ``ready()``.

Apps register what they add instead of editing one shared list, so ``safeguarding`` imports no
domain app and a new app plugs in without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    # URL prefixes that mark the item as the current section.
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page: ``build(user)`` returns its context, or None to hide it.
    ``roles`` None shows it to every role (the notifications panel)."""

    template: str
    roles: tuple[str, ...] | None
    build: Callable
    order: int = 50


_NAV: list[NavItem] = []
_PANELS: list[HomePanel] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _NAV):
        _NAV.append(item)


def register_home_panel(panel: HomePanel) -> None:
    if all(existing.template != panel.template for existing in _PANELS):
        _PANELS.append(panel)


def nav_for(user, path: str) -> list[dict]:
    """The menu for ``user`` on the page at ``path``: ``[{"label", "url", "active"}]`` in order,
    only the items the person's role opens. One item is the current section: the one whose prefix
    matches ``path`` longest, so a page under "/reviews/challenges/" marks "Impact log", not also
    "Reviews" (prefix "/reviews/"), and "/reports/pci/" marks "PCI pack", not also "Annual report"."""
    if not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "partnership_id", None) is None:
        # Someone outside every partnership (a platform operator) has no menu: each of its pages
        # would only send them to the no-partnership page (partners.middleware).
        return []
    items = []
    for item in sorted(_NAV, key=lambda i: i.order):
        if user.role not in item.roles:
            continue
        url = reverse(item.url_name)
        prefixes = item.prefixes or (url,)
        if url == "/":
            match = 1 if path == "/" else 0
        else:
            match = max((len(p) for p in prefixes if path.startswith(p)), default=0)
        items.append({"label": item.label, "url": url, "match": match})
    best = max((i["match"] for i in items), default=0)
    for i in items:
        match = i.pop("match")
        i["active"] = best > 0 and match == best
    return items


def home_panels_for(user) -> list[dict]:
    panels = []
    for panel in sorted(_PANELS, key=lambda p: p.order):
        if panel.roles is not None and user.role not in panel.roles:
            continue
        context = panel.build(user)
        if context is not None:
            panels.append({"template": panel.template, **context})
    return panels
