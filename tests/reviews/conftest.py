"""Reviews' test helpers: a review with recommendations and actions for agencies A and B."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import services
from reviews.models import ReviewType

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TODAY = dt.date(2025, 6, 2)


def pdf_upload(name: str = "minutes.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def make_review(world, title: str = "Inspection of health services", **extra):
    return services.review_create(actor=world.manager, partnership=world.partnership,
                                  review_type=ReviewType.INSPECTION, title=title,
                                  published_on=dt.date(2025, 1, 29), action_plan_working_days=20, **extra)


def make_action(world, *, agency, review=None, number: str = "1.1", **extra):
    """An action of ``agency`` under recommendation ``number``: the recommendation's own draft for
    the agency, completed as the agency would (16.4), or, when there is none, a new action."""
    from reviews.models import ActionStatus
    from safeguarding.concurrency import version_token

    review = review or make_review(world, title=f"Review for {number} {agency.slug}")
    rec = review.recommendations.filter(number=number).first() or services.recommendation_create(
        actor=world.manager, review=review, number=number, text="Share information better.", addressees=[agency])
    fields = {"lead_name": "Lee Lead", "lead_role": "Named nurse", "description": "Audit referrals quarterly.",
              "start_on": dt.date(2025, 2, 1), "due_on": dt.date(2025, 9, 30)} | extra
    draft = rec.actions.filter(owner_agency=agency, status=ActionStatus.DRAFT).first()
    if draft is None:
        return services.action_create(actor=world.manager, recommendation=rec, owner_agency=agency, **fields)
    status = fields.pop("status", None)
    action = services.action_update(actor=world.manager, action=draft, version=version_token(draft.updated_at),
                                    **fields)
    if status and status != action.status:
        action = services.action_set_status(actor=world.manager, action=action, status=status)
    return action


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def reviews_world(world):
    world.review = make_review(world)
    world.action_a = make_action(world, agency=world.agency_a, review=world.review, number="1.1")
    world.action_b = make_action(world, agency=world.agency_b, review=world.review, number="1.2")
    return world


__all__ = ["PDF", "TODAY", "make_action", "make_review", "pdf_upload", "settings"]
