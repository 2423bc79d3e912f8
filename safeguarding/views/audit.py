"""The audit log, in words, with filters by person, what happened, record and date (issue 16.6)."""

from django.shortcuts import render

from partners.access import MANAGERS, require_roles
from safeguarding.audit_words import describe
from safeguarding.forms_audit import AuditFilterForm
from safeguarding.listing import page_of
from safeguarding.selectors import audit_events, audit_filter_choices


@require_roles(*MANAGERS)
def audit_log(request):
    choices = audit_filter_choices(partnership_id=request.user.partnership_id)
    form = AuditFilterForm(request.GET or None, choices=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(partnership_id=request.user.partnership_id, **filters)
    page, query = page_of(request, events)
    return render(request, "audit/log.html", {"form": form, "page": page, "rows": describe(page.object_list),
                                              "query": query})
