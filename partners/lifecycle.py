"""An agency's life in one place (issue 12.6): when it is active, who replaced it, and how an old
name in a spreadsheet is read.

The rule: an agency is active in a period (a quarter, a financial year, a day) when its active
dates overlap it; no "active from" means active since before the portal's records, no "active
to" means still active. Every place that hands an agency new work asks here:

- a new dataset return and a new training return (``require_active`` for the quarter);
- a report section (agencies active in the report's year);
- a budget contribution (active in the budget's year);
- an action owner (active on the day the action is made or given to it);
- completeness (``expected_in``: see below);
- uploads (``NameIndex.resolve``: a closed agency's name or alias).

What is *not* refused: reading and correcting a closed agency's history. Its page, its past
returns (for quarters when it was active) and its details stay open to the business manager.

Completeness has one more rule, so that adding an agency never rewrites the past: an agency
with no "active from" date is expected only from the quarter it was added to the portal, and in
earlier quarters only where it has a return (a partnership loading past years keeps the
quarters it has figures for). Give an agency its real "active from" date to be expected
earlier. A return of an agency outside its active dates (opened before this rule) is not
counted at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguarding.errors import DomainError

from .models import Agency, AgencyAlias, name_key


def is_active_during(agency: Agency, start: dt.date, end: dt.date | None = None) -> bool:
    """True when the agency's active dates overlap ``start``–``end`` (inclusive; one day when
    ``end`` is None)."""
    end = end or start
    return (agency.active_from is None or agency.active_from <= end) and (
        agency.active_to is None or agency.active_to >= start)


def active_during_q(start: dt.date, end: dt.date | None = None, prefix: str = "") -> Q:
    """The same rule as a query filter (``prefix`` e.g. ``"agency__"`` to filter related rows)."""
    end = end or start
    return ((Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": end}))
            & (Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": start})))


def agencies_active_in(*, partnership_id: int, start: dt.date, end: dt.date | None = None) -> QuerySet[Agency]:
    """The partnership's agencies active at some point of ``start``–``end`` (one query when read)."""
    return Agency.objects.filter(active_during_q(start, end), partnership_id=partnership_id)


def successor(agency: Agency, start: dt.date, end: dt.date | None = None) -> Agency | None:
    """The agency that took over from ``agency`` and is active in the period, following
    "replaced by" (a CCG -> ICB -> a later merger); None when there is none. At most a few queries."""
    seen, current = {agency.pk}, agency
    while current.replaced_by_id and current.replaced_by_id not in seen:
        current = current.replaced_by
        seen.add(current.pk)
        if is_active_during(current, start, end):
            return current
    return None


def inactive_reason(agency: Agency, start: dt.date, end: dt.date | None = None) -> str:
    """Why ``agency`` is not active in the period, in words, naming its successor if any."""
    if agency.active_from and agency.active_from > (end or start):
        return f"{agency.name} is active only from {agency.active_from:%-d %B %Y}"
    text = f"{agency.name} closed on {agency.active_to:%-d %B %Y}"
    after = successor(agency, start, end)
    return text + (f" and was replaced by {after.name}" if after else "")


def require_active(agency: Agency, start: dt.date, end: dt.date | None = None, *, what: str,
                   field: str | None = None) -> None:
    """Refuse (``DomainError`` on ``field``) to give ``agency`` new work — ``what``, e.g. "a return
    for 2023/24 Q1" — for a period it was not active in."""
    if not is_active_during(agency, start, end):
        raise DomainError(f"{inactive_reason(agency, start, end)}, so it cannot have {what}.", field=field)


def expected_in(agency: Agency, start: dt.date, end: dt.date, *, has_return: bool = False) -> bool:
    """Completeness: is the agency expected to return for the quarter ``start``–``end``?

    Active in the quarter by its dates, and, when it has no "active from" date, either the
    quarter ends on or after the start of the quarter it was added to the portal, or it has a
    return for this quarter (``has_return``: loaded past figures count where they exist).
    """
    if not is_active_during(agency, start, end):
        return False
    if agency.active_from is not None or has_return:
        return True
    added = timezone.localtime(agency.created_at).date() if agency.created_at else start
    return end >= dt.date(added.year, ((added.month - 1) // 3) * 3 + 1, 1)


@dataclass(frozen=True)
class Resolved:
    """A name read from a spreadsheet: the agency it means (None if refused), a note to show in
    the result (e.g. "read as its successor"), or the error for that row."""

    agency: Agency | None
    note: str = ""
    error: str = ""


class NameIndex:
    """Every name, alias and slug of a partnership's agencies, compared by ``name_key`` (case
    and spacing ignored). Two queries to build; resolving is in memory."""

    def __init__(self, partnership_id: int):
        agencies = list(Agency.objects.filter(partnership_id=partnership_id).select_related("replaced_by"))
        by_id = {a.pk: a for a in agencies}
        self.names: dict[str, Agency] = {}
        for a in agencies:
            self.names[name_key(a.name)] = a
            self.names.setdefault(a.slug.lower(), a)
        for alias, agency_id in AgencyAlias.objects.filter(
                agency__partnership_id=partnership_id).values_list("name", "agency_id"):
            self.names.setdefault(name_key(alias), by_id[agency_id])
        self._by_id = by_id

    def add(self, agency: Agency, aliases: list[str] = ()) -> None:
        """Make an agency created earlier in the same upload known to later rows."""
        self._by_id[agency.pk] = agency
        self.names[name_key(agency.name)] = agency
        for alias in aliases:
            self.names.setdefault(name_key(alias), agency)

    def get(self, text: str) -> Agency | None:
        return self.names.get(name_key(text))

    def resolve(self, text: str, start: dt.date | None = None, end: dt.date | None = None, *,
                follow_successor: bool) -> Resolved:
        """The agency ``text`` names, as it stands in ``start``–``end`` (today when None).

        A closed (or not yet active) agency's name or alias either resolves to its active
        successor with a note (``follow_successor``: set-up uploads, where the name only says
        who someone works for) or is refused with a message naming the successor (figure
        uploads, where the figures belong to the organisation that produced them).
        """
        agency = self.get(text)
        if agency is None:
            return Resolved(None, error=f"‘{text}’ is not an agency of this partnership (nor one of their "
                                        "other names).")
        start = start or timezone.localdate()
        if is_active_during(agency, start, end):
            return Resolved(agency)
        after = successor(agency, start, end)
        if after is not None and follow_successor:
            return Resolved(after, note=f"‘{text}’ is {agency.name}, which closed on {agency.active_to:%-d %B %Y}: "
                                        f"read as its successor, {after.name}.")
        hint = f": name {after.name} instead" if after else ""
        return Resolved(None, error=f"{inactive_reason(agency, start, end)}{hint}.")
