"""Length and size limits print their numbers through the one formatter ("5,000", never "5000"),
name the field, and say the same thing from a form, from a model's ``full_clean()`` in a service,
and from the messages services and the upload reader write themselves (``safeguarding.limits``,
``formatting.limit_text``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator

from partners import services as partner_services
from safeguarding.errors import DomainError
from safeguarding.formatting import limit_text
from safeguarding.forms import GovukForm, ReturnCommentForm
from safeguarding.plurals import counted


class Limits(GovukForm):
    note = forms.CharField(label="Note", max_length=1500, min_length=1200, required=False)
    places = forms.IntegerField(label="Places", min_value=1000, max_value=25000, required=False)
    share = forms.DecimalField(label="Share of the budget", min_value=Decimal("0.5"), max_value=Decimal("1234.25"),
                               required=False)
    held_on = forms.DateField(label="Meeting date", required=False,
                              validators=[MaxValueValidator(dt.date(2026, 12, 31))])


def _errors(**data):
    form = Limits(data)
    assert not form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def test_limit_text_writes_numbers_as_the_formatter_does():
    assert [limit_text(v) for v in (5000, 999, 1_000_000, Decimal("0.50"), 1234.25, -1500)] == [
        "5,000", "999", "1,000,000", "0.5", "1,234.25", "-1,500"]
    assert limit_text(dt.date(2026, 12, 31)) == "2026-12-31"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"note": "x" * 1501}, "note", "The note must be 1,500 characters or fewer (it has 1,501)"),
    ({"note": "x" * 12}, "note", "The note must be 1,200 characters or more (it has 12)"),
    ({"places": "25001"}, "places", "The places must be 25,000 or less"),
    ({"places": "999"}, "places", "The places must be 1,000 or more"),
    ({"share": "2000"}, "share", "The share of the budget must be 1,234.25 or less"),
    ({"share": "0.25"}, "share", "The share of the budget must be 0.5 or more"),
    ({"held_on": "2027-01-01"}, "held_on", "The meeting date must be 2026-12-31 or less"),
])
def test_form_limits_name_the_field_and_format_every_number(data, field, message):
    assert _errors(**data)[field] == message


def test_the_shared_comment_form_says_5000_as_5_comma_000():
    form = ReturnCommentForm({"comment": "y" * 5001})
    assert form.errors["comment"] == ["The comment must be 5,000 characters or fewer (it has 5,001)"]


def test_a_form_keeps_its_own_wording_and_a_rewording_is_still_a_limit_validator():
    class Own(GovukForm):
        text = forms.CharField(label="Text", validators=[
            MaxLengthValidator(2000, message="Short please (%(limit_value)s)")])

    assert Own({"text": "x" * 2001}).errors["text"] == ["Short please (2000)"]
    form = Limits({"note": "x" * 1501})
    form.is_valid()
    assert any(isinstance(v, MaxLengthValidator) for v in form.fields["note"].validators)


def test_a_models_own_limit_reached_through_a_service_is_worded_the_same(world):
    """An agency name over 200 characters sent straight to the service (as the set-up upload does)."""
    with pytest.raises(DomainError) as refused:
        partner_services.agency_create(actor=world.manager, partnership=world.partnership, name="N" * 1201,
                                       agency_type="police")
    assert refused.value.field == "name"
    assert "The name must be 200 characters or fewer (it has 1,201)" in refused.value.message


def test_messages_services_write_themselves_format_their_numbers():
    assert counted(1234, "row") == "1,234 rows"


def test_figures_compared_in_a_refusal_are_formatted(world):
    """The return's own checks state figures through the formatter too: counts with separators,
    the worked-out figure in the indicator's unit."""
    from datasets.validation import Figures, line_problems
    from tests.datasets.conftest import make_catalogue
    from training.rules import check_trained

    indicator = make_catalogue(world).training  # a percentage, numerator over denominator
    messages = [p.message for p in line_problems(indicator, None, Figures(numerator=Decimal(12000),
                                                                          denominator=Decimal(10000)),
                                                 stage="save")]
    assert "The numerator (12,000) cannot be more than the denominator (10,000)." in messages
    typed = [p.message for p in line_problems(indicator, None, Figures(value=Decimal(50), numerator=Decimal(1),
                                                                       denominator=Decimal(3)), stage="save")]
    assert any("which give 33.3%." in m for m in typed)
    with pytest.raises(DomainError, match=r"trained staff \(1,500\) cannot be more than eligible staff \(1,200\)"):
        check_trained(eligible=1200, trained=1500, label="Nurses, Level 3")


def test_the_character_count_hint_formats_its_limit():
    """The GOV.UK character count's hint (``templates/gds/field.html``, shown before its script
    runs) says "5,000", like the error it warns of."""
    from crispy_forms_gds.layout import Field, Layout

    class Long(GovukForm):
        text = forms.CharField(label="Narrative", max_length=5000, widget=forms.Textarea, help_text="What changed.")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.layout = Layout(Field.textarea("text", max_characters=5000))

    from django.template import Context, Template

    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": Long()}))
    assert "You can enter up to 5,000 characters" in " ".join(html.split())
