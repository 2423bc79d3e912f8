from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

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
def counted(n, forms: str) -> str:
    """``{{ 1|counted:"course" }}`` → "1 course"; ``{{ 3|counted:"person,people" }}`` → "3 people".

    A plural is the singular plus "s" unless given after a comma (issue 15.2: never "1 courses")."""
    from ..wording import count_noun

    singular, _, plural = forms.partition(",")
    return count_noun(n, singular, plural or None)


@register.simple_tag
def spc_icon(key: str | None):
    """The Making Data Count variation icon as inline SVG (its words are its accessible name)."""
    from django.utils.safestring import mark_safe

    from reports.charts import variation_icon

    return mark_safe(variation_icon(key, size=14))  # noqa: S308 - built from a fixed set of keys
