"""A web worker's start: load what every request needs, then keep it out of the garbage
collector's way.

Python's full (oldest-generation) collection walks every object the process holds: for a loaded
portal that is some 160,000 objects (Django, the apps, the URLconf and its views), about 90 ms of
CPU. The dashboards build tens of thousands of short-lived objects a page (a 200-agency matrix
judges 3,000 series), which pushed a full collection into every second or third request and
decided the 95th percentile (tests/bench/bench_dashboards.py). ``gc.freeze()`` moves the objects
that live as long as the worker into a permanent generation that collections skip, as the Python
documentation advises for a process that forks workers; the requests' own garbage is collected as
before.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Import every view (through the URLconf) and freeze the loaded objects out of the garbage
    collector's collections (``gc.freeze``). Call once per process, after ``django.setup()``:
    ``safeguarding/wsgi.py`` does for each gunicorn worker. Raises nothing of its own; an error
    importing a view surfaces here, at start, instead of on a first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the attribute imports every view module
    gc.collect()
    gc.freeze()
