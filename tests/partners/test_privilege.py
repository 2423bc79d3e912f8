"""Issue 11.1: only an administrator makes administrators; no partnership role opens the admin.

Each test here failed on the code before the fix: the people pages let a business manager give
anyone (themself included) the administrator role, which made them staff and superuser, and let
a manager change an administrator's address and send them a set-password email.
"""

import pytest
from django.db import IntegrityError, transaction

from partners import services
from partners.models import Role, User
from safeguarding.concurrency import version_token
from safeguarding.errors import DomainError, NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(world):
    return UserFactory(email="admin@partnership.example", full_name="Ada Admin", partnership=world.partnership,
                       role=Role.ADMIN)


def _update(actor, person, **changes):
    person.refresh_from_db()
    return services.person_update(actor=actor, person=person, version=version_token(person.updated_at),
                                  agencies=list(person.agencies.all()), **changes)


def test_a_manager_cannot_create_an_administrator(world):
    with pytest.raises(NotAllowed):
        services.person_create(actor=world.manager, partnership=world.partnership, email="new@example.org",
                               full_name="New Admin", role=Role.ADMIN)
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_manager_cannot_make_someone_an_administrator(world):
    with pytest.raises(NotAllowed):
        _update(world.manager, world.pci, role=Role.ADMIN)
    world.pci.refresh_from_db()
    assert world.pci.role == Role.PCI_MEMBER and not world.pci.is_staff and not world.pci.is_superuser


def test_a_manager_cannot_make_themself_an_administrator(world):
    with pytest.raises(DomainError) as exc:
        _update(world.manager, world.manager, role=Role.ADMIN)
    assert exc.value.field == "role"
    world.manager.refresh_from_db()
    assert world.manager.role == Role.BUSINESS_MANAGER and not world.manager.is_staff


def test_the_climber_persona_stayed_a_manager(world):
    climber = world.other_climber
    assert climber.role == Role.BUSINESS_MANAGER
    assert not climber.is_staff and not climber.is_superuser and not climber.is_admin


def test_a_manager_cannot_change_an_administrators_email_or_send_them_a_reset(world, admin_a, mailoutbox):
    with pytest.raises(NotAllowed):
        _update(world.manager, admin_a, email="attacker@example.org")
    with pytest.raises(NotAllowed):
        _update(world.manager, admin_a, role=Role.PCI_MEMBER)
    with pytest.raises(NotAllowed):
        services.person_send_invitation(actor=world.manager, person=admin_a)
    admin_a.refresh_from_db()
    assert admin_a.email == "admin@partnership.example" and admin_a.role == Role.ADMIN
    assert mailoutbox == []


def test_an_administrator_grants_and_removes_the_role_without_making_staff(world, admin_a):
    _update(admin_a, world.pci, role=Role.ADMIN)
    world.pci.refresh_from_db()
    assert world.pci.role == Role.ADMIN
    assert not world.pci.is_staff and not world.pci.is_superuser
    _update(admin_a, world.pci, role=Role.PCI_MEMBER)
    world.pci.refresh_from_db()
    assert world.pci.role == Role.PCI_MEMBER


def test_an_administrator_cannot_change_their_own_role(world, admin_a):
    with pytest.raises(DomainError):
        _update(admin_a, admin_a, role=Role.BUSINESS_MANAGER)


def test_an_administrator_of_another_partnership_changes_nobody_here(world):
    with pytest.raises(NotAllowed):
        _update(world.other_admin, world.pci, role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        services.person_send_invitation(actor=world.other_admin, person=world.pci)


def test_created_administrators_are_never_staff(world, admin_a):
    person = services.person_create(actor=admin_a, partnership=world.partnership, email="second@example.org",
                                     full_name="Second Admin", role=Role.ADMIN, invite=False)
    assert person.is_admin and not person.is_staff and not person.is_superuser


def test_the_database_refuses_a_partnership_member_who_is_staff(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=world.manager.pk).update(is_staff=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=world.manager.pk).update(is_superuser=True)


def test_createsuperuser_makes_an_operator_outside_every_partnership(world):
    operator = User.objects.create_superuser("Root@Example.org", "a-long-operator-password", full_name="Root")
    assert operator.is_operator and operator.partnership_id is None and not operator.is_manager
    with pytest.raises(ValueError):
        User.objects.create_superuser("x@example.org", "pw", full_name="X", partnership=world.partnership)


# The pages: a manager sees administrators but cannot open or act on their accounts.

def test_a_manager_cannot_open_or_invite_an_administrator(world, admin_a, as_user, mailoutbox):
    client = as_user(world.manager)
    assert client.get(f"/people/{admin_a.pk}/").status_code == 403
    assert client.post(f"/people/{admin_a.pk}/invite/").status_code == 403
    assert mailoutbox == []
    listing = client.get("/people/").content.decode()
    assert "Ada Admin" in listing and f"/people/{admin_a.pk}/" not in listing


def test_the_role_choice_offers_administrator_only_to_administrators(world, admin_a, as_user):
    page = as_user(world.manager).get("/people/new/").content.decode()
    assert 'value="admin"' not in page
    response = as_user(world.manager).post("/people/new/", {
        "full_name": "Sneaky", "email": "sneaky@example.org", "role": "admin"})
    assert response.status_code == 200 and not User.objects.filter(email="sneaky@example.org").exists()
    assert 'value="admin"' in as_user(admin_a).get("/people/new/").content.decode()


def test_a_manager_cannot_post_a_new_role_for_themself(world, as_user):
    client = as_user(world.manager)
    client.post(f"/people/{world.manager.pk}/", {
        "full_name": world.manager.full_name, "email": world.manager.email, "role": "admin",
        "is_active": "on", "version": version_token(world.manager.updated_at)})
    world.manager.refresh_from_db()
    assert world.manager.role == Role.BUSINESS_MANAGER


def test_ones_own_role_is_shown_disabled_and_a_crafted_change_is_an_error_beside_it(world, as_user):
    """The tester's finding: on their own page a manager could click another role and "save"; the
    page said saved and the role stayed. The radios are disabled, and a POST that still names
    another role is refused beside the field, never a false "saved"."""
    import re

    from django.urls import reverse

    client = as_user(world.manager)
    url = reverse("partners:person_edit", kwargs={"pk": world.manager.pk})
    page = client.get(url).content.decode()
    radios = re.findall(r'<input[^>]*name="role"[^>]*>', page)
    assert radios and all("disabled" in r for r in radios), radios
    person = world.manager
    form = {"full_name": person.full_name, "email": person.email, "job_title": "", "role": Role.PCI_MEMBER,
            "is_active": "on", "version": version_token(person.updated_at)}
    response = client.post(url, form, follow=True)
    body = response.content.decode()
    assert "has been saved" not in body
    assert 'id="id_role_error"' in body or "govuk-error-message" in body
    assert "You cannot change your own role" in body
    person.refresh_from_db()
    assert person.role == Role.BUSINESS_MANAGER
