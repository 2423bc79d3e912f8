"""Every dashboard view as CSV or XLSX, through ``safeguarding.exports`` (formula-safe).

Figures go out as numbers (not formatted text) so they can be worked on; the RAG goes out as
words."""

from __future__ import annotations

from datasets.rag import rag_label
from safeguarding.exports import frame_from_rows, frame_response

from .present import number


def _target(target):
    return number(target.target) if target is not None else None


def _whole(figure):
    if figure is None or not figure.shown:
        return None, None
    return number(figure.median), number(figure.pooled)


def overview(data, *, fmt: str):
    columns = ["Quarter", "Agency", "Agency type", "Domain", "Indicator code", "Indicator", "Unit", "Value",
               "Target", "RAG", "Partnership median", "Partnership pooled", "Narrative"]
    whole = {i.pk: _whole(f) for i, f in data.partnership}
    rows = []
    for agency, cells in data.rows:
        for cell in cells:
            if not cell.reported:
                continue
            i = cell.indicator
            median, pooled = whole[i.pk]
            rows.append([data.quarter.label, agency.name, agency.get_agency_type_display(), i.get_domain_display(),
                         i.code, i.name, i.get_unit_display(), number(cell.value), _target(data.targets.get(i.pk)),
                         rag_label(cell.rag) if cell.value is not None else "", median, pooled, cell.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"overview-{data.quarter.label}",
                          sheet="Overview")


def indicator(trend, *, fmt: str):
    i = trend.indicator
    kinds = list(trend.comparators)
    columns = ["Quarter", "Series", "Value", "Target", "RAG", *kinds, "Narrative"]
    rows = []
    for n, quarter in enumerate(trend.quarters):
        target = trend.targets[n]
        comps = [number(trend.comparators[k][n]) for k in kinds]
        median, pooled = _whole(trend.partnership[n])
        rows.append([quarter.label, "Partnership (pooled)" if i.is_ratio else "Partnership median",
                     pooled if i.is_ratio else median, _target(target), "", *comps, ""])
        for agency, points in trend.series:
            p = points[n]
            rows.append([quarter.label, agency.name, number(p.value), _target(target),
                         rag_label(p.rag) if p.value is not None else "", *comps, p.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"indicator-{i.code}", sheet=i.code)


def agency(view, *, fmt: str):
    previous = view.previous.label if view.previous else "Previous quarter"
    columns = ["Indicator code", "Indicator", "Unit", view.quarter.label, previous, "Movement (share)", "Target",
               "RAG", "Partnership median", "Narrative"]
    rows = []
    for line in view.lines:
        i = line.indicator
        rows.append([i.code, i.name, i.get_unit_display(), number(line.latest), number(line.previous),
                     number(line.moved), _target(line.target), rag_label(line.rag) if line.latest is not None else "",
                     _whole(line.partnership)[0], line.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt,
                          filename=f"{view.agency.slug}-{view.quarter.label}", sheet="Agency")


def exceptions(rows, *, quarter, fmt: str):
    columns = ["Quarter", "Agency", "Indicator code", "Indicator", "Value", "Previous quarter", "Movement (share)",
               "Target", "RAG", "Why it is an exception", "Narrative"]
    out = [[quarter.label, r.agency.name, r.indicator.code, r.indicator.name, number(r.value), number(r.previous),
            number(r.moved), _target(r.target), rag_label(r.rag), "; ".join(r.reasons), r.narrative] for r in rows]
    return frame_response(frame_from_rows(columns, out), fmt=fmt, filename=f"exceptions-{quarter.label}",
                          sheet="Exceptions")
