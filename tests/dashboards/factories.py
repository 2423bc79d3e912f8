"""A deterministic dataset straight into the tables: quarters, indicators with targets and
comparators, and accepted returns with values and narratives. Fast enough to vary the numbers of
agencies, indicators and quarters when pinning query counts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from datasets.models import Comparator, Indicator, Quarter, Return, ReturnEvent, ReturnValue, Target
from partners.models import AgencyType
from safeguarding.periods import FinancialQuarter, FinancialYear
from safeguarding.workflow import ReturnStatus

TYPES = [AgencyType.ACUTE_TRUST, AgencyType.LA_CHILDRENS_SOCIAL_CARE, AgencyType.POLICE,
         AgencyType.COMMUNITY_HEALTH, AgencyType.MENTAL_HEALTH_TRUST]


@dataclass
class Dataset:
    quarters: list[Quarter]
    indicators: list[Indicator]

    @property
    def last(self) -> Quarter:
        return self.quarters[-1]


def make_quarters(partnership, count: int, first_year: int = 2023) -> list[Quarter]:
    out = []
    for n in range(count):
        period = FinancialQuarter(FinancialYear(first_year + n // 4), n % 4 + 1)
        out.append(Quarter.objects.create(partnership=partnership, year_start=period.year.start_year,
                                          number=period.number, opens_on=period.end,
                                          due_on=period.end + dt.timedelta(days=30)))
    return out


def make_indicators(partnership, count: int, *, domain: str = "training", first_year: int = 2023,
                    years: int = 2) -> list[Indicator]:
    out = []
    for n in range(count):
        kind = n % 3
        indicator = Indicator.objects.create(
            partnership=partnership, code=f"D-{domain[:3].upper()}-{n:02d}", name=f"Indicator {n} of {domain}",
            domain=domain, unit=("percentage", "count", "days")[kind],
            polarity=("higher", "neutral", "lower")[kind], agency_types=TYPES, order=n,
            numerator_label="Done" if kind == 0 else "", denominator_label="Due" if kind == 0 else "")
        if kind == 0:
            # The target rose in the second year: earlier quarters keep their RAG.
            Target.objects.create(indicator=indicator, year_start=first_year, effective_from=dt.date(first_year, 4, 1),
                                  target=Decimal(80), amber_threshold=Decimal(70))
            Target.objects.create(indicator=indicator, year_start=first_year + 1,
                                  effective_from=dt.date(first_year + 1, 4, 1), target=Decimal(90),
                                  amber_threshold=Decimal(80))
            for year in range(first_year - 1, first_year + years):
                Comparator.objects.create(indicator=indicator, year_start=year, kind="england", value=Decimal("84.5"))
                Comparator.objects.create(indicator=indicator, year_start=year, kind="neighbours", value=Decimal("86"))
        elif kind == 2:
            Target.objects.create(indicator=indicator, year_start=first_year, effective_from=dt.date(first_year, 4, 1),
                                  target=Decimal(20), amber_threshold=Decimal(25))
        out.append(indicator)
    return out


def fill(agencies, quarters, indicators, *, seed: int = 4, status: str = ReturnStatus.ACCEPTED,
         actor=None) -> list[Return]:
    """An accepted return per agency and quarter with a figure for each indicator."""
    rng = random.Random(seed)
    returns = []
    for quarter in quarters:
        for agency in agencies:
            submitted = timezone.make_aware(dt.datetime.combine(quarter.due_on, dt.time(9)))
            if rng.random() < 0.2:
                submitted += dt.timedelta(days=5)
            ret = Return.objects.create(agency=agency, quarter=quarter, status=status,
                                        first_submitted_at=submitted, submitted_at=submitted,
                                        accepted_at=submitted if status == ReturnStatus.ACCEPTED else None)
            ReturnEvent.objects.create(ret=ret, actor=actor, action="submit", from_status="draft",
                                       to_status="submitted")
            returns.append(ret)
    values = []
    for ret in returns:
        for indicator in indicators:
            narrative = ""
            if indicator.unit == "percentage":
                den = Decimal(rng.randint(50, 200))
                num = (den * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal(1))
                value = (num / den * 100).quantize(Decimal("0.0001"))
                if value < 80:
                    narrative = f"Below target because of staffing gaps in {ret.agency.name}."
                values.append(ReturnValue(ret=ret, indicator=indicator, value=value, numerator=num, denominator=den,
                                          narrative=narrative, value_computed=True))
            else:
                value = Decimal(rng.randint(5, 40))
                values.append(ReturnValue(ret=ret, indicator=indicator, value=value))
    ReturnValue.objects.bulk_create(values)
    return returns


def make_dataset(partnership, agencies, *, indicators: int = 3, quarters: int = 8, domain: str = "training",
                 seed: int = 4) -> Dataset:
    qs = make_quarters(partnership, quarters)
    inds = make_indicators(partnership, indicators, domain=domain, years=(quarters + 3) // 4)
    fill(agencies, qs, inds, seed=seed)
    return Dataset(quarters=qs, indicators=inds)
