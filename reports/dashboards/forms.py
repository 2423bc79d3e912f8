"""The dashboards' filter forms: GET forms, so a filtered view is a link that can be shared."""

from __future__ import annotations

from django import forms

from partners.models import AgencyType
from safeguarding.forms import GovukForm
from safeguarding.forms import Select as LongSelect

HEALTH = "health"
AGENCY_TYPE_CHOICES = [("", "All agencies"), (HEALTH, "Health agencies"), *AgencyType.choices]
SPANS = [(8, "8 quarters"), (12, "12 quarters"), (20, "20 quarters")]
SORT_CHOICES = [("severity", "Red first, then largest movement"), ("movement", "Largest movement"),
                ("agency", "Agency"), ("indicator", "Indicator")]


class DashboardFilter(GovukForm):
    """Quarter, domain and agency type; invalid values fall back to the defaults."""

    # Every pick-list here is the portal's quick Select: a partnership's quarters and agencies run
    # to hundreds.
    quarter = forms.ChoiceField(label="Quarter", required=False, widget=LongSelect)
    domain = forms.ChoiceField(label="Domain", required=False, widget=LongSelect)
    agency_type = forms.ChoiceField(label="Type of agency", required=False, choices=AGENCY_TYPE_CHOICES,
                                    widget=LongSelect)

    def __init__(self, data, *, quarters, domains, all_domains: bool = True):
        super().__init__(data)
        self.fields["quarter"].choices = [(q.label, q.label) for q in reversed(quarters)]
        self.fields["domain"].choices = ([("", "All domains")] if all_domains else []) + list(domains)

    def value(self, name: str, default: str = "") -> str:
        self.is_valid()  # a bad field is dropped from cleaned_data (and shown); the others still apply
        return self.cleaned_data.get(name) or default


class TrendFilter(DashboardFilter):
    span = forms.TypedChoiceField(label="Quarters shown", required=False, choices=SPANS, coerce=int, empty_value=12,
                                  widget=LongSelect)
    focus = forms.ChoiceField(label="Agency to draw on the charts", required=False, widget=LongSelect)
    recalc = forms.ChoiceField(label="Recalculate SPC limits from", required=False, widget=LongSelect,
                               help_text="A quarter where the process changed: limits before and after it are "
                                         "calculated apart (each needs 12 quarters).")

    def __init__(self, data, *, quarters, agencies):
        super().__init__(data, quarters=quarters, domains=[])
        del self.fields["domain"]
        self.fields["quarter"].label = "Last quarter shown"
        self.fields["focus"].choices = [("", "None (the partnership only)")] + [(a.slug, a.name) for a in agencies]
        self.fields["recalc"].choices = [("", "No recalculation (one set of limits)")] + [
            (q.label, q.label) for q in quarters[1:]]


class ExceptionFilter(DashboardFilter):
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES, widget=LongSelect)

    def __init__(self, data, *, quarters, domains):
        super().__init__(data, quarters=quarters, domains=domains)
        del self.fields["agency_type"]
