"""Blank upload templates: every upload page offers the spreadsheet it reads (issue 14).

A template is an XLSX with the data sheet named as the importer expects (``read_table(sheet=…)``
reads that sheet first), one header row with the importer's columns, and an "Instructions" sheet
saying what each column takes. Pages whose template is pre-filled (a return) build their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse

from .exports import frame_from_rows, xlsx_response

COMMON_NOTES = [
    "Type values, not formulas: cells holding formulas or errors (#N/A, #DIV/0!) are refused.",
    "A percentage may be typed as 85.3 or 85.3% (a cell formatted as a percentage is read as shown).",
    "Keep this sheet's name and its header row; rows may be in any order; blank rows are skipped.",
    "Before anything is saved the portal shows every row it would add or change, and every refused row "
    "with its row number and cell; nothing is saved from a file with any refused row.",
]


def template_response(*, filename: str, sheet: str, columns: Sequence[str], notes: Sequence[str],
                      examples: Sequence[Sequence[object]] = ()) -> HttpResponse:
    """The template as an XLSX download: ``columns`` as the header of sheet ``sheet``, optional
    ``examples`` rows, and ``notes`` (then the common notes) on an Instructions sheet."""
    frame = frame_from_rows(list(columns), [list(row) for row in examples])
    return xlsx_response({sheet: frame}, filename=filename,
                         notes={"Instructions": [f"How to fill in the '{sheet}' sheet", *notes, *COMMON_NOTES]})
