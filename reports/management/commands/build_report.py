"""Build an annual report or a PCI pack without the queue, straight to a file."""

from __future__ import annotations

import hashlib
import json
import time

from django.core.management.base import BaseCommand, CommandError

from partners.models import Partnership
from reports import content, pdf
from reports.models import AnnualReport
from safeguarding.periods import FinancialQuarter, FinancialYear


class Command(BaseCommand):
    help = ("Build the annual report (--year 2024/25) or the PCI pack (--quarter 2024/25-Q3 --pack pci) "
            "for a partnership and write the PDF to --output.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--year", help="Financial year of the annual report, e.g. 2024/25.")
        parser.add_argument("--quarter", help="Quarter of the PCI pack, e.g. 2024/25-Q3.")
        parser.add_argument("--pack", choices=["annual", "pci"], default=None)
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--html", help="Also write the HTML given to WeasyPrint here.")

    def handle(self, *args, **options):
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership with the slug {options['partnership']!r}.")
        pack = options["pack"] or ("pci" if options["quarter"] else "annual")
        started = time.perf_counter()
        try:
            if pack == "pci":
                if not options["quarter"]:
                    raise CommandError("The PCI pack needs --quarter, e.g. --quarter 2024/25-Q3.")
                doc = content.gather_pci(partnership=partnership, quarter=FinancialQuarter.parse(options["quarter"]))
            else:
                if not options["year"]:
                    raise CommandError("The annual report needs --year, e.g. --year 2024/25.")
                year = FinancialYear.parse(options["year"])
                report = AnnualReport.objects.filter(partnership=partnership, year_start=year.start_year).first()
                doc = content.gather_annual(partnership=partnership, year_start=year.start_year, report=report)
        except ValueError as exc:
            raise CommandError(str(exc))
        content.draw_charts(doc)
        result = pdf.render(doc)
        with open(options["output"], "wb") as fh:
            fh.write(result.pdf)
        if options["html"]:
            with open(options["html"], "w", encoding="utf-8") as fh:
                fh.write(result.html)
        self.stdout.write(json.dumps({
            "output": options["output"], "pages": result.pages, "bytes": len(result.pdf),
            "sha256": hashlib.sha256(result.pdf).hexdigest(), "seconds": round(time.perf_counter() - started, 2),
            "weasyprint_seconds": round(result.weasyprint_s, 2),
        }))
