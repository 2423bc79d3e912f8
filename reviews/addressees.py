"""Who a recommendation is addressed to: named agencies and groups (issue 12.4).

A recommendation may be addressed to the partnership itself, to all member agencies, to all
health providers, to all agencies of one type, or to agencies by name (DOMAIN.md, "Addressees
and audiences"). A group is written as a *code*: ``partnership``, ``all_members``,
``health_providers`` or ``type:<AgencyType value>``. A group holds the agencies active on the
recommendation's date (``Recommendation.made_on``), never an agency closed before it or opened
after it.

This module reads words (the upload's "addressed to" column) and resolves groups to agencies; the
register, action pages and report print the addressees through
``reviews.selectors.recommendation_addressees_label``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from partners.lifecycle import active_during_q
from partners.models import Agency, AgencyType, Partnership
from partners.models.people import HEALTH_AGENCY_TYPES

from .models import TYPE_GROUP_LABELS, AddresseeGroup

# "Health providers" are the health economy's providers: the commissioner (ICB) is addressed by name.
HEALTH_PROVIDER_TYPES = frozenset(HEALTH_AGENCY_TYPES - {AgencyType.HEALTH_COMMISSIONER})


def group_code_label(code: str) -> str:
    """``type:police`` → "All police forces"; ``all_members`` → "All member agencies".

    Raises ``ValueError`` for a code that names no group."""
    if code.startswith("type:"):
        agency_type = code.split(":", 1)[1]
        if agency_type not in AgencyType.values:
            raise ValueError(f"No agency type {agency_type!r}")
        return TYPE_GROUP_LABELS[agency_type]
    if code not in AddresseeGroup.values or code == AddresseeGroup.AGENCY_TYPE:
        raise ValueError(f"No addressee group {code!r}")
    return AddresseeGroup(code).label


def group_choices() -> list[tuple[str, str]]:
    """Every group a form offers, as (code, label): the three broad groups, then one per agency type."""
    broad = [(AddresseeGroup.PARTNERSHIP.value, "The partnership itself"),
             (AddresseeGroup.ALL_MEMBERS.value, "All member agencies"),
             (AddresseeGroup.HEALTH_PROVIDERS.value, "All health providers")]
    return broad + [(f"type:{value}", TYPE_GROUP_LABELS[value]) for value in AgencyType.values]


def split_code(code: str) -> tuple[str, str]:
    """A group code as the model stores it: (kind, agency_type)."""
    if code.startswith("type:"):
        return AddresseeGroup.AGENCY_TYPE.value, code.split(":", 1)[1]
    return code, ""


def _key(text: str) -> str:
    return " ".join(str(text).casefold().replace("’", "'").split())


def group_words(partnership: Partnership) -> dict[str, str]:
    """The words an upload may use for each group, normalised (lower case, single spaces) → code.

    "the partnership", the partnership's own name; "all member agencies", "all agencies", "all
    partners"; "all health providers"; and per agency type its label ("Education"), its group
    label ("All schools and colleges") and plain forms ("all schools", "every school")."""
    words: dict[str, str] = {}

    def add(code: str, *phrases: str) -> None:
        for phrase in phrases:
            key = _key(phrase)
            if key:
                words.setdefault(key, code)

    add(AddresseeGroup.PARTNERSHIP, "the partnership", "partnership", "the safeguarding partnership",
        "the safeguarding children partnership", "the board", "the partnership board", partnership.name,
        partnership.short_name)
    add(AddresseeGroup.ALL_MEMBERS, "all member agencies", "all members", "all agencies", "all partner agencies",
        "all partners", "all member organisations", "all partner organisations", "all organisations",
        "every member agency", "every agency", "all relevant agencies and partners")
    add(AddresseeGroup.HEALTH_PROVIDERS, "all health providers", "health providers", "every health provider",
        "all health agencies", "all health partners", "all health organisations", "all health services")
    extra = {
        "education": ("all schools", "schools", "every school", "all head teachers", "head teachers",
                      "all headteachers", "headteachers", "all schools and colleges", "all education settings"),
        "primary_care": ("all gps", "gps", "every gp practice", "all gp practices", "all general practices"),
        "police": ("all police", "the police forces"),
        "acute_trust": ("all hospitals", "all acute trusts", "every acute trust"),
        "mental_health_trust": ("all mental health providers",),
    }
    for value, label in AgencyType.choices:
        code = f"type:{value}"
        add(code, TYPE_GROUP_LABELS[value], f"all {label}", f"all {label}s", f"every {label}",
            *extra.get(value, ()))
        # The bare type label ("Education", "Police") only when nothing else claims it.
        add(code, label)
    return words


def groups_q(codes: Iterable[str]) -> Q | None:
    """The agencies a set of group codes holds, as a filter (None when the groups hold no agency,
    as "the partnership" alone does)."""
    q = None
    for code in codes:
        kind, agency_type = split_code(code)
        if kind == AddresseeGroup.ALL_MEMBERS:
            part = Q(pk__isnull=False)  # every agency (an empty Q would vanish when OR-ed)
        elif kind == AddresseeGroup.HEALTH_PROVIDERS:
            part = Q(agency_type__in=HEALTH_PROVIDER_TYPES)
        elif kind == AddresseeGroup.AGENCY_TYPE:
            part = Q(agency_type=agency_type)
        else:
            continue
        q = part if q is None else q | part
    return q


def addressed_agencies(*, partnership_id: int, made_on: dt.date, named: Iterable[int],
                       group_codes: Iterable[str]) -> list[Agency]:
    """Every agency the recommendation addresses, in name order: those named, and those its
    groups held on ``made_on`` (active that day: ``partners.lifecycle.active_during_q``). One query."""
    named = list(named)
    q = Q(pk__in=named) if named else None
    held = groups_q(group_codes)
    if held is not None:
        held = held & active_during_q(made_on)
        q = held if q is None else q | held
    if q is None:
        return []
    return list(Agency.objects.filter(q, partnership_id=partnership_id).order_by("name"))
