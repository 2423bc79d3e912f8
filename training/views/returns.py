"""Training returns: list, start, fill in, round-trip a spreadsheet, move through the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datasets.models import Quarter
from partners.access import agencies_for, agencies_readable_by, require_roles
from safeguarding.confirmation import Confirmation, confirm_then_act
from safeguarding.errors import DomainError, NotAllowed
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, choices_of, page_of
from safeguarding.upload_preview import upload_page
from safeguarding.workflow import RULES, ReturnStatus, may, query_thread

from .. import selectors, services, spreadsheets
from ..access import training_returns_for
from ..forms import CommentForm, FiguresForm, StartReturnForm
from ..services.returns import FigureInput, FiguresInvalid
from ._common import SUBMITTING

ACTIONS = tuple(RULES)


def _return(request, pk: int):
    return get_object_or_404(training_returns_for(request.user).select_related("agency__partnership", "quarter"),
                             pk=pk)


@login_required
def return_list(request):
    """Training returns in scope: searched by agency, filtered by status, quarter and agency,
    50 a page (issue 16.6)."""
    user = request.user
    quarters = list(Quarter.objects.filter(partnership_id=user.partnership_id).order_by("-year_start", "-number"))
    agencies = list(agencies_readable_by(user).order_by("name")) if user.partnership_id else []
    form = ListFilter(request.GET, statuses=ReturnStatus.choices, quarters=[(q.pk, q.label) for q in quarters],
                      agencies=choices_of(agencies), search_label="Agency name contains")
    returns = selectors.return_list(user=user, status=form.value("status") or None)
    if form.value("quarter"):
        returns = returns.filter(quarter_id=form.value("quarter"))
    if form.value("agency"):
        returns = returns.filter(agency_id=form.value("agency"))
    if form.value("q"):
        returns = returns.filter(agency__name__icontains=form.value("q"))
    page, query = page_of(request, returns)
    return render(request, "training/return_list.html", {
        "returns": page.object_list, "page": page, "query": query, "filter_form": form,
        "to_start": selectors.returns_to_start(user=user),
    })


@require_roles(*SUBMITTING)
@require_POST
def return_start(request):
    form = StartReturnForm(request.POST, agencies=agencies_for(request.user),
                           quarters=Quarter.objects.filter(partnership_id=request.user.partnership_id))
    if not form.is_valid():  # an id out of reach, or not an id at all: nothing to start
        raise Http404("No such agency or quarter.")
    agency, quarter = form.cleaned_data["agency"], form.cleaned_data["quarter"]
    try:
        ret = services.training_return_start(actor=request.user, agency=agency, quarter=quarter)
    except NotAllowed as error:
        raise PermissionDenied(error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("training:return_list")
    return redirect("training:return_edit", pk=ret.pk)


def _actions_for(user, ret) -> list[dict]:
    labels = {"submit": "Submit the return", "resubmit": "Resubmit with your answer", "query": "Query the return",
              "accept": "Accept the return", "reopen": "Reopen the return"}
    return [{"action": a, "label": labels[a], "rule": RULES[a]} for a in ACTIONS if may(user, ret, a)]


@login_required
def return_detail(request, pk: int):
    ret = _return(request, pk)
    detail = selectors.return_detail(ret=ret)
    problems = services.training_return_check(ret) if ret.is_editable else []
    return render(request, "training/return_detail.html", {
        "ret": ret, "detail": detail, "actions": _actions_for(request.user, ret), "problems": problems,
        "can_edit": ret.is_editable and may(request.user, ret, "submit" if ret.status == "draft" else "resubmit"),
        "comment_form": CommentForm(),
    })


@login_required
def return_edit(request, pk: int):
    ret = _return(request, pk)
    agency_action = "submit" if ret.status == ReturnStatus.DRAFT else "resubmit"
    if not ret.is_editable:
        messages.info(request, f"This return is {ret.get_status_display().lower()}: its figures cannot be changed.")
        return redirect("training:return_detail", pk=ret.pk)
    if not may(request.user, ret, agency_action):
        raise PermissionDenied("Only the agency's submitters can change its figures.")
    detail = selectors.return_detail(ret=ret)
    form = FiguresForm(request.POST or None, lines=detail.lines, updated_at=ret.updated_at)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        figures = {line.figure.pk: FigureInput(eligible=data[f"eligible_{line.figure.pk}"],
                                               trained=data[f"trained_{line.figure.pk}"],
                                               narrative=data[f"narrative_{line.figure.pk}"])
                   for line in detail.lines}
        try:
            services.training_return_save(actor=request.user, ret=ret, version=data["version"], figures=figures)
        except FiguresInvalid as error:
            for field, message in error.errors.items():
                form.add_error(field, message)
        except NotAllowed as error:
            raise PermissionDenied(error.message)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The figures have been saved.")
            return redirect("training:return_detail", pk=ret.pk)
    return render(request, "training/return_edit.html", {"ret": ret, "detail": detail, "form": form,
                                                         "thread": query_thread(ret)})


# Steps that lock or unlock the figures ask for confirmation on their own page first (issue 16.5).
CONFIRMED = {"accept": ("Accept this training return", "Accept and lock the return", False),
             "reopen": ("Reopen this accepted training return", "Reopen the return", True)}


def _confirmation(ret, action: str) -> Confirmation:
    from datasets.views.review import accept_locks, reopen_locks

    title, button, warning = CONFIRMED[action]
    figures = ret.figures.exclude(eligible__isnull=True).count() if action == "accept" else 0
    return Confirmation(title=title, caption=f"{ret.agency.name}, {ret.quarter.label}", button=button,
                        back_url=reverse("training:return_detail", args=[ret.pk]), warning=warning,
                        locks=accept_locks(ret, figures) if action == "accept" else reopen_locks(ret))


@login_required
def return_action(request, pk: int, action: str):
    """POST: take the workflow step. GET (accept and reopen only): the confirmation page that
    says what will be locked or unlocked (``safeguarding.confirmation``, as for dataset returns)."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    ret = _return(request, pk)
    detail = reverse("training:return_detail", args=[ret.pk])
    if request.method != "POST" and action not in CONFIRMED:
        return redirect(detail)
    if request.method != "POST" and not may(request.user, ret, action):
        raise PermissionDenied("Your role does not let you do this.")
    rule = RULES[action]
    if request.method == "POST":
        form = CommentForm(request.POST, required=False)  # the workflow says which actions need one
    else:
        form = CommentForm(required=rule.comment_required,
                           label=rule.comment_prompt if rule.comment_required else "Comment (optional)")
    if request.method == "POST" and not form.is_valid():
        for error in form.errors.get("comment", []):
            messages.error(request, error)
        return redirect(detail)

    def act(data) -> str:
        services.training_return_transition(actor=request.user, ret=ret, action=action, comment=data["comment"])
        return f"The return has been {rule.verb}."

    return confirm_then_act(request, page=lambda: _confirmation(ret, action), act=act, form=form,
                            done_url=detail, not_allowed_is_403=True)


@login_required
def return_download(request, pk: int):
    ret = _return(request, pk)
    detail = selectors.return_detail(ret=ret)
    return spreadsheets.return_workbook(detail, filename=f"training-{ret.agency.slug}-{ret.quarter.label}")


@login_required
def return_upload(request, pk: int):
    ret = _return(request, pk)
    if not ret.is_editable:
        messages.info(request, f"This return is {ret.get_status_display().lower()}: its figures cannot be changed.")
        return redirect("training:return_detail", pk=ret.pk)
    if not may(request.user, ret, "submit" if ret.status == ReturnStatus.DRAFT else "resubmit"):
        raise PermissionDenied("Only the agency's submitters can change its figures.")
    return upload_page(request, purpose=f"training.return:{ret.pk}", template="training/return_upload.html",
                       context={"ret": ret},
                       run=lambda f: services.training_return_upload(actor=request.user, ret=ret, upload=f),
                       done_url=reverse("training:return_detail", kwargs={"pk": ret.pk}))
