"""Numbers as people read them: one format for pages and exports' labels, from reports.charts."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe

from datasets.dashboard_selectors import partnership_shown, rate
from datasets.rag import RAG_TAG_CLASSES, rag_label
from reports.charts import assurance_icon, variation_icon
from reports.charts.spc import ASSURANCE_WORDS, VARIATION_WORDS
from safeguarding import formatting


def suffix(indicator) -> str:
    """The unit code the charts are given for ``indicator`` (``safeguarding.formatting`` units)."""
    return indicator.unit


def show(value, indicator) -> str:
    """``value`` formatted by ``indicator``'s unit and decimals (the one formatter)."""
    return formatting.format_figure(value, indicator)


def target_text(target, indicator) -> str:
    if target is None:
        return "No target"
    return show(target.target, indicator)


def tag(status: str | None) -> dict:
    """What a RAG tag needs: the words (so it reads without colour) and the colour class."""
    return {"status": status or "none", "label": rag_label(status),
            "css": RAG_TAG_CLASSES.get(status or "", "govuk-tag--grey")}


def movement(previous, current, indicator) -> str:
    """The change from ``previous`` to ``current`` with its direction, in the indicator's own unit
    (percentage points for percentages) and better/worse by polarity (issue 13.7): "↑ 5 (better)"."""
    return formatting.format_movement(previous, current, indicator)


WITHHELD = "Withheld"


def partnership_figure(figure, indicator) -> str:
    """The partnership's median, "–" when no agency reports, or ``WITHHELD`` when too few do
    (the page says why once, beside the table)."""
    if figure is None or not figure.count:
        return "–"
    value, withheld = partnership_shown(figure)
    if withheld:
        return WITHHELD
    return show(value, indicator)


def whole_text(figure, indicator, points=()) -> str:
    """The partnership's figure for one quarter as every table shows it (the dashboards' indicator
    page and the report's key-indicator and trend tables, issue 13.9): the figure by the one
    withholding rule, ``WITHHELD``, "n/a" when the agencies said why there is no figure, or "–"."""
    value, withheld = partnership_shown(figure)
    if withheld:
        return WITHHELD
    if value is not None:
        return show(value, indicator)
    return formatting.NOT_AVAILABLE if any(getattr(p, "na", "") for p in points) else formatting.MISSING


def whole_cell(whole, target=None) -> str:
    """The partnership row's cell in the matrix, like an agency's (issue 16.1): the figure (by the
    one withholding rule), its RAG against ``target`` (the ``Target`` in force, or ``None``) as
    colour and word, the direction arrow and the variation icon. A withheld or missing figure has
    none of the marks: they would give away what is withheld."""
    text = partnership_figure(whole.figure, whole.indicator)
    status = None
    inner = f'<span class="dash-cell__value">{escape(text)}</span>'
    if text not in ("–", WITHHELD):
        inner += arrow(whole.direction, None, whole.indicator)
        status = rate(whole.indicator, partnership_shown(whole.figure)[0], target)
        icon = small_variation_icon(whole.variation)
        if status or icon:
            inner += '<span class="dash-cell__marks">' + (_tag_html(status) if status else "") + icon + "</span>"
    return mark_safe(f'<td class="govuk-table__cell dash-cell dash-cell--{status or "none"}">{inner}</td>')  # noqa: S308


def number(value) -> float | None:
    """A figure as a spreadsheet number."""
    return None if value is None else float(value)


@lru_cache(maxsize=16)
def _tag_html(status: str | None) -> str:
    t = tag(status)
    return f'<strong class="govuk-tag {t["css"]} dash-tag">{t["label"]}</strong>'


ARROWS = {"up": ("↑", "up from"), "down": ("↓", "down from"), "same": ("→", "the same as")}
ARROWS_ALONE = {"up": "up on", "down": "down on", "same": "the same as"}


def arrow(direction: str | None, previous, indicator) -> str:
    """A direction arrow with its words for screen readers ("up from 84%"), or nothing. The
    arrow says only which way the figure moved; whether that is good is the RAG's and the
    variation icon's to say."""
    if direction not in ARROWS:
        return ""
    mark, words = ARROWS[direction]
    if previous is not None:
        said = f", {words} {show(previous, indicator)} the quarter before"
    else:
        # The partnership row knows only which way it moved: "up on the quarter before", never the
        # broken "up from before" a screen reader used to say.
        said = f", {ARROWS_ALONE[direction]} the quarter before"
    return (f'<span class="dash-arrow" aria-hidden="true">{mark}</span>'
            f'<span class="govuk-visually-hidden">{escape(said)}</span>')


def small_variation_icon(key: str | None) -> str:
    return variation_icon(key, size=20) if key else ""


def matrix_cell(cell, agency_name: str) -> str:
    """One cell of the overview matrix as HTML. Built here rather than in the template because a
    matrix has hundreds of cells and the template engine costs more than the queries behind it;
    every piece of text is escaped."""
    status = cell.rag or "none"
    if not cell.reported:
        inner = ('<span class="dash-muted" aria-hidden="true">·</span>'
                 '<span class="govuk-visually-hidden">Not reported by this agency</span>')
    elif cell.value is None and cell.na:
        inner = (f'<span class="dash-cell__value">{formatting.NOT_AVAILABLE}</span> '
                 f'<span class="dash-muted">({escape(cell.na)})</span>')
    elif cell.value is None:
        inner = '<span class="dash-muted">No accepted figure</span>'
    else:
        inner = (f'<span class="dash-cell__value">{escape(show(cell.value, cell.indicator))}</span>'
                 + arrow(getattr(cell, "direction", None), getattr(cell, "previous", None), cell.indicator))
        icon = small_variation_icon(getattr(cell, "variation", None))
        if cell.rag or icon:
            inner += '<span class="dash-cell__marks">' + (_tag_html(cell.rag) if cell.rag else "") + icon + "</span>"
        if cell.narrative:
            narrative = escape(cell.narrative).replace("\n", "<br>")
            inner += (
                '<details class="govuk-details dash-details"><summary class="govuk-details__summary">'
                '<span class="govuk-details__summary-text">Narrative<span class="govuk-visually-hidden"> from '
                f'{escape(agency_name)} on {escape(cell.indicator.code)}</span></span></summary>'
                f'<div class="govuk-details__text">{narrative}</div></details>'
            )
    return mark_safe(f'<td class="govuk-table__cell dash-cell dash-cell--{status}">{inner}</td>')  # noqa: S308


def matrix_row(agency_name: str, href: str, cells: list[str]) -> str:
    """One agency's row of a matrix table as HTML: its name linking to ``href`` (the agency page)
    and its cells from ``matrix_cell``. Built here for the reason ``matrix_cell`` gives: a table
    of two hundred agencies would otherwise cost a template loop and a URL lookup per row."""
    return mark_safe(  # noqa: S308 - the name and link are escaped, the cells are built escaped
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" '
        f'href="{escape(href)}">{escape(agency_name)}</a></th>{"".join(cells)}</tr>')


def trend_cell(point, indicator) -> str:
    """One agency-quarter cell of the indicator page's table (see ``matrix_cell`` for why here)."""
    inner = escape(show(point.value, indicator))
    if point.value is not None and point.rag:
        inner += "<br>" + _tag_html(point.rag)
    return mark_safe(f'<td class="govuk-table__cell govuk-table__cell--numeric">{inner}</td>')  # noqa: S308


def trend_row(agency_name: str, href: str, icons: dict, cells: list[str]) -> str:
    """One agency's row of the indicator page's table as HTML: its name linking to ``href``, its
    variation and assurance icons with their words (``spc_icons``), or why there are none, and
    its cells from ``trend_cell`` (built here for the reason ``matrix_cell`` gives)."""
    if icons["refused"]:
        marks = '<span class="dash-muted">Too few quarters for SPC</span>'
    else:
        marks = (f'{icons["variation"]}{icons["assurance"]}<span class="govuk-visually-hidden">'
                 f'{escape(icons["variation_words"])}. {escape(icons["assurance_words"])}</span>')
    return mark_safe(  # noqa: S308 - every piece of text is escaped; icons and cells are built escaped
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" '
        f'href="{escape(href)}">{escape(agency_name)}</a></th><td class="govuk-table__cell dash-icons">{marks}</td>'
        f'{"".join(cells)}</tr>')


def narrative_item(agency_name: str, figure_text: str, text: str) -> str:
    """One agency's narrative in a quarter's summary list on the indicator page, as HTML: the agency
    and its figure, then the narrative with its line breaks kept."""
    return mark_safe(  # noqa: S308 - the name and figure are escaped, ``linebreaksbr`` escapes the text
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{escape(agency_name)} '
        f'({escape(figure_text)})</dt><dd class="govuk-summary-list__value">{linebreaksbr(text, autoescape=True)}'
        '</dd></div>')


def spc_icons(result) -> dict:
    """The variation and assurance icons of a judged series (``datasets.spc.SpcResult``), as SVG
    and as words; when the series is too short, ``refused`` says why and there are no icons."""
    if result.refused:
        return {"refused": result.refused, "variation": "", "assurance": "", "variation_words": "",
                "assurance_words": ""}
    return {"refused": "", "variation": mark_safe(variation_icon(result.variation)),  # noqa: S308
            "assurance": mark_safe(assurance_icon(result.assurance)),  # noqa: S308
            "variation_words": VARIATION_WORDS.get(result.variation, ""),
            "assurance_words": ASSURANCE_WORDS.get(result.assurance or "", ""),
            "limits": result.limits}
