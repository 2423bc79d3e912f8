"""Faults: the portal under gunicorn while its services fail, on a PostgreSQL cluster and a
Redis of its own (so the machine's shared services are never touched).

    .venv/bin/python tests/bench/faults.py

1. Redis stopped: pages keep serving, /healthz says the queue is down, queue actions say so and
   lose nothing; Redis back: all healthy again.
2. PostgreSQL restarted during traffic: requests fail cleanly (an error page, no hang) and the
   portal recovers without being restarted.
Prints JSON; exits non-zero if a check fails. Loopback only; bounded loops.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguarding.periods import FinancialQuarter  # noqa: E402
from tests.bench.portal_server import Session, fresh_database, gunicorn, run, server_env  # noqa: E402

PG_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1] if Path("/etc/postgresql").exists() else "15"
CLUSTER, PG_PORT, REDIS_PORT, WEB_PORT = "sgfaults", 5439, 6391, 8766
PAGES = ["/", "/agencies/", "/subgroups/"]
MANAGER = "manager@northbridge.example"


def start_cluster() -> None:
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if f" {CLUSTER} " not in f" {clusters} ":
        run(["pg_createcluster", "--port", str(PG_PORT), PG_VERSION, CLUSTER, "--",
             "--auth-host=trust", "--auth-local=trust"])
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start"],
                   capture_output=True)
    wait_for(lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT)]).returncode == 0)


def start_redis() -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).returncode == 0)
    return proc


def wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def redis_fault(checks: dict) -> None:
    redis = start_redis()
    session = Session(WEB_PORT, timeout=15)
    checks["redis.healthy_before"] = session.get("/healthz")[0] == 200
    session.sign_in(MANAGER)
    redis.terminate()
    redis.wait(timeout=10)
    status, body = session.get("/healthz")
    checks["redis.healthz_reports_queue_down"] = status == 503 and '"queue": {"ok": false' in body
    checks["redis.pages_still_served"] = all(session.get(p)[0] == 200 for p in PAGES)
    for name, action in QUEUE_ACTIONS:
        checks[f"redis.{name}"] = action(session)
    redis = start_redis()
    checks["redis.healthy_after_restart"] = wait_for(lambda: session.get("/healthz")[0] == 200, 20)
    year = report_year()
    status, _, location = session.post(f"/reports/{year}/build/", {}, referer_path=f"/reports/{year}/")
    checks["redis.build_can_be_asked_for_again"] = status == 302 and "/reports/builds/" in (location or "")
    redis.terminate()


def postgres_restart(checks: dict, figures: dict) -> None:
    session = Session(WEB_PORT, timeout=15)
    session.sign_in(MANAGER)
    statuses: list[int] = []
    slowest = [0.0]
    stop = threading.Event()
    timeline: list = []
    t0 = time.monotonic()

    ready = threading.Barrier(5, timeout=120)

    def traffic():
        s = Session(WEB_PORT, timeout=15)
        s.sign_in(MANAGER)
        ready.wait()
        for _ in range(2000):
            if stop.is_set():
                break
            started = time.perf_counter()
            try:
                statuses.append(s.get("/agencies/")[0])
            except OSError:
                statuses.append(0)
            took = time.perf_counter() - started
            slowest[0] = max(slowest[0], took)
            timeline.append((round(time.monotonic() - t0, 2), statuses[-1], round(took, 2)))
            time.sleep(0.05)

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for t in threads:
        t.start()
    ready.wait()  # everyone signed in: the outage starts during steady traffic
    time.sleep(2)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "stop", "-m", "fast"],
                   capture_output=True)
    time.sleep(3)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start"], capture_output=True)
    recovered = wait_for(lambda: session.get("/agencies/")[0] == 200, 30)
    time.sleep(2)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    failed = [s for s in statuses if s != 200]
    figures["postgres.timeline_failures"] = [t for t in timeline if t[1] != 200 or t[2] > 2][:20]
    figures["postgres.requests"] = len(statuses)
    figures["postgres.failed_during_outage"] = len(failed)
    figures["postgres.failure_statuses"] = sorted(set(failed))
    figures["postgres.slowest_request_s"] = round(slowest[0], 2)
    checks["postgres.failures_were_clean_503_pages"] = bool(failed) and all(s == 503 for s in failed)
    checks["postgres.no_request_hung"] = slowest[0] < 15
    checks["postgres.recovered_without_restarting_the_portal"] = recovered
    checks["postgres.after_recovery_all_ok"] = statuses[-5:] == [200] * 5 if len(statuses) >= 5 else False


def sql(query: str) -> str:
    return run(["psql", f"postgres://postgres@127.0.0.1:{PG_PORT}/sg_faults", "-tAc", query]).strip()


def report_year() -> int:
    """The demo's annual report year: the last full year before the current quarter's."""
    return FinancialQuarter.containing(dt.date.today()).previous().year.start_year - 1


def build_pdf_is_refused_cleanly(session: Session) -> bool:
    """Build PDF with Redis down: a message that says so, and no build row left pretending."""
    year = report_year()
    before = sql("SELECT count(*) FROM reports_reportbuild")
    status, _, location = session.post(f"/reports/{year}/build/", {}, referer_path=f"/reports/{year}/")
    page = session.get(location)[1] if location else ""
    return (status == 302 and "queue is not available" in page
            and sql("SELECT count(*) FROM reports_reportbuild") == before)


def review_still_works(session: Session) -> bool:
    """Accepting a submitted return needs no queue: it goes through while Redis is down."""
    pk = int(sql("SELECT id FROM datasets_return WHERE status='submitted' ORDER BY id LIMIT 1"))
    pci = Session(WEB_PORT, timeout=15)
    pci.sign_in("pci.member@northbridge.example")
    status, _, _ = pci.post(f"/datasets/returns/{pk}/accept/", {"comment": "Accepted during the fault test"},
                            referer_path=f"/datasets/returns/{pk}/")
    return status == 302 and sql(f"SELECT status FROM datasets_return WHERE id={pk}") == "accepted"  # noqa: S608 - an int


# Actions tried while Redis is down: (name, callable(session) -> bool).
QUEUE_ACTIONS: list = [("build_pdf_says_queue_unavailable_and_keeps_nothing_half_made", build_pdf_is_refused_cleanly),
                       ("returns_are_still_reviewed_and_accepted", review_still_works)]


def main() -> None:
    if not shutil.which("pg_createcluster") or not shutil.which("redis-server"):
        print(json.dumps({"skipped": "needs Debian's postgresql-common and redis-server"}))
        return
    checks: dict[str, bool] = {}
    figures: dict = {}
    start_cluster()
    try:
        url = fresh_database("sg_faults", port=PG_PORT)
        env = server_env(url, broker_url=f"redis://127.0.0.1:{REDIS_PORT}/0") | {"DB_CONN_MAX_AGE": "60"}
        with gunicorn(env, port=WEB_PORT, workers=2, threads=4):
            redis_fault(checks)
            postgres_restart(checks, figures)
    finally:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "stop"], capture_output=True)
    print(json.dumps({"checks": checks, "figures": figures, "passed": all(checks.values())}, indent=2))
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
