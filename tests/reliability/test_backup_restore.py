"""Backup and restore, as the README documents them: dump, restore into a fresh database, and
the portal shows the same thing from both. The source database holds the whole demo (the rows
``seed_demo`` wrote, copied from the run's seed: tests/demo_snapshot.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests import demo_snapshot
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
SRC, DST = "sg_backup_src", "sg_backup_dst"
PG = "postgres://postgres@127.0.0.1:5432"


def _run(cmd, env=None, **kwargs):
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def _table_digests(db: str) -> dict[str, str]:
    sql = (
        "SELECT string_agg(format('SELECT %L, count(*), "
        "md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) FROM %I t', tablename, tablename), "
        "' UNION ALL ') FROM pg_tables WHERE schemaname = 'public'"
    )
    query = _run(["psql", f"{PG}/{db}", "-tAc", sql]).strip()
    rows = _run(["psql", f"{PG}/{db}", "-tA", "-F", "\t", "-c", query]).strip().splitlines()
    return {r.split("\t")[0]: r for r in rows}


def _demo_into(db: str, media: Path) -> None:
    """The run's demo (``seed_demo``'s rows, tests/demo_snapshot.py) into the migrated ``db``,
    its files into ``media``: the same data as running ``seed_demo`` there, in a second."""
    import psycopg2

    from tests.demo_snapshot import reset_sequences_sql, restore, snapshot

    if not demo_snapshot.copies():
        skip_or_fail("the backup test needs the demo on PostgreSQL")
    taken = snapshot()  # the run's seed, already read by the demo_seeded fixture
    shutil.copytree(taken.media, media, dirs_exist_ok=True)
    conn = psycopg2.connect(f"{PG}/{db}", options="-c portal.audit_truncate=allowed")
    try:
        with conn, conn.cursor() as cursor:
            restore(taken, cursor)
            for statement in reset_sequences_sql():
                cursor.execute(statement)
    finally:
        conn.close()


def test_backup_and_restore_round_trip(tmp_path, demo_seeded):
    if not shutil.which("pg_dump") or subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode != 0:
        skip_or_fail("PostgreSQL and its client tools are needed for the backup test")
    for db in (SRC, DST):
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    _run(["createdb", "-h", "127.0.0.1", "-U", "postgres", SRC])
    _run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DST])
    env_src = {"DATABASE_URL": f"{PG}/{SRC}", "DJANGO_SETTINGS_MODULE": "safeguarding.settings.local",
               "MEDIA_ROOT": str(tmp_path / "media-src"), "CELERY_BROKER_URL": ""}
    env_dst = env_src | {"DATABASE_URL": f"{PG}/{DST}", "MEDIA_ROOT": str(tmp_path / "media-dst")}
    try:
        _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env_src)
        _demo_into(SRC, tmp_path / "media-src")
        dump = _run(["scripts/backup.sh", str(tmp_path / "backup")], env_src).strip().splitlines()[-1]
        _run(["scripts/restore.sh", dump], env_dst)

        source, restored = _table_digests(SRC), _table_digests(DST)
        assert source.keys() == restored.keys()
        assert source == restored
        assert int(source["safeguarding_auditevent"].split("\t")[1]) > 0

        pages_src = json.loads(_run([sys.executable, "tests/reliability/page_fingerprints.py"], env_src))
        pages_dst = json.loads(_run([sys.executable, "tests/reliability/page_fingerprints.py"], env_dst))
        assert pages_src and pages_src == pages_dst
        assert all(status == 200 for status, _ in pages_src.values())
    finally:
        for db in (SRC, DST):
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", db])
