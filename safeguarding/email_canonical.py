"""One canonical form of an email address (issue 11.2), for the account lookup, the lockout key,
invitations and password resets alike.

The canonical form is Unicode NFKC normalisation, then case folding (``str.casefold``), then NFKC
again, with surrounding spaces removed. It maps the look-alikes people and attackers type onto
the plain address: full-width letters (``ｐｃｉ`` → ``pci``), the long s (``ſ`` → ``s``), the
Kelvin sign (``K`` → ``k``), ligatures (``ﬀ`` → ``ff``), mixed case. What is left outside ASCII
after that (a dotless ``ı``, a Cyrillic ``а``, ``İ``) is refused when an address is stored, so
every stored address is ASCII and canonical, and a spelling with such a character can never
reach an account: PostgreSQL's case-insensitive matching (``UPPER('ı') = 'I'``) is never used.

This module imports nothing from Django's models, so the user model can use it.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError


def email_key(value: str | None) -> str:
    """The canonical form of ``value`` (never raises): the key for the account lookup and the
    django-axes lockout. ``""`` for None."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return folded.strip()


def outside_ascii(value: str) -> list[str]:
    """The distinct characters of ``value``'s canonical form outside ASCII, in order of appearance."""
    seen: list[str] = []
    for char in email_key(value):
        if not char.isascii() and char not in seen:
            seen.append(char)
    return seen


def canonical_email(value: str | None) -> str:
    """The canonical form of an address about to be stored.

    Raises ``ValidationError`` (code ``email_not_ascii``) naming the characters when the canonical
    form is not plain ASCII (issue 11.2: look-alike letters are refused, not guessed at).
    """
    key = email_key(value)
    odd = outside_ascii(key)
    if odd:
        shown = ", ".join(f"‘{c}’ (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character').lower()})"
                          for c in odd)
        raise ValidationError(
            f"Enter the email address in plain letters a to z, digits and the usual symbols: {shown} "
            "is not accepted.", code="email_not_ascii")
    return key


class CanonicalEmailField(forms.EmailField):
    """An email form field that validates and returns the canonical form (``email_key``), so a
    full-width or mixed-case address is read as the plain one. Storing services still refuse a
    canonical form outside ASCII with ``canonical_email``."""

    def to_python(self, value):
        return email_key(super().to_python(value))
