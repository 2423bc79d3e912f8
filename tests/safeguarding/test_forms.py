from django import forms
from django.template import Context, Template

from safeguarding.forms import GovukForm


class Labelled(GovukForm):
    text = forms.CharField(label="<b>Agency</b>", help_text="<i>hint</i>")
    pick = forms.ChoiceField(label="<b>Pick</b>", choices=[("a", "<u>A</u>")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(label="<b>Many</b>", choices=[("a", "<u>A</u>")],
                                     widget=forms.CheckboxSelectMultiple)


def test_labels_hints_and_choices_built_from_stored_names_are_escaped():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": Labelled()}))
    assert "<b>" not in html and "<i>" not in html and "<u>" not in html
    assert "&lt;b&gt;Agency&lt;/b&gt;" in html and "&lt;i&gt;hint&lt;/i&gt;" in html


def test_a_figure_field_reads_figures_as_people_type_them_through_the_one_parser():
    """"£25,000" in a budget and "90%" in a target were refused ("must be a number") by Django's
    DecimalField, behind a type="number" input that will not take them at all; FigureField reads
    them as the return and its spreadsheets do, and refuses the ambiguous "1,23" naming the field."""
    from decimal import Decimal

    from safeguarding.forms import FigureField

    class Form(GovukForm):
        target = FigureField(label="Target (%)", percent=True, min_value=0, max_value=100, decimal_places=2)
        cash = FigureField(label="Westmoor Police: cash (£)", pounds=True, required=False, min_value=0,
                           max_digits=12, decimal_places=2)

    form = Form({"target": " 90% ", "cash": "£25,000"})
    assert form.is_valid() and form.cleaned_data == {"target": Decimal(90), "cash": Decimal(25000)}
    form = Form({"target": "150", "cash": "1,23"})
    assert not form.is_valid()
    assert form.errors["target"] == ["The target is a percentage, so it lies between 0 and 100 (it reads ‘150’)."]
    assert form.errors["cash"][0].startswith("Westmoor Police: cash must be a number; commas may only separate")
    assert Form({"target": "90", "cash": "-5"}).errors["cash"] == ["Westmoor Police: cash must be 0 or more"]
    html = str(Form(initial={"cash": Decimal("25000.00")})["cash"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="25000"' in html
