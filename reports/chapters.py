"""The chapters an annual report can carry, in their default order (issue 15.5, 15.8).

Each chapter has a key (used in URLs, the narrative sections and the report's stored
composition), a title, and whether a new report includes it by default. The business manager
chooses and orders them on the composition page (``AnnualReport.chapters``); the content of
each chapter is gathered by ``reports.content`` and drawn the same by the PDF and the HTML
edition. Chapters marked ``figures`` carry a few structured figures the manager enters or takes
from an indicator (``ReportFigure``), as Working Together 2023 expects for the child death,
voice, communication, audit and context sections.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChapterKind:
    key: str
    title: str
    default: bool = True
    figures: bool = False
    figure_hint: str = ""


CATALOGUE: tuple[ChapterKind, ...] = (
    ChapterKind("partnership", "The partnership"),
    ChapterKind("finance", "Financial arrangements"),
    ChapterKind("context", "Safeguarding context"),
    ChapterKind("lado", "Allegations against people who work with children (LADO)", figures=True,
                figure_hint="Allegations referred, allegations that met the threshold, outcomes within a month."),
    ChapterKind("private_fostering", "Private fostering", figures=True,
                figure_hint="Notifications received, arrangements at the year's end, visits on time."),
    ChapterKind("mappa", "Multi-agency public protection arrangements (MAPPA)", figures=True,
                figure_hint="Offenders managed at each level, with children in the household."),
    ChapterKind("quality", "Quality assurance"),
    ChapterKind("audits", "Multi-agency and single-agency audits", figures=True,
                figure_hint="Audits completed, cases audited, findings graded good or better."),
    ChapterKind("reviews", "Learning from reviews"),
    ChapterKind("child_death", "Child death overview", figures=True,
                figure_hint="Reviews completed, with modifiable factors, by category."),
    ChapterKind("training", "Training"),
    ChapterKind("voice", "The voice of children and families", figures=True,
                figure_hint="Children and families heard (surveys, groups), changes made because of it."),
    ChapterKind("communication", "Communication and engagement", figures=True,
                figure_hint="Website visits, newsletters sent, events and their attendance."),
    ChapterKind("education", "Education settings"),
    ChapterKind("scrutiny", "Independent scrutiny"),
    ChapterKind("agencies", "What partners achieved"),
    ChapterKind("priorities", "Priorities"),
    ChapterKind("membership", "Membership"),
)
BY_KEY = {c.key: c for c in CATALOGUE}
DEFAULT_ORDER = [c.key for c in CATALOGUE if c.default]
FIGURE_CHAPTERS = [c.key for c in CATALOGUE if c.figures]


def title(key: str) -> str:
    """The chapter's title; KeyError for an unknown key."""
    return BY_KEY[key].title


def ordered(keys: list[str] | None) -> list[str]:
    """The chapters to print, in order: the stored list (unknown keys dropped) or the default."""
    if not keys:
        return list(DEFAULT_ORDER)
    return [k for k in keys if k in BY_KEY]
