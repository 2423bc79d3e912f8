"""Long unbroken words wrap inside the printed page (issue 14, point 8).

A long file name joined by underscores, pasted into every narrative of the annual report, into
every agency's section and into a priority's table cells, must not put a single character
outside the page's text area: the A4 page less the margins of ``static/css/reports-print.css``.
Positions are read back from the PDF with pdfplumber.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
import pytest

from partners.governance import services as governance
from reports import content, pdf, services
from reports.models import Section

from .factories import YEAR, annual_report

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
LEFT, RIGHT = 18 * MM, 18 * MM  # @page margins of the print stylesheet
TOLERANCE = 0.5  # points: glyph boxes may overhang by a hair
LONG = "Safeguarding_partnership_multi_agency_audit_of_neglect_referrals_final_v3_agreed_by_board.docx"
WORD = LONG * 2  # ~190 characters with no space, wider than the page at any size used


def test_long_words_stay_inside_the_text_area(world):
    report = annual_report(world)
    for key in Section.values:
        services.narrative_save(actor=world.manager, report=report, key=key, version="",
                                body=f"See {WORD} for the detail.\n\n- {WORD}\n\n> {WORD}")
    for agency in (world.agency_a, world.agency_b):
        services.agency_section_save(actor=None, report=report, agency=agency, achievements=f"We wrote {WORD}.",
                                     challenges=WORD, version="")
    services.distribution_save(actor=world.manager, report=report, distribution=WORD,
                               version=report.updated_at.isoformat())
    governance.priority_create(actor=None, partnership=world.partnership, year_start=YEAR, title=WORD[:150],
                               outcome=WORD, actions=f"Read {WORD}", progress=WORD)
    budget = governance.budget_ensure(actor=None, partnership=world.partnership, year_start=YEAR)
    governance.budget_update(actor=None, budget=budget, version=budget.updated_at.isoformat(),
                             reserves_used=Decimal("0"), contributions={world.agency_b: (Decimal("1000"), Decimal(0))})
    report.refresh_from_db()

    doc = content.gather_annual(partnership=world.partnership, year_start=YEAR, report=report)
    content.draw_charts(doc)
    result = pdf.render(doc)

    outside, long_word_chars = [], 0
    with pdfplumber.open(io.BytesIO(result.pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            left, right = LEFT - TOLERANCE, page.width - RIGHT + TOLERANCE
            text = page.extract_text() or ""
            long_word_chars += text.replace("\n", "").count("Safeguarding_partnership")
            outside += [(number, c["text"], round(c["x0"] / MM, 1), round(c["x1"] / MM, 1))
                        for c in page.chars if c["x0"] < left or c["x1"] > right]
    # The word is really there, many times (in paragraphs, lists, quotes and table cells).
    assert long_word_chars >= len(Section.values)
    assert not outside, f"{len(outside)} characters outside the text area, e.g. (page, char, x0 mm, x1 mm): " \
                        f"{outside[:5]}"
