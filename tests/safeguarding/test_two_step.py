"""Issue 11.6: two-step sign-in (TOTP) for the people who hold the keys.

Before the fix a business manager, an administrator and a platform operator signed in with a
password alone; every test below that signs one of them in failed on that code.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners import services
from partners.models import Role, User
from safeguarding.errors import NotAllowed
from safeguarding.models import AuditEvent
from safeguarding.two_factor import recovery_codes_issue
from tests.conftest import PASSWORD, authenticator_for, current_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _password_step(client, person, password=PASSWORD):
    return client.post(reverse("login"), {"username": person.email, "password": password})


def _unverified_login(client, person):
    """Signed in with no code step passed (as after a role change mid-session)."""
    client.force_login(person)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()


def _signed_in(client):
    return SESSION_KEY in client.session


def test_the_password_alone_does_not_sign_a_manager_in(world, client):
    authenticator_for(world.manager)
    response = _password_step(client, world.manager)
    assert response.status_code == 302 and response["Location"] == reverse("two_step_verify")
    assert not _signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_the_right_code_signs_the_manager_in(world, client):
    device = authenticator_for(world.manager)
    _password_step(client, world.manager)
    page = client.get(reverse("two_step_verify"))
    assert page.status_code == 200 and "Enter your code" in page.content.decode()
    response = client.post(reverse("two_step_verify"), {"code": current_code(device)})
    assert response.status_code == 302
    assert _signed_in(client)
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_told_and_signs_nobody_in(world, client):
    authenticator_for(world.manager)
    _password_step(client, world.manager)
    response = client.post(reverse("two_step_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not _signed_in(client)


def test_wrong_codes_lock_the_account_like_wrong_passwords(world, client, settings):
    device = authenticator_for(world.manager)
    _password_step(client, world.manager, "wrong-password")  # one failure at the password step
    _password_step(client, world.manager)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("two_step_verify"), {"code": "000000"})
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert not _signed_in(client)
    # Locked: the right password and the right code do not get in either.
    assert _password_step(client, world.manager).status_code == 429
    assert not _signed_in(client)
    assert not device.verify_token("000000")


def test_the_password_step_does_not_wipe_the_count_of_wrong_codes(world, client, settings):
    authenticator_for(world.manager)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, world.manager)
        client.post(reverse("two_step_verify"), {"code": "000000"})
    assert _password_step(client, world.manager).status_code == 429


@pytest.fixture
def no_throttle(settings):
    """django-otp also slows down retries after a wrong code (1 s, 2 s, 4 s…); these tests try
    again at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_set_up_shows_a_qr_code_and_key_then_issues_recovery_codes(world, client, no_throttle):
    response = _password_step(client, world.manager)
    assert response["Location"] == reverse("two_step_verify")
    assert client.get(reverse("two_step_verify"))["Location"] == reverse("two_step_setup")
    page = client.get(reverse("two_step_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and not _signed_in(client)
    assert '<svg role="img"' in body and "style=" not in body.split('<svg', 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    assert "portal-key" in body
    assert client.post(reverse("two_step_setup"), {"code": "000000"}).status_code == 200
    assert not _signed_in(client)
    response = client.post(reverse("two_step_setup"), {"code": current_code(device)})
    assert response.status_code == 200
    assert "Save your recovery codes" in response.content.decode()
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=world.manager).token_set.count() == 10
    assert AuditEvent.objects.filter(action="second_factor.set_up", object_id=str(world.manager.pk)).exists()
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(world, client, no_throttle):
    authenticator_for(world.manager)
    codes = recovery_codes_issue(user=world.manager)
    _password_step(client, world.manager)
    response = client.post(reverse("two_step_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302 and _signed_in(client)
    assert AuditEvent.objects.filter(action="second_factor.recovery_code_used").count() == 1
    client.post(reverse("logout"))
    _password_step(client, world.manager)
    response = client.post(reverse("two_step_verify"), {"code": codes[0]})
    assert response.status_code == 200 and not _signed_in(client)
    assert client.post(reverse("two_step_verify"), {"code": codes[1]}).status_code == 302


@pytest.fixture
def admin_a(world):
    return UserFactory(email="admin@partnership.example", full_name="Ada Admin", partnership=world.partnership,
                       role=Role.ADMIN)


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(world, admin_a, as_user, client):
    authenticator_for(world.manager)
    recovery_codes_issue(user=world.manager)
    response = as_user(admin_a).post(reverse("partners:person_reset_second_factor", args=[world.manager.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.manager).exists()
    assert not StaticDevice.objects.filter(user=world.manager).exists()
    event = AuditEvent.objects.get(action="person.second_factor_reset")
    assert event.actor == admin_a and event.object_id == str(world.manager.pk) and event.data["devices_removed"] == 2
    client.logout()
    _password_step(client, world.manager)
    assert client.get(reverse("two_step_verify"))["Location"] == reverse("two_step_setup")


def test_a_manager_cannot_reset_a_second_factor(world, admin_a, as_user):
    authenticator_for(world.pci)
    assert as_user(world.manager).post(
        reverse("partners:person_reset_second_factor", args=[world.pci.pk])).status_code == 403
    with pytest.raises(NotAllowed):
        services.person_reset_second_factor(actor=world.manager, person=world.pci)
    with pytest.raises(NotAllowed):
        services.person_reset_second_factor(actor=admin_a, person=admin_a)
    assert TOTPDevice.objects.filter(user=world.pci).exists()


def test_a_reset_ends_the_verified_session(world, admin_a, as_user, client):
    client = as_user(world.manager)
    assert client.get(reverse("home")).status_code == 200
    services.person_reset_second_factor(actor=admin_a, person=world.manager)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_step_verify"))


def test_others_sign_in_with_a_password_unless_they_chose_an_app(world, client):
    assert _password_step(client, world.pci)["Location"] == reverse("home")
    assert _signed_in(client)
    client.post(reverse("logout"))
    device = authenticator_for(world.pci)
    assert _password_step(client, world.pci)["Location"] == reverse("two_step_verify")
    assert not _signed_in(client)
    assert client.post(reverse("two_step_verify"), {"code": current_code(device)}).status_code == 302
    assert _signed_in(client)


def test_an_unverified_session_reaches_only_the_code_step(world, client):
    authenticator_for(world.manager)
    _unverified_login(client, world.manager)
    for url in (reverse("home"), reverse("partners:people_list"), reverse("audit_log")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_step_verify"))
    assert client.get(reverse("two_step_verify")).status_code == 200


def test_an_operator_needs_the_code_for_the_django_admin(db, client):
    operator = User.objects.create_superuser("operator@portal.example", PASSWORD, full_name="Op")
    device = authenticator_for(operator)
    _unverified_login(client, operator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_step_verify"))
    client.post(reverse("two_step_verify"), {"code": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_enrols_the_key_holders_and_prints_a_way_to_the_code(db, client):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from partners import demo as partners_demo

    demo = partners_demo.seed()
    enrolled = {email for email, _ in demo.two_step}
    assert enrolled == {"manager@northbridge.example", "admin@northbridge.example", "operator@portal.example"}
    out = StringIO()
    call_command("demo_code", "Manager@Northbridge.example", stdout=out)
    code = out.getvalue().split()[0]
    assert code.isdigit() and len(code) == 6
    response = client.post(reverse("login"), {"username": "manager@northbridge.example",
                                              "password": partners_demo.DEMO_PASSWORD})
    assert response["Location"] == reverse("two_step_verify")
    assert client.post(reverse("two_step_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    with pytest.raises(CommandError):
        call_command("demo_code", "pci.member@northbridge.example")
    # The benchmark's scripts compute the same codes without Django.
    from safeguarding.demo_totp import demo_key_hex

    assert TOTPDevice.objects.get(user__email="manager@northbridge.example").key == \
        demo_key_hex("manager@northbridge.example")
    # Seeding again keeps the same keys.
    assert partners_demo.seed().two_step == demo.two_step
