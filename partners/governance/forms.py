from __future__ import annotations

from decimal import Decimal

from django import forms

from safeguarding.forms import DateInput, GovukForm, VersionedForm
from safeguarding.periods import FinancialYear

from ..models import Attendance, BudgetLine, Priority, Subgroup

ATTENDANCE_CHOICES = [("", "Not expected"), *Attendance.Status.choices]
MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class YearField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return FinancialYear.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


class MeetingForm(VersionedForm):
    subgroup = forms.ModelChoiceField(queryset=Subgroup.objects.none(), label="Board or subgroup")
    held_on = forms.DateField(label="Date of the meeting", widget=DateInput)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                            label="What the meeting did (optional)")

    def __init__(self, *args, subgroups=None, agencies=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        self.fields["subgroup"].queryset = subgroups if subgroups is not None else Subgroup.objects.none()
        if editing:
            self.fields["subgroup"].disabled = True
        for agency in self.agencies:
            self.fields[f"agency_{agency.pk}"] = forms.ChoiceField(
                choices=ATTENDANCE_CHOICES, required=False, label=agency.name)

    def attendance(self) -> dict:
        return {a: self.cleaned_data.get(f"agency_{a.pk}", "") for a in self.agencies}


class BudgetForm(VersionedForm):
    reserves_used = forms.DecimalField(label="Reserves used (£)", **MONEY_FIELD)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                            label="Notes (optional)")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"cash_{agency.pk}"] = forms.DecimalField(
                required=False, label=f"{agency.name}: cash (£)", **MONEY_FIELD)
            self.fields[f"kind_{agency.pk}"] = forms.DecimalField(
                required=False, label=f"{agency.name}: in kind (£)", **MONEY_FIELD)

    def contributions(self) -> dict:
        zero = Decimal("0")
        return {a: (self.cleaned_data.get(f"cash_{a.pk}") or zero, self.cleaned_data.get(f"kind_{a.pk}") or zero)
                for a in self.agencies}


class BudgetLineForm(GovukForm):
    category = forms.ChoiceField(choices=[("", "Choose a category"), *BudgetLine.Category.choices],
                                 label="Category")
    description = forms.CharField(max_length=200, required=False, label="Description (optional)")
    amount = forms.DecimalField(label="Amount (£)", **MONEY_FIELD)


class PriorityForm(VersionedForm):
    year = YearField(label="Financial year", help_text="For example, 2024/25.")
    position = forms.IntegerField(min_value=1, max_value=50, initial=1, label="Order in the list")
    title = forms.CharField(max_length=200)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              label="Outcome sought")
    actions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    progress = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    status = forms.ChoiceField(choices=Priority.Progress.choices, label="Where it stands")
