"""The person's notifications page: everything they have been told, and how they want emails."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from safeguarding.errors import DomainError
from safeguarding.forms import GovukForm, apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.models import EmailMode
from safeguarding.notifications import email_mode_for, email_mode_set, notifications_for, notifications_mark_read


class EmailModeForm(GovukForm):
    email_mode = forms.ChoiceField(choices=EmailMode.choices, widget=forms.RadioSelect,
                                   label="How should we email you your notifications?",
                                   help_text="Either way, every notification is also listed here and on your "
                                             "home page.")


@login_required
def notifications(request):
    """GET: the person's notifications, newest first, and their email choice. POST
    ``email_mode``: change the choice; POST ``mark_read``: mark every notification read."""
    form = EmailModeForm(request.POST if "email_mode" in request.POST else None,
                         initial={"email_mode": email_mode_for(request.user)})
    if request.method == "POST":
        if "mark_read" in request.POST:
            count = notifications_mark_read(actor=request.user)
            messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
            return redirect("notifications")
        if form.is_valid():
            try:
                email_mode_set(actor=request.user, mode=form.cleaned_data["email_mode"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, "Your email choice has been saved.")
                return redirect("notifications")
    # Lists that scale (issue 16.6): searched by subject, new or read, 50 a page.
    filter_form = ListFilter(request.GET, statuses=[("new", "New"), ("read", "Read")],
                             search_label="Subject contains")
    notes = notifications_for(request.user)
    if filter_form.value("status"):
        notes = notes.filter(read_at__isnull=filter_form.value("status") == "new")
    if filter_form.value("q"):
        notes = notes.filter(subject__icontains=filter_form.value("q"))
    page, query = page_of(request, notes)
    return render(request, "notifications/list.html", {"form": form, "page": page, "query": query,
                                                       "filter_form": filter_form})
