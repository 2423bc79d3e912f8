"""The annual report's pages, the builds and their downloads, and the PCI pack."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partners.access import (
    ALL_ROLES,
    MANAGERS,
    READERS,
    agencies_for,
    agencies_readable_by,
    can_act_for,
    require_roles,
)
from safeguarding.confirmation import Confirmation, confirm_then_act
from safeguarding.errors import DomainError, NotAllowed, QueueUnavailable
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.periods import FinancialYear
from safeguarding.queue import broker_status

from . import chapters as chapter_catalogue
from . import composition, distribution, selectors, services
from .access import builds_for, may_download, report_for
from .checklist import checklist_basis, checklist_for
from .edition import style_hash
from .forms import (
    AgencySectionForm,
    ChapterFiguresForm,
    CompositionForm,
    DispatchForm,
    DistributionForm,
    NarrativeForm,
    QuarterForm,
    YearForm,
)
from .models import BuildKind, BuildStage, BuildStatus, NarrativeSection, Recipient, ReportStatus, Section

STAGES = [BuildStage.GATHERING, BuildStage.CHARTS, BuildStage.RENDERING, BuildStage.DONE]


@require_roles(*ALL_ROLES)
def report_list(request):
    pid = request.user.partnership_id
    return render(request, "reports/report_list.html", {
        "reports": selectors.report_list(partnership_id=pid),
        "form": YearForm() if request.user.is_manager else None,
    })


@require_POST
@require_roles(*MANAGERS)
def report_create(request):
    form = YearForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.report_create(actor=request.user, partnership=request.user.partnership,
                                   year_start=year.start_year)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"The annual report for {year.label} has been started.")
            return redirect("reports:report_detail", year=year.start_year)
    return render(request, "reports/report_list.html", {
        "reports": selectors.report_list(partnership_id=request.user.partnership_id), "form": form}, status=400)


@require_roles(*ALL_ROLES)
def report_detail(request, year: int):
    report = report_for(request.user, year)
    user = request.user
    services.sweep_stale_builds(partnership_id=report.partnership_id)
    builds = selectors.build_list(partnership_id=report.partnership_id, report=report) if user.reads_everything else []
    # Every build of the report, 50 a page (issue 16.6); the latest ones above say what is running.
    page, query = page_of(request, selectors.build_rows(partnership_id=report.partnership_id, report=report)
                          if user.reads_everything else [])
    return render(request, "reports/report_detail.html", {
        "report": report,
        # Working Together 2023's yearly-report items, judged on the live draft (issue 15.9).
        "checklist": checklist_for(report) if user.is_manager else None,
        # What it was judged on: the draft, the approved report, or the published one.
        "checklist_basis": checklist_basis(report) if user.is_manager else "",
        "dispatches": list(report.dispatches.select_related("sent_by")),
        "missing_recipients": ([Recipient(r).label for r in distribution.missing_recipients(report)]
                               if report.status == ReportStatus.PUBLISHED else []),
        "narrative": selectors.narrative_rows(report=report) if user.is_manager else None,
        "agency_rows": selectors.agency_rows(report=report, agencies=agencies_for(user)),
        "builds": page.object_list, "page": page, "query": query,
        "active_build": next((b for b in builds if b.is_active), None),
        "latest_done": next((b for b in builds if b.status == "done" and b.report_id == report.pk), None),
        "published_build": report.published_build,
        "queue": broker_status() if user.is_manager else None,
    })


def _narrative_key(key: str) -> str:
    if key not in Section.values:
        raise Http404("No such section")
    return key


@require_roles(*MANAGERS)
def narrative_edit(request, year: int, key: str):
    report = report_for(request.user, year)
    key = _narrative_key(key)
    label = Section(key).label
    section = NarrativeSection.objects.filter(report=report, key=key).first()
    version_at = section.updated_at if section and section.body else None
    form = NarrativeForm(request.POST or None, label=label, initial={"body": section.body if section else ""},
                         updated_at=version_at)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            # Shown as it will print: the same Markdown rendering as the PDF and the HTML edition.
            preview = [(label, form.cleaned_data["body"])]
        else:
            try:
                services.narrative_save(actor=request.user, report=report, key=key, body=form.cleaned_data["body"],
                                        version=form.cleaned_data["version"])
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"‘{label}’ has been saved.")
                return redirect("reports:report_detail", year=year)
    return render(request, "reports/text_form.html", {"form": form, "report": report, "heading": label,
                                                       "preview": preview, "markdown": True})


@require_roles(*ALL_ROLES)
def agency_section_edit(request, year: int, slug: str):
    report = report_for(request.user, year)
    # Out of a person's reading scope: 404. Readable but not theirs to write (PCI): 403.
    agency = get_object_or_404(agencies_readable_by(request.user), slug=slug)
    if not can_act_for(request.user, agency):
        raise PermissionDenied("Only people who act for this agency can write its section.")
    section = report.agency_sections.filter(agency=agency).first()
    version_at = section.updated_at if section and (section.achievements or section.challenges) else None
    initial = {"achievements": section.achievements, "challenges": section.challenges} if section else {}
    form = AgencySectionForm(request.POST or None, initial=initial, updated_at=version_at)
    preview = None
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        preview = [("Achievements this year", form.cleaned_data["achievements"]),
                   ("Challenges and what you are doing about them", form.cleaned_data["challenges"])]
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_section_save(actor=request.user, report=report, agency=agency,
                                         achievements=data["achievements"], challenges=data["challenges"],
                                         version=data["version"])
        except NotAllowed:
            raise PermissionDenied("Only people who act for this agency can write its section.")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{agency.name}'s section has been saved.")
            return redirect("reports:report_detail", year=year)
    return render(request, "reports/text_form.html", {
        "form": form, "report": report, "heading": f"{agency.name}: achievements and challenges",
        "preview": preview, "markdown": True})


@require_roles(*MANAGERS)
def distribution_edit(request, year: int):
    report = report_for(request.user, year)
    form = DistributionForm(request.POST or None, initial={"distribution": report.distribution},
                            updated_at=report.updated_at)
    if request.method == "POST" and form.is_valid():
        try:
            services.distribution_save(actor=request.user, report=report,
                                       distribution=form.cleaned_data["distribution"],
                                       version=form.cleaned_data["version"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The distribution list has been saved.")
            return redirect("reports:report_detail", year=year)
    return render(request, "reports/text_form.html", {"form": form, "report": report,
                                                       "heading": "Distribution list"})


@require_roles(*MANAGERS)
def report_compose(request, year: int):
    """The chapters, their order and the key indicators (issue 15.5)."""
    report = report_for(request.user, year)
    indicators = selectors.indicator_choices(partnership_id=report.partnership_id)
    form = CompositionForm(request.POST or None, report=report, indicators=indicators,
                           updated_at=report.updated_at)
    return _form_page(
        request, form, year=year, template="reports/compose.html", done="The chapters of the report have been saved.",
        context={"report": report, "heading": "Chapters and key indicators"},
        save=lambda data: composition.report_compose(actor=request.user, report=report, chapters=data["chapters"],
                                                     key_indicators=data["indicator_ids"], version=data["version"]))


@require_roles(*MANAGERS)
def chapter_figures_edit(request, year: int, key: str):
    """The structured figures of a chapter without an app of its own (issue 15.8)."""
    report = report_for(request.user, year)
    if key not in chapter_catalogue.FIGURE_CHAPTERS:
        raise Http404("That chapter has no figures")
    kind = chapter_catalogue.BY_KEY[key]
    indicators = selectors.indicator_choices(partnership_id=report.partnership_id)
    form = ChapterFiguresForm(request.POST or None, figures=report.figures.filter(chapter=key),
                              indicators=indicators, updated_at=report.updated_at)
    return _form_page(
        request, form, year=year, template="reports/figures_form.html",
        done=f"The figures for ‘{kind.title}’ have been saved.",
        context={"report": report, "kind": kind, "heading": f"Figures: {kind.title}"},
        save=lambda data: composition.chapter_figures_save(actor=request.user, report=report, chapter=key,
                                                           rows=form.rows(), version=data["version"]))


@require_roles(*MANAGERS)
def dispatch_add(request, year: int):
    """Record a sending of the published report (issue 15.9)."""
    report = report_for(request.user, year)
    form = DispatchForm(request.POST or None)
    return _form_page(
        request, form, year=year, template="reports/text_form.html", done="The sending has been recorded.",
        context={"report": report, "heading": "Record who the report was sent to"},
        save=lambda data: distribution.dispatch_record(actor=request.user, report=report,
                                                       recipient=data["recipient"],
                                                       recipient_name=data["recipient_name"], sent_on=data["sent_on"]))


def _form_page(request, form, *, year: int, template: str, context: dict, done: str, save):
    """A report form's page: on a valid POST call ``save(cleaned_data)``; a refusal
    (``DomainError``) goes beside its field and the page answers 400, success says ``done`` and
    returns to the report's page for ``year``."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("reports:report_detail", year=year)
    return render(request, template, {"form": form, **context}, status=400 if form.is_bound and form.errors else 200)


TRANSITIONS = {
    "approve": (services.report_approve, "The report has been approved."),
    "publish": (services.report_publish, "The report has been published. Its PDF will not change."),
    "draft": (services.report_return_to_draft, "The report is back in draft, as a new version."),
}


# What each step locks, for its confirmation page (issue 16.5).
TRANSITION_PAGES = {
    "approve": ("Approve the report", "Approve the report", False,
                ["The narrative, the agencies' sections and the figures are locked: nobody can edit them.",
                 "PDFs built from now on are of the approved report; returning it to draft starts a new version."]),
    "publish": ("Publish the report", "Publish the report", True,
                ["The latest PDF becomes the published report, and will never change.",
                 "Everyone in the partnership can download it, and it can be sent to the Child Safeguarding "
                 "Practice Review Panel and the What Works Centre.",
                 "To correct it later you return the report to draft, which makes a new version."]),
    "draft": ("Return the report to draft", "Return to draft", True,
              ["The narrative and the agencies' sections can be edited again.",
               "The report's version goes up by one; earlier PDFs are kept."]),
}


@require_roles(*MANAGERS)
def report_transition(request, year: int):
    """GET ``?action=``: the confirmation page saying what the step locks; POST: take it."""
    report = report_for(request.user, year)
    detail = reverse("reports:report_detail", args=[year])
    action = (request.POST if request.method == "POST" else request.GET).get("action", "")
    if request.method != "POST" and action not in TRANSITION_PAGES:
        return redirect(detail)
    if request.method == "POST" and action not in TRANSITIONS:
        messages.error(request, "Choose approve, publish or return to draft.")
        return redirect(detail)

    def page() -> Confirmation:
        title, button, warning, locks = TRANSITION_PAGES[action]
        return Confirmation(title=title, button=button, warning=warning, locks=locks, back_url=detail,
                            caption=f"Annual report {report.year.label}", hidden=[("action", action)],
                            # e.g. no PDF of the approved report yet: said first, and no button.
                            blockers=selectors.transition_blockers(report, action))

    def act(_data) -> str:
        service, done = TRANSITIONS[action]
        service(actor=request.user, report=report)
        return done

    return confirm_then_act(request, page=page, act=act, done_url=detail)


def _queue_build(request, **kwargs):
    try:
        build, created = services.build_request(actor=request.user, partnership=request.user.partnership, **kwargs)
    except QueueUnavailable as error:
        messages.error(request, error.message)
        return None
    except NotAllowed as error:
        raise PermissionDenied(error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return None
    if created:
        messages.success(request, "The PDF is being built. This page shows how far it has got.")
    else:
        messages.info(request, "This PDF was already being built: here is that build.")
    return build


@require_POST
@require_roles(*MANAGERS)
def report_build(request, year: int):
    report = report_for(request.user, year)
    build = _queue_build(request, kind=BuildKind.ANNUAL, year_start=report.year_start)
    if build is None:
        return redirect("reports:report_detail", year=year)
    return redirect("reports:build_detail", pk=build.pk)


@require_roles(*READERS)
def build_detail(request, pk: int):
    build = get_object_or_404(builds_for(request.user), pk=pk)
    services.sweep_stale_builds(partnership_id=build.partnership_id)
    build.refresh_from_db()
    reached = STAGES.index(build.stage) if build.stage in STAGES else -1
    stages = []
    for i, stage in enumerate(STAGES):
        if build.status == "done" or i < reached:
            state = "done"
        elif i == reached and build.status == "running":
            state = "running"
        elif i == reached and build.status == "failed":
            state = "failed"
        else:
            state = "waiting"
        stages.append({"label": stage.label, "state": state})
    return render(request, "reports/build_detail.html", {
        # Kept current by static/js/build-progress.js, which swaps the live region in place: no
        # timed page refresh (WCAG 2.2.1), and a "Check progress" link without JavaScript.
        "build": build, "stages": stages,
        "may_download": build.status == "done" and may_download(request.user, build),
        "may_retry": build.status == "failed" and (request.user.is_manager or build.kind == BuildKind.PCI),
    })


@require_POST
@require_roles(*READERS)
def build_retry(request, pk: int):
    old = get_object_or_404(builds_for(request.user), pk=pk)
    try:
        build, _ = services.build_retry(actor=request.user, build=old)
    except QueueUnavailable as error:
        messages.error(request, error.message)
        return redirect("reports:build_detail", pk=old.pk)
    except NotAllowed as error:
        raise PermissionDenied(error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:build_detail", pk=old.pk)
    messages.success(request, "The build is being tried again.")
    return redirect("reports:build_detail", pk=build.pk)


@require_roles(*ALL_ROLES)
def build_download(request, pk: int):
    build = get_object_or_404(builds_for(request.user).select_related("partnership", "published_report"), pk=pk)
    if not may_download(request.user, build):
        raise PermissionDenied("Only PCI members and the business manager can download unpublished PDFs.")
    if build.status != "done":
        raise Http404("This build has no PDF")
    path = services.build_file_path(build)
    if not path.is_file():
        raise Http404("The PDF file is missing")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=build.filename,  # noqa: SIM115
                        content_type="application/pdf")


def _edition_build(request, year: int):
    """The build whose web edition this person may read: the published one for everyone in the
    partnership; before publication, the latest finished build for PCI members and the manager."""
    report = report_for(request.user, year)
    build = report.published_build
    if build is None:
        if not request.user.reads_everything:
            raise PermissionDenied("The web edition is for everyone once the report is published; until then "
                                   "only PCI members and the business manager can read drafts.")
        build = (builds_for(request.user).filter(report=report, status="done").order_by("-finished_at", "-pk")
                 .first())
    if build is None or not build.file:
        raise Http404("No web edition has been built for this report yet")
    path = services.build_file_path(build).with_suffix(".html")
    if not path.is_file():
        raise Http404("This build has no web edition: build the report again")
    return report, build, path.read_text(encoding="utf-8")


@require_roles(*ALL_ROLES)
def report_edition(request, year: int):
    """The report as a web page (issue 15.10): one address a report, the stored edition as built."""
    _, _, html = _edition_build(request, year)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # Exactly the page's own inline stylesheet is allowed, by its hash; nothing else inline.
    response._csp_update = {"style-src": [style_hash(html)]}
    return response


@require_roles(*ALL_ROLES)
def report_edition_download(request, year: int):
    """The same page as a single HTML file to keep or publish."""
    report, build, html = _edition_build(request, year)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{Path(build.filename).stem}.html"'
    return response


@require_roles(*READERS)
def pci_list(request):
    services.sweep_stale_builds(partnership_id=request.user.partnership_id)
    form = QuarterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quarter = form.cleaned_data["quarter"]
        build = _queue_build(request, kind=BuildKind.PCI, year_start=quarter.year.start_year, quarter=quarter.number)
        if build is not None:
            return redirect("reports:build_detail", pk=build.pk)
    # Lists that scale (issue 16.6): every pack ever built, filtered by status and year, 50 a page.
    pid = request.user.partnership_id
    filter_form = ListFilter(request.GET, statuses=BuildStatus.choices,
                             kinds=("Year", [(y, FinancialYear(y).label)
                                             for y in selectors.build_years(partnership_id=pid, kind=BuildKind.PCI)]))
    year = filter_form.value("kind")
    page, query = page_of(request, selectors.build_rows(partnership_id=pid, kind=BuildKind.PCI,
                                                        status=filter_form.value("status"),
                                                        year_start=int(year) if year else None))
    return render(request, "reports/pci_list.html", {
        "form": form, "builds": page.object_list, "page": page, "query": query, "filter_form": filter_form})


STATUS_TAGS = {ReportStatus.DRAFT: "govuk-tag--grey", ReportStatus.APPROVED: "govuk-tag--blue",
               ReportStatus.PUBLISHED: "govuk-tag--green"}
