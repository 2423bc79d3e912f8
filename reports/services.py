"""Every change to annual reports and builds goes through these functions."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.access import can_act_for, require_manager
from partners.lifecycle import require_active
from partners.models import Agency, Partnership, User
from safeguarding.audit import audit_record
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, NotAllowed, full_clean_or_refuse
from safeguarding.formatting import limit_text
from safeguarding.periods import FinancialYear
from safeguarding.queue import enqueue_on_commit, require_broker

from . import conf, selectors
from .models import (
    AgencySection,
    AnnualReport,
    BuildKind,
    BuildStage,
    BuildStatus,
    NarrativeSection,
    ReportBuild,
    ReportStatus,
    Section,
)

log = logging.getLogger(__name__)
MAX_NARRATIVE = 20000


def _require_manager(actor: User | None, partnership_id: int) -> None:
    require_manager(actor, partnership_id)


def _require_editable(report: AnnualReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise DomainError(f"The report is {report.get_status_display().lower()}: return it to draft before "
                          "changing its words." if report.status == ReportStatus.APPROVED else
                          "The report has been published and no longer changes.")


def _text(value: str, field: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_NARRATIVE:
        raise DomainError(f"Keep this to {limit_text(MAX_NARRATIVE)} characters or fewer "
                          f"(it has {limit_text(len(value))}).",
                          field=field)
    return value


# ---------------------------------------------------------------- the report


@transaction.atomic
def report_create(*, actor: User | None, partnership: Partnership, year_start: int) -> AnnualReport:
    _require_manager(actor, partnership.pk)
    if AnnualReport.objects.filter(partnership=partnership, year_start=year_start).exists():
        raise DomainError("There is already an annual report for that year.", field="year")
    report = AnnualReport.objects.create(partnership=partnership, year_start=year_start,
                                         status_changed_on=timezone.localdate())
    audit_record(actor=actor, action="annual_report.created", obj=report, after={"year_start": year_start})
    return report


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def narrative_save(*, actor: User | None, report: AnnualReport, key: str, body: str,
                   version: str | None) -> NarrativeSection:
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    _require_editable(report)
    if key not in Section.values:
        raise DomainError("There is no such section in the report.")
    section, _ = NarrativeSection.objects.select_for_update().get_or_create(report=report, key=key)
    ensure_current(current=section.updated_at if section.body else None, token=version, what="section")
    before = section.body
    section.body = _text(body, "body")
    section.updated_by = actor if getattr(actor, "pk", None) else None
    section.save()
    audit_record(actor=actor, action="annual_report.section_saved", obj=report,
                 before={"key": key, "body": before}, after={"key": key, "body": section.body})
    return section


@transaction.atomic
def agency_section_save(*, actor: User | None, report: AnnualReport, agency: Agency, achievements: str,
                        challenges: str, version: str | None) -> AgencySection:
    report = _lock(report)
    if agency.partnership_id != report.partnership_id:
        raise NotAllowed("That agency is not part of this partnership.")
    if actor is not None and not can_act_for(actor, agency):
        raise NotAllowed("Only people who act for this agency can write its section.")
    _require_editable(report)
    year = FinancialYear(report.year_start)
    require_active(agency, year.start, year.end, what=f"a section in the {year.label} report")
    section, _ = AgencySection.objects.select_for_update().get_or_create(report=report, agency=agency)
    has_text = bool(section.achievements or section.challenges)
    ensure_current(current=section.updated_at if has_text else None, token=version, what="section")
    before = {"achievements": section.achievements, "challenges": section.challenges}
    section.achievements = _text(achievements, "achievements")
    section.challenges = _text(challenges, "challenges")
    section.updated_by = actor if getattr(actor, "pk", None) else None
    section.save()
    audit_record(actor=actor, action="annual_report.agency_section_saved", obj=report, before=before,
                 after={"agency": agency.slug, "achievements": section.achievements,
                        "challenges": section.challenges})
    return section


@transaction.atomic
def distribution_save(*, actor: User | None, report: AnnualReport, distribution: str,
                      version: str | None) -> AnnualReport:
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    _require_editable(report)
    ensure_current(current=report.updated_at, token=version, what="report")
    before = report.distribution
    report.distribution = _text(distribution, "distribution")
    report.save(update_fields=["distribution", "updated_at"])
    audit_record(actor=actor, action="annual_report.distribution_saved", obj=report,
                 before={"distribution": before}, after={"distribution": report.distribution})
    return report


def _transition(actor, report: AnnualReport, *, to: str, allowed_from: tuple[str, ...], action: str,
                **changes) -> AnnualReport:
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    if report.status not in allowed_from:
        raise DomainError(selectors.status_refusal(report, to))
    before = {"status": report.status, "version": report.version}
    report.status = to
    report.status_changed_on = timezone.localdate()
    for name, value in changes.items():
        setattr(report, name, value)
    full_clean_or_refuse(report)
    report.save()
    audit_record(actor=actor, action=action, obj=report, before=before,
                 after={"status": report.status, "version": report.version})
    return report


@transaction.atomic
def report_approve(*, actor: User | None, report: AnnualReport) -> AnnualReport:
    return _transition(actor, report, to=ReportStatus.APPROVED, allowed_from=(ReportStatus.DRAFT,),
                       action="annual_report.approved", approved_at=timezone.now())


@transaction.atomic
def report_return_to_draft(*, actor: User | None, report: AnnualReport) -> AnnualReport:
    # A new version: PDFs built from the approved words stay as they were.
    return _transition(actor, report, to=ReportStatus.DRAFT, allowed_from=(ReportStatus.APPROVED,),
                       action="annual_report.returned_to_draft", version=report.version + 1)


@transaction.atomic
def report_publish(*, actor: User | None, report: AnnualReport) -> AnnualReport:
    current = AnnualReport.objects.select_for_update().get(pk=report.pk)
    build = selectors.publishable_build(current)
    if current.status == ReportStatus.APPROVED and build is None:
        raise DomainError(selectors.BUILD_THE_APPROVED_PDF_FIRST)
    return _transition(actor, current, to=ReportStatus.PUBLISHED, allowed_from=(ReportStatus.APPROVED,),
                       action="annual_report.published", published_build=build)


# ---------------------------------------------------------------- builds


def _may_build(actor: User | None, partnership_id: int, kind: str) -> None:
    if actor is None:
        return
    if actor.partnership_id != partnership_id:
        raise NotAllowed("You can only build your own partnership's reports.")
    if kind == BuildKind.ANNUAL and not actor.is_manager:
        raise NotAllowed("Only the business manager can build the annual report.")
    if kind == BuildKind.PCI and not (actor.is_manager or actor.is_pci):
        raise NotAllowed("Only PCI members and the business manager can build the PCI pack.")


def _require_quarter_exists(partnership: Partnership, *, year_start: int, number: int) -> None:
    """A PCI pack is only built for one of the partnership's quarters (set up under Quarters):
    ``0001/02-Q1`` or a year nobody reports is refused (issue 11, point 5)."""
    from datasets.selectors.quarters import quarters_of

    if not any(q.number == number for q in quarters_of(partnership.pk, year_start=year_start)):
        label = f"{year_start:04d}/{(year_start + 1) % 100:02d}-Q{number}"
        raise DomainError(f"{label} is not one of the partnership's quarters: choose a quarter that has been "
                          "set up under Quarters.", field="quarter")


def build_request(*, actor: User | None, partnership: Partnership, kind: str, year_start: int, quarter: int = 0,
                  retry_of: ReportBuild | None = None) -> tuple[ReportBuild, bool]:
    """Queue a build; returns (build, created). A build already queued or running is returned as is.

    The broker is checked before anything is written, so "the queue is down" loses nothing.
    """
    _may_build(actor, partnership.pk, kind)
    if kind == BuildKind.ANNUAL:
        quarter = 0
    elif quarter not in (1, 2, 3, 4):
        raise DomainError("Choose a quarter from 1 to 4.", field="quarter")
    else:
        _require_quarter_exists(partnership, year_start=year_start, number=quarter)
    require_broker()
    with transaction.atomic():
        # One request at a time per partnership: the second of two simultaneous clicks waits here,
        # then finds the first one's build.
        Partnership.objects.select_for_update().get(pk=partnership.pk)
        sweep_stale_builds(partnership_id=partnership.pk)
        report = None
        if kind == BuildKind.ANNUAL:
            report = AnnualReport.objects.filter(partnership=partnership, year_start=year_start).first()
            if report is None:
                raise DomainError("Start the annual report for this year before building it.")
            if report.status == ReportStatus.PUBLISHED:
                raise DomainError("This report has been published: its PDF never changes.")
        existing = ReportBuild.objects.filter(partnership=partnership, kind=kind, year_start=year_start,
                                              quarter=quarter, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]
                                              ).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                build = ReportBuild.objects.create(
                    partnership=partnership, kind=kind, report=report, year_start=year_start, quarter=quarter,
                    report_version=report.version if report else 1,
                    requested_by=actor if getattr(actor, "pk", None) else None, retry_of=retry_of)
        except IntegrityError:  # the constraint is the backstop if a caller skipped the lock
            return ReportBuild.objects.get(partnership=partnership, kind=kind, year_start=year_start,
                                           quarter=quarter, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]), False
        audit_record(actor=actor, action="report_build.requested", obj=build, partnership=partnership,
                     data={"kind": kind, "period": build.period_label, "retry_of": retry_of.pk if retry_of else None})
        from .tasks import build_report

        build_id = build.pk
        enqueue_on_commit(build_report, build_id, on_failure=lambda exc: build_fail(
            build_id=build_id, message="The build could not be handed to the task queue. Nothing else was "
                                       "lost: try again in a few minutes."))
    return build, True


def build_retry(*, actor: User | None, build: ReportBuild) -> tuple[ReportBuild, bool]:
    if build.status != BuildStatus.FAILED:
        raise DomainError("Only a failed build can be tried again.")
    return build_request(actor=actor, partnership=build.partnership, kind=build.kind, year_start=build.year_start,
                         quarter=build.quarter, retry_of=build)


def build_fail(*, build_id: int, message: str) -> bool:
    """Mark a queued or running build failed; a finished build is left alone. Always safe to call."""
    now = timezone.now()
    changed = ReportBuild.objects.filter(pk=build_id, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).update(
        status=BuildStatus.FAILED, error=message[:2000], finished_at=now)
    if changed:
        build = ReportBuild.objects.get(pk=build_id)
        audit_record(actor=None, action="report_build.failed", obj=build, partnership=build.partnership,
                     data={"error": message[:500]})
    return bool(changed)


def sweep_stale_builds(*, partnership_id: int | None = None) -> int:
    """Builds that stopped without saying so (worker killed, hard time limit) are marked failed."""
    now = timezone.now()
    hard = conf.hard_time_limit()
    qs = ReportBuild.objects.all() if partnership_id is None else ReportBuild.objects.filter(
        partnership_id=partnership_id)
    running = qs.filter(status=BuildStatus.RUNNING, heartbeat_at__lt=now - dt.timedelta(seconds=hard + 5))
    queued = qs.filter(status=BuildStatus.QUEUED,
                       requested_at__lt=now - dt.timedelta(seconds=hard * conf.QUEUED_STALE_FACTOR))
    count = 0
    for build_id in running.values_list("pk", flat=True):
        count += build_fail(build_id=build_id, message=(
            "The build stopped without finishing: the worker building it was stopped or ran past the "
            f"{hard}-second limit. Try again; if it fails again, tell your administrator."))
    for build_id in queued.values_list("pk", flat=True):
        count += build_fail(build_id=build_id, message=(
            "No worker picked the build up. Try again; if it fails again, tell your administrator."))
    return count


def _stage(build_id: int, stage: str) -> None:
    now = timezone.now()
    ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(stage=stage, heartbeat_at=now)


def build_run(*, build_id: int) -> ReportBuild | None:
    """Do the build (called by the task, or directly by the management command's builds)."""
    from . import content, pdf

    now = timezone.now()
    started = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING, stage=BuildStage.GATHERING, started_at=now, heartbeat_at=now)
    if not started:
        # Delivered twice, or already failed by the sweep: nothing to do.
        log.info("Build %s is not queued; skipping", build_id)
        return None
    build = ReportBuild.objects.select_related("partnership", "report", "requested_by").get(pk=build_id)
    t0 = time.perf_counter()
    ctx = content.gather(build=build)
    _stage(build_id, BuildStage.CHARTS)
    content.draw_charts(ctx)
    _stage(build_id, BuildStage.RENDERING)
    result = pdf.render(ctx)
    path = store_pdf(build, result.pdf)
    if build.kind == BuildKind.ANNUAL:
        from .edition import edition_path, render_edition

        # The web edition of the same content model, kept beside the PDF (issue 15.10).
        target = Path(settings.MEDIA_ROOT) / edition_path(path)
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(render_edition(ctx))
    duration = int((time.perf_counter() - t0) * 1000)
    done = ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(
        status=BuildStatus.DONE, stage=BuildStage.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(),
        duration_ms=duration, pages=result.pages, size_bytes=len(result.pdf),
        sha256=hashlib.sha256(result.pdf).hexdigest(), file=path)
    if not done:
        # The sweep gave up on it meanwhile; the failed state stands and the file is not offered.
        Path(settings.MEDIA_ROOT, path).unlink(missing_ok=True)
        Path(settings.MEDIA_ROOT, path).with_suffix(".html").unlink(missing_ok=True)
        return None
    build.refresh_from_db()
    audit_record(actor=None, action="report_build.done", obj=build, partnership=build.partnership,
                 data={"pages": build.pages, "bytes": build.size_bytes, "sha256": build.sha256, "ms": duration})
    return build


def store_pdf(build: ReportBuild, data: bytes) -> str:
    """Write the PDF under MEDIA_ROOT once; files are never overwritten (each build has its own)."""
    # A random part: build numbers repeat when a database is rebuilt, stored files must not clash.
    relative = Path("reports") / build.partnership.slug / f"{Path(build.filename).stem}-{secrets.token_hex(6)}.pdf"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as fh:
        fh.write(data)
    return str(relative)


def build_file_path(build: ReportBuild) -> Path:
    return Path(settings.MEDIA_ROOT) / build.file
