"""Objects of the reports app for tests, made through the services where it matters."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from reports import services
from reports.models import AnnualReport, BuildKind, BuildStage, BuildStatus, ReportBuild

YEAR = 2024


def annual_report(world, year: int = YEAR) -> AnnualReport:
    return (AnnualReport.objects.filter(partnership=world.partnership, year_start=year).first()
            or services.report_create(actor=None, partnership=world.partnership, year_start=year))


def finished_build(world, *, report: AnnualReport | None = None, kind: str = BuildKind.ANNUAL, quarter: int = 0,
                   status: str = BuildStatus.DONE, data: bytes = b"%PDF-1.7 test\n%%EOF\n") -> ReportBuild:
    """A build as the task leaves it (done with a file, or failed), without running WeasyPrint."""
    build = ReportBuild.objects.create(
        partnership=world.partnership, kind=kind, report=report if kind == BuildKind.ANNUAL else None,
        year_start=YEAR, quarter=quarter, requested_by=world.manager, status=BuildStatus.RUNNING,
        stage=BuildStage.RENDERING, started_at=timezone.now(), heartbeat_at=timezone.now())
    if status == BuildStatus.DONE:
        path = services.store_pdf(build, data)
        if kind == BuildKind.ANNUAL:  # its web edition, as build_run stores it (its own inline stylesheet)
            (Path(settings.MEDIA_ROOT) / Path(path).with_suffix(".html")).write_text(
                "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Test edition</title>"
                "<style>body{font-family:arial,sans-serif}</style></head>"
                "<body><main><h1>Test edition</h1></main></body></html>", encoding="utf-8")
        ReportBuild.objects.filter(pk=build.pk).update(
            status=status, stage=BuildStage.DONE, finished_at=timezone.now(), pages=1, size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(), file=path,
            duration_ms=10)
    else:
        ReportBuild.objects.filter(pk=build.pk).update(status=status, finished_at=timezone.now(),
                                                       error="The build failed: RuntimeError: boom")
    build.refresh_from_db()
    return build
