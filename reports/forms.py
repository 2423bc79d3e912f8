from __future__ import annotations

from django import forms

from safeguarding.forms import GovukForm, VersionedForm
from safeguarding.periods import FinancialQuarter, FinancialYear

from .services import MAX_NARRATIVE


class YearForm(GovukForm):
    year = forms.CharField(label="Financial year", help_text="For example, 2024/25.", max_length=9)

    def clean_year(self) -> FinancialYear:
        try:
            return FinancialYear.parse(self.cleaned_data["year"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


class QuarterForm(GovukForm):
    quarter = forms.CharField(label="Quarter", help_text="For example, 2024/25-Q3.", max_length=12)

    def clean_quarter(self) -> FinancialQuarter:
        try:
            return FinancialQuarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


def _text_field(label: str, rows: int = 12, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=MAX_NARRATIVE, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


PLAIN_TEXT_HELP = "Plain text. Leave a blank line between paragraphs."


class NarrativeForm(VersionedForm):
    body = _text_field("Text", 16, PLAIN_TEXT_HELP)

    def __init__(self, *args, label: str = "Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class AgencySectionForm(VersionedForm):
    achievements = _text_field("Achievements this year", 10, PLAIN_TEXT_HELP)
    challenges = _text_field("Challenges and what you are doing about them", 10, PLAIN_TEXT_HELP)


class DistributionForm(VersionedForm):
    distribution = _text_field("Who receives the report", 8, "One a line, for example: Chief executive, "
                                                               "Testshire County Council.")
