"""Deadlines counted in working days: Monday to Friday, less England and Wales bank holidays.

Statutory and inspection deadlines ("an action plan within 20 working days of receipt of this
report") are counted this way. Day zero is the day of the event itself: one working day after
a Friday is the Monday (or the Tuesday after a bank holiday Monday).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one list; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (before it, for a negative number)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the next working day (a Saturday moves to the
    Monday, or the Tuesday after a bank holiday Monday). The demo schedules its meetings and
    training sessions through this, so none falls on a weekend or bank holiday (issue 16.9)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
