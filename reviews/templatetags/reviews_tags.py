from django import template
from django.utils.html import format_html

from reviews.rag import RAG_LABELS, RAG_TAGS

register = template.Library()

STATUS_TAGS = {
    "draft": "govuk-tag--purple",
    "not_started": "govuk-tag--grey", "in_progress": "govuk-tag--light-blue", "completed": "govuk-tag--yellow",
    "assured": "govuk-tag--green", "not_achieved": "govuk-tag--red", "superseded": "govuk-tag--grey",
    "open": "govuk-tag--yellow", "responded": "govuk-tag--light-blue", "closed": "govuk-tag--green",
    "escalated": "govuk-tag--red",
}


@register.simple_tag
def rag_tag(colour: str):
    """A RAG tag whose words carry the meaning, so colour is never the only signal."""
    if not colour:
        return ""
    word = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Complete", "grey": "Superseded"}[colour]
    return format_html('<strong class="govuk-tag {}" title="{}">{}</strong>', RAG_TAGS[colour],
                       RAG_LABELS[colour], word)


@register.simple_tag
def status_tag(obj):
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_TAGS.get(obj.status, ""),
                       obj.get_status_display())
