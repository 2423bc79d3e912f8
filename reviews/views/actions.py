"""Actions: the owner posts progress and evidence; PCI or the manager assures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from partners.access import agencies_for, agencies_in_partnership, require_roles
from partners.lifecycle import active_during_q
from safeguarding.confirmation import Confirmation, confirm_then_act
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error

from .. import selectors, services
from ..access import (
    ACTION_OWNERS,
    ASSURERS,
    REGISTER_KEEPERS,
    actions_for,
    challenges_for,
    evidence_for,
    may_assure,
    may_update_action,
    reviews_for,
)
from ..forms import ActionForm, AssureForm, EvidenceForm, ProgressForm, ReturnActionForm
from ..models import Recommendation


def _indicators(user):
    # Cross-app read through the datasets app's selectors.
    from datasets.selectors import indicators_for

    return indicators_for(user.partnership_id).order_by("code")


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path within the portal ("/reviews/..."): a bare word would be read as a URL name.
    if target and target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _action_form_page(request, form, *, source, action=None):
    return render(request, "reviews/action_form.html", {"form": form, "source": source, "action": action})


def _owners(user):
    """Agencies that may be given a new action: the partnership's, active today (issue 12.6)."""
    return agencies_in_partnership(user).filter(active_during_q(timezone.localdate()))


@require_roles(*REGISTER_KEEPERS)
def action_create(request, pk: int):
    rec = get_object_or_404(selectors.recommendations_with_addressees(
        Recommendation.objects.select_related("review").filter(review__in=reviews_for(request.user))), pk=pk)
    addressed = selectors.recommendation_addressed_agencies(rec)
    form = ActionForm(request.POST or None, agencies=_owners(request.user),
                      indicators=_indicators(request.user), addressed=[a.pk for a in addressed],
                      initial={"owner_agency": addressed[0].pk if len(addressed) == 1 else None})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            action = services.action_create(actor=request.user, recommendation=rec, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The action has been added to the plan.")
            return redirect("reviews:action_detail", pk=action.pk)
    return _action_form_page(request, form, source=rec)


@require_roles(*ASSURERS)
def challenge_action_create(request, pk: int):
    challenge = get_object_or_404(challenges_for(request.user).select_related("agency"), pk=pk)
    indicator = _indicators(request.user).filter(code__iexact=challenge.indicator_code).first() \
        if challenge.indicator_code else None
    form = ActionForm(request.POST or None, agencies=_owners(request.user),
                      indicators=_indicators(request.user),
                      initial={"owner_agency": challenge.agency_id, "indicator": indicator.pk if indicator else None})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            action = services.action_create(actor=request.user, challenge=challenge, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The action has been added to the challenge.")
            return redirect("reviews:action_detail", pk=action.pk)
    return _action_form_page(request, form, source=challenge)


@login_required
def action_detail(request, pk: int):
    action = selectors.action_detail(actions=actions_for(request.user), pk=pk)
    selectors.annotate_rag([action])
    can_update = may_update_action(request.user, action)
    return render(request, "reviews/action_detail.html", {
        "action": action,
        "addressees_label": (selectors.recommendation_addressees_label(action.recommendation)
                             if action.recommendation_id else ""),
        "can_update": can_update and action.status != "assured",
        "can_assure": may_assure(request.user, action) and action.status == "completed",
        "progress_form": ProgressForm(manager=request.user.is_manager) if can_update else None,
        "evidence_form": EvidenceForm() if can_update else None,
    })


@login_required
def action_edit(request, pk: int):
    action = get_object_or_404(actions_for(request.user).select_related("owner_agency"), pk=pk)
    if not may_update_action(request.user, action):
        raise PermissionDenied("Only the owner agency or the business manager can change this action.")
    initial = {f: getattr(action, f) for f in ("lead_name", "lead_role", "description", "start_on", "due_on")}
    initial["indicator"] = action.indicator_id
    form = ActionForm(request.POST or None, editing=True, initial=initial, updated_at=action.updated_at,
                      indicators=_indicators(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.action_update(actor=request.user, action=action, version=version, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The action's details have been saved.")
            return redirect("reviews:action_detail", pk=action.pk)
    return _action_form_page(request, form, source=None, action=action)


@require_POST
@login_required
def action_progress(request, pk: int):
    action = get_object_or_404(actions_for(request.user), pk=pk)
    if not may_update_action(request.user, action):
        raise PermissionDenied("Only the owner agency can post progress on this action.")
    form = ProgressForm(request.POST, manager=request.user.is_manager)
    back = _next_url(request, default=f"/reviews/actions/{action.pk}/")
    if form.is_valid():
        try:
            services.action_post_progress(actor=request.user, action=action, text=form.cleaned_data["text"],
                                          on=form.cleaned_data["on"], status=form.cleaned_data["status"] or None)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your progress has been saved.")
    else:
        first = next(iter(form.errors.values()))[0]
        messages.error(request, f"Progress not saved: {first}")
    return redirect(back)


@login_required
def action_evidence(request, pk: int):
    action = get_object_or_404(actions_for(request.user).select_related("owner_agency"), pk=pk)
    if not may_update_action(request.user, action):
        raise PermissionDenied("Only the owner agency can add evidence to this action.")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(actor=request.user, action=action, upload=data["file"],
                                  evidence_date=data["evidence_date"], description=data["description"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The evidence has been uploaded.")
            return redirect("reviews:action_detail", pk=action.pk)
    return render(request, "reviews/evidence_form.html", {"form": form, "action": action})


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(evidence_for(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is no longer in storage.")
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(*ASSURERS)
def action_assure(request, pk: int):
    """PCI marks a completed action assured, on a page listing its evidence (the shared
    confirm-then-act handler: refusals beside the form, ``NotAllowed`` 403)."""
    action = selectors.action_detail(actions=actions_for(request.user), pk=pk)
    form = AssureForm(request.POST or None)

    def act(data) -> str:
        services.action_assure(actor=request.user, action=action, comment=data["comment"],
                               no_evidence_reason=data["no_evidence_reason"], on=data["on"])
        return "The action has been assured."

    return _action_step(request, action, form, act, "reviews/action_assure.html", "Assure this action")


@require_roles(*ASSURERS)
def action_return(request, pk: int):
    """Send a completed action back to its owner, not assured, saying what is missing."""
    action = selectors.action_detail(actions=actions_for(request.user), pk=pk)
    form = ReturnActionForm(request.POST or None)

    def act(data) -> str:
        services.action_return(actor=request.user, action=action, reason=data["reason"])
        return "The action has been returned to its owner, who has been told why."

    return _action_step(request, action, form, act, "reviews/action_return.html", "Return this action")


def _action_step(request, action, form, act, template: str, title: str):
    detail = reverse("reviews:action_detail", kwargs={"pk": action.pk})
    return confirm_then_act(request, form=form, act=act, done_url=detail, template=template,
                            refusal_on_page=True, not_allowed_is_403=True,
                            page=Confirmation(title=title, button="", back_url=detail, extra={"action": action}))


@require_roles(*ACTION_OWNERS, *REGISTER_KEEPERS)
def my_actions(request):
    """Every action owned by my agencies, by due date, one compact row each linking to the action's
    page, where progress is posted (not 50 forms on one page, issue 16.6); searched by
    description, filtered by status and agency, 50 a page (issue 16.6)."""
    from safeguarding.listing import ListFilter, choices_of, page_of

    from ..models import ActionStatus

    include_closed = request.GET.get("show") == "all"
    scoped = actions_for(request.user)
    owners = list(agencies_for(request.user).order_by("name")) if not request.user.reads_everything else []
    form = ListFilter(request.GET, statuses=ActionStatus.choices, agencies=choices_of(owners) if len(owners) > 1
                      else None, search_label="Description contains")
    if form.value("status"):
        scoped, include_closed = scoped.filter(status=form.value("status")), True
    if form.value("agency"):
        scoped = scoped.filter(owner_agency_id=form.value("agency"))
    if form.value("q"):
        scoped = scoped.filter(description__icontains=form.value("q"))
    page, query = page_of(request, selectors.my_actions(actions=scoped, include_closed=include_closed))
    return render(request, "reviews/my_actions.html", {"actions": page.object_list, "page": page, "query": query,
                                                       "filter_form": form, "include_closed": include_closed})

