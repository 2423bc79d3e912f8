"""The web edition (issue 15.10): one address a report, the PDF's content model, GOV.UK styles,
one self-contained file to download; readable by everyone once published."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports import content, edition, services
from reports.models import BuildStatus, ReportBuild

from .factories import YEAR, annual_report
from .test_build import _build, _governance, _pdf_text

pytestmark = pytest.mark.django_db


def test_a_build_stores_the_web_edition_with_the_same_chapters_as_the_pdf(world, as_user,
                                                                           django_capture_on_commit_callbacks):
    report = annual_report(world)
    _governance(world)
    services.narrative_save(actor=world.manager, report=report, key="finance",
                            body="## Where the money went\n\nMostly **people**.", version="")
    build, client = _build(as_user, world, django_capture_on_commit_callbacks)
    assert build.status == BuildStatus.DONE, build.error
    response = client.get(reverse("reports:report_edition", kwargs={"year": YEAR}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="en-GB"' in html and "<h1 class=\"govuk-heading-xl\">Annual report 2024/25</h1>" in html
    assert "<h3>Where the money went</h3>" in html and "<strong>people</strong>" in html
    pdf_text = _pdf_text(build)
    doc = content.gather_annual(partnership=world.partnership, year_start=YEAR, report=report)
    for number, chapter in enumerate(doc.chapters, start=1):
        assert f"<h2>{number}. {chapter.title}</h2>" in html
        assert f"{number}. {chapter.title}" in pdf_text
    assert "£123,456" in html and "£123,456" in pdf_text  # the same figure from the same model
    assert "<table" in html and '<th scope="col">' in html and "<caption>" in html
    # Only its own stylesheet runs inline, allowed by its hash; no script at all.
    csp = response["Content-Security-Policy"]
    assert edition.style_hash(html) in csp and "unsafe-inline" not in csp
    assert "<script" not in html


def test_the_download_is_one_self_contained_file(world, as_user, django_capture_on_commit_callbacks):
    annual_report(world)
    _governance(world)
    build, client = _build(as_user, world, django_capture_on_commit_callbacks)
    response = client.get(reverse("reports:report_edition_download", kwargs={"year": YEAR}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{build.filename[:-4]}.html"'
    html = response.content.decode()
    assert ".govuk-header" in html  # GOV.UK Frontend's styles travel inside the file
    # Nothing points outside the file: no stylesheet links, no scripts, no images by address.
    assert "<link" not in html and "<script" not in html
    assert not re.search(r'src="(?!data:)', html) and "url(/" not in html and 'href="/' not in html


def test_before_publication_only_readers_see_it_and_after_it_everyone_does(world, as_user,
                                                                            django_capture_on_commit_callbacks):
    report = annual_report(world)
    url = reverse("reports:report_edition", kwargs={"year": YEAR})
    assert as_user(world.manager).get(url).status_code == 404  # nothing built yet
    _build(as_user, world, django_capture_on_commit_callbacks)
    assert as_user(world.submitter_a).get(url).status_code == 403
    assert as_user(world.pci).get(url).status_code == 200
    services.report_approve(actor=world.manager, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.manager).post(reverse("reports:report_build", kwargs={"year": YEAR}))
    services.report_publish(actor=world.manager, report=report)
    published = ReportBuild.objects.get(published_report=report)
    page = as_user(world.submitter_a).get(url)
    assert page.status_code == 200 and "Annual report 2024/25" in page.content.decode()
    assert page.content.decode() == (services.build_file_path(published).with_suffix(".html")
                                     .read_text(encoding="utf-8"))
    detail = as_user(world.submitter_a).get(reverse("reports:report_detail", kwargs={"year": YEAR}))
    assert "Read it as a web page" in detail.content.decode()
