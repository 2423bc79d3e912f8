"""Reads for the report pages: fixed query counts."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from partners.lifecycle import active_during_q
from partners.models import Agency
from safeguarding.periods import FinancialYear

from . import chapters as catalogue
from .models import AgencySection, AnnualReport, BuildKind, NarrativeSection, ReportBuild, ReportFigure, Section


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
