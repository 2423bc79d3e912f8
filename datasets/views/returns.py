"""Returns: the list, the form, "check your answers", the return's page and its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partners.access import agencies_for, agencies_readable_by, can_act_for
from safeguarding.errors import DomainError, StaleEdit
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, choices_of, page_of
from safeguarding.workflow import ReturnStatus, may, query_thread

from .. import selectors, services
from ..forms import CommentForm, ReturnForm
from ..models import Quarter
from ..services.parsing import format_figure
from ..validation import field_name


@login_required
def return_list(request):
    """Returns due from the person, awaiting review, and every return in scope: searched by
    agency, filtered by status, quarter and agency, 50 a page (issue 16.6)."""
    user = request.user
    quarters = selectors.quarters_of(user.partnership_id) if user.partnership_id else []
    agencies = list(agencies_readable_by(user).order_by("name")) if user.partnership_id else []
    form = ListFilter(request.GET, statuses=ReturnStatus.choices,
                      quarters=[(q.pk, q.label) for q in reversed(quarters)], agencies=choices_of(agencies),
                      search_label="Agency name contains")
    quarter = next((q for q in quarters if str(q.pk) == form.value("quarter")), None)
    returns = selectors.returns_list(user, quarter=quarter, status=form.value("status") or None)
    if form.value("agency"):
        returns = returns.filter(agency_id=form.value("agency"))
    if form.value("q"):
        returns = returns.filter(agency__name__icontains=form.value("q"))
    page, query = page_of(request, returns.select_related("agency", "quarter"))
    return render(request, "datasets/return_list.html", {
        "due": selectors.my_returns_due(user) if agencies_for(user).exists() else [],
        "awaiting": list(selectors.returns_awaiting_review(user)[:100]),
        "returns": page.object_list, "page": page, "query": query, "filter_form": form,
        "quarter": quarter,
    })


@require_POST
@login_required
def return_start(request, quarter_pk: int, agency_slug: str):
    """Open (or find) an agency's return for a quarter and go to its form."""
    quarter = get_object_or_404(Quarter, pk=quarter_pk, partnership_id=request.user.partnership_id)
    agency = get_object_or_404(agencies_for(request.user), slug=agency_slug)
    try:
        ret, _ = services.return_get_or_create(actor=request.user, agency=agency, quarter=quarter)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("datasets:return_list")
    return redirect("datasets:return_edit", pk=ret.pk)


def _initial(sheet) -> dict:
    initial = {}
    for line in sheet.lines:
        total = line.figures.total
        for column in ("value", "numerator", "denominator"):
            initial[field_name(line.indicator.pk, None, column)] = format_figure(getattr(total, column))
        if total.computed:  # a total or ratio the portal worked out stays blank for the person
            initial[field_name(line.indicator.pk, None, "value")] = ""
        initial[field_name(line.indicator.pk, None, "narrative")] = total.narrative
        if not total.computed:
            initial[field_name(line.indicator.pk, None, "na_reason")] = total.na_reason
            initial[field_name(line.indicator.pk, None, "na_note")] = total.na_note
        initial[field_name(line.indicator.pk, None, "source")] = total.source
        initial[field_name(line.indicator.pk, None, "source_date")] = (
            total.source_date.strftime("%d/%m/%Y") if total.source_date else "")
        for part in line.parts:
            figures = line.figures.parts.get(part.pk)
            text = format_figure(figures.value) if figures else ""
            if figures and figures.na_reason:
                text = "not known"
            initial[field_name(line.indicator.pk, part.pk, "value")] = text
    return initial


def _layout(sheet, form) -> list[tuple[str, list[dict]]]:
    """The form's fields grouped by domain, one block per indicator, for the template."""
    groups = []
    for label, lines in sheet.domains:
        blocks = []
        for line in lines:
            ind = line.indicator
            narrative = form[field_name(ind.pk, None, "narrative")]
            blocks.append({
                "line": line,
                "inputs": [form[field_name(ind.pk, None, c)] for c in
                           (("numerator", "denominator") if ind.is_ratio else ("value",))],
                "published": [form[field_name(ind.pk, None, c)] for c in ("value", "source", "source_date")]
                if ind.is_ratio else [],
                "na": [form[field_name(ind.pk, None, c)] for c in ("na_reason", "na_note")],
                "parts": [(part, form[field_name(ind.pk, part.pk, "value")]) for part in line.parts],
                "narrative": narrative,
                "show_narrative": line.needs_narrative or bool(narrative.value()) or bool(narrative.errors),
            })
        groups.append((label, blocks))
    return groups


def _editable_return(request, pk: int):
    ret = selectors.return_for(request.user, pk)
    if not can_act_for(request.user, ret.agency):
        raise PermissionDenied("You can read this return but not change it.")
    return ret


@login_required
def return_edit(request, pk: int):
    ret = _editable_return(request, pk)
    if not ret.is_editable:
        messages.info(request, f"This return is {ret.get_status_display().lower()}: its figures cannot be changed.")
        return redirect("datasets:return_detail", pk=ret.pk)
    sheet = selectors.return_sheet(ret)
    form = ReturnForm(request.POST or None, sheet=sheet, initial=_initial(sheet), updated_at=ret.updated_at)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.return_values_save(actor=request.user, ret=ret, version=form.cleaned_data["version"],
                                                 entries=form.entries(), catalogue=sheet.catalogue)
        except services.FiguresRefused as refused:
            for _ret_id, problem in refused.problems:
                name = problem.field_name if problem.field_name in form.fields else None
                form.add_error(name, problem.message if name else str(problem))
        except StaleEdit as error:
            # Show what is there now, with the warning: nothing of theirs was saved.
            ret = selectors.return_for(request.user, pk)
            sheet = selectors.return_sheet(ret)
            form = ReturnForm(sheet=sheet, initial=_initial(sheet), updated_at=ret.updated_at)
            return render(request, "datasets/return_form.html", {
                "ret": ret, "sheet": sheet, "form": form, "groups": _layout(sheet, form), "stale": error.message})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if result.changed:
                messages.success(request, f"Your draft has been saved ({result.changed} figures changed).")
            if "check" in request.POST:
                return redirect("datasets:return_check", pk=ret.pk)
            return redirect("datasets:return_edit", pk=ret.pk)
    return render(request, "datasets/return_form.html",
                  {"ret": ret, "sheet": sheet, "form": form, "groups": _layout(sheet, form),
                   "thread": query_thread(ret)})



@login_required
def return_check(request, pk: int):
    """Check your answers, then submit (or resubmit with the answer to the query)."""
    ret = _editable_return(request, pk)
    if not ret.is_editable:
        return redirect("datasets:return_detail", pk=ret.pk)
    resubmitting = ret.status == ReturnStatus.QUERIED
    form = CommentForm(request.POST or None, required=resubmitting,
                       label="Your answer to the query" if resubmitting else "Comment for the reviewer (optional)")
    problems = None
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if resubmitting:
                services.return_resubmit(actor=request.user, ret=ret, comment=comment)
            else:
                services.return_submit(actor=request.user, ret=ret, comment=comment)
        except services.ReturnProblems as error:
            problems = error.details
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The return for {ret.agency} {ret.quarter.label} has been "
                                      f"{'resubmitted' if resubmitting else 'submitted'}.")
            return redirect("datasets:return_detail", pk=ret.pk)
    sheet = selectors.return_sheet(ret)
    if problems is None:
        problems = services.check_ready(ret, catalogue=sheet.catalogue)
    last_query = ret.events.filter(action="query").order_by("-occurred_at").first() if resubmitting else None
    return render(request, "datasets/return_check.html", {
        "ret": ret, "sheet": sheet, "form": form, "problems": problems, "resubmitting": resubmitting,
        "last_query": last_query})


@login_required
def return_detail(request, pk: int):
    ret = selectors.return_for(request.user, pk)
    sheet = selectors.return_sheet(ret)
    user = request.user
    events = list(ret.events.select_related("actor").order_by("-occurred_at", "-id")[:5])
    return render(request, "datasets/return_detail.html", {
        "ret": ret, "sheet": sheet, "events": events,
        "can_edit": ret.is_editable and can_act_for(user, ret.agency) and not ret.quarter.is_closed,
        "can_review": may(user, ret, "query"),
        "can_accept": may(user, ret, "accept"),
        "can_reopen": may(user, ret, "reopen"),
        "open_query": events[0] if events and ret.status == ReturnStatus.QUERIED else None,
        "accept_form": CommentForm(required=False, label="Comment (optional)"),
    })


@login_required
def return_history(request, pk: int):
    ret = selectors.return_for(request.user, pk)
    return render(request, "datasets/return_history.html", {"ret": ret, **selectors.return_history(ret)})
