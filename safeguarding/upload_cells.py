"""One spreadsheet cell as the text a person sees in Excel (used by ``safeguarding.uploads``).

Excel shows a number to 15 significant digits (so a stored 80.00000000000001 is shown, and
read here, as 80), and a percent-formatted cell as the percentage (a stored 0.853 is shown as
85.3%). Formulas of every kind (plain, shared, array, data table) and error values (#DIV/0!,
#N/A…) are refused with the cell's reference: a formula's cached result is never read.
Source: issue 14 points 2 and 3; Excel's limit of 15 significant digits (Microsoft, "Excel
specifications and limits").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

SIGNIFICANT_DIGITS = 15
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class CellRefused(Exception):
    """The cell cannot be read as typed text; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_percent_format(number_format: str | None) -> bool:
    """True when an Excel number format shows the value as a percentage ("0%", "0.0%"...).

    A % inside quotes, after a backslash or inside [brackets] is literal text, not the format."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in _QUOTED.sub("", number_format)


def excel_number(value: int | float | Decimal, *, percent: bool = False) -> str:
    """``value`` as Excel shows it: 15 significant digits, no exponent, no trailing zeros.

    ``percent``: the value times 100 followed by ``%`` (0.853 → "85.3%").
    Raises ``CellRefused`` for infinities and NaN (which Excel cannot store)."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellRefused("This cell does not hold a number Excel can show.")
        number = Decimal(f"{value:.{SIGNIFICANT_DIGITS}g}")
    else:
        number = Decimal(value)
    if percent:
        number = number * 100
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text + ("%" if percent else "")


def cell_text(value, data_type: str, number_format: str | None) -> str:
    """The text of one cell read by openpyxl in read-only mode (``data_only`` off).

    ``data_type`` is openpyxl's: ``f`` formula, ``e`` error, ``n`` number, ``s`` string,
    ``b`` boolean, ``d`` date. Raises ``CellRefused`` for formulas and error values."""
    if data_type == "f":
        kind = getattr(value, "kind", None) or type(value).__name__
        if kind in ("array", "ArrayFormula"):
            raise CellRefused("Formulas are not accepted, array formulas included (this cell holds one, as "
                              "Ctrl+Shift+Enter writes): type the value itself.")
        if kind in ("dataTable", "DataTableFormula"):
            raise CellRefused("Formulas are not accepted, data tables included: type the value itself.")
        raise CellRefused("Formulas are not accepted: type the value itself.")
    if data_type == "e":
        raise CellRefused(f"The cell shows the error {str(value)[:20]}: type the value itself.")
    if value is None:
        return ""
    if data_type == "s" and type(value) is str:  # the common case first: plain text
        text = value.strip()
        if text.startswith("="):
            raise CellRefused("Formulas are not accepted: type the value itself.")
        return text
    if data_type == "n" and type(value) is int and not number_format:
        return str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return excel_number(value, percent=is_percent_format(number_format))
    if not isinstance(value, str):  # any other object openpyxl may give is a formula of some kind
        raise CellRefused("Formulas are not accepted: type the value itself.")
    text = value.strip()
    if text.startswith("="):
        raise CellRefused("Formulas are not accepted: type the value itself.")
    return text
