"""Training's URLs in the access matrix. Objects in URLs belong to agency B (the local authority,
which the designated professional does not act for) or to B's partnership."""

import datetime as dt
from decimal import Decimal

from tests.access.registry import FORBIDDEN, FOUND, NOT_FOUND, OK, Route, everyone, managers_only, shape

from .helpers import fill, setup_training


def build(world):
    from training import services

    setup_training(world)
    b = world.agency_b
    # A submitted return (readers see it) and a draft (only the agency and the manager see it).
    world.training_submitted_b = services.training_return_start(actor=None, agency=b, quarter=world.quarters[0])
    fill(world.training_submitted_b, {("Social workers", "Level 3"): (40, 38, "")})
    services.training_return_transition(actor=world.submitter_b, ret=world.training_submitted_b, action="submit")
    world.training_draft_b = services.training_return_start(actor=None, agency=b, quarter=world.quarters[1])
    world.course = services.course_create(actor=None, partnership=world.partnership, title="Neglect: recognising it",
                                          format="classroom", duration_hours=Decimal(3), capacity=20)
    world.session = services.session_create(actor=None, course=world.course, starts_on=dt.date(2024, 6, 12),
                                            venue="Town hall")


# Who may see a submitted return of agency B: B's submitter, PCI, the manager.
READ_B = shape(NOT_FOUND, submitter_b=OK, pci=OK, manager=OK)
# Who may change B's draft: B's submitter and the manager (who acts for every agency).
EDIT_B = shape(NOT_FOUND, submitter_b=OK, manager=OK)

ROUTES = [
    Route("training:index", everyone()),
    Route("training:setup", managers_only()),
    Route("training:level_create", managers_only()),
    Route("training:level_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.levels[3].pk}),
    Route("training:staff_group_create", managers_only()),
    Route("training:staff_group_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.gps.pk}),
    Route("training:target_create", managers_only()),
    Route("training:return_list", everyone()),
    Route("training:return_start", shape(NOT_FOUND, submitter_b=FOUND, manager=FOUND, pci=FORBIDDEN),
          method="post", data=lambda w: {"agency": w.agency_b.pk, "quarter": w.quarters[2].pk},
          note="starts B's Q3 return; agency A's submitter and the designated nurse cannot act for B"),
    Route("training:return_detail", READ_B, kwargs=lambda w: {"pk": w.training_submitted_b.pk}),
    Route("training:return_detail", EDIT_B, kwargs=lambda w: {"pk": w.training_draft_b.pk}, query="draft"),
    Route("training:return_edit", EDIT_B, kwargs=lambda w: {"pk": w.training_draft_b.pk}),
    Route("training:return_download", READ_B, kwargs=lambda w: {"pk": w.training_submitted_b.pk}),
    Route("training:return_upload", EDIT_B, kwargs=lambda w: {"pk": w.training_draft_b.pk}),
    # Accepting: B's own submitter is in scope but may not review (403); PCI and the manager may.
    Route("training:return_action", shape(NOT_FOUND, submitter_b=FORBIDDEN, pci=FOUND, manager=FOUND),
          method="post", kwargs=lambda w: {"pk": w.training_submitted_b.pk, "action": "accept"}),
    # GET: the confirmation page that says what accepting locks (issue 16.5).
    Route("training:return_action", shape(NOT_FOUND, submitter_b=FORBIDDEN, pci=OK, manager=OK),
          kwargs=lambda w: {"pk": w.training_submitted_b.pk, "action": "accept"}),
    Route("training:compliance", everyone()),
    Route("training:compliance", everyone(), query="year=2024/25",
          note="the year of B's submitted return: its row for those who read B"),
    Route("training:compliance_export", everyone()),
    Route("training:programme", everyone()),
    Route("training:programme", everyone(), query="year=2024/25", note="the year of the world's session"),
    Route("training:programme_export", everyone()),
    Route("training:attendance_upload", managers_only()),
    Route("training:attendance_template", managers_only()),
    Route("training:course_create", managers_only()),
    Route("training:course_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.course.pk}),
    Route("training:course_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.course.pk}),
    Route("training:session_create", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.course.pk}),
    Route("training:session_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.session.pk}),
    Route("training:session_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.session.pk}),
    Route("training:session_evaluation", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.session.pk}),
]

