"""A real queue: a Celery worker process against Redis and the PostgreSQL test database.

The worker runs with the test settings and the test database's name, so it reads what this test
wrote (transactional tests commit). Redis db 7 is this suite's own.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from partners.governance import selectors as governance_selectors
from partners.governance import services as governance
from reports import services
from reports.charts import format_value
from reports.models import BuildStatus, ReportBuild
from safeguarding.celery import app
from safeguarding.settings import test as test_settings
from tests.conftest import skip_or_fail
from tests.factories import AgencyFactory, SubgroupFactory

from .factories import YEAR, annual_report
from .test_build import CHAPTERS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROKER = os.environ.get("REPORTS_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")
TIME_LIMIT = 20  # seconds: short, so that a killed build is noticed within the test
ROOT = Path(__file__).resolve().parents[2]


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(BROKER, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:
        skip_or_fail(f"Redis is not reachable at {BROKER} ({type(exc).__name__})")
    client.flushdb()  # db 7 belongs to this suite: drop messages a previous run left behind


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    _redis_or_skip()
    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "safeguarding.settings.test",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
           "CELERY_BROKER_URL": BROKER,
           "REPORTS_BUILD_TIME_LIMIT": str(TIME_LIMIT)}
    celery = str(Path(sys.executable).with_name("celery"))
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [celery, "-A", "safeguarding", "worker", "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"reports-test-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    yield proc, log
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def real_queue(worker, settings, monkeypatch):
    """This test process sends to Redis instead of running tasks in-process."""
    # Read before the settings change: Celery loads its configuration from them on first use.
    old = (app.conf.task_always_eager, app.conf.broker_url)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER
    # The worker writes under the test settings' MEDIA_ROOT; read from the same place.
    settings.MEDIA_ROOT = test_settings.MEDIA_ROOT
    monkeypatch.setenv("REPORTS_BUILD_TIME_LIMIT", str(TIME_LIMIT))
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration (CI sets
    # one for the whole run), so point that at this suite's Redis database too.
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
    _reset_pools()
    app.conf.task_always_eager, app.conf.broker_url = False, BROKER
    yield worker
    _reset_pools()
    app.conf.task_always_eager, app.conf.broker_url = old
    # The worker wrote under the shared test MEDIA_ROOT: take this test's PDFs away again.
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "reports" / "testshire", ignore_errors=True)


def _reset_pools():
    # The app caches its pools on first use; forget them so the next send uses the current URL
    # (kombu keeps one pool per URL, so nothing needs closing).
    app._pool = None
    app.amqp._producer_pool = None


def _wait(build_id: int, until, timeout: float, log: Path) -> ReportBuild:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build = ReportBuild.objects.get(pk=build_id)
        if until(build):
            return build
        time.sleep(0.05)
    pytest.fail(f"Build {build_id} is {build.status}/{build.stage} after {timeout}s.\n"
                f"Worker log:\n{log.read_text()[-3000:]}")


def _data(world, extra_agencies: int = 0):
    report = annual_report(world)
    services.narrative_save(actor=world.manager, report=report, key="foreword", body="Foreword from the chair.",
                            version="")
    agencies = [world.agency_a, world.agency_b] + [
        AgencyFactory(partnership=world.partnership, name=f"Extra agency {n:02d}", slug=f"extra-{n}")
        for n in range(extra_agencies)]
    board = SubgroupFactory(partnership=world.partnership, name="The board", slug="board", is_board=True)
    for month in (5, 7, 10, 1, 3):
        held = dt.date(YEAR + (1 if month < 4 else 0), month, 10)
        governance.meeting_create(actor=None, partnership=world.partnership, subgroup=board, held_on=held,
                                  attendance={a: "present" if (i + month) % 4 else "apologies"
                                              for i, a in enumerate(agencies)})
    budget = governance.budget_ensure(actor=None, partnership=world.partnership, year_start=YEAR)
    governance.budget_update(actor=None, budget=budget, version=budget.updated_at.isoformat(),
                             reserves_used=Decimal("7500"),
                             contributions={a: (Decimal(10000 + 137 * i), Decimal(500))
                                            for i, a in enumerate(agencies)})
    return report


def _pdf_text(build: ReportBuild) -> str:
    reader = PdfReader(io.BytesIO(services.build_file_path(build).read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_real_worker_builds_the_report_through_the_page(world, as_user, real_queue):
    _, log = real_queue
    _data(world)
    client = as_user(world.manager)
    response = client.post(reverse("reports:report_build", kwargs={"year": YEAR}))
    build = ReportBuild.objects.get()
    assert response.url == reverse("reports:build_detail", kwargs={"pk": build.pk})
    # Pressed again while it is queued or running: the same build.
    again = client.post(reverse("reports:report_build", kwargs={"year": YEAR}))
    assert again.url == response.url and ReportBuild.objects.count() == 1
    page = client.get(response.url).content.decode()
    # Still going: the live region is followed by the progress script. Already done: the download.
    assert 'data-active="true"' in page or "The PDF is ready" in page
    build = _wait(build.pk, lambda b: b.status in (BuildStatus.DONE, BuildStatus.FAILED), 120, log)
    assert build.status == BuildStatus.DONE, build.error
    text = _pdf_text(build)
    for title in CHAPTERS:
        assert title in text, title
    budget = governance_selectors.budget_summary(partnership_id=world.partnership.pk, year_start=YEAR)
    assert f"£{budget['contributions_total']:,.0f}" in text  # the total, as the database has it
    attendance = governance_selectors.attendance_by_seat(partnership_id=world.partnership.pk, year_start=YEAR)
    assert f"represented at {format_value(attendance['overall_rate'], '%')}" in text
    assert "Foreword from the chair." in text
    page = client.get(response.url).content.decode()
    assert "The PDF is ready" in page and 'data-active="false"' in page
    download = client.get(reverse("reports:build_download", kwargs={"pk": build.pk}))
    assert b"".join(download.streaming_content) == services.build_file_path(build).read_bytes()


def test_a_build_killed_mid_way_ends_failed_and_a_retry_succeeds(world, as_user, real_queue):
    proc, log = real_queue
    _data(world, extra_agencies=40)  # a bigger report, so the build is caught while it runs
    client = as_user(world.manager)
    client.post(reverse("reports:report_build", kwargs={"year": YEAR}))
    build = ReportBuild.objects.get()
    _wait(build.pk, lambda b: b.status == BuildStatus.RUNNING or b.status == BuildStatus.DONE, 60, log)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the worker has no pool process"
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    build.refresh_from_db()
    assert build.status == BuildStatus.RUNNING, "the build finished before it could be killed"
    # Nobody is building it any more: once it has been silent past the time limit, the page says so.
    time.sleep(TIME_LIMIT + 6)
    page = client.get(reverse("reports:build_detail", kwargs={"pk": build.pk})).content.decode()
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and "stopped without finishing" in build.error
    assert "The build failed" in page and "Try the build again" in page
    response = client.post(reverse("reports:build_retry", kwargs={"pk": build.pk}))
    retry = ReportBuild.objects.latest("pk")
    assert response.url == reverse("reports:build_detail", kwargs={"pk": retry.pk}) and retry.retry_of_id == build.pk
    retry = _wait(retry.pk, lambda b: b.status in (BuildStatus.DONE, BuildStatus.FAILED), 120, log)
    assert retry.status == BuildStatus.DONE, retry.error
    assert "Extra agency 39" in _pdf_text(retry)
