"""Reads for the report pages: fixed query counts."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from partners.lifecycle import active_during_q
from partners.models import Agency
from safeguarding.periods import FinancialYear

from . import chapters as catalogue
from .models import (
    AgencySection,
    AnnualReport,
    BuildKind,
    BuildStatus,
    NarrativeSection,
    ReportBuild,
    ReportFigure,
    ReportStatus,
    Section,
)

# Why an approved report cannot be published yet: what it would publish is a PDF of its approved words.
BUILD_THE_APPROVED_PDF_FIRST = "Build the PDF of the approved report first: the published report is that PDF."

# Each step of the report's life (the ``action`` of the transition page): the status it leads to
# and the statuses it may be taken from. ``services._transition`` enforces the same.
STEPS = {"approve": (ReportStatus.APPROVED, (ReportStatus.DRAFT,)),
         "publish": (ReportStatus.PUBLISHED, (ReportStatus.APPROVED,)),
         "draft": (ReportStatus.DRAFT, (ReportStatus.APPROVED,))}


def status_refusal(report: AnnualReport, to: str) -> str:
    """Why the report, in its present status, cannot be moved ``to`` (a ``ReportStatus`` value):
    "The report is draft, so it cannot be published." One sentence, no query."""
    verb = {ReportStatus.APPROVED: "approved", ReportStatus.PUBLISHED: "published"}.get(to, "reopened")
    return f"The report is {report.get_status_display().lower()}, so it cannot be {verb}."


def publishable_build(report: AnnualReport) -> ReportBuild | None:
    """The build publishing would make the published report: the latest finished build of the
    report's current version asked for since its approval; None when there is none. One query."""
    return (ReportBuild.objects.filter(report=report, status=BuildStatus.DONE, report_version=report.version)
            .filter(requested_at__gte=report.approved_at or report.created_at).order_by("-finished_at").first())


def transition_blockers(report: AnnualReport, action: str) -> list[str]:
    """Why the step ``action`` ("approve", "publish" or "draft"; KeyError otherwise) cannot be
    taken now, one sentence each; [] when it can. The confirmation page says these first and
    offers no button (issue 15); the services refuse with the same words. At most one query."""
    to, allowed_from = STEPS[action]
    if report.status not in allowed_from:
        return [status_refusal(report, to)]
    if action == "publish" and publishable_build(report) is None:
        return [BUILD_THE_APPROVED_PDF_FIRST]
    return []


def report_list(*, partnership_id: int) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(partnership_id=partnership_id).order_by("-year_start")


FRONT = (Section.FOREWORD, Section.ABOUT, Section.KEY_MESSAGES)


def narrative_rows(*, report: AnnualReport) -> list[dict]:
    """The front matter, then each chapter the report carries in its order, with its narrative
    (written or not) and, for chapters with structured figures, how many are recorded (2 queries).
    """
    written = {s.key: s for s in NarrativeSection.objects.filter(report=report).select_related("updated_by")}
    counts = dict(ReportFigure.objects.filter(report=report).values("chapter").annotate(n=Count("id"))
                  .values_list("chapter", "n"))
    rows = [{"key": key.value, "label": key.label, "section": written.get(key.value), "chapter": False}
            for key in FRONT]
    for number, key in enumerate(catalogue.ordered(report.chapters), start=1):
        kind = catalogue.BY_KEY[key]
        rows.append({"key": key, "label": f"{number}. {kind.title}", "section": written.get(key), "chapter": True,
                     "figures": kind.figures, "figure_count": counts.get(key, 0), "hint": kind.figure_hint})
    return rows


def indicator_choices(*, partnership_id: int) -> list:
    """The partnership's indicators in catalogue order, for the composition and figures forms (1 query)."""
    from datasets import dashboard_selectors as ds

    return list(ds.indicators_of(partnership_id))


def agency_rows(*, report: AnnualReport, agencies: QuerySet[Agency]) -> list[dict]:
    """The given agencies that were active in the report's year (partners.lifecycle: a closed CCG
    or a trust not yet active is not asked for a section, issue 12.6), with their section if
    written (2 queries)."""
    year = FinancialYear(report.year_start)
    agencies = agencies.filter(active_during_q(year.start, year.end))
    sections = {s.agency_id: s for s in AgencySection.objects.filter(report=report, agency__in=agencies)}
    return [{"agency": a, "section": sections.get(a.pk)} for a in agencies.order_by("name")]


def build_list(*, partnership_id: int, kind: str | None = None, report: AnnualReport | None = None,
               limit: int = 20) -> list[ReportBuild]:
    qs = ReportBuild.objects.filter(partnership_id=partnership_id).select_related("requested_by", "published_report")
    if kind:
        qs = qs.filter(kind=kind)
    if report is not None:
        qs = qs.filter(report=report)
    return list(qs.order_by("-requested_at", "-id")[:limit])


def pci_builds(*, partnership_id: int) -> list[ReportBuild]:
    """The 20 latest PCI pack builds, newest first (one query)."""
    return build_list(partnership_id=partnership_id, kind=BuildKind.PCI)


def build_rows(*, partnership_id: int, kind: str | None = None, report: AnnualReport | None = None,
               status: str = "", year_start: int | None = None) -> QuerySet[ReportBuild]:
    """Every build of one kind (or of one report), newest first, as a queryset for a list to page
    (issue 16.6); ``status`` and ``year_start`` narrow it. One query a page."""
    qs = ReportBuild.objects.filter(partnership_id=partnership_id).select_related("requested_by", "published_report")
    if kind:
        qs = qs.filter(kind=kind)
    if report is not None:
        qs = qs.filter(report=report)
    if status:
        qs = qs.filter(status=status)
    if year_start is not None:
        qs = qs.filter(year_start=year_start)
    return qs.order_by("-requested_at", "-id")


def build_years(*, partnership_id: int, kind: str) -> list[int]:
    """The financial years (by start) that builds of ``kind`` cover, newest first (one query)."""
    return list(ReportBuild.objects.filter(partnership_id=partnership_id, kind=kind)
                .order_by("-year_start").values_list("year_start", flat=True).distinct())
