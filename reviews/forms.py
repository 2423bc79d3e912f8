from __future__ import annotations

from django import forms
from django.db.models import Case, Value, When

from partners.models import Agency, Subgroup
from safeguarding.forms import DateInput, GovukForm, VersionedForm

from .addressees import group_choices
from .models import ActionStatus, ChallengeStatus, PublicationStatus, ReviewStatus, ReviewType, Theme
from .services.actions import OWNER_STATUSES


class ReviewForm(VersionedForm):
    review_type = forms.ChoiceField(choices=ReviewType.choices, label="Type of review")
    title = forms.CharField(max_length=200, label="Title or pseudonym",
                            help_text="For a practice review use the pseudonym (for example ‘Child K’): "
                                      "never a child's real name.")
    lead_partnership = forms.CharField(max_length=200, required=False, label="Lead partnership (optional)",
                                       help_text="For a joint review led by another partnership.")
    notified_on = forms.DateField(required=False, label="Date notified (optional)", widget=DateInput)
    commissioned_on = forms.DateField(required=False, label="Date commissioned (optional)", widget=DateInput)
    started_on = forms.DateField(required=False, label="Date started (optional)", widget=DateInput)
    completed_on = forms.DateField(required=False, label="Date completed (optional)", widget=DateInput)
    published_on = forms.DateField(required=False, label="Date published or report received (optional)",
                                   widget=DateInput)
    publication_status = forms.ChoiceField(choices=PublicationStatus.choices, label="Publication",
                                           widget=forms.RadioSelect)
    status = forms.ChoiceField(choices=ReviewStatus.choices, label="Status", widget=forms.RadioSelect)
    action_plan_working_days = forms.IntegerField(
        required=False, min_value=1, max_value=250, label="Action plan due within (working days, optional)",
        help_text="Counted from the report date, leaving out weekends and bank holidays. An inspection "
                  "usually asks for 20.")
    themes = forms.CharField(required=False, max_length=2000, label="Themes (optional)",
                             widget=forms.Textarea(attrs={"rows": 3}), help_text="One a line.")
    summary = forms.CharField(required=False, max_length=5000, label="Summary (optional)",
                              widget=forms.Textarea(attrs={"rows": 4}))
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple, label="Agencies involved")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies if agencies is not None else Agency.objects.none()

    def theme_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("themes", "").splitlines() if line.strip()]


class RecommendationForm(GovukForm):
    number = forms.CharField(max_length=20, label="Number", help_text="As in the report, for example 5.6.")
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label="Recommendation")
    groups = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Addressed to a group",
        help_text="A group holds the agencies active on the recommendation's date. Each agency it holds gets a "
                  "draft action; the partnership's own draft action is the business manager's.")
    addressees = forms.ModelMultipleChoiceField(queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple,
                                                required=False, label="Addressed to agencies by name")
    made_on = forms.DateField(required=False, label="Date of the recommendation (optional)", widget=DateInput,
                              help_text="Leave blank for the review's report date (today if there is none yet).")
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, label="Theme (optional)")
    new_theme = forms.CharField(max_length=120, required=False, label="Or a new theme (optional)")
    source_paragraph = forms.CharField(max_length=60, required=False, label="Source paragraph (optional)",
                                       help_text="The paragraph of the report it comes from, for example 4.2.")

    def __init__(self, *args, agencies=None, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["theme"].queryset = themes if themes is not None else Theme.objects.none()
        self.fields["groups"].choices = group_choices()

    def clean(self):
        data = super().clean()
        if not data.get("groups") and not data.get("addressees") and "addressees" not in self.errors:
            self.add_error("addressees", "Choose who the recommendation is addressed to: a group, or one or "
                                         "more agencies.")
        return data


class OwnerChoiceField(forms.ModelChoiceField):
    """The owner agency list, with the agencies the recommendation addresses first and marked."""

    addressed: frozenset = frozenset()

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} (addressed)" if obj.pk in self.addressed else obj.name


class UploadForm(GovukForm):
    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")


class ActionForm(VersionedForm):
    owner_agency = OwnerChoiceField(queryset=Agency.objects.none(), label="Owner agency",
                                    help_text="The agencies the recommendation is addressed to come first.")
    lead_name = forms.CharField(max_length=150, label="Lead's name")
    lead_role = forms.CharField(max_length=150, required=False, label="Lead's role (optional)")
    description = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label="Action")
    start_on = forms.DateField(label="Start date", widget=DateInput)
    due_on = forms.DateField(label="Due date", widget=DateInput)
    indicator = forms.ModelChoiceField(queryset=None, required=False,
                                       label="Indicator it is expected to move (optional)",
                                       help_text="The dashboards show the action beside the indicator's trend.")

    def __init__(self, *args, agencies=None, indicators=None, editing: bool = False, addressed=(), **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies if agencies is not None else Agency.objects.none()
        addressed = frozenset(addressed)
        if addressed:
            agencies = agencies.annotate(
                addressed_first=Case(When(pk__in=addressed, then=Value(0)), default=Value(1))
            ).order_by("addressed_first", "name")
        else:
            self.fields["owner_agency"].help_text = ""
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner_agency"].addressed = addressed
        self.fields["indicator"].queryset = indicators
        if indicators is None:
            del self.fields["indicator"]
        if editing:
            del self.fields["owner_agency"]

    def clean(self):
        data = super().clean()
        start, due = data.get("start_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", "The due date must be on or after the start date.")
        return data


class ProgressForm(GovukForm):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Progress")
    on = forms.DateField(required=False, label="Date of this progress (optional: today if blank)", widget=DateInput)
    status = forms.ChoiceField(choices=[("", "Keep the current status")] + [(s.value, s.label) for s in OWNER_STATUSES],
                               required=False, label="Status")

    def __init__(self, *args, prefix_id: str = "", manager: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if manager:
            # Superseding (the action is replaced by another) is the business manager's call.
            self.fields["status"].choices = [*self.fields["status"].choices,
                                             (ActionStatus.SUPERSEDED.value, ActionStatus.SUPERSEDED.label)]
        if prefix_id:
            # Several of these forms sit on one page (my actions): ids must stay unique.
            self.auto_id = f"id_{prefix_id}_%s"


class EvidenceForm(GovukForm):
    file = forms.FileField(label="Evidence file",
                           help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG, CSV or text; 10 MB at most.")
    evidence_date = forms.DateField(label="Date the evidence is from", widget=DateInput,
                                    help_text="For example the date of the audit or the meeting, not today's.")
    description = forms.CharField(max_length=300, required=False, label="What it shows (optional)")


class AssureForm(GovukForm):
    """Assuring a completed action. The comment is required by the service, not here, so that a
    blank comment is reported with the date's and the evidence's problems, all at once."""

    comment = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              label="What the evidence shows")
    on = forms.DateField(required=False, widget=DateInput, label="Date of the assurance",
                         help_text="The day it was assured, for example at the PCI meeting. Today if blank; "
                                   "it cannot be after today.")
    no_evidence_reason = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for assuring without evidence (only if there is none)",
    )


class ReturnActionForm(GovukForm):
    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             label="What is missing", help_text="The owner is told this, with the action.")


class ChallengeForm(GovukForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency challenged")
    raised_on = forms.DateField(label="Date raised", widget=DateInput)
    forum = forms.ModelChoiceField(queryset=Subgroup.objects.none(), required=False, label="Forum (optional)")
    issue = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label="The issue")
    indicator_code = forms.CharField(max_length=40, required=False, label="Indicator code (optional)")
    quarter_label = forms.CharField(max_length=20, required=False, label="Quarter (optional)",
                                    help_text="For example 2024/25-Q3.")
    return_reference = forms.CharField(max_length=100, required=False, label="Return reference (optional)")
    evidence_requested = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                         label="Evidence asked for (optional)")
    response_due_on = forms.DateField(required=False, label="Response due by (optional)", widget=DateInput)

    def __init__(self, *args, agencies=None, subgroups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["forum"].queryset = subgroups if subgroups is not None else Subgroup.objects.none()


class ChallengeResponseForm(GovukForm):
    response = forms.CharField(max_length=10000, widget=forms.Textarea(attrs={"rows": 5}), label="Your answer")


class ChallengeDecisionForm(GovukForm):
    status = forms.ChoiceField(choices=[(ChallengeStatus.CLOSED.value, "Assured: close the challenge"),
                                        (ChallengeStatus.ESCALATED.value, "Escalate"),
                                        (ChallengeStatus.OPEN.value, "Ask the agency for more")],
                               widget=forms.RadioSelect, label="Decision")
    outcome = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Outcome")

