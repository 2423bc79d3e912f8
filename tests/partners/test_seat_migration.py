"""Issue 12.3: attendance recorded by agency before seats existed becomes attendance per seat,
nothing lost (partners migrations 0006-0008, run here backwards and forwards on real PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_SEATS = [("partners", "0006_partnership_submitter_may_accept")]


def test_attendance_by_agency_is_kept_as_attendance_per_seat():
    executor = MigrationExecutor(connection)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "partners"]
    try:
        executor.migrate([("partners", "0005_canonical_emails")])  # back (seats go)
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE_SEATS)  # forward to the last partners migration without seats
        old = executor.loader.project_state(BEFORE_SEATS).apps
        partnership = old.get_model("partners", "Partnership").objects.create(name="Old SCP", slug="old")
        Agency = old.get_model("partners", "Agency")
        police = Agency.objects.create(partnership=partnership, name="Police", slug="police", agency_type="police")
        council = Agency.objects.create(partnership=partnership, name="Council", slug="council", agency_type="la_csc")
        board = old.get_model("partners", "Subgroup").objects.create(partnership=partnership, name="Board",
                                                                     slug="board", is_board=True)
        Meeting = old.get_model("partners", "Meeting")
        Attendance = old.get_model("partners", "Attendance")
        for day, statuses in [(dt.date(2024, 6, 1), {police: "present", council: "apologies"}),
                              (dt.date(2024, 9, 1), {police: "deputy"})]:
            meeting = Meeting.objects.create(partnership=partnership, subgroup=board, held_on=day)
            for agency, status in statuses.items():
                Attendance.objects.create(meeting=meeting, agency=agency, status=status)

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new = executor.loader.project_state(leaves).apps
        Seat = new.get_model("partners", "Seat")
        rows = sorted(new.get_model("partners", "Attendance").objects.values_list(
            "meeting__held_on", "seat__agency__name", "seat__subgroup__name", "status"))
        assert rows == [(dt.date(2024, 6, 1), "Council", "Board", "apologies"),
                        (dt.date(2024, 6, 1), "Police", "Board", "present"),
                        (dt.date(2024, 9, 1), "Police", "Board", "deputy")]
        assert Seat.objects.count() == 2  # one seat per agency on the board, shared by its meetings
        assert not Seat.objects.filter(agency__isnull=True).exists()
    finally:
        MigrationExecutor(connection).migrate(leaves)
