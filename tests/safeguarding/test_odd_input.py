"""Odd input never answers 500 (issue 11, point 4): the five reported cases, and the digit rule.

Control characters are refused in one place (``safeguarding.middleware``), ids are read by
forms, and only the digits 0 to 9 are read as numbers (``safeguarding.inputs``). The fuzzing of
every URL and form field is in ``tests/access/test_fuzz.py``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.services.parsing import NotANumber, parse_figure
from safeguarding.errors import DomainError
from safeguarding.forms import GovukForm
from safeguarding.inputs import control_character_problem, has_other_digits
from safeguarding.uploads import UploadRejected, read_table
from training import rules
from training.models import TrainingReturn

from ..training.helpers import setup_training

pytestmark = pytest.mark.django_db

OTHER_DIGITS = ["١٢٣", "１２３", "۱۲۳", "१२३", "߁߂߃", "12٣"]


@pytest.mark.parametrize("url", ["/dashboards/indicators/%00/", "/dashboards/indicators/%00/export.csv",
                                 "/dashboards/indicators/LA%00CPP/export.xlsx", "/reviews/%00/"])
def test_a_nul_in_the_path_is_a_400_that_says_so(world, as_user, url):
    response = as_user(world.pci).get(url)
    assert response.status_code == 400
    assert "NUL (U+0000)" in response.content.decode()


def test_a_nul_in_a_query_value_is_a_400(world, as_user):
    response = as_user(world.pci).get("/reviews/challenges/new/?agency=%00")
    assert response.status_code == 400
    assert "query parameter ‘agency’" in response.content.decode()
    # Other control characters too, and in a parameter's name.
    assert as_user(world.pci).get("/reviews/challenges/new/?issue=a%1Bb").status_code == 400
    assert as_user(world.pci).get("/reviews/challenges/new/?a%07=1").status_code == 400
    # Tabs and line breaks are text, not control characters.
    assert as_user(world.pci).get("/reviews/challenges/new/?issue=a%09b%0D%0Ac").status_code == 200


def test_a_nul_in_a_posted_comment_is_a_400_and_nothing_changes(world, as_user):
    setup_training(world)
    from training import services

    ret = services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[0])
    response = as_user(world.pci).post(f"/training/returns/{ret.pk}/query/", {"comment": "why\x00?"})
    assert response.status_code == 400
    assert "The field ‘comment’" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == "draft"


def _comparators_csv(char: bytes) -> tuple[bytes, int]:
    rows = "".join(f"LA-CPP,2024/25 Q1,{n},England,\n" for n in range(300))
    body = ("indicator code,quarter,value,source,note\n" + rows).encode()
    assert len(body) > 4096
    return body[:5000] + char + body[5000:], body[:5000].count(b"\n") + 1


@pytest.mark.parametrize("char", [b"\x00", b"\x1b", b"\x07"])
def test_a_control_character_past_the_first_4_kb_of_a_csv_is_a_form_error(world, as_user, char):
    body, line = _comparators_csv(char)
    with pytest.raises(UploadRejected) as caught:
        read_table(SimpleUploadedFile("c.csv", body), required=["indicator code"], optional=["quarter", "value",
                                                                                               "source", "note"])
    message = caught.value.errors[0].message
    if char != b"\x00":  # a NUL makes it binary, refused as such; any other control names its line
        assert caught.value.errors[0].row == line
        assert f"U+{ord(char):04X}" in message
    response = as_user(world.manager).post("/datasets/indicators/comparators/upload/",
                                           {"file": SimpleUploadedFile("comparators.csv", body)})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("agency", ["abc", "", "1.5", "١", "9" * 30, "-1"])
def test_ids_in_post_bodies_are_read_by_a_form(world, as_user, agency):
    setup_training(world)
    response = as_user(world.submitter_b).post("/training/returns/start/",
                                               {"agency": agency, "quarter": world.quarters[0].pk})
    assert response.status_code == 404
    assert not TrainingReturn.objects.exists()


def test_the_start_form_still_starts_a_return(world, as_user):
    setup_training(world)
    response = as_user(world.submitter_b).post("/training/returns/start/",
                                               {"agency": world.agency_b.pk, "quarter": world.quarters[0].pk})
    assert response.status_code == 302
    assert TrainingReturn.objects.filter(agency=world.agency_b).count() == 1


# --- Digits: only 0 to 9 (the GOV.UK pattern); the choice is documented in docs/architecture.md ---

@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_other_scripts_digits_are_refused_by_the_figure_parsers(text):
    assert has_other_digits(text)
    with pytest.raises(NotANumber, match="Use the digits 0 to 9"):
        parse_figure(text, label="Referrals")
    with pytest.raises(DomainError, match="Use the digits 0 to 9"):
        rules.parse_count(text, label="Eligible staff")
    assert parse_figure("123") == Decimal(123)
    assert rules.parse_count("1,234", label="Eligible staff") == 1234


class _NumbersForm(GovukForm):
    count = forms.IntegerField()
    amount = forms.DecimalField()
    day = forms.DateField()
    free_text = forms.CharField()


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_every_form_refuses_other_scripts_digits_in_numbers_dates_and_ids(text):
    form = _NumbersForm({"count": text, "amount": text, "day": f"2025-01-{text[-2:]}", "free_text": text})
    assert not form.is_valid()
    assert form.errors["count"] == ["Use the digits 0 to 9."]
    assert form.errors["amount"] == ["Use the digits 0 to 9."]
    assert "day" in form.errors
    assert "free_text" not in form.errors  # a name or a comment may hold any script
    ok = _NumbersForm({"count": "123", "amount": "1.5", "day": "2025-01-12", "free_text": text})
    assert ok.is_valid(), ok.errors


def test_an_id_in_other_scripts_digits_is_not_an_id(world, as_user):
    setup_training(world)
    arabic = "".join(chr(0x0660 + int(d)) for d in str(world.agency_b.pk))
    response = as_user(world.submitter_b).post("/training/returns/start/",
                                               {"agency": arabic, "quarter": world.quarters[0].pk})
    assert response.status_code == 404


def test_a_return_figure_typed_in_other_digits_is_refused_on_the_page(world, as_user):
    from ..datasets.conftest import make_catalogue

    cat = make_catalogue(world)
    from datasets import services

    ret, _ = services.return_get_or_create(actor=world.submitter_b, agency=world.agency_b, quarter=cat.quarter)
    page = as_user(world.submitter_b).get(f"/datasets/returns/{ret.pk}/edit/")
    form = page.context["form"]
    data = dict.fromkeys(form.fields, "")
    data["version"] = form["version"].value()
    name = next(n for n, (_, part, column) in form.keys.items() if column == "value" and part is not None)
    data[name] = "١٢٣"
    response = as_user(world.submitter_b).post(f"/datasets/returns/{ret.pk}/edit/", data)
    assert response.status_code == 200
    assert "Use the digits 0 to 9" in response.content.decode()
    assert not ret.values.exclude(value=None).exists()


def test_the_control_character_message_names_the_character_and_place():
    assert control_character_problem("ok\tfine\r\n", where="x") is None
    message = control_character_problem("ab\x1bc", where="the field ‘name’")
    assert message.startswith("The field ‘name’ contains") and "U+001B" in message and "position 3" in message
    assert "U+0085" in control_character_problem("a\x85", where="x")
