"""The demo data: the inspection's 36 recommendations, actions in every state, idempotent.

Reads the run's demo (``seed_demo``, seeded once: tests/demo_snapshot.py) and seeds the reviews
part again over it: nothing changes."""

import pytest

from partners import demo as partners_demo
from reviews import demo as reviews_demo
from reviews.demo import INSPECTION_TITLE
from reviews.models import Action, ActionStatus, Challenge, ChallengeStatus, Evidence, Recommendation, Review

pytestmark = pytest.mark.django_db


def _counts():
    return (Review.objects.count(), Recommendation.objects.count(), Action.objects.count(),
            Evidence.objects.count(), Challenge.objects.count())


@pytest.fixture(scope="module")
def seeded(demo_seeded):
    """The whole demo, for this module (tests/conftest.py)."""
    return demo_seeded


def test_seed_demo_builds_reviews_once(seeded):
    first = _counts()
    inspection = Review.objects.get(title=INSPECTION_TITLE)
    numbers = list(inspection.recommendations.values_list("number", flat=True))
    assert len(numbers) == 36 and numbers[0] == "1.1" and numbers[-1] == "9.3" and "5.11" in numbers
    rec_7_1 = inspection.recommendations.get(number="7.1")
    assert {a.agency_type for a in rec_7_1.addressees.all()} == {"mental_health_trust", "acute_trust"}
    assert {s for s, _ in ActionStatus.choices} == set(Action.objects.values_list("status", flat=True))
    assert Action.objects.filter(status="assured").exclude(no_evidence_reason="").exists()
    assert set(Review.objects.values_list("title", flat=True)) >= {"Child K", "Hannah",
                                                                     "FGM multi-agency audit (11 cases)"}
    assert {s for s, _ in ChallengeStatus.choices} == set(Challenge.objects.values_list("status", flat=True))
    assert Action.objects.filter(challenge__isnull=False).exists()
    reviews_demo.seed(partners_demo.seed())
    assert _counts() == first
