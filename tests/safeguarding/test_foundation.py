import secrets
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from safeguarding.models import AuditEvent
from safeguarding.periods import FinancialQuarter, FinancialYear

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database_and_the_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["queue"]["ok"] is True


def test_healthz_reports_a_dead_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.create(action="test.done", actor_label="x")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgres_refuses_raw_updates_to_the_audit_log(world):
    event = AuditEvent.objects.create(action="test.done", actor_label="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE safeguarding_auditevent SET action='x' WHERE id=%s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM safeguarding_auditevent WHERE id=%s", [event.pk])


def test_audit_log_page_filters(world, as_user):
    from partners import services
    from partners.models import AgencyType

    services.agency_create(actor=world.manager, partnership=world.partnership, name="<script>x</script>",
                           agency_type=AgencyType.OTHER)
    client = as_user(world.manager)
    response = client.get(reverse("audit_log"), {"action": "agency.created"})
    body = response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x</script>" not in body
    response = client.get(reverse("audit_log"), {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert "The end date must be on or after the start date" in response.content.decode()


def test_login_wrong_password_and_unknown_email_say_the_same(world, client):
    url = reverse("login")
    wrong = client.post(url, {"username": world.pci.email, "password": "nope"}).content.decode()
    unknown = client.post(url, {"username": "nobody@example.org", "password": "nope"}).content.decode()
    assert "Enter a correct email address and password" in wrong
    assert "Enter a correct email address and password" in unknown


def test_login_is_case_insensitive_on_email(world, client):
    response = client.post(reverse("login"), {"username": world.pci.email.upper(),
                                              "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_lockout_after_repeated_failures_even_with_the_right_password(world, client, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": world.pci.email, "password": "wrong"})
    response = client.post(url, {"username": world.pci.email.upper(), "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    # Another person is not locked out by it.
    assert client.post(url, {"username": world.manager.email, "password": "correct-horse-battery"}).status_code == 302


def test_missing_csrf_token_gets_a_clear_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": world.pci.email, "password": "x"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()


def test_idle_session_expires_and_is_renewed_by_activity(world, as_user, settings):
    client = as_user(world.pci)
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.get("/")
    session = client.session
    assert 29 * 60 < session.get_expiry_age() <= 30 * 60
    session.set_expiry(-1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert "signed out after a period without activity" in client.get(response["Location"]).content.decode()


def test_pages_send_a_strict_content_security_policy(world, as_user):
    response = as_user(world.pci).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_404_and_403_pages_are_in_the_service_style(world, as_user):
    client = as_user(world.submitter_a)
    missing = client.get("/agencies/no-such-agency/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    forbidden = client.get(reverse("partners:people_list"))
    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.content.decode()


def test_500_page_renders_without_a_request_context():
    from safeguarding.views.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deploy check must not see it.
DROPPED_ENV = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _production_check(env: dict) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        | {"DJANGO_SETTINGS_MODULE": "safeguarding.settings.production"} | env,
        capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_check({"ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_check_deploy_is_clean():
    result = _production_check({"ALLOWED_HOSTS": "portal.example.org", "SECRET_KEY": secrets.token_urlsafe(50)})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_headers(monkeypatch):
    from importlib import import_module, reload

    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.org")
    production = reload(import_module("safeguarding.settings.production"))
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_SSL_REDIRECT


def test_financial_periods():
    year = FinancialYear.parse("2019/20")
    assert (year.start.isoformat(), year.end.isoformat()) == ("2019-04-01", "2020-03-31")
    q3 = FinancialQuarter.parse("2024/25-Q3")
    assert (q3.start.isoformat(), q3.end.isoformat()) == ("2024-10-01", "2024-12-31")
    q4 = FinancialQuarter.parse("2024/25 Q4")
    assert (q4.start.isoformat(), q4.end.isoformat()) == ("2025-01-01", "2025-03-31")
    assert q4.next().label == "2025/26-Q1" and q4.previous().previous().label == "2024/25-Q2"
    assert FinancialQuarter.containing(__import__("datetime").date(2025, 2, 14)) == q4
    for bad in ("2019/21", "2019", "19/20", "2024/25-Q5", "2019-21", "Apr-Jun 2024", "Q5 2024/25"):
        with pytest.raises(ValueError):
            FinancialQuarter.parse(bad) if "Q" in bad or "Jun" in bad else FinancialYear.parse(bad)


@pytest.mark.parametrize(("typed", "year"), [("2024/25-Q3", "2024/25"), ("Q3 2024/25", "2024/25"),
                                             ("2024-25 Q3", "2024-25"), ("Q3 2024-25", "2024-25"),
                                             ("2024 to 2025 Q3", "2024 to 2025"), ("2024/2025-Q3", "2024/2025"),
                                             ("q3\u00a02024/25", "2024\u201325")])
def test_quarters_and_years_as_reports_and_spreadsheets_write_them(typed, year):
    """"Q3 2024/25" (as board papers head a column) and GOV.UK's "2024-25" were refused by every
    upload and form that reads a quarter or a year; each is the quarter or year it plainly names."""
    assert FinancialQuarter.parse(typed).label == "2024/25-Q3"
    assert FinancialYear.parse(year).label == "2024/25"


def test_a_database_outage_answers_503_with_a_clear_page(world, as_user, monkeypatch):
    from django.db import OperationalError

    from partners import views

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "agency_list", broken)
    client = as_user(world.pci)
    client.raise_request_exception = False
    response = client.get(reverse("partners:agency_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach its database" in response.content.decode()


def test_a_session_lost_to_a_database_outage_is_a_503_not_a_400(rf, world):
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.db import OperationalError

    from safeguarding.views.errors import bad_request

    try:
        try:
            try:
                raise OperationalError("server closed the connection unexpectedly")
            except OperationalError:
                raise UpdateError
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted before the request completed.")
    except SessionInterrupted as exc:
        response = bad_request(rf.get("/"), exc)
    assert response.status_code == 503
    assert bad_request(rf.get("/"), SessionInterrupted("gone")).status_code == 400
