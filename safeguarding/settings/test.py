"""Tests: fast hashing, in-memory email, PostgreSQL like production.

CI sets DATABASE_URL and CELERY_BROKER_URL. On a laptop without them the suite uses the
project machines' PostgreSQL at 127.0.0.1 when it answers, and otherwise SQLite, saying so.
"""

import os
import socket
import sys

import dj_database_url

from .base import *  # noqa: F401,F403
from .base import BASE_DIR

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - tests never serve real data
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# One folder per pytest-xdist worker (PYTEST_XDIST_WORKER is "gw0", "gw1"...; unset without
# xdist), so one worker's clean-up never removes another's files. A Celery worker started by a
# test inherits the variable and so writes where that test reads.
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"


def _postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


_url = os.environ.get("DATABASE_URL")
if not _url:
    if _postgres_answers():
        _url = "postgres://postgres@127.0.0.1:5432/safeguarding"
    elif os.environ.get("CI") == "true":
        raise SystemExit("CI=true but PostgreSQL does not answer at 127.0.0.1:5432.")
    else:
        print("tests: PostgreSQL not reachable, falling back to SQLite", file=sys.stderr)
        _url = f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Transactional tests empty the database with TRUNCATE, which the audit log refuses unless
    # the connection says so (safeguarding/migrations/0005_audit_no_truncate.py).
    DATABASES["default"]["OPTIONS"] = {"options": "-c portal.audit_truncate=allowed"}

# Unit tests run tasks in-process; the real-worker tests start their own worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Lockout is tested explicitly; keep it deterministic.
AXES_FAILURE_LIMIT = 5

# Static files straight from the source folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
