"""The one plural helper for messages about counted things (issue 14 point 9: "1 figures saved")."""

from __future__ import annotations

from django.utils.translation import ngettext

from .formatting import limit_text


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` with the right form of the noun: "1 figure", "2 figures", "1,204 rows".

    ``plural`` defaults to ``singular`` + "s"; give it for other plurals ("1 entry", "2 entries")."""
    return ngettext("%(count)s " + singular, "%(count)s " + (plural or singular + "s"), count) % {
        "count": limit_text(count)}


def in_sentence(label: str) -> str:
    """A choice's label as it reads inside a sentence: the first letter lowered ("Agency
    submitter" → "agency submitter"), unless the first word is an acronym or a name that keeps its
    capitals ("PCI subgroup member", "ICB"); the rest as written ("Designated professional (ICB)")."""
    text = str(label)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1].isupper():
        return text
    return text[:1].lower() + text[1:]
