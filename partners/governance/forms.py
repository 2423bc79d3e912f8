from __future__ import annotations

from decimal import Decimal

from django import forms

from safeguarding.forms import DateInput, FigureField, GovukForm, VersionedForm
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
    """A meeting with one attendance question per seat of its body (issue 12.3)."""

    subgroup = forms.ModelChoiceField(queryset=Subgroup.objects.none(), label="Board or subgroup")
    held_on = forms.DateField(label="Date of the meeting", widget=DateInput)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                            label="What the meeting did (optional)")

    def __init__(self, *args, subgroups=None, seats=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        self.fields["subgroup"].queryset = subgroups if subgroups is not None else Subgroup.objects.none()
        if editing:
            self.fields["subgroup"].disabled = True
        for seat in self.seats:
            label = seat.label if seat.is_agency else f"{seat.label} (not an agency)"
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(choices=ATTENDANCE_CHOICES, required=False,
                                                               label=label)

    def attendance(self) -> dict:
        return {s: self.cleaned_data.get(f"seat_{s.pk}", "") for s in self.seats}


class SeatForm(VersionedForm):
    """Add a seat: an agency, or a role that is not an agency (issue 12.3)."""

    OTHER = "__other__"

    agency = forms.ModelChoiceField(queryset=None, required=False, label="Held by an agency",
                                    empty_label="Not an agency (choose a role below)")
    role = forms.ChoiceField(required=False, label="Or held by a member who represents no agency")
    other_role = forms.CharField(max_length=120, required=False, label="Another role (optional)",
                                 help_text="For a role not in the list, e.g. Faith communities representative.")
    holder = forms.CharField(max_length=150, required=False, label="Who holds the seat (optional)")

    def __init__(self, *args, agencies=None, **kwargs):
        from ..models import STANDARD_SEAT_ROLES, Agency

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["role"].choices = [("", "Choose a role"), *[(r, r) for r in STANDARD_SEAT_ROLES],
                                       (self.OTHER, "Another role (type it below)")]

    def clean(self):
        data = super().clean()
        role = data.get("role") or ""
        if role == self.OTHER:
            role = (data.get("other_role") or "").strip()
            if not role:
                self.add_error("other_role", "Type the role, or choose one from the list.")
        data["role_name"] = role
        if data.get("agency") and role:
            self.add_error("role", "Choose an agency or a role, not both.")
        elif not data.get("agency") and not role and "other_role" not in self.errors:
            self.add_error("agency", "Choose the agency that holds the seat, or a role.")
        return data


class SeatEditForm(VersionedForm):
    role = forms.CharField(max_length=120, required=False, label="Role")
    holder = forms.CharField(max_length=150, required=False, label="Who holds the seat (optional)")
    is_active = forms.BooleanField(required=False, label="The seat is still on this body")

    def __init__(self, *args, is_agency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_agency:
            del self.fields["role"]


class AttendanceTargetForm(GovukForm):
    attendance_target = FigureField(
        percent=True, min_value=Decimal("0"), max_value=Decimal("100"), max_digits=4, decimal_places=1,
        label="Attendance target (%)",
        help_text="The share of the board's meetings each seat is expected to attend, 0 to 100. "
                  "The annual report compares attendance with it.")


class BudgetForm(VersionedForm):
    reserves_used = FigureField(label="Reserves used (£)", pounds=True, **MONEY_FIELD)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                            label="Notes (optional)")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"cash_{agency.pk}"] = FigureField(
                pounds=True, required=False, label=f"{agency.name}: cash (£)", **MONEY_FIELD)
            self.fields[f"kind_{agency.pk}"] = FigureField(
                pounds=True, required=False, label=f"{agency.name}: in kind (£)", **MONEY_FIELD)

    def contributions(self) -> dict:
        zero = Decimal("0")
        return {a: (self.cleaned_data.get(f"cash_{a.pk}") or zero, self.cleaned_data.get(f"kind_{a.pk}") or zero)
                for a in self.agencies}


class BudgetLineForm(GovukForm):
    category = forms.ChoiceField(choices=[("", "Choose a category"), *BudgetLine.Category.choices],
                                 label="Category")
    description = forms.CharField(max_length=200, required=False, label="Description (optional)")
    amount = FigureField(label="Amount (£)", pounds=True, **MONEY_FIELD)


class PriorityForm(VersionedForm):
    year = YearField(label="Financial year", help_text="For example, 2024/25.")
    position = forms.IntegerField(min_value=1, max_value=50, initial=1, label="Order in the list")
    title = forms.CharField(max_length=200)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              label="Outcome sought")
    actions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    progress = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    status = forms.ChoiceField(choices=Priority.Progress.choices, label="Where it stands")
