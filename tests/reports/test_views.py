"""The report pages: writing, escaping, stale edits, publishing and who downloads what."""

from html import escape

from django.urls import reverse

from reports import services
from reports.models import NarrativeSection

from .factories import YEAR, annual_report, finished_build

EVIL = '<script>alert("x")</script><b>bold</b>'


def test_manager_starts_a_report_and_writes_the_foreword(world, as_user):
    client = as_user(world.manager)
    response = client.post(reverse("reports:report_create"), {"year": "2023/24"})
    assert response.url == reverse("reports:report_detail", kwargs={"year": 2023})
    url = reverse("reports:narrative_edit", kwargs={"year": 2023, "key": "foreword"})
    form = client.get(url).content.decode()
    assert "Foreword by the independent chair" in form
    response = client.post(url, {"body": EVIL, "version": ""})
    assert response.status_code == 302
    page = client.get(reverse("reports:report_detail", kwargs={"year": 2023})).content.decode()
    assert EVIL not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    again = client.post(reverse("reports:report_create"), {"year": "2023/24"})
    assert again.status_code == 400 and "already an annual report" in again.content.decode()


def test_a_stale_narrative_edit_is_refused_on_the_page(world, as_user):
    report = annual_report(world)
    client = as_user(world.manager)
    url = reverse("reports:narrative_edit", kwargs={"year": YEAR, "key": "about"})
    client.post(url, {"body": "First", "version": ""})
    loaded = NarrativeSection.objects.get(report=report, key="about").updated_at.isoformat()
    client.post(url, {"body": "Second", "version": loaded})
    response = client.post(url, {"body": "Third", "version": loaded})
    assert response.status_code == 200 and "Someone else changed this section" in response.content.decode()
    assert NarrativeSection.objects.get(report=report, key="about").body == "Second"


def test_an_agency_writes_its_own_section(world, as_user):
    annual_report(world)
    client = as_user(world.submitter_b)
    page = client.get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert escape(world.agency_b.name) in page and escape(world.agency_a.name) not in page
    assert "The narrative" not in page  # the manager's part
    url = reverse("reports:agency_section_edit", kwargs={"year": YEAR, "slug": world.agency_b.slug})
    response = client.post(url, {"achievements": EVIL, "challenges": "Recruitment", "version": ""})
    assert response.status_code == 302
    assert client.get(reverse("reports:agency_section_edit",
                              kwargs={"year": YEAR, "slug": world.agency_a.slug})).status_code == 404


def test_the_publish_page_says_why_first_and_offers_no_button_until_a_pdf_is_built(world, as_user):
    """Issue 15: the confirmation page said "Publish" and only the refusal said "Build the PDF of
    the approved report first". Now it says why first, and there is no button to press."""
    url = reverse("reports:report_transition", kwargs={"year": YEAR})
    client = as_user(world.manager)
    report = annual_report(world)
    # A draft cannot be published, nor an approved report returned to draft twice over.
    page = client.get(url, {"action": "publish"}).content.decode()
    assert "You cannot do this yet" in page and "The report is draft, so it cannot be published." in page
    assert "Publish the report</button>" not in page and 'name="action"' not in page and "When you confirm" not in page
    report = services.report_approve(actor=world.manager, report=report)
    page = client.get(url, {"action": "publish"}).content.decode()
    assert "Build the PDF of the approved report first: the published report is that PDF." in page
    assert "Publish the report</button>" not in page and 'name="action"' not in page
    approve = client.get(url, {"action": "approve"}).content.decode()
    assert "The report is approved, so it cannot be approved." in approve
    # With the PDF of the approved report built, the page says what publishing locks and offers it.
    finished_build(world, report=report)
    page = client.get(url, {"action": "publish"}).content.decode()
    assert "You cannot do this yet" not in page and "Build the PDF" not in page
    assert "When you confirm" in page and ">Publish the report</button>" in page


def test_publishing_freezes_the_pdf_and_everyone_may_download_it(world, as_user):
    report = services.report_approve(actor=world.manager, report=annual_report(world))
    build = finished_build(world, report=report)
    client = as_user(world.manager)
    client.post(reverse("reports:report_transition", kwargs={"year": YEAR}), {"action": "publish"})
    report.refresh_from_db()
    assert report.published_build == build
    page = client.get(reverse("reports:report_detail", kwargs={"year": YEAR})).content.decode()
    assert "download the PDF (" in page and "Read it as a web page" in page and "Build PDF" not in page
    response = client.post(reverse("reports:report_build", kwargs={"year": YEAR}), follow=True)
    assert "its PDF never changes" in response.content.decode()
    submitter = as_user(world.submitter_a)
    assert submitter.get(reverse("reports:build_download", kwargs={"pk": build.pk})).status_code == 200
    assert as_user(world.outsider).get(reverse("reports:build_download", kwargs={"pk": build.pk})).status_code == 404


def test_an_unpublished_pdf_is_for_readers_only(world, as_user):
    build = finished_build(world, report=annual_report(world))
    url = reverse("reports:build_download", kwargs={"pk": build.pk})
    assert as_user(world.submitter_a).get(url).status_code == 403
    assert as_user(world.pci).get(url).status_code == 200


def test_report_page_query_count_does_not_grow_with_builds(world, as_user, django_assert_max_num_queries):
    report = annual_report(world)
    for _ in range(5):
        finished_build(world, report=report)
    client = as_user(world.manager)
    url = reverse("reports:report_detail", kwargs={"year": YEAR})
    client.get(url)
    # Constant: +6 for the Working Together checklist and the sendings (issue 15.9); +2 for every
    # build paged at 50 (its count and its page, issue 16.6).
    with django_assert_max_num_queries(24):
        client.get(url)
