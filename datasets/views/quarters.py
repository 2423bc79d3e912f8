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

from .. import conf, selectors, services
from ..forms import QuarterDatesForm, QuarterForm
from ..models import Quarter


def _quarter(request, pk: int) -> Quarter:
    return get_object_or_404(Quarter.objects.filter(partnership_id=request.user.partnership_id), pk=pk)


@login_required
def quarter_list(request):
    quarters = selectors.quarters_of(request.user.partnership_id or 0)
    quarters.reverse()
    summaries = selectors.completeness_for(quarters) if request.user.reads_everything else []
    return render(request, "datasets/quarter_list.html", {
        "rows": list(zip(quarters, summaries or [None] * len(quarters), strict=True))})


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
    """Every agency's return for the quarter; the designated nurse sees the health economy."""
    user = request.user
    if not (user.reads_everything or user.is_designated):
        raise PermissionDenied("Your role does not give you access to this page.")
    quarter = _quarter(request, pk)
    health_only = user.is_designated or request.GET.get("health") == "1"
    result = selectors.quarter_completeness(quarter, health_only=health_only)
    return render(request, "datasets/completeness.html",
                  {"quarter": quarter, "result": result, "health_only": health_only})
