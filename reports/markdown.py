"""Narrative written in Markdown, rendered once for the portal, the PDF and the HTML edition.

Issue 15.6: headings, lists, bold, italics and links. Raw HTML is not part of the
narrative language: ``<`` and ``&`` are escaped before ``markdown`` runs, so "<progress>" or
"<script>" typed into a narrative prints as those characters and never becomes markup. ``nh3``
(the Rust ``ammonia`` sanitiser) then keeps only the tags and attributes below, as a second
guard (a link to ``javascript:`` loses its address). Headings move down under the chapter's: in every output
the report's title is the h1 and each chapter an h2, so the narrative's highest heading ("#" or "##")
becomes an h3 and the ones under it follow without skipping a level.
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


def _levels(html: str) -> dict[int, int]:
    """Each heading's new level, by its position among the headings: the narrative's highest
    heading becomes an h3 (under the chapter's h2) and no heading is more than one level below the
    one before it, so "## Heading" under a chapter is an h3, never an h4 that skips a level
    (PDF/UA and WCAG 1.3.1: headings in order; outloud's HDG-001 and axe's heading-order)."""
    found = [int(m.group(2)) for m in _HEADING.finditer(html) if not m.group(1)]
    if not found:
        return {}
    top = min(found)
    levels, previous = {}, 2
    for n, level in enumerate(found):
        previous = levels[n] = min(level - top + 3, previous + 1, 6)
    return levels


def _renumber(html: str) -> str:
    """``html`` with each heading's opening and closing tag set to its level from ``_levels``."""
    levels = _levels(html)
    count = {"open": -1}

    def replace(match: re.Match) -> str:
        if not match.group(1):
            count["open"] += 1
        return f"<{match.group(1)}h{levels[count['open']]}{match.group(3)}"

    return _HEADING.sub(replace, html)


def render_markdown(text: str | None) -> SafeString:
    """Markdown text to sanitised HTML (a safe string). Empty or None gives an empty string.

    Raw HTML in the text prints as text; links keep only http, https and mailto addresses and get
    ``rel="noopener noreferrer"``.
    """
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - empty
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _renumber(html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above


MARKDOWN_HELP = ("Markdown: a blank line between paragraphs; ## for a heading; - or 1. at the start of a line "
                 "for a list; **bold**; [words](https://address) for a link. Use Preview to see it as printed.")
