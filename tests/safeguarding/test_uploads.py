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
    # Excel 97-2003 (and any password-protected workbook) is an OLE2 file: say how to save it instead.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "an Excel 97-2003 workbook (.xls) or a workbook with a "
                                                           "password to open it: open it in Excel and save it as"),
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
    assert "row 2, cell B2, column ‘value’: Formulas are not accepted" in _messages(exc.value)
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


# --- Issue 14: sheets, cell types, number formats, the file's own row numbers; issue 11.3: cost ---


def _workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_hidden_sheet_placed_first_is_never_read():
    wb = Workbook()
    hidden = wb.active
    hidden.title = "Old copy"
    hidden.append(["code", "value"])
    hidden.append(["A", 999])
    hidden.sheet_state = "hidden"
    visible = wb.create_sheet("My return")
    visible.append(["code", "value"])
    visible.append(["A", 80])
    table = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, sheet="Return")
    assert table.rows == [{"code": "A", "value": "80"}]


def test_the_templates_sheet_is_chosen_by_name_and_refused_by_name_when_hidden():
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["anything"])
    ret = wb.create_sheet("Return")
    ret.append(["code", "value"])
    ret.append(["A", 5])
    assert read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, sheet="Return").rows == [
        {"code": "A", "value": "5"}]
    ret.sheet_state = "hidden"
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, sheet="Return")
    assert "The sheet ‘Return’ is hidden" in _messages(exc.value)


def test_two_visible_sheets_without_the_templates_name_are_refused_naming_them():
    wb = Workbook()
    wb.active.title = "One"
    wb.create_sheet("Two")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, sheet="Return")
    assert "2 visible sheets (‘One’, ‘Two’) and none is called ‘Return’" in _messages(exc.value)


def test_array_formulas_and_error_values_are_refused_with_the_cell():
    from openpyxl.worksheet.formula import ArrayFormula

    wb = Workbook()
    ws = wb.active
    ws.append(["code", "value", "narrative"])
    ws.append(["A", 1, None])
    ws["C2"] = ArrayFormula("C2", "=TEXTJOIN(\",\",TRUE,A1:A2)")
    ws.append(["B", "#DIV/0!"])
    ws.append(["C", "#N/A"])
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, optional=["narrative"])
    text = _messages(exc.value)
    assert "row 2, cell C2, column ‘narrative’: Formulas are not accepted, array formulas included" in text
    assert "row 3, cell B3, column ‘value’: The cell shows the error #DIV/0!" in text
    assert "row 4, cell B4, column ‘value’: The cell shows the error #N/A" in text
    assert "ArrayFormula object" not in text


def _patched(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` (an XLSX) with one piece of the first sheet's XML replaced."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in body
                body = body.replace(old, new)
            out.writestr(info, body)
    return target.getvalue()


@pytest.mark.parametrize("formula", [
    b'<f t="shared" ref="B2:B3" si="0">1+1</f><v>2</v>',  # what Excel writes when a formula is filled down
    b'<f t="shared" si="0"/><v>2</v>',  # the cells below, which carry no formula text of their own
    b'<f t="dataTable" ref="B2" dt2D="0" dtr="0" r1="A1"/><v>2</v>',
])
def test_shared_and_data_table_formulas_are_refused(formula):
    wb = Workbook()
    wb.active.append(["code", "value"])
    wb.active.append(["A", 7])
    data = _patched(_workbook_bytes(wb), b'<c r="B2" t="n"><v>7</v></c>', b'<c r="B2">' + formula + b"</c>")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data), required=REQUIRED)
    assert "row 2, cell B2, column ‘value’: Formulas are not accepted" in _messages(exc.value)


def test_percent_formatted_cells_read_as_the_percentage_shown():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "value"])
    ws.append(["A", 0.853])
    ws["B2"].number_format = "0.0%"
    ws.append(["B", 1])
    ws["B3"].number_format = "0%"
    ws.append(["C", 0.853])  # no percent format: the number itself
    rows = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED).rows
    assert [r["value"] for r in rows] == ["85.3%", "100%", "0.853"]


def test_floats_read_as_excel_shows_them():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "value"])
    for value in (80.00000000000001, 0.1 + 0.2, 35.12345, 1e-7, 123456789012.0, -0.0):
        ws.append(["A", value])
    rows = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED).rows
    assert [r["value"] for r in rows] == ["80", "0.3", "35.12345", "0.0000001", "123456789012", "0"]


def test_blank_leading_rows_and_lines_keep_the_files_own_row_numbers():
    wb = Workbook()
    ws = wb.active
    ws["A3"], ws["B3"] = "code", "value"
    ws["A5"], ws["B5"] = "A", "lots"
    table = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED)
    assert table.header_row == 3 and list(table.numbered()) == [(5, {"code": "A", "value": "lots"})]
    assert table.cell(5, "value") == "B5"
    csv_table = read_table(_upload(b"\n\ncode,value\n\n\"A\nB\",1\nC,2\n", "x.csv"), required=REQUIRED)
    assert csv_table.row_numbers == [5, 7] and csv_table.cell(5, "value") is None


def test_header_errors_are_capped_and_duplicates_found_in_linear_time():
    header = ",".join(f"extra{i}" for i in range(50)) + ",code,value,code"
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload((header + "\n1\n").encode(), "x.csv"), required=REQUIRED)
    assert len(exc.value.errors) == 21 and "more problems not listed" in str(exc.value.errors[-1])


def test_a_wide_header_is_refused_in_one_message():
    header = ",".join(f"c{i}" for i in range(40_000))
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload((header + "\n").encode(), "x.csv"), required=REQUIRED)
    assert len(exc.value.errors) == 1 and "40,000 columns" in str(exc.value.errors[0])


def test_a_sparse_sheet_is_refused_from_its_declared_dimension():
    wb = Workbook()
    wb.active.append(["code", "value"])
    wb.active["XFD20000"] = 1
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED)
    assert "reaches cell XFD20000" in _messages(exc.value)


def test_a_stray_value_far_right_is_refused_even_without_a_dimension():
    wb = Workbook()
    wb.active.append(["code", "value"])
    wb.active.append(["A", 1])
    wb.active["BZ2"] = "x"
    data = _patched(_workbook_bytes(wb), b'<dimension ref="A1:BZ2"/>', b"")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data), required=REQUIRED)
    assert "cell BZ2" in _messages(exc.value) and "at most 60 columns" in _messages(exc.value)


def test_too_many_sheets_are_refused_before_parsing():
    wb = Workbook()
    for i in range(60):
        wb.create_sheet(f"S{i}")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED)
    assert "61 sheets; the limit is 50" in _messages(exc.value)


def test_a_nul_byte_anywhere_in_a_csv_is_refused():
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(b"code,value\n" + b"A,1\n" * 2000 + b"B,\x002\n", "x.csv"), required=REQUIRED)
    assert "binary data" in _messages(exc.value)


def test_parsing_stops_at_the_element_budget(monkeypatch):
    from safeguarding import upload_workbook

    monkeypatch.setattr(upload_workbook, "MAX_SHEET_ELEMENTS", 200)
    data = _xlsx([["code", "value"]] + [[f"C{i}", i] for i in range(500)])
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data), required=REQUIRED)
    assert "holds more than an upload may" in _messages(exc.value)
    monkeypatch.setattr(upload_workbook, "MAX_STRING_ELEMENTS", 50)
    strings = io.BytesIO(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         + b"<si><t>x</t></si>" * 30 + b"</sst>")
    with pytest.raises(upload_workbook.TooLarge) as too_large:
        upload_workbook.read_strings_fast(strings)
    assert "table of text is larger than an upload may hold" in too_large.value.message


def test_a_doctype_in_a_part_is_refused():
    data = _patched(_xlsx([["code", "value"], ["A", 1]]), b"<worksheet", b"<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(data), required=REQUIRED)
    assert "could not be read" in _messages(exc.value)


def test_a_title_above_the_header_is_skipped_as_excel_users_type_it():
    """A title row (merged across the table, as people lay out a sheet) and a note above the
    header: the header is the first row holding every required column; rows keep their numbers."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Westmoor partnership: figures for 2025/26 Q1"
    ws.merge_cells("A1:C1")
    ws["A2"] = "Prepared 01/07/2025"
    ws.append([])
    ws.append(["Code ", "VALUE"])
    ws.append(["A", 12])
    table = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED)
    assert table.header_row == 4 and list(table.numbered()) == [(5, {"code": "A", "value": "12"})]
    assert table.cell(5, "value") == "B5"
    csv_table = read_table(_upload("\ufeffWestmoor figures;\r\n;\r\ncode;value\r\nA;1,234\r\n".encode(), "x.csv"),
                           required=REQUIRED)
    assert csv_table.header_row == 3 and csv_table.rows == [{"code": "A", "value": "1,234"}]


def test_a_misspelt_header_below_a_title_is_reported_on_the_header_row():
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(b"Quarterly figures\ncode,valeu\nA,1\n", "x.csv"), required=REQUIRED)
    messages = _messages(exc.value)
    assert "row 2, column \u2018valeu\u2019: This column is not expected" in messages
    assert "row 2, column \u2018value\u2019: This required column is missing" in messages
    assert "Quarterly figures" not in messages.replace("quarterly figures", "")


def test_ignored_columns_are_never_read_so_a_formula_there_refuses_nothing():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "value", "compliance %"])
    ws.append(["A", 12, "=B2/100"])
    table = read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, ignored=["compliance %"])
    assert table.columns == ["code", "value"] and table.rows == [{"code": "A", "value": "12"}]
    with pytest.raises(UploadRejected) as exc:  # a read column still refuses it, naming the cell
        read_table(_upload(_workbook_bytes(wb)), required=REQUIRED, optional=["compliance %"])
    assert "row 2, cell C2, column \u2018compliance %\u2019: Formulas are not accepted" in _messages(exc.value)


@pytest.mark.parametrize(("typed", "day"), [
    ("10/06/2025", "2025-06-10"), ("10/06/2025 09:30", "2025-06-10"), ("2025-06-10 09:30:00", "2025-06-10"),
    ("2025-06-10T00:00:00", "2025-06-10"), ("10/06/25", "2025-06-10"), ("10 June 2025", "2025-06-10"),
])
def test_one_date_reader_for_every_upload(typed, day):
    """A booking system's "10/06/2025 09:30" was refused by the attendance upload and the set-up
    uploads had a third list of formats: one reader (safeguarding.parsing.parse_date) for all."""
    import datetime as dt

    from partners.setup_uploads import parse_day
    from safeguarding.parsing import parse_date
    from training.services.attendance import parse_date as session_date

    expected = dt.date.fromisoformat(day)
    assert parse_date(typed) == parse_day(typed) == session_date(typed) == expected
    assert session_date("10/13/2025") is None
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("2025-06-10 9")


def test_names_in_cells_are_matched_ignoring_spacing_case_and_typography():
    from safeguarding.uploads import word_key

    assert word_key(" Level\u00a02 ") == word_key("level 2") == "level 2"
    assert word_key("Children\u2019s Services") == word_key("CHILDREN'S  services")
    assert word_key("Performance \u2013 challenge") == word_key("performance - challenge")
    assert word_key(None) == ""


def test_an_opendocument_spreadsheet_is_refused_saying_how_to_save_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(UploadRejected) as exc:
        read_table(_upload(buffer.getvalue(), "x.ods"), required=REQUIRED)
    assert "an OpenDocument spreadsheet (.ods): save it as an Excel Workbook (.xlsx)" in _messages(exc.value)


def test_excels_unicode_text_is_read_as_a_tab_separated_table():
    """Excel's "Unicode Text" (UTF-16 with a byte-order mark, tab-separated) was refused as
    binary data; it is read like any CSV, its £ and curly quotes intact."""
    text = "code\tvalue\r\nO\u2019Brien\t\u00a31,200\r\n"
    table = read_table(_upload(text.encode("utf-16"), "x.txt"), required=REQUIRED)
    assert table.rows == [{"code": "O\u2019Brien", "value": "\u00a31,200"}]
