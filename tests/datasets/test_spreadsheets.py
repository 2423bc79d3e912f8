"""Returns as spreadsheets: the round trip, the bulk upload, and every kind of bad file."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets import services
from datasets.models import Return, ReturnValue
from datasets.spreadsheets import bulk_upload, return_upload, return_workbook
from partners.models import AgencyAlias
from safeguarding.concurrency import version_token
from safeguarding.exports import xlsx_bytes
from safeguarding.uploads import UploadRejected
from tests.upload_flow import upload_and_save

from .conftest import entries_for

pytestmark = pytest.mark.django_db

COLUMNS = ["agency", "quarter", "code", "part", "value", "numerator", "denominator", "narrative"]


def _ret(world, cat, agency=None, person=None):
    ret, _ = services.return_get_or_create(actor=person or world.submitter_a, agency=agency or world.agency_a,
                                           quarter=cat.quarter)
    return ret


def _csv(rows, columns=COLUMNS) -> SimpleUploadedFile:
    frame = pd.DataFrame(rows, columns=columns)
    return SimpleUploadedFile("return.csv", frame.to_csv(index=False).encode(), content_type="text/csv")


def _xlsx(rows, columns=COLUMNS) -> SimpleUploadedFile:
    data = xlsx_bytes({"Return": pd.DataFrame(rows, columns=columns)})
    return SimpleUploadedFile("return.xlsx", data)


def _errors(call) -> list:
    with pytest.raises(UploadRejected) as exc:
        call()
    return exc.value.errors


def _a(world, code, value="", num="", den="", part="", narrative="", quarter="2024/25-Q4", agency=None):
    return [agency or world.agency_a.name, quarter, code, part, value, num, den, narrative]


def test_round_trip_through_the_downloaded_workbook(world, cat):
    ret = _ret(world, cat)
    services.return_values_save(actor=world.submitter_a, ret=ret, version=version_token(ret.updated_at),
                                entries=entries_for(ret, **{"H-REF": {"value": "12"}}))
    ret = Return.objects.select_related("agency", "quarter").get(pk=ret.pk)
    workbook = openpyxl.load_workbook(io.BytesIO(return_workbook(ret)))
    assert workbook.sheetnames == ["Instructions", "Return"]
    sheet = workbook["Return"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == COLUMNS
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"H-TRN-L3", "H-REF", "H-WAIT"}
    # Uploading it back unchanged changes nothing.
    out = io.BytesIO()
    workbook.save(out)
    outcome = return_upload(actor=world.submitter_a, ret=ret, upload=SimpleUploadedFile("r.xlsx", out.getvalue()))
    assert outcome.created + outcome.updated == 0
    # Fill it in and upload it again.
    for row in sheet.iter_rows(min_row=2):
        code = row[2].value
        if code == "H-TRN-L3":
            row[5].value, row[6].value, row[7].value = 170, 200, "Below target: two wards short."
        elif code == "H-REF":
            row[4].value = "1,234"
    out = io.BytesIO()
    workbook.save(out)
    outcome = return_upload(actor=world.submitter_a, ret=ret, upload=SimpleUploadedFile("r.xlsx", out.getvalue()))
    assert outcome.created == 1 and outcome.updated == 1
    values = {v.indicator.code: v for v in ReturnValue.objects.filter(ret=ret).select_related("indicator")}
    assert values["H-REF"].value == 1234 and values["H-TRN-L3"].value == 85
    services.return_submit(actor=world.submitter_a, ret=ret)


def test_download_neutralises_formula_like_text(world, cat):
    ret = _ret(world, cat)
    services.return_values_save(actor=world.submitter_a, ret=ret, version=version_token(ret.updated_at),
                                entries=entries_for(ret, **{"H-REF": {"value": "3", "narrative": "=HYPERLINK(1)"}}))
    sheet = openpyxl.load_workbook(io.BytesIO(return_workbook(ret)))["Return"]
    narratives = [r[7] for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "H-REF"]
    assert narratives == ["'=HYPERLINK(1)"]


def test_download_view(world, cat, as_user):
    ret = _ret(world, cat)
    response = as_user(world.pci).get(reverse("datasets:return_download", kwargs={"pk": ret.pk}))
    assert response.status_code == 404  # a draft is not the PCI's to read
    response = as_user(world.submitter_a).get(reverse("datasets:return_download", kwargs={"pk": ret.pk}))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')


def test_csv_upload_and_errors_listed_per_row_with_nothing_saved(world, cat):
    ret = _ret(world, cat)
    errors = _errors(lambda: return_upload(actor=world.submitter_a, ret=ret, upload=_csv([
        _a(world, "H-REF", "12"),
        _a(world, "H-NOPE", "1"),
        _a(world, "H-WAIT", "ten"),
        _a(world, "H-TRN-L3", num="120", den="100"),
        _a(world, "H-REF", "13"),
        _a(world, "H-REF", "5", agency=world.agency_b.name),
        _a(world, "H-WAIT", "4", quarter="2024/25-Q3"),
    ])))
    found = {(e.row, e.column): e.message for e in errors}
    assert "not an indicator code" in found[(3, "code")]
    assert "must be a number" in found[(4, "value")]
    assert "cannot be more than the denominator" in found[(5, "numerator")]
    assert "repeats row 2" in found[(6, "code")]
    assert "this file is Testshire Hospitals NHS Trust's return" in found[(7, "agency")]
    assert "2024/25-Q3" in found[(8, "quarter")]
    assert not ReturnValue.objects.filter(ret=ret).exists()


def test_breakdown_parts_not_adding_up_refused_in_upload(world, cat):
    ret = _ret(world, cat, world.agency_b, world.submitter_b)
    rows = [_a(world, "LA-CPP", "10", agency=world.agency_b.name)] + [
        _a(world, "LA-CPP", "1", part=p, agency=world.agency_b.name)
        for p in ("Neglect", "Emotional", "Physical", "Sexual", "Multiple")]
    errors = _errors(lambda: return_upload(actor=world.submitter_b, ret=ret, upload=_csv(rows)))
    assert errors[0].row == 2 and "parts add up to 5" in errors[0].message
    rows.append(_a(world, "LA-CPP", "1", part="Spiritual", agency=world.agency_b.name))
    errors = _errors(lambda: return_upload(actor=world.submitter_b, ret=ret, upload=_csv(rows)))
    assert any("not a part of LA-CPP's breakdown" in e.message and e.row == 8 for e in errors)


@pytest.mark.parametrize("upload, words", [
    (SimpleUploadedFile("r.csv", b""), "empty"),
    (SimpleUploadedFile("r.csv", b"agency,quarter,code\n"), "missing"),
    (SimpleUploadedFile("r.csv", b"agency,quarter,code,value,colour\nA,2024/25-Q4,H-REF,1,red\n"), "not expected"),
    (SimpleUploadedFile("r.xlsx", b"PK\x03\x04this is not a zip"), "not a readable XLSX"),
    (SimpleUploadedFile("r.csv", b"\x00\x01\x02binary\x00"), "not a CSV or XLSX"),
    (SimpleUploadedFile("r.csv", b"agency,quarter,code,value\n"), "no data rows"),
])
def test_bad_files_refused(world, cat, upload, words):
    ret = _ret(world, cat)
    errors = _errors(lambda: return_upload(actor=world.submitter_a, ret=ret, upload=upload))
    assert any(words in e.message for e in errors), errors


def test_fifty_megabyte_file_refused(world, cat):
    ret = _ret(world, cat)
    upload = SimpleUploadedFile("big.csv", b"a" * (50 * 1024 * 1024))
    errors = _errors(lambda: return_upload(actor=world.submitter_a, ret=ret, upload=upload))
    assert "limit" in errors[0].message


def test_formulas_refused(world, cat):
    ret = _ret(world, cat)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append([world.agency_a.name, "2024/25-Q4", "H-REF", "", "=2+2", "", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    errors = _errors(lambda: return_upload(actor=world.submitter_a, ret=ret,
                                           upload=SimpleUploadedFile("r.xlsx", out.getvalue())))
    assert errors[0].row == 2 and "Formulas are not accepted" in errors[0].message


def test_upload_into_closed_quarter_or_submitted_return_refused(world, cat):
    ret = _ret(world, cat)
    services.quarter_close(actor=world.manager, quarter=cat.quarter)
    ret = Return.objects.select_related("agency", "quarter").get(pk=ret.pk)
    with pytest.raises(Exception, match="closed"):
        return_upload(actor=world.submitter_a, ret=ret, upload=_csv([_a(world, "H-REF", "1")]))
    errors = _errors(lambda: bulk_upload(actor=world.manager, partnership=world.partnership,
                                         upload=_csv([_a(world, "H-REF", "1")])))
    assert "closed" in errors[0].message


def test_bulk_upload_matches_agencies_by_alias_and_opens_returns(world, cat):
    AgencyAlias.objects.create(agency=world.agency_b, name="TCC")
    rows = [_a(world, "H-REF", "7"), _a(world, "LA-CPP-RATE", num="80", den="20,000", agency="tcc"),
            _a(world, "LA-CPP", "3", part="neglect", agency="TCC")]
    outcome = bulk_upload(actor=world.manager, partnership=world.partnership, upload=_xlsx(rows), quarter=cat.quarter)
    assert outcome.returns_created == 2 and outcome.created == 3
    assert Return.objects.get(agency=world.agency_b, quarter=cat.quarter).status == "draft"


def test_bulk_upload_bad_rows(world, cat):
    ret = _ret(world, cat)
    services.return_values_save(actor=world.submitter_a, ret=ret, version=version_token(ret.updated_at),
                                entries=entries_for(ret, **{"H-TRN-L3": {"numerator": "95", "denominator": "100"},
                                                            "H-REF": {"value": "3"}}))
    services.return_submit(actor=world.submitter_a, ret=ret)
    rows = [_a(world, "H-REF", "7"), _a(world, "H-REF", "1", agency="Nobody Trust"),
            _a(world, "H-REF", "1", agency=world.agency_b.name), _a(world, "H-REF", "1", quarter="2030/31-Q1"),
            _a(world, "LA-CPP", "1", part="Neglect", agency=world.agency_b.name, quarter="")]
    errors = _errors(lambda: bulk_upload(actor=world.manager, partnership=world.partnership, upload=_csv(rows)))
    messages = " | ".join(str(e) for e in errors)
    assert "is submitted, so it cannot be changed by upload" in messages
    assert "‘Nobody Trust’ is not an agency" in messages
    assert "does not report this indicator" in messages
    assert "no reporting quarter 2030/31-Q1" in messages
    assert "Give the quarter" in messages
    assert not Return.objects.filter(agency=world.agency_b).exists()  # nothing opened either


def test_only_managers_bulk_upload(world, cat):
    from safeguarding.errors import NotAllowed

    with pytest.raises(NotAllowed):
        bulk_upload(actor=world.pci, partnership=world.partnership, upload=_csv([_a(world, "H-REF", "1")]))


def test_large_bulk_upload_keeps_history(world, cat):
    """Above the COPY threshold the values and their history go in by COPY."""
    from partners.models import Agency

    agencies = Agency.objects.bulk_create([Agency(partnership=world.partnership, name=f"Trust {n}", slug=f"t{n}",
                                                  agency_type="acute_trust") for n in range(400)])
    rows = []
    for agency in agencies:
        rows += [_a(world, "H-REF", "1,001", agency=agency.name),
                 _a(world, "H-TRN-L3", num="9", den="10", narrative="Tab\there\nnewline \\ slash",
                    agency=agency.name), _a(world, "H-WAIT", "3.5", agency=agency.name)]
    outcome = bulk_upload(actor=world.manager, partnership=world.partnership, upload=_csv(rows))
    assert outcome.created == 1200
    assert ReturnValue.history.filter(history_user=world.manager, history_type="+").count() == 1200
    value = ReturnValue.objects.get(ret__agency=agencies[0], indicator=cat.training)
    assert value.value == 90 and value.narrative == "Tab\there\nnewline \\ slash"
    assert value.history.get().narrative == value.narrative


def test_upload_page_lists_refused_rows(world, cat, as_user):
    ret = _ret(world, cat)
    response = as_user(world.submitter_a).post(reverse("datasets:return_upload", kwargs={"pk": ret.pk}),
                                               {"file": _csv([_a(world, "H-NOPE", "1")])})
    page = response.content.decode()
    assert response.status_code == 200 and "Rows refused" in page and "Nothing has been saved" in page
    preview, response = upload_and_save(as_user(world.submitter_a), reverse("datasets:return_upload",
                                                                            kwargs={"pk": ret.pk}),
                                        {"file": _csv([_a(world, "H-REF", "4")])})
    assert "Check the changes before saving" in preview.content.decode() and response.status_code == 302
    response = as_user(world.manager).post(reverse("datasets:bulk_upload", kwargs={"pk": cat.quarter.pk}),
                                           {"file": _csv([_a(world, "H-REF", "lots")])})
    assert "must be a number" in response.content.decode()


def test_comparators_upload(world, cat, as_user):
    from datasets.models import Comparator
    from datasets.spreadsheets.comparators import comparators_upload

    columns = ["code", "year", "kind", "value", "source"]
    errors = _errors(lambda: comparators_upload(actor=world.manager, partnership=world.partnership, upload=_csv([
        ["H-TRN-L3", "2023/24", "England", "88.5%", "NHS"], ["H-NOPE", "2023/24", "England", "1", ""],
        ["H-TRN-L3", "2023", "Region", "1", ""], ["H-TRN-L3", "2023/24", "Mars", "1", ""],
        ["H-REF", "2023/24", "Region", "lots", ""], ["H-TRN-L3", "2023/24", "england", "88", ""]], columns)))
    assert [(e.row, e.column) for e in errors] == [(3, "code"), (4, "year"), (5, "kind"), (6, "value"), (7, "code")]
    assert not Comparator.objects.exists()
    changes = comparators_upload(actor=world.manager, partnership=world.partnership, upload=_csv([
        ["H-TRN-L3", "2023/24", "England", "88.5%", "NHS"], ["LA-CPP-RATE", "2023/24", "Statistical neighbours",
                                                             "42.8", ""]], columns))
    assert len(changes.added) == 2 and Comparator.objects.get(kind="neighbours").value == Decimal("42.8")
    _, response = upload_and_save(as_user(world.manager), reverse("datasets:comparators_upload"),
                                  {"file": _csv([["H-TRN-L3", "2024/25", "Region", "90", ""]], columns)})
    assert response.status_code == 302


def test_the_pre_filled_return_holds_figures_as_numbers_not_text(world, cat):
    """The tester's finding: the downloaded return held '111' as text, so Excel flagged every cell."""
    ret = _ret(world, cat)
    services.return_values_save(actor=world.submitter_a, ret=ret, version=version_token(ret.updated_at),
                                entries=entries_for(ret, **{"H-REF": {"value": "111"},
                                                            "H-TRN-L3": {"numerator": "5092", "denominator": "5303"}}))
    ret = Return.objects.select_related("agency", "quarter").get(pk=ret.pk)
    sheet = openpyxl.load_workbook(io.BytesIO(return_workbook(ret)))["Return"]
    rows = {r[2].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["H-REF"][4].value == 111 and rows["H-REF"][4].data_type == "n"
    assert (rows["H-TRN-L3"][5].value, rows["H-TRN-L3"][6].value) == (5092, 5303)
    assert all(c.data_type == "n" for c in (rows["H-TRN-L3"][5], rows["H-TRN-L3"][6]))
    assert rows["H-WAIT"][4].value is None  # a blank stays blank, not an empty string
