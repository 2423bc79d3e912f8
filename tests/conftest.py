"""Personas shared by every test: two agencies' submitters, a designated nurse, a PCI member,
a business manager, and three people of another partnership: its business manager (the
outsider), its administrator, and a manager who has just tried to make themself administrator
(issue 11.1).

Agency A is a health provider (so the designated professional acts for it); agency B is the
local authority (so the designated professional does not).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass

import pytest

from partners.models import AgencyType, Role

from .factories import AgencyFactory, PartnershipFactory, SubgroupFactory, UserFactory

PASSWORD = "correct-horse-battery"


def pytest_configure(config):
    """Make the run's demo snapshot folder (tests/demo_snapshot.py) before any xdist worker
    starts, so that every worker inherits the same one; the process that made it removes it."""
    from .demo_snapshot import FOLDER_ENV

    if FOLDER_ENV not in os.environ:
        os.environ[FOLDER_ENV] = tempfile.mkdtemp(prefix="sg-demo-")
        config._demo_snapshot_folder = os.environ[FOLDER_ENV]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Order the run for the two test processes, keeping each file's own order (and every
    process's order the same, as pytest-xdist requires), and start seeding the demo.

    The browser tests go first: their files are the longest, and a long file handed out last
    leaves one process working alone at the end. The modules that read the demo come next, by
    when its seeding process (started here, as soon as a test in the run asks for it) has
    finished; the many short files last, so the two processes end together."""
    reads_demo = {id(item) for item in items if "demo_seeded" in getattr(item, "fixturenames", ())}
    if reads_demo:
        from .demo_snapshot import start

        start()

    def rank(item) -> int:
        return 0 if item.get_closest_marker("e2e") else 1 if id(item) in reads_demo else 2

    items.sort(key=rank)  # stable: each file keeps its order


def pytest_unconfigure(config):
    """The process that made the run's demo folder (the last to finish) ends a seeding process
    still running and removes the folder."""
    from pathlib import Path

    from .demo_snapshot import stop

    made = getattr(config, "_demo_snapshot_folder", None)
    if made:
        stop(Path(made))
        shutil.rmtree(made, ignore_errors=True)


def pytest_report_header(config):
    from django.conf import settings

    return [f"database: {settings.DATABASES['default']['ENGINE']}", f"CI={os.environ.get('CI', '')}"]


def skip_or_fail(reason: str):
    """A missing service skips on a laptop, with the reason printed; in CI it fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@dataclass
class World:
    partnership: object
    agency_a: object
    agency_b: object
    other_partnership: object
    other_agency: object
    submitter_a: object
    submitter_b: object
    designated: object
    pci: object
    manager: object
    outsider: object
    other_admin: object
    other_climber: object
    subgroup: object

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


def _climber(partnership):
    """A business manager of ``partnership`` who tries to make themself administrator; the
    services refuse, so they stay a business manager (on the old code they became staff and
    superuser and opened the Django admin)."""
    from partners import services
    from safeguarding.concurrency import version_token
    from safeguarding.errors import DomainError

    climber = UserFactory(email="climber@elsewhere.example", full_name="Clem Climber", partnership=partnership,
                          role=Role.BUSINESS_MANAGER)
    try:
        services.person_update(actor=climber, person=climber, version=version_token(climber.updated_at),
                               agencies=[], role=Role.ADMIN)
    except DomainError:
        pass
    climber.refresh_from_db()
    return climber


def _administrator(partnership):
    """The partnership's administrator, made the way the portal makes one (through the service;
    before issue 11.1 that made them staff and superuser)."""
    from partners import services

    return services.person_create(actor=None, partnership=partnership, email="admin@elsewhere.example",
                                  full_name="Ada Minister", role=Role.ADMIN, password=PASSWORD, invite=False)


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory(name="Testshire Safeguarding Children Partnership", slug="testshire")
    # Established members: active since the partnership's arrangements began, so they are
    # expected in every quarter the tests use (partners.lifecycle.expected_in, issue 12.6).
    since = dt.date(2019, 9, 29)
    agency_a = AgencyFactory(partnership=partnership, name="Testshire Hospitals NHS Trust", slug="hospital",
                             agency_type=AgencyType.ACUTE_TRUST, active_from=since)
    agency_b = AgencyFactory(partnership=partnership, name="Testshire Council Children's Social Care",
                             slug="council", agency_type=AgencyType.LA_CHILDRENS_SOCIAL_CARE,
                             membership="statutory", active_from=since)
    other = PartnershipFactory(name="Elsewhere Partnership", slug="elsewhere")
    other_agency = AgencyFactory(partnership=other, name="Elsewhere Trust", slug="elsewhere-trust")
    return World(
        partnership=partnership,
        agency_a=agency_a,
        agency_b=agency_b,
        other_partnership=other,
        other_agency=other_agency,
        submitter_a=UserFactory(email="a@hospital.example", full_name="Ann Able", partnership=partnership,
                                role=Role.AGENCY_SUBMITTER, agencies=[agency_a]),
        submitter_b=UserFactory(email="b@council.example", full_name="Ben Baker", partnership=partnership,
                                role=Role.AGENCY_SUBMITTER, agencies=[agency_b]),
        designated=UserFactory(email="nurse@icb.example", full_name="Dee Signated", partnership=partnership,
                               role=Role.DESIGNATED_PROFESSIONAL),
        pci=UserFactory(email="pci@partnership.example", full_name="Pat Challenge", partnership=partnership,
                        role=Role.PCI_MEMBER),
        manager=UserFactory(email="manager@partnership.example", full_name="Mo Manager",
                            partnership=partnership, role=Role.BUSINESS_MANAGER),
        outsider=UserFactory(email="outsider@elsewhere.example", full_name="Otto Side", partnership=other,
                             role=Role.BUSINESS_MANAGER),
        other_admin=_administrator(other),
        other_climber=_climber(other),
        subgroup=SubgroupFactory(partnership=partnership, name="PCI subgroup", slug="pci"),
    )


def authenticator_for(person):
    """The person's confirmed authenticator app (made for the test if they have none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=person, name="Test authenticator", confirmed=True)


from safeguarding.two_factor import current_code  # noqa: E402,F401 - the code an app shows now


def verify_second_factor(client, person) -> None:
    """Mark ``client``'s session as having passed the code step with ``person``'s app, as the
    real sign-in does (``django_otp.login``)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(person).persistent_id
    session.save()


def second_factor_queries(person) -> int:
    """Queries a page costs for verifying the session's second factor: django-otp loads the
    device that verified it on every request of a person who must use one (issue 11.6), so a
    revoked device stops working at once. Pinned query counts add this."""
    from safeguarding.two_factor import requires_second_factor

    return 1 if requires_second_factor(person) else 0


@pytest.fixture(autouse=True)
def _force_login_passes_the_code_step(monkeypatch):
    """``client.force_login(person)`` stands for a completed sign-in: for people who must use a
    second factor (managers, administrators, operators; issue 11.6) it also passes the code step.
    Tests of the code step itself sign in through the pages, or with ``client.login``."""
    from django.test import Client

    from safeguarding.two_factor import requires_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if requires_second_factor(user):
            verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def as_user(client):
    """``as_user(person)`` signs the test client in as that person (or out, for None)."""

    def _as(person):
        client.logout()
        if person is not None:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _as


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (``seed_demo``), committed, for one test module; emptied after it.

    Seeded once per run in a process of its own and copied in for each module
    (``tests/demo_snapshot.py``).
    Yields the MEDIA_ROOT folder holding the seed's files."""
    from django.conf import settings
    from django.core.management import call_command

    from .demo_snapshot import load_demo

    before = settings.MEDIA_ROOT
    with django_db_blocker.unblock():
        media = load_demo(tmp_path_factory.mktemp("media"))
        try:
            yield media
        finally:
            # The module's data is committed: clear it for the other tests.
            call_command("flush", "--noinput", verbosity=0)
            settings.MEDIA_ROOT = before
