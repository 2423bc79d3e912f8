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
