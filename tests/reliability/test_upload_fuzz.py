"""Every upload in the portal, fed hostile files: random bytes, truncated or zip-bomb XLSX, odd
encodings, wrong types, formulas; and spreadsheets as people really save them (issue 14): hidden
sheets, array formulas, error values, percent-formatted cells, float artefacts, blank leading rows.
It never answers 500, never saves part of an import, the preview saves nothing, and a file saved
once says "nothing changed" when it is uploaded again."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from tests.access.test_matrix import BUILDERS, ROUTES
from tests.upload_flow import token_of

UPLOADS = ["datasets:comparators_upload", "datasets:bulk_upload", "datasets:return_upload",
           "reviews:recommendation_upload", "training:return_upload", "training:attendance_upload"]
COUNTED_APPS = ("partners", "datasets", "reviews", "training", "reports")
FILE_INPUT = re.compile(r'<input[^>]*type="file"[^>]*name="([^"]+)"|<input[^>]*name="([^"]+)"[^>]*type="file"')


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _as_people_save_it(spec) -> bytes:
    """A workbook with the quirks of issue 14: a hidden decoy sheet first, blank rows above the
    header, percent formats, float artefacts, an array formula and an error value."""
    header, rows, sheet, decoy, blank, percent, array_at, error_at = spec
    wb = Workbook()
    first = wb.active
    if decoy:
        first.title = "Old copy"
        first.append(header)
        first.append([999] * len(header))
        first.sheet_state = "hidden"
        ws = wb.create_sheet(sheet)
    else:
        ws = first
        ws.title = sheet
    for _ in range(blank):
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    last = ws.max_row
    if percent and last > blank + 1:
        for cell in ws[last]:
            cell.number_format = "0.0%"
    if array_at and last > blank + 1:
        ws.cell(row=last, column=1).value = ArrayFormula(f"A{last}", "=SUM(1,2)")
    if error_at and last > blank + 1:
        ws.cell(row=blank + 2, column=1).value = "#DIV/0!"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (60 * 1024 * 1024))
    return buffer.getvalue()


# openpyxl refuses control characters in cells, so the generated sheets leave them out.
printable = st.characters(blacklist_categories=("Cc", "Cs"))
cells = st.one_of(st.text(alphabet=printable, max_size=20), st.integers(-10**9, 10**9),
                  st.floats(allow_nan=True), st.none(),
                  st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "-1", "1,234", "85%",
                                   "<script>x</script>", "\u202e", "ＡＢＣ"]))
artefacts = st.sampled_from([80.00000000000001, 0.853, 35.12345, 0.1 + 0.2, "#N/A"])
headers = st.lists(st.sampled_from(["code", "indicator", "agency", "value", "number", "text", "addressed to",
                                    "course", "session date", "attended", "rating", "year", "kind", "x", ""]),
                   min_size=1, max_size=6)
files = st.one_of(
    st.binary(max_size=3000).map(lambda b: ("random.xlsx", b)),
    st.tuples(headers, st.lists(st.lists(cells, min_size=1, max_size=6), max_size=15)).map(
        lambda hr: ("sheet.xlsx", _xlsx([hr[0], *hr[1]]))),
    st.tuples(st.integers(10, 4000), headers).map(lambda t: ("cut.xlsx", _xlsx([t[1], ["A", 1]] * 40)[: t[0]])),
    st.tuples(headers, st.lists(st.lists(cells, min_size=1, max_size=6), max_size=15),
              st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"])).map(
        lambda t: ("sheet.csv", "\n".join(",".join("" if c is None else str(c) for c in row)
                                          for row in [t[0], *t[1]]).encode(t[2], errors="replace"))),
    st.tuples(headers, st.lists(st.lists(st.one_of(cells, artefacts), min_size=1, max_size=6), max_size=8),
              st.sampled_from(["Return", "Comparators", "Attendance", "Recommendations", "Sheet1"]),
              st.booleans(), st.integers(0, 3), st.booleans(), st.booleans(), st.booleans()).map(
        lambda spec: ("as-saved.xlsx", _as_people_save_it(spec))),
    st.just(("bomb.xlsx", None)),  # built once, below: its repr would swamp a failure report
    st.just(("program.exe", b"MZ\x90\x00" + b"\x00" * 200)),
)


BOMB = _zip_bomb()


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()
            if m._meta.app_label in COUNTED_APPS and not m._meta.proxy}


@pytest.fixture
def upload_world(world):
    for build in BUILDERS:
        build(world)
    return world


@pytest.mark.parametrize("name", UPLOADS)
def test_hostile_files_never_crash_and_never_half_save(name, upload_world, client):
    route = next(r for r in ROUTES if r.name == name)
    persona = next(p for p in ("submitter_b", "manager") if route.expect.get(p) == 200)
    client.force_login(upload_world.persona(persona), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(name, kwargs=route.kwargs(upload_world) if route.kwargs else None)
    page = client.get(url).content.decode()
    match = FILE_INPUT.search(page)
    assert match, f"{url} has no file input"
    field = match.group(1) or match.group(2)
    state = {"before": _counts()}

    @settings(max_examples=25, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(files)
    def post(named):
        filename, data = named
        data = BOMB if data is None else data
        response = client.post(url, {field: SimpleUploadedFile(filename, data)})
        assert response.status_code in (200, 400), f"{url} answered {response.status_code} to {filename}"
        assert _counts() == state["before"], f"{url} saved something from {filename} before it was confirmed"
        token = token_of(response)
        if token is None:
            return
        saved = client.post(url, {"token": token})
        assert saved.status_code == 302, f"{url} answered {saved.status_code} to saving {filename}"
        state["before"] = _counts()
        again = client.post(url, {field: SimpleUploadedFile(filename, data)})
        assert again.status_code == 200 and token_of(again) is None, f"{url}: {filename} again was not unchanged"
        assert "Nothing changed" in again.content.decode()

    post()


def _valid_file(name: str, world) -> bytes:
    """A small file each upload page accepts, built from the access world's own objects."""
    from training.models import TrainingFigure

    a, b = world.agency_a.name, world.agency_b.name
    if name == "datasets:comparators_upload":
        return _xlsx([["code", "year", "kind", "value"], ["LA-CPP-RATE", "2023/24", "England", 35.12345]])
    if name == "datasets:bulk_upload":
        return _xlsx([["agency", "quarter", "code", "value"], [a, world.ds_cat.quarter.label, "H-WAIT", 35.12345]])
    if name == "datasets:return_upload":
        return _xlsx([["agency", "quarter", "code", "value", "numerator", "denominator"],
                      [b, world.ds_draft_b.quarter.label, "LA-CPP-RATE", None, 80, 20000]])
    if name == "reviews:recommendation_upload":
        return _xlsx([["number", "text", "addressed to"], ["9.1", "Share records within a day.", a]])
    if name == "training:return_upload":
        line = TrainingFigure.objects.filter(ret=world.training_draft_b).select_related("staff_group", "level").first()
        return _xlsx([["staff group", "level", "eligible staff", "trained staff"],
                      [line.staff_group.name, line.level.name, 10, 8.000000000000002]])
    if name == "training:attendance_upload":
        return _xlsx([["course", "session date", "agency", "attended", "no shows", "late cancellations"],
                      [world.course.title, world.session.starts_on.isoformat(), a, 3, 0, 1]])
    raise AssertionError(name)


@pytest.mark.parametrize("name", UPLOADS)
def test_every_upload_page_saves_after_the_preview_and_then_says_nothing_changed(name, upload_world, client):
    route = next(r for r in ROUTES if r.name == name)
    persona = next(p for p in ("submitter_b", "manager") if route.expect.get(p) == 200)
    client.force_login(upload_world.persona(persona), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(name, kwargs=route.kwargs(upload_world) if route.kwargs else None)
    data = _valid_file(name, upload_world)
    before = _counts()
    preview = client.post(url, {"file": SimpleUploadedFile("valid.xlsx", data)})
    page = preview.content.decode()
    assert "Check the changes before saving" in page, re.sub(r"<[^>]+>", " ", re.sub(r"\s+", " ", page))[-1500:]
    assert _counts() == before  # the preview saved nothing
    saved = client.post(url, {"token": token_of(preview)})
    assert saved.status_code == 302 and _counts() != before
    again = client.post(url, {"file": SimpleUploadedFile("valid.xlsx", data)})
    assert "Nothing changed" in again.content.decode() and token_of(again) is None
