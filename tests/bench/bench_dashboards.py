"""Dashboards benchmark: prints JSON.

    .venv/bin/python tests/bench/bench_dashboards.py [--scale small|large|both] [--requests 20]
                                                      [--keep] [--db sg_bench]

Builds a partnership straight into PostgreSQL with COPY (a benchmark fixture, not demo data):
small = 50 agencies, 150 indicators, 40 quarters (300,000 values). Times, through Django's test
client, the overview (one domain, the default view), an indicator page and an agency page (20
requests each, p50 and p95), and the bare SQL the page runs (its captured queries replayed on a
cursor), and their ratio. Target: p95 < 300 ms for each page. Before timing, the process is
settled as each gunicorn worker is (``safeguarding.worker.settle``: views loaded, ``gc.freeze``).

``large`` then grows the same partnership to 160 quarters (older history) and 200 agencies
(the 150 new ones are not health agencies), 4.8 million values, and times the same pages showing
the same amount of data (the health agencies: ``?agency_type=health``, the same agency); each must
stay within 1.5 times its time at the small scale.

The database (``--db``, default sg_bench) is created and dropped by the script.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HEALTH_TYPES = ["acute_trust", "community_health", "mental_health_trust", "primary_care", "health_commissioner"]
OTHER_TYPES = ["la_csc", "police", "education", "probation", "youth_justice", "voluntary"]
DOMAINS = ["child_protection", "children_in_need", "looked_after", "health", "training", "early_help",
           "exploitation", "domestic_abuse", "education", "allegations"]
LAST_YEAR = 2024  # the last financial year of the history: 2024/25


def admin_dsn(db: str) -> str:
    return os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"), \
        f"postgres://postgres@127.0.0.1:5432/{db}"


def recreate(admin: str, db: str, drop_only: bool = False) -> None:
    import psycopg2

    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        if not drop_only:
            cur.execute(f'CREATE DATABASE "{db}"')
    conn.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "safeguarding.settings.test"
    import django

    django.setup()


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY in chunks, so millions of rows never sit in memory at once."""
    buffer = io.StringIO()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def flush():
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for count, row in enumerate(rows, start=1):
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
        if count % 200_000 == 0:
            flush()
    flush()


class Builder:
    def __init__(self, indicators: int):
        self.n_indicators = indicators
        self.rng = random.Random(4)

    def base(self):
        from datasets.models import Indicator
        from partners.models import Partnership, Role, User

        self.partnership = Partnership.objects.create(name="Benchshire Safeguarding Children Partnership",
                                                      slug="benchshire")
        self.pci = User.objects.create_user("pci@bench.example", "x", full_name="Bench PCI",
                                            partnership=self.partnership, role=Role.PCI_MEMBER)
        indicators = []
        for n in range(self.n_indicators):
            kind = n % 3
            indicators.append(Indicator(
                partnership=self.partnership, code=f"B-{n:03d}", name=f"Bench indicator {n}",
                domain=DOMAINS[n % len(DOMAINS)], unit=("percentage", "count", "days")[kind],
                polarity=("higher", "neutral", "lower")[kind], agency_types=HEALTH_TYPES + OTHER_TYPES, order=n))
        self.indicators = Indicator.objects.bulk_create(indicators)
        self.agencies = []
        self.quarters = []

    def add_agencies(self, count: int, types: list[str]):
        from partners.models import Agency

        start = len(self.agencies)
        new = [Agency(partnership=self.partnership, name=f"Bench agency {start + k:03d}",
                      slug=f"bench-{start + k:03d}", agency_type=types[k % len(types)])
               for k in range(count)]
        new = Agency.objects.bulk_create(new)
        self.agencies += new
        return new

    def add_years(self, years: range):
        """Quarters, targets and comparators for ``years`` (financial years by start)."""
        import datetime as dt

        from datasets.models import Comparator, Quarter, Target
        from safeguarding.periods import FinancialQuarter, FinancialYear

        quarters = []
        for year in years:
            for number in (1, 2, 3, 4):
                period = FinancialQuarter(FinancialYear(year), number)
                quarters.append(Quarter(partnership=self.partnership, year_start=year, number=number,
                                        opens_on=period.end, due_on=period.end + dt.timedelta(days=30)))
        quarters = Quarter.objects.bulk_create(quarters)
        targets, comparators = [], []
        for indicator in self.indicators:
            for year in years:
                if indicator.unit == "percentage":
                    targets.append(Target(indicator=indicator, year_start=year, effective_from=dt.date(year, 4, 1),
                                          target=80 + year % 2 * 10, amber_threshold=70 + year % 2 * 10))
                    for kind in ("england", "region", "neighbours"):
                        comparators.append(Comparator(indicator=indicator, year_start=year, kind=kind,
                                                      value=80 + self.rng.random() * 10))
                elif indicator.unit == "days":
                    targets.append(Target(indicator=indicator, year_start=year, effective_from=dt.date(year, 4, 1),
                                          target=20, amber_threshold=25))
        Target.objects.bulk_create(targets)
        Comparator.objects.bulk_create(comparators)
        self.quarters = sorted(self.quarters + quarters, key=lambda q: (q.year_start, q.number))
        return quarters

    def fill(self, agencies, quarters) -> int:
        """Accepted returns for every agency x quarter, a value for every indicator, by COPY."""
        import datetime as dt

        from django.db import connection
        from django.utils import timezone

        now = timezone.now().isoformat()
        with connection.cursor() as cursor:
            # Each COPY of 200,000 values also recomputes the partnership figures of the quarters
            # it touched (datasets/0008's triggers): a load, not a request, so no 30 s limit.
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM datasets_return")
            first_id = cursor.fetchone()[0] + 1
            pairs = [(a, q) for q in quarters for a in agencies]

            def returns():
                for n, (agency, quarter) in enumerate(pairs):
                    submitted = dt.datetime.combine(quarter.due_on, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(
                        days=n % 7 - 2)
                    yield (first_id + n, agency.pk, quarter.pk, "accepted", submitted.isoformat(),
                           submitted.isoformat(), submitted.isoformat(), now, now, "f", "")

            copy_rows(cursor, "datasets_return", ["id", "agency_id", "quarter_id", "status", "first_submitted_at",
                                                  "submitted_at", "accepted_at", "updated_at", "created_at",
                                                  "historical", "historical_source"],
                      returns())
            cursor.execute("SELECT setval(pg_get_serial_sequence('datasets_return', 'id'), %s)",
                           [first_id + len(pairs)])
            rng = self.rng
            kinds = [(i.pk, i.unit) for i in self.indicators]

            def values():
                for n in range(len(pairs)):
                    ret_id = first_id + n
                    for indicator_id, unit in kinds:
                        if unit == "percentage":
                            den = rng.randint(50, 200)
                            num = den * rng.randint(60, 100) // 100
                            value = round(num / den * 100, 4)
                            narrative = "Below target: staffing gaps." if value < 75 else ""
                            yield ret_id, indicator_id, value, num, den, narrative, "t", now, "", "", ""
                        else:
                            yield ret_id, indicator_id, rng.randint(5, 40), None, None, "", "f", now, "", "", ""

            # Every NOT NULL column without a database default is given (figure status, source).
            copy_rows(cursor, "datasets_returnvalue", ["ret_id", "indicator_id", "value", "numerator",
                                                       "denominator", "narrative", "value_computed", "updated_at",
                                                       "na_reason", "na_note", "source"],
                      values())
            # A database in service is vacuumed by autovacuum soon after a load like this one (its
            # insert threshold); the benchmark does it at once, so that the index-only scans the
            # dashboards rely on (migration datasets/0007) are measured as they run in service,
            # not on pages that no vacuum has marked all-visible yet.
            cursor.execute("VACUUM ANALYZE")
        return len(pairs) * len(kinds)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def time_page(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm caches and connections
        assert client.get(url).status_code == 200, url
    page = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        page.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    sql = []
    with connection.cursor() as cursor:
        for _ in range(requests):
            start = time.perf_counter()
            for statement in queries:
                cursor.execute(statement)
                cursor.fetchall()
            sql.append((time.perf_counter() - start) * 1000)
    p50, p95, s50 = statistics.median(page), percentile(page, 0.95), statistics.median(sql)
    return {"url": url, "queries": len(ctx.captured_queries), "page_p50_ms": round(p50, 1),
            "page_p95_ms": round(p95, 1), "sql_p50_ms": round(s50, 1), "sql_p95_ms": round(percentile(sql, 0.95), 1),
            "page_to_sql_ratio": round(p50 / s50, 1) if s50 else None, "meets_300ms": p95 < 300}


def measure(builder, requests: int) -> dict:
    from django.test import Client

    from reports.dashboards.navigation import register

    register()
    client = Client()
    client.force_login(builder.pci, backend="django.contrib.auth.backends.ModelBackend")
    agency = builder.agencies[0].slug
    indicator = builder.indicators[0].code
    pages = {
        "overview": "/dashboards/",
        "indicator": f"/dashboards/indicators/{indicator}/",
        "agency": f"/dashboards/agencies/{agency}/",
        # The same data at both scales: the 50 health agencies.
        "overview_health": "/dashboards/?agency_type=health",
        "indicator_health": f"/dashboards/indicators/{indicator}/?agency_type=health",
    }
    # Settled as a gunicorn worker is (safeguarding/wsgi.py): every page opened once so that its
    # templates and views are loaded, then the loaded portal frozen out of the garbage collector's
    # full collections (safeguarding/worker.py). Without it a full collection of everything the
    # process holds, the 4.8 M-value builder's leftovers included, lands in some requests.
    from safeguarding.worker import settle

    for url in pages.values():
        assert client.get(url).status_code == 200, url
    settle()
    return {name: time_page(client, url, requests) for name, url in pages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "large", "both"], default="both")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--indicators", type=int, default=150)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--large-agencies", type=int, default=200)
    parser.add_argument("--large-quarters", type=int, default=160)
    parser.add_argument("--db", default="sg_bench")
    parser.add_argument("--keep", action="store_true", help="leave the database for inspection")
    args = parser.parse_args()

    admin, url = admin_dsn(args.db)
    recreate(admin, args.db)
    result: dict = {"database": args.db}
    try:
        setup_django(url)
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        builder = Builder(args.indicators)
        builder.base()
        health = builder.add_agencies(args.agencies, HEALTH_TYPES)
        years = range(LAST_YEAR - args.quarters // 4 + 1, LAST_YEAR + 1)
        quarters = builder.add_years(years)
        values = builder.fill(health, quarters)
        small = {"agencies": len(builder.agencies), "indicators": len(builder.indicators),
                 "quarters": len(builder.quarters), "values": values,
                 "build_s": round(time.perf_counter() - started, 1)}
        small["pages"] = measure(builder, args.requests)
        result["small"] = small
        print(json.dumps({"small": small}), file=sys.stderr)
        if args.scale in ("large", "both"):
            started = time.perf_counter()
            older = builder.add_years(range(years.start - (args.large_quarters - args.quarters) // 4, years.start))
            values += builder.fill(health, older)
            others = builder.add_agencies(args.large_agencies - args.agencies, OTHER_TYPES)
            values += builder.fill(others, builder.quarters)
            large = {"agencies": len(builder.agencies), "indicators": len(builder.indicators),
                     "quarters": len(builder.quarters), "values": values,
                     "build_s": round(time.perf_counter() - started, 1)}
            large["pages"] = measure(builder, args.requests)
            # Same data shown: the same agency page, and the health-agency views of the overview and
            # the indicator (the default views at the small scale show exactly those 50 agencies).
            same = {"agency": "agency", "overview_health": "overview_health", "indicator_health": "indicator_health"}
            large["growth"] = {
                name: {"small_p50_ms": small["pages"][name]["page_p50_ms"],
                       "large_p50_ms": large["pages"][name]["page_p50_ms"],
                       "ratio": round(large["pages"][name]["page_p50_ms"] / small["pages"][name]["page_p50_ms"], 2),
                       "within_1_5x": large["pages"][name]["page_p50_ms"] <= 1.5 * small["pages"][name]["page_p50_ms"]}
                for name in same
            }
            result["large"] = large
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(admin, args.db, drop_only=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
