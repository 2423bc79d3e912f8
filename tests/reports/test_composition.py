"""Composition (15.5), Markdown narrative (15.6) and the chapters without an app (15.8)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reports import chapters as catalogue
from reports import composition, content, pdf, services
from reports.markdown import render_markdown
from reports.models import ReportFigure
from safeguarding.errors import DomainError

from .factories import YEAR, annual_report

pytestmark = pytest.mark.django_db


def _doc(world, report):
    doc = content.gather_annual(partnership=world.partnership, year_start=YEAR, report=report)
    content.draw_charts(doc)
    return doc


# ---------------------------------------------------------------- Markdown


def test_markdown_headings_lists_bold_and_links_are_rendered_and_sanitised():
    html = render_markdown("# Our year\n\nWe did **well**; see [the site](https://example.org).\n\n"
                           "- one\n- two\n\n1. first\n2. second\n\n"
                           "<script>alert(1)</script><img src=x onerror=alert(1)> [bad](javascript:alert(1))")
    assert "<h3>Our year</h3>" in html  # the report's title is h1, each chapter h2
    assert "<strong>well</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">the site</a>' in html
    assert "<ul>\n<li>one</li>" in html and "<ol>\n<li>first</li>" in html
    # Raw HTML prints as typed, never as markup; a javascript: link loses its address.
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "javascript" not in html
    assert render_markdown("") == "" and render_markdown(None) == ""


@pytest.mark.parametrize(("text", "levels"), [
    ("## Why\n\ntext", [3]),  # the usual "##" under a chapter's h2: an h3, not an h4 that skips one
    ("# A\n\n## B\n\n### C", [3, 4, 5]),
    ("## A\n\n#### B skips\n\n##### C\n\n## D", [3, 4, 5, 3]),  # never more than one level down
    ("### Only a small one", [3]),
    ("###### Deep\n\n# Top", [3, 3]),
])
def test_markdown_headings_follow_the_chapter_heading_without_skipping_a_level(text, levels):
    html = render_markdown(text)
    assert [int(level) for level in re.findall(r"<h(\d)>", html)] == levels
    assert len(re.findall(r"</h\d>", html)) == len(levels)


def test_narrative_prints_the_same_markdown_in_the_pdf_html(world):
    report = annual_report(world)
    services.narrative_save(actor=world.manager, report=report, key="training",
                            body="## Courses\n\n- **Neglect** in practice", version="")
    html = pdf.render_html(_doc(world, report))
    assert render_markdown("## Courses\n\n- **Neglect** in practice") in html
    assert "<h3>Courses</h3>" in html and "<li><strong>Neglect</strong> in practice</li>" in html


def test_the_narrative_page_previews_without_saving(world, as_user):
    report = annual_report(world)
    client = as_user(world.manager)
    url = reverse("reports:narrative_edit", kwargs={"year": YEAR, "key": "about"})
    response = client.post(url, {"body": "## Why\n\n**Bold** words", "version": "", "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "Preview: as it will print" in page
    assert "<h3>Why</h3>" in page and "<strong>Bold</strong>" in page
    assert not report.sections.filter(key="about").exists()
    client.post(url, {"body": "## Why\n\n**Bold** words", "version": ""})
    assert report.sections.get(key="about").body == "## Why\n\n**Bold** words"


# ---------------------------------------------------------------- chapters and their order


def test_a_new_report_carries_every_default_chapter_in_the_default_order(world):
    doc = _doc(world, annual_report(world))
    assert [c.key for c in doc.chapters] == catalogue.DEFAULT_ORDER
    for key in ("child_death", "voice", "communication", "audits", "lado", "private_fostering", "mappa"):
        assert key in catalogue.DEFAULT_ORDER


def test_the_manager_chooses_and_orders_chapters_and_narrative_precedes_each(world, as_user):
    report = annual_report(world)
    services.narrative_save(actor=world.manager, report=report, key="voice", body="We **listened**.", version="")
    report.refresh_from_db()
    client = as_user(world.manager)
    url = reverse("reports:report_compose", kwargs={"year": YEAR})
    assert client.get(url).status_code == 200
    data = {"version": report.updated_at.isoformat(), "indicator_rule": "default",
            "pos_voice": "1", "pos_training": "3", "pos_finance": "2"}
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.chapters == ["voice", "finance", "training"] and report.key_indicators is None
    doc = _doc(world, report)
    assert [c.key for c in doc.chapters] == ["voice", "finance", "training"]
    html = pdf.render_html(doc)
    voice = html.index('id="chapter-voice"')
    assert html.index("We <strong>listened</strong>.", voice) < html.index('id="chapter-finance"')
    assert "1. The voice of children and families" in html and "2. Financial arrangements" in html


def test_two_chapters_in_one_position_or_none_at_all_is_refused_naming_the_field(world, as_user):
    report = annual_report(world)
    client = as_user(world.manager)
    url = reverse("reports:report_compose", kwargs={"year": YEAR})
    version = report.updated_at.isoformat()
    response = client.post(url, {"version": version, "indicator_rule": "default", "pos_voice": "1",
                                 "pos_finance": "1"})
    assert response.status_code == 400
    assert "Position 1 is already taken by ‘Financial arrangements’" in response.content.decode()
    response = client.post(url, {"version": version, "indicator_rule": "default"})
    assert response.status_code == 400 and "Give at least one chapter a position" in response.content.decode()
    report.refresh_from_db()
    assert report.chapters == []


def test_compose_refuses_unknown_chapters_and_other_partnerships_indicators(world):
    from datasets import services as ds_services

    report = annual_report(world)
    other = ds_services.indicator_create(actor=None, partnership=world.other_partnership, code="X-1", name="Other",
                                         domain="health", unit="count", polarity="higher", agency_types=["acute_trust"])
    with pytest.raises(DomainError, match="no chapter called"):
        composition.report_compose(actor=world.manager, report=report, chapters=["nonsense"], key_indicators=None,
                                   version=report.updated_at.isoformat())
    with pytest.raises(DomainError, match="not in this partnership"):
        composition.report_compose(actor=world.manager, report=report, chapters=["voice"],
                                   key_indicators=[other.pk], version=report.updated_at.isoformat())
    report.refresh_from_db()
    assert report.chapters == [] and report.key_indicators is None


# ---------------------------------------------------------------- chapters with figures


def test_chapter_figures_entered_print_with_their_unit_and_bad_rows_save_nothing(world, as_user):
    report = annual_report(world)
    client = as_user(world.manager)
    url = reverse("reports:chapter_figures_edit", kwargs={"year": YEAR, "key": "child_death"})
    assert client.get(url).status_code == 200
    version = report.updated_at.isoformat()
    bad = {"version": version, "label_1": "Reviews completed", "value_1": "14", "unit_1": "count",
           "label_2": "", "value_2": "5", "unit_2": "count"}
    response = client.post(url, bad)
    assert response.status_code == 400 and "Row 2: enter what the figure counts." in response.content.decode()
    assert not ReportFigure.objects.exists()
    # Figures as people type them, read for their row's unit by the one parser: "35.5%" for a
    # percentage and "£1,200" for pounds were refused as "must be a number".
    good = {**bad, "label_2": "With modifiable factors", "value_3": "35.5%", "unit_3": "percentage",
            "label_3": "Share of reviews with modifiable factors", "label_4": "Spent on reviews",
            "value_4": "£1,200", "unit_4": "pounds"}
    wrong = client.post(url, {**good, "value_2": "1,23", "value_5": "12%", "label_5": "Count", "unit_5": "count"})
    page = wrong.content.decode()
    assert "Figure 2: the value must be a number; commas may only separate thousands" in page
    assert "Figure 5: the value is not a percentage" in page and not ReportFigure.objects.exists()
    assert client.post(url, good).status_code == 302
    assert list(ReportFigure.objects.values_list("label", "value")) == [
        ("Reviews completed", Decimal("14")), ("With modifiable factors", Decimal("5")),
        ("Share of reviews with modifiable factors", Decimal("35.5")), ("Spent on reviews", Decimal("1200"))]
    html = pdf.render_html(_doc(world, report))
    chapter = html[html.index('id="chapter-child_death"'):]
    assert "Reviews completed" in chapter and "35.5%" in chapter


def test_a_chapter_with_nothing_says_so(world):
    doc = _doc(world, annual_report(world))
    mappa = next(c for c in doc.chapters if c.key == "mappa")
    assert mappa.empty.startswith("Nothing has been written or recorded for multi-agency public protection")


def test_figures_for_a_chapter_without_figures_is_not_found(world, as_user):
    annual_report(world)
    client = as_user(world.manager)
    assert client.get(reverse("reports:chapter_figures_edit", kwargs={"year": YEAR, "key": "finance"})
                      ).status_code == 404
