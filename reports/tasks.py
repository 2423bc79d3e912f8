"""Thin Celery tasks: take ids, call a service; a failure always leaves the build failed, never running."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import conf, services

log = logging.getLogger(__name__)


@shared_task(name="reports.build_report", acks_late=False, soft_time_limit=conf.soft_time_limit(),
             time_limit=conf.hard_time_limit())
def build_report(build_id: int) -> None:
    # acks_late is off: a build whose worker died is marked failed by the sweep and retried by a
    # person, rather than silently re-run when the message is redelivered.
    try:
        services.build_run(build_id=build_id)
    except SoftTimeLimitExceeded:
        services.build_fail(build_id=build_id, message=(
            f"The build took longer than {conf.soft_time_limit()} seconds and was stopped. Try again; if it "
            "keeps happening, tell your administrator."))
    except Exception as exc:
        log.exception("Report build %s failed", build_id)
        services.build_fail(build_id=build_id, message=f"The build failed: {type(exc).__name__}: {exc}"[:1000])
        raise


@shared_task(name="reports.sweep_stale_builds", soft_time_limit=60, time_limit=90)
def sweep_stale_builds() -> int:
    return services.sweep_stale_builds()


@shared_task(name="reports.send_distribution_reminders", soft_time_limit=120, time_limit=180)
def send_distribution_reminders() -> int:
    from .distribution import send_distribution_reminders as send

    return send()
