"""The data migrations of issues 11 and 12 that rewrite rows, run on real PostgreSQL from the state
before them (Django's ``MigrationExecutor``), as the seat migration's test does:

- ``partners/0003_operators_outside_partnerships`` (11.1) takes staff and superuser away from
  everyone who belongs to a partnership, writes one audit row for each, and leaves platform
  operators (no partnership) and ordinary members alone;
- ``partners/0005_canonical_emails`` (11.2) rewrites every address to its canonical form with an
  audit row for each one changed, and stops, changing nothing and naming the accounts, when two
  would collide.

And ``partners/0003_agency_name_unique_ignoring_case`` (12.7), which tidies agency names' spacing
before its constraint compares names ignoring case.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_DEMOTION = [("partners", "0002_governance")]
AFTER_DEMOTION = [("partners", "0004_merge_20261130_0704")]
AFTER_CANONICAL = [("partners", "0005_canonical_emails")]


@pytest.fixture
def at():
    """``at(targets)`` migrates to ``targets`` and returns the app registry of that state; the
    database is migrated back to the latest state afterwards, whatever the test did."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()

    def _at(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    yield _at
    MigrationExecutor(connection).migrate(leaves)


def _person(apps, email, partnership=None, **flags):
    return apps.get_model("partners", "User").objects.create(email=email, full_name=email.split("@")[0],
                                                             partnership=partnership, password="!", **flags)


def test_0003_demotes_every_staff_or_superuser_member_and_audits_each(at):
    old = at(BEFORE_DEMOTION)
    partnership = old.get_model("partners", "Partnership").objects.create(name="Old SCP", slug="old")
    both = _person(old, "admin@old.example", partnership, is_staff=True, is_superuser=True)
    staff = _person(old, "staff@old.example", partnership, is_staff=True)
    superuser = _person(old, "super@old.example", partnership, is_superuser=True)
    member = _person(old, "member@old.example", partnership)
    operator = _person(old, "operator@platform.example", None, is_staff=True, is_superuser=True)

    new = at(AFTER_DEMOTION)
    User = new.get_model("partners", "User")
    flags = dict(User.objects.values_list("pk", "is_staff").filter(is_superuser=False))
    assert {pk: flags.get(pk) for pk in (both.pk, staff.pk, superuser.pk, member.pk)} == {
        both.pk: False, staff.pk: False, superuser.pk: False, member.pk: False}
    assert User.objects.filter(pk=operator.pk, is_staff=True, is_superuser=True).exists()
    events = {int(e.object_id): e for e in new.get_model("safeguarding", "AuditEvent").objects.filter(
        action="person.operator_access_removed")}
    assert set(events) == {both.pk, staff.pk, superuser.pk}  # not the member, not the operator
    assert events[both.pk].before == {"is_staff": True, "is_superuser": True}
    assert events[staff.pk].before == {"is_staff": True, "is_superuser": False}
    assert events[superuser.pk].after == {"is_staff": False, "is_superuser": False}
    assert all(e.partnership_id == partnership.pk and e.actor_id is None and e.actor_label == "system"
               for e in events.values())
    # The constraint it adds now holds: nobody can be made staff inside a partnership again.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.pk).update(is_staff=True)


def test_0005_rewrites_addresses_to_their_canonical_form_and_audits_each(at):
    old = at(AFTER_DEMOTION)
    partnership = old.get_model("partners", "Partnership").objects.create(name="Old SCP", slug="old")
    mixed = _person(old, "Pat.Challenge@Partnership.Example", partnership)
    wide = _person(old, "ｎｕｒｓｅ@icb.example", partnership)  # full-width letters
    kelvin = _person(old, "\u212aate@icb.example", partnership)  # the Kelvin sign, not a K
    plain = _person(old, "plain@icb.example", partnership)

    new = at(AFTER_CANONICAL)
    emails = dict(new.get_model("partners", "User").objects.values_list("pk", "email"))
    assert emails[mixed.pk] == "pat.challenge@partnership.example"
    assert emails[wide.pk] == "nurse@icb.example"
    assert emails[kelvin.pk] == "kate@icb.example"
    assert emails[plain.pk] == "plain@icb.example"
    events = {int(e.object_id): e for e in new.get_model("safeguarding", "AuditEvent").objects.filter(
        action="person.email_canonicalised")}
    assert set(events) == {mixed.pk, wide.pk, kelvin.pk}  # the plain address was not touched
    assert events[wide.pk].before == {"email": "ｎｕｒｓｅ@icb.example"}
    assert events[wide.pk].after == {"email": "nurse@icb.example"}


def test_0005_stops_on_a_collision_naming_the_accounts_and_changes_nothing(at):
    old = at(AFTER_DEMOTION)
    partnership = old.get_model("partners", "Partnership").objects.create(name="Old SCP", slug="old")
    first = _person(old, "Jo@icb.example", partnership)
    second = _person(old, "jo@ICB.example", partnership)
    other = _person(old, "Other@icb.example", partnership)
    with pytest.raises(RuntimeError) as stopped:
        at(AFTER_CANONICAL)
    message = str(stopped.value)
    assert f"id {first.pk} <Jo@icb.example>" in message and f"id {second.pk} <jo@ICB.example>" in message
    assert "Nothing has been changed" in message and "Other@icb.example" not in message
    still = at(AFTER_DEMOTION)
    assert dict(still.get_model("partners", "User").objects.values_list("pk", "email")) == {
        first.pk: "Jo@icb.example", second.pk: "jo@ICB.example", other.pk: "Other@icb.example"}
    assert not still.get_model("safeguarding", "AuditEvent").objects.filter(
        action="person.email_canonicalised").exists()
    # Resolved as the message says (all but one changed), the migration then goes through.
    still.get_model("partners", "User").objects.filter(pk=second.pk).update(email="jo.other@icb.example")
    emails = dict(at(AFTER_CANONICAL).get_model("partners", "User").objects.values_list("pk", "email"))
    assert emails == {first.pk: "jo@icb.example", second.pk: "jo.other@icb.example", other.pk: "other@icb.example"}


def test_0003_tidies_agency_names_then_refuses_the_same_name_in_other_capitals(at):
    old = at(BEFORE_DEMOTION)
    partnership = old.get_model("partners", "Partnership").objects.create(name="Old SCP", slug="old")
    Agency = old.get_model("partners", "Agency")
    spaced = Agency.objects.create(partnership=partnership, name="  Testshire   Police ", slug="police",
                                   agency_type="police")
    tidy = Agency.objects.create(partnership=partnership, name="Testshire Council", slug="council",
                                 agency_type="la_csc")
    new = at(AFTER_DEMOTION)
    Agency = new.get_model("partners", "Agency")
    assert dict(Agency.objects.values_list("pk", "name")) == {spaced.pk: "Testshire Police",
                                                             tidy.pk: "Testshire Council"}
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(partnership_id=partnership.pk, name="TESTSHIRE POLICE", slug="police-2",
                              agency_type="police")
