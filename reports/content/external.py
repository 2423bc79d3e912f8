"""Chapters drawn from the datasets, reviews and training apps, through their selectors.

Each chapter function takes the bare chapter and fills it. When the year has no data, the chapter
says so instead of failing: the report is built from whatever the portal holds. The report reads
the whole partnership (``*_in_partnership``), as the body that publishes it, not as one person.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from datasets import dashboard_selectors as ds
from datasets.selectors import quarter_completeness
from partners.models import Partnership
from reviews import selectors as rs
from reviews.access import actions_in_partnership, challenges_in_partnership, reviews_in_partnership
from reviews.models import ReviewType
from safeguarding import formatting
from safeguarding.periods import FinancialYear
from training import selectors as ts

from ..dashboards.present import WITHHELD
from .base import Chapter

log = logging.getLogger(__name__)

NOT_YET = "No data yet: {what} for {year} will appear here once it is recorded in the portal."
# reviews.rag colours, in words (the report never relies on colour).
ACTION_STATES = (("blue", "Assured"), ("green", "On track or awaiting assurance"),
                 ("amber", "Due soon or late to start"), ("red", "Overdue or not achieved"), ("grey", "Superseded"))


def _unit(indicator) -> str:
    """The unit code charts and tables format ``indicator``'s figures by (safeguarding.formatting)."""
    return indicator.unit


class Footnotes:
    """Numbered footnotes for a table: "n/a" cells point to the reason (issue 13.1). The same
    text gets the same number."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> int:
        if text not in self.items:
            self.items.append(text)
        return self.items.index(text) + 1


def figure_cell(indicator, whole, points, notes: Footnotes, *, label: str | None) -> dict:
    """One partnership figure of a report table as ``{"text", "note"}``: the figure by the one
    formatter and the one withholding rule (``ds.partnership_shown``), "n/a" with a footnote when
    the agencies said why it is not available, "withheld" with a footnote when the rule withholds
    it, "–" when there is nothing, and a footnote when a ratio is not pooled."""
    if label is None:
        return {"text": formatting.MISSING, "note": None}
    value, withheld = ds.partnership_shown(whole)
    if value is not None:
        note = notes.add(f"{label}: {ds.NOT_POOLED}; the median agency is shown.") if whole.not_pooled else None
        return {"text": formatting.format_figure(value, indicator), "note": note}
    if withheld:
        return {"text": WITHHELD, "note": notes.add(f"Withheld: {withheld}.")}
    reasons = [p.na for p in points or [] if p.na]
    if reasons:
        return {"text": formatting.NOT_AVAILABLE, "note": notes.add(f"{label}: {reasons[0]}.")}
    return {"text": formatting.MISSING, "note": None}


def comparator_cell(indicator, comparator, notes: Footnotes) -> dict:
    """A comparator with its year, always (issue 13.3): "England 2023/24: 42.4%"; "n/a" and a
    footnote when it is not available; "–" when there is none."""
    if comparator is None:
        return {"text": formatting.MISSING, "note": None}
    if comparator.na:
        return {"text": f"{comparator.year}: {formatting.NOT_AVAILABLE}",
                "note": notes.add(f"{comparator.label}: {comparator.na}.")}
    return {"text": f"{comparator.year}: {formatting.format_figure(comparator.value, indicator)}", "note": None}


def _partnership_value(fig) -> Decimal | None:
    """The partnership's figure by the one withholding rule the dashboards use
    (``datasets.dashboard_selectors.partnership_shown``): ``None`` when withheld."""
    return ds.partnership_shown(fig)[0]


# ---------------------------------------------------------------- safeguarding context (datasets)
# The key-indicator chapter is in ``reports.content.context``.


def indicator_year_figure(partnership: Partnership, year: FinancialYear, indicator) -> tuple[Decimal | None, str]:
    """An indicator's partnership figure in the year's last quarter with accepted data, and that
    quarter's label; (None, "") when the year has none. The same value the context chapter and
    the indicator dashboard show for that quarter (``indicator_trend``, pooled or median)."""
    quarters = [q for q in ds.quarters_for(partnership.pk) if q.year_start == year.start_year and q.has_accepted]
    if not quarters:
        return None, ""
    agencies = ds.agencies_of(partnership.pk)
    trend = ds.indicator_trend(indicator=indicator, quarters=quarters[-1:], agencies=agencies,
                               visible={a.pk for a in agencies})
    return _partnership_value(trend.partnership[0]), quarters[-1].label


# ---------------------------------------------------------------- quality assurance (datasets + reviews)


def chapter_quality(ch: Chapter, partnership: Partnership, year: FinancialYear) -> Chapter:
    data: dict = {"completeness": [], "exceptions": [], "challenges": None}
    quarters = [q for q in ds.quarters_for(partnership.pk) if q.year_start == year.start_year]
    all_quarters = ds.quarters_for(partnership.pk)
    agencies = ds.agencies_of(partnership.pk)
    visible = {a.pk for a in agencies}
    indicators = ds.indicators_of(partnership.pk)
    for quarter in quarters:
        data["completeness"].append(quarter_completeness(quarter))
    for quarter in [q for q in quarters if q.has_accepted]:
        rows = ds.exceptions(quarter=quarter, previous=ds.previous_quarter(all_quarters, quarter),
                             indicators=indicators, agencies=agencies, visible=visible)
        data["exceptions"].append((quarter, rows))
    if data["completeness"]:
        ch.add_chart("completeness", "bar", title=f"Returns submitted on time by quarter, {year.label}",
                     items=[{"label": c.quarter.period.label, "value": c.on_time_rate}
                            for c in data["completeness"]], unit="%", label_header="Quarter",
                     table_in_chapter="Returns by quarter")
    data["exception_summary"] = [
        {"quarter": quarter, "count": len(rows), "agencies": len({r.agency.pk for r in rows}),
         "explained": sum(1 for r in rows if r.narrative)} for quarter, rows in data["exceptions"]]
    data["challenges"] = _challenges(partnership, year)
    ch.data = data
    if not data["completeness"] and not data["challenges"]:
        ch.empty = NOT_YET.format(what="dataset completeness, exceptions and challenges", year=year.label)
    return ch


def _challenges(partnership: Partnership, year: FinancialYear) -> list | None:
    qs = challenges_in_partnership(partnership.pk).filter(raised_on__gte=year.start, raised_on__lte=year.end)
    return list(rs.challenge_list(challenges=qs).select_related("agency").order_by("raised_on", "id"))


# ---------------------------------------------------------------- learning from reviews


AUDIT_TYPES = (ReviewType.MULTI_AGENCY_AUDIT, ReviewType.SINGLE_AGENCY_AUDIT, ReviewType.SECTION_11)


def review_items(ch: Chapter, partnership: Partnership, year: FinancialYear, *, audits: bool) -> list[dict]:
    """The year's reviews (``audits`` False) or audits (True), each with its recommendations, their
    addressees and actions as they stood at the end of the year (issue 15.1): status, completion
    and assurance days and the latest progress note are read from the dated history
    (``reviews.selectors.actions_as_at``), so a later assurance is not counted. One chart of the
    actions by state across the chapter, when there are actions to draw."""
    reviews = list(rs.review_list(reviews=reviews_in_partnership(partnership.pk)))
    # The year's reviews: open during the year (notified before it ended, not completed before it began).
    reviews = [r for r in reviews if (r.notified_on is None or r.notified_on <= year.end)
               and (r.completed_on is None or r.completed_on >= year.start or r.n_actions)
               and (r.review_type in AUDIT_TYPES) == audits]
    actions = actions_in_partnership(partnership.pk)
    as_at = min(year.end, _today())
    items = []
    states: dict[str, int] = {}
    for review in reviews:
        progress = rs.review_progress(review=review, actions=actions, today=as_at, as_at=as_at)
        items.append({"review": review, **progress})
        for key, n in progress["overall"].rag.items():
            states[key] = states.get(key, 0) + n
    if any(states.values()):
        ch.add_chart("states", "bar", title=f"Actions by state at {as_at:%-d %B %Y}",
                     items=[{"label": label, "value": states.get(key, 0)} for key, label in ACTION_STATES],
                     label_header="State", unit="actions")
    ch.data["as_at"] = as_at
    return items


def chapter_reviews(ch: Chapter, partnership: Partnership, year: FinancialYear) -> Chapter:
    """Practice reviews, rapid reviews and inspections with their recommendations and actions."""
    ch.data["reviews"] = review_items(ch, partnership, year, audits=False)
    if not ch.data["reviews"]:
        ch.empty = NOT_YET.format(what="reviews and their action plans", year=year.label)
    return ch


def chapter_audits(ch: Chapter, partnership: Partnership, year: FinancialYear) -> Chapter:
    """Multi-agency, single-agency and section 11 audits: findings (their recommendations) and actions."""
    ch.data.update({"reviews": review_items(ch, partnership, year, audits=True)})
    ch.empty = ""
    if not ch.data["reviews"] and not ch.data.get("figures") and not ch.intro:
        ch.empty = NOT_YET.format(what="audits, their findings and actions", year=year.label)
    return ch


def _today():
    from django.utils import timezone

    return timezone.localdate()


# ---------------------------------------------------------------- training


def chapter_training(ch: Chapter, partnership: Partnership, year: FinancialYear) -> Chapter:
    """Single-agency compliance by level, and the multi-agency programme by format and by agency,
    each beside the previous year, with totals computed from the rows; evaluation counts and
    percentages, the follow-up response rate out of those invited (issue 15.2)."""
    pid = partnership.pk
    compliance = ts.compliance_by_agency_and_level(partnership_id=pid, year_start=year.start_year)
    # By audience (issue 12.5): each member agency and each sector that is not a member.
    attendance = ts.programme_attendance_by_audience(partnership_id=pid, year_start=year.start_year)
    previous = {r.agency: r.tally for r in ts.programme_attendance_by_audience(partnership_id=pid,
                                                                             year_start=year.start_year - 1)}
    evaluations = ts.evaluation_summary(partnership_id=pid, year_start=year.start_year)
    courses = ts.course_summary(partnership_id=pid, year_start=year.start_year)
    totals = ts.programme_totals(courses) if courses else None
    formats, format_total = ts.attendance_by_format(partnership_id=pid, year_start=year.start_year)
    # One chart of the partnership's compliance by level: the table beside it gives every agency.
    levels = [{"label": level.name, "value": getattr(compliance.total.get(level.pk), "compliance", None)}
              for level in compliance.levels]
    if len([lv for lv in levels if lv["value"] is not None]) >= 3:
        ch.add_chart("levels", "bar", title=f"Partnership training compliance by level, {year.label}",
                     items=levels, unit="%", label_header="Level", value_header="Compliance (%)")
    if attendance:
        ch.add_chart("attendance", "bar", title=f"Multi-agency training attended by audience, {year.label}",
                     items=[{"label": r.agency, "value": r.tally.attended} for r in attendance],
                     label_width=280, width=680, unit="people", value_header="People who attended",
                     label_header="Audience",
                     table_in_chapter=f"Attendance at multi-agency training by audience, {year.label}")
    attendance_total = ts.programme_totals([]) if attendance else None
    if attendance:
        for r in attendance:
            t = attendance_total["tally"]
            t.attended += r.tally.attended
            t.no_shows += r.tally.no_shows
            t.late_cancellations += r.tally.late_cancellations
        # The "Share of attendees" column added up from its rows, never a typed "100%".
        attendance_total["share"] = ts.share_total(r.share for r in attendance)
    ch.data = {"compliance": compliance, "attendance": attendance, "evaluations": evaluations,
               "courses": [c for c in courses if c.sessions], "totals": totals, "previous": previous,
               "previous_total": sum(t.attended for t in previous.values()),
               "attendance_total": attendance_total, "formats": formats, "format_total": format_total,
               "previous_year": FinancialYear(year.start_year - 1)}
    if not compliance.rows and not attendance:
        ch.empty = NOT_YET.format(what="training compliance and the multi-agency programme", year=year.label)
    return ch
