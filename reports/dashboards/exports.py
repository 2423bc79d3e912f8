"""Every dashboard view as CSV or XLSX, through ``safeguarding.exports`` (formula-safe).

Figures go out as numbers (not formatted text) so they can be worked on; the RAG goes out as
words."""

from __future__ import annotations

from datasets.dashboard_selectors import partnership_shown
from datasets.rag import rag_label
from safeguarding.exports import frame_from_rows, frame_response
from safeguarding.formatting import movement, round_figure, unit_header


def _n(value, indicator):
    """A figure as a spreadsheet number rounded as the pages show it (``round_figure``)."""
    return round_figure(value, indicator)


def _target(target, indicator):
    return _n(target.target, indicator) if target is not None else None


def _whole(figure, indicator):
    """The partnership figure by the one withholding rule (``partnership_shown``) and why it is
    blank: "withheld: fewer than 3 agencies report it", "not pooled: …" or ""."""
    value, withheld = partnership_shown(figure)
    if withheld:
        return None, f"withheld: {withheld}"
    return _n(value, indicator), (figure.not_pooled if figure is not None else "")


def overview(data, *, fmt: str):
    columns = ["Quarter", "Agency", "Agency type", "Domain", "Indicator code", "Indicator", "Unit", "Value",
               "Why no value", "Target", "RAG", "Partnership figure", "Partnership figure is", "Partnership note",
               "Narrative"]
    whole = {i.pk: _whole(f, i) + ((f.basis if f is not None else ""),) for i, f in data.partnership}
    rows = []
    for agency, cells in data.rows:
        for cell in cells:
            if not cell.reported:
                continue
            i = cell.indicator
            value, note, basis = whole[i.pk]
            rows.append([data.quarter.label, agency.name, agency.get_agency_type_display(), i.get_domain_display(),
                         i.code, i.name, unit_header(i), _n(cell.value, i), cell.na,
                         _target(data.targets.get(i.pk), i), rag_label(cell.rag) if cell.value is not None else "",
                         value, basis if value is not None else "", note, cell.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"overview-{data.quarter.label}",
                          sheet="Overview")


def indicator(trend, *, fmt: str):
    i = trend.indicator
    unit = unit_header(i)
    kinds = list(trend.comparators)  # each named with its year: "England 2023/24"
    columns = ["Quarter", "Series", f"Value ({unit})", "Why no value", f"Target ({unit})", "RAG",
               *(f"{k} ({unit})" for k in kinds), "Narrative"]
    rows = []
    for n, quarter in enumerate(trend.quarters):
        target = trend.targets[n]
        comps = [_n(trend.comparators[k][n], i) for k in kinds]
        value, note = _whole(trend.partnership[n], i)
        rows.append([quarter.label, "Partnership (pooled)" if i.is_ratio else "Partnership median",
                     value, note, _target(target, i), "", *comps, ""])
        for agency, points in trend.series:
            p = points[n]
            rows.append([quarter.label, agency.name, _n(p.value, i), p.na, _target(target, i),
                         rag_label(p.rag) if p.value is not None else "", *comps, p.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"indicator-{i.code}", sheet=i.code)


def agency(view, *, fmt: str):
    previous = view.previous.label if view.previous else "Previous quarter"
    columns = ["Indicator code", "Indicator", "Unit", view.quarter.label, "Why no value", previous,
               "Change (in the indicator's unit)", "Movement", "Target", "RAG", "Partnership figure",
               "Partnership note", "Narrative"]
    rows = []
    for line in view.lines:
        i = line.indicator
        moved = line.movement
        whole, note = _whole(line.partnership, i)
        rows.append([i.code, i.name, unit_header(i), _n(line.latest, i), line.na, _n(line.previous, i),
                     moved.change if moved else None, moved.text if moved else "", _target(line.target, i),
                     rag_label(line.rag) if line.latest is not None else "", whole, note, line.narrative])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt,
                          filename=f"{view.agency.slug}-{view.quarter.label}", sheet="Agency")


def exceptions(rows, *, quarter, fmt: str):
    columns = ["Quarter", "Agency", "Indicator code", "Indicator", "Unit", "Value", "Previous quarter",
               "Change (in the indicator's unit)", "Target", "RAG", "Why it is an exception", "Narrative"]
    out = []
    for r in rows:
        i = r.indicator
        moved = r.movement or movement(r.previous, r.value, i)
        out.append([quarter.label, r.agency.name, i.code, i.name, unit_header(i), _n(r.value, i), _n(r.previous, i),
                    moved.change if moved else None, _target(r.target, i), rag_label(r.rag), "; ".join(r.reasons),
                    r.narrative])
    return frame_response(frame_from_rows(columns, out), fmt=fmt, filename=f"exceptions-{quarter.label}",
                          sheet="Exceptions")
