"""The pages: forms, uploads through the browser's route, evidence download, my actions in place."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews import services
from reviews.models import Action, ActionStatus, Challenge, Review

from .conftest import make_action, pdf_upload

pytestmark = pytest.mark.django_db


def test_manager_records_a_review_with_themes(world, as_user):
    client = as_user(world.manager)
    response = client.post(reverse("reviews:review_create"), {
        "review_type": "inspection", "title": "Inspection of health services", "publication_status": "published",
        "status": "action_plan", "published_on": "2025-01-29", "action_plan_working_days": "20",
        "themes": "Information sharing\nTraining", "agencies": [world.agency_a.pk],
    })
    review = Review.objects.get()
    assert response.status_code == 302
    assert sorted(t.name for t in review.themes.all()) == ["Information sharing", "Training"]
    page = client.get(reverse("reviews:review_detail", args=[review.pk])).content.decode()
    assert "Wednesday 26 February 2025" in page


def test_action_form_refuses_due_before_start(world, reviews_world, as_user):
    rec = reviews_world.review.recommendations.first()
    response = as_user(world.manager).post(reverse("reviews:action_create", args=[rec.pk]), {
        "owner_agency": world.agency_a.pk, "lead_name": "L", "description": "D",
        "start_on": "2025-05-01", "due_on": "2025-04-01"})
    assert response.status_code == 200
    assert "The due date must be on or after the start date." in response.content.decode()
    assert Action.objects.exclude(status="draft").count() == 2


def test_upload_page_lists_refused_rows(world, as_user):
    review = services.review_create(actor=world.manager, partnership=world.partnership, review_type="cspr",
                                    title="Child K")
    upload = SimpleUploadedFile("r.csv", b"number,text,addressed to\n1,Fine,Nowhere\n1,Dup,Nowhere\n")
    response = as_user(world.manager).post(reverse("reviews:recommendation_upload", args=[review.pk]),
                                           {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "nothing has been saved" in page.lower() and "Nowhere" in page and "also on row 2" in page
    assert review.recommendations.count() == 0


def test_evidence_download_is_access_checked(reviews_world, as_user):
    w = reviews_world
    evidence = services.evidence_add(actor=w.submitter_b, action=w.action_b, upload=pdf_upload("audit.pdf"),
                                     evidence_date=dt.date(2025, 3, 1))
    url = reverse("reviews:evidence_download", args=[evidence.pk])
    response = as_user(w.submitter_b).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert as_user(w.pci).get(url).status_code == 200
    assert as_user(w.submitter_a).get(url).status_code == 404
    assert as_user(w.designated).get(url).status_code == 404
    assert as_user(w.outsider).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302


def test_evidence_upload_page_refuses_a_renamed_executable(reviews_world, as_user):
    w = reviews_world
    response = as_user(w.submitter_a).post(reverse("reviews:action_evidence", args=[w.action_a.pk]), {
        "file": pdf_upload("plan.pdf", b"MZ\x90\x00" + b"\x00" * 300), "evidence_date": "2025-03-01"})
    assert response.status_code == 200
    assert "not a PDF file" in response.content.decode()
    assert not w.action_a.evidence.exists()


def test_another_agencys_action_id_is_404(reviews_world, as_user):
    w = reviews_world
    client = as_user(w.submitter_a)
    for name in ("action_detail", "action_edit", "action_evidence"):
        assert client.get(reverse(f"reviews:{name}", args=[w.action_b.pk])).status_code == 404
    response = client.post(reverse("reviews:action_progress", args=[w.action_b.pk]), {"text": "sneaky"})
    assert response.status_code == 404
    assert not w.action_b.progress_updates.exists()


def test_my_actions_links_each_action_to_its_progress_form(reviews_world, as_user):
    """One compact row an action, linking to the form on the action's page (issue 16.6: 50
    inline forms made the page 13,000 px tall); a post that names the list returns to it."""
    w = reviews_world
    client = as_user(w.submitter_a)
    page = client.get(reverse("reviews:my_actions")).content.decode()
    assert w.action_a.description in page and f"action-{w.action_b.pk}" not in page
    assert 'name="text"' not in page
    progress_link = reverse("reviews:action_detail", args=[w.action_a.pk]) + "#progress"
    assert f'href="{progress_link}"' in page
    assert 'id="progress"' in client.get(progress_link).content.decode()
    next_url = reverse("reviews:my_actions") + f"#action-{w.action_a.pk}"
    response = client.post(reverse("reviews:action_progress", args=[w.action_a.pk]),
                           {"text": "Audit of 20 referrals done", "status": "in_progress", "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    w.action_a.refresh_from_db()
    assert w.action_a.status == ActionStatus.IN_PROGRESS
    assert "Audit of 20 referrals done" in client.get(reverse("reviews:my_actions")).content.decode()


def test_progress_redirect_never_leaves_the_site(reviews_world, as_user):
    w = reviews_world
    response = as_user(w.submitter_a).post(reverse("reviews:action_progress", args=[w.action_a.pk]),
                                           {"text": "x", "next": "https://evil.example/"})
    assert response["Location"] == f"/reviews/actions/{w.action_a.pk}/"


def test_challenge_create_is_prefilled_from_a_dashboard_exception(world, as_user):
    client = as_user(world.pci)
    url = reverse("reviews:challenge_create") + (
        f"?agency={world.agency_b.slug}&indicator=LA-RR12&quarter=2024/25-Q3&issue=Re-referrals+at+31%25")
    form = client.get(url).context["form"]
    assert form.initial["agency"] == world.agency_b.pk
    assert form.initial["indicator_code"] == "LA-RR12" and form.initial["quarter_label"] == "2024/25-Q3"
    assert form.initial["issue"] == "Re-referrals at 31%"
    response = client.post(reverse("reviews:challenge_create"), {
        "agency": world.agency_b.pk, "raised_on": "2025-01-20", "issue": "Re-referrals at 31%",
        "indicator_code": "LA-RR12", "quarter_label": "2024/25-Q3", "evidence_requested": "Case analysis"})
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and challenge.raised_by == world.pci


def test_challenge_prefill_ignores_other_partnerships_agencies(world, as_user):
    url = reverse("reviews:challenge_create") + f"?agency={world.other_agency.slug}&quarter=nonsense"
    form = as_user(world.pci).get(url).context["form"]
    assert "agency" not in form.initial and "quarter_label" not in form.initial


def test_assure_page_without_evidence_asks_for_a_reason(reviews_world, as_user):
    w = reviews_world
    services.action_set_status(actor=w.manager, action=w.action_a, status="completed")
    url = reverse("reviews:action_assure", args=[w.action_a.pk])
    response = as_user(w.pci).post(url, {"comment": "Seen"})
    assert "Give the reason for assuring it without evidence" in response.content.decode()
    response = as_user(w.pci).post(url, {"comment": "Seen", "no_evidence_reason": "Shown live"})
    assert response.status_code == 302
    w.action_a.refresh_from_db()
    assert w.action_a.status == "assured" and w.action_a.no_evidence_reason == "Shown live"


def test_assure_page_says_every_problem_at_once(reviews_world, as_user):
    """A blank comment, a date after today and no reason for missing evidence: all three are said
    on the first try, each beside its field, and nothing is assured."""
    import datetime as dt

    from django.utils import timezone

    w = reviews_world
    services.action_set_status(actor=w.manager, action=w.action_a, status="completed")
    url = reverse("reviews:action_assure", args=[w.action_a.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = as_user(w.pci).post(url, {"comment": " ", "on": tomorrow.isoformat()})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"comment", "on", "no_evidence_reason"}, errors
    page = response.content.decode()
    assert "Say what the evidence shows" in page and "cannot be after today" in page
    assert 'href="#id_no_evidence_reason"' in page  # the summary links each field
    w.action_a.refresh_from_db()
    assert w.action_a.status == "completed"


def test_exports(reviews_world, as_user):
    w = reviews_world
    client = as_user(w.manager)
    csv = client.get(reverse("reviews:review_export", args=[w.review.pk, "csv"]))
    assert csv["Content-Type"].startswith("text/csv") and "Audit referrals quarterly" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("reviews:actions_export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("reviews:review_export", args=[w.review.pk, "pdf"])).status_code == 404
    overdue = client.get(reverse("reviews:agency_overdue", args=[w.agency_a.slug]) + "?format=csv")
    assert overdue.status_code == 200
    assert client.get(reverse("reviews:themes") + "?format=xlsx").content[:2] == b"PK"


def test_agency_overdue_list(world, as_user):
    late = make_action(world, agency=world.agency_a, start_on=dt.date(2024, 1, 1), due_on=dt.date(2024, 6, 1),
                       description="Late action")
    make_action(world, agency=world.agency_a, number="2.1", description="Future action",
                start_on=dt.date(2024, 1, 1), due_on=dt.date(2099, 1, 1))
    page = as_user(world.pci).get(reverse("reviews:agency_overdue", args=[world.agency_a.slug])).content.decode()
    assert "Late action" in page and "Future action" not in page
    services.action_set_status(actor=world.manager, action=late, status="completed")
    page = as_user(world.pci).get(reverse("reviews:agency_overdue", args=[world.agency_a.slug])).content.decode()
    assert "Late action" not in page


@pytest.mark.parametrize("persona", ["submitter_a", "designated", "pci", "manager"])
def test_home_panels_render(reviews_world, as_user, persona):
    response = as_user(getattr(reviews_world, persona)).get("/")
    assert response.status_code == 200


def test_only_the_manager_can_supersede_from_the_page(reviews_world, as_user):
    w = reviews_world
    url = reverse("reviews:action_progress", args=[w.action_a.pk])
    as_user(w.submitter_a).post(url, {"text": "Replaced", "status": "superseded"})
    w.action_a.refresh_from_db()
    assert w.action_a.status == ActionStatus.NOT_STARTED and not w.action_a.progress_updates.exists()
    as_user(w.manager).post(url, {"text": "Replaced by the joint plan", "status": "superseded"})
    w.action_a.refresh_from_db()
    assert w.action_a.status == ActionStatus.SUPERSEDED


def test_challenge_action_form_offers_the_challenged_indicator(world, as_user):
    from datasets.models import Indicator

    indicator = Indicator.objects.create(partnership=world.partnership, code="LA-REREF", name="Re-referrals",
                                         domain="children_in_need", unit="percentage")
    challenge = services.challenge_raise(actor=world.pci, agency=world.agency_b, issue="Re-referrals at 31%",
                                         indicator_code="la-reref")
    client = as_user(world.pci)
    url = reverse("reviews:challenge_action_create", args=[challenge.pk])
    assert client.get(url).context["form"].initial["indicator"] == indicator.pk
    response = client.post(url, {"owner_agency": world.agency_b.pk, "lead_name": "Ben", "description": "Case audit",
                                 "start_on": "2025-02-01", "due_on": "2025-05-01", "indicator": indicator.pk})
    action = Action.objects.get()
    assert response.status_code == 302 and action.indicator == indicator and action.challenge == challenge
    page = as_user(world.submitter_b).get(reverse("reviews:action_detail", args=[action.pk])).content.decode()
    assert "LA-REREF" in page


def test_progress_with_a_bare_word_as_next_goes_back_to_the_action(world, reviews_world, as_user):
    """A "next" that is not a path (the fuzz walk sent "abc") is ignored, never a 500."""
    action = reviews_world.action_a
    response = as_user(world.submitter_a).post(reverse("reviews:action_progress", args=[action.pk]),
                                               {"text": "Half done", "next": "abc"})
    assert response.status_code == 302 and response.url == f"/reviews/actions/{action.pk}/"
