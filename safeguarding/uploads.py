"""Reading an uploaded spreadsheet (XLSX or CSV) safely, for every import in the portal.

The rules every upload shares: a size limit, a type judged from the bytes and not the name,
no formulas evaluated (a cell holding a formula is refused, not read as its cached value),
zip bombs refused before they are unpacked, and errors that name the row and column.
Everything comes back as text; each importer parses its own columns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

from .inputs import describe_character, find_control_character

XLSX_MAGIC = b"PK\x03\x04"
# The largest unpacked size of an XLSX we will open, and how much it may grow when unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's own row number (the header is row 1), or None for the file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column ‘{self.column}’")
        return (", ".join(where) + ": " if where else "") + self.message


class UploadRejected(Exception):
    """The file, or some of its rows, cannot be accepted. Nothing has been saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


@dataclass
class Table:
    """An uploaded sheet as text: ``rows`` are dicts keyed by the normalised column name."""

    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    # The spreadsheet's own number for each row (the header is row 1; blank rows are skipped).
    row_numbers: list[int] = field(default_factory=list)

    def numbered(self):
        return zip(self.row_numbers, self.rows, strict=True)


def normalise_header(name: object) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").split())


def _read_bytes(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected([RowError(None, None, f"The file is {size / 1048576:.1f} MB; the limit is "
                                                   f"{max_bytes / 1048576:.0f} MB.")])
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected([RowError(None, None, f"The file is larger than the "
                                                   f"{max_bytes / 1048576:.0f} MB limit.")])
    if not data.strip():
        raise UploadRejected([RowError(None, None, "The file is empty.")])
    return data


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected([RowError(None, None, "The file is not a readable XLSX spreadsheet.")])
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UploadRejected([RowError(None, None, "The file is a zip archive but not an XLSX spreadsheet.")])
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise UploadRejected([RowError(None, None, "The spreadsheet unpacks to far more data than it "
                                                   "holds; it has been refused as unsafe.")])
    if any(n.startswith("xl/vbaProject") for n in names):
        raise UploadRejected([RowError(None, None, "Spreadsheets with macros are not accepted: save it "
                                                   "as a plain .xlsx workbook.")])


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UploadRejected([RowError(None, None, "The file is not a CSV or XLSX spreadsheet.")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A control character anywhere (a NUL past the sniffed start too) is refused naming its
        # line, the same rule as every other input (safeguarding.inputs).
        index = find_control_character(text)
        if index is not None:
            line = text.count("\n", 0, index) + 1
            raise UploadRejected([RowError(line, None, "This line contains a character that a CSV file cannot "
                                                       f"hold: {describe_character(text[index])}. Remove it, or save "
                                                       "the file again as CSV UTF-8.")])
        return text
    raise UploadRejected([RowError(None, None, "The CSV file's text encoding could not be read: "
                                               "save it as CSV UTF-8.")])


def _frame_from_xlsx(data: bytes, sheet: str | int) -> pd.DataFrame:
    _check_zip(data)
    try:
        # openpyxl reads the formula text (never its cached result) because data_only is off.
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None,
                               keep_default_na=False, engine="openpyxl",
                               engine_kwargs={"data_only": False})
    except Exception as exc:  # openpyxl raises many types for broken files
        raise UploadRejected([RowError(None, None, f"The spreadsheet could not be read ({type(exc).__name__}).")])
    if isinstance(sheet, str):
        for name, frame in frames.items():
            if name.strip().lower() == sheet.lower():
                return frame
    # The first sheet that is not the instructions sheet we put in our own downloads.
    for name, frame in frames.items():
        if name.strip().lower() != "instructions":
            return frame
    raise UploadRejected([RowError(None, None, "The spreadsheet has no data sheet.")])


def _frame_from_csv(data: bytes) -> pd.DataFrame:
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, header=None, keep_default_na=False,
                           sep=sep, skip_blank_lines=True, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise UploadRejected([RowError(None, None, f"The CSV file could not be read: {exc}".strip())])


def read_table(
    upload,
    *,
    required: list[str],
    optional: list[str] | tuple[str, ...] = (),
    sheet: str | int = 0,
    max_bytes: int | None = None,
) -> Table:
    """Read an uploaded XLSX or CSV whose first row holds column names.

    ``required`` and ``optional`` are normalised names (lower case, single spaces). Unknown
    columns are refused, so a typo in a header never silently drops a column of figures.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    data = _read_bytes(upload, max_bytes)
    frame = _frame_from_xlsx(data, sheet) if data.startswith(XLSX_MAGIC) else _frame_from_csv(data)

    frame = frame.loc[~(frame == "").all(axis=1)]  # blank rows carry nothing
    if frame.empty:
        raise UploadRejected([RowError(None, None, "The file has no rows.")])
    header_row = frame.index[0]
    headers = [normalise_header(h) for h in frame.iloc[0].tolist()]
    # Trailing unnamed columns (a stray format in a spreadsheet) are ignored if they are empty.
    body = frame.iloc[1:]
    keep = [i for i, h in enumerate(headers) if h or (body.iloc[:, i] != "").any()]
    headers = [headers[i] for i in keep]
    body = body.iloc[:, keep]

    errors: list[RowError] = []
    allowed = set(required) | set(optional)
    for name in headers:
        if not name:
            errors.append(RowError(1, None, "A column has values but no heading."))
        elif name not in allowed:
            errors.append(RowError(1, name, f"This column is not expected. Expected columns: "
                                            f"{', '.join(required + list(optional))}."))
    duplicates = {h for h in headers if h and headers.count(h) > 1}
    for name in sorted(duplicates):
        errors.append(RowError(1, name, "This column appears more than once."))
    for name in required:
        if name not in headers:
            errors.append(RowError(1, name, "This required column is missing."))
    if errors:
        raise UploadRejected(errors)
    if len(body) > MAX_ROWS:
        raise UploadRejected([RowError(None, None, f"The file has {len(body):,} rows; the limit is {MAX_ROWS:,}.")])
    if body.empty:
        raise UploadRejected([RowError(None, None, "The file has a header row but no data rows.")])

    body = body.map(lambda v: v.strip() if isinstance(v, str) else ("" if v is None else str(v)))
    formula_errors = []
    for col_idx, name in enumerate(headers):
        column = body.iloc[:, col_idx]
        hits = column[column.str.startswith("=")]
        for idx in hits.index[:20]:
            formula_errors.append(RowError(int(idx) - int(header_row) + 1, name,
                                           "Formulas are not accepted: type the value itself."))
    if formula_errors:
        raise UploadRejected(formula_errors)

    body.columns = headers
    # Blank rows were dropped, so the spreadsheet's row numbers come from the frame's index.
    return Table(
        columns=headers,
        rows=body.to_dict(orient="records"),
        row_numbers=[int(i) - int(header_row) + 1 for i in body.index],
    )
