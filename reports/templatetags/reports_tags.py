from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from safeguarding import formatting

from ..charts import format_value, svg_data_uri

register = template.Library()


@register.filter
def svg_uri(svg: str) -> str:
    return svg_data_uri(svg)


@register.filter
def inline_svg(svg: str) -> str:
    # The chart module escapes every piece of text it draws, so its output is safe markup.
    return mark_safe(svg)  # noqa: S308


@register.filter
def money(value) -> str:
    return format_value(value, "£")


@register.filter
def pct(value) -> str:
    return format_value(value, "%")


@register.filter
def count(value) -> str:
    """A whole count as every page prints it, thousands separated ("1,982"), through the one
    formatter (``safeguarding.formatting``); "–" for ``None``. Tables of the report print bookings,
    attendances, answers and meetings with it, never as raw integers ("1982")."""
    return formatting.format_figure(value, formatting.COUNT)


@register.filter
def figure(value, unit: str = "") -> str:
    return format_value(value, unit)


@register.filter
def item(mapping, key):
    """``charts|item:slot``: a dict lookup with a variable key (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def css_string(value) -> str:
    """A quoted CSS string for generated content (the running header), every unsafe character escaped."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " .,;:()/-–&'!?":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308 - every other character is escaped above


@register.filter(name="markdown")
def markdown_filter(text) -> str:
    """Narrative written in Markdown, sanitised (reports.markdown): the same in portal, PDF and HTML."""
    from ..markdown import render_markdown

    return render_markdown(text)


@register.filter
def markdown_text(text) -> str:
    """The words of a Markdown narrative without its marks, as plain text for a summary ("Board
    attendance fell just short", not "- Board attendance fell **just short**"): rendered and
    sanitised as printed (``reports.markdown``), then its tags dropped and its entities decoded.
    The result is not marked safe, so the template escapes it again."""
    import html

    from django.utils.html import strip_tags

    from ..markdown import render_markdown

    return html.unescape(strip_tags(str(render_markdown(text or ""))))


@register.filter
def counted(n, forms: str) -> str:
    """``{{ 1|counted:"course" }}`` → "1 course"; ``{{ 3|counted:"person,people" }}`` → "3 people".

    A plural is the singular plus "s" unless given after a comma (issue 15.2: never "1 courses")."""
    from ..wording import count_noun

    singular, _, plural = forms.partition(",")
    return count_noun(n, singular, plural or None)


def _icon_img(svg: str, alt: str):
    """An icon drawn as an SVG, as an ``<img>`` with its data URI and ``alt`` text. The printed
    report needs an image with alternative text (PDF/UA: every figure has /Alt; WeasyPrint tags an
    inline ``<svg>`` as a figure without one), and the web edition shares its templates."""
    from django.utils.html import format_html

    from reports.charts import svg_data_uri

    if not svg:
        return ""
    return format_html('<img class="spc-icon" src="{}" alt="{}" width="14" height="14">', svg_data_uri(svg), alt)


@register.simple_tag
def spc_icon(key: str | None):
    """The Making Data Count variation icon, for the report and the PCI pack, always printed beside
    its words (``VARIATION_WORDS``): its alternative text names it, the words say what it shows."""
    from reports.charts import variation_icon

    return _icon_img(variation_icon(key, size=14), "Variation icon:")


@register.simple_tag
def spc_assurance_icon(key: str | None):
    """The Making Data Count assurance icon, printed beside its words (``ASSURANCE_WORDS``); empty
    without a key (no target, or no better direction)."""
    from reports.charts import assurance_icon

    return _icon_img(assurance_icon(key, size=14), "Assurance icon:")
