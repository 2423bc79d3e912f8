"""Agencies, subgroups and people: read by everyone in the partnership, kept by the business manager."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.upload_preview import upload_page
from safeguarding.upload_templates import PickList, template_response

from . import selectors, services, setup_uploads
from .access import (
    MANAGERS,
    agencies_in_partnership,
    agency_for,
    may_keep_person,
    people_for,
    require_roles,
    subgroups_for,
)
from .forms import AgencyForm, PartnershipStartForm, PersonForm, SubgroupForm
from .governance import selectors as governance_selectors
from .models import Agency, AgencyType


@login_required
def agency_list(request):
    """Agencies: searched by name or alias, filtered by active or closed, 50 a page (issue 16.6)."""
    from django.db.models import Q

    from safeguarding.listing import ListFilter, page_of

    form = ListFilter(request.GET, statuses=[("active", "Active"), ("closed", "Closed")],
                      search_label="Name or former name contains")
    agencies = selectors.agency_list(partnership_id=request.user.partnership_id)
    if form.value("status") == "active":
        agencies = agencies.filter(active_to__isnull=True)
    elif form.value("status") == "closed":
        agencies = agencies.filter(active_to__isnull=False)
    if form.value("q"):
        agencies = agencies.filter(Q(name__icontains=form.value("q"))
                                   | Q(aliases__name__icontains=form.value("q"))).distinct()
    page, query = page_of(request, agencies)
    return render(request, "partners/agency_list.html",
                  {"agencies": page.object_list, "page": page, "query": query, "filter_form": form})


@login_required
def agency_detail(request, slug: str):
    agency = agency_for(request.user, slug)
    return render(request, "partners/agency_detail.html", {
        "agency": agency,
        "aliases": agency.aliases.all(),
        "people": selectors.agency_people(agency=agency) if request.user.is_manager else None,
    })


def _agency_form_context(request, form, agency=None):
    return render(request, "partners/agency_form.html", {"form": form, "agency": agency})


@require_roles(*MANAGERS)
def agency_create(request):
    agencies = agencies_in_partnership(request.user)
    form = AgencyForm(request.POST or None, agencies=agencies,
                      initial={"membership": "relevant"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(
                actor=request.user, partnership=request.user.partnership, name=data["name"],
                agency_type=data["agency_type"], membership=data["membership"], parent=data["parent"],
                active_from=data["active_from"], active_to=data["active_to"],
                replaced_by=data["replaced_by"], aliases=form.alias_list(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{agency.name} has been added.")
            return redirect("partners:agency_detail", slug=agency.slug)
    return _agency_form_context(request, form)


@require_roles(*MANAGERS)
def agency_edit(request, slug: str):
    agency = agency_for(request.user, slug)
    agencies = agencies_in_partnership(request.user).exclude(pk=agency.pk)
    initial = {
        "name": agency.name, "agency_type": agency.agency_type, "membership": agency.membership,
        "parent": agency.parent_id, "active_from": agency.active_from, "active_to": agency.active_to,
        "replaced_by": agency.replaced_by_id,
        "aliases": "\n".join(agency.aliases.values_list("name", flat=True)),
    }
    form = AgencyForm(request.POST or None, agencies=agencies, initial=initial, updated_at=agency.updated_at)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_update(
                actor=request.user, agency=agency, version=data["version"], aliases=form.alias_list(),
                name=data["name"], agency_type=data["agency_type"], membership=data["membership"],
                parent=data["parent"], active_from=data["active_from"], active_to=data["active_to"],
                replaced_by=data["replaced_by"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The agency's details have been saved.")
            return redirect("partners:agency_detail", slug=agency.slug)
    return _agency_form_context(request, form, agency)


@login_required
def subgroup_list(request):
    return render(request, "partners/subgroup_list.html",
                  {"subgroups": selectors.subgroup_list(partnership_id=request.user.partnership_id)})


@login_required
def subgroup_detail(request, slug: str):
    subgroup = get_object_or_404(subgroups_for(request.user).select_related("chair", "parent"), slug=slug)
    return render(request, "partners/subgroup_detail.html",
                  {"subgroup": subgroup, "children": subgroup.children.all(),
                   "seats": governance_selectors.seat_list(subgroup_id=subgroup.pk)})


def _subgroup_form(request, subgroup=None):
    user = request.user
    subgroups = subgroups_for(user)
    if subgroup:
        subgroups = subgroups.exclude(pk=subgroup.pk)
        initial = {f: getattr(subgroup, f) for f in ("name", "short_name", "remit", "chair_name",
                                                     "cadence", "is_board")}
        initial |= {"chair": subgroup.chair_id, "parent": subgroup.parent_id}
    else:
        initial = {"cadence": "quarterly"}
    return SubgroupForm(request.POST or None, people=people_for(user).filter(is_active=True),
                        subgroups=subgroups, initial=initial,
                        updated_at=subgroup.updated_at if subgroup else None)


@require_roles(*MANAGERS)
def subgroup_create(request):
    form = _subgroup_form(request)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            subgroup = services.subgroup_create(actor=request.user, partnership=request.user.partnership, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{subgroup.name} has been added.")
            return redirect("partners:subgroup_detail", slug=subgroup.slug)
    return render(request, "partners/subgroup_form.html", {"form": form})


@require_roles(*MANAGERS)
def subgroup_edit(request, slug: str):
    subgroup = get_object_or_404(subgroups_for(request.user), slug=slug)
    form = _subgroup_form(request, subgroup)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.subgroup_update(actor=request.user, subgroup=subgroup, version=version, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The subgroup's details have been saved.")
            return redirect("partners:subgroup_detail", slug=subgroup.slug)
    return render(request, "partners/subgroup_form.html", {"form": form, "subgroup": subgroup})


@require_roles(*MANAGERS)
def people_list(request):
    """People: searched by name or email, filtered by active or switched off and by agency, 50 a
    page (issue 16.6)."""
    from django.db.models import Q

    from safeguarding.listing import ListFilter, choices_of, page_of

    agencies = list(selectors.agency_list(partnership_id=request.user.partnership_id).order_by("name"))
    form = ListFilter(request.GET, statuses=[("active", "Active"), ("off", "Switched off")],
                      agencies=choices_of(agencies), search_label="Name or email contains")
    people = selectors.people_list(partnership_id=request.user.partnership_id)
    if form.value("status"):
        people = people.filter(is_active=form.value("status") == "active")
    if form.value("agency"):
        people = people.filter(agencies__pk=form.value("agency"))
    if form.value("q"):
        people = people.filter(Q(full_name__icontains=form.value("q")) | Q(email__icontains=form.value("q")))
    page, query = page_of(request, people)
    return render(request, "partners/people_list.html", {
        "people": page.object_list, "page": page, "query": query, "filter_form": form,
        "keepable": {p.pk for p in page.object_list if may_keep_person(request.user, p)},
    })


def _kept_person(request, pk: int):
    """The person at ``pk`` if in scope (else 404) and the viewer may keep them (else 403)."""
    person = get_object_or_404(people_for(request.user), pk=pk)
    if not may_keep_person(request.user, person):
        raise PermissionDenied("Only an administrator can change an administrator's account.")
    return person


@require_roles(*MANAGERS)
def person_create(request):
    form = PersonForm(request.POST or None, agencies=agencies_in_partnership(request.user), creating=True,
                      actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                actor=request.user, partnership=request.user.partnership, email=data["email"],
                full_name=data["full_name"], job_title=data["job_title"], role=data["role"],
                agencies=list(data["agencies"]), request=request,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{person.full_name} has been added and sent an email to set a password.")
            return redirect("partners:people_list")
    return render(request, "partners/person_form.html", {"form": form})


@require_roles(*MANAGERS)
def person_edit(request, pk: int):
    person = _kept_person(request, pk)
    initial = {"full_name": person.full_name, "email": person.email, "job_title": person.job_title,
               "role": person.role, "agencies": list(person.agencies.values_list("pk", flat=True)),
               "is_active": person.is_active}
    form = PersonForm(request.POST or None, agencies=agencies_in_partnership(request.user),
                      initial=initial, updated_at=person.updated_at, actor=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.person_update(
                actor=request.user, person=person, version=data["version"], agencies=list(data["agencies"]),
                full_name=data["full_name"], email=data["email"], job_title=data["job_title"],
                role=data["role"], is_active=data["is_active"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{person.full_name}'s account has been saved.")
            return redirect("partners:people_list")
    from safeguarding.two_factor import has_app

    return render(request, "partners/person_form.html", {
        "form": form, "person": person, "has_second_factor": has_app(person),
        "may_reset_second_factor": request.user.is_admin and person.pk != request.user.pk,
    })


@require_roles(*MANAGERS)
@require_POST
def person_reset_second_factor(request, pk: int):
    """An administrator resets a person's two-step sign-in (lost phone, issue 11.6)."""
    person = _kept_person(request, pk)
    if not request.user.is_admin or person.pk == request.user.pk:
        raise PermissionDenied("Only another administrator can reset two-step sign-in.")
    services.person_reset_second_factor(actor=request.user, person=person)
    messages.success(request, f"{person.full_name}'s two-step sign-in has been reset. They will set it up "
                              "again the next time they sign in.")
    return redirect("partners:person_edit", pk=person.pk)


@require_roles(*MANAGERS)
@require_POST
def person_invite(request, pk: int):
    person = _kept_person(request, pk)
    try:
        services.person_send_invitation(actor=request.user, person=person, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"An email to set a password has been sent to {person.email}.")
    return redirect("partners:person_edit", pk=person.pk)


@login_required
def partnership_start(request):
    """The page for a signed-in person who belongs to no partnership (issue 12.1): it says so, and a
    platform superuser may create a partnership here (the same service as ``create_partnership``).
    A person who already has a partnership is sent home."""
    user = request.user
    if user.partnership_id is not None:
        return redirect("home")
    form = PartnershipStartForm(request.POST or None) if user.is_superuser else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only a platform administrator can create a partnership.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                partnership, manager = services.partnership_start(
                    actor=user, name=data["name"], area=data["area"], manager_name=data["manager_name"],
                    manager_email=data["manager_email"], request=request)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"{partnership.name} has been created. {manager.email} has been sent "
                                          "an email with a link to set a password.")
                return redirect("partners:partnership_start")
    return render(request, "partners/partnership_start.html", {"form": form})


# ---------------------------------------------------------------- set-up by spreadsheet (issue 12.2)


@require_roles(*MANAGERS)
def agency_upload(request):
    """Upload agencies from the template: preview, then save all or nothing."""
    return upload_page(request, purpose="partners.agencies", template="partners/agency_upload.html", context={},
                       run=lambda f: setup_uploads.agencies_upload(actor=request.user,
                                                                   partnership=request.user.partnership, upload=f),
                       done_url=reverse("partners:agency_list"))


@require_roles(*MANAGERS)
def agency_template(request):
    """The agencies upload's blank template, with two example rows (a CCG replaced by an ICB)."""
    return template_response(
        filename="agencies", sheet=setup_uploads.AGENCY_SHEET, columns=setup_uploads.AGENCY_COLUMNS,
        choices={"type": PickList([label for _, label in AgencyType.choices]),
                 "membership": PickList([label for _, label in Agency.Membership.choices])},
        examples=[["NHS Northshire Integrated Care Board", "Health commissioner (ICB)", "Statutory partner", "",
                   "Northshire ICB", "2022-07-01", "", ""],
                  ["NHS Northshire CCG", "Health commissioner (ICB)", "Statutory partner", "", "NCCG",
                   "2013-04-01", "2022-06-30", "NHS Northshire Integrated Care Board"]],
        notes=["One row per agency. A row whose name is already an agency's (ignoring capitals and spacing) "
               "updates it; others are added. Replace the two example rows.",
               "type: one of " + ", ".join(label for _, label in AgencyType.choices) + ".",
               "membership: Statutory partner or Relevant agency (blank: relevant agency).",
               "parent: the organisation it is part of; replaced by: the agency that took over its work. Either may "
               "name an agency already in the portal or another row of this file.",
               "aliases: other names it is known by in old spreadsheets, separated by semicolons.",
               "active from / active to: dates like 2022-07-01; leave blank if not known or still active. An "
               "agency replaced by another needs its active-to date."])


@require_roles(*MANAGERS)
def people_upload(request):
    """Upload people from the template: preview, then save all or nothing; new people are emailed."""
    return upload_page(request, purpose="partners.people", template="partners/people_upload.html", context={},
                       run=lambda f: setup_uploads.people_upload(actor=request.user,
                                                                 partnership=request.user.partnership,
                                                                 upload=f, request=request),
                       done_url=reverse("partners:people_list"))


@require_roles(*MANAGERS)
def people_template(request):
    """The people upload's blank template."""
    roles = ", ".join(label for _, label in setup_uploads.UPLOAD_ROLES)
    return template_response(
        filename="people", sheet=setup_uploads.PEOPLE_SHEET, columns=setup_uploads.PEOPLE_COLUMNS,
        choices={"role": PickList([label for _, label in setup_uploads.UPLOAD_ROLES])},
        examples=[["Grace Mensah", "grace.mensah@trust.example", "Agency submitter",
                   "Northshire Hospitals NHS Trust", "Named nurse for safeguarding children"]],
        notes=["One row per person. A row whose email is already someone's in this partnership updates them; "
               "new people are emailed a link to set their password once the upload is saved.",
               f"role: one of {roles}. (An administrator is added one at a time on the People page.)",
               "agencies: for an agency submitter, the agencies they submit for, by name or another name, "
               "separated by semicolons. A closed agency's old name is read as the agency that replaced it.",
               "job title: optional."])


@require_roles(*MANAGERS)
def seats_upload(request):
    """Upload the board's and subgroups' seats from the template (issue 12.3)."""
    return upload_page(request, purpose="partners.seats", template="partners/seats_upload.html", context={},
                       run=lambda f: setup_uploads.seats_upload(actor=request.user,
                                                                partnership=request.user.partnership, upload=f),
                       done_url=reverse("partners:subgroup_list"))


@require_roles(*MANAGERS)
def seats_template(request):
    """The seats upload's blank template, with example rows."""
    from .models import STANDARD_SEAT_ROLES, Subgroup

    partnership = request.user.partnership
    bodies = sorted(Subgroup.objects.filter(partnership=partnership).values_list("name", flat=True))
    agencies = sorted(agencies_in_partnership(request.user).values_list("name", flat=True))

    return template_response(
        filename="seats", sheet=setup_uploads.SEAT_SHEET, columns=setup_uploads.SEAT_COLUMNS,
        choices={"body": PickList(bodies),
                 "agency": PickList(agencies, strict=False),  # another name of an agency is read too
                 "role": PickList(list(STANDARD_SEAT_ROLES), strict=False)},
        examples=[["Partnership Board", "", "Independent chair", "Margaret Ellis"],
                  ["Partnership Board", "", "Lay member", "Joan Whitfield"],
                  ["Partnership Board", "Northshire Police", "", ""]],
        notes=["One row per seat. body: the board or subgroup (its name or short name), which must already "
               "exist. Replace the example rows.",
               "agency: the agency that holds the seat (its name or another name), or leave it blank and give a "
               "role: a member who represents no agency, such as " + ", ".join(STANDARD_SEAT_ROLES).lower()
               + ", or any other role.",
               "holder: who holds a role seat (optional; tells two lay members apart).",
               "A seat already there is left as it is."])
