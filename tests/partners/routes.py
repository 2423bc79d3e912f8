from tests.access.registry import FORBIDDEN, FOUND, NOT_FOUND, Route, everyone, managers_only, readers_only

# The outsider is a business manager of another partnership: this partnership's objects are 404.
ROUTES = [
    # Everyone in the matrix belongs to a partnership, so the first-run page sends them home;
    # tests/partners/test_first_run.py covers the person with no partnership.
    Route("partners:partnership_start", everyone(FOUND)),
    Route("partners:agency_list", everyone()),
    Route("partners:agency_create", managers_only()),
    Route("partners:agency_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.agency_b.slug}),
    Route("partners:agency_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.agency_b.slug}),
    Route("partners:subgroup_list", everyone()),
    Route("partners:subgroup_create", managers_only()),
    Route("partners:subgroup_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.subgroup.slug}),
    Route("partners:subgroup_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.subgroup.slug}),
    Route("partners:people_list", managers_only()),
    Route("partners:agency_upload", managers_only()),
    Route("partners:agency_template", managers_only()),
    Route("partners:people_upload", managers_only()),
    Route("partners:people_template", managers_only()),
    Route("partners:seats_upload", managers_only()),
    Route("partners:seats_template", managers_only()),
    Route("partners:person_create", managers_only()),
    Route("partners:person_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.submitter_b.pk}),
    Route("partners:person_invite", managers_only(FOUND, outsider=NOT_FOUND), method="post",
          kwargs=lambda w: {"pk": w.submitter_b.pk}),
    # Only an administrator resets a second factor (issue 11.6); the matrix's manager is not one.
    Route("partners:person_reset_second_factor", managers_only(FORBIDDEN, outsider=NOT_FOUND), method="post",
          kwargs=lambda w: {"pk": w.submitter_b.pk}),
]


def build(world):
    """Governance objects for the routes below (meetings, budget lines, priorities of 2024/25)."""
    import datetime as dt
    from decimal import Decimal

    from partners.governance import services as governance

    world.meeting = governance.meeting_create(actor=None, partnership=world.partnership, subgroup=world.subgroup,
                                              held_on=dt.date(2024, 6, 12), attendance={world.agency_b: "present"})
    budget = governance.budget_ensure(actor=None, partnership=world.partnership, year_start=2024)
    world.budget_line = governance.budget_line_add(actor=None, budget=budget, category="staffing",
                                                   amount=Decimal("1000"))
    world.priority = governance.priority_create(actor=None, partnership=world.partnership, year_start=2024,
                                                title="Neglect")
    world.seat = governance.seat_create(actor=None, subgroup=world.subgroup, role="Lay member", holder="Lee Lay")


ROUTES += [
    Route("partners:governance", readers_only()),
    Route("partners:governance", readers_only(), query="year=2024/25",
          note="the year of the world's meeting, budget and priority: their tables"),
    Route("partners:meeting_create", managers_only()),
    # The meeting form itself, for the body chosen in the address (attendance a seat a row): another
    # partnership's body is 404.
    Route("partners:meeting_create", managers_only(outsider=NOT_FOUND), query=lambda w: f"subgroup={w.subgroup.pk}",
          note="subgroup=<pk>"),
    Route("partners:meeting_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.meeting.pk}),
    Route("partners:budget_edit", managers_only(), kwargs=lambda w: {"year": 2024}),
    Route("partners:budget_line_add", managers_only(), kwargs=lambda w: {"year": 2024}),
    Route("partners:budget_line_delete", managers_only(FOUND, outsider=NOT_FOUND), method="post",
          kwargs=lambda w: {"pk": w.budget_line.pk}),
    Route("partners:priority_create", managers_only()),
    Route("partners:priority_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.priority.pk}),
    Route("partners:attendance_target_edit", managers_only()),
    Route("partners:seat_create", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.subgroup.slug}),
    Route("partners:seat_edit", managers_only(outsider=NOT_FOUND),
          kwargs=lambda w: {"slug": w.subgroup.slug, "pk": w.seat.pk}),
]

