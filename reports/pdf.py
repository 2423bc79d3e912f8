"""HTML and print CSS to a tagged PDF (PDF/UA-1) with WeasyPrint."""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .content import Document

# WeasyPrint logs every layout step at INFO; a build log wants only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PRINT_CSS = "css/reports-print.css"
PDF_VARIANT = "pdf/ua-1"


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    html: str
    weasyprint_s: float
    template_s: float


def render_html(doc: Document) -> str:
    template = "reports/pdf/pci.html" if doc.kind == "pci" else "reports/pdf/annual.html"
    return render_to_string(template, {"doc": doc})


def _stylesheet() -> str:
    path = finders.find(PRINT_CSS) or str(Path(settings.BASE_DIR) / "static" / PRINT_CSS)
    return str(path)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """WeasyPrint alone: the part the benchmark compares the whole build against."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=_stylesheet())], pdf_variant=PDF_VARIANT, pdf_tags=True)
    out = io.BytesIO()
    document.write_pdf(out, pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=_accessibility_finisher)
    return out.getvalue(), len(document.pages)


def _accessibility_finisher(document, pdf) -> None:
    """Two PDF/UA details WeasyPrint 70 leaves out, added before the file is written.

    - Table header cells get /Scope. WeasyPrint links data cells to headers with /Headers only,
      so a header no data cell points at (the "Agency" above a column of row headers) is left
      with neither. Its structure id is "table-row-column"; every table of the report has its
      column headers in its first row and row headers (scope="row") after it.
    - Link annotations get the Print flag, so that print and screen readers see the same links.
    """
    for obj in pdf.objects:
        if not isinstance(obj, dict):
            continue
        if obj.get("S") == "/TH" and "ID" in obj:
            ident = getattr(obj["ID"], "string", str(obj["ID"]))
            row = ident.split("-")[-2] if ident.count("-") >= 2 else "0"
            attributes = obj.get("A")
            if isinstance(attributes, dict):
                attributes["Scope"] = "/Column" if row == "0" else "/Row"
        elif obj.get("Type") == "/Annot" and obj.get("Subtype") == "/Link":
            obj["F"] = 4


def render(doc: Document) -> RenderResult:
    t0 = time.perf_counter()
    html = render_html(doc)
    t1 = time.perf_counter()
    pdf, pages = html_to_pdf(html)
    t2 = time.perf_counter()
    doc.timings.update(template_s=t1 - t0, weasyprint_s=t2 - t1)
    return RenderResult(pdf=pdf, pages=pages, html=html, weasyprint_s=t2 - t1, template_s=t1 - t0)
