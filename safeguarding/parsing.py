"""Reading the figures people type, in the browser and in spreadsheets, without guessing.

"1,234" is 1234; "85%" is 85 where a percentage is expected and refused elsewhere; "£1,200"
is 1200 for pounds. Anything ambiguous ("1,23", "1 234", "12e3", "about 40") is refused with a
message saying what to type instead: a figure is never silently misread.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import DomainError
from .formatting import plain_number
from .inputs import has_other_digits, other_digits_message

# [0-9], not \d: \d also matches other scripts' digits, and the portal reads only 0 to 9.
_PLAIN = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_LEADING_DOT = re.compile(r"^[+-]?\.[0-9]+$")
LIMIT = Decimal("1e11")


# The symbols published statistics print in place of a figure, as typed from those tables, and the
# reason (a key of ``safeguarding.formatting.NA_REASONS``) each stands for. Source: the Government
# Statistical Service's "Symbols in tables, definitions and copy" ([c] confidential, [z] not
# applicable) and the Department for Education's older tables (c and x: suppressed, to protect
# confidentiality; z: not applicable). GSS's "[x]" (not available) and ".." say no more than that
# the figure is missing, so they are refused and the person chooses the reason.
PUBLISHED_SYMBOLS = {"c": "suppressed", "[c]": "suppressed", "x": "suppressed",
                     "z": "not_applicable", "[z]": "not_applicable"}
SYMBOLS_HINT = ("for a figure the published table does not give, write c (suppressed) or z (not applicable), "
                "or leave it blank and say why it is not available")


class NotANumber(DomainError):
    """The text is not a figure we can read with certainty."""


def published_symbol(text) -> str | None:
    """The not-available reason that ``text`` stands for when it is a published table's symbol
    for a missing figure ("c", "[c]", "x": ``"suppressed"``; "z", "[z]": ``"not_applicable"``; see
    ``PUBLISHED_SYMBOLS``), case and surrounding spaces ignored; ``None`` for anything else."""
    if not isinstance(text, str):
        return None
    return PUBLISHED_SYMBOLS.get(text.strip().lower())


def parse_figure(text, *, percent_ok: bool = False, pounds_ok: bool = False, field: str | None = None,
                 label: str = "This figure", symbols: bool = False) -> Decimal | None:
    """``text`` as a ``Decimal``, ``None`` when blank; raise ``NotANumber`` naming ``label``.

    ``percent_ok``: the figure is a percentage (0–100, refused outside); a trailing ``%`` is allowed.
    ``pounds_ok``: a leading ``£`` is allowed.
    ``symbols``: the caller reads published tables' symbols (``published_symbol``) before this,
    so a refused word says how to type a figure the table does not give.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = str(text)
    raw = str(text).strip()
    if raw == "":
        return None
    if has_other_digits(raw):
        raise NotANumber(other_digits_message(label, raw), field=field)
    body = raw
    if body.endswith("%"):
        if not percent_ok:
            raise NotANumber(f"{label} is not a percentage: type the number without the % sign "
                             f"(you typed ‘{raw}’).", field=field)
        body = body[:-1].strip()
    if body.startswith("£"):
        if not pounds_ok:
            raise NotANumber(f"{label} is not an amount of money: type the number without the £ sign "
                             f"(you typed ‘{raw}’).", field=field)
        body = body[1:].strip()
    if _LEADING_DOT.match(body):
        body = body.replace(".", "0.", 1)
    if _GROUPED.match(body):
        body = body.replace(",", "")
    elif "," in body:
        raise NotANumber(f"{label} must be a number; commas may only separate thousands, as in 1,234 "
                         f"(you typed ‘{raw}’).", field=field)
    if not _PLAIN.match(body):
        hint = f"; {SYMBOLS_HINT}" if symbols and not any(ch.isdigit() for ch in body) else ""
        raise NotANumber(f"{label} must be a number, like 1234 or 12.5 (you typed ‘{raw[:40]}’){hint}.", field=field)
    try:
        value = Decimal(body)
    except InvalidOperation:  # the pattern above should make this unreachable
        raise NotANumber(f"{label} must be a number (you typed ‘{raw[:40]}’).", field=field)
    if abs(value) >= LIMIT:
        raise NotANumber(f"{label} is too large to be right (you typed ‘{raw[:40]}’).", field=field)
    if percent_ok and not 0 <= value <= 100:
        # A percentage-formatted cell holding 1.5 shows (and is read as) 150%: say what was seen.
        raise NotANumber(f"{label} is a percentage, so it lies between 0 and 100 (it reads ‘{raw[:40]}’).",
                         field=field)
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y")
# A time after the date, as booking systems and Excel's date-and-time cells write it: "10/06/2025 09:30".
_TRAILING_TIME = re.compile(r"^(\S.*?)[ T]+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")


def parse_date(text, *, field: str | None = None, label: str = "This date") -> dt.date | None:
    """A date typed or read from a spreadsheet (a date cell, "2024-09-30", "30/09/2024", "30/09/24",
    "30 September 2024", "September 2024" = the 1st; a time after it, "30/09/2024 09:30", is
    dropped), ``None`` when blank; raise ``NotANumber`` naming ``label`` for anything else (days
    before months, as in England). The one date reader of every upload (datasets, partners'
    set-up files, training attendance)."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = str(text).strip()
    if not raw:
        return None
    timed = _TRAILING_TIME.match(raw)
    if timed:
        raw = timed.group(1)  # "2024-09-30 00:00:00", "10/06/2025 09:30"
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise NotANumber(f"{label} must be a date, like 30/09/2024 (you typed ‘{raw[:40]}’).", field=field)


def format_figure(value: Decimal | None) -> str:
    """A stored figure as a person would type it back into a form or spreadsheet ("12.5", "1234");
    "" when blank. Kept as the input-side name; it is ``safeguarding.formatting.plain_number``.
    For showing a figure use ``safeguarding.formatting.format_figure``."""
    return plain_number(value)
