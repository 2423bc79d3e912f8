"""Twenty submitters at once against a running server on PostgreSQL.

Each opens, fills and submits their agency's return over real HTTP; two of them work on the same
return at the same moment. No update is lost, no return is duplicated, the person whose save
lost the race is told so, and the stored figures are exactly what the winners sent.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection

from datasets import services as dataset_services
from datasets.models import Indicator, Return, ReturnValue
from partners.models import AgencyType, Role
from safeguarding.periods import FinancialQuarter
from safeguarding.workflow import ReturnStatus
from tests.bench.portal_server import Session
from tests.conftest import PASSWORD
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")]

AGENCIES = 19
INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
STALE = "Someone else changed this return"


def _form_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.finditer(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag.group(0))
        if not name or 'type="submit"' in tag.group(0):
            continue
        value = VALUE.search(tag.group(0))
        fields[name.group(1)] = value.group(1) if value else ""
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[area.group(1)] = area.group(2).strip()
    return fields


@pytest.fixture
def crowd(world):
    period = FinancialQuarter.containing(dt.date.today()).previous()
    quarter = dataset_services.quarter_create(actor=world.manager, partnership=world.partnership, period=period,
                                              due_days=400)
    for code, unit, labels in (("CC-1", "count", ("", "")), ("CC-2", "percentage", ("Done", "All")),
                               ("CC-3", "count", ("", ""))):
        dataset_services.indicator_create(
            actor=world.manager, partnership=world.partnership, code=code, name=f"Concurrency {code}",
            domain="child_protection", unit=unit, agency_types=[AgencyType.LA_CHILDRENS_SOCIAL_CARE],
            numerator_label=labels[0], denominator_label=labels[1])
    agencies = [AgencyFactory(partnership=world.partnership, agency_type=AgencyType.LA_CHILDRENS_SOCIAL_CARE,
                              name=f"Borough {i}", slug=f"borough-{i}") for i in range(AGENCIES)]
    people = [UserFactory(email=f"submitter{i}@borough.example", partnership=world.partnership,
                          role=Role.AGENCY_SUBMITTER, agencies=[agencies[i % AGENCIES]]) for i in range(AGENCIES + 1)]
    return quarter, agencies, people


def test_twenty_submitters_at_once(crowd, live_server):
    quarter, agencies, people = crowd
    port = int(live_server.url.rsplit(":", 1)[1])
    indicators = list(Indicator.objects.filter(code__startswith="CC-").order_by("code"))
    loaded = threading.Barrier(len(people), timeout=120)
    outcome: dict[int, dict] = {}

    def submitter(i: int) -> None:
        person, agency = people[i], agencies[i % AGENCIES]
        session = Session(port, timeout=60)
        result = outcome.setdefault(i, {"errors": []})
        try:
            assert session.sign_in(person.email, PASSWORD), "sign-in failed"
            status, _, location = session.post(f"/datasets/returns/start/{quarter.pk}/{agency.slug}/", {},
                                               referer_path="/datasets/returns/")
            assert status == 302, f"start answered {status}"
            edit_path = location.replace(live_server.url, "")
            result["edit_path"] = edit_path
            _, page = session.get(edit_path)
            fields = _form_fields(page)
            loaded.wait()  # everyone holds a loaded form before anyone saves
            sent = {}
            for n, indicator in enumerate(indicators):
                if indicator.unit == "percentage":
                    num, den = 10 + i, 40 + n
                    fields[f"i{indicator.pk}-numerator"], fields[f"i{indicator.pk}-denominator"] = str(num), str(den)
                    sent[indicator.code] = (Decimal(num), Decimal(den))
                else:
                    value = 1000 * (i + 1) + n
                    fields[f"i{indicator.pk}-value"] = f"{value:,}"
                    sent[indicator.code] = Decimal(value)
            status, body, location = session._request("POST", edit_path, _encode(fields), _headers(edit_path))
            result["save_status"], result["stale"] = status, STALE in body
            # The winner submitted between this form's check and its save: the form comes back
            # with the service's refusal ("This return is submitted, so its figures cannot be changed").
            result["told"] = status == 200 and "its figures cannot be changed" in body
            # Saved: back to the form. Lost the race to a submission: sent to the return's page.
            result["saved"] = status == 302 and (location or "").endswith("/edit/")
            if status == 302 and not result["saved"]:
                _, page = session.get(location.replace(live_server.url, ""))
                result["told"] = "its figures cannot be changed" in page
            result["sent"] = sent
            if result["saved"]:
                status, body, _ = session.post(edit_path.replace("/edit/", "/check/"), {"comment": f"from {i}"})
                result["submit_status"] = status
        except Exception as exc:  # collected and asserted below, with the client's number
            result["errors"].append(repr(exc))

    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)

    assert not [r["errors"] for r in outcome.values() if r["errors"]], outcome
    # One return per agency, however many people opened it at once.
    assert Return.objects.filter(quarter=quarter).count() == AGENCIES
    # On the shared return exactly one save won; the other was told why (the form had gone stale,
    # or the winner had already submitted), and saved nothing.
    shared = [outcome[0], outcome[AGENCIES]]
    assert sorted(r["saved"] for r in shared) == [False, True], shared
    loser = next(r for r in shared if not r["saved"])
    assert loser["stale"] or loser.get("told"), loser
    winners = {i: r for i, r in outcome.items() if r["saved"]}
    assert len(winners) == AGENCIES
    for i, result in winners.items():
        ret = Return.objects.get(quarter=quarter, agency=agencies[i % AGENCIES])
        assert ret.status == ReturnStatus.SUBMITTED, (i, ret.status)
        stored = {v.indicator.code: v for v in ReturnValue.objects.filter(ret=ret).select_related("indicator")}
        for code, sent in result["sent"].items():
            if isinstance(sent, tuple):
                assert (stored[code].numerator, stored[code].denominator) == sent
            else:
                assert stored[code].value == sent, (i, code)
        assert ret.events.filter(action="submit").count() == 1


def _encode(fields: dict) -> bytes:
    import urllib.parse

    return urllib.parse.urlencode(fields).encode()


def _headers(path: str) -> dict:
    return {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1{path}"}
