"""A web worker settles at start (safeguarding/worker.py): every view imported, and the loaded
portal frozen out of the garbage collector's full collections."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from safeguarding.worker import settle

ROOT = Path(__file__).resolve().parents[2]


def test_settle_loads_every_view_and_freezes_what_is_loaded():
    try:
        settle()
        assert "reports.dashboards.views" in sys.modules and "datasets.views" in sys.modules
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_wsgi_application_settles_each_worker():
    # A fresh interpreter, as gunicorn's worker is: importing the WSGI module settles it.
    code = ("import gc, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'safeguarding.settings.test'; "
            "import safeguarding.wsgi; print(gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.split()[-1]) > 10_000
