"""The annual report's chapters, following the outline in the domain brief."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from partners import selectors as partner_selectors
from partners.governance import selectors as governance
from partners.lifecycle import is_active_during
from partners.models import Agency, Partnership
from safeguarding.periods import FinancialYear

from .. import chapters as catalogue
from ..models import AgencySection, AnnualReport, NarrativeSection, ReportFigure, Section
from . import context, external, more
from .base import Chapter, Document
from .glossary import GLOSSARY

CHAPTERS = [(c.key, c.title) for c in catalogue.CATALOGUE]
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
                     target=attendance["target"], unit="%", label_width=280, width=680, label_header="Seat",
                     table_in_chapter="Board attendance by seat (agencies and members who represent no agency)")
    return ch


def _budget_lines(current: dict | None, previous: dict | None, kind: str) -> list[dict]:
    """Income or expenditure lines named as the partnership named them (the line's description;
    its category when it has none), this year beside last year; a line that is zero in both
    years is left out (issue 15.3). Amounts in pounds."""
    rows: dict[str, dict] = {}
    for summary, column in ((current, "amount"), (previous, "previous")):
        for line in (summary or {}).get("lines", []):
            if line.kind != kind:
                continue
            name = line.description.strip() or line.get_category_display()
            row = rows.setdefault(name.lower(), {"label": name, "amount": Decimal("0"), "previous": None})
            row[column] = (row[column] or Decimal("0")) + line.amount
    if previous is None:
        for row in rows.values():
            row["previous"] = None
    return [r for r in rows.values() if r["amount"] or r["previous"]]


def _contribution_rows(current: dict, previous: dict | None) -> list[dict]:
    """Each partner's cash and in-kind contribution, with last year's total beside it. In-kind
    support described but never valued is marked ``in_kind_valued`` False: "not valued", never £0."""
    before = {c.agency_id: c.total for c in (previous or {}).get("contributions", [])}
    return [{"agency": c.agency, "cash": c.cash, "in_kind": c.in_kind,
             "in_kind_valued": bool(c.in_kind) or not c.in_kind_note, "in_kind_note": c.in_kind_note,
             "total": c.total, "previous": before.get(c.agency_id)} for c in current["contributions"]]


def chapter_finance(partnership: Partnership, year: FinancialYear, narrative: dict) -> Chapter:
    """The budget as the partnership keeps it: contributions, income and expenditure lines under
    their own names, this year and last, with totals, reserves used and the balance computed."""
    ch = _chapter("finance", narrative)
    budget = governance.budget_summary(partnership_id=partnership.pk, year_start=year.start_year)
    previous = governance.budget_summary(partnership_id=partnership.pk, year_start=year.start_year - 1)
    ch.data = {"budget": budget, "previous": previous}
    if budget is None:
        ch.empty = f"No budget has been recorded for {year.label} yet."
        return ch
    ch.data.update({
        "contributions": _contribution_rows(budget, previous),
        "income": _budget_lines(budget, previous, "income"),
        "expenditure": _budget_lines(budget, previous, "expenditure"),
        "not_valued": [c for c in budget["contributions"] if not c.in_kind and c.in_kind_note],
    })
    if budget["contributions"]:
        ch.add_chart("contributions", "bar", title=f"Contributions by partner, {year.label}",
                     desc="Cash and valued in-kind contributions together.", unit="£", label_width=280, width=680,
                     items=[{"label": c.agency.name, "value": c.total} for c in budget["contributions"]],
                     label_header="Partner", value_header="Contribution (£)",
                     table_in_chapter=f"Contributions by partner, {year.label}")
    if len([r for r in ch.data["expenditure"] if r["amount"]]) >= 3:
        ch.add_chart("expenditure", "bar", title=f"Expenditure by budget line, {year.label}", unit="£",
                     items=[{"label": r["label"], "value": r["amount"]} for r in ch.data["expenditure"]
                            if r["amount"]],
                     label_header="Budget line", value_header="Spent (£)", label_width=280, width=680,
                     table_in_chapter=f"Income and expenditure, {year.label}")
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
        # Members who represent no agency: never listed as agencies (issue 12.3).
        "role_seats": governance.role_seats(partnership_id=partnership.pk),
        "distribution": distribution,
    }
    return ch


def _build_chapter(key: str, *, report: AnnualReport | None, partnership: Partnership, year: FinancialYear,
                   narrative: dict, distribution: list[str], figures: dict) -> Chapter:
    """One chapter by its key (reports.chapters); its narrative, if written, comes first."""
    if key == "partnership":
        return chapter_partnership(partnership, year, narrative)
    if key == "finance":
        return chapter_finance(partnership, year, narrative)
    if key == "context":
        return context.chapter_context(_chapter(key, narrative), partnership, year,
                                        selected=report.key_indicators if report is not None else None)
    if key in ("quality", "reviews", "training"):
        return getattr(external, f"chapter_{key}")(_chapter(key, narrative), partnership, year)
    if key == "audits":
        ch = more.chapter_figures(_chapter(key, narrative), partnership, year, figures.get(key, []))
        ch.template = "reports/pdf/chapters/audits.html"
        return external.chapter_audits(ch, partnership, year)
    if key in catalogue.FIGURE_CHAPTERS:
        ch = _chapter(key, narrative)
        ch.template = "reports/pdf/chapters/figures.html"
        return more.chapter_figures(ch, partnership, year, figures.get(key, []))
    if key in ("education", "scrutiny"):
        ch = _chapter(key, narrative)
        ch.template = "reports/pdf/chapters/narrative.html"
        if not ch.intro:
            ch.empty = f"The section on {TITLES[key].lower()} has not been written yet."
        return ch
    if key == "agencies":
        return chapter_agencies(report, partnership, narrative)
    if key == "priorities":
        return chapter_priorities(partnership, year, narrative)
    if key == "membership":
        return chapter_membership(partnership, year, narrative, distribution)
    raise KeyError(key)


def gather(*, partnership: Partnership, year_start: int, report: AnnualReport | None) -> Document:
    """The annual report's content model: front matter and the chapters the business manager
    chose, in their order (``AnnualReport.chapters``; the default order of reports.chapters
    when none is stored). Both the PDF and the HTML edition draw this one model."""
    year = FinancialYear(year_start)
    narrative: dict[str, str] = {}
    figures: dict[str, list] = {}
    if report is not None:
        narrative = dict(NarrativeSection.objects.filter(report=report).values_list("key", "body"))
        for figure in ReportFigure.objects.filter(report=report).select_related("indicator"):
            figures.setdefault(figure.chapter, []).append(figure)
    distribution = report.distribution_list() if report else []
    keys = catalogue.ordered(report.chapters if report is not None else None)
    chapters = [_build_chapter(key, report=report, partnership=partnership, year=year, narrative=narrative,
                               distribution=distribution, figures=figures) for key in keys]
    status = report.get_status_display() if report else "Draft"
    today = timezone.localdate()
    return Document(
        kind="annual",
        title=f"{partnership.name}: annual report {year.label}",
        subtitle=f"Annual report {year.label}",
        partnership=partnership,
        period_label=year.label,
        status_label=status,
        version=report.version if report else 1,
        date_label=today.strftime("%-d %B %Y"),
        chapters=chapters,
        front={
            "foreword": narrative.get(Section.FOREWORD, ""),
            "about": narrative.get(Section.ABOUT, ""),
            "key_messages": narrative.get(Section.KEY_MESSAGES, ""),
            "year_end": year.end,
            "built_after_year_end": today > year.end,
        },
        glossary=GLOSSARY,
        distribution=distribution,
    )
