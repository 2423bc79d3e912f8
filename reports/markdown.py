"""Narrative written in Markdown, rendered once for the portal, the PDF and the HTML edition.

Issue 15.6: headings, lists, bold, italics and links. Raw HTML is not part of the
narrative language: ``<`` and ``&`` are escaped before ``markdown`` runs, so "<progress>" or
"<script>" typed into a narrative prints as those characters and never becomes markup. ``nh3``
(the Rust ``ammonia`` sanitiser) then keeps only the tags and attributes below, as a second
guard (a link to ``javascript:`` loses its address). Headings move down two levels: in every output the
report's title is the h1 and each chapter an h2, so a writer's "# Heading" becomes an h3.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])(\s|>)")


def _demote(match: re.Match) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}{match.group(3)}"


def render_markdown(text: str | None) -> SafeString:
    """Markdown text to sanitised HTML (a safe string). Empty or None gives an empty string.

    Raw HTML in the text prints as text; links keep only http, https and mailto addresses and get
    ``rel="noopener noreferrer"``.
    """
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - empty
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _HEADING.sub(_demote, html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above


MARKDOWN_HELP = ("Markdown: a blank line between paragraphs; ## for a heading; - or 1. at the start of a line "
                 "for a list; **bold**; [words](https://address) for a link. Use Preview to see it as printed.")
