import pytest

from partners import services
from partners.models import Agency, AgencyType, Role
from safeguarding.concurrency import version_token
from safeguarding.errors import DomainError, NotAllowed, StaleEdit
from safeguarding.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_agency_create_records_an_audit_event_with_aliases(world):
    agency = services.agency_create(
        actor=world.manager, partnership=world.partnership, name="Testshire Youth Justice",
        agency_type=AgencyType.YOUTH_JUSTICE, aliases=["YJS", "Youth Offending Service", "  "],
    )
    assert agency.slug == "testshire-youth-justice"
    assert sorted(agency.aliases.values_list("name", flat=True)) == ["YJS", "Youth Offending Service"]
    event = AuditEvent.objects.get(action="agency.created")
    assert event.actor == world.manager
    assert event.partnership == world.partnership
    assert event.after["aliases"] == ["  ", "YJS", "Youth Offending Service"] or "YJS" in event.after["aliases"]


def test_only_the_partnerships_manager_changes_agencies(world):
    for actor in (world.submitter_a, world.pci, world.designated, world.outsider):
        with pytest.raises(NotAllowed):
            services.agency_create(actor=actor, partnership=world.partnership, name="X",
                                   agency_type=AgencyType.OTHER)
    assert not Agency.objects.filter(name="X").exists()


def test_duplicate_agency_name_is_refused_by_validation(world):
    with pytest.raises(DomainError) as exc:
        services.agency_create(actor=world.manager, partnership=world.partnership,
                               name=world.agency_a.name.upper(), agency_type=AgencyType.OTHER)
    assert "There is already an agency called" in str(exc.value)
    assert exc.value.field == "name"


def test_replaced_agency_needs_an_end_date(world):
    with pytest.raises(DomainError) as exc:
        services.agency_update(actor=world.manager, agency=world.agency_a,
                               version=version_token(world.agency_a.updated_at), aliases=[],
                               replaced_by=world.agency_b)
    assert exc.value.field == "active_to"


def test_stale_agency_edit_overwrites_nothing(world):
    loaded = version_token(world.agency_a.updated_at)
    services.agency_update(actor=world.manager, agency=world.agency_a, version=loaded, aliases=[],
                           name="First edit")
    with pytest.raises(StaleEdit):
        services.agency_update(actor=world.manager, agency=world.agency_a, version=loaded, aliases=[],
                               name="Second edit")
    world.agency_a.refresh_from_db()
    assert world.agency_a.name == "First edit"


def test_parent_in_another_partnership_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.agency_update(actor=world.manager, agency=world.agency_a,
                               version=version_token(world.agency_a.updated_at), aliases=[],
                               parent=world.other_agency)
    assert exc.value.field == "parent"


def test_person_create_sends_an_invitation_not_a_password(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(actor=world.manager, partnership=world.partnership,
                                        email="New.Person@Example.org", full_name="New Person",
                                        role=Role.AGENCY_SUBMITTER, agencies=[world.agency_a])
    assert person.email == "new.person@example.org"
    assert not person.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/account/password-reset/" in mailoutbox[0].body
    assert "has_usable_password" not in mailoutbox[0].body


def test_submitter_needs_an_agency_and_agencies_stay_in_the_partnership(world):
    with pytest.raises(DomainError):
        services.person_create(actor=world.manager, partnership=world.partnership, email="x@example.org",
                               full_name="X", role=Role.AGENCY_SUBMITTER, agencies=[])
    with pytest.raises(DomainError):
        services.person_create(actor=world.manager, partnership=world.partnership, email="y@example.org",
                               full_name="Y", role=Role.AGENCY_SUBMITTER, agencies=[world.other_agency])


def test_manager_cannot_remove_their_own_access(world):
    with pytest.raises(DomainError):
        services.person_update(actor=world.manager, person=world.manager,
                               version=version_token(world.manager.updated_at), agencies=[],
                               role=Role.PCI_MEMBER)


def test_duplicate_email_is_refused_whatever_the_case(world):
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=world.manager, partnership=world.partnership,
                               email=world.pci.email.upper(), full_name="Copy", role=Role.PCI_MEMBER)
    assert exc.value.field == "email"
