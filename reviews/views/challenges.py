"""The impact log: PCI challenges, raised by hand or from a dashboard exception."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partners.access import agencies_in_partnership, agencies_readable_by, require_roles, subgroups_for
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.periods import FinancialQuarter

from .. import selectors, services
from ..access import ASSURERS, actions_for, challenges_for, may_answer_challenge, may_decide_challenge
from ..forms import ChallengeDecisionForm, ChallengeForm, ChallengeResponseForm
from ..models import ChallengeStatus


@login_required
def challenge_list(request):
    """The impact log: searched by issue, indicator or reference, filtered by status, quarter and
    agency, 50 a page (issue 16.6)."""
    from django.db.models import Q

    from safeguarding.listing import ListFilter, choices_of, page_of

    scoped = challenges_for(request.user)
    quarters = sorted(set(scoped.exclude(quarter_label="").values_list("quarter_label", flat=True)), reverse=True)
    agencies = list(agencies_readable_by(request.user).order_by("name"))
    form = ListFilter(request.GET, statuses=ChallengeStatus.choices, quarters=[(q, q) for q in quarters],
                      agencies=choices_of(agencies), search_label="Issue, indicator or reference contains")
    status = form.value("status") or None
    challenges = selectors.challenge_list(challenges=scoped, status=status)
    if form.value("quarter"):
        challenges = challenges.filter(quarter_label=form.value("quarter"))
    if form.value("agency"):
        challenges = challenges.filter(agency_id=form.value("agency"))
    text = form.value("q")
    if text:
        number = text.upper().removeprefix("CH-").lstrip("0")
        challenges = challenges.filter(Q(issue__icontains=text) | Q(indicator_code__icontains=text)
                                       | Q(pk=int(number) if number.isdigit() else 0))
    page, query = page_of(request, challenges)
    return render(request, "reviews/challenge_list.html", {
        "challenges": page.object_list, "page": page, "query": query, "filter_form": form, "status": status,
        "can_raise": may_decide_challenge(request.user),
    })


def _prefill(request) -> dict:
    """What a dashboard exception link carries: ?agency=<slug>&indicator=<code>&quarter=<label>&issue=<text>."""
    initial = {"raised_on": timezone.localdate()}
    slug = request.GET.get("agency", "").strip()
    if slug:
        agency = agencies_in_partnership(request.user).filter(slug=slug).first()
        if agency:
            initial["agency"] = agency.pk
    if request.GET.get("indicator"):
        initial["indicator_code"] = request.GET["indicator"].strip()[:40]
    quarter = request.GET.get("quarter", "").strip()
    if quarter:
        try:
            initial["quarter_label"] = FinancialQuarter.parse(quarter).label
        except ValueError:
            pass
    if request.GET.get("issue"):
        initial["issue"] = request.GET["issue"].strip()[:5000]
    if request.GET.get("return"):
        initial["return_reference"] = request.GET["return"].strip()[:100]
    forum = subgroups_for(request.user).filter(short_name__iexact="PCI").first()
    if forum:
        initial["forum"] = forum.pk
    return initial


@require_roles(*ASSURERS)
def challenge_create(request):
    form = ChallengeForm(request.POST or None, agencies=agencies_in_partnership(request.user),
                         subgroups=subgroups_for(request.user), initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_raise(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"Challenge {challenge.reference} has been raised with {challenge.agency.name}.")
            return redirect("reviews:challenge_detail", pk=challenge.pk)
    return render(request, "reviews/challenge_form.html", {"form": form})


@login_required
def challenge_detail(request, pk: int):
    challenge = get_object_or_404(challenges_for(request.user).select_related(
        "agency", "forum", "raised_by", "responded_by"), pk=pk)
    actions = selectors.annotate_rag(list(actions_for(request.user).filter(challenge=challenge)
                                          .select_related("owner_agency").order_by("due_on", "id")))
    can_answer = may_answer_challenge(request.user, challenge) and challenge.status == ChallengeStatus.OPEN
    can_decide = may_decide_challenge(request.user) and challenge.status != ChallengeStatus.CLOSED
    return render(request, "reviews/challenge_detail.html", {
        "challenge": challenge, "actions": actions,
        "response_form": ChallengeResponseForm() if can_answer else None,
        "decision_form": ChallengeDecisionForm() if can_decide else None,
    })


@login_required
def challenge_respond(request, pk: int):
    challenge = get_object_or_404(challenges_for(request.user).select_related("agency"), pk=pk)
    if not may_answer_challenge(request.user, challenge):
        raise PermissionDenied("Only the agency the challenge is addressed to can answer it.")
    form = ChallengeResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_respond(actor=request.user, challenge=challenge, response=form.cleaned_data["response"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "Your answer has been sent to the PCI subgroup.")
            return redirect("reviews:challenge_detail", pk=challenge.pk)
    return render(request, "reviews/challenge_respond.html", {"form": form, "challenge": challenge})


@require_roles(*ASSURERS)
def challenge_decide(request, pk: int):
    challenge = get_object_or_404(challenges_for(request.user).select_related("agency"), pk=pk)
    form = ChallengeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_decide(actor=request.user, challenge=challenge, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The outcome has been recorded.")
            return redirect("reviews:challenge_detail", pk=challenge.pk)
    return render(request, "reviews/challenge_decide.html", {"form": form, "challenge": challenge})
