"""The annual report's chapters, following the outline in the domain brief."""

from __future__ import annotations

from django.utils import timezone

from partners import selectors as partner_selectors
from partners.governance import selectors as governance
from partners.lifecycle import is_active_during
from partners.models import Agency, Partnership
from safeguarding.periods import FinancialYear

from ..models import AgencySection, AnnualReport, NarrativeSection, Section
from . import external
from .base import Chapter, Document
from .glossary import GLOSSARY

CHAPTERS = [
    ("partnership", "The partnership"),
    ("finance", "Financial arrangements"),
    ("context", "Safeguarding context"),
    ("quality", "Quality assurance"),
    ("reviews", "Learning from reviews"),
    ("training", "Training"),
    ("agencies", "What partners achieved"),
    ("priorities", "Priorities"),
    ("membership", "Membership"),
]
TITLES = dict(CHAPTERS)


def _active(partnership: Partnership, year: FinancialYear) -> list[Agency]:
    """Agencies that were part of the partnership at some point in the year."""
    return [a for a in partner_selectors.agency_list(partnership_id=partnership.pk)
            if is_active_during(a, year.start, year.end)]


def _chapter(key: str, narrative: dict[str, str]) -> Chapter:
    return Chapter(key=key, title=TITLES[key], template=f"reports/pdf/chapters/{key}.html",
                   intro=narrative.get(key, ""))


def chapter_partnership(partnership: Partnership, year: FinancialYear, narrative: dict) -> Chapter:
    ch = _chapter("partnership", narrative)
    agencies = _active(partnership, year)
    # Per seat (partners.governance.selectors.attendance_by_seat, issue 12.3): role seats such as
    # the independent chair are listed, and are never agencies.
    attendance = governance.attendance_by_seat(partnership_id=partnership.pk, year_start=year.start_year)
    ch.data = {
        "statutory": [a for a in agencies if a.membership == Agency.Membership.STATUTORY_PARTNER],
        "relevant": [a for a in agencies if a.membership != Agency.Membership.STATUTORY_PARTNER],
        "activity": governance.subgroup_activity(partnership_id=partnership.pk, year_start=year.start_year),
        "attendance": attendance,
        "attendance_target": attendance["target"],
    }
    if attendance["rows"]:
        ch.add_chart("attendance", "bar", title=f"Board attendance by seat, {year.label}",
                     desc="Share of board meetings each seat's holder attended in person or by deputy.",
                     items=[{"label": r["name"], "value": r["rate"]} for r in attendance["rows"]],
                     target=attendance["target"], unit="%", label_width=280, width=680)
    return ch


def chapter_finance(partnership: Partnership, year: FinancialYear, narrative: dict) -> Chapter:
    ch = _chapter("finance", narrative)
    budget = governance.budget_summary(partnership_id=partnership.pk, year_start=year.start_year)
    previous = governance.budget_summary(partnership_id=partnership.pk, year_start=year.start_year - 1)
    ch.data = {"budget": budget, "previous": previous}
    if budget is None:
        ch.empty = f"No budget has been recorded for {year.label} yet."
        return ch
    if budget["contributions"]:
        ch.add_chart("contributions", "bar", title=f"Contributions by partner, {year.label}",
                     desc="Cash and in-kind contributions together.", unit="£", label_width=280, width=680,
                     items=[{"label": c.agency.name, "value": c.total} for c in budget["contributions"]])
    ch.add_chart("expenditure", "bar", title=f"Expenditure by category, {year.label}", unit="£",
                 items=[{"label": r["label"], "value": r["amount"]} for r in budget["expenditure"]])
    return ch


def chapter_agencies(report: AnnualReport | None, partnership: Partnership, narrative: dict) -> Chapter:
    ch = _chapter("agencies", narrative)
    sections = []
    if report is not None:
        sections = [s for s in AgencySection.objects.filter(report=report).select_related("agency")
                    .order_by("agency__name") if s.achievements or s.challenges]
    ch.data = {"sections": sections}
    if not sections:
        ch.empty = "No partner has written its section for this year yet."
    return ch


def chapter_priorities(partnership: Partnership, year: FinancialYear, narrative: dict) -> Chapter:
    ch = _chapter("priorities", narrative)
    current = list(governance.priority_list(partnership_id=partnership.pk, year_start=year.start_year))
    following = list(governance.priority_list(partnership_id=partnership.pk, year_start=year.start_year + 1))
    ch.data = {"current": current, "following": following, "next_year": FinancialYear(year.start_year + 1)}
    if not current and not following:
        ch.empty = f"No priorities have been recorded for {year.label} yet."
    return ch


def chapter_membership(partnership: Partnership, year: FinancialYear, narrative: dict,
                       distribution: list[str]) -> Chapter:
    ch = _chapter("membership", narrative)
    ch.data = {
        "agencies": _active(partnership, year),
        "subgroups": list(partner_selectors.subgroup_list(partnership_id=partnership.pk)),
        "distribution": distribution,
    }
    return ch


def gather(*, partnership: Partnership, year_start: int, report: AnnualReport | None) -> Document:
    year = FinancialYear(year_start)
    narrative: dict[str, str] = {}
    if report is not None:
        narrative = dict(NarrativeSection.objects.filter(report=report).values_list("key", "body"))
    distribution = report.distribution_list() if report else []
    chapters = [
        chapter_partnership(partnership, year, narrative),
        chapter_finance(partnership, year, narrative),
        external.chapter_context(_chapter("context", narrative), partnership, year),
        external.chapter_quality(_chapter("quality", narrative), partnership, year),
        external.chapter_reviews(_chapter("reviews", narrative), partnership, year),
        external.chapter_training(_chapter("training", narrative), partnership, year),
        chapter_agencies(report, partnership, narrative),
        chapter_priorities(partnership, year, narrative),
        chapter_membership(partnership, year, narrative, distribution),
    ]
    status = report.get_status_display() if report else "Draft"
    return Document(
        kind="annual",
        title=f"{partnership.name}: annual report {year.label}",
        subtitle=f"Annual report {year.label}",
        partnership=partnership,
        period_label=year.label,
        status_label=status,
        version=report.version if report else 1,
        date_label=timezone.localdate().strftime("%-d %B %Y"),
        chapters=chapters,
        front={
            "foreword": narrative.get(Section.FOREWORD, ""),
            "about": narrative.get(Section.ABOUT, ""),
            "key_messages": narrative.get(Section.KEY_MESSAGES, ""),
        },
        glossary=GLOSSARY,
        distribution=distribution,
    )
