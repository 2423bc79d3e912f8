"""The smaller gaps of issue 11, point 5, each with a test that failed on the code before the fix.

(The password-reset throttle of the same point is with the sign-in tests.)
"""

from __future__ import annotations

import datetime as dt
import secrets
from importlib import import_module, reload
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from datasets import services as dataset_services
from datasets.models import Quarter
from reports import services as report_services
from reports.models import ReportBuild
from reviews import services as review_services
from safeguarding.errors import DomainError, NotAllowed
from safeguarding.inputs import shorten_file_name
from safeguarding.models import AuditEvent
from training import services as training_services
from training.models import TrainingReturnEvent

from ..datasets.conftest import entries_for, make_catalogue
from ..reviews.conftest import PDF, make_action
from ..training.helpers import fill, quarter, setup_training

pytestmark = pytest.mark.django_db


def _training_submitted(world):
    setup_training(world)
    ret = training_services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[0])
    fill(ret, {("Social workers", "Level 3"): (10, 9, "")})
    return training_services.training_return_transition(actor=world.submitter_b, ret=ret, action="submit")


# --- Training workflow comments: the same form and limit as dataset returns -----------------------

def test_a_6_mb_training_query_comment_is_refused_and_not_stored(world, as_user):
    ret = _training_submitted(world)
    huge = "x" * (6 * 1024 * 1024)
    response = as_user(world.pci).post(f"/training/returns/{ret.pk}/query/", {"comment": huge}, follow=True)
    assert "must be 5,000 characters or fewer (it has 6,291,456)" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == "submitted"
    assert not TrainingReturnEvent.objects.filter(action="query").exists()
    assert not AuditEvent.objects.filter(action="training_return.queried").exists()
    # The service holds to the same limit, whoever calls it.
    with pytest.raises(DomainError, match="5,000 characters or fewer"):
        training_services.training_return_transition(actor=world.pci, ret=ret, action="query", comment="y" * 5001)
    response = as_user(world.pci).post(f"/training/returns/{ret.pk}/query/", {"comment": "Please confirm."})
    ret.refresh_from_db()
    assert ret.status == "queried"


# --- Figures cannot change after the quarter closes: one rule for both kinds of return ----------

def test_training_figures_cannot_change_after_the_quarter_closes(world):
    setup_training(world)
    ret = training_services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[0])
    dataset_services.quarter_close(actor=world.manager, quarter=world.quarters[0])
    with pytest.raises(DomainError, match="is closed: its returns can no longer be changed"):
        fill(ret, {("Social workers", "Level 3"): (10, 9, "")}, actor=world.submitter_b)
    with pytest.raises(DomainError, match="is closed"):
        training_services.training_return_start(actor=world.submitter_b, agency=world.agency_b,
                                                quarter=Quarter.objects.get(pk=world.quarters[0].pk))
    ret.figures.update()  # nothing was saved
    assert not ret.figures.exclude(eligible=None).exists()


def test_dataset_and_training_returns_refuse_a_closed_quarter_with_the_same_words(world):
    cat = make_catalogue(world)
    ret, _ = dataset_services.return_get_or_create(actor=world.submitter_b, agency=world.agency_b,
                                                   quarter=cat.quarter)
    dataset_services.quarter_close(actor=world.manager, quarter=cat.quarter)
    with pytest.raises(DomainError) as dataset_error:
        dataset_services.return_values_save(actor=world.submitter_b, ret=ret, version=ret.updated_at.isoformat(),
                                            entries=entries_for(ret, **{"LA-CPP/NEGLECT": {"value": "4"}}))
    setup_training(world)
    tret = training_services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[1])
    dataset_services.quarter_close(actor=world.manager, quarter=world.quarters[1])
    with pytest.raises(DomainError) as training_error:
        fill(tret, {("Social workers", "Level 3"): (10, 9, "")}, actor=world.submitter_b)
    strip = lambda m: m.split(" is closed")[1]  # noqa: E731 - the quarter's label differs
    assert strip(dataset_error.value.message) == strip(training_error.value.message)


# --- PCI packs: only quarters that exist, one build in flight per quarter --------------------------

def test_a_pci_pack_is_built_only_for_a_quarter_that_exists(world, as_user):
    with pytest.raises(DomainError, match="0001/02-Q1 is not one of the partnership's quarters"):
        report_services.build_request(actor=world.pci, partnership=world.partnership, kind="pci", year_start=1,
                                      quarter=1)
    response = as_user(world.pci).post("/reports/pci/", {"quarter": "0001/02-Q1"}, follow=True)
    assert "is not one of the partnership&#x27;s quarters" in response.content.decode()
    assert not ReportBuild.objects.exists()
    quarter(world.partnership, 2024, 3)
    first, created = report_services.build_request(actor=world.pci, partnership=world.partnership, kind="pci",
                                                   year_start=2024, quarter=3)
    second, again = report_services.build_request(actor=world.manager, partnership=world.partnership, kind="pci",
                                                  year_start=2024, quarter=3)
    assert created and not again and first == second
    assert ReportBuild.objects.count() == 1


# --- Production refuses the placeholder SECRET_KEY ------------------------------------------------

def _env_example_secret() -> str:
    for line in (Path(django_settings.BASE_DIR) / ".env.example").read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            return line.split("=", 1)[1].strip()
    raise AssertionError(".env.example has no SECRET_KEY line")


@pytest.mark.parametrize("key", [_env_example_secret(), "changeme" * 8, "ab" * 30])
def test_production_refuses_the_placeholder_secret_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.org")
    with pytest.raises(ImproperlyConfigured, match="placeholder"):
        reload(import_module("safeguarding.settings.production"))
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    reload(import_module("safeguarding.settings.production"))


# --- The audit log refuses TRUNCATE -----------------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_audit_log_refuses_truncate(world):
    AuditEvent.objects.create(action="test.kept", partnership=world.partnership)
    with connection.cursor() as cursor:
        # The tests' connections allow TRUNCATE (Django empties tables with it between
        # transactional tests); production connections do not set this.
        cursor.execute("SET LOCAL portal.audit_truncate TO 'refused'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred FK check
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE safeguarding_auditevent CASCADE")
        cursor.execute("SELECT tgtype & 1 = 0 FROM pg_trigger WHERE tgname = 'safeguarding_auditevent_no_truncate'")
        assert cursor.fetchone() == (True,)  # a statement-level trigger
    assert AuditEvent.objects.filter(action="test.kept").exists()


# --- Cache-Control: private, no-store on what a signed-in person receives ----------------------------

def _no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "private" in value and "no-store" in value


def test_signed_in_pages_exports_evidence_and_pdfs_are_not_stored(world, as_user, tmp_path, settings):
    from ..reports.factories import finished_build

    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.manager)
    assert _no_store(client.get("/"))
    assert _no_store(client.get("/training/returns/"))
    assert _no_store(client.get("/dashboards/export.csv"))
    build = finished_build(world)
    download = client.get(f"/reports/builds/{build.pk}/download/")
    assert download.status_code == 200 and _no_store(download)
    action = make_action(world, agency=world.agency_b)
    evidence = review_services.evidence_add(actor=world.submitter_b, action=action, evidence_date=dt.date(2025, 2, 1),
                                            upload=SimpleUploadedFile("audit.pdf", PDF))
    response = as_user(world.submitter_b).get(f"/reviews/evidence/{evidence.pk}/")
    assert response.status_code == 200 and _no_store(response)


# --- Separation of duties ------------------------------------------------------------------------------

def _dataset_return_submitted_by(world, actor):
    cat = make_catalogue(world)
    ret, _ = dataset_services.return_get_or_create(actor=actor, agency=world.agency_b, quarter=cat.quarter)
    dataset_services.return_values_save(actor=actor, ret=ret, version=ret.updated_at.isoformat(), entries=entries_for(
        ret, **{"LA-CPP/NEGLECT": {"value": "40"}, "LA-CPP/EMOTIONAL": {"value": "20"},
                "LA-CPP/PHYSICAL": {"value": "10"}, "LA-CPP/SEXUAL": {"value": "5"},
                "LA-CPP/MULTIPLE": {"value": "5"}, "LA-CPP-RATE": {"numerator": "80", "denominator": "20000"}}))
    return dataset_services.return_submit(actor=actor, ret=ret)


def test_the_person_who_submitted_a_return_cannot_accept_it(world, as_user):
    ret = _dataset_return_submitted_by(world, world.manager)
    with pytest.raises(NotAllowed, match="You submitted this return"):
        dataset_services.return_accept(actor=world.manager, ret=ret)
    response = as_user(world.manager).post(f"/datasets/returns/{ret.pk}/accept/", follow=True)
    assert "You submitted this return, so someone else must accept it" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == "submitted"
    # The button is not offered either; another reviewer accepts.
    assert "Accept the return" not in as_user(world.manager).get(f"/datasets/returns/{ret.pk}/").content.decode()
    dataset_services.return_accept(actor=world.pci, ret=ret)


def test_training_returns_follow_the_same_rule(world):
    setup_training(world)
    ret = training_services.training_return_start(actor=None, agency=world.agency_b, quarter=world.quarters[0])
    fill(ret, {("Social workers", "Level 3"): (10, 9, "")})
    ret = training_services.training_return_transition(actor=world.manager, ret=ret, action="submit")
    with pytest.raises(NotAllowed, match="You submitted this return"):
        training_services.training_return_transition(actor=world.manager, ret=ret, action="accept")


def test_a_partnership_may_allow_it_and_the_audit_log_says_so(world):
    world.partnership.submitter_may_accept = True
    world.partnership.save()
    ret = _dataset_return_submitted_by(world, world.manager)
    dataset_services.return_accept(actor=world.manager, ret=ret)
    event = AuditEvent.objects.get(action="return.accepted")
    assert "Accepted by the person who submitted it" in event.data["self_accepted"]
    other = _training_submitted(world)
    training_services.training_return_transition(actor=world.pci, ret=other, action="accept")
    assert "self_accepted" not in (AuditEvent.objects.get(action="training_return.accepted").data or {})


# --- Evidence file names over 200 characters ------------------------------------------------------------

def test_a_long_evidence_file_name_keeps_its_extension(world):
    action = make_action(world, agency=world.agency_b)
    name = "Minutes_of_the_multi_agency_audit_" * 9 + ".pdf"
    assert len(name) > 300
    evidence = review_services.evidence_add(actor=world.submitter_b, action=action, evidence_date=dt.date(2025, 2, 1),
                                            upload=SimpleUploadedFile(name, PDF))
    assert evidence.original_name.endswith(".pdf") and len(evidence.original_name) == 200
    assert evidence.original_name[:50] == name[:50]


@pytest.mark.parametrize(("name", "expected"), [
    ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ("short.docx", "short.docx"),
    ("b" * 250, "b" * 200),
    ("c" * 190 + "." + "d" * 40, ("c" * 190 + "." + "d" * 40)[:200]),
])
def test_shorten_file_name(name, expected):
    assert shorten_file_name(name) == expected
