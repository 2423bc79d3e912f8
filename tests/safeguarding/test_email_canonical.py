"""Issue 11.2: one canonical form of an address for the account lookup, the lockout key,
invitations and password resets. Before the fix, sign-in matched with PostgreSQL's ``UPPER()``
(``ı`` → ``I``, ``ſ`` → ``S``, ``K`` (Kelvin) → ``K``) while the lockout key only lowercased,
so each look-alike spelling got a fresh counter of failures against the same account."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import Role, User
from safeguarding.email_canonical import canonical_email, email_key
from safeguarding.errors import DomainError
from safeguarding.models import AuditEvent
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "kiss.staff@example.org"
# Spellings that fold onto ACCOUNT: the Kelvin sign, the long s, full-width letters, the "st"
# ligature, mixed case.
FOLDS_ONTO = [
    "\u212aiss.staff@example.org",          # K KELVIN SIGN
    "ki\u017fs.staff@example.org",          # ſ LATIN SMALL LETTER LONG S
    "\uff4b\uff49\uff53\uff53.staff@example.org",  # ｋｉｓｓ FULL-WIDTH
    "kiss.\ufb06aff@example.org",           # ﬆ LATIN SMALL LIGATURE ST
    "KiSS.Staff@EXAMPLE.org",
]
# Spellings that must never reach the account: their canonical form is not ASCII.
NEVER_REACHES = [
    "k\u0131ss.staff@example.org",           # ı LATIN SMALL LETTER DOTLESS I
    "k\u0130ss.staff@example.org",           # İ LATIN CAPITAL LETTER I WITH DOT ABOVE
    "kis\u0455.staff@example.org",           # ѕ CYRILLIC SMALL LETTER DZE
]


@pytest.mark.parametrize("spelling", FOLDS_ONTO)
def test_look_alikes_fold_onto_the_plain_address(spelling):
    assert email_key(spelling) == ACCOUNT
    assert canonical_email(spelling) == ACCOUNT


def test_the_office_ligature_and_padding_fold_too():
    assert canonical_email("  O\ufb00ice@Example.ORG ") == "office@example.org"


@pytest.mark.parametrize("spelling", NEVER_REACHES)
def test_characters_left_outside_ascii_are_refused_and_named(spelling):
    with pytest.raises(ValidationError) as exc:
        canonical_email(spelling)
    assert "U+" in exc.value.messages[0] and "not accepted" in exc.value.messages[0]
    assert email_key(spelling) != ACCOUNT


@pytest.fixture
def person(world):
    return UserFactory(email=ACCOUNT, full_name="Kiss Staff", partnership=world.partnership, role=Role.PCI_MEMBER)


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("spelling", FOLDS_ONTO)
def test_a_folding_spelling_signs_in_to_the_account(person, client, spelling):
    response = _sign_in(client, spelling)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.parametrize("spelling", NEVER_REACHES)
def test_a_spelling_outside_ascii_never_signs_in(person, client, spelling):
    response = _sign_in(client, spelling)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failures_under_every_spelling_count_against_one_account(person, client, settings):
    spellings = (FOLDS_ONTO * 2)[: settings.AXES_FAILURE_LIMIT]
    for spelling in spellings:
        _sign_in(client, spelling, "wrong-password")
    response = _sign_in(client, ACCOUNT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_stored_address_is_canonical_and_look_alike_duplicates_are_refused(world):
    created = services.person_create(actor=world.manager, partnership=world.partnership,
                                     email="\uff2e\uff25\uff37.Person@Example.org", full_name="New",
                                     role=Role.PCI_MEMBER, invite=False)
    assert created.email == "new.person@example.org"
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=world.manager, partnership=world.partnership,
                               email="NEW.PER\u017fON@example.org", full_name="Copy", role=Role.PCI_MEMBER)
    assert exc.value.field == "email" and "already has this email address" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=world.manager, partnership=world.partnership,
                               email="d\u0131fferent@example.org", full_name="Odd", role=Role.PCI_MEMBER)
    assert exc.value.field == "email" and "U+0131" in exc.value.message
    assert User.objects.create_user("\u212aelvin@Example.org", "pw-pw-pw-pw", full_name="K").email == \
        "kelvin@example.org"


def test_the_person_form_shows_the_refused_character_beside_the_field(world, as_user):
    response = as_user(world.manager).post(reverse("partners:person_create"), {
        "full_name": "Odd", "email": "d\u0131fferent@example.org", "role": Role.PCI_MEMBER})
    assert response.status_code == 200
    assert "U+0131" in response.content.decode()
    assert not User.objects.filter(full_name="Odd").exists()


def test_password_reset_finds_the_account_by_its_canonical_form_only(person, client, mailoutbox):
    client.post(reverse("password_reset"), {"email": FOLDS_ONTO[2]})
    assert [m.to for m in mailoutbox] == [[ACCOUNT]]
    client.post(reverse("password_reset"), {"email": NEVER_REACHES[0]})
    assert len(mailoutbox) == 1


def test_invitations_go_to_the_stored_address(world, person, mailoutbox):
    services.person_send_invitation(actor=world.manager, person=person)
    assert [m.to for m in mailoutbox] == [[ACCOUNT]]


# The data migration rewrites existing rows, and stops on a clash.

def _migration():
    return import_module("partners.migrations.0005_canonical_emails")


def test_the_migration_rewrites_existing_addresses_and_audits_it(world, person):
    User.objects.filter(pk=person.pk).update(email="\uff2biss.Staff@Example.org")
    _migration().rewrite_emails(apps, None)
    person.refresh_from_db()
    assert person.email == ACCOUNT
    event = AuditEvent.objects.get(action="person.email_canonicalised", object_id=str(person.pk))
    assert event.before == {"email": "\uff2biss.Staff@Example.org"} and event.after == {"email": ACCOUNT}


def test_the_migration_names_a_clash_and_changes_nothing(world, person):
    other = UserFactory(email="other@example.org", partnership=world.partnership)
    User.objects.filter(pk=other.pk).update(email="KISS.staff@example.org")
    with pytest.raises(RuntimeError) as exc:
        _migration().rewrite_emails(apps, None)
    assert ACCOUNT in str(exc.value) and f"id {other.pk}" in str(exc.value) and f"id {person.pk}" in str(exc.value)
    other.refresh_from_db()
    assert other.email == "KISS.staff@example.org"
