from django import template
from django.utils.html import format_html

from datasets.rag import RAG_TAG_CLASSES
from safeguarding import formatting
from safeguarding.workflow import STATUS_TAG_CLASSES

register = template.Library()




@register.simple_tag
def rag_tag(rag):
    """A RAG rating as a GOV.UK tag, with the word (colour is never the only signal)."""
    if not rag:
        return format_html('<span class="govuk-body-s">No target</span>')
    return format_html('<strong class="govuk-tag {}">{}</strong>', RAG_TAG_CLASSES[rag], rag.capitalize())


@register.simple_tag
def status_tag(ret):
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_TAG_CLASSES.get(ret.status, ""),
                       ret.get_status_display())


@register.filter
def pct(value):
    """A percentage (0–100) through the one formatter: 12.5 -> '12.5%'; None -> '–'."""
    return formatting.format_figure(value, formatting.PERCENTAGE)


@register.filter
def money(value):
    """Pounds through the one formatter: '£1,250'; None -> '–'."""
    return formatting.format_figure(value, formatting.POUNDS)
