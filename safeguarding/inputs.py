"""What the portal accepts as text and as digits, in one place (issue 11, point 4).

Two rules, used by the request middleware, the shared form layer, the figure parsers and the
spreadsheet reader alike:

- **Control characters** (C0 except tab, line feed and carriage return; DEL; C1) are never part
  of anything a person means to type. PostgreSQL cannot store NUL at all, and the others corrupt
  exports and PDFs. ``find_control_character`` finds the first one so a message can name it.
- **Digits are ASCII.** Python's ``int()``, ``Decimal()`` and ``\\d`` read Arabic-Indic
  (``١٢٣``), full-width (``１２３``) and other scripts' digits as numbers, so ``١٢٣`` was saved as
  123 without anyone seeing it. The portal follows the GOV.UK Design System's pattern for
  numbers and accepts only the digits 0 to 9, and its messages say so (``DIGITS_MESSAGE``).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except \t \n \r, then DEL and the C1 block.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

DIGITS_MESSAGE = "Use the digits 0 to 9"


def find_control_character(text: str) -> int | None:
    """The index of the first control character in ``text`` (a str), or None when there is none."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe_character(char: str) -> str:
    """A person-readable name for one character, e.g. ``NUL (U+0000)`` or ``ESCAPE (U+001B)``."""
    if char == "\x00":
        return "NUL (U+0000)"
    name = unicodedata.name(char, "") or {"\x1b": "ESCAPE", "\x7f": "DELETE"}.get(char, "a control character")
    return f"{name} (U+{ord(char):04X})"


def control_character_problem(text: str, *, where: str) -> str | None:
    """A message naming ``where`` (e.g. "the field ‘comment’") and the character, or None when
    ``text`` holds no control character."""
    index = find_control_character(text)
    if index is None:
        return None
    return (f"{where[:1].upper()}{where[1:]} contains a character that cannot be saved: "
            f"{describe_character(text[index])} at position {index + 1}. Remove it and try again.")


def has_other_digits(text: str) -> bool:
    """Whether ``text`` holds a decimal digit outside 0–9 (``١``, ``１``, ``߁`` …), which Python
    would otherwise read as a number."""
    return any(char.isdecimal() and not ("0" <= char <= "9") for char in text)


def other_digits_message(label: str, raw: str) -> str:
    """The refusal for ``raw`` holding digits from another script, naming ``label``."""
    return f"{label}: {DIGITS_MESSAGE} (you typed ‘{raw[:40]}’)."


def shorten_file_name(name: str, limit: int = 200) -> str:
    """``name`` cut to ``limit`` characters by shortening its stem, never its extension, so a long
    file name keeps the type it says it is (``"a" * 300 + ".pdf"`` becomes 196 a's and ``.pdf``).
    An "extension" longer than 16 characters is not one, and is cut like the rest (issue 11.5)."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        return name[:limit]
    return f"{stem[:limit - len(ext) - 1]}.{ext}"
