"""Levels, staff groups and targets: kept by the business manager."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from partners.access import MANAGERS, require_roles
from partners.models import AgencyType
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error

from .. import services
from ..forms import LevelForm, StaffGroupForm, TargetForm
from ..models import Level, StaffGroup, TrainingTarget


def _levels(user):
    return Level.objects.filter(partnership_id=user.partnership_id)


def _groups(user):
    return StaffGroup.objects.filter(partnership_id=user.partnership_id)


@require_roles(*MANAGERS)
def setup(request):
    user = request.user
    type_labels = dict(AgencyType.choices)
    groups = list(_groups(user).prefetch_related("levels"))
    for group in groups:
        group.type_labels = [type_labels.get(t, t) for t in group.agency_types]
    return render(request, "training/setup.html", {
        "levels": _levels(user),
        "groups": groups,
        "targets": TrainingTarget.objects.filter(partnership_id=user.partnership_id).select_related("level")
        .order_by("-year_start", "-effective_from", "level__order"),
    })


@require_roles(*MANAGERS)
def level_create(request):
    form = LevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            level = services.level_create(actor=request.user, partnership=request.user.partnership, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{level.name} has been added.")
            return redirect("training:setup")
    return render(request, "training/simple_form.html", {"form": form, "title": "Add a level"})


@require_roles(*MANAGERS)
def level_edit(request, pk: int):
    level = get_object_or_404(_levels(request.user), pk=pk)
    initial = {f: getattr(level, f) for f in ("name", "description", "order", "is_active")}
    form = LevelForm(request.POST or None, initial=initial, updated_at=level.updated_at)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.level_update(actor=request.user, level=level, version=version, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The level has been saved.")
            return redirect("training:setup")
    return render(request, "training/simple_form.html", {"form": form, "title": f"Change {level.name}"})


@require_roles(*MANAGERS)
def staff_group_create(request):
    form = StaffGroupForm(request.POST or None, levels=_levels(request.user).filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        data["levels"] = list(data["levels"])
        try:
            group = services.staff_group_create(actor=request.user, partnership=request.user.partnership, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{group.name} has been added.")
            return redirect("training:setup")
    return render(request, "training/simple_form.html", {"form": form, "title": "Add a staff group"})


@require_roles(*MANAGERS)
def staff_group_edit(request, pk: int):
    group = get_object_or_404(_groups(request.user), pk=pk)
    initial = {"name": group.name, "agency_types": group.agency_types, "order": group.order,
               "is_active": group.is_active, "levels": list(group.levels.values_list("pk", flat=True))}
    form = StaffGroupForm(request.POST or None, levels=_levels(request.user), initial=initial,
                          updated_at=group.updated_at)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        levels = list(data.pop("levels"))
        try:
            services.staff_group_update(actor=request.user, group=group, version=version, levels=levels, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The staff group has been saved.")
            return redirect("training:setup")
    return render(request, "training/simple_form.html", {"form": form, "title": f"Change {group.name}"})


@require_roles(*MANAGERS)
def target_create(request):
    form = TargetForm(request.POST or None, levels=_levels(request.user), initial={"target": 90})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_create(actor=request.user, partnership=request.user.partnership,
                                   year_start=data["year"], level=data["level"], target=data["target"],
                                   amber_threshold=data["amber_threshold"], effective_from=data["effective_from"],
                                   note=data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The target has been added.")
            return redirect("training:setup")
    return render(request, "training/simple_form.html", {
        "form": form, "title": "Add a training target",
        "lead": "Targets are never overwritten: a new target takes effect from its date, and earlier quarters "
                "keep the rating they had."})
