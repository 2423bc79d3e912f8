"""The report page summarises each narrative in words, not in Markdown marks (issue 15.6).

The demo's report page showed "- Board attendance remained **above …" and "## What the panel
learned - **Safer sleeping**": the summaries printed the Markdown source the narrative is written in.
"""

from __future__ import annotations

from django.urls import reverse

from reports import services

from .factories import YEAR, annual_report

BODY = ("## What the panel learned\n\n- **Safer sleeping**: two of the three deaths.\n"
        "- See [the panel's report](https://example.org/cdop) & <script>alert(\"x\")</script>")


def test_narrative_summaries_are_words_without_markdown_marks(world, as_user):
    report = annual_report(world)
    services.narrative_save(actor=world.manager, report=report, key="key_messages", body=BODY, version="")
    page = as_user(world.manager).get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert "What the panel learned Safer sleeping: two of the three deaths." in " ".join(page.split())
    assert "**" not in page and "## What" not in page and "](https://" not in page
    # The words are escaped once, as any text: nothing the writer typed becomes markup.
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "the panel&#x27;s report &amp;" in page
