"""The access matrix's vocabulary: a route, the personas, and the usual shapes of access.

Each app lists its routes in ``tests/<app>/routes.py`` (``ROUTES``), and may add the objects its
URLs need to the shared world with ``build(world)``. Objects put in URLs belong to agency B (or
to B's side of the partnership), so agency A's submitter must get 404 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "submitter_a", "submitter_b", "designated", "pci", "manager", "outsider",
            "other_admin", "other_climber")
SIGNED_IN = PERSONAS[1:]
# The other partnership's administrator and its manager who tried to become administrator
# (issue 11.1) reach exactly what the other partnership's business manager reaches, unless a
# route says otherwise.
LIKE_OUTSIDER = ("other_admin", "other_climber")
OK, FOUND, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


@dataclass(frozen=True)
class Route:
    name: str
    expect: dict[str, int]
    kwargs: Callable | None = None  # world -> URL kwargs
    method: str = "get"
    data: Callable | None = None  # world -> POST data (a harmless or invalid submission)
    # A query string, or ``world -> query string`` when it names the world's objects (a page's
    # state chosen in the address: ``?subgroup=<pk>``, ``?year=``, ``?focus=<agency>``).
    query: str | Callable = ""
    note: str = field(default="", compare=False)

    def url(self, world) -> str:
        """The route's address in ``world``: the URL pattern reversed with its kwargs, then its query."""
        from django.urls import reverse

        url = reverse(self.name, kwargs=self.kwargs(world) if self.kwargs else None)
        query = self.query(world) if callable(self.query) else self.query
        return f"{url}?{query}" if query else url

    @property
    def label(self) -> str:
        """How tests name the route: method, URL name and its query (or its note, for a query
        that names objects)."""
        query = self.note if callable(self.query) else self.query
        return f"{self.method}:{self.name}{'?' + query if query else ''}"


def shape(default: int, *, anonymous: int = FOUND, **overrides: int) -> dict[str, int]:
    expect = dict.fromkeys(SIGNED_IN, default)
    expect["anonymous"] = anonymous
    expect.update(overrides)
    for persona in LIKE_OUTSIDER:
        if persona not in overrides:
            expect[persona] = expect["outsider"]
    return expect


def everyone(status: int = OK, **overrides) -> dict[str, int]:
    """Every signed-in person; the outsider from another partnership only sees it if it is not
    about this partnership's objects (pass outsider=404 for those)."""
    return shape(status, **overrides)


def managers_only(status: int = OK, **overrides) -> dict[str, int]:
    return shape(FORBIDDEN, manager=status, outsider=overrides.pop("outsider", status), **overrides)


def readers_only(status: int = OK, **overrides) -> dict[str, int]:
    """PCI members and business managers (they read the whole partnership)."""
    return shape(FORBIDDEN, pci=status, manager=status, outsider=overrides.pop("outsider", status), **overrides)
