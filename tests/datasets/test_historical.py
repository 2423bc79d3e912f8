"""Past years loaded from the old spreadsheets (issues 12.8 and 15.4): one upload, many agencies and
quarters, historical returns accepted and locked at once, the source in their history, never judged
for timeliness."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets import services
from datasets.models import Quarter, Return, ReturnValue
from datasets.selectors import quarter_completeness, return_history
from datasets.spreadsheets.historical import historical_upload
from safeguarding.errors import DomainError
from safeguarding.uploads import UploadRejected
from safeguarding.workflow import ReturnStatus

pytestmark = pytest.mark.django_db

COLUMNS = ["agency", "quarter", "code", "part", "value", "numerator", "denominator", "source", "source date",
           "not available because"]
SOURCE = "PCI dataset workbook 2021/22, as presented to the board"


def _csv(rows) -> SimpleUploadedFile:
    frame = pd.DataFrame([dict(zip(COLUMNS, r, strict=False)) for r in rows], columns=COLUMNS)
    return SimpleUploadedFile("past.csv", frame.to_csv(index=False).encode(), content_type="text/csv")


def _rows(world):
    a, b = world.agency_a.name, world.agency_b.name
    rows = []
    for quarter in ("2021/22-Q1", "2021/22-Q2", "2022/23-Q1"):
        rows += [
            (a, quarter, "H-TRN-L3", "", "", "88", "100"),
            (a, quarter, "H-REF", "", "12"),
            (b, quarter, "LA-CPP-RATE", "", "42.4", "", "", "DfE CIN census", "26/10/2022"),  # published rate
            (b, quarter, "LA-CPP", "Sexual", "4"), (b, quarter, "LA-CPP", "Multiple", "9"),
            (b, quarter, "LA-CPP", "Neglect", "not known"), (b, quarter, "LA-CPP", "Emotional", "not known"),
            (b, quarter, "LA-CPP", "Physical", "", "", "", "", "", "Not collected"),
        ]
    return rows


def test_one_upload_loads_many_agencies_and_quarters_as_historical(world, cat):
    result = historical_upload(actor=world.manager, partnership=world.partnership, upload=_csv(_rows(world)),
                               source=SOURCE)
    assert result.returns_created == 6
    returns = Return.objects.filter(historical=True)
    assert returns.count() == 6 and set(returns.values_list("status", flat=True)) == {ReturnStatus.ACCEPTED}
    assert set(returns.values_list("historical_source", flat=True)) == {SOURCE}
    assert Quarter.objects.filter(partnership=world.partnership, year_start=2021).count() == 2  # created
    ret = returns.get(agency=world.agency_b, quarter__year_start=2022)
    rate = ReturnValue.objects.get(ret=ret, indicator=cat.cpp_rate)
    assert rate.value == Decimal("42.4") and rate.is_published
    total = ReturnValue.objects.get(ret=ret, indicator=cat.cpp, part=None)
    assert total.value is None and total.na_reason == "not_known"  # never 13 posing as complete
    changes = return_history(ret)["changes"]
    assert changes and all(c.reason.startswith("Historical: loaded from PCI dataset workbook") for c in changes)
    # Locked at once: nobody edits a historical return without reopening it.
    assert not ret.is_editable


def test_historical_returns_are_never_judged_for_timeliness(world, cat):
    historical_upload(actor=world.manager, partnership=world.partnership, upload=_csv(_rows(world)), source=SOURCE)
    quarter = Quarter.objects.get(partnership=world.partnership, year_start=2021, number=1)
    completeness = quarter_completeness(quarter)
    rows = {r.agency.pk: r for r in completeness.rows}
    assert rows[world.agency_a.pk].timeliness == "historical"
    assert rows[world.agency_a.pk].timeliness_label == "Historical"
    assert completeness.late == 0 and completeness.on_time_rate is None and completeness.returned == 2


def test_a_bad_row_saves_nothing_and_current_quarters_are_refused(world, cat):
    rows = _rows(world) + [(world.agency_a.name, "2021/22-Q1", "H-REF-X", "", "3"),
                           (world.agency_a.name, "2030/31-Q1", "H-REF", "", "3")]
    with pytest.raises(UploadRejected) as exc:
        historical_upload(actor=world.manager, partnership=world.partnership, upload=_csv(rows), source=SOURCE)
    text = " ".join(e.message for e in exc.value.errors)
    assert "‘H-REF-X’ is not an indicator code" in text and "2030/31-Q1 has not ended" in text
    assert not Return.objects.filter(historical=True).exists()
    assert not Quarter.objects.filter(partnership=world.partnership, year_start=2021).exists()


def test_a_quarter_with_a_real_return_is_left_alone(world, cat):
    ret, _ = services.return_get_or_create(actor=world.submitter_a, agency=world.agency_a, quarter=cat.previous)
    rows = [(world.agency_a.name, cat.previous.label, "H-REF", "", "3")]
    with pytest.raises(UploadRejected) as exc:
        historical_upload(actor=world.manager, partnership=world.partnership, upload=_csv(rows), source=SOURCE)
    assert "already has a return for 2024/25-Q3 (draft)" in exc.value.errors[0].message


def test_only_the_manager_with_a_source(world, cat):
    with pytest.raises(DomainError):
        historical_upload(actor=world.pci, partnership=world.partnership, upload=_csv(_rows(world)), source=SOURCE)
    with pytest.raises(DomainError) as exc:
        historical_upload(actor=world.manager, partnership=world.partnership, upload=_csv(_rows(world)), source=" ")
    assert exc.value.field == "source"


def test_the_page_previews_then_saves(world, cat, as_user):
    client = as_user(world.manager)
    url = reverse("datasets:historical_upload")
    response = client.post(url, {"file": _csv(_rows(world)), "source": SOURCE})
    assert response.status_code == 200 and not Return.objects.filter(historical=True).exists()
    token = response.context["token"]
    response = client.post(url, {"token": token})
    assert response.status_code == 302 and Return.objects.filter(historical=True).count() == 6
