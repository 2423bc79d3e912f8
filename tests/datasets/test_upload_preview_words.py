"""The upload preview's table says what it lists and what changed (a tester's findings): figures
through the one formatter by their indicator ("27.8%", not "27.8261"), a change of source alone
named ("Changed: source") rather than "95.8 → 95.8", and the second column headed in the
importer's terms, not "Line"."""

from __future__ import annotations

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.spreadsheets.comparators import comparators_upload

pytestmark = pytest.mark.django_db

COLUMNS = ["code", "year", "kind", "value", "source"]


def _file(rows):
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return SimpleUploadedFile("c.csv", frame.to_csv(index=False).encode(), content_type="text/csv")


def test_comparator_preview_formats_by_indicator_and_names_a_source_only_change(world, cat):
    added = comparators_upload(actor=world.manager, partnership=world.partnership,
                               upload=_file([["H-TRN-L3", "2023/24", "England", "27.8261", "NHS Digital"]]))
    assert added.what_heading == "Indicator, year and comparator"
    assert added.added[0].after == "27.8% (NHS Digital)"
    again = comparators_upload(actor=world.manager, partnership=world.partnership,
                               upload=_file([["H-TRN-L3", "2023/24", "England", "27.8261", "DfE 2024"]]))
    [change] = again.changed
    assert (change.before, change.after, change.fields) == ("27.8% (NHS Digital)", "27.8% (DfE 2024)", ("source",))


def test_the_preview_page_heads_its_column_and_says_what_changed(world, cat, as_user):
    from django.urls import reverse

    client = as_user(world.manager)
    url = reverse("datasets:comparators_upload")
    comparators_upload(actor=world.manager, partnership=world.partnership,
                       upload=_file([["H-TRN-L3", "2023/24", "England", "95.8", "NHS Digital"]]))
    page = client.post(url, {"file": _file([["H-TRN-L3", "2023/24", "England", "95.8", "DfE"]])}).content.decode()
    assert ">Indicator, year and comparator</th>" in page and ">Line</th>" not in page
    assert "Changed: source" in page and "95.8%" in page
