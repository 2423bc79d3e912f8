"""Words around numbers in the report: one rule for singular and plural (issue 15.2)."""

from __future__ import annotations

from safeguarding.formatting import limit_text


def count_noun(n, singular: str, plural: str | None = None) -> str:
    """``count_noun(1, "course")`` → "1 course"; ``count_noun(2, "person", "people")`` → "2 people".

    ``n`` is a whole number (None reads "no"); thousands are separated with commas."""
    if n is None:
        return f"no {plural or singular + 's'}"
    word = singular if n == 1 else (plural or f"{singular}s")
    return f"{limit_text(n)} {word}"
