"""Issue 14 through the returns and comparators uploads: the right sheet, cell types, number
formats, the file's own row numbers, no phantom changes, and the preview before saving.
Every file is built here with openpyxl, the way Excel users change the portal's templates."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet.formula import ArrayFormula

from datasets import services
from datasets.models import Comparator, Return, ReturnValue
from datasets.spreadsheets import return_upload
from datasets.spreadsheets.comparators import comparators_upload
from safeguarding.concurrency import version_token
from safeguarding.models import PendingUpload
from safeguarding.uploads import UploadRejected
from tests.upload_flow import token_of, upload_and_save

from .conftest import entries_for

pytestmark = pytest.mark.django_db

COLUMNS = ["agency", "quarter", "code", "part", "value", "numerator", "denominator", "narrative"]


def _ret(world, cat):
    ret, _ = services.return_get_or_create(actor=world.submitter_a, agency=world.agency_a, quarter=cat.quarter)
    return ret


def _book(*sheets: tuple[str, list[list], str]) -> SimpleUploadedFile:
    """A workbook of (title, rows, state) sheets, in that order."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("return.xlsx", out.getvalue())


def _line(world, code, value=None, narrative=None):
    return [world.agency_a.name, "2024/25-Q4", code, None, value, None, None, narrative]


def _errors(call) -> str:
    with pytest.raises(UploadRejected) as exc:
        call()
    return " | ".join(str(e) for e in exc.value.errors)


def test_a_hidden_copy_placed_first_is_not_read(world, cat):
    ret = _ret(world, cat)
    upload = _book(("Return (2)", [COLUMNS, _line(world, "H-REF", 999)], "hidden"),
                   ("Return", [COLUMNS, _line(world, "H-REF", 80)], "visible"))
    outcome = return_upload(actor=world.submitter_a, ret=ret, upload=upload)
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 80
    assert outcome.message == "Saved: 1 figure added."


def test_the_return_sheet_hidden_is_refused_by_name(world, cat):
    upload = _book(("Return", [COLUMNS, _line(world, "H-REF", 80)], "hidden"),
                   ("Sheet1", [COLUMNS, _line(world, "H-REF", 80)], "visible"))
    assert "The sheet ‘Return’ is hidden" in _errors(
        lambda: return_upload(actor=world.submitter_a, ret=_ret(world, cat), upload=upload))


def test_an_array_formula_in_the_narrative_is_refused_with_its_cell(world, cat):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    ws.append(COLUMNS)
    ws.append(_line(world, "H-REF", 3))
    ws["H2"] = ArrayFormula("H2", '=CONCAT("a","b")')
    out = io.BytesIO()
    wb.save(out)
    text = _errors(lambda: return_upload(actor=world.submitter_a, ret=_ret(world, cat),
                                         upload=SimpleUploadedFile("r.xlsx", out.getvalue())))
    assert "row 2, cell H2, column ‘narrative’: Formulas are not accepted" in text
    assert not ReturnValue.objects.exists()


def test_excel_float_artefacts_read_as_excel_shows_them(world, cat):
    ret = _ret(world, cat)
    return_upload(actor=world.submitter_a, ret=ret,
                  upload=_book(("Return", [COLUMNS, _line(world, "H-REF", 80.00000000000001)], "visible")))
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 80


def test_a_refused_value_quotes_what_excel_shows(world, cat):
    text = _errors(lambda: return_upload(actor=world.submitter_a, ret=_ret(world, cat), upload=_book(
        ("Return", [COLUMNS, _line(world, "H-REF", 80.5)], "visible"))))
    assert "80.5" in text and "cell E2" in text


def test_blank_rows_above_the_header_keep_excels_row_numbers(world, cat):
    rows = [[None] * 8, [None] * 8, COLUMNS, _line(world, "H-WAIT", 2), _line(world, "H-REF", "lots")]
    text = _errors(lambda: return_upload(actor=world.submitter_a, ret=_ret(world, cat),
                                         upload=_book(("Return", rows, "visible"))))
    assert text.startswith("row 5, cell E5, column ‘value’:"), text


def test_percent_formatted_comparators_read_as_the_percentage_shown(world, cat):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Comparators"
    ws.append(["code", "year", "kind", "value"])
    ws.append(["H-TRN-L3", "2023/24", "England", 0.853])
    ws["D2"].number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    comparators_upload(actor=world.manager, partnership=world.partnership,
                       upload=SimpleUploadedFile("c.xlsx", out.getvalue()))
    assert Comparator.objects.get().value == Decimal("85.3")
    ws["D2"] = 1.5  # shown as 150.0%
    out = io.BytesIO()
    wb.save(out)
    text = _errors(lambda: comparators_upload(actor=world.manager, partnership=world.partnership,
                                              upload=SimpleUploadedFile("c.xlsx", out.getvalue())))
    assert "between 0 and 100" in text and "‘150%’" in text and "cell D2" in text


def test_an_unchanged_file_changes_nothing_however_many_decimals_it_has(world, cat):
    ret = _ret(world, cat)
    upload = lambda: _book(("Return", [COLUMNS, _line(world, "H-WAIT", 35.12345)], "visible"))  # noqa: E731
    first = return_upload(actor=world.submitter_a, ret=ret, upload=upload())
    assert first.created == 1
    stored = ReturnValue.objects.get(ret=ret, indicator=cat.wait)
    history = stored.history.count()
    version = Return.objects.get(pk=ret.pk).updated_at
    again = return_upload(actor=world.submitter_a, ret=Return.objects.get(pk=ret.pk), upload=upload())
    assert again.nothing_changed and again.unchanged == 1
    assert again.message == "Nothing changed: the file's 1 figure matches what is already saved."
    assert stored.history.count() == history
    assert Return.objects.get(pk=ret.pk).updated_at == version


def test_every_returns_upload_page_previews_then_saves(world, cat, as_user):
    ret = _ret(world, cat)
    client = as_user(world.submitter_a)
    url = reverse("datasets:return_upload", kwargs={"pk": ret.pk})
    upload = lambda: _book(("Return", [COLUMNS, _line(world, "H-REF", 12)], "visible"))  # noqa: E731
    preview, saved = upload_and_save(client, url, {"file": upload()})
    page = preview.content.decode()
    assert "Check the changes before saving" in page and "Save these changes" in page
    assert not PendingUpload.objects.exists() and saved.status_code == 302
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 12
    # The same file again: nothing changed, and nothing to save.
    again = client.post(url, {"file": upload()})
    assert "Nothing changed" in again.content.decode() and token_of(again) is None


def test_a_preview_goes_stale_when_the_data_changes_before_saving(world, cat, as_user):
    ret = _ret(world, cat)
    client = as_user(world.submitter_a)
    url = reverse("datasets:return_upload", kwargs={"pk": ret.pk})
    preview = client.post(url, {"file": _book(("Return", [COLUMNS, _line(world, "H-REF", 12)], "visible"))})
    token = token_of(preview)
    assert token and not ReturnValue.objects.exists()  # the preview saved nothing
    ret.refresh_from_db()
    services.return_values_save(actor=world.submitter_a, ret=ret,
                                version=version_token(ret.updated_at),
                                entries=entries_for(ret, **{"H-REF": {"value": "7"}}))
    stale = client.post(url, {"token": token})
    page = stale.content.decode()
    assert stale.status_code == 200 and "The saved data changed after you checked this file" in page
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 7  # not saved over
    assert client.post(url, {"token": token_of(stale)}).status_code == 302
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 12


def test_a_token_works_only_for_its_person_and_page(world, cat, as_user):
    ret = _ret(world, cat)
    url = reverse("datasets:return_upload", kwargs={"pk": ret.pk})
    token = token_of(as_user(world.submitter_a).post(url, {"file": _book(
        ("Return", [COLUMNS, _line(world, "H-REF", 12)], "visible"))}))
    bulk = reverse("datasets:bulk_upload", kwargs={"pk": cat.quarter.pk})
    response = as_user(world.manager).post(bulk, {"token": token})
    assert response.status_code == 302 and not ReturnValue.objects.exists()


def test_comparators_and_bulk_uploads_again_change_nothing(world, cat):
    from datasets.spreadsheets import bulk_upload

    def comparators():
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Comparators"
        ws.append(["code", "year", "kind", "value"])
        ws.append(["LA-CPP-RATE", "2023/24", "England", 35.12345])
        out = io.BytesIO()
        wb.save(out)
        return SimpleUploadedFile("c.xlsx", out.getvalue())

    first = comparators_upload(actor=world.manager, partnership=world.partnership, upload=comparators())
    assert len(first.added) == 1 and Comparator.objects.get().value == Decimal("35.1235")
    again = comparators_upload(actor=world.manager, partnership=world.partnership, upload=comparators())
    assert again.nothing_changed and again.unchanged == 1

    def bulk():
        return _book(("Return", [COLUMNS, [world.agency_a.name, "2024/25-Q4", "H-WAIT", None, 35.12345]], "visible"))

    assert bulk_upload(actor=world.manager, partnership=world.partnership, upload=bulk()).created == 1
    repeat = bulk_upload(actor=world.manager, partnership=world.partnership, upload=bulk())
    assert repeat.nothing_changed and repeat.message.startswith("Nothing changed")
