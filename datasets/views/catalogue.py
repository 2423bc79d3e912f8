"""The indicator catalogue: read by everyone in the partnership, kept by the business manager."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partners.access import MANAGERS, require_roles
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.periods import FinancialQuarter, FinancialYear

from .. import selectors, services
from ..forms import ComparatorForm, IndicatorForm, TargetForm
from ..models import Domain, Indicator
from ..selectors.catalogue import part_comparators


def _indicator(request, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.filter(partnership_id=request.user.partnership_id), pk=pk)


# The catalogue's status filter: in use today, or ended (``active_to`` before today).
INDICATOR_STATUSES = [("active", "In use"), ("ended", "No longer reported")]


@login_required
def indicator_list(request):
    """The catalogue, grouped by domain: searched by code or name, filtered by domain and by whether
    it is still reported, 50 a page (issue 16.6)."""
    today = timezone.localdate()
    form = ListFilter(request.GET, statuses=INDICATOR_STATUSES, kinds=("Domain", Domain.choices),
                      search_label="Code or name contains")
    indicators = selectors.indicators_for(request.user.partnership_id or 0)
    if form.value("kind"):
        indicators = indicators.filter(domain=form.value("kind"))
    if form.value("status") == "active":
        indicators = indicators.filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
    elif form.value("status") == "ended":
        indicators = indicators.filter(active_to__lt=today)
    if form.value("q"):
        indicators = indicators.filter(Q(code__icontains=form.value("q")) | Q(name__icontains=form.value("q")))
    page, query = page_of(request, indicators)
    period = FinancialQuarter.containing(today)
    targets = selectors.targets_in_force(partnership_id=request.user.partnership_id or 0, period=period)
    groups: dict[str, list] = {}
    labels = dict(Domain.choices)
    for indicator in page.object_list:
        groups.setdefault(labels.get(indicator.domain, indicator.domain), []).append(indicator)
    return render(request, "datasets/indicator_list.html",
                  {"groups": list(groups.items()), "targets": targets, "period": period,
                   "page": page, "query": query, "filter_form": form})


@login_required
def indicator_detail(request, pk: int):
    indicator = _indicator(request, pk)
    comparators = selectors.comparators_for(partnership_id=indicator.partnership_id, indicator_ids=[indicator.pk])
    rows = [(FinancialYear(year).label, kinds)
            for year, kinds in sorted(comparators.get(indicator.pk, {}).items(), reverse=True)]
    return render(request, "datasets/indicator_detail.html", {
        "indicator": indicator, "parts": list(indicator.parts.all()),
        "targets": selectors.indicator_targets(indicator), "comparator_rows": rows,
        "part_comparators": part_comparators(indicator),
        "agency_types": indicator_agency_labels(indicator)})


def indicator_agency_labels(indicator: Indicator) -> list[str]:
    from partners.models import AgencyType

    labels = dict(AgencyType.choices)
    return [labels.get(t, t) for t in indicator.agency_types]


def _indicator_form(request, indicator: Indicator | None = None) -> IndicatorForm:
    if indicator is None:
        initial = {"unit": "count", "polarity": "higher", "required": True, "domain": "child_protection"}
        return IndicatorForm(request.POST or None, initial=initial)
    initial = {f: getattr(indicator, f) for f in ("code", "name", "definition", "domain", "unit", "numerator_label",
                                                   "denominator_label", "polarity", "agency_types", "breakdown_label",
                                                   "required", "active_from", "active_to", "order", "decimals",
                                                   "min_abs_change", "training_level")}
    initial["parts"] = "\n".join(p.label for p in indicator.parts.all())
    return IndicatorForm(request.POST or None, initial=initial, updated_at=indicator.updated_at)


def _fields(form: IndicatorForm) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "parts")}
    data["order"] = data.get("order") or 0
    return data


@require_roles(*MANAGERS)
def indicator_create(request):
    form = _indicator_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(actor=request.user, partnership=request.user.partnership,
                                                  parts=form.part_list(), **_fields(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{indicator.code} has been added to the catalogue.")
            return redirect("datasets:indicator_detail", pk=indicator.pk)
    return render(request, "datasets/indicator_form.html", {"form": form})


@require_roles(*MANAGERS)
def indicator_edit(request, pk: int):
    indicator = _indicator(request, pk)
    form = _indicator_form(request, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=request.user, indicator=indicator, version=form.cleaned_data["version"],
                                      parts=form.part_list(), **_fields(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The indicator has been saved.")
            return redirect("datasets:indicator_detail", pk=indicator.pk)
    return render(request, "datasets/indicator_form.html", {"form": form, "indicator": indicator})


@require_roles(*MANAGERS)
def target_create(request, pk: int):
    indicator = _indicator(request, pk)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_set(actor=request.user, indicator=indicator, year=data["year"], target=data["target"],
                                amber_threshold=data["amber_threshold"], effective_from=data["effective_from"],
                                note=data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The target for {data['year'].label} has been saved.")
            return redirect("datasets:indicator_detail", pk=indicator.pk)
    return render(request, "datasets/target_form.html", {"form": form, "indicator": indicator})


@require_roles(*MANAGERS)
def comparator_edit(request, pk: int):
    indicator = _indicator(request, pk)
    form = ComparatorForm(request.POST or None, initial={"kind": "england"}, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.comparator_set(actor=request.user, indicator=indicator, year=data["year"], kind=data["kind"],
                                    value=data["value"], source=data["source"], part=form.chosen_part(),
                                    na_reason=data["na_reason"], na_note=data["na_note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The comparator for {data['year'].label} has been saved.")
            return redirect("datasets:indicator_detail", pk=indicator.pk)
    return render(request, "datasets/comparator_form.html", {"form": form, "indicator": indicator})
