"""Benchmark the annual report build: the demo partnership and a large one (50 agencies, a full year).

Prints JSON: for each report, total seconds, pages, peak memory (RSS of the process that built
it), the seconds of each step, and WeasyPrint's own time on the same HTML, with the ratio the
issue sets a target for (total <= 1.5 x WeasyPrint alone).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_reports_bench .venv/bin/python tests/bench/bench_report.py

The database is migrated and seeded on the first run (the demo through seed_demo, the large
partnership through the services), then reused: drop it (``dropdb sg_reports_bench``) after the
demo changes. Northbridge's report is the demo's own (the last full year, as its manager composed
it). Each build runs in its own forked process so
its peak memory is its own.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sg_reports_bench")
os.environ.pop("CELERY_BROKER_URL", None)
# The local settings print every email to stdout (the console backend): the report's
# notifications would pollute the JSON this script prints. Benchmarks keep mail in memory.
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

LARGE_SLUG = "bench-large"
LARGE_AGENCIES = 50
YEAR = 2024  # the large partnership's year: its synthetic returns, training and budget are for 2024/25


def _year_for(slug: str) -> int:
    """The financial year (its starting calendar year) each benchmarked report is for: the demo's
    own annual report (the last full year as of today, composed by its manager: reports/demo.py),
    and the large partnership's synthetic year."""
    from reports.demo import REPORT_YEAR

    return REPORT_YEAR.start_year if slug == "northbridge" else YEAR


def _ensure_database() -> None:
    import psycopg2

    name = connection.settings_dict["NAME"]
    conn = psycopg2.connect(host=connection.settings_dict["HOST"] or "127.0.0.1",
                            port=connection.settings_dict["PORT"] or 5432,
                            user=connection.settings_dict["USER"] or "postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _seed() -> None:
    from partners.models import Partnership

    call_command("migrate", verbosity=0)
    if not Partnership.objects.filter(slug="northbridge").exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not Partnership.objects.filter(slug=LARGE_SLUG).exists():
        _seed_large()


def _seed_large() -> None:
    """A partnership of 50 agencies with a full year: governance, narrative, and the other apps'
    demo data where their seeds accept any agencies."""
    import random

    from partners import services as partner_services
    from partners.demo import Demo
    from partners.governance import services as governance
    from partners.models import AgencyType, Role, Subgroup
    from reports import services as report_services

    rng = random.Random(50)
    with transaction.atomic():
        partnership = partner_services.partnership_create(name="Largeshire Safeguarding Children Partnership",
                                                          slug=LARGE_SLUG, short_name="LSCP")
        demo = Demo(partnership=partnership)
        types = list(AgencyType.values)
        for n in range(LARGE_AGENCIES):
            agency_type = types[n % len(types)]
            demo.agencies[f"a{n:02d}"] = partner_services.agency_create(
                actor=None, partnership=partnership, name=f"Largeshire agency {n:02d} ({agency_type})",
                agency_type=agency_type, membership="statutory" if n < 3 else "relevant")
        for key, email, role in (("manager", "bm@large.example", Role.BUSINESS_MANAGER),
                                 ("pci", "pci@large.example", Role.PCI_MEMBER),
                                 ("designated", "dn@large.example", Role.DESIGNATED_PROFESSIONAL)):
            demo.people[key] = partner_services.person_create(
                actor=None, partnership=partnership, email=email, full_name=key.title(), job_title=key,
                role=role, agencies=[], password="Largeshire-bench-2026", invite=False)
        for key, name, is_board in (("board", "Largeshire Board", True), ("pci", "Largeshire PCI", False),
                                    ("training", "Largeshire Training", False),
                                    ("practice_review", "Largeshire Practice Review", False)):
            demo.subgroups[key] = partner_services.subgroup_create(
                actor=None, partnership=partnership, name=name, cadence=Subgroup.Cadence.QUARTERLY,
                is_board=is_board, parent=None if is_board else demo.subgroups.get("board"))
        agencies = list(demo.agencies.values())
        for year in (YEAR - 1, YEAR):
            for month in (5, 7, 9, 11, 1, 3):
                for key in ("board", "pci"):
                    day = dt.date(year + (1 if month < 4 else 0), month, 10 if key == "board" else 20)
                    governance.meeting_create(actor=None, partnership=partnership, subgroup=demo.subgroups[key],
                                              held_on=day, notes="Scrutinised the quarter's figures.",
                                              attendance={a: rng.choice(["present", "present", "present", "deputy",
                                                                         "apologies", "absent"]) for a in agencies})
            budget = governance.budget_ensure(actor=None, partnership=partnership, year_start=year)
            budget = governance.budget_update(
                actor=None, budget=budget, version=budget.updated_at.isoformat(), reserves_used=Decimal("20000"),
                contributions={a: (Decimal(rng.randint(0, 40) * 1000), Decimal(rng.randint(0, 5) * 500))
                               for a in agencies})
            for category, amount in (("training_charges", 30000), ("staffing", 400000),
                                     ("independent_chair", 40000), ("training", 90000), ("reviews", 80000),
                                     ("other", 20000)):
                governance.budget_line_add(actor=None, budget=budget, category=category, amount=Decimal(amount))
        for n in range(6):
            for year in (YEAR, YEAR + 1):
                governance.priority_create(actor=None, partnership=partnership, year_start=year,
                                           title=f"Priority {n + 1}", outcome="Children are safer. " * 8,
                                           actions="Audit, train, review. " * 10, progress="Good progress. " * 10,
                                           status="on_track", position=n + 1)
        report = report_services.report_create(actor=None, partnership=partnership, year_start=YEAR)
        for key in ("foreword", "about", "key_messages", "partnership", "finance", "context", "quality",
                    "reviews", "training", "priorities", "membership"):
            report_services.narrative_save(actor=None, report=report, key=key, version="",
                                           body="\n\n".join(["The partnership worked well together this year. " * 6]
                                                            * 3))
        for agency in agencies:
            report_services.agency_section_save(actor=None, report=report, agency=agency, version="",
                                                achievements="We trained staff and audited cases. " * 8,
                                                challenges="Recruitment and demand. " * 6)
    for app in ("datasets", "training", "reviews"):
        try:
            module = __import__(f"{app}.demo", fromlist=["seed"])
            with transaction.atomic():
                module.seed(demo)
        except Exception as exc:  # a seed written for Northbridge's agency keys may not fit; say so
            print(f"bench: {app} demo data skipped for the large partnership: {type(exc).__name__}: {exc}",
                  file=sys.stderr)


def _measure(slug: str, out) -> None:
    from partners.models import Partnership
    from reports import content, pdf
    from reports.models import AnnualReport

    connection.close()  # the forked child opens its own connection
    partnership = Partnership.objects.get(slug=slug)
    year = _year_for(slug)
    report = AnnualReport.objects.filter(partnership=partnership, year_start=year).first()
    t0 = time.perf_counter()
    doc = content.gather_annual(partnership=partnership, year_start=year, report=report)
    t1 = time.perf_counter()
    content.draw_charts(doc)
    t2 = time.perf_counter()
    result = pdf.render(doc)
    t3 = time.perf_counter()
    alone_start = time.perf_counter()
    _, pages_again = pdf.html_to_pdf(result.html)
    weasy_alone = time.perf_counter() - alone_start
    out.put({
        "partnership": slug,
        "year": f"{year}/{(year + 1) % 100:02d}",
        "agencies": partnership.agencies.count(),
        "pages": result.pages,
        "bytes": len(result.pdf),
        "charts": doc.chart_count,
        "total_s": round(t3 - t0, 2),
        "gather_s": round(t1 - t0, 2),
        "charts_s": round(t2 - t1, 2),
        "template_s": round(result.template_s, 2),
        "weasyprint_in_build_s": round(result.weasyprint_s, 2),
        "weasyprint_alone_s": round(weasy_alone, 2),
        "total_over_weasyprint_alone": round((t3 - t0) / weasy_alone, 3),
        "weasyprint_share_of_total": round(result.weasyprint_s / (t3 - t0), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    })


def main() -> None:
    _ensure_database()
    seed_started = time.perf_counter()
    _seed()
    seeded_s = time.perf_counter() - seed_started
    connection.close()
    ctx = mp.get_context("fork")
    results = []
    for slug, limit in (("northbridge", 20), (LARGE_SLUG, 60)):
        queue = ctx.Queue()
        child = ctx.Process(target=_measure, args=(slug, queue))
        child.start()
        result = queue.get(timeout=900)
        child.join()
        result["target_s"] = limit
        result["meets_time"] = result["total_s"] < limit
        result["meets_memory"] = result["peak_rss_mb"] < 1024
        result["meets_ratio"] = result["total_over_weasyprint_alone"] <= 1.5
        results.append(result)
    print(json.dumps({"seed_s": round(seeded_s, 1), "cpus": os.cpu_count(), "load_avg": os.getloadavg(),
                      "reports": results}, indent=2))


if __name__ == "__main__":
    main()
