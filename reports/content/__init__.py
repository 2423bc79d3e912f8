"""What goes into a report: gather the data (through every app's selectors), then draw the charts."""

from __future__ import annotations

import time

from safeguarding.periods import FinancialQuarter, FinancialYear

from ..models import BuildKind, ReportBuild
from . import annual, pci
from .base import Chapter, Document, draw

__all__ = ["Chapter", "Document", "draw_charts", "gather", "gather_annual", "gather_pci"]


def gather_annual(*, partnership, year_start: int, report=None) -> Document:
    return annual.gather(partnership=partnership, year_start=year_start, report=report)


def gather_pci(*, partnership, quarter: FinancialQuarter) -> Document:
    return pci.gather(partnership=partnership, quarter=quarter)


def gather(*, build: ReportBuild) -> Document:
    started = time.perf_counter()
    if build.kind == BuildKind.PCI:
        doc = gather_pci(partnership=build.partnership,
                         quarter=FinancialQuarter(FinancialYear(build.year_start), build.quarter))
    else:
        doc = gather_annual(partnership=build.partnership, year_start=build.year_start, report=build.report)
    doc.timings["gather_s"] = time.perf_counter() - started
    return doc


def draw_charts(doc: Document) -> Document:
    started = time.perf_counter()
    draw(doc)
    doc.timings["charts_s"] = time.perf_counter() - started
    return doc
