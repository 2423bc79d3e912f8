"""The demo, seeded once per test run in a process of its own and copied into each test module
that reads it.

``seed_demo`` builds the demo through the services (every return submitted, queried and accepted
through the workflow), which is what makes it true and what makes it slow: about 100 s on a quiet
machine. Several modules read the whole demo (the story's invariants, the figures everywhere, the
demo report, backup and restore). Each pytest-xdist worker used to seed it once for itself: two
seeds a run, each slowed by the other. Now, as soon as a test process has collected a test that
asks for ``demo_seeded``, one process (``python -m tests.demo_snapshot``) is started for the
whole run. It seeds the demo into a database of its own (``test_<name>_demo``, migrated like the
test databases), writes every table's rows as PostgreSQL ``COPY`` binary files with the media
files the seed wrote into the run's folder, and drops its database. The tests meanwhile run
whatever comes first; a module that needs the demo waits for the files, then restores the rows in
about a second.

The copy is the seed's own output, byte for byte, so a test reads exactly what ``seed_demo``
wrote, and the seed stays covered: if it fails, every module that asks for the demo fails with its
traceback. On SQLite (a laptop without PostgreSQL) there is no ``COPY``: each module seeds as
before.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[1]
# The run's folder, made by the first pytest process (tests/conftest.py pytest_configure) and
# inherited by the xdist workers it starts.
FOLDER_ENV = "SG_DEMO_SNAPSHOT_DIR"
# How long a module waits for the seeding process before it fails: ten times a quiet seed.
WAIT_SECONDS = 1200


@dataclass
class Snapshot:
    """Every table's rows after ``seed_demo``: ``tables`` maps a table name to its column names
    and its ``COPY ... (FORMAT binary)`` bytes in that column order; ``media`` is the folder
    holding the files the seed wrote (evidence, uploads).

    The columns are named because their order differs between databases migrated by different
    processes: Django's migration plan orders independent migrations (two apps adding columns to
    one table) by hash order, which changes with PYTHONHASHSEED."""

    media: Path
    tables: dict[str, tuple[list[str], bytes]] = field(default_factory=dict)


_snapshot: Snapshot | None = None
_process: subprocess.Popen | None = None


def copies() -> bool:
    """True when the test database is PostgreSQL, the only engine with ``COPY``."""
    return connection.vendor == "postgresql"


# Kept by the database's own triggers from the returns and values (datasets/0008): copying them
# back would collide with the rows the triggers make as the values are copied.
DERIVED = {"datasets_partnershipsummary"}


def _tables() -> list[str]:
    return sorted(set(connection.introspection.django_table_names(only_existing=True, include_views=False)) - DERIVED)


def _names(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def folder() -> Path:
    """The run's snapshot folder (``$SG_DEMO_SNAPSHOT_DIR``), made here when a process runs
    without the conftest that makes it (a test file run on its own from another root)."""
    if FOLDER_ENV not in os.environ:
        os.environ[FOLDER_ENV] = tempfile.mkdtemp(prefix="sg-demo-")
    return Path(os.environ[FOLDER_ENV])


def start() -> bool:
    """Start the run's seeding process unless a process of this run already has: the folder's
    ``started`` file, created exclusively, decides which. Returns True if this call started it.
    Does nothing on SQLite."""
    global _process
    if not copies():
        return False
    where = folder()
    try:
        fd = os.open(where / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    from django.conf import settings

    env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    log = open(where / "seed.log", "wb")  # noqa: SIM115 - the child writes it until it ends
    # A session of its own: the process that started it may finish its tests and exit first (an
    # xdist worker given no demo module) while another still waits; the run's last process ends
    # it if it is still going (``stop``).
    _process = subprocess.Popen([sys.executable, "-m", "tests.demo_snapshot", str(where)], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    os.write(fd, str(_process.pid).encode())
    os.close(fd)
    return True


def stop(where: Path) -> None:
    """End the run's seeding process if it is still running (the run was cut short or needed no
    demo after all). Called by the process that made the run's folder, after every other."""
    started = where / "started"
    pid = started.read_text().strip() if started.exists() else ""
    if pid and _alive(int(pid)):
        try:
            os.killpg(int(pid), signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass


def _alive(pid: int) -> bool:
    """Whether process ``pid`` is running: not gone, and not a zombie (a finished child that its
    parent has not reaped yet)."""
    if _process is not None and _process.pid == pid:
        return _process.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _await(where: Path) -> None:
    """Wait until the seeding process has written ``done``. Raises RuntimeError, with the seed's
    own output, when it failed, died without a word, or took longer than ``WAIT_SECONDS``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not (where / "done").exists():
        log = where / "seed.log"
        said = log.read_text(errors="replace")[-6000:] if log.exists() else ""
        if (where / "failed").exists():
            raise RuntimeError(f"seed_demo failed in the demo snapshot process:\n{said}")
        pid = (where / "started").read_text().strip()
        if pid and not _alive(int(pid)) and not (where / "done").exists():
            raise RuntimeError(f"the demo snapshot process ({pid}) ended without its files:\n{said}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo snapshot process took over {WAIT_SECONDS} s:\n{said}")
        time.sleep(0.5)


def snapshot() -> Snapshot:
    """The run's demo: starts the seeding process if nobody has, waits for its files, and reads
    them (once per test process). PostgreSQL only. Raises RuntimeError if the seed failed."""
    global _snapshot
    if _snapshot is None:
        where = folder()
        start()
        _await(where)
        columns = json.loads((where / "tables.json").read_text())
        taken = Snapshot(media=where / "media")
        for table, names in columns.items():
            taken.tables[table] = (names, (where / "tables" / f"{table}.bin").read_bytes())
        _snapshot = taken
    return _snapshot


@dataclass
class DemoReport:
    """The demo's annual report for its last full year as ``reports.pdf.render`` made it: the PDF
    bytes, its page count and the HTML it was printed from (``reports.pdf.RenderResult``'s names)."""

    pdf: bytes
    pages: int
    html: str


def _render_demo_report() -> DemoReport:
    """Render the demo's annual report (the last full year, the manager's composition) from the
    database as it stands. Raises whatever gathering or WeasyPrint raises."""
    from partners.models import Partnership
    from reports import content, pdf
    from reports.demo import REPORT_YEAR
    from reports.models import AnnualReport

    partnership = Partnership.objects.get(slug="northbridge")
    report = AnnualReport.objects.get(partnership=partnership, year_start=REPORT_YEAR.start_year)
    doc = content.draw_charts(content.gather_annual(partnership=partnership, year_start=REPORT_YEAR.start_year,
                                                    report=report))
    result = pdf.render(doc)
    return DemoReport(pdf=result.pdf, pages=result.pages, html=result.html)


_report: DemoReport | None = None


def demo_report() -> DemoReport:
    """The demo's annual report, rendered once per run: by the seeding process from the demo it
    seeded (PostgreSQL), or here from the test database holding the demo (SQLite). Two modules
    check the same 40-page PDF (tests/reports/test_demo_report.py, test_figures_everywhere.py);
    rendering it for each cost about 75 s a run. Raises RuntimeError if the seed failed."""
    global _report
    if _report is None:
        if copies():
            where = folder()
            snapshot()
            meta = json.loads((where / "report.json").read_text())
            _report = DemoReport(pdf=(where / "report.pdf").read_bytes(), pages=meta["pages"],
                                 html=(where / "report.html").read_text())
        else:
            _report = _render_demo_report()
    return _report


def restore(taken: Snapshot, cursor) -> None:
    """Empty every table the snapshot holds and copy its rows back, in one transaction (Django's
    foreign keys are deferred to the commit, so the order of tables does not matter).

    ``cursor`` is a raw psycopg2 cursor on a database migrated like the test database; its
    connection must allow the audit log's TRUNCATE (``portal.audit_truncate=allowed``, see
    safeguarding/migrations/0005). Sequences are not reset here: see ``reset_sequences``."""
    names = ", ".join(f'"{t}"' for t in taken.tables)
    cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    for table, (columns, rows) in taken.tables.items():
        cursor.copy_expert(f'COPY "{table}" ({_names(columns)}) FROM STDIN (FORMAT binary)', io.BytesIO(rows))


def reset_sequences_sql() -> list[str]:
    """The statements that move every model's id sequence past its largest id (Django's own)."""
    return connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))


def load_demo(media_root: Path) -> Path:
    """Put the demo in the test database: copied from the run's snapshot on PostgreSQL, seeded
    on SQLite. Returns the folder to use as MEDIA_ROOT, which holds the seed's files. The caller
    flushes the database when done (``call_command("flush")``)."""
    from django.conf import settings

    if not copies():
        settings.MEDIA_ROOT = str(media_root)
        call_command("seed_demo", stdout=io.StringIO())
        return Path(media_root)
    taken = snapshot()
    with transaction.atomic():
        restore(taken, connection.connection.cursor())
        with connection.cursor() as cursor:
            for statement in reset_sequences_sql():
                cursor.execute(statement)
    # Tests may write into MEDIA_ROOT: give each module its own copy of the seed's files.
    shutil.copytree(taken.media, media_root, dirs_exist_ok=True)
    settings.MEDIA_ROOT = str(media_root)
    return Path(media_root)


def _seed_into_own_database(where: Path) -> None:
    """The seeding process: a fresh ``test_<name>_demo`` database, migrated, seeded with
    ``seed_demo`` (MEDIA_ROOT in ``where/media``), every table written to ``where/tables`` with
    the column names in ``where/tables.json``, the demo's annual report rendered into
    ``where/report.*`` (``demo_report``), then ``done``; the database is dropped."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    name = f"test_{settings.DATABASES['default']['NAME']}_demo"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = connections["default"].settings_dict["NAME"] = name
    try:
        call_command("migrate", interactive=False, verbosity=0)
        settings.MEDIA_ROOT = str(where / "media")
        call_command("seed_demo", stdout=io.StringIO())
        (where / "tables").mkdir()
        columns: dict[str, list[str]] = {}
        raw = connection.connection.cursor()
        for table in _tables():
            with connection.cursor() as cursor:
                columns[table] = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            with open(where / "tables" / f"{table}.bin", "wb") as out:
                raw.copy_expert(f'COPY "{table}" ({_names(columns[table])}) TO STDOUT (FORMAT binary)', out)
        raw.close()
        report = _render_demo_report()
        (where / "report.pdf").write_bytes(report.pdf)
        (where / "report.html").write_text(report.html)
        (where / "report.json").write_text(json.dumps({"pages": report.pages}))
        (where / "tables.json").write_text(json.dumps(columns))
    finally:
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    (where / "done").touch()


if __name__ == "__main__":
    target = Path(sys.argv[1])
    began = time.monotonic()
    try:
        _seed_into_own_database(target)
    except BaseException:
        traceback.print_exc()
        (target / "failed").touch()
        raise SystemExit(1) from None
    print(f"demo snapshot: seeded and written in {time.monotonic() - began:.1f} s", flush=True)
