"""Benchmark: the most expensive upload of each kind under the size limit (issue 11 point 3).

Run: .venv/bin/python tests/bench/bench_upload_worst_case.py [--case NAME]

Builds each hostile or merely huge file in memory (all under ``UPLOAD_MAX_BYTES``, 10 MB), then
reads each one with ``safeguarding.uploads.read_table`` — what every upload page does before an
importer's own rules — in a fresh subprocess, and prints one JSON line per file: its size, the
outcome (rows read, or the first refusal), seconds, and the process's peak memory (maximum
resident set size, and the growth over the process before reading). Targets: each under 5 s and
300 MB peak. No database is needed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings.test")

COLUMNS = ["agency", "quarter", "code", "part", "value", "numerator", "denominator", "narrative"]
LIMIT_SECONDS, LIMIT_MB = 5.0, 300


def _xlsx(build) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rezip(data: bytes, edit) -> bytes:
    """``data`` (an XLSX) with ``edit(name, body) -> body`` applied to every part."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            out.writestr(info.filename, edit(info.filename, source.read(info.filename)))
    return target.getvalue()


def _raw_xlsx(sheet_xml: bytes, *, shared: bytes | None = None, sheets: int = 1) -> bytes:
    """A minimal XLSX written by hand, so a part can be as large or as odd as a test needs."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                            for i in range(1, sheets + 1))
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
                   '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/>' + overrides + (
                       '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                       'officedocument.spreadsheetml.sharedStrings+xml"/>' if shared else "") + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets>' + "".join(
                       f'<sheet name="{"Return" if i == sheets else f"S{i}"}" sheetId="{i}" r:id="rId{i}"/>'
                       for i in range(1, sheets + 1)) + "</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
        if shared:
            rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">' + rels + "</Relationships>")
        for i in range(1, sheets + 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml)
        if shared:
            z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def _sheet(rows: bytes, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + dim + b"<sheetData>" + rows + b"</sheetData></worksheet>")


def _header_row() -> bytes:
    cells = b"".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c}</t></is></c>'.encode()
                     for i, c in enumerate(COLUMNS))
    return b'<row r="1">' + cells + b"</row>"


def _data_rows(count: int, start: int = 2) -> bytes:
    rows = []
    for n in range(start, start + count):
        rows.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Agency {n % 193}</t></is></c>'
                    f'<c r="B{n}" t="inlineStr"><is><t>2024/25-Q4</t></is></c>'
                    f'<c r="C{n}" t="inlineStr"><is><t>IND-{n % 150}</t></is></c>'
                    f'<c r="E{n}"><v>{n % 1000}</v></c></row>')
    return "".join(rows).encode()


def cases() -> dict[str, tuple[str, bytes]]:
    """Every case as (file name, bytes), each under the 10 MB upload limit."""
    from safeguarding.upload_workbook import MAX_SHEET_ELEMENTS
    from safeguarding.uploads import MAX_COLUMNS, MAX_ROWS, MAX_SHEETS

    out: dict[str, tuple[str, bytes]] = {}

    def sparse(wb):
        ws = wb.create_sheet("Return")
        ws.append(COLUMNS)
        for _ in range(19998):
            ws.append([])
        ws.append([None] * 16383 + [1])

    out["sparse sheet, one value at XFD20000 (declared dimension)"] = ("sparse.xlsx", _xlsx(sparse))
    out["sparse sheet, one value at XFD20000, dimension removed"] = ("sparse-nodim.xlsx", _raw_xlsx(_sheet(
        _header_row() + b'<row r="20000"><c r="XFD20000"><v>1</v></c></row>')))
    header = ",".join(f"column {i}" for i in range(40_000))
    out["wide header, 40,000 columns (CSV)"] = ("wide.csv", (header + "\nA,1\n").encode())
    widest = ",".join(f"c{i}" for i in range(1_200_000))[: 9 * 1024 * 1024]
    out["widest header under the limit, about 1.2 million columns (CSV)"] = ("widest.csv", (widest + "\n").encode())
    wide_row = b"".join(f'<c r="{_col(i)}1" t="inlineStr"><is><t>h{i}</t></is></c>'.encode()
                        for i in range(1, 16385))
    out["wide header row, 16,384 cells, no dimension (XLSX)"] = ("wide-row.xlsx", _raw_xlsx(_sheet(
        b'<row r="1">' + wide_row + b"</row>")))
    out[f"many sheets, {MAX_SHEETS} full copies, the template's last"] = ("sheets.xlsx", _raw_xlsx(
        _sheet(_header_row() + _data_rows(4000)), sheets=MAX_SHEETS))
    out["many sheets, 5,000 (over the limit)"] = ("sheets-5000.xlsx", _raw_xlsx(_sheet(_header_row()), sheets=5000))
    # Highest compression the reader accepts: identical rows pack about 150 to 1.
    rows = b"".join(b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c>'
                    b"</row>" for _ in range(MAX_ROWS + 10))
    out["high compression ratio, one sheet of identical rows past the row cap"] = ("ratio.xlsx", _raw_xlsx(
        _sheet(_header_row() + rows)))
    out["compression ratio past the limit (a 60 MB part of one byte)"] = ("bomb.xlsx", _raw_xlsx(
        _sheet(b"<row/>" + b" " * (60 * 1024 * 1024))))
    shared = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + b"".join(f"<si><t>{i}</t></si>".encode() for i in range(2_500_000)) + b"</sst>")
    out["2.5 million shared strings (past the budget)"] = ("strings.xlsx",
                                                            _raw_xlsx(_sheet(_header_row()), shared=shared))
    # The largest sheet read: rows of five cells, text as shared strings (as Excel saves it), up to
    # the element budget; and the same past it.
    fits = (MAX_SHEET_ELEMENTS - 50) // 11
    strings = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + b"".join(f"<si><t>{t}</t></si>".encode() for t in [*COLUMNS, "Agency", "2024/25-Q4", "IND"])
               + b"</sst>")
    header = b'<row r="1">' + b"".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>'.encode()
                                        for i in range(len(COLUMNS))) + b"</row>"

    def shared_rows(count: int) -> bytes:
        return b"".join(f'<row r="{n}"><c r="A{n}" t="s"><v>8</v></c><c r="B{n}" t="s"><v>9</v></c>'
                        f'<c r="C{n}" t="s"><v>10</v></c><c r="E{n}"><v>{n % 1000}</v></c>'
                        f'<c r="H{n}" t="s"><v>8</v></c></row>'.encode() for n in range(2, count + 2))

    out[f"many rows, {fits:,} of five cells (the most an XLSX may hold)"] = ("rows.xlsx", _raw_xlsx(
        _sheet(header + shared_rows(fits)), shared=strings))
    out["many rows, past the XLSX budget (100,000 rows)"] = ("rows-over.xlsx", _raw_xlsx(
        _sheet(header + shared_rows(100_000)), shared=strings))
    csv_rows = "\n".join(f"Agency {n % 193},2024/25-Q4,IND-{n % 150},,{n % 1000},,," for n in range(MAX_ROWS))
    out[f"many rows, {MAX_ROWS:,} (the cap), CSV"] = ("rows.csv", (",".join(COLUMNS) + "\n" + csv_rows).encode())
    over = "\n".join("A,2024/25-Q4,X,,1,,," for _ in range(MAX_ROWS + 1000))
    out["rows past the cap, CSV"] = ("over.csv", (",".join(COLUMNS) + "\n" + over).encode())
    cells = "".join(f"<c r=\"{_col(i)}2\"><v>1</v></c>" for i in range(1, MAX_COLUMNS + 200))
    out["a row wider than the column cap, XLSX"] = ("wide-data.xlsx", _raw_xlsx(_sheet(
        _header_row() + f'<row r="2">{cells}</row>'.encode())))
    return out


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _peak_kb() -> int:
    """This process's peak resident memory in KB (VmHWM: unlike ru_maxrss, not inherited from the
    parent across exec, so each case is measured on its own)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_one(path: str, name: str) -> dict:
    """Read one file in this process and report time and memory."""
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguarding.uploads import UploadRejected, read_table

    data = Path(path).read_bytes()
    base = _peak_kb()
    started = time.perf_counter()
    try:
        table = read_table(SimpleUploadedFile(name, data), required=["agency", "quarter", "code", "value"],
                           optional=["part", "numerator", "denominator", "narrative"], sheet="Return")
        outcome = f"read {len(table.rows):,} rows"
    except UploadRejected as exc:
        outcome = f"refused ({len(exc.errors)} message{'s' if len(exc.errors) != 1 else ''}): " \
                  f"{str(exc.errors[0])[:110]}"
    seconds = time.perf_counter() - started
    peak = _peak_kb()
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024), "growth_mb": round((peak - base) / 1024),
            "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", help="run only the cases whose name contains this")
    parser.add_argument("--one", nargs=2, metavar=("PATH", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return
    import django

    django.setup()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, data) in cases().items():
            if args.case and args.case.lower() not in label.lower():
                continue
            path = Path(folder) / name
            path.write_bytes(data)
            done = subprocess.run([sys.executable, __file__, "--one", str(path), name], capture_output=True,
                                  text=True, check=True)
            result = {"case": label, "file_kb": round(len(data) / 1024), **json.loads(done.stdout.splitlines()[-1])}
            result["within_target"] = result["seconds"] < LIMIT_SECONDS and result["peak_mb"] < LIMIT_MB
            results.append(result)
            print(json.dumps(result), flush=True)
    print(json.dumps({"cases": len(results), "all_within_target": all(r["within_target"] for r in results),
                      "slowest_seconds": max(r["seconds"] for r in results),
                      "largest_peak_mb": max(r["peak_mb"] for r in results)}))


if __name__ == "__main__":
    main()
