"""The safeguarding context chapter: the year's key indicators, compact enough for print.

One table gives each key indicator's figure in the same quarter of three years, the target, the
RAG in words and the latest comparators with their years (issue 13). A second gives its statistical
process control as at the end of the reported year (issue 16.2): the mean and process limits of
the XmR chart over the quarters up to the year's end, or "fewer than 12 points" instead of limits,
and the variation and assurance icons with their words. Then one small chart per indicator, drawn
two to a row: this year's and last year's quarters with the mean, the process limits, the target
and any special-cause points, each with its table alternative beside it (period, partnership,
target, special cause). The SPC figures come from the selectors the indicator dashboard uses
(``datasets.dashboard_selectors.spc_window`` / ``partnership_series`` / ``judge``), so the report
and the dashboard cannot disagree (tests/reports/test_figures_everywhere.py reconciles them).
"""

from __future__ import annotations

from datasets import dashboard_selectors as ds
from datasets.spc import MIN_POINTS
from partners.models import Partnership
from safeguarding import formatting
from safeguarding.periods import FinancialQuarter, FinancialYear

from ..charts.spc import ASSURANCE_WORDS, VARIATION_WORDS
from .base import Chapter
from .external import NOT_YET, Footnotes, _partnership_value, _unit, comparator_cell, figure_cell

# The report's small charts: drawn at this size and printed two to a row (half the text width).
SMALL_WIDTH, SMALL_HEIGHT, SMALL_LABELS = 400, 210, 118


def spc_row(indicator, result, quarters: list, target) -> dict:
    """The key-indicator table's SPC cells for one judged series (``datasets.spc.SpcResult``):
    ``points`` (quarters with a figure), ``span`` ("2021/22-Q1 to 2025/26-Q4"), the mean and
    limits formatted by the indicator's unit (``None`` when refused), ``refused`` (why not, "" when
    judged), the icon keys and their words, and ``no_assurance`` saying why there is no assurance
    icon ("No target" when ``target`` is None, "No better direction" for a neutral indicator).
    Words always, so colour is never the only cue."""
    present = sum(1 for v in result.values if v is not None)
    span = f"{quarters[0].label} to {quarters[-1].label}" if quarters else ""
    no_assurance = "No target" if target is None else (
        "No better direction" if indicator.polarity not in ("higher", "lower") else "")
    row = {"points": present, "span": span, "refused": "", "mean": None, "lower": None, "upper": None,
           "variation": None, "assurance": None, "variation_words": "", "assurance_words": "",
           "no_assurance": no_assurance}
    if result.refused:
        row["refused"] = (f"Fewer than {MIN_POINTS} points ({present} "
                          f"{'quarter' if present == 1 else 'quarters'}): no process limits")
        return row
    lim = result.limits
    row.update({
        "mean": formatting.format_figure(lim.mean, indicator),
        "lower": formatting.format_figure(lim.lower, indicator),
        "upper": formatting.format_figure(lim.upper, indicator),
        "variation": result.variation, "assurance": result.assurance,
        "variation_words": VARIATION_WORDS.get(result.variation or "", ""),
        "assurance_words": ASSURANCE_WORDS.get(result.assurance or "", ""),
    })
    return row


def chapter_context(ch: Chapter, partnership: Partnership, year: FinancialYear,
                    selected: list[int] | None = None) -> Chapter:
    """The key indicators: a row, an SPC row and a small chart for each indicator chosen.

    ``selected`` is the business manager's choice (indicator ids); None applies the default rule
    of issue 15.5: an indicator with a target, a red (the partnership's or any agency's, in the
    year's last quarter with data) or a comparator. ``data["left_out"]`` counts the indicators
    with figures that the choice left out, so the chapter can say where to find them. Only
    quarters up to the year's last quarter with accepted figures are read: the SPC is as it
    stood at the end of the reported year.
    """
    quarters = ds.quarters_for(partnership.pk)
    this_year = [q for q in quarters if q.year_start == year.start_year]
    with_data = [q for q in this_year if q.has_accepted]
    if not with_data:
        ch.empty = NOT_YET.format(what="the key indicators", year=year.label)
        return ch
    end = with_data[-1]
    # Three-year series (issue 13.5): this year, last year and the year before.
    window = [q for q in quarters if year.start_year - 2 <= q.year_start <= year.start_year
              and (q.year_start, q.number) <= (end.year_start, end.number)]
    # The charts keep to this year and last (the table gives the year before too).
    drawn = [q for q in window if q.year_start >= year.start_year - 1]
    spc_quarters = ds.spc_window(quarters, end)
    agencies = ds.agencies_of(partnership.pk)
    visible = {a.pk for a in agencies}
    rows = []
    notes = Footnotes()
    left_out = 0
    chosen = set(selected) if selected is not None else None
    for indicator in ds.indicators_of(partnership.pk):
        if not indicator.is_active_in(end.period):
            continue
        if chosen is not None and indicator.pk not in chosen:
            left_out += 1
            continue
        trend = ds.indicator_trend(indicator=indicator, quarters=window, agencies=agencies, visible=visible)
        values = [_partnership_value(f) for f in trend.partnership]
        if all(v is None for v in values[-len(this_year):]):
            continue
        last = len(window) - 1
        same_quarter = {q.year_start: i for i, q in enumerate(window) if q.number == end.number}
        target = trend.targets[last]
        rag = ds.rate(indicator, values[last], target)
        if chosen is None:
            any_red = rag == "red" or any(points[last].rag == "red" for _, points in trend.series)
            has_comparator = any(v is not None for vs in trend.comparators.values() for v in vs)
            if target is None and not any_red and not has_comparator:
                left_out += 1
                continue
        england = trend.latest_comparators.get("England")
        neighbours = next((c for k, c in trend.latest_comparators.items() if "neighbour" in k.lower()), None)
        series_cells = []
        for offset in (0, 1, 2):
            i = same_quarter.get(end.year_start - offset)
            series_cells.append(figure_cell(indicator, None if i is None else trend.partnership[i],
                                            None if i is None else [pts[i] for _, pts in trend.series], notes,
                                            label=None if i is None else window[i].label))
        rows.append({
            "indicator": indicator, "unit": _unit(indicator), "value": values[last],
            "previous": values[same_quarter[end.year_start - 1]] if end.year_start - 1 in same_quarter else None,
            "series": series_cells, "target": target.target if target else None, "rag": rag,
            "england": comparator_cell(indicator, england, notes),
            "neighbours": comparator_cell(indicator, neighbours, notes),
            "target_by_quarter": {q.pk: t for q, t in zip(window, trend.targets, strict=True)},
        })
    # The SPC of every key indicator in one read (the dashboard's selector and judging).
    series = ds.partnership_series(indicators={r["indicator"].pk: r["indicator"] for r in rows},
                                   quarters=spc_quarters) if rows else {}
    for row in rows:
        indicator = row["indicator"]
        target_now = row["target_by_quarter"][end.pk]
        result = ds.judge(indicator, series[indicator.pk], target_now)
        row["spc"] = spc_row(indicator, result, spc_quarters, target_now)
        _small_chart(ch, row, result, spc_quarters, len(drawn), end)
    ch.data = {"rows": rows, "quarter": end, "window": window, "left_out": left_out,
               "default_rule": chosen is None, "notes": notes.items, "spc_span": ds.SPC_SPAN,
               "spc_from": spc_quarters[0].label if spc_quarters else "", "min_points": MIN_POINTS,
               "drawn_from": drawn[0].label if drawn else "",
               "years": [FinancialQuarter(FinancialYear(end.year_start - k), end.number).label for k in (0, 1, 2)]}
    if not rows:
        ch.empty = NOT_YET.format(what="the key indicators", year=year.label)
    return ch


def _small_chart(ch: Chapter, row: dict, result, spc_quarters: list, shown: int, end) -> None:
    """One indicator's small chart: its quarters of this year and last (``shown``) with the mean
    and process limits judged over ``spc_quarters``, the target in force each quarter (it steps
    when it changed) and the special-cause points; its table gives period, partnership figure,
    target and special cause. The mean and limits are in the chapter's SPC table, once."""
    indicator = row["indicator"]
    targets = row["target_by_quarter"]
    target = [getattr(targets.get(q.pk), "target", None) for q in spc_quarters]
    limits = ("Mean and process limits as judged over "
              f"{row['spc']['points']} quarters to {end.label}." if not result.refused
              else f"{row['spc']['refused']}.")
    ch.add_chart(f"trend-{indicator.pk}", "spc", title=f"{indicator.name}: trend by quarter",
                 desc=f"{indicator.code}, {indicator.get_unit_display().lower()}. {limits}",
                 categories=[q.label for q in spc_quarters], result=result, polarity=indicator.polarity,
                 target=target, unit=row["unit"], show_last=shown, series_name="Partnership",
                 limits_in_table=False, width=SMALL_WIDTH, height=SMALL_HEIGHT, label_width=SMALL_LABELS)
