"""Every reviews page, as each role that may open it, in a real browser: axe finds nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import services
from reviews.models import ReviewType

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _build(world):
    review = services.review_create(actor=world.manager, partnership=world.partnership, review_type=ReviewType.CSPR,
                                    title="Child K", published_on=dt.date(2025, 1, 6), action_plan_working_days=20,
                                    themes=services.themes_from_names(world.partnership, ["Neglect"]))
    rec = services.recommendation_create(actor=world.manager, review=review, number="1", text="Use one neglect tool.",
                                         addressees=[world.agency_a], theme=review.themes.first())
    action = services.action_create(actor=world.manager, recommendation=rec, owner_agency=world.agency_a,
                                    lead_name="Nina", description="Train staff in the neglect tool.",
                                    start_on=dt.date(2025, 1, 10), due_on=dt.date(2025, 3, 1))
    services.action_post_progress(actor=world.submitter_a, action=action, text="Half trained",
                                  on=dt.date(2025, 2, 1), status="completed")
    services.evidence_add(actor=world.submitter_a, action=action, evidence_date=dt.date(2025, 2, 1),
                          upload=SimpleUploadedFile("register.pdf", b"%PDF-1.4\n%%EOF\n"))
    challenge = services.challenge_raise(actor=world.pci, agency=world.agency_a, issue="ED assessments at 62%",
                                         indicator_code="H-ED-SA", forum=world.subgroup)
    return review, rec, action, challenge


def test_every_reviews_page_passes_axe(page, world, assert_accessible):
    review, rec, action, challenge = _build(world)
    draft = rec.actions.get(status="draft")  # the recommendation's own draft for agency A (16.4)
    pages = {
        "manager": [f"/reviews/{review.pk}/edit/", f"/reviews/{review.pk}/recommendations/new/",
                    f"/reviews/recommendations/{rec.pk}/actions/new/", "/reviews/new/",
                    f"/reviews/actions/{action.pk}/", f"/reviews/{review.pk}/", "/reviews/my-actions/?show=all",
                    f"/reviews/challenges/{challenge.pk}/outcome/", f"/reviews/challenges/{challenge.pk}/actions/new/",
                    "/"],
        "pci": ["/reviews/", f"/reviews/{review.pk}/", f"/reviews/actions/{action.pk}/",
                f"/reviews/actions/{action.pk}/assure/", f"/reviews/actions/{action.pk}/return/",
                "/reviews/overdue/", "/reviews/themes/",
                f"/reviews/overdue/{world.agency_a.slug}/", "/reviews/challenges/?status=open",
                f"/reviews/challenges/{challenge.pk}/"],
        "submitter_a": ["/", "/account/notifications/", f"/reviews/actions/{draft.pk}/",
                        f"/reviews/actions/{draft.pk}/edit/",
                        "/reviews/my-actions/?show=all", f"/reviews/actions/{action.pk}/",
                        f"/reviews/actions/{action.pk}/edit/", f"/reviews/actions/{action.pk}/evidence/",
                        f"/reviews/challenges/{challenge.pk}/", f"/reviews/challenges/{challenge.pk}/respond/"],
        "designated": ["/", "/reviews/my-actions/", f"/reviews/{review.pk}/"],
    }
    for persona, paths in pages.items():
        page.context.clear_cookies()
        sign_in(page, getattr(world, persona))
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{persona} {path} answered {response.status}"
            assert page.locator("h1").count() == 1, f"{persona} {path} has {page.locator('h1').count()} h1"
            assert_accessible(page, f"{persona} {path}")
