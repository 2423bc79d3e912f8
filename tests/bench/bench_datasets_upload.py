"""Benchmark: the business manager's bulk upload of a 20,000-value spreadsheet.

Run: .venv/bin/python tests/bench/bench_datasets_upload.py [--values 20000]

Builds a partnership with many agencies, a catalogue (counts, percentages, a breakdown) and four
quarters in its own PostgreSQL database (DATABASE_URL, default .../sg_datasets_bench, created
if missing), writes one XLSX holding every agency's values for every indicator and quarter, then
times (1) pandas alone reading the file and (2) ``datasets.spreadsheets.bulk_upload`` reading,
validating and saving it (with value history). Prints JSON. Everything it creates is rolled
back at the end. Targets: under 10 s, at most 4x pandas, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sg_datasets_bench")

QUARTERS = ["2024/25-Q1", "2024/25-Q2", "2024/25-Q3", "2024/25-Q4"]
PARTS = ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple"]


def _ensure_database() -> None:
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                            dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cfg["NAME"],))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, default=20_000)
    args = parser.parse_args()

    _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)

    import pandas as pd
    from openpyxl import Workbook

    from datasets import services
    from datasets.models import ReturnValue
    from datasets.spreadsheets import bulk_upload
    from partners.models import Agency, AgencyType, Partnership, Role, User

    # 25 indicator rows per agency and quarter: 16 counts, 4 percentages, one breakdown (total + 5 parts).
    rows_per_return = 16 + 4 + 6
    agencies_needed = -(-args.values // (rows_per_return * len(QUARTERS)))
    result: dict = {}
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(name="Benchmark Partnership", slug="bench-partnership")
            manager = User.objects.create_user("bench.manager@example.org", "x", full_name="Bench Manager",
                                               partnership=partnership, role=Role.BUSINESS_MANAGER)
            agencies = Agency.objects.bulk_create([
                Agency(partnership=partnership, name=f"Bench Agency {n:03d}", slug=f"bench-{n:03d}",
                       agency_type=AgencyType.LA_CHILDRENS_SOCIAL_CARE) for n in range(agencies_needed)])
            types = [AgencyType.LA_CHILDRENS_SOCIAL_CARE]
            codes = []
            for n in range(16):
                codes.append(services.indicator_create(actor=manager, partnership=partnership, code=f"B-C{n:02d}",
                                                       name=f"Count {n}", domain="child_protection", unit="count",
                                                       polarity="neutral", agency_types=types).code)
            for n in range(4):
                ind = services.indicator_create(actor=manager, partnership=partnership, code=f"B-P{n:02d}",
                                                name=f"Percentage {n}", domain="training", unit="percentage",
                                                polarity="higher", agency_types=types, numerator_label="Done",
                                                denominator_label="Due")
                services.target_set(actor=manager, indicator=ind, year=2024, target="90", amber_threshold="80")
            services.indicator_create(actor=manager, partnership=partnership, code="B-CPP", name="Plans",
                                      domain="child_protection", unit="count", polarity="neutral",
                                      agency_types=types, breakdown_label="Category", parts=PARTS)
            quarters = [services.quarter_create(actor=manager, partnership=partnership, period=q) for q in QUARTERS]

            records = []
            for q_index, quarter in enumerate(quarters):
                for a_index, agency in enumerate(agencies):
                    seed = q_index * 7 + a_index
                    for n, code in enumerate(codes):
                        records.append((agency.name, quarter.label, code, "", f"{(seed * 13 + n * 7) % 900 + 10:,}",
                                        "", "", ""))
                    for n in range(4):
                        den = 200 + (seed + n) % 50
                        records.append((agency.name, quarter.label, f"B-P{n:02d}", "", "",
                                        str(den - (seed + n) % 10), str(den), "Narrative for the record."))
                    parts = [(seed + k * 3) % 40 + 1 for k in range(5)]
                    records.append((agency.name, quarter.label, "B-CPP", "", str(sum(parts)), "", "", ""))
                    for label, value in zip(PARTS, parts, strict=True):
                        records.append((agency.name, quarter.label, "B-CPP", label, str(value), "", "", ""))
            records = records[:args.values]
            frame = pd.DataFrame(records, columns=["agency", "quarter", "code", "part", "value", "numerator",
                                                   "denominator", "narrative"])
            # Written as Excel saves a sheet: blank cells left out (the reader's parsing budget,
            # safeguarding.upload_workbook, counts XML elements).
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Returns")
            sheet.append(list(frame.columns))
            for record in records:
                sheet.append([value if value != "" else None for value in record])
            buffer = io.BytesIO()
            book.save(buffer)
            data = buffer.getvalue()
            result["values"] = len(records)
            result["agencies"] = len(agencies)
            result["quarters"] = len(quarters)
            result["file_mb"] = round(len(data) / 1048576, 2)

            started = time.perf_counter()
            pd.read_excel(io.BytesIO(data), dtype=str, header=None, keep_default_na=False, engine="openpyxl")
            pandas_seconds = time.perf_counter() - started

            class Upload(io.BytesIO):
                size = len(data)

            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                profiler.enable()
            started = time.perf_counter()
            outcome = bulk_upload(actor=manager, partnership=partnership, upload=Upload(data))
            seconds = time.perf_counter() - started
            if os.environ.get("BENCH_PROFILE"):
                profiler.disable()
                # To stderr: stdout carries only the JSON result.
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
            saved = ReturnValue.objects.filter(ret__agency__partnership=partnership).count()
            history = ReturnValue.history.filter(ret__agency__partnership=partnership).count()

            result.update({
                "pandas_read_seconds": round(pandas_seconds, 2),
                "upload_seconds": round(seconds, 2),
                "ratio_to_pandas": round(seconds / pandas_seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "values_saved": saved,
                "history_rows": history,
                "returns_created": outcome.returns_created,
            })
            result["meets_targets"] = (seconds < 10 and seconds / pandas_seconds <= 4
                                       and result["peak_rss_mb"] < 500)
            raise Rollback
    except Rollback:
        pass
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
