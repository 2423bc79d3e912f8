"""Training's forms: GOV.UK rendering; the rules themselves live in ``rules`` and the services."""

from __future__ import annotations

from django import forms

from partners.models import AgencyType
from safeguarding.forms import DateInput, FigureField, GovukForm, ReturnCommentForm, UploadFileForm, VersionedForm
from safeguarding.periods import FinancialYear

from .models import CourseFormat, Impact, Level, Rating


class LevelForm(VersionedForm):
    name = forms.CharField(max_length=100, label="Name", help_text="For example, Level 3 or Board level.")
    description = forms.CharField(max_length=300, required=False, label="Description (optional)")
    order = forms.IntegerField(min_value=0, max_value=999, initial=0, label="Position in lists",
                               help_text="Lower numbers come first.")
    is_active = forms.BooleanField(required=False, initial=True, label="In use")


class StaffGroupForm(VersionedForm):
    name = forms.CharField(max_length=150, label="Name", help_text="For example, GPs or Midwives.")
    agency_types = forms.MultipleChoiceField(choices=AgencyType.choices, widget=forms.CheckboxSelectMultiple,
                                             label="Agencies that report this group")
    levels = forms.ModelMultipleChoiceField(queryset=Level.objects.none(), widget=forms.CheckboxSelectMultiple,
                                            label="Levels the group is measured at")
    order = forms.IntegerField(min_value=0, max_value=999, initial=0, label="Position in lists")
    is_active = forms.BooleanField(required=False, initial=True, label="In use")

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].queryset = levels if levels is not None else Level.objects.none()


class TargetForm(GovukForm):
    year = forms.CharField(max_length=9, label="Financial year", help_text="For example, 2025/26.")
    level = forms.ModelChoiceField(queryset=Level.objects.none(), required=False, empty_label="Every level",
                                   label="Level")
    target = FigureField(percent=True, min_value=0, max_value=100, decimal_places=2, label="Target (%)")
    amber_threshold = FigureField(percent=True, min_value=0, max_value=100, decimal_places=2, required=False,
                                  label="Amber from (%) (optional)",
                                  help_text="Below the target but at or above this is amber; "
                                            "without it, a missed target is red.")
    effective_from = forms.DateField(required=False, widget=DateInput, label="Takes effect on (optional)",
                                     help_text="Leave empty for the start of the year (1 April).")
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels if levels is not None else Level.objects.none()

    def clean_year(self) -> int:
        try:
            return FinancialYear.parse(self.cleaned_data["year"]).start_year
        except ValueError as error:
            raise forms.ValidationError(str(error))


class FiguresForm(VersionedForm):
    """One eligible, trained and narrative field per line; the service checks the figures, so
    the same rules and messages apply to the browser and the spreadsheet."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for line in lines:
            f = line.figure
            label = f"{f.staff_group.name}, {f.level.name}"
            self.fields[f"eligible_{f.pk}"] = forms.CharField(
                required=False, label=f"{label}: eligible staff", initial=f.eligible,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}))
            self.fields[f"trained_{f.pk}"] = forms.CharField(
                required=False, label=f"{label}: trained staff", initial=f.trained,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}))
            self.fields[f"narrative_{f.pk}"] = forms.CharField(
                required=False, label=f"{label}: narrative", initial=f.narrative, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.lines.append((line, [self[f"eligible_{f.pk}"], self[f"trained_{f.pk}"]], self[f"narrative_{f.pk}"]))


class CommentForm(ReturnCommentForm):
    """A workflow comment on a training return: the same form and limit as dataset returns."""


class StartReturnForm(GovukForm):
    """Which agency's return for which quarter to start (the hidden fields of the list's
    buttons). Ids are read by the form, never by ``int()`` in the view: anything else than an
    id within the person's reach is simply invalid (issue 11, point 4)."""

    agency = forms.ModelChoiceField(queryset=None)
    quarter = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, agencies, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["quarter"].queryset = quarters


class UploadForm(GovukForm):
    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")


class AttendanceUploadForm(UploadFileForm):
    """The attendance upload: merged by session and agency unless the person chooses to replace
    each named session's whole attendance (issue 14 point 6)."""

    replace_sessions = forms.BooleanField(
        required=False, label="Replace each session's whole attendance with the file's",
        help_text="Agencies the file leaves out are then removed from the sessions it names. Without this, "
                  "only the agencies in the file are changed and every other agency's attendance is kept.")


class CourseForm(VersionedForm):
    title = forms.CharField(max_length=200)
    level = forms.ModelChoiceField(queryset=Level.objects.none(), required=False, empty_label="Not set",
                                   label="Level")
    format = forms.ChoiceField(choices=CourseFormat.choices, widget=forms.RadioSelect)
    duration_hours = FigureField(min_value=0.25, max_value=999, decimal_places=2, label="Length (hours)")
    capacity = forms.IntegerField(min_value=1, max_value=10000, label="Places on a usual session")
    shared_with_adults = forms.BooleanField(required=False, label="Run jointly with the adults board")
    charge = FigureField(pounds=True, min_value=0, max_value=100000, decimal_places=2, required=False,
                         label="Charge per place (£) (optional)")
    no_show_charge = FigureField(pounds=True, min_value=0, max_value=100000, decimal_places=2,
                                 required=False, label="Charge for a no-show or late cancellation (£) (optional)")
    description = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label="Description (optional)")
    is_active = forms.BooleanField(required=False, initial=True, label="Still offered")

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels if levels is not None else Level.objects.none()


class SessionForm(VersionedForm):
    starts_on = forms.DateField(widget=DateInput, label="Date")
    venue = forms.CharField(max_length=200, required=False, label="Venue (optional if online)")
    online = forms.BooleanField(required=False, label="Online")
    places = forms.IntegerField(min_value=1, max_value=10000, label="Places")


class EvaluationForm(GovukForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Rating.choices:
            self.fields[f"immediate_{value}"] = forms.CharField(
                required=False, label=label, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                           "class": "govuk-input--width-4"}))
        for value, label in Impact.choices:
            self.fields[f"follow_up_{value}"] = forms.CharField(
                required=False, label=label, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                           "class": "govuk-input--width-4"}))
        self.fields["invited"] = forms.IntegerField(
            required=False, min_value=0, label="People invited to the follow-up survey",
            help_text="The response rate is the answers out of this number.",
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}))

    def stage(self, prefix: str) -> dict[str, str]:
        return {name.removeprefix(prefix + "_"): value for name, value in self.cleaned_data.items()
                if name.startswith(prefix + "_")}

    def invited(self, stage: str) -> int | None:
        """The number invited, for the follow-up stage only."""
        return self.cleaned_data.get("invited") if stage == "follow_up" else None
