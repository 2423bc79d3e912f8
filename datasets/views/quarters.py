"""Reporting quarters, and each quarter's completeness and timeliness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from partners.access import MANAGERS, require_roles
from safeguarding.confirmation import Confirmation, confirm_then_act
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.workflow import ReturnStatus

from .. import conf, selectors, services
from ..forms import QuarterDatesForm, QuarterForm
from ..models import Quarter


def _quarter(request, pk: int) -> Quarter:
    return get_object_or_404(Quarter.objects.filter(partnership_id=request.user.partnership_id), pk=pk)


@login_required
def quarter_list(request):
    """The quarters, newest first: searched by label ("2024/25"), filtered by open or closed, 50 a
    page (issue 16.6); completeness is worked out for the page's quarters only."""
    form = ListFilter(request.GET, statuses=[("open", "Open"), ("closed", "Closed")],
                      search_label="Quarter contains, for example 2024/25")
    quarters = selectors.quarters_of(request.user.partnership_id or 0)
    quarters.reverse()
    if form.value("status"):
        quarters = [q for q in quarters if q.is_closed == (form.value("status") == "closed")]
    if form.value("q"):
        quarters = [q for q in quarters if form.value("q").lower() in q.label.lower()]
    page, query = page_of(request, quarters)
    shown = list(page.object_list)
    summaries = selectors.completeness_for(shown) if request.user.reads_everything else []
    return render(request, "datasets/quarter_list.html", {
        "rows": list(zip(shown, summaries or [None] * len(shown), strict=True)),
        "page": page, "query": query, "filter_form": form})


@require_roles(*MANAGERS)
def quarter_create(request):
    form = QuarterForm(request.POST or None, initial={"due_days": conf.due_days()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quarter = services.quarter_create(actor=request.user, partnership=request.user.partnership,
                                              period=data["period"], opens_on=data["opens_on"],
                                              due_days=data["due_days"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{quarter.label} has been set up: returns are due on "
                                      f"{quarter.due_on:%-d %B %Y}.")
            return redirect("datasets:quarter_list")
    return render(request, "datasets/quarter_form.html", {"form": form})


@require_roles(*MANAGERS)
def quarter_edit(request, pk: int):
    """Change a quarter's dates: most often, extending the deadline."""
    quarter = _quarter(request, pk)
    form = QuarterDatesForm(request.POST or None, initial={"opens_on": quarter.opens_on, "due_on": quarter.due_on},
                            updated_at=quarter.updated_at)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quarter = services.quarter_update(actor=request.user, quarter=quarter, opens_on=data["opens_on"],
                                              due_on=data["due_on"], version=data["version"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{quarter.label}: returns are now due on {quarter.due_on:%-d %B %Y}.")
            return redirect("datasets:quarter_list")
    return render(request, "datasets/quarter_edit.html", {"form": form, "quarter": quarter})


@require_roles(*MANAGERS)
def quarter_close(request, pk: int):
    """GET: what closing (or reopening) the quarter locks or unlocks; POST: do it (issue 16.5)."""
    quarter = _quarter(request, pk)

    def act(_data) -> str:
        if quarter.is_closed:
            services.quarter_reopen(actor=request.user, quarter=quarter)
            return f"{quarter.label} has been reopened."
        services.quarter_close(actor=request.user, quarter=quarter)
        return f"{quarter.label} has been closed."

    return confirm_then_act(request, page=lambda: _close_confirmation(quarter), act=act,
                            done_url=reverse("datasets:quarter_list"))


def _close_confirmation(quarter) -> Confirmation:
    from collections import Counter

    from safeguarding.workflow import ReturnStatus

    statuses = Counter(quarter.returns.values_list("status", flat=True))
    accepted = statuses.get(ReturnStatus.ACCEPTED, 0)
    waiting = sum(statuses.values()) - accepted
    if quarter.is_closed:
        locks = [f"Returns for {quarter.label} can be opened, changed and submitted again.",
                 "Its accepted returns stay accepted: each still needs reopening, with a reason, to change."]
        title = f"Reopen {quarter.label}"
    else:
        locks = [f"No return for {quarter.label} can be opened, changed, submitted or resubmitted.",
                 f"{accepted} accepted return{'s' if accepted != 1 else ''} become final for the reports.",
                 f"{waiting} return{'s' if waiting != 1 else ''} not yet accepted stay as they are: "
                 "reopen the quarter to take them."]
        title = f"Close {quarter.label}"
    return Confirmation(title=title, button=title, caption="Reporting quarters",
                        back_url=reverse("datasets:quarter_list"), locks=locks, warning=not quarter.is_closed)


@login_required
def completeness(request, pk: int):
    """Every agency's return for the quarter (the designated nurse sees the health economy): the
    rates over them all; the list searched by agency, filtered by status and timeliness, 50 a page."""
    user = request.user
    if not (user.reads_everything or user.is_designated):
        raise PermissionDenied("Your role does not give you access to this page.")
    quarter = _quarter(request, pk)
    health_only = user.is_designated or request.GET.get("health") == "1"
    result = selectors.quarter_completeness(quarter, health_only=health_only)
    form = ListFilter(request.GET, statuses=[("not_started", "Not started"), *ReturnStatus.choices],
                      kinds=("Timeliness", TIMELINESS), search_label="Agency name contains")
    rows = result.rows
    if form.value("status"):
        rows = [row for row in rows if row.status == form.value("status")]
    if form.value("kind"):
        rows = [row for row in rows if row.timeliness == form.value("kind")]
    if form.value("q"):
        rows = [row for row in rows if form.value("q").lower() in row.agency.name.lower()]
    page, query = page_of(request, rows)
    return render(request, "datasets/completeness.html",
                  {"quarter": quarter, "result": result, "health_only": health_only, "rows": page.object_list,
                   "page": page, "query": query, "filter_form": form,
                   "filter_hidden": [("health", "1")] if health_only and not user.is_designated else []})


# The completeness list's timeliness filter (``CompletenessRow.timeliness``).
TIMELINESS = [("on_time", "On time"), ("late", "Late"), ("overdue", "Overdue"), ("not_due", "Not yet due"),
              ("historical", "Historical")]
