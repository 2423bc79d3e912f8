"""The Django admin is for platform operators only (issue 11.1): every persona of the access
matrix, both partnerships' administrators and the manager who tried to become one included, gets
404 from every admin URL; an operator gets in; every change made in it is in the audit log."""

import pytest
from django.urls import reverse

from partners.models import Agency, Role, User
from safeguarding.models import AuditEvent
from tests.factories import UserFactory

from .registry import SIGNED_IN

pytestmark = pytest.mark.django_db


def _admin_urls(world) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:login"),
        reverse("admin:partners_user_changelist"),
        reverse("admin:partners_user_change", args=[world.submitter_b.pk]),
        reverse("admin:auth_user_password_change", args=[world.submitter_b.pk]),
        reverse("admin:partners_agency_change", args=[world.agency_b.pk]),
        reverse("admin:partners_partnership_changelist"),
    ]


@pytest.fixture
def admin_a(world):
    return UserFactory(email="admin@partnership.example", partnership=world.partnership, role=Role.ADMIN)


@pytest.mark.parametrize("persona", [*SIGNED_IN, "admin_a"])
def test_nobody_of_a_partnership_reaches_the_admin(persona, world, admin_a, as_user):
    person = admin_a if persona == "admin_a" else world.persona(persona)
    client = as_user(person)
    for url in _admin_urls(world):
        assert client.get(url).status_code == 404, f"{persona} reached {url}"
    response = client.post(reverse("admin:partners_user_change", args=[world.submitter_b.pk]),
                           {"email": "taken@example.org", "partnership": world.other_partnership.pk})
    assert response.status_code == 404
    world.submitter_b.refresh_from_db()
    assert world.submitter_b.partnership == world.partnership


def test_anonymous_is_sent_to_the_portals_sign_in(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith("/account/sign-in/")


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("operator@portal.example", "operator-password-1", full_name="Op")


def test_an_operator_opens_the_admin_and_every_change_is_audited(world, operator, as_user):
    client = as_user(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    url = reverse("admin:partners_agency_change", args=[world.agency_b.pk])
    response = client.post(url, {
        "partnership": world.partnership.pk, "name": "Renamed by operator", "slug": world.agency_b.slug,
        "agency_type": world.agency_b.agency_type, "membership": world.agency_b.membership,
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.actor == operator and event.object_id == str(world.agency_b.pk)
    assert event.partnership == world.partnership and event.data["via"] == "django-admin"

    response = client.post(reverse("admin:partners_agency_add"), {
        "partnership": world.partnership.pk, "name": "Added by operator", "slug": "added",
        "agency_type": world.agency_b.agency_type, "membership": world.agency_b.membership,
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    added = Agency.objects.get(slug="added")
    assert AuditEvent.objects.filter(action="admin.added", object_id=str(added.pk)).exists()

    response = client.post(reverse("admin:partners_agency_delete", args=[added.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="admin.deleted", object_id=str(added.pk)).exists()


def test_an_operator_cannot_be_put_in_a_partnership_from_the_admin(world, operator, as_user):
    client = as_user(operator)
    url = reverse("admin:partners_user_change", args=[operator.pk])
    response = client.post(url, {"email": operator.email, "full_name": "Op", "partnership": world.partnership.pk,
                                 "role": Role.ADMIN, "is_active": "on", "is_staff": "on", "is_superuser": "on",
                                 "date_joined_0": "2026-01-01", "date_joined_1": "00:00"})
    assert response.status_code == 200  # the form shows the constraint's message
    assert "cannot belong to a partnership" in response.content.decode()
    operator.refresh_from_db()
    assert operator.partnership_id is None


def test_an_operator_resets_a_partnership_administrators_second_factor(world, operator, as_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import authenticator_for

    admin = UserFactory(email="only.admin@partnership.example", partnership=world.partnership, role=Role.ADMIN)
    authenticator_for(admin)
    response = as_user(operator).post(reverse("admin:partners_user_changelist"), {
        "action": "reset_second_factor", "_selected_action": [admin.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(action="person.second_factor_reset")
    assert event.actor == operator and event.data["via"] == "django-admin"
