"""Load: N simulated people browsing the portal for a while, against gunicorn on PostgreSQL.

    .venv/bin/python tests/bench/load.py [--users 50] [--seconds 60] [--port 8765]

Builds a fresh database with the demo data, starts gunicorn on 127.0.0.1, signs each simulated
person in as one of the demo roles, and has them open the pages their menu offers (and the pages
those link to inside the portal) in a loop. Prints JSON: requests, errors, p50/p95 per page kind.
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.portal_server import Session, fresh_database, gunicorn, server_env  # noqa: E402

ROLES = ["manager@northbridge.example", "pci.member@northbridge.example", "designated.nurse@northbridge.example",
         "named.nurse@nuh.example", "performance@northbridge-council.example", "safeguarding@nbgpfed.example",
         "mash@northbridge-police.example"]
LINK = re.compile(r'href="(/[^"#?]*)"')
NAV = re.compile(r'class="govuk-service-navigation__link" href="(/[^"]*)"')
SKIP = ("/account/", "/django-admin/", "/static/", "/healthz", "export", "download", ".xlsx", ".csv", ".pdf")
MAX_REQUESTS_PER_USER = 5000


def kind(path: str) -> str:
    return re.sub(r"/\d+", "/<id>", re.sub(r"/[a-z0-9-]+-[a-z0-9-]+/", "/<slug>/", path))


def simulate(port: int, email: str, until: float, results: dict, lock: threading.Lock, rng: random.Random) -> None:
    session = Session(port)
    if not session.sign_in(email):
        with lock:
            results["errors"].append(f"{email}: could not sign in")
        return
    status, home = session.get("/")
    pages = list(dict.fromkeys(NAV.findall(home))) or ["/"]
    seen = set(pages)
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= until:
            break
        path = rng.choice(pages)
        started = time.perf_counter()
        try:
            status, body = session.get(path)
        except OSError as exc:
            with lock:
                results["errors"].append(f"{path}: {type(exc).__name__}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            results["latency"][kind(path)].append(elapsed)
            results["count"] += 1
            if status >= 500 or status == 0:
                results["errors"].append(f"{path}: HTTP {status}")
        for link in LINK.findall(body):
            if link not in seen and not any(s in link for s in SKIP) and len(seen) < 60:
                seen.add(link)
                pages.append(link)
        time.sleep(rng.uniform(0.05, 0.3))  # a person reads the page


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="sg_load")
    args = parser.parse_args()

    url = fresh_database(args.database)
    results = {"latency": defaultdict(list), "errors": [], "count": 0}
    lock = threading.Lock()
    with gunicorn(server_env(url), port=args.port):
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=simulate, daemon=True,
                                    args=(args.port, ROLES[i % len(ROLES)], until, results, lock, random.Random(i)))
                   for i in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 60)
        wall = time.monotonic() - started
    every = [v for values in results["latency"].values() for v in values]
    report = {
        "users": args.users, "seconds": round(wall, 1), "requests": results["count"],
        "requests_per_second": round(results["count"] / wall, 1),
        "errors": len(results["errors"]), "error_samples": results["errors"][:10],
        "p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95), "p99_ms": percentile(every, 0.99),
        "pages": {k: {"n": len(v), "p50_ms": percentile(v, 0.5), "p95_ms": percentile(v, 0.95),
                      "mean_ms": round(statistics.fmean(v), 1)} for k, v in sorted(results["latency"].items())},
    }
    print(json.dumps(report, indent=2))
    sys.exit(1 if report["errors"] else 0)


if __name__ == "__main__":
    main()
