"""The demo data builds through the services, meets the issue's shape, and is idempotent.

Reads the run's demo (``seed_demo``, seeded once: tests/demo_snapshot.py) and seeds the datasets
part again over it: nothing changes, and the ``Demo`` it returns describes the stored data."""

from __future__ import annotations

import pytest

from datasets import demo as datasets_demo
from datasets.demo_catalogue import CATALOGUE
from datasets.models import Indicator, Return, ReturnValue, Target
from datasets.selectors import quarter_completeness
from partners import demo as partners_demo
from safeguarding.models import AuditEvent
from safeguarding.workflow import ReturnStatus

pytestmark = pytest.mark.django_db


def _counts():
    return (Indicator.objects.count(), Return.objects.count(), ReturnValue.objects.count(),
            ReturnValue.history.count(), AuditEvent.objects.count(), Target.objects.count())


@pytest.fixture(scope="module")
def seeded(demo_seeded):
    """The whole demo, for this module (tests/conftest.py)."""
    return demo_seeded


def test_demo_builds_and_is_idempotent(seeded):
    before = _counts()
    demo = datasets_demo.seed(partners_demo.seed())
    assert _counts() == before
    assert len(CATALOGUE) >= 40 and Indicator.objects.count() == len(CATALOGUE)
    statuses = demo.dataset_summary
    assert statuses.get(ReturnStatus.QUERIED) == 1
    assert statuses.get(ReturnStatus.SUBMITTED, 0) >= 2 and statuses.get(ReturnStatus.DRAFT, 0) >= 2
    # Reds carry narratives.
    assert ReturnValue.objects.exclude(narrative="").filter(ret__status=ReturnStatus.ACCEPTED).exists()
    # One late return, judged from its first submission.
    late = [row for q in demo.dataset_quarters.values() for row in quarter_completeness(q).rows
            if row.timeliness == "late"]
    assert len(late) == 1
    # The current quarter is part-done.
    current = quarter_completeness(demo.dataset_quarters[datasets_demo.CURRENT])
    assert 0 < current.returned < current.expected
    # The training target rose between the years; the history years before them had the first year's.
    targets = {t.year_start: t.target for t in Target.objects.filter(indicator__code="AG-TRN")}
    first, second = datasets_demo.YEARS
    assert targets == {first - datasets_demo.HISTORY_YEARS: 80, first: 80, second: 90}
    # Every series has at least 16 quarters, so SPC limits and icons show (issue 16.2).
    assert len(demo.dataset_quarters) >= 16
