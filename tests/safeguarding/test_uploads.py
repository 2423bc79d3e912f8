"""The shared upload reader: every kind of bad file is refused with a message, never a crash."""

import io
import zipfile

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from safeguarding.uploads import UploadRejected, read_table

REQUIRED = ["code", "value"]


def _upload(data: bytes, name: str = "upload.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _xlsx(rows: list[list], *, sheet_title: str = "Data") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _messages(exc: UploadRejected) -> str:
    return " | ".join(str(e) for e in exc.errors)


def test_reads_xlsx_and_csv_as_text_with_row_numbers():
    table = read_table(_upload(_xlsx([["Code", "Value"], ["A1", 12], [None, None], ["B2", "1,234"]])),
                       required=REQUIRED)
    assert list(table.numbered()) == [(2, {"code": "A1", "value": "12"}), (4, {"code": "B2", "value": "1,234"})]
    csv = read_table(_upload("code;value\nA1;85%\n".encode("cp1252"), "x.csv"), required=REQUIRED)
    assert csv.rows == [{"code": "A1", "value": "85%"}]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty"),
    (b"   \n  ", "The file is empty"),
    (b"PK\x03\x04not really a zip", "not a readable XLSX"),
    (b"\x00\x01\x02binary" * 10, "not a CSV or XLSX"),
    (b"code,value\n", "no data rows"),
    (b"code,amount\nA,1\n", "column \u2018amount\u2019: This column is not expected"),
])
def test_bad_files_are_refused_with_a_reason(data, message):
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data, "x.csv"), required=REQUIRED)
    assert message in _messages(exc.value)


def test_missing_and_unexpected_columns_are_all_named():
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(b"code,valeu,notes\nA,1,x\n", "x.csv"), required=REQUIRED)
    text = _messages(exc.value)
    assert "valeu" in text and "notes" in text and "‘value’: This required column is missing" in text


def test_formulas_are_refused_not_evaluated():
    data = _xlsx([["code", "value"], ["A", "=1+1"], ["B", "=HYPERLINK(\"http://x\")"]])
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data), required=REQUIRED)
    assert "row 2, column ‘value’: Formulas are not accepted" in _messages(exc.value)
    assert "row 3" in _messages(exc.value)


def test_size_limit():
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(b"code,value\n" + b"A,1\n" * 1000, "x.csv"), required=REQUIRED, max_bytes=1000)
    assert "limit" in _messages(exc.value)


def test_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(buffer.getvalue()), required=REQUIRED)
    assert "unsafe" in _messages(exc.value)


def test_macro_workbooks_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(buffer.getvalue()), required=REQUIRED)
    assert "macros" in _messages(exc.value)


def test_our_own_instructions_sheet_is_skipped():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"Instructions": ["Fill in the value column"]}).to_excel(writer, sheet_name="Instructions",
                                                                            index=False)
        pd.DataFrame({"code": ["A"], "value": ["3"]}).to_excel(writer, sheet_name="Return", index=False)
    assert read_table(_upload(buffer.getvalue()), required=REQUIRED).rows == [{"code": "A", "value": "3"}]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data):
    try:
        read_table(_upload(data, "fuzz.bin"), required=REQUIRED)
    except UploadRejected as exc:
        assert exc.errors and all(str(e) for e in exc.errors)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=4000))
def test_truncated_xlsx_never_crashes(cut):
    data = _xlsx([["code", "value"]] + [[f"C{i}", i] for i in range(200)])
    try:
        read_table(_upload(data[: min(cut, len(data) - 1)]), required=REQUIRED)
    except UploadRejected as exc:
        assert exc.errors


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True),
                                   st.none(), st.booleans()), min_size=1, max_size=4), max_size=12),
       st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_odd_csv_content_and_encodings_never_crash(rows, encoding):
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in [["code", "value"], *rows])
    try:
        data = text.encode(encoding, errors="replace")
    except (UnicodeEncodeError, LookupError):
        return
    try:
        table = read_table(_upload(data, "fuzz.csv"), required=REQUIRED)
    except UploadRejected as exc:
        assert exc.errors
    else:
        assert all(set(row) == {"code", "value"} for row in table.rows)
