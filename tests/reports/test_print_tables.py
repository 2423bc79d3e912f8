"""Printed tables keep their headers, figures and short codes whole (issue 15.7: labels are never cut).

The print stylesheet lets text wrap anywhere so that a long unbroken word cannot push a table off
the page (issue 14.8). On its own that rule let the automatic table layout squeeze the short
columns beside a long text column until the demo report printed "Prese/nt", "Apologie/s",
"Fig/ure", "71./1%", "CH-0/003" and recommendation "1./1". Column headers, ``.num`` figures and
``.whole-words`` cells (references, dates, statuses, agency names) now break only between words;
text a person typed still wraps anywhere and stays inside the page.
"""

from __future__ import annotations

import io

import pdfplumber

from reports import pdf

MM = 72 / 25.4
LONG_TEXT = ("Compliance fell with new starters in two directorates; booked onto the next sessions and "
             "monitored monthly by the named nurse. Recovery expected next quarter. ") * 3
UNBROKEN = "Safeguarding_partnership_multi_agency_audit_of_neglect_referrals_final_v3.docx" * 2

HTML = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Tables</title></head><body>
<table><caption>Board attendance by seat</caption>
<thead><tr><th scope="col">Seat</th><th scope="col" class="num">Present</th><th scope="col" class="num">Deputy</th>
<th scope="col" class="num">Apologies</th><th scope="col" class="num">Absent</th>
<th scope="col" class="num">Attendance</th>
<th scope="col">Notes</th></tr></thead>
<tbody><tr><th scope="row">Northbridge Council Children's Social Care</th><td class="num">3</td><td class="num">1</td>
<td class="num">1</td><td class="num">0</td><td class="num">80.0%</td><td>{LONG_TEXT}</td></tr></tbody></table>
<table><caption>Exceptions</caption>
<thead><tr><th scope="col">Agency</th><th scope="col">Indicator</th><th scope="col" class="num">Figure</th>
<th scope="col">Why it is an exception</th><th scope="col">The agency's explanation</th></tr></thead>
<tbody><tr><th scope="row">Northbridge Council Children's Social Care</th><td>Initial child protection conferences</td>
<td class="num">71.1%</td><td>Red against its target</td><td>{LONG_TEXT}</td></tr></tbody></table>
<table><caption>Challenges raised during the year</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Raised</th><th scope="col">To</th><th scope="col">Issue</th>
<th scope="col">Status</th></tr></thead>
<tbody><tr><th scope="row" class="whole-words">CH-0003</th><td class="whole-words">20 Feb 2026</td>
<td class="whole-words">Northbridge GP Federation</td><td>{LONG_TEXT} {UNBROKEN}</td>
<td class="whole-words">Responded</td></tr></tbody></table>
<table><caption>Recommendations</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Recommendation and addressees</th><th scope="col">Actions</th>
</tr></thead>
<tbody><tr><th scope="row" class="whole-words">5.10</th><td>{LONG_TEXT}</td><td>{LONG_TEXT}</td></tr></tbody></table>
</body></html>"""

WHOLE = ["Present", "Deputy", "Apologies", "Absent", "Attendance", "80.0%", "Figure", "71.1%", "Reference",
         "Raised", "Status", "CH-0003", "Feb", "2026", "Northbridge", "Federation", "Responded", "No.", "5.10"]


def test_headers_figures_and_codes_are_never_split_and_typed_words_stay_on_the_page():
    document, _pages = pdf.html_to_pdf(HTML)
    words, outside = set(), []
    with pdfplumber.open(io.BytesIO(document)) as pages:
        for page in pages.pages:
            words |= {w["text"] for w in page.extract_words()}
            left, right = 18 * MM - 0.5, page.width - 18 * MM + 0.5
            outside += [c["text"] for c in page.chars if c["x0"] < left or c["x1"] > right]
    split = [w for w in WHOLE if w not in words]
    assert not split, f"split across lines in a printed table: {split}"
    # The sibling guarantee of issue 14.8 still holds: the unbroken word wraps inside the page.
    assert not outside, f"{len(outside)} characters outside the text area"
