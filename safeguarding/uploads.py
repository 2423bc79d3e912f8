"""Reading an uploaded spreadsheet (XLSX or CSV) safely, for every import in the portal.

The rules every upload shares (issue 11 point 3, issue 14):

- Cost is bounded before parsing: a size limit on the bytes, then for an XLSX the unpacked size,
  the compression ratio, the number of sheets and the sheet's declared dimension are checked
  before any cell is read; rows and columns are capped while streaming (openpyxl read-only mode,
  one sheet, no padding of sparse rows), so no file under the size limit costs more than a few
  seconds or a few hundred MB (``tests/bench/bench_upload_worst_case.py``).
- The sheet is the template's (``sheet``), or else the only visible sheet; a hidden sheet is never
  read, and a hidden sheet of the template's name is refused by name.
- Every cell is read as Excel shows it (``safeguarding.upload_cells``): formulas of every kind and
  error values are refused with the cell's reference, percent-formatted cells read as the
  percentage, numbers to 15 significant digits.
- Every message names the file's own row (Excel's row number, or the CSV's line) and, for an
  XLSX, the cell (E5). Header problems are listed once each, capped, and checked in linear time.

Everything comes back as text; each importer parses its own columns and reports its refusals
through ``Table.reject`` so that they carry the same row numbers and cell references.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.conf import settings
from openpyxl.utils import get_column_letter

from .formatting import limit_text
from .inputs import describe_character, find_control_character
from .plurals import counted
from .upload_cells import CellRefused, cell_text
from .upload_workbook import TooLarge, iter_sheet_cells, open_workbook

XLSX_MAGIC = b"PK\x03\x04"
# An OLE2 compound file: Excel 97-2003's .xls, and also any workbook saved with a password to open.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits checked before parsing. The largest unpacked XLSX and how much it may grow when
# unpacked: a genuine 100,000-row return unpacks to about 40 MB.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_SHEETS = 50
# Limits applied while reading: data rows, and columns (the widest template has 11).
MAX_ROWS = 100_000
MAX_COLUMNS = 60
MAX_HEADER_ERRORS = 20  # header problems listed; the last line says how many more
MAX_LISTED = 500  # refused cells and rows listed back to the person

Raw = list[tuple[int, "str | CellRefused"]]  # (1-based column, text or the reason it was refused)


@dataclass(frozen=True)
class RowError:
    """One refusal: ``row`` is the file's own row (Excel row, CSV line) or None for the file as a
    whole; ``column`` the normalised column name; ``cell`` the reference (E5) for an XLSX."""

    row: int | None
    column: str | None
    message: str
    cell: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.cell:
            where.append(f"cell {self.cell}")
        if self.column:
            where.append(f"column ‘{self.column}’")
        return (", ".join(where) + ": " if where else "") + self.message


class UploadRejected(Exception):
    """The file, or some of its rows, cannot be accepted. Nothing has been saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


def _refuse(message: str) -> UploadRejected:
    return UploadRejected([RowError(None, None, message)])


def capped(errors: list[RowError], limit: int = MAX_LISTED) -> list[RowError]:
    """``errors`` sorted by row, at most ``limit`` of them, the last line saying how many more."""
    errors = sorted(errors, key=lambda e: (e.row or 0))
    if len(errors) <= limit:
        return errors
    more = len(errors) - limit
    return errors[:limit] + [RowError(None, None, f"… and {counted(more, 'more problem')} not listed.")]


@dataclass
class Table:
    """An uploaded sheet as text: ``rows`` are dicts keyed by the normalised column name.

    ``row_numbers`` are the file's own row numbers (Excel row or CSV line; blank rows skipped).
    ``letters`` maps a column name to its XLSX column letter (empty for a CSV)."""

    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    header_row: int = 1

    def numbered(self):
        return zip(self.row_numbers, self.rows, strict=True)

    def cell(self, row: int | None, column: str | None) -> str | None:
        """The reference (E5) of ``column`` on the file's ``row``, for an XLSX; else None."""
        letter = self.letters.get(column or "")
        return f"{letter}{row}" if letter and row is not None else None

    def locate(self, errors: list[RowError]) -> list[RowError]:
        """``errors`` with their cell references filled in, sorted by row and capped."""
        return capped([e if e.cell or e.row is None else replace(e, cell=self.cell(e.row, e.column))
                       for e in errors])

    def reject(self, errors: list[RowError]) -> UploadRejected:
        """The exception an importer raises for its refused rows: ``raise table.reject(errors)``."""
        return UploadRejected(self.locate(errors))


def normalise_header(name: object) -> str:
    """A column heading as compared: lower case, "_" read as a space, runs of spaces (a
    non-breaking space included) made one: " Source\u00a0Date " is "source date"."""
    return " ".join(str(name).strip().lower().replace("_", " ").split())


# Typographic marks that Word, web pages and PDFs put where a person types the plain one: a name
# copied from a report ("Children’s Services", "Performance – challenge") is the name typed.
_PLAIN_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def word_key(text: object) -> str:
    """What a name or word typed in a cell is matched by (an agency, a staff group, a level, a
    breakdown part, a comparator's kind, a course): spacing tidied, a non-breaking space as Excel
    pastes it from a web page included, curly quotes and dashes read as the plain ones, and case
    folded; "Level\u00a02 " is "level 2" and "Children’s Services" is "children's services".
    Agency names are compared by it too (``partners.models.name_key``)."""
    return " ".join(str(text or "").translate(_PLAIN_MARKS).split()).casefold()


def _read_bytes(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(f"The file is {size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB.")
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(f"The file is larger than the {max_bytes / 1048576:.0f} MB limit.")
    if not data.strip():
        raise _refuse("The file is empty.")
    return data


# ---------------------------------------------------------------------------------------------
# XLSX


def _check_zip(data: bytes) -> None:
    """Refuse, from the zip's directory alone, a file that is not an XLSX, unpacks to too much,
    has too many sheets or carries macros."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _refuse("The file is not a readable XLSX spreadsheet.")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        if "content.xml" in names and "mimetype" in names:
            raise _refuse("The file is an OpenDocument spreadsheet (.ods): save it as an Excel Workbook (.xlsx) "
                          "or as CSV, and upload that.")
        raise _refuse("The file is a zip archive but not an XLSX spreadsheet.")
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise _refuse("The spreadsheet unpacks to far more data than it holds; it has been refused as unsafe.")
    if any(n.startswith("xl/vbaProject") for n in names):
        raise _refuse("Spreadsheets with macros are not accepted: save it as a plain .xlsx workbook.")
    sheets = sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if sheets > MAX_SHEETS:
        raise _refuse(f"The workbook has {limit_text(sheets)} sheets; the limit is {limit_text(MAX_SHEETS)}. "
                      "Upload the template's sheet on its own.")


def _choose_sheet(workbook, sheet: str | None):
    """The template's sheet by name (never a hidden one), else the only visible data sheet."""
    sheets = list(workbook.worksheets)
    if sheet:
        for ws in sheets:
            if ws.title.strip().lower() == sheet.strip().lower():
                if ws.sheet_state != "visible":
                    raise _refuse(f"The sheet ‘{ws.title}’ is hidden. Unhide it (right-click a sheet tab, "
                                  "Unhide) and upload again: a hidden sheet is never read.")
                return ws
    # Our own downloads add an "Instructions" sheet beside the data.
    visible = [ws for ws in sheets if ws.sheet_state == "visible" and ws.title.strip().lower() != "instructions"]
    if len(visible) == 1:
        return visible[0]
    wanted = f"none is called ‘{sheet}’" if sheet else "the portal cannot tell which to read"
    if not visible:
        raise _refuse("The workbook has no visible data sheet" + (f" called ‘{sheet}’." if sheet else "."))
    names = ", ".join(f"‘{ws.title}’" for ws in visible[:10])
    raise _refuse(f"The workbook has {limit_text(len(visible))} visible sheets ({names}) and {wanted}: "
                  + (f"name the sheet to upload ‘{sheet}’" if sheet else "keep only the sheet to upload")
                  + " or delete the others.")


def _check_dimension(ws) -> None:
    """Refuse a sheet whose declared extent (the ``<dimension>`` Excel writes) is far beyond what
    any upload holds, before reading a row of it."""
    max_col, max_row = getattr(ws, "_max_column", None), getattr(ws, "_max_row", None)
    if (max_col or 0) > MAX_COLUMNS * 4 or (max_row or 0) > MAX_ROWS * 2:
        corner = f"{get_column_letter(min(max_col or 1, 16384))}{max_row or 1}"
        raise _refuse(f"The sheet ‘{ws.title}’ reaches cell {corner}, far beyond the {limit_text(MAX_ROWS)} rows and "
                      f"{limit_text(MAX_COLUMNS)} columns an upload may have. Delete the rows and columns beyond your "
                      "table and save it again.")


def _xlsx_rows(data: bytes, sheet: str | None) -> Iterator[tuple[int, Raw]]:
    _check_zip(data)
    try:
        workbook = open_workbook(data)
    except TooLarge as exc:
        raise _refuse(exc.message)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise _refuse(f"The spreadsheet could not be read ({type(exc).__name__}).")
    try:
        ws = _choose_sheet(workbook, sheet)
        _check_dimension(ws)
        yield from _stream_sheet(workbook, ws)
    finally:
        workbook.close()


def _stream_sheet(workbook, ws) -> Iterator[tuple[int, Raw]]:
    """Each row present in the sheet as (row number, non-empty cells as text or refusals)."""
    try:
        for number, cells in iter_sheet_cells(workbook, ws):
            raw: Raw = []
            for column, value, data_type, number_format in cells:
                try:
                    text = cell_text(value, data_type, number_format)
                except CellRefused as refused:
                    raw.append((column, refused))
                    continue
                if text:
                    raw.append((column, text))
            yield number, raw
    except (UploadRejected, GeneratorExit):
        raise
    except TooLarge as exc:
        raise _refuse(exc.message)
    except Exception as exc:  # a corrupt sheet part: report it, never a 500
        raise _refuse(f"The spreadsheet could not be read ({type(exc).__name__}).")


# ---------------------------------------------------------------------------------------------
# CSV


def _decode_csv(data: bytes) -> str:
    """The CSV's text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252 (Excel's
    "CSV (Comma delimited)" on a UK machine), or UTF-16 with its byte-order mark (Excel's "Unicode
    Text", tab-separated). Raises ``UploadRejected`` for binary data, a control character (naming
    its line) or an encoding that cannot be read."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise _refuse("The text file's encoding (UTF-16) could not be read: save it as CSV UTF-8.")
    if b"\x00" in data:
        raise _refuse("The file is not a CSV or XLSX spreadsheet (it holds binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Any other control character is refused naming its line, the same rule as every
        # other input (safeguarding.inputs).
        index = find_control_character(text)
        if index is not None:
            line = text.count("\n", 0, index) + 1
            raise UploadRejected([RowError(line, None, "This line contains a character that a CSV file cannot "
                                                       f"hold: {describe_character(text[index])}. Remove it, or save "
                                                       "the file again as CSV UTF-8.")])
        return text
    raise _refuse("The CSV file's text encoding could not be read: save it as CSV UTF-8.")


def _csv_rows(data: bytes) -> Iterator[tuple[int, Raw]]:
    """Each record as (its first line in the file, non-empty cells)."""
    text = _decode_csv(data)
    try:
        sep = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    line = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UploadRejected([RowError(reader.line_num, None, f"This line cannot be read as CSV ({exc}).")])
        start, line = line + 1, reader.line_num
        if len(record) > MAX_COLUMNS and any(v.strip() for v in record[MAX_COLUMNS:]):
            raise UploadRejected([RowError(
                start, None, f"This line has {limit_text(len(record))} columns; an upload has at "
                f"most {limit_text(MAX_COLUMNS)}. Delete the columns beyond the table.")])
        raw: Raw = []
        for index, value in enumerate(record, start=1):
            value = value.strip()
            if value:
                raw.append((index, CellRefused("Formulas are not accepted: type the value itself.")
                            if value.startswith("=") else value))
        yield start, raw


# ---------------------------------------------------------------------------------------------
# The table


def _header(number: int, raw: Raw, allowed: set[str], expected: list[str],
            letters: bool) -> tuple[dict[int, str], list[RowError]]:
    """The header row's columns (index → normalised name) and its problems, capped, in linear time."""
    errors: list[RowError] = []
    widest = max((index for index, _ in raw), default=0)
    if widest > MAX_COLUMNS:
        raise UploadRejected([RowError(
            number, None, f"The header row has {limit_text(widest)} columns; an upload has at "
            f"most {limit_text(MAX_COLUMNS)}. Delete the columns beyond the table.")])
    names: dict[int, str] = {}
    for index, text in raw:
        ref = f"{get_column_letter(index)}{number}" if letters else None
        if isinstance(text, CellRefused):
            errors.append(RowError(number, None, text.message, ref))
            continue
        names[index] = normalise_header(text)
    counts = Counter(names.values())
    reported: set[str] = set()
    for index, name in names.items():
        ref = f"{get_column_letter(index)}{number}" if letters else None
        if name in reported:
            continue
        if name not in allowed:
            errors.append(RowError(number, name, f"This column is not expected. Expected columns: "
                                                 f"{', '.join(expected)}.", ref))
        elif counts[name] > 1:
            errors.append(RowError(number, name, "This column appears more than once.", ref))
        reported.add(name)
    return names, errors


MAX_TITLE_ROWS = 10  # rows above the header (a title, a date, a note) looked through for it


def _names(raw: Raw) -> set[str]:
    return {normalise_header(text) for _, text in raw if not isinstance(text, CellRefused)}


def _from_header(rows: Iterator[tuple[int, Raw]], required: list[str],
                 allowed: set[str]) -> Iterator[tuple[int, Raw]]:
    """The non-blank rows from the header row on: a title, date or note typed above the header
    (up to ``MAX_TITLE_ROWS`` rows, none of them holding every required column) is skipped.

    The header is the first row holding every required column name; failing that, the first row
    holding any expected column name, else the first non-blank row, so that a misspelt header is
    still reported on the row the person meant as the header."""
    above: list[tuple[int, Raw]] = []
    for number, raw in rows:
        if not raw:
            continue  # blank rows carry nothing
        if len(above) < MAX_TITLE_ROWS and not set(required) <= _names(raw):
            above.append((number, raw))
            continue
        if len(above) < MAX_TITLE_ROWS:
            yield number, raw  # the header, below any title rows
        else:  # no row held every required column: the first that names any expected one
            start = next((i for i, (_, r) in enumerate(above) if _names(r) & allowed), 0)
            yield from above[start:]
            yield number, raw
        yield from (item for item in rows if item[1])
        return
    start = next((i for i, (_, r) in enumerate(above) if _names(r) & allowed), 0)
    yield from above[start:]


def read_table(
    upload,
    *,
    required: list[str],
    optional: list[str] | tuple[str, ...] = (),
    ignored: list[str] | tuple[str, ...] = (),
    sheet: str | None = None,
    max_bytes: int | None = None,
) -> Table:
    """Read an uploaded XLSX or CSV whose header row holds column names: the first non-blank row,
    or the first holding every required column below a title typed above it (``_from_header``).

    ``required`` and ``optional`` are normalised names (lower case, single spaces). Unknown
    columns are refused, so a typo in a header never silently drops a column of figures.
    ``ignored`` are columns the template carries for information (a compliance the portal works
    out, a target): accepted in the header, never read, so a formula or an error value a person
    put there refuses nothing (they are not in ``Table.columns``).
    ``sheet`` is the template's sheet name (see the module's rules for choosing a sheet).
    Raises ``UploadRejected`` listing every problem found (capped), each with the file's row.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    data = _read_bytes(upload, max_bytes)
    if data.startswith(OLE2_MAGIC):
        raise _refuse("The file is an Excel 97-2003 workbook (.xls) or a workbook with a password to open it: "
                      "open it in Excel and save it as an Excel Workbook (.xlsx) without a password, or as CSV.")
    is_xlsx = data.startswith(XLSX_MAGIC)
    rows = _xlsx_rows(data, sheet) if is_xlsx else _csv_rows(data)
    expected = list(required) + [c for c in optional if c not in required]
    expected += [c for c in ignored if c not in expected]
    allowed = set(expected)
    skipped = set(ignored) - set(required)

    header_row, names, errors = None, {}, []
    ignored_at: set[int] = set()
    table = Table(columns=[])
    no_heading: set[int] = set()
    data_rows = 0
    for number, raw in _from_header(rows, required, allowed):
        if header_row is None:
            header_row = number
            names, header_errors = _header(number, raw, allowed, expected, is_xlsx)
            ignored_at = {index for index, name in names.items() if name in skipped}
            present = set(names.values())
            header_errors += [RowError(number, name, "This required column is missing.") for name in required
                              if name not in present]
            if header_errors:
                raise UploadRejected(capped(header_errors, MAX_HEADER_ERRORS))
            names = {index: name for index, name in names.items() if name not in skipped}
            table.columns = list(dict.fromkeys(names.values()))
            if is_xlsx:
                table.letters = {name: get_column_letter(index) for index, name in names.items()}
            table.header_row = number
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise _refuse(f"The file has more than {limit_text(MAX_ROWS)} rows of data; split it into smaller files.")
        values = dict.fromkeys(table.columns, "")
        for index, text in raw:
            name = names.get(index)
            ref = f"{get_column_letter(index)}{number}" if is_xlsx else None
            if name is None and index in ignored_at:
                continue  # a column for information only: never read
            if name is None:
                if index > MAX_COLUMNS:
                    raise UploadRejected([RowError(
                        number, None, f"There is a value in column {limit_text(index)}; an upload "
                        f"has at most {limit_text(MAX_COLUMNS)} columns.", ref)])
                if index not in no_heading and not isinstance(text, CellRefused):
                    no_heading.add(index)
                    errors.append(RowError(number, None, "A column has values but no heading.", ref))
                continue
            if isinstance(text, CellRefused):
                errors.append(RowError(number, name, text.message, ref))
            else:
                values[name] = text
        if len(errors) > MAX_LISTED:
            break
        table.rows.append(values)
        table.row_numbers.append(number)
    if header_row is None:
        raise _refuse("The file has no rows.")
    if errors:
        raise UploadRejected(capped(errors))
    if not table.rows:
        raise _refuse("The file has a header row but no data rows.")
    return table


def cell_reference(column: int, row: int) -> str:
    """The A1-style reference of a 1-based column and row ("E5")."""
    return f"{get_column_letter(column)}{row}"

