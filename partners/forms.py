from __future__ import annotations

from django import forms

from safeguarding.email_canonical import CanonicalEmailField
from safeguarding.forms import DateInput, GovukForm, VersionedForm

from .models import Agency, AgencyType, Role, Subgroup, User


class AgencyForm(VersionedForm):
    name = forms.CharField(max_length=200, label="Name")
    agency_type = forms.ChoiceField(choices=AgencyType.choices, label="Type of agency")
    membership = forms.ChoiceField(choices=Agency.Membership.choices, label="Place in the partnership",
                                   widget=forms.RadioSelect)
    parent = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False,
                                    label="Part of (optional)")
    aliases = forms.CharField(
        required=False, label="Other names (optional)", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: old names and abbreviations, used to match uploaded spreadsheets.",
        max_length=2000,
    )
    active_from = forms.DateField(required=False, label="Active from (optional)", widget=DateInput)
    active_to = forms.DateField(required=False, label="Active until (optional)", widget=DateInput)
    replaced_by = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False,
                                         label="Replaced by (optional)")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("parent", "replaced_by"):
            self.fields[name].queryset = agencies if agencies is not None else Agency.objects.none()

    def clean(self):
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", "The end date must be on or after the start date.")
        return data

    def alias_list(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data.get("aliases", "").splitlines() if n.strip()]

    def clean_aliases(self):
        value = self.cleaned_data.get("aliases", "")
        if any(len(line.strip()) > 200 for line in value.splitlines()):
            raise forms.ValidationError("Each other name must be 200 characters or fewer.")
        return value


class SubgroupForm(VersionedForm):
    name = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=30, required=False, label="Short name (optional)")
    remit = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    chair = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                   label="Chair (a person with an account)")
    chair_name = forms.CharField(max_length=200, required=False,
                                 label="Or the chair's name, if they do not sign in")
    cadence = forms.ChoiceField(choices=Subgroup.Cadence.choices, label="How often it meets")
    parent = forms.ModelChoiceField(queryset=Subgroup.objects.none(), required=False,
                                    label="Reports to (optional)")
    is_board = forms.BooleanField(required=False, label="This is the partnership board")

    def __init__(self, *args, people=None, subgroups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people if people is not None else User.objects.none()
        self.fields["parent"].queryset = subgroups if subgroups is not None else Subgroup.objects.none()


OWN_ROLE_MESSAGE = "You cannot change your own role. Ask an administrator."


class PersonForm(VersionedForm):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = CanonicalEmailField(max_length=254, label="Email address")
    job_title = forms.CharField(max_length=150, required=False, label="Job title (optional)")
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Agencies they submit for", help_text="Only for agency submitters.",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Can sign in")

    def __init__(self, *args, agencies=None, creating: bool = False, actor=None, person=None, **kwargs):
        """``actor`` is the person filling the form: only an administrator is offered the
        administrator role, and nobody may change their own role (``person``), issue 11.1. The
        services enforce both again."""
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies if agencies is not None else Agency.objects.none()
        if creating:
            del self.fields["is_active"]
        if actor is not None and not actor.is_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]
        if actor is not None and person is not None and actor.pk == person.pk:
            self.fields["role"].disabled = True
            self.fields["role"].help_text = OWN_ROLE_MESSAGE
            self.fields["is_active"].disabled = True

    def clean(self):
        """A disabled field ignores what is posted, so a crafted POST naming another role for
        one's own record would "save" with the role unchanged: it is refused beside the field
        instead, in the service's words (``services.person_update``)."""
        data = super().clean()
        role = self.fields["role"]
        posted = self.data.get(self.add_prefix("role"))
        if role.disabled and posted is not None and posted != str(self.get_initial_for_field(role, "role")):
            self.add_error("role", OWN_ROLE_MESSAGE)
        if data.get("role") == Role.AGENCY_SUBMITTER and not data.get("agencies"):
            self.add_error("agencies", "Choose the agency or agencies this person submits for.")
        return data


class PartnershipStartForm(GovukForm):
    """The no-partnership page's form: the same fields as ``manage.py create_partnership``."""

    name = forms.CharField(max_length=200, label="The partnership's name",
                           help_text="For example, Northshire Safeguarding Children Partnership.")
    area = forms.CharField(max_length=120, required=False, label="Local authority area (optional)")
    manager_name = forms.CharField(max_length=150, required=False, label="Business manager's full name")
    manager_email = CanonicalEmailField(max_length=254, label="Business manager's email address",
                                     help_text="They get an email with a link to set their password.")
