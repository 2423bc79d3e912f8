"""The chapters without an app of their own (issue 15.8): child death overview, the voice of
children and families, communication and engagement, audits, and the context sections (LADO,
private fostering, MAPPA). Each carries a few structured figures, entered by the business
manager or taken from an indicator, and the narrative written for it.
"""

from __future__ import annotations

from partners.models import Partnership
from safeguarding.periods import FinancialYear

from ..models import FigureUnit, ReportFigure
from .base import Chapter
from .external import _unit, indicator_year_figure

UNIT_SYMBOLS = {FigureUnit.COUNT: "", FigureUnit.PERCENTAGE: "%", FigureUnit.POUNDS: "£"}


def figure_rows(partnership: Partnership, year: FinancialYear, figures: list[ReportFigure]) -> list[dict]:
    """Each figure as ``{"label", "value", "unit", "source"}``: an entered value as entered, an
    indicator's value read through the dashboards' selector (its last quarter with data)."""
    rows = []
    for figure in figures:
        if figure.indicator_id:
            value, quarter = indicator_year_figure(partnership, year, figure.indicator)
            source = (f"{figure.indicator.code}, {quarter}" if quarter
                      else f"{figure.indicator.code}: no accepted figure in {year.label}")
            rows.append({"label": figure.label, "value": value, "unit": _unit(figure.indicator), "source": source})
        else:
            rows.append({"label": figure.label, "value": figure.value, "unit": UNIT_SYMBOLS.get(figure.unit, ""),
                         "source": "Entered by the partnership"})
    return rows


def chapter_figures(ch: Chapter, partnership: Partnership, year: FinancialYear,
                    figures: list[ReportFigure]) -> Chapter:
    """A chapter made of its narrative and its figures table; says so when it has neither."""
    ch.data = {"figures": figure_rows(partnership, year, figures)}
    if not ch.data["figures"] and not ch.intro:
        ch.empty = f"Nothing has been written or recorded for {ch.title.lower()} in {year.label} yet."
    return ch
