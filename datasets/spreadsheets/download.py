"""A return as a pre-filled spreadsheet: one row per indicator or breakdown part."""

from __future__ import annotations

import pandas as pd

from safeguarding.exports import number_cell, xlsx_bytes
from safeguarding.formatting import NA_REASONS

from ..models import Return
from ..selectors.returns import ReturnSheet, return_sheet
from .layout import COLUMN_TITLES, INFO_COLUMNS, SHEET

INSTRUCTIONS = [
    "How to fill in this return",
    "Fill in the 'Return' sheet and upload it back on the return's page (as XLSX, or saved as CSV).",
    "One row per indicator, and one row per part of a breakdown. Do not add, remove or rename columns.",
    "Counts, days and pounds: type the figure in the 'value' column, as a plain number (1234 or 1,234).",
    "Percentages and rates: type the numerator and the denominator. The portal works out the figure; "
    "leave 'value' blank. A published figure without counts (e.g. from a national table) goes in 'value' "
    "with its 'source' and 'source date'.",
    "Breakdowns (e.g. child protection plans by category): type each part; the total may be left blank "
    "and is worked out from the parts. A total you type must equal the sum of its parts. Type 'not known' "
    "for a part that is not known: the total is then as you type it, or not known.",
    "A figure that is not available: leave it blank and write why in 'not available because' (not "
    "collected, no longer reported, suppressed at source, not applicable), with a note if you wish.",
    "Narrative: explain any figure that is red against its target or moved sharply since the last quarter.",
    "Type values, not formulas: cells holding formulas are refused.",
    "Nothing is saved from a file with any error: every refused row is listed with the reason.",
    "Columns after 'source date' are for information and are not read back.",
]


def sheet_frame(sheet: ReturnSheet) -> pd.DataFrame:
    """The rows of one return's spreadsheet (no queries: ``sheet`` holds everything)."""
    ret = sheet.ret
    rows = []
    for line in sheet.lines:
        ind = line.indicator
        total = line.figures.total
        target = line.target.target if line.target else None
        rows.append({
            "agency": ret.agency.name, "quarter": ret.quarter.label, "code": ind.code, "part": "",
            "value": None if total.computed else number_cell(total.value),
            "numerator": number_cell(total.numerator) if ind.is_ratio else None,
            "denominator": number_cell(total.denominator) if ind.is_ratio else None,
            "narrative": total.narrative,
            "not available because": "" if total.computed else NA_REASONS.get(total.na_reason, ""),
            "not available note": "" if total.computed else total.na_note,
            "source": total.source, "source date": total.source_date.isoformat() if total.source_date else "",
            "indicator": ind.name, "unit": ind.get_unit_display(),
            "numerator is": ind.numerator_label, "denominator is": ind.denominator_label,
            "target": number_cell(target),
            "figure when downloaded": number_cell(line.value),
        })
        for part in line.parts:
            figures = line.figures.parts.get(part.pk)
            rows.append({
                "agency": ret.agency.name, "quarter": ret.quarter.label, "code": ind.code, "part": part.label,
                "value": number_cell(figures.value) if figures else None, "numerator": None, "denominator": None,
                "narrative": "", "not available because": NA_REASONS.get(figures.na_reason, "") if figures else "",
                "not available note": figures.na_note if figures else "", "source": "", "source date": "",
                "indicator": f"{ind.name} – {part.label}", "unit": ind.get_unit_display(),
                "numerator is": "", "denominator is": "", "target": None, "figure when downloaded": None,
            })
    frame = pd.DataFrame(rows, columns=COLUMN_TITLES + INFO_COLUMNS)
    return frame


def return_workbook(ret: Return) -> bytes:
    """The XLSX bytes of ``ret``: an instructions sheet and the 'Return' sheet (formula-safe)."""
    sheet = return_sheet(ret)
    return xlsx_bytes({SHEET: sheet_frame(sheet)}, notes={"Instructions": INSTRUCTIONS})


def return_filename(ret: Return) -> str:
    return f"{ret.agency.slug}-{ret.quarter.label.replace('/', '-')}-return"
