"""Lists that scale (issue 16.6): one filter form (search, status, quarter, agency, and one
list-specific ``kind``) and one way to page, for every list that can pass 50 rows (returns,
actions, challenges, people, agencies, reviews, overdue actions, indicators, quarters, sessions,
meetings, notifications, report builds...).

A view builds ``ListFilter(request.GET, statuses=..., quarters=..., agencies=...)`` offering only
the filters its list has, applies ``form.value(name)`` to its (already scoped) queryset, and calls
``page_of(request, queryset)``; the template includes ``includes/list_filter.html`` and
``includes/pagination.html``. GET forms, so a filtered, paged list is a link that can be shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import forms
from django.core.paginator import Page, Paginator

from .forms import GovukForm

PER_PAGE = 50


class ListFilter(GovukForm):
    """Search text and the filters a list offers; an unknown choice is dropped, not an error page.

    ``statuses``/``quarters``/``agencies``: ``(value, label)`` pairs, or ``None`` to leave the
    filter out. ``search_label`` says what the search looks in ("Agency or quarter")."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    kind = forms.ChoiceField(required=False, label="Kind")
    status = forms.ChoiceField(required=False, label="Status")
    quarter = forms.ChoiceField(required=False, label="Quarter")
    agency = forms.ChoiceField(required=False, label="Agency")

    def __init__(self, data=None, *, statuses: Iterable | None = None, quarters: Iterable | None = None,
                 agencies: Iterable | None = None, kinds: tuple[str, Iterable] | None = None,
                 search_label: str = "Search"):
        """``kinds``: ``(label, choices)`` for one more list-specific choice (an indicator's domain,
        a review's type), named ``kind`` in the query string; ``None`` leaves it out."""
        super().__init__(data or None)
        self.fields["q"].label = search_label
        kind_label, kind_choices = kinds if kinds is not None else ("", None)
        self.fields["kind"].label = kind_label
        for name, choices, everything in (("kind", kind_choices, f"Any {kind_label.lower()}"),
                                          ("status", statuses, "Any status"), ("quarter", quarters, "All quarters"),
                                          ("agency", agencies, "All agencies")):
            if choices is None:
                del self.fields[name]
            else:
                self.fields[name].choices = [("", everything), *((str(v), str(label)) for v, label in choices)]

    @property
    def active(self) -> bool:
        """Whether the person narrowed the list (a search or a filter chosen): then an empty list
        says "no ... match" rather than "none yet"."""
        return any(self.value(name) for name in self.fields)

    def value(self, name: str) -> str:
        """The cleaned value of one filter, or "" (an invalid value is ignored)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return (self.cleaned_data.get(name) or "").strip() if name in self.fields else ""


def page_of(request, items, per_page: int = PER_PAGE) -> tuple[Page, str]:
    """The requested page of ``items`` (a queryset or list; a bad page number gives the nearest
    page) and the query string without ``page``, for the pagination links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def choices_of(objects: Sequence, value: str = "pk", label: str = "name") -> list[tuple[str, str]]:
    """``(value, label)`` pairs from objects' attributes, for a filter's choices."""
    return [(str(getattr(o, value)), str(getattr(o, label))) for o in objects]
