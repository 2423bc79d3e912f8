"""Blank upload templates: every upload page offers the spreadsheet it reads (issue 14).

A template is an XLSX with the data sheet named as the importer expects (``read_table(sheet=…)``
reads that sheet first), one header row with the importer's columns, and an "Instructions" sheet
saying what each column takes. Pages whose template is pre-filled (a return) build their own.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
from django.http import HttpResponse
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .exports import XLSX_CONTENT_TYPE, _filename, frame_from_rows, safe_cell, xlsx_bytes, xlsx_response

LISTS_SHEET = "Lists"  # the hidden sheet holding the pick-lists' values
PICK_ROWS = 2000  # data rows a pick-list covers under the header


@dataclass(frozen=True)
class PickList:
    """The values offered in a drop-down on one column of a template. ``strict``: a value not on
    the list gets Excel's warning (which the person may override: the importer still reads other
    spellings, such as codes); otherwise the list is only a suggestion (a seat's role may be any)."""

    values: Sequence[str]
    strict: bool = True

COMMON_NOTES = [
    "Type values, not formulas: cells holding formulas or errors (#N/A, #DIV/0!) are refused.",
    "A percentage may be typed as 85.3 or 85.3% (a cell formatted as a percentage is read as shown).",
    "Keep this sheet's name and its header row; rows may be in any order; blank rows are skipped.",
    "Before anything is saved the portal shows every row it would add or change, and every refused row "
    "with its row number and cell; nothing is saved from a file with any refused row.",
]


def template_response(*, filename: str, sheet: str, columns: Sequence[str], notes: Sequence[str],
                      examples: Sequence[Sequence[object]] = (),
                      choices: dict[str, PickList] | None = None) -> HttpResponse:
    """The template as an XLSX download: ``columns`` as the header of sheet ``sheet``, optional
    ``examples`` rows, and ``notes`` (then the common notes) on an Instructions sheet.
    ``choices`` maps a column to the ``PickList`` offered as a drop-down on its cells (openpyxl
    data validation; the values sit on a hidden "Lists" sheet, so a list is not bound by Excel's
    255-character limit on an inline list)."""
    frame = frame_from_rows(list(columns), [list(row) for row in examples])
    notes_sheet = {"Instructions": [f"How to fill in the '{sheet}' sheet", *notes, *COMMON_NOTES]}
    if not choices:
        return xlsx_response({sheet: frame}, filename=filename, notes=notes_sheet)
    content = with_pick_lists(xlsx_bytes({sheet: frame}, notes=notes_sheet), sheet=sheet, columns=columns,
                              choices=choices)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(filename, "xlsx")}"'
    return response


def with_pick_lists(content: bytes, *, sheet: str, columns: Sequence[str], choices: dict[str, PickList]) -> bytes:
    """``content`` (an XLSX) with a drop-down on each column of ``choices`` in sheet ``sheet``, rows
    2 to ``PICK_ROWS`` + 1. Raises ``ValueError`` for a column the sheet does not have."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    data = book[sheet]
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for n, (column, pick) in enumerate(choices.items(), start=1):
        if column not in columns:
            raise ValueError(f"The template has no column {column!r}.")
        if not pick.values:  # nothing to offer yet (a partnership with no subgroups)
            continue
        letter = get_column_letter(n)
        lists.cell(row=1, column=n, value=column)
        for i, value in enumerate(pick.values, start=2):
            # Names come from people (an agency called "=HYPERLINK(…)"): never written as formulas.
            lists.cell(row=i, column=n, value=safe_cell(value))
        target = get_column_letter(list(columns).index(column) + 1)
        validation = DataValidation(
            type="list", formula1=f"={LISTS_SHEET}!${letter}$2:${letter}${len(pick.values) + 1}", allow_blank=True,
            showErrorMessage=pick.strict, errorStyle="warning", errorTitle=f"Not a {column} the portal knows",
            error=f"Choose a {column} from the list (see the Instructions sheet).",
            showInputMessage=True, promptTitle=column[:32], prompt="Choose from the list.")
        data.add_data_validation(validation)
        validation.add(f"{target}2:{target}{PICK_ROWS + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
