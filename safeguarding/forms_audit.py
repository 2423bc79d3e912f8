from django import forms

from .forms import DateInput, GovukForm


class AuditFilterForm(GovukForm):
    action = forms.ChoiceField(required=False, label="What happened")
    object_type = forms.ChoiceField(required=False, label="Kind of record")
    actor = forms.CharField(required=False, max_length=254, label="Who (email contains)")
    date_from = forms.DateField(required=False, label="From", widget=DateInput)
    date_to = forms.DateField(required=False, label="To", widget=DateInput)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any")] + [(a, a) for a in choices["actions"]]
        self.fields["object_type"].choices = [("", "Any")] + [(t, t) for t in choices["object_types"]]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
