"""Every reviews URL: who gets what. Objects in URLs belong to agency B (the local authority)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.registry import FORBIDDEN, FOUND, NOT_FOUND, OK, Route, shape

# The register and overviews: PCI, the manager and designated professionals.
READ = {"submitter_a": FORBIDDEN, "submitter_b": FORBIDDEN, "designated": OK, "pci": OK, "manager": OK}


def build(world) -> None:
    from reviews import services
    from reviews.models import ActionStatus, ReviewType

    world.reviews_review = services.review_create(
        actor=None, partnership=world.partnership, review_type=ReviewType.CSPR, title="Child Z",
        published_on=dt.date(2025, 1, 6), action_plan_working_days=20)
    rec = services.recommendation_create(actor=None, review=world.reviews_review, number="2.1",
                                         text="Improve strategy discussions.", addressees=[world.agency_b])
    world.reviews_rec = rec
    world.reviews_action = services.action_create(
        actor=None, recommendation=rec, owner_agency=world.agency_b, lead_name="Bea", description="Audit",
        start_on=dt.date(2025, 1, 1), due_on=dt.date(2025, 3, 1), status=ActionStatus.IN_PROGRESS)
    world.reviews_evidence = services.evidence_add(
        actor=world.submitter_b, action=world.reviews_action, evidence_date=dt.date(2025, 2, 1),
        upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.4\n%%EOF\n"))
    world.reviews_challenge = services.challenge_raise(
        actor=world.pci, agency=world.agency_b, issue="Re-referrals rose to 31%.", indicator_code="LA-RR12")


def _action(w):
    return {"pk": w.reviews_action.pk}


def _review(w):
    return {"pk": w.reviews_review.pk}


def _challenge(w):
    return {"pk": w.reviews_challenge.pk}


# On B's action: B's submitter and the manager may update; PCI reads; A's submitter and the
# designated professional (B is not a health agency) do not see it at all.
ACTION_READ = shape(OK, submitter_a=NOT_FOUND, designated=NOT_FOUND, outsider=NOT_FOUND)
ACTION_UPDATE = shape(OK, submitter_a=NOT_FOUND, designated=NOT_FOUND, pci=FORBIDDEN, outsider=NOT_FOUND)
ASSURE = shape(FORBIDDEN, pci=OK, manager=OK, outsider=NOT_FOUND)

ROUTES = [
    Route("reviews:review_list", shape(FORBIDDEN, **READ, outsider=OK)),
    Route("reviews:review_create", shape(FORBIDDEN, manager=OK, outsider=OK)),
    Route("reviews:review_detail", shape(FORBIDDEN, **READ, outsider=NOT_FOUND), kwargs=_review),
    Route("reviews:review_edit", shape(FORBIDDEN, manager=OK, outsider=NOT_FOUND), kwargs=_review),
    Route("reviews:review_export", shape(FORBIDDEN, **READ, outsider=NOT_FOUND),
          kwargs=lambda w: {"pk": w.reviews_review.pk, "fmt": "xlsx"}),
    Route("reviews:recommendation_create", shape(FORBIDDEN, manager=OK, outsider=NOT_FOUND), kwargs=_review),
    Route("reviews:recommendation_upload", shape(FORBIDDEN, manager=OK, outsider=NOT_FOUND), kwargs=_review),
    Route("reviews:recommendation_template", shape(FORBIDDEN, manager=OK, outsider=NOT_FOUND), kwargs=_review),
    Route("reviews:action_create", shape(FORBIDDEN, manager=OK, outsider=NOT_FOUND),
          kwargs=lambda w: {"pk": w.reviews_rec.pk}),
    Route("reviews:action_detail", ACTION_READ, kwargs=_action),
    Route("reviews:action_edit", ACTION_UPDATE, kwargs=_action),
    Route("reviews:action_progress", shape(FOUND, submitter_a=NOT_FOUND, designated=NOT_FOUND, pci=FORBIDDEN,
                                           outsider=NOT_FOUND),
          method="post", kwargs=_action, data=lambda w: {"text": ""}, note="an empty note is refused, nothing saved"),
    Route("reviews:action_evidence", ACTION_UPDATE, kwargs=_action),
    Route("reviews:action_assure", ASSURE, kwargs=_action),
    Route("reviews:action_return", ASSURE, kwargs=_action),
    Route("reviews:evidence_download", ACTION_READ, kwargs=lambda w: {"pk": w.reviews_evidence.pk}),
    Route("reviews:my_actions", shape(OK, pci=FORBIDDEN)),
    Route("reviews:my_actions", shape(OK, pci=FORBIDDEN), query="show=all", note="closed actions too"),
    Route("reviews:overdue", shape(FORBIDDEN, **READ, outsider=OK)),
    Route("reviews:agency_overdue", shape(FORBIDDEN, designated=NOT_FOUND, pci=OK, manager=OK, outsider=NOT_FOUND),
          kwargs=lambda w: {"slug": w.agency_b.slug}),
    Route("reviews:themes", shape(FORBIDDEN, **READ, outsider=OK)),
    Route("reviews:actions_export", shape(FORBIDDEN, **READ, outsider=OK), kwargs=lambda w: {"fmt": "csv"}),
    Route("reviews:challenge_list", shape(OK)),
    Route("reviews:challenge_create", shape(FORBIDDEN, pci=OK, manager=OK, outsider=OK)),
    Route("reviews:challenge_create", shape(FORBIDDEN, pci=OK, manager=OK, outsider=OK),
          query="agency=council&indicator=LA-RR12&quarter=2024/25-Q3&issue=Re-referrals+up"),
    Route("reviews:challenge_detail", ACTION_READ, kwargs=_challenge),
    Route("reviews:challenge_respond", shape(OK, submitter_a=NOT_FOUND, designated=NOT_FOUND, pci=FORBIDDEN,
                                             outsider=NOT_FOUND), kwargs=_challenge),
    Route("reviews:challenge_decide", shape(FORBIDDEN, pci=OK, manager=OK, outsider=NOT_FOUND), kwargs=_challenge),
    Route("reviews:challenge_action_create", shape(FORBIDDEN, pci=OK, manager=OK, outsider=NOT_FOUND),
          kwargs=_challenge),
]
