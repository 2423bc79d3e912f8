"""The annual report's web edition (issue 15.10): the same content model and charts as the PDF,
drawn as one self-contained HTML page with GOV.UK styles.

Public-sector guidance prefers HTML to PDF (GOV.UK Service Manual, "Publishing accessible
documents"), so each annual build also stores this page beside its PDF. The page carries its
stylesheet inline and its charts as data URIs: downloaded, it is a single file that works
offline. The portal serves it with a Content-Security-Policy that allows exactly that inline
stylesheet (by its SHA-256 hash), nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .content import Document

STYLESHEETS = ("vendor/govuk-frontend/govuk-frontend.min.css", "css/reports-edition.css")
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@lru_cache(maxsize=1)
def _css() -> str:
    parts = []
    for name in STYLESHEETS:
        path = finders.find(name) or str(Path(settings.BASE_DIR) / "static" / name)
        text = Path(path).read_text(encoding="utf-8")
        # The header's crest image is for GOV.UK domains only; a single file must not point elsewhere.
        parts.append(re.sub(r"url\([^)]*\)", "none", text))
    # A "</style" inside the CSS would end the element early: the files have none, keep it so.
    return "\n".join(parts).replace("</style", "<\\/style")


def render_edition(doc: Document) -> str:
    """The whole web edition of ``doc`` (an annual report's content model) as one HTML string."""
    return render_to_string("reports/web/edition.html", {"doc": doc, "css": mark_safe(_css())})  # noqa: S308


def style_hash(html: str) -> str:
    """The CSP source for the page's one inline stylesheet: ``'sha256-…'`` ("" when there is none)."""
    match = _STYLE.search(html)
    if match is None:
        return ""
    digest = hashlib.sha256(match.group(1).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def edition_path(pdf_path: str) -> str:
    """Where a build's web edition is stored: beside its PDF, same name, ``.html``."""
    return str(Path(pdf_path).with_suffix(".html"))
