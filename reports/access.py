"""Scoping for reports: everything belongs to the person's own partnership (404 otherwise)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import AnnualReport, ReportBuild


def reports_for(user) -> QuerySet[AnnualReport]:
    if not user.is_authenticated or user.partnership_id is None:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(partnership_id=user.partnership_id)


def report_for(user, year: int) -> AnnualReport:
    return get_object_or_404(reports_for(user).select_related("partnership"), year_start=year)


def builds_for(user) -> QuerySet[ReportBuild]:
    if not user.is_authenticated or user.partnership_id is None:
        return ReportBuild.objects.none()
    return ReportBuild.objects.filter(partnership_id=user.partnership_id)


def may_download(user, build: ReportBuild) -> bool:
    """A published report is for everyone in the partnership; drafts and PCI packs for readers."""
    if getattr(build, "published_report", None) is not None:
        return True
    return bool(user.reads_everything)
