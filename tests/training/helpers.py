"""Training test data: levels, GP-like staff groups for agency A's type, a 90% target, quarters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from datasets.models import Quarter
from partners.models import AgencyType
from safeguarding.periods import FinancialYear
from training import services
from training.models import Level, StaffGroup

YEAR = 2024  # 2024/25: every quarter is in the past


def quarter(partnership, year_start: int, number: int) -> Quarter:
    period = FinancialYear(year_start).quarters()[number - 1]
    q, _ = Quarter.objects.get_or_create(
        partnership=partnership, year_start=year_start, number=number,
        defaults={"opens_on": period.end + dt.timedelta(days=1), "due_on": period.end + dt.timedelta(days=30)})
    return q


def setup_training(world):
    """Idempotent: the same objects on the world every call."""
    if getattr(world, "levels", None):
        return world
    p = world.partnership
    world.levels = {n: services.level_create(actor=None, partnership=p, name=f"Level {n}", order=n) for n in (1, 2, 3)}
    world.levels["board"] = services.level_create(actor=None, partnership=p, name="Board level", order=9)
    health_types = [AgencyType.ACUTE_TRUST, AgencyType.PRIMARY_CARE]
    world.gps = services.staff_group_create(actor=None, partnership=p, name="GPs", agency_types=health_types,
                                            levels=[world.levels[3]], order=1)
    world.nurses = services.staff_group_create(actor=None, partnership=p, name="Practice nurses",
                                               agency_types=health_types, levels=[world.levels[2], world.levels[3]],
                                               order=2)
    world.social_workers = services.staff_group_create(
        actor=None, partnership=p, name="Social workers", agency_types=[AgencyType.LA_CHILDRENS_SOCIAL_CARE],
        levels=[world.levels[3]], order=3)
    services.target_create(actor=None, partnership=p, year_start=YEAR - 1, target=Decimal(80),
                           amber_threshold=Decimal(70))
    services.target_create(actor=None, partnership=p, year_start=YEAR, target=Decimal(90),
                           amber_threshold=Decimal(80))
    world.quarters = [quarter(p, YEAR, n) for n in (1, 2, 3, 4)]
    return world


def fill(ret, figures: dict[tuple[str, str], tuple[int, int, str]], actor=None):
    """Set a return's lines directly through the service: {(group, level): (eligible, trained, narrative)}."""
    lines = {(f.staff_group.name, f.level.name): f for f in ret.figures.select_related("staff_group", "level")}
    data = {lines[key].pk: services.returns.FigureInput(eligible=e, trained=t, narrative=n)
            for key, (e, t, n) in figures.items()}
    services.training_return_save(actor=actor, ret=ret, version=None, figures=data)
    ret.refresh_from_db()
    return ret


def all_levels() -> list[Level]:
    return list(Level.objects.all())


def all_groups() -> list[StaffGroup]:
    return list(StaffGroup.objects.all())
