"""Showing figures the same way everywhere: units, RAG tags, statuses."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from safeguarding import formatting
from safeguarding.workflow import STATUS_TAG_CLASSES

from ..rag import RAG_TAG_CLASSES, rag_label

register = template.Library()

# "Not started" is the completeness page's word for a return nobody has opened yet.
STATUS_CLASSES = {**STATUS_TAG_CLASSES, "not_started": "govuk-tag--grey"}
TIMELINESS_CLASSES = {"on_time": "govuk-tag--green", "late": "govuk-tag--red", "overdue": "govuk-tag--red",
                      "not_due": "govuk-tag--grey"}


@register.filter
def figure(value, unit="count") -> str:
    """A figure with its unit through the one formatter (``safeguarding.formatting``); ``unit`` is
    the indicator or its unit code: 85.2%, 1,234, £1,200, 12 days, 45.1 per 10,000 children."""
    return formatting.format_figure(value, unit or "count")


@register.filter
def plain(value) -> str:
    """A stored Decimal as a person would type it (no trailing zeros), for form fields."""
    return formatting.plain_number(value)


@register.simple_tag
def rag_tag(status: str | None):
    if not status:
        return ""
    return format_html('<strong class="govuk-tag {}">{}</strong>', RAG_TAG_CLASSES[status], rag_label(status))


@register.simple_tag
def status_tag(status: str, label: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_CLASSES.get(status, ""), label)


@register.simple_tag
def timeliness_tag(timeliness: str, label: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', TIMELINESS_CLASSES.get(timeliness, ""), label)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
