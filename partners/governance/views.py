"""Governance pages: the business manager keeps meetings, attendance, the budget and priorities."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.periods import FinancialYear

from ..access import MANAGERS, READERS, agencies_in_partnership, require_roles, subgroups_for
from ..lifecycle import active_during_q
from ..models import Budget, BudgetLine, Meeting, Priority, Seat
from . import selectors, services
from .forms import (
    AttendanceTargetForm,
    BudgetForm,
    BudgetLineForm,
    MeetingForm,
    PriorityForm,
    SeatEditForm,
    SeatForm,
)


def _year_from(request) -> FinancialYear:
    text = request.GET.get("year", "")
    try:
        return FinancialYear.parse(text) if text else FinancialYear.containing(timezone.localdate())
    except ValueError:
        raise Http404("No such year")


def _meetings_for(user):
    return Meeting.objects.filter(partnership_id=user.partnership_id)


@require_roles(*READERS)
def governance_index(request):
    year = _year_from(request)
    pid = request.user.partnership_id
    years = set(selectors.governance_years(partnership_id=pid)) | {year.start_year}
    # Lists that scale (issue 16.6): the year's meetings filtered by body, 50 a page.
    bodies = list(subgroups_for(request.user).order_by("name"))
    form = ListFilter(request.GET, kinds=("Body", [(b.pk, b.name) for b in bodies]), search_label="Notes contain")
    meetings = selectors.meeting_list(partnership_id=pid, year_start=year.start_year)
    if form.value("kind"):
        meetings = meetings.filter(subgroup_id=form.value("kind"))
    if form.value("q"):
        meetings = meetings.filter(notes__icontains=form.value("q"))
    page, query = page_of(request, meetings)
    return render(request, "partners/governance/index.html", {
        "year": year,
        "years": [FinancialYear(y) for y in sorted(years, reverse=True)],
        "meetings": page.object_list, "page": page, "query": query, "filter_form": form,
        "filter_hidden": [("year", year.label)],
        "attendance": selectors.attendance_by_seat(partnership_id=pid, year_start=year.start_year),
        "budget": selectors.budget_summary(partnership_id=pid, year_start=year.start_year),
        "priorities": selectors.priority_list(partnership_id=pid, year_start=year.start_year),
        "next_priorities": selectors.priority_list(partnership_id=pid, year_start=year.start_year + 1),
    })


def _index(year_start: int) -> str:
    return f"{reverse('partners:governance')}?year={FinancialYear(year_start).label}"


def _chosen_subgroup(request):
    pk = request.GET.get("subgroup", "")
    if not pk.isdigit():
        return None
    return get_object_or_404(subgroups_for(request.user), pk=pk)


@require_roles(*MANAGERS)
def meeting_create(request):
    """Record a meeting of one body: first choose the body, then attendance per seat (issue 12.3)."""
    subgroup = _chosen_subgroup(request)
    if subgroup is None:
        return render(request, "partners/governance/meeting_choose.html",
                      {"subgroups": subgroups_for(request.user).order_by("-is_board", "name")})
    seats = list(selectors.seat_list(subgroup_id=subgroup.pk).filter(is_active=True))
    form = MeetingForm(request.POST or None, subgroups=subgroups_for(request.user), seats=seats,
                       initial={"subgroup": subgroup.pk}, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user, partnership=request.user.partnership, subgroup=subgroup,
                held_on=data["held_on"], notes=data["notes"], attendance=form.attendance())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The meeting of {meeting.subgroup} has been recorded.")
            return redirect(_index(FinancialYear.containing(meeting.held_on).start_year))
    return render(request, "partners/governance/meeting_form.html",
                  {"form": form, "meeting": None, "subgroup": subgroup, "seats": seats})


@require_roles(*MANAGERS)
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(_meetings_for(request.user).select_related("subgroup"), pk=pk)
    current = dict(meeting.attendance.values_list("seat_id", "status"))
    # The body's seats now, and any seat (since retired) that has attendance at this meeting.
    seats = [s for s in selectors.seat_list(subgroup_id=meeting.subgroup_id) if s.is_active or s.pk in current]
    initial = {"subgroup": meeting.subgroup_id, "held_on": meeting.held_on, "notes": meeting.notes,
               **{f"seat_{s.pk}": current.get(s.pk, "") for s in seats}}
    form = MeetingForm(request.POST or None, subgroups=subgroups_for(request.user), seats=seats,
                       initial=initial, updated_at=meeting.updated_at, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(actor=request.user, meeting=meeting, version=data["version"],
                                    held_on=data["held_on"], notes=data["notes"], attendance=form.attendance())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The meeting has been saved.")
            return redirect(_index(FinancialYear.containing(data["held_on"]).start_year))
    return render(request, "partners/governance/meeting_form.html",
                  {"form": form, "meeting": meeting, "subgroup": meeting.subgroup, "seats": seats})


@require_roles(*MANAGERS)
def seat_create(request, slug: str):
    """Add a seat to a body: an agency, or a named role that is no agency (issue 12.3)."""
    subgroup = get_object_or_404(subgroups_for(request.user), slug=slug)
    today = timezone.localdate()
    agencies = agencies_in_partnership(request.user).filter(active_during_q(today)).exclude(
        seats__subgroup=subgroup).order_by("name")
    form = SeatForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = services.seat_create(actor=request.user, subgroup=subgroup, agency=data["agency"],
                                        role=data["role_name"], holder=data["holder"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"A seat for {seat.label} has been added to {subgroup.name}.")
            return redirect("partners:subgroup_detail", slug=subgroup.slug)
    return render(request, "partners/governance/seat_form.html", {"form": form, "subgroup": subgroup, "seat": None})


@require_roles(*MANAGERS)
def seat_edit(request, slug: str, pk: int):
    subgroup = get_object_or_404(subgroups_for(request.user), slug=slug)
    seat = get_object_or_404(Seat.objects.select_related("agency").filter(subgroup=subgroup), pk=pk)
    form = SeatEditForm(request.POST or None, is_agency=seat.is_agency, updated_at=seat.updated_at,
                        initial={"role": seat.role, "holder": seat.holder, "is_active": seat.is_active})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seat_update(actor=request.user, seat=seat, version=data["version"], holder=data["holder"],
                                 is_active=data["is_active"], role=data.get("role"))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The seat has been saved.")
            return redirect("partners:subgroup_detail", slug=subgroup.slug)
    return render(request, "partners/governance/seat_form.html", {"form": form, "subgroup": subgroup, "seat": seat})


@require_roles(*MANAGERS)
def attendance_target_edit(request):
    """The partnership's attendance target (a setting; issue 12.3)."""
    partnership = request.user.partnership
    form = AttendanceTargetForm(request.POST or None, initial={"attendance_target": partnership.attendance_target})
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_set_attendance_target(actor=request.user, partnership=partnership,
                                                       attendance_target=form.cleaned_data["attendance_target"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The attendance target has been saved.")
            return redirect("partners:governance")
    return render(request, "partners/governance/attendance_target_form.html", {"form": form})


@require_roles(*MANAGERS)
def budget_edit(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404("No such year")
    budget = Budget.objects.filter(partnership_id=request.user.partnership_id, year_start=year).first()
    # Boxes for the agencies active in the year, and for any that already has a contribution
    # recorded (so a past mistake can still be corrected): issue 12.6.
    fy = FinancialYear(year)
    recorded = Q(contributions__budget=budget) if budget else Q(pk__in=[])
    agencies = (agencies_in_partnership(request.user).filter(active_during_q(fy.start, fy.end) | recorded)
                .distinct().order_by("name"))
    initial = {"reserves_used": 0}
    if budget:
        initial = {"reserves_used": budget.reserves_used, "notes": budget.notes}
        for c in budget.contributions.all():
            initial[f"cash_{c.agency_id}"], initial[f"kind_{c.agency_id}"] = c.cash, c.in_kind
    form = BudgetForm(request.POST or None, agencies=agencies, initial=initial,
                      updated_at=budget.updated_at if budget else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if budget is None:
                budget = services.budget_ensure(actor=request.user, partnership=request.user.partnership,
                                                year_start=year)
                data["version"] = budget.updated_at.isoformat()
            services.budget_update(actor=request.user, budget=budget, version=data["version"],
                                   reserves_used=data["reserves_used"], notes=data["notes"],
                                   contributions=form.contributions())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The budget has been saved.")
            return redirect(_index(year))
    summary = selectors.budget_summary(partnership_id=request.user.partnership_id, year_start=year)
    return render(request, "partners/governance/budget_form.html", {
        "form": form, "year": FinancialYear(year), "summary": summary, "line_form": BudgetLineForm()})


@require_roles(*MANAGERS)
def budget_line_add(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404("No such year")
    form = BudgetLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget = services.budget_ensure(actor=request.user, partnership=request.user.partnership,
                                            year_start=year)
            services.budget_line_add(actor=request.user, budget=budget, category=data["category"],
                                     amount=data["amount"], description=data["description"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The line has been added to the budget.")
            return redirect("partners:budget_edit", year=year)
    return render(request, "partners/governance/budget_line_form.html", {"form": form, "year": FinancialYear(year)})


@require_POST
@require_roles(*MANAGERS)
def budget_line_delete(request, pk: int):
    line = get_object_or_404(BudgetLine.objects.select_related("budget__partnership")
                             .filter(budget__partnership_id=request.user.partnership_id), pk=pk)
    year = line.budget.year_start
    services.budget_line_delete(actor=request.user, line=line)
    messages.success(request, "The line has been removed from the budget.")
    return redirect("partners:budget_edit", year=year)


@require_roles(*MANAGERS)
def priority_create(request):
    year = _year_from(request)
    form = PriorityForm(request.POST or None, initial={"year": year.label, "position": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            priority = services.priority_create(
                actor=request.user, partnership=request.user.partnership, year_start=data["year"].start_year,
                title=data["title"], outcome=data["outcome"], actions=data["actions"], progress=data["progress"],
                status=data["status"], position=data["position"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The priority ‘{priority.title}’ has been added.")
            return redirect(_index(priority.year_start))
    return render(request, "partners/governance/priority_form.html", {"form": form, "priority": None})


@require_roles(*MANAGERS)
def priority_edit(request, pk: int):
    priority = get_object_or_404(Priority.objects.filter(partnership_id=request.user.partnership_id), pk=pk)
    initial = {"year": FinancialYear(priority.year_start).label, "position": priority.position,
               "title": priority.title, "outcome": priority.outcome, "actions": priority.actions,
               "progress": priority.progress, "status": priority.status}
    form = PriorityForm(request.POST or None, initial=initial, updated_at=priority.updated_at)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.priority_update(
                actor=request.user, priority=priority, version=data["version"],
                year_start=data["year"].start_year, title=data["title"], outcome=data["outcome"],
                actions=data["actions"], progress=data["progress"], status=data["status"],
                position=data["position"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The priority has been saved.")
            return redirect(_index(data["year"].start_year))
    return render(request, "partners/governance/priority_form.html", {"form": form, "priority": priority})
