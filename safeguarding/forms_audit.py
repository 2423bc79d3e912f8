from django import forms

from .forms import DateInput, GovukForm


class AuditFilterForm(GovukForm):
    """The audit log's filters, in words (issue 16.6): the person, what happened, the kind of
    record, the record's name (or id) and the day range."""

    person = forms.ChoiceField(required=False, label="Who")
    action = forms.ChoiceField(required=False, label="What happened")
    object_type = forms.ChoiceField(required=False, label="Kind of record")
    q = forms.CharField(required=False, max_length=200, label="Record name or number")
    actor = forms.CharField(required=False, max_length=254, label="Email contains")
    date_from = forms.DateField(required=False, label="From", widget=DateInput)
    date_to = forms.DateField(required=False, label="To", widget=DateInput)

    def __init__(self, *args, choices: dict, **kwargs):
        from .audit_words import describe_action, kind_word

        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone")] + [(str(pk), name) for pk, name in choices.get("people", [])]
        # "Approved the … (annual_report.approved)", not the fragment "Approved the".
        actions = [(a, describe_action(a).replace("{record}", "…").capitalize() + f" ({a})")
                   for a in choices["actions"]]
        self.fields["action"].choices = [("", "Anything")] + sorted(actions, key=lambda pair: pair[1])
        # Events about no record (a sign-in) have no kind to filter by: "" is already "Any".
        self.fields["object_type"].choices = [("", "Any")] + sorted(
            ((t, kind_word(t)) for t in choices["object_types"] if t), key=lambda pair: pair[1])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
