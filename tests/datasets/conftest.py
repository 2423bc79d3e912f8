"""A small catalogue, two quarters and helpers shared by the datasets tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from datasets import services
from datasets.models import Indicator, Quarter
from partners.models import AgencyType

ACUTE = AgencyType.ACUTE_TRUST
LA = AgencyType.LA_CHILDRENS_SOCIAL_CARE


@dataclass
class Cat:
    training: Indicator  # percentage, higher is better, target 90 / amber 80 (health)
    referrals: Indicator  # count, neutral (health)
    wait: Indicator  # days, lower is better, optional (health)
    cpp: Indicator  # count with a breakdown (local authority)
    cpp_rate: Indicator  # rate per 10,000 (local authority)
    previous: Quarter  # 2024/25-Q3
    quarter: Quarter  # 2024/25-Q4


def make_catalogue(world, *, extra: int = 0) -> Cat:
    m, p = world.manager, world.partnership
    training = services.indicator_create(
        actor=m, partnership=p, code="H-TRN-L3", name="Level 3 safeguarding training compliance",
        domain="training", unit="percentage", polarity="higher", agency_types=[ACUTE],
        numerator_label="Staff trained to level 3", denominator_label="Staff who need level 3")
    services.target_set(actor=m, indicator=training, year=2024, target="90%", amber_threshold="80")
    referrals = services.indicator_create(
        actor=m, partnership=p, code="H-REF", name="Referrals to children's social care", domain="health",
        unit="count", polarity="neutral", agency_types=[ACUTE])
    wait = services.indicator_create(
        actor=m, partnership=p, code="H-WAIT", name="Average days to initial health assessment",
        domain="looked_after", unit="days", polarity="lower", agency_types=[ACUTE], required=False)
    cpp = services.indicator_create(
        actor=m, partnership=p, code="LA-CPP", name="Children on a child protection plan",
        domain="child_protection", unit="count", polarity="neutral", agency_types=[LA],
        breakdown_label="Category of abuse", parts=["Neglect", "Emotional", "Physical", "Sexual", "Multiple"])
    cpp_rate = services.indicator_create(
        actor=m, partnership=p, code="LA-CPP-RATE", name="Child protection plan rate per 10,000",
        domain="child_protection", unit="rate_10k", polarity="lower", agency_types=[LA],
        numerator_label="Children on a plan", denominator_label="Child population")
    for n in range(extra):
        services.indicator_create(actor=m, partnership=p, code=f"X-{n}", name=f"Extra {n}", domain="health",
                                  unit="count", polarity="higher", agency_types=[ACUTE, LA], required=False)
    previous = services.quarter_create(actor=m, partnership=p, period="2024/25-Q3")
    quarter = services.quarter_create(actor=m, partnership=p, period="2024/25-Q4",
                                      due_on=dt.date(2025, 4, 30))
    return Cat(training, referrals, wait, cpp, cpp_rate, previous, quarter)


@pytest.fixture
def cat(world) -> Cat:
    return make_catalogue(world)


def entries_for(ret, **by_code):
    """``entries_for(ret, H_REF={"value": "3"})`` -> the services' entries keyed by ids."""
    from datasets.selectors import catalogue_load

    catalogue = catalogue_load(ret.agency.partnership_id)
    out = {}
    for code, raw in by_code.items():
        code = code.replace("_", "-")
        part_code = None
        if "/" in code:
            code, part_code = code.split("/")
        indicator = catalogue.by_code[code]
        part_id = catalogue.parts_by_code[(indicator.pk, part_code.upper())].pk if part_code else None
        out[(indicator.pk, part_id)] = raw
    return out
