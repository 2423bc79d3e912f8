"""Formula-safe CSV and XLSX downloads, shared by every export in the portal.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would be run as
a formula by a spreadsheet program. Text cells like that are prefixed with an apostrophe;
numbers are left as numbers, so a negative figure stays a number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
from django.http import HttpResponse

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def number_cell(value: Any) -> int | float | None:
    """A stored figure (Decimal, int, float or None) as a spreadsheet number: an int when whole
    (111, not "111" nor 111.0000), else a float at the stored precision; None for a blank cell.
    Pre-filled spreadsheets must hold numbers as numbers, never text (tester's finding)."""
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def frame_from_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


def _filename(stem: str, ext: str) -> str:
    return f"{_SAFE_FILENAME.sub('-', stem).strip('-') or 'export'}.{ext}"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # utf-8-sig so that Excel opens pound signs and names with accents correctly.
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, notes: dict[str, list[str]] | None = None) -> bytes:
    """One workbook, one sheet per frame; ``notes`` adds an instructions sheet per name."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, lines in (notes or {}).items():
            pd.DataFrame({"Instructions": [safe_cell(x) for x in lines]}).to_excel(
                writer, sheet_name=title[:31], index=False
            )
        for title, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=title[:31], index=False)
            sheet = writer.sheets[title[:31]]
            for idx, column in enumerate(frame.columns, start=1):
                width = min(60, max(10, len(str(column)) + 2))
                sheet.column_dimensions[sheet.cell(row=1, column=idx).column_letter].width = width
    return buffer.getvalue()


def csv_response(frame: pd.DataFrame, *, filename: str) -> HttpResponse:
    response = HttpResponse(csv_bytes(frame), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filename, "csv")}"'
    return response


def xlsx_response(sheets: dict[str, pd.DataFrame], *, filename: str,
                  notes: dict[str, list[str]] | None = None) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets, notes=notes), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(filename, "xlsx")}"'
    return response


def frame_response(frame: pd.DataFrame, *, fmt: str, filename: str, sheet: str = "Data") -> HttpResponse:
    """The usual export view's answer: ``fmt`` is ``csv`` or ``xlsx``."""
    if fmt == "csv":
        return csv_response(frame, filename=filename)
    return xlsx_response({sheet: frame}, filename=filename)
