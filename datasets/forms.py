"""Datasets' forms. They carry what people typed; the services judge it."""

from __future__ import annotations

from django import forms

from partners.models import AgencyType
from safeguarding.forms import DateInput, GovukForm, ReturnCommentForm, VersionedForm
from safeguarding.periods import FinancialQuarter, FinancialYear

from .models import NA_REASON_CHOICES, ComparatorKind, Domain, Polarity, Unit
from .validation import field_name

# A figure itself cannot be "not known": that is for a breakdown's parts (typed as "not known").
NOT_AVAILABLE_CHOICES = [(k, v) for k, v in NA_REASON_CHOICES if k != "not_known"]


class IndicatorForm(VersionedForm):
    code = forms.CharField(max_length=40, help_text="Used in spreadsheets, e.g. LA-CPP-01.")
    name = forms.CharField(max_length=200)
    definition = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                                 label="Definition (optional)")
    domain = forms.ChoiceField(choices=Domain.choices)
    unit = forms.ChoiceField(choices=Unit.choices, widget=forms.RadioSelect)
    numerator_label = forms.CharField(max_length=200, required=False,
                                      label="Numerator (for a percentage or rate)",
                                      help_text="What is counted, e.g. 'Staff trained to level 3'.")
    denominator_label = forms.CharField(max_length=200, required=False,
                                        label="Denominator (for a percentage or rate)",
                                        help_text="What it is counted out of, e.g. 'Staff who need level 3'.")
    polarity = forms.ChoiceField(choices=Polarity.choices, widget=forms.RadioSelect, label="Which way is better")
    agency_types = forms.MultipleChoiceField(choices=AgencyType.choices, widget=forms.CheckboxSelectMultiple,
                                             label="Agencies that report it")
    breakdown_label = forms.CharField(max_length=120, required=False, label="Breakdown (optional)",
                                      help_text="For a count split into parts, what the parts are, e.g. "
                                                "'Category of abuse'.")
    parts = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                            label="Parts of the breakdown (optional)", help_text="One a line.")
    required = forms.BooleanField(required=False, label="Agencies must give this figure before submitting")
    active_from = forms.DateField(required=False, widget=DateInput, label="Reported from (optional)")
    active_to = forms.DateField(required=False, widget=DateInput, label="Reported until (optional)")
    order = forms.IntegerField(min_value=0, max_value=10000, required=False, label="Order in its domain (optional)")
    decimals = forms.IntegerField(min_value=0, max_value=4, required=False, label="Decimals shown (optional)",
                                  help_text="Leave blank for the usual: counts, days and £ 0; percentages and rates 1.",
                                  widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}))
    min_abs_change = forms.CharField(max_length=30, required=False,
                                     label="Smallest movement that needs a narrative (optional)",
                                     help_text="In the indicator's own unit. Blank: 3 for counts, none otherwise, "
                                               "so that a count moving from 1 to 0 needs no narrative.",
                                     widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    training_level = forms.CharField(max_length=100, required=False,
                                     label="Filled from training returns at level (optional)",
                                     help_text="For a training compliance percentage: the training level's name, "
                                               "e.g. ‘Level 3’. The figure then comes from the agency's accepted "
                                               "training return.")

    def part_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("parts", "").splitlines() if line.strip()]


class _YearField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return FinancialYear.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class TargetForm(GovukForm):
    year = _YearField(label="Financial year", help_text="For example, 2024/25.",
                      widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    effective_from = forms.DateField(required=False, widget=DateInput, label="Applies from (optional)",
                                     help_text="Leave blank for the whole year. A change part-way through the "
                                               "year leaves earlier quarters' RAG as it was.")
    target = forms.CharField(max_length=30, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    amber_threshold = forms.CharField(max_length=30, required=False, label="Amber threshold (optional)",
                                      help_text="The edge between amber and red. Leave blank for no amber band.",
                                      widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")


class ComparatorForm(GovukForm):
    year = _YearField(label="Financial year the figure is for", help_text="For example, 2023/24.",
                      widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    kind = forms.ChoiceField(choices=ComparatorKind.choices, widget=forms.RadioSelect, label="Comparator")
    part = forms.ChoiceField(required=False, label="For", choices=[])
    value = forms.CharField(max_length=30, required=False, label="Figure",
                            help_text=("Leave blank to remove it, or to say below why it is not available "
                                       "(c: suppressed at source)."),
                            widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    na_reason = forms.ChoiceField(required=False, label="If it is not available, why (optional)",
                                  choices=[("", "It is available")] + NOT_AVAILABLE_CHOICES)
    na_note = forms.CharField(max_length=300, required=False, label="Note on why (optional)")
    source = forms.CharField(max_length=300, required=False, label="Source (optional)")

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        parts = list(indicator.parts.all()) if indicator is not None else []
        if parts:
            self.fields["part"].choices = [("", f"The whole of {indicator.code}")] + [(str(p.pk), p.label)
                                                                                      for p in parts]
            self.parts = {str(p.pk): p for p in parts}
        else:
            del self.fields["part"]
            self.parts = {}

    def chosen_part(self):
        """The breakdown part chosen, or ``None`` for the indicator itself."""
        return self.parts.get(self.cleaned_data.get("part") or "")


class QuarterForm(GovukForm):
    period = forms.CharField(label="Quarter", help_text="For example, 2025/26-Q1.",
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    opens_on = forms.DateField(required=False, widget=DateInput, label="Returns open on (optional)",
                               help_text="Leave blank for the day after the quarter ends.")
    due_days = forms.IntegerField(required=False, min_value=0, max_value=365,
                                  label="Due this many days after the quarter ends (optional)",
                                  widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}))

    def clean_period(self):
        try:
            return FinancialQuarter.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class QuarterDatesForm(VersionedForm):
    opens_on = forms.DateField(widget=DateInput, label="Returns open on")
    due_on = forms.DateField(widget=DateInput, label="Returns are due on",
                             help_text="Changing it changes which returns count as late.")

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", "The due date must be on or after the date returns open.")
        return data


class CommentForm(ReturnCommentForm):
    """A workflow comment on a dataset return (the shared form and limit)."""


class UploadForm(GovukForm):
    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")


class ReturnForm(VersionedForm):
    """The return's figures: one text field per figure, named by ``validation.field_name``.

    Fields are text so that "1,234" reaches the parser as typed; the services read and judge it.
    """

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.keys: dict[str, tuple[int, int | None, str]] = {}
        for line in sheet.lines:
            ind = line.indicator
            columns = ["numerator", "denominator", "value"] if ind.is_ratio else ["value"]
            for column in columns:
                self._add(ind.pk, None, column, forms.CharField(required=False, max_length=40))
            if ind.is_ratio:  # a published figure without counts (issue 13.2)
                self._add(ind.pk, None, "source", forms.CharField(required=False, max_length=300,
                                                                  label="Source of the published figure"))
                self._add(ind.pk, None, "source_date", forms.CharField(required=False, max_length=40,
                                                                       label="Date it was published"))
            self._add(ind.pk, None, "na_reason", forms.ChoiceField(
                required=False, choices=[("", "The figure is given")] + NOT_AVAILABLE_CHOICES,
                label="If the figure is not available, why"))
            self._add(ind.pk, None, "na_note", forms.CharField(required=False, max_length=300,
                                                               label="Note on why (optional)"))
            for part in line.parts:
                self._add(ind.pk, part.pk, "value", forms.CharField(required=False, max_length=40))
            self._add(ind.pk, None, "narrative", forms.CharField(required=False, max_length=5000,
                                                                 widget=forms.Textarea(attrs={"rows": 3})))

    def _add(self, indicator_id: int, part_id: int | None, column: str, field: forms.Field) -> None:
        name = field_name(indicator_id, part_id, column)
        self.fields[name] = field
        self.keys[name] = (indicator_id, part_id, column)

    def entries(self) -> dict[tuple[int, int | None], dict[str, str]]:
        out: dict[tuple[int, int | None], dict[str, str]] = {}
        for name, (indicator_id, part_id, column) in self.keys.items():
            out.setdefault((indicator_id, part_id), {})[column] = self.cleaned_data.get(name, "")
        return out
