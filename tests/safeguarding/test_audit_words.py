"""The audit log in words (issue 16.6): one describer per action code, in one place, and filters
by person, object and date; the page's query count does not grow with the log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from safeguarding.audit import audit_record
from safeguarding.audit_words import DESCRIBERS, describe

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _codes_in_source() -> set[str]:
    """Every literal action code passed to audit_record, and the workflow's "<name>.<verb>"."""
    codes = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
    from safeguarding.workflow import RULES

    for name in ("return", "training_return"):
        codes |= {f"{name}.{rule.verb}" for rule in RULES.values()}
    return codes


def test_every_action_code_has_a_describer():
    missing = sorted(_codes_in_source() - set(DESCRIBERS))
    assert not missing, f"action codes with no words in safeguarding/audit_words.py: {missing}"


def test_an_assured_action_reads_as_a_sentence(world):
    from tests.reviews.conftest import make_action

    action = make_action(world, agency=world.agency_b)
    event = audit_record(actor=world.pci, action="action.assured", obj=action)
    [row] = describe([event])
    review = action.recommendation.review.title
    assert row.sentence == (f"{world.pci.full_name} assured action {action.pk} of review {review} "
                            f"(recommendation {action.recommendation.number})")


def test_audit_page_in_words_with_filters(world, as_user, django_assert_max_num_queries):
    from partners import services

    services.agency_create(actor=world.manager, partnership=world.partnership, name="Testshire Youth Service",
                           agency_type="other")
    audit_record(actor=world.pci, action="quarter.closed", partnership=world.partnership)
    client = as_user(world.manager)
    page = client.get(reverse("audit_log")).content.decode()
    assert f"{world.manager.full_name} added the agency Testshire Youth Service." in page
    by_person = client.get(reverse("audit_log"), {"person": world.pci.pk}).content.decode()
    assert "added the agency Testshire Youth Service" not in by_person and world.pci.full_name in by_person
    by_name = client.get(reverse("audit_log"), {"q": "Youth"}).content.decode()
    assert "1 event" in by_name
    assert "Agency" in page and "Added the agency … (agency.created)" in page  # the filters read in words
    for _n in range(60):
        audit_record(actor=world.manager, action="agency.updated", partnership=world.partnership)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit_log"), {"page": 2}).status_code == 200
