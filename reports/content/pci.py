"""The quarterly PCI pack: the overview matrix, exceptions, completeness, overdue actions, open challenges."""

from __future__ import annotations

from django.utils import timezone

from partners.models import Partnership
from safeguarding.periods import FinancialQuarter

from . import external_pci
from .base import Chapter, Document
from .glossary import GLOSSARY

CHAPTERS = [
    ("overview", "Overview of the quarter"),
    ("exceptions", "Exceptions"),
    ("completeness", "Completeness of the dataset"),
    ("overdue", "Overdue actions"),
    ("challenges", "Open challenges"),
]


def gather(*, partnership: Partnership, quarter: FinancialQuarter) -> Document:
    chapters = []
    for key, title in CHAPTERS:
        ch = Chapter(key=key, title=title, template=f"reports/pdf/pci/{key}.html")
        getattr(external_pci, f"chapter_{key}")(ch, partnership, quarter)
        chapters.append(ch)
    return Document(
        kind="pci",
        title=f"{partnership.name}: PCI pack {quarter.label}",
        subtitle=f"Performance, challenge and impact pack, {quarter.label}",
        partnership=partnership,
        period_label=quarter.label,
        status_label="For the PCI subgroup",
        version=1,
        date_label=timezone.localdate().strftime("%-d %B %Y"),
        chapters=chapters,
        glossary=GLOSSARY,
    )
