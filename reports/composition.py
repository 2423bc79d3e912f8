"""Writes to a report's composition: chapters and their order, key indicators, chapter figures.

Issue 15.5 (the business manager chooses and orders the chapters and the key indicators) and
15.8 (the few structured figures of the chapters without an app of their own). Same rules as
``reports.services``: manager only, draft only, locked, audited, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from datasets.models import Indicator
from partners.models import User
from safeguarding.audit import audit_record
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError
from safeguarding.formatting import limit_text

from . import chapters as catalogue
from .models import AnnualReport, FigureUnit, ReportFigure
from .services import _lock, _require_editable, _require_manager

MAX_FIGURES = 8


@transaction.atomic
def report_compose(*, actor: User | None, report: AnnualReport, chapters: list[str],
                   key_indicators: list[int] | None, version: str | None) -> AnnualReport:
    """Store the chapters to print (keys, in order) and the context chapter's key indicators.

    ``key_indicators`` None means "the default rule" (indicators with a target, a red or a
    comparator). Raises DomainError (field ``chapters`` / ``key_indicators``) for no chapter, an
    unknown or repeated chapter, or an indicator of another partnership.
    """
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    _require_editable(report)
    ensure_current(current=report.updated_at, token=version, what="report")
    if not chapters:
        raise DomainError("Choose at least one chapter for the report.", field="chapters")
    unknown = [k for k in chapters if k not in catalogue.BY_KEY]
    if unknown:
        raise DomainError(f"There is no chapter called {unknown[0]!r}.", field="chapters")
    if len(set(chapters)) != len(chapters):
        raise DomainError("Each chapter can appear only once: give each a different position.", field="chapters")
    if key_indicators is not None:
        ids = set(Indicator.objects.filter(partnership_id=report.partnership_id, pk__in=key_indicators)
                  .values_list("pk", flat=True))
        if len(ids) != len(set(key_indicators)):
            raise DomainError("One of the indicators chosen is not in this partnership's catalogue.",
                              field="key_indicators")
        key_indicators = sorted(ids)
    before = {"chapters": report.chapters, "key_indicators": report.key_indicators}
    report.chapters = list(chapters)
    report.key_indicators = key_indicators
    report.save(update_fields=["chapters", "key_indicators", "updated_at"])
    audit_record(actor=actor, action="annual_report.composed", obj=report, before=before,
                 after={"chapters": report.chapters, "key_indicators": report.key_indicators})
    return report


@dataclass
class FigureRow:
    """One row of the chapter-figures form: a label and either a value (with unit) or an indicator."""

    label: str
    value: Decimal | None = None
    unit: str = FigureUnit.COUNT
    indicator: Indicator | None = None


@transaction.atomic
def chapter_figures_save(*, actor: User | None, report: AnnualReport, chapter: str, rows: list[FigureRow],
                         version: str | None) -> list[ReportFigure]:
    """Replace a chapter's structured figures with ``rows`` (blank rows are dropped).

    Each kept row needs a label and either a value (not negative) or an indicator, never both.
    Raises DomainError naming the row (field ``figures``). Nothing is saved unless every row is good.
    """
    report = _lock(report)
    _require_manager(actor, report.partnership_id)
    _require_editable(report)
    ensure_current(current=report.updated_at, token=version, what="report")
    if chapter not in catalogue.FIGURE_CHAPTERS:
        raise DomainError("That chapter has no figures to enter.")
    kept = [r for r in rows if r.label.strip() or r.value is not None or r.indicator is not None]
    if len(kept) > MAX_FIGURES:
        raise DomainError(f"Keep to {limit_text(MAX_FIGURES)} figures a chapter "
                          f"(there are {limit_text(len(kept))}).", field="figures")
    for n, row in enumerate(kept, start=1):
        if not row.label.strip():
            raise DomainError(f"Row {n}: enter what the figure counts.", field="figures")
        if row.value is None and row.indicator is None:
            raise DomainError(f"Row {n} ({row.label.strip()}): enter a value or choose an indicator.",
                              field="figures")
        if row.value is not None and row.indicator is not None:
            raise DomainError(f"Row {n} ({row.label.strip()}): enter a value or choose an indicator, not both.",
                              field="figures")
        if row.value is not None and row.value < 0:
            raise DomainError(f"Row {n} ({row.label.strip()}): a figure cannot be negative.", field="figures")
        if row.indicator is not None and row.indicator.partnership_id != report.partnership_id:
            raise DomainError(f"Row {n}: that indicator belongs to another partnership.", field="figures")
        if row.unit not in FigureUnit.values:
            raise DomainError(f"Row {n}: choose a unit from the list.", field="figures")
    before = list(report.figures.filter(chapter=chapter).values("label", "value", "unit", "indicator_id"))
    report.figures.filter(chapter=chapter).delete()
    saved = []
    for position, row in enumerate(kept, start=1):
        figure = ReportFigure(report=report, chapter=chapter, label=row.label.strip(), value=row.value,
                              unit=row.unit, indicator=row.indicator, position=position)
        figure.full_clean()
        figure.save()
        saved.append(figure)
    report.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="annual_report.figures_saved", obj=report,
                 before={"chapter": chapter, "figures": before},
                 after={"chapter": chapter, "figures": [
                     {"label": f.label, "value": f.value, "unit": f.unit, "indicator_id": f.indicator_id}
                     for f in saved]})
    return saved
