"""Opening an uploaded XLSX for ``safeguarding.uploads``: openpyxl's read-only reader, made cheap
where an attacker could make it dear (issue 11 point 3, measured by
``tests/bench/bench_upload_worst_case.py``).

openpyxl itself (3.1) is kept for everything else — the package, the workbook, styles and number
formats, cell types and formulas — but three of its steps cost far more than the file's size:

- its shared-strings and inline-string reading builds a descriptor object per string (about 40 µs
  each: 2.5 million short strings took two minutes); here a string is the text of its runs, read
  straight from the element (phonetic guides left out, as openpyxl does);
- each read-only sheet finds its dimension by parsing the whole sheet when the sheet declares
  none (50 sheets, 50 full parses before a cell is read); here the search stops where the data
  starts, and only the chosen sheet is ever parsed;
- chart sheets are skipped (nothing to upload in them).

XML is parsed with defusedxml's iterparse, as openpyxl does when defusedxml is installed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse as fast_iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .formatting import limit_text

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_IS = f"{{{SHEET_MAIN_NS}}}is"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_C = f"{{{SHEET_MAIN_NS}}}c"
_V = f"{{{SHEET_MAIN_NS}}}v"
_F = f"{{{SHEET_MAIN_NS}}}f"


def string_text(node) -> str:
    """The text of a shared or inline string (<si> or <is>): its <t>, or its runs' <t> joined."""
    parts = []
    for child in node:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            t = child.find(_T)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts).replace("x005F_", "")


def _guarded(source) -> io.BytesIO:
    """The part's bytes, refused if it declares a DOCTYPE (no part of an XLSX has one): the fast
    parser below is expat's, which (2.4.1+) limits entity expansion itself; this keeps entity
    declarations out altogether."""
    data = source.read()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("an XML part declares a DOCTYPE")
    return io.BytesIO(data)


# Parsing cost is counted in XML elements, the unit expat and ElementTree work in: bytes alone do
# not bound it (``<t/>`` is four bytes). A 20,000-row bulk upload saved by Excel (text as shared
# strings, blank cells left out) has about 220,000 elements in its sheet, and written by openpyxl
# (text inline) about 260,000; its shared strings far fewer. Parsing runs at roughly a million
# elements a second on an idle core of the project's machine, and a quarter of that under load.
MAX_SHEET_ELEMENTS = 300_000
MAX_STRING_ELEMENTS = 200_000


class TooLarge(Exception):
    """A part of the workbook holds more XML than an upload may; ``message`` says so for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_strings_fast(source) -> list[str]:
    """Every shared string, in order, one element at a time (memory: the strings themselves).
    Raises ``TooLarge`` past ``MAX_STRING_ELEMENTS``."""
    strings = []
    for count, (_, node) in enumerate(fast_iterparse(_guarded(source)), start=1):  # noqa: S314 - see _guarded
        if count > MAX_STRING_ELEMENTS:
            raise TooLarge("The workbook's table of text is larger than an upload may hold. Save the sheet as "
                           "CSV, or split it into smaller files.")
        if node.tag == _SI:
            strings.append(string_text(node))
            node.clear()
    return strings


class Sheet(ReadOnlyWorksheet):
    """A read-only sheet whose declared dimension is read from the part's start only."""

    def _get_size(self):
        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == _DIMENSION:
                    bounds = SheetDimension(ref=element.get("ref", "A1")).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == _SHEET_DATA:
                    return


class Reader(ExcelReader):
    """``openpyxl.reader.excel.ExcelReader`` in read-only mode with the cheaper steps above."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_strings_fast(source)

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def open_workbook(data: bytes):
    """The workbook in read-only mode (close it with ``workbook.close()``). Raises what openpyxl
    raises for a broken file; the caller turns that into a message."""
    reader = Reader(data)
    reader.read()
    return reader.wb


class Formula:
    """A cell's formula, of any kind (plain, shared, array, data table); never evaluated."""

    def __init__(self, kind: str | None):
        self.kind = kind or "normal"


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Styles:
    """Per style id: the number format and whether it is a date or a duration (cached)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.cache: dict[str | None, tuple[str | None, bool, bool]] = {}

    def __call__(self, attribute: str | None) -> tuple[str | None, bool, bool]:
        """The format of the cell's ``s`` attribute (None for style 0)."""
        if attribute not in self.cache:
            style_id = int(attribute or 0)
            wb = self.workbook
            try:
                fmt_id = wb._cell_styles[style_id].numFmtId
                fmt = BUILTIN_FORMATS.get(fmt_id) if fmt_id < 164 else wb._number_formats[fmt_id - 164]
            except (IndexError, KeyError, AttributeError):
                fmt = None
            self.cache[attribute] = (fmt, style_id in wb._date_formats, style_id in wb._timedelta_formats)
        return self.cache[attribute]


def iter_sheet_cells(workbook, ws) -> Iterator[tuple[int, list[tuple[int, object, str, str | None]]]]:
    """Each row present in the sheet's XML as (row number, [(column, value, data type, number
    format)]), streamed with expat one row at a time. Data types are openpyxl's: ``n`` number,
    ``s`` string, ``b`` boolean, ``d`` date, ``e`` error, ``f`` formula (the value a ``Formula``).
    Missing rows are simply absent, so a sparse sheet costs its XML, no more. Raises ``TooLarge``
    past ``MAX_SHEET_ELEMENTS``."""
    strings = ws._shared_strings
    styles = _Styles(workbook)
    style_of = styles.cache
    columns: dict[str, int] = {}
    row_number = 0
    count = 0
    with ws._get_source() as source:
        for _, element in fast_iterparse(_guarded(source)):  # noqa: S314 - no DOCTYPE (see _guarded)
            count += 1
            if element.tag != _ROW:
                continue
            if count > MAX_SHEET_ELEMENTS:
                raise TooLarge(f"The sheet ‘{ws.title}’ holds more than an upload may (it stopped being read at "
                               f"row {limit_text(row_number + 1)}). Save it as CSV, or split it into smaller files.")
            row_number = int(element.get("r") or row_number + 1)
            column = 0
            cells = []
            for c in element:
                if c.tag != _C:
                    continue
                ref = c.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    if letters not in columns:
                        columns[letters] = column_index_from_string(letters)
                    column = columns[letters]
                else:
                    column += 1
                kind = c.get("t", "n")
                formula = c.find(_F)
                if formula is not None:
                    cells.append((column, Formula(formula.get("t")), "f", None))
                    continue
                if kind == "inlineStr":
                    node = c.find(_IS)
                    cells.append((column, string_text(node) if node is not None else None, "s", None))
                    continue
                text = c.findtext(_V)
                if text is None or text == "":
                    continue
                if kind == "s":
                    string = strings[int(text)]
                    if string:
                        cells.append((column, string, "s", None))
                elif kind in ("str", "inlineStr"):
                    cells.append((column, text, "s", None))
                elif kind == "b":
                    cells.append((column, text.strip() not in ("0", "false"), "b", None))
                elif kind == "e":
                    cells.append((column, text, "e", None))
                elif kind == "d":
                    cells.append((column, text, "s", None))
                else:
                    value = _number(text)
                    fmt, is_date, is_duration = style_of.get(c.get("s")) or styles(c.get("s"))
                    if fmt is None or fmt == "General":
                        cells.append((column, value, "n", None))
                    elif is_date:
                        try:
                            cells.append((column, from_excel(value, workbook.epoch, timedelta=is_duration), "d",
                                          fmt))
                        except (OverflowError, ValueError):
                            cells.append((column, "#VALUE!", "e", None))
                    else:
                        cells.append((column, value, "n", fmt))
            element.clear()
            yield row_number, cells
