"""The PCI pack's chapters, drawn from datasets and reviews through their selectors."""

from __future__ import annotations

from collections import Counter

from datasets import dashboard_selectors as ds
from datasets.selectors import quarter_completeness
from partners.models import Partnership
from reports.charts.spc import VARIATION_WORDS
from reviews import selectors as rs
from reviews.access import actions_in_partnership, challenges_in_partnership
from reviews.models import ChallengeStatus
from safeguarding.periods import FinancialQuarter

from .base import Chapter
from .external import _partnership_value, _unit

NOT_YET = "No data yet: {what} for {quarter} will appear here once it is recorded in the portal."


def _quarter(partnership: Partnership, quarter: FinancialQuarter):
    """The datasets app's quarter row and its neighbours, or None when datasets has none."""
    quarters = ds.quarters_for(partnership.pk)
    row = next((q for q in quarters if q.year_start == quarter.year.start_year and q.number == quarter.number), None)
    if row is None:
        return ds, None, None
    return ds, row, ds.previous_quarter(quarters, row)


def chapter_overview(ch: Chapter, partnership: Partnership, quarter: FinancialQuarter) -> Chapter:
    ds, row, _ = _quarter(partnership, quarter)
    if row is None or not row.has_accepted:
        ch.empty = NOT_YET.format(what="the overview of indicators by agency", quarter=quarter.label)
        return ch
    agencies = ds.agencies_of(partnership.pk)
    quarters = ds.quarters_for(partnership.pk)
    # With the SPC window, each indicator's partnership figure gets its variation icon (issue 16.2).
    overview = ds.overview(quarter=row, indicators=ds.indicators_of(partnership.pk), agencies=agencies,
                           visible={a.pk for a in agencies}, history=ds.spc_window(quarters, row),
                           partnership_variation=True)
    variation = {w.indicator.pk: w.variation for g in overview.groups for w in g.partnership}
    by_agency = []
    for agency, cells in overview.rows:
        # A reported figure with no accepted value (the return is still queried, or the figure is
        # not available) is not a figure without a target: it is counted apart.
        counts = Counter(c.rag or ("not_reported" if not c.reported else "missing" if c.value is None else "none")
                         for c in cells)
        by_agency.append({"agency": agency, "red": counts["red"], "amber": counts["amber"],
                          "green": counts["green"], "none": counts["none"], "missing": counts["missing"]})
    indicators = []
    for index, (indicator, figure) in enumerate(overview.partnership):
        cells = [cells[index] for _, cells in overview.rows]
        target = overview.targets.get(indicator.pk)
        indicators.append({
            "indicator": indicator, "unit": _unit(indicator), "value": _partnership_value(figure),
            "target": target.target if target else None,
            "red_agencies": [a.name for a, cs in overview.rows if cs[index].rag == "red"],
            "variation": variation.get(indicator.pk),
            "variation_words": VARIATION_WORDS.get(variation.get(indicator.pk) or "", "Fewer than 12 quarters"),
            "reported": sum(1 for c in cells if c.value is not None),
        })
    ch.data = {"overview": overview, "by_agency": by_agency, "indicators": indicators}
    if any(r["red"] for r in by_agency):
        ch.add_chart("red", "bar", title=f"Red figures by agency, {quarter.label}",
                 items=[{"label": r["agency"].name, "value": r["red"]} for r in by_agency],
                 label_width=280, width=680)
    return ch


def chapter_exceptions(ch: Chapter, partnership: Partnership, quarter: FinancialQuarter) -> Chapter:
    ds, row, previous = _quarter(partnership, quarter)
    if row is None or not row.has_accepted:
        ch.empty = NOT_YET.format(what="exceptions and their narratives", quarter=quarter.label)
        return ch
    agencies = ds.agencies_of(partnership.pk)
    ch.data = {"rows": ds.exceptions(quarter=row, previous=previous, indicators=ds.indicators_of(partnership.pk),
                                     agencies=agencies, visible={a.pk for a in agencies}), "quarter": row}
    return ch


def chapter_completeness(ch: Chapter, partnership: Partnership, quarter: FinancialQuarter) -> Chapter:
    ds, row, _ = _quarter(partnership, quarter)
    if row is None:
        ch.empty = NOT_YET.format(what="the completeness of returns", quarter=quarter.label)
        return ch
    ch.data = {"completeness": quarter_completeness(row)}
    return ch


def chapter_overdue(ch: Chapter, partnership: Partnership, quarter: FinancialQuarter) -> Chapter:
    ch.data = {"actions": rs.overdue_actions(actions=actions_in_partnership(partnership.pk))}
    if not ch.data["actions"]:
        ch.empty = "No action is overdue."
    return ch


def chapter_challenges(ch: Chapter, partnership: Partnership, quarter: FinancialQuarter) -> Chapter:
    qs = challenges_in_partnership(partnership.pk).exclude(status=ChallengeStatus.CLOSED)
    ch.data = {"challenges": list(rs.challenge_list(challenges=qs).select_related("agency"))}
    if not ch.data["challenges"]:
        ch.empty = "No challenge is open."
    return ch
