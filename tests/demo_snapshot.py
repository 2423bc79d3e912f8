"""The demo, seeded once per test session and copied back wherever a test module needs it.

``seed_demo`` builds the demo through the services (every return submitted, queried and accepted
through the workflow, every report built), which is what makes it true and what makes it slow:
about 40 s on a quiet machine. Several modules read the whole demo (the story's invariants, the
figures everywhere, the demo report, backup and restore); seeding it for each cost minutes of
every CI run. So the first of them seeds it once, committed, into the test database, and this
module keeps every table's rows as PostgreSQL ``COPY`` binary data, with the media files the seed
wrote. Each later module restores those rows in about a second.

The copy is the seed's own output, byte for byte, so a test reads exactly what ``seed_demo``
wrote; the seed itself stays covered by the first module that asks (and by
``tests/datasets/test_demo.py`` and ``tests/reviews/test_demo.py``, which seed their parts twice
to prove them idempotent). On SQLite (a laptop without PostgreSQL) there is no ``COPY``: each
module seeds as before.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Snapshot:
    """Every table's rows after ``seed_demo``: ``tables`` maps a table name to its column names
    and its ``COPY ... (FORMAT binary)`` bytes in that column order; ``media`` is the folder
    holding the files the seed wrote (report PDFs and web editions).

    The columns are named because their order differs between databases migrated by different
    processes: Django's migration plan orders independent migrations (two apps adding columns to
    one table) by hash order, which changes with PYTHONHASHSEED."""

    media: Path
    tables: dict[str, tuple[list[str], bytes]] = field(default_factory=dict)


_snapshot: Snapshot | None = None


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


def snapshot(media_root: Path) -> Snapshot:
    """Seed the demo into the (empty) test database with ``media_root`` as MEDIA_ROOT, keep every
    table's rows, and return them; the database keeps the demo. Seeds only once per session.

    Raises whatever ``seed_demo`` raises; a PostgreSQL error if a table cannot be read."""
    global _snapshot
    if _snapshot is None:
        from django.conf import settings

        settings.MEDIA_ROOT = str(media_root)
        call_command("seed_demo", stdout=io.StringIO())
        taken = Snapshot(media=Path(media_root))
        raw = connection.connection.cursor()
        for table in _tables():
            with connection.cursor() as cursor:
                columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            buffer = io.BytesIO()
            raw.copy_expert(f'COPY "{table}" ({_names(columns)}) TO STDOUT (FORMAT binary)', buffer)
            taken.tables[table] = (columns, buffer.getvalue())
        raw.close()
        _snapshot = taken
    return _snapshot


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
    """Put the demo in the test database: copied from the session's snapshot on PostgreSQL (seeded
    the first time), seeded on SQLite. Returns the folder to use as MEDIA_ROOT, which holds the
    seed's files. The caller flushes the database when done (``call_command("flush")``)."""
    from django.conf import settings

    if not copies():
        settings.MEDIA_ROOT = str(media_root)
        call_command("seed_demo", stdout=io.StringIO())
        return Path(media_root)
    if _snapshot is None:
        return snapshot(media_root).media
    with transaction.atomic():
        restore(_snapshot, connection.connection.cursor())
        with connection.cursor() as cursor:
            for statement in reset_sequences_sql():
                cursor.execute(statement)
    # Tests may write into MEDIA_ROOT: give each module its own copy of the seed's files.
    shutil.copytree(_snapshot.media, media_root, dirs_exist_ok=True)
    settings.MEDIA_ROOT = str(media_root)
    return Path(media_root)
