"""PCI dashboards: thin views over ``datasets.dashboard_selectors``.

Who sees what: every signed-in person may open the overview, indicator and exceptions pages, but
the rows are the agencies whose figures they may read in full (``agencies_readable_by``): PCI
members and business managers see every agency, a designated professional the health agencies,
an agency submitter their own agency only. Everyone else's figures appear only as the
partnership's median or pooled figure, and only when at least three agencies contribute. An
agency page outside a person's reach answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import urlencode as urlencode_filter
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from datasets import dashboard_selectors as ds
from partners.access import agencies_in_partnership, agencies_readable_by
from reports.charts import chart
from safeguarding.listing import PER_PAGE, page_of

from . import exports
from .forms import DashboardFilter, ExceptionFilter, TrendFilter
from .present import (
    arrow,
    matrix_cell,
    matrix_row,
    movement,
    narrative_item,
    partnership_figure,
    show,
    spc_icons,
    suffix,
    tag,
    target_text,
    trend_cell,
    trend_row,
    whole_cell,
    whole_text,
)
from .sections import sections_for

FORMATS = ("csv", "xlsx")
ALL = "all"


@dataclass
class Base:
    """What every dashboard starts from (4 queries): quarters, the catalogue, the partnership's
    agencies and the ids of those the person may read in full."""

    quarters: list
    indicators: list
    agencies: list
    visible: set[int]

    @classmethod
    def load(cls, user) -> Base:
        pid = user.partnership_id
        return cls(quarters=ds.quarters_for(pid), indicators=ds.indicators_of(pid),
                   agencies=list(agencies_in_partnership(user).order_by("name")),
                   visible=set(agencies_readable_by(user).values_list("pk", flat=True)))


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise Http404("Exports are CSV or XLSX.")


def _query(request, **extra) -> str:
    """The request's query string with ``extra`` set (a value of ``None`` removes that name)."""
    params = request.GET.copy()
    for key, value in extra.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


def _empty(request, title: str):
    return render(request, "reports/dashboards/no_data.html", {"title": title})


# ---------------------------------------------------------------- overview


@login_required
def overview(request, fmt: str | None = None):
    _check_format(fmt)
    base = Base.load(request.user)
    if not base.quarters:
        return _empty(request, "Partnership overview")
    domains = ds.domains_in(base.indicators)
    form = DashboardFilter(request.GET, quarters=base.quarters, domains=domains)
    form.fields["domain"].choices = [(ALL, "All domains"), *domains]
    quarter = ds.pick_quarter(base.quarters, form.value("quarter"))
    domain = form.value("domain") or ds.default_domain(indicators=base.indicators, agencies=base.agencies,
                                                       visible=base.visible, period=quarter.period) or ALL
    agency_type = form.value("agency_type")
    data = ds.overview(quarter=quarter, indicators=base.indicators, agencies=base.agencies, visible=base.visible,
                       domain="" if domain == ALL else domain, agency_type=agency_type,
                       history=None if fmt else ds.spc_window(base.quarters, quarter),
                       partnership_variation=not fmt,
                       # The page shows agencies fifty at a time, as every long list does; an
                       # export holds them all.
                       per_page=None if fmt else PER_PAGE, page=request.GET.get("page"))
    if fmt:
        return exports.overview(data, fmt=fmt)
    tables = matrix_tables(data)
    choices = _query(request, quarter=quarter.label, domain=domain, page=None)
    initial = {"quarter": quarter.label, "domain": domain, "agency_type": agency_type}
    form = DashboardFilter(initial, quarters=base.quarters, domains=domains)
    form.fields["domain"].choices = [(ALL, "All domains"), *domains]
    return render(request, "reports/dashboards/overview.html", {
        "form": form, "data": data, "tables": tables, "quarter": quarter, "spc_span": ds.SPC_SPAN,
        "withheld": sum(1 for _, f in data.partnership if f is not None and f.count and not f.shown),
        "domain_label": dict(domains).get(domain, "All domains"),
        "completeness": data.completeness, "rag_counts": [tag(s) | {"count": data.rag_counts.get(s, 0)}
                                                          for s in ("red", "amber", "green")],
        # The exports and the page links carry the same choices, without the page number.
        "export_query": choices, "page": data.page, "page_query": choices,
        "sees_everyone": request.user.reads_everything,
    })


# Six indicator columns beside the agency column fit a 1280 px screen (issue 16.1).
MATRIX_COLUMNS = 6


def _reporters(types: list[str]) -> str:
    from partners.models import HEALTH_AGENCY_TYPES, AgencyType

    names = dict(AgencyType.choices)
    if types and set(types) <= set(HEALTH_AGENCY_TYPES) and len(types) > 1:
        return "health agencies"
    return ", ".join(names.get(t, t) for t in types) or "no agency in this view"


def matrix_tables(data) -> list[dict]:
    """The overview's groups as tables of at most ``MATRIX_COLUMNS`` indicators, each with its
    caption, columns (indicator, target, partnership cell) and ``body``: every agency's row
    (``present.matrix_row``) as one piece of HTML."""
    tables = []
    # Each agency's link, worked out once: an agency is a row of several tables.
    quarter = urlencode_filter(data.quarter.label)
    hrefs = {agency.pk: reverse("dashboards:agency", args=[agency.slug]) + f"?quarter={quarter}"
             for agency, _ in data.rows}
    for group in data.groups:
        chunks = [range(k, min(k + MATRIX_COLUMNS, len(group.indicators)))
                  for k in range(0, len(group.indicators), MATRIX_COLUMNS)]
        for n, chunk in enumerate(chunks, start=1):
            part = f" (part {n} of {len(chunks)})" if len(chunks) > 1 else ""
            tables.append({
                "id": f"matrix-{len(tables) + 1}", "domain": group.domain_label,
                "caption": f"{group.domain_label}: indicators reported by {_reporters(group.agency_types)}{part}",
                "columns": [{"indicator": group.indicators[k],
                             "target": target_text(data.targets.get(group.indicators[k].pk), group.indicators[k]),
                             "partnership": whole_cell(group.partnership[k],
                                                       data.targets.get(group.indicators[k].pk))} for k in chunk],
                # The rows as one piece of HTML: a template loop over two hundred rows costs more
                # than building them.
                "body": mark_safe("\n    ".join(  # noqa: S308 - each row is built escaped by matrix_row
                    matrix_row(agency.name, hrefs[agency.pk], [matrix_cell(cells[k], agency.name) for k in chunk])
                    for agency, cells in group.rows)),
            })
    return tables


# ---------------------------------------------------------------- indicator


@login_required
def indicator(request, code: str, fmt: str | None = None):
    _check_format(fmt)
    found = ds.indicator_by_code(partnership_id=request.user.partnership_id, code=code)
    if found is None:
        raise Http404("No such indicator in your partnership.")
    base = Base.load(request.user)
    if not base.quarters:
        return _empty(request, str(found))
    readable = [a for a in base.agencies if a.pk in base.visible]
    form = TrendFilter(request.GET, quarters=base.quarters, agencies=readable)
    end = ds.pick_quarter(base.quarters, form.value("quarter"))
    span = form.value("span", 12)  # three years, this quarter in each (issue 13.5)
    agency_type = form.value("agency_type")
    focus = form.value("focus")
    quarters = ds.window(base.quarters, end, int(span))
    trend = ds.indicator_trend(indicator=found, quarters=quarters, agencies=base.agencies, visible=base.visible,
                               agency_type=agency_type, spc_history=None if fmt else ds.spc_window(base.quarters, end))
    if fmt:
        return exports.indicator(trend, fmt=fmt)
    unit = suffix(found)
    pooled = found.is_ratio
    whole_name = "Partnership (all agencies pooled)" if pooled else "Partnership median"
    whole = [ds.partnership_shown(f)[0] for f in trend.partnership]
    # A chart of fifty lines says nothing: draw the partnership, and the agencies only when few.
    drawn = [(a, pts) for a, pts in trend.series if len(trend.series) <= 5 or a.slug == focus]
    spec = {
        "title": f"{found.code} {found.name}: {quarters[0].label} to {quarters[-1].label}",
        "categories": [q.label for q in quarters],
        "series": [{"name": whole_name, "values": whole},
                   *({"name": a.name, "values": [p.value for p in pts]} for a, pts in drawn)],
        "target": [t.target if t is not None else None for t in trend.targets],
        "comparators": [{"name": name, "values": values} for name, values in trend.comparators.items()],
        "unit": unit, "chart_id": f"trend-{found.pk}",
        "desc": f"{found.get_polarity_display()}. Dashed black line: the target in force each quarter.",
    }
    output = chart("line", **spec)
    # The agencies' table is a list that can pass 50 rows: paged at 50, like the matrix, so that
    # only the page's agencies are judged and drawn (the export holds them all).
    page, page_query = page_of(request, trend.series)
    listed = list(page.object_list)
    spc_view = indicator_spc(found, trend=trend, focus=focus, recalc=form.value("recalc"), listed=listed)
    # The table's rows and the narratives as HTML (see ``matrix_tables`` for why).
    rows = mark_safe("\n    ".join(  # noqa: S308 - each row is built escaped by trend_row
        trend_row(a.name, reverse("dashboards:agency", args=[a.slug]), spc_view["agencies"][a.pk],
                  [trend_cell(p, found) for p in pts]) for a, pts in listed))
    initial = {"quarter": end.label, "span": span, "agency_type": agency_type, "focus": focus,
               "recalc": form.value("recalc")}
    return render(request, "reports/dashboards/indicator.html", {
        "spc": spc_view,
        "indicator": found, "form": TrendFilter(initial, quarters=base.quarters, agencies=readable),
        "trend": trend, "chart": output, "rows": rows, "whole_name": whole_name,
        "whole": [whole_text(f, found, [pts[n] for _, pts in trend.series])
                  for n, f in enumerate(trend.partnership)],
        "targets": [target_text(t, found) for t in trend.targets],
        "comparators": [(name, [show(v, found) for v in values]) for name, values in trend.comparators.items()],
        "narratives": [(q, mark_safe("\n  ".join(  # noqa: S308 - each item is built escaped by narrative_item
            narrative_item(a.name, show(v, found), text) for a, v, text in notes))) for q, notes in trend.narratives],
        "export_query": _query(request, quarter=end.label, page=None),
        "sees_everyone": request.user.reads_everything,
        "page": page, "page_query": page_query,
    })


def indicator_spc(found, *, trend, focus: str, recalc: str, listed: list | None = None) -> dict:
    """The indicator's SPC (no queries: ``trend`` was read with its ``spc_history``): the XmR chart
    of the partnership's figure, or of the focus agency's, over ``trend.spc_quarters`` (up to
    ``ds.SPC_SPAN`` quarters to the trend's last), recalculated from ``recalc`` when it falls inside
    them; and the variation and assurance icons of each agency in ``listed`` (``(agency, points)``
    pairs of ``trend.series``; all of them when ``None``)."""
    quarters = trend.spc_quarters
    whole = trend.spc_partnership
    mine = {(agency_id, found.pk): series for agency_id, series in trend.spc_series.items()}
    target = trend.targets[-1] if trend.targets else None
    labels = [q.label for q in quarters]
    cut = [labels.index(recalc)] if recalc in labels[1:] else []
    focused = next((a for a, _ in trend.series if a.slug == focus), None)
    values = mine.get((focused.pk, found.pk), [None] * len(quarters)) if focused else whole
    subject = focused.name if focused else ("the partnership (pooled)" if found.is_ratio else
                                            "the partnership median")
    result = ds.judge(found, values, target, cut)
    output = chart("spc", title=f"{found.code} {found.name}, {subject}: SPC chart, {labels[0]} to {labels[-1]}",
                   categories=labels, result=result, polarity=found.polarity,
                   target=target.target if target is not None else None, unit=suffix(found),
                   chart_id=f"spc-{found.pk}",
                   desc="Statistical process control (XmR): mean, process limits at the mean ± 2.66 × the mean "
                        "moving range, and special-cause points.")
    agencies = {}
    for agency, _ in trend.series if listed is None else listed:
        judged = ds.judge(found, mine.get((agency.pk, found.pk), [None] * len(quarters)), target)
        agencies[agency.pk] = spc_icons(judged)
    return {"chart": output, "result": result, "subject": subject, "recalculated_from": recalc if cut else "",
            "icons": spc_icons(result), "agencies": agencies, "quarters": len(quarters),
            "figures": spc_figures(result, found)}


def spc_figures(result, indicator) -> list[tuple[str, str]]:
    """The latest limits as (label, formatted figure) pairs, for beside the chart."""
    lim = result.limits
    if lim is None:
        return []
    return [("Mean", show(lim.mean, indicator)), ("Lower process limit", show(lim.lower, indicator)),
            ("Upper process limit", show(lim.upper, indicator)),
            ("Mean moving range", show(lim.mean_moving_range, indicator)),
            ("Points", str(lim.points))]


# ---------------------------------------------------------------- agency


HISTORY = 8


@login_required
def agency(request, slug: str, fmt: str | None = None):
    _check_format(fmt)
    found = get_object_or_404(agencies_readable_by(request.user), slug=slug)
    base = Base.load(request.user)
    if not base.quarters:
        return _empty(request, found.name)
    form = DashboardFilter(request.GET, quarters=base.quarters, domains=[])
    quarter = ds.pick_quarter(base.quarters, form.value("quarter"))
    previous = ds.previous_quarter(base.quarters, quarter)
    view = ds.agency_view(agency=found, quarter=quarter, previous=previous, indicators=base.indicators,
                          history=ds.window(base.quarters, quarter, HISTORY),
                          spc_history=None if fmt else ds.spc_window(base.quarters, quarter))
    if fmt:
        return exports.agency(view, fmt=fmt)
    for line in view.lines:
        i = line.indicator
        line.texts = {"latest": show(line.latest, i) if not line.na else f"n/a ({line.na})",
                      "previous": show(line.previous, i),
                      "target": target_text(line.target, i), "partnership": partnership_figure(line.partnership, i),
                      "moved": movement(line.previous, line.latest, i)}
        line.tag = tag(line.rag)
        line.icons = spc_icons(line.spc) if line.spc is not None else None
        line.arrow = arrow(ds.direction([line.previous, line.latest]), line.previous, i)
    return render(request, "reports/dashboards/agency.html", {
        "agency": found, "view": view, "spc_span": ds.SPC_SPAN, "quarter": quarter, "previous": previous,
        "form": _quarter_only(quarter, base), "export_query": _query(request, quarter=quarter.label),
        "extra_sections": agency_sections(request.user, found, quarter),
    })


def _quarter_only(quarter, base):
    form = DashboardFilter({"quarter": quarter.label}, quarters=base.quarters, domains=[])
    del form.fields["domain"], form.fields["agency_type"]
    return form


def agency_sections(user, agency, quarter) -> list[dict]:
    """Sections the reviews and training apps add to an agency page, when their selectors exist."""
    return sections_for(user, agency, quarter)


# ---------------------------------------------------------------- exceptions


def challenge_link(row, quarter) -> str | None:
    """Raise a challenge in the reviews app's impact log, pre-filled; None before it exists."""
    try:
        url = reverse("reviews:challenge_create")
    except NoReverseMatch:
        return None
    reasons = "; ".join(row.reasons)
    return url + "?" + urlencode({"agency": row.agency.slug, "indicator": row.indicator.code,
                                  "quarter": quarter.label,
                                  "issue": f"{row.indicator.code} {row.indicator.name}: {reasons}."})


def _exceptions(request, base):
    domains = ds.domains_in(base.indicators)
    form = ExceptionFilter(request.GET, quarters=base.quarters, domains=domains)
    quarter = ds.pick_quarter(base.quarters, form.value("quarter"))
    previous = ds.previous_quarter(base.quarters, quarter)
    domain, sort = form.value("domain"), form.value("sort", "severity")
    rows = ds.exceptions(quarter=quarter, previous=previous, indicators=base.indicators, agencies=base.agencies,
                         visible=base.visible, domain=domain, sort=sort)
    return form, quarter, previous, domain, sort, rows


@login_required
def exceptions(request, fmt: str | None = None):
    _check_format(fmt)
    base = Base.load(request.user)
    if not base.quarters:
        return _empty(request, "Exceptions for the meeting")
    form, quarter, previous, domain, sort, rows = _exceptions(request, base)
    if fmt:
        return exports.exceptions(rows, quarter=quarter, fmt=fmt)
    may_challenge = request.user.is_pci or request.user.is_manager
    # Lists that scale (issue 16.6): 50 a page, in the chosen order; the exports hold every row.
    page, query = page_of(request, rows)
    rows = list(page.object_list)
    for row in rows:
        i = row.indicator
        row.texts = {"value": show(row.value, i), "previous": show(row.previous, i),
                     "target": target_text(row.target, i), "moved": movement(row.previous, row.value, i)}
        row.tag = tag(row.rag)
        row.challenge = challenge_link(row, quarter) if may_challenge else None
    initial = {"quarter": quarter.label, "domain": domain, "sort": sort}
    return render(request, "reports/dashboards/exceptions.html", {
        "form": ExceptionFilter(initial, quarters=base.quarters, domains=ds.domains_in(base.indicators)),
        "rows": rows, "page": page, "query": query, "quarter": quarter, "previous": previous,
        "export_query": _query(request, quarter=quarter.label),
        "sort_links": [(key, label, "?" + _query(request, sort=key, quarter=quarter.label))
                       for key, label in ExceptionFilter.base_fields["sort"].choices],
        "sort": sort,
    })
