"""Financial years (April to March, written 2019/20) and their quarters (Q1 Apr-Jun ... Q4 Jan-Mar)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# A financial year as people write it: 2023/24 (the portal's own), 2023-24 and 2023 to 2024 (GOV.UK
# style), 2023/2024; a quarter as the year and Q1 either way round: 2023/24-Q1, 2023-24 Q1, Q1 2023/24.
_YEAR = r"\d{4}\s*(?:/|-|\u2013|to)\s*(?:\d{2}|\d{4})"
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*(?:/|-|\u2013|to)\s*(\d{2}|\d{4})\s*$", re.I)
_QUARTER_RE = re.compile(rf"^\s*(?:(?P<year>{_YEAR})\s*[-\u2013\s]\s*Q(?P<number>[1-4])"
                         rf"|Q(?P<number_first>[1-4])\s*[-\u2013\s]?\s*(?P<year_last>{_YEAR}))\s*$", re.I)


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """"2023/24" (also "2023-24", "2023 to 2024", "2023/2024") as the year starting in April
        2023; raise ``ValueError`` saying how to write it otherwise, or when the years do not
        follow each other."""
        match = _YEAR_RE.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a financial year: write it like 2024/25.")
        start = int(match.group(1))
        end = match.group(2)
        end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_full != start + 1:
            raise ValueError(f"{text!r} is not a financial year: the years must follow each other.")
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def quarters(self) -> list[FinancialQuarter]:
        return [FinancialQuarter(self, n) for n in (1, 2, 3, 4)]

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    year: FinancialYear
    number: int

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """"2023/24-Q1" (also "2023/24 Q1", "2023-24 Q1", "Q1 2023/24") as that quarter; raise
        ``ValueError`` saying how to write it otherwise."""
        match = _QUARTER_RE.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a quarter: write it like 2024/25-Q3.")
        year = match.group("year") or match.group("year_last")
        return cls(FinancialYear.parse(year), int(match.group("number") or match.group("number_first")))

    @classmethod
    def containing(cls, day: dt.date) -> FinancialQuarter:
        year = FinancialYear.containing(day)
        return cls(year, ((day.month - 4) % 12) // 3 + 1)

    @property
    def label(self) -> str:
        return f"{self.year.label}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        year = self.year.start_year + (1 if month > 12 else 0)
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next().start
        return nxt - dt.timedelta(days=1)

    @property
    def index(self) -> int:
        """A running number, so quarters can be compared and subtracted."""
        return self.year.start_year * 4 + (self.number - 1)

    def next(self) -> FinancialQuarter:
        if self.number == 4:
            return FinancialQuarter(FinancialYear(self.year.start_year + 1), 1)
        return FinancialQuarter(self.year, self.number + 1)

    def previous(self) -> FinancialQuarter:
        if self.number == 1:
            return FinancialQuarter(self.year.previous(), 4)
        return FinancialQuarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.label
