"""Completeness and timeliness: which agencies returned for a quarter, and on time or late.

Judged from the first submission timestamp against the quarter's due date (a query answered
later is not lateness), never from anyone ticking a box. Fixed queries whatever the number of
agencies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from partners.lifecycle import expected_in, is_active_during
from partners.models import HEALTH_AGENCY_TYPES, Agency
from safeguarding.workflow import ReturnStatus

from ..models import Indicator, Quarter, Return


@dataclass
class CompletenessRow:
    agency: Agency
    ret: Return | None
    status: str  # a ReturnStatus value, or "not_started"
    status_label: str
    submitted_at: dt.datetime | None
    # "on_time", "late", "overdue" (due date passed, nothing submitted), "not_due", or "historical"
    # (past years loaded from old spreadsheets: never judged for timeliness, issues 12.8 and 15.4)
    timeliness: str

    @property
    def returned(self) -> bool:
        return self.submitted_at is not None or self.timeliness == "historical"

    @property
    def on_time(self) -> bool:
        return self.timeliness == "on_time"

    @property
    def timeliness_label(self) -> str:
        return {"on_time": "On time", "late": "Late", "overdue": "Overdue", "not_due": "Not yet due",
                "historical": "Historical"}[self.timeliness]


@dataclass
class Completeness:
    """One quarter: a row per agency expected to return, and the rates (percent, 1 place)."""

    quarter: Quarter
    rows: list[CompletenessRow] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def returned(self) -> int:
        return sum(1 for r in self.rows if r.returned)

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.timeliness in ("late", "overdue"))

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r.status == ReturnStatus.ACCEPTED)

    @staticmethod
    def _rate(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reporting_rate(self) -> Decimal | None:
        """Share of expected agencies that have submitted (any status after draft)."""
        return self._rate(self.returned, self.expected)

    @property
    def historical(self) -> int:
        return sum(1 for r in self.rows if r.timeliness == "historical")

    @property
    def on_time_rate(self) -> Decimal | None:
        """Share of expected agencies whose first submission was on or before the due date, out of
        those judged for timeliness (historical returns never are); ``None`` when none is."""
        return self._rate(self.on_time, self.expected - self.historical)


def timeliness_of(first_submitted_at: dt.datetime | None, due_on: dt.date, today: dt.date) -> str:
    """On time if first submitted on or before the due date (local time), late if after;
    with nothing submitted, overdue once the due date has passed, otherwise not yet due."""
    if first_submitted_at is not None:
        day = timezone.localtime(first_submitted_at).date()
        return "on_time" if day <= due_on else "late"
    return "overdue" if today > due_on else "not_due"


def _reporting_types(partnership_id: int, quarters: list[Quarter]) -> dict[int, set[str]]:
    """``{quarter_id: agency types that report at least one indicator active in it}`` (1 query)."""
    rows = list(Indicator.objects.filter(partnership_id=partnership_id)
                .values_list("agency_types", "active_from", "active_to"))
    out = {}
    for quarter in quarters:
        start, end = quarter.starts_on, quarter.ends_on
        types: set[str] = set()
        for agency_types, active_from, active_to in rows:
            if (active_from is None or active_from <= end) and (active_to is None or active_to >= start):
                types.update(agency_types or [])
        out[quarter.pk] = types
    return out


def completeness_for(quarters: list[Quarter], *, health_only: bool = False,
                     today: dt.date | None = None, agencies=None) -> list[Completeness]:
    """Completeness of several quarters of one partnership (3 queries in all: indicators,
    agencies, returns). ``health_only`` limits it to the health economy (the designated
    nurse's view); ``agencies`` (a queryset) to some agencies."""
    if not quarters:
        return []
    today = today or timezone.localdate()
    partnership_id = quarters[0].partnership_id
    types = _reporting_types(partnership_id, quarters)
    agencies = (agencies if agencies is not None else Agency.objects).filter(
        partnership_id=partnership_id).order_by("name")
    if health_only:
        agencies = agencies.filter(agency_type__in=HEALTH_AGENCY_TYPES)
    agencies = list(agencies)
    returns = {(r.agency_id, r.quarter_id): r for r in Return.objects.filter(
        quarter__in=quarters, agency__in=[a.pk for a in agencies])}
    labels = dict(ReturnStatus.choices)
    out = []
    for quarter in quarters:
        result = Completeness(quarter=quarter)
        for agency in agencies:
            ret = returns.get((agency.pk, quarter.pk))
            # The agency's life decides (partners.lifecycle, issue 12.6): outside its active dates
            # it is never counted, even with a return; with no "active from" date it is expected
            # from the quarter it was added, or where it has a return.
            if not is_active_during(agency, quarter.starts_on, quarter.ends_on):
                continue
            expected = agency.agency_type in types[quarter.pk] and expected_in(
                agency, quarter.starts_on, quarter.ends_on, has_return=ret is not None)
            if not expected and ret is None:
                continue
            status = ret.status if ret else "not_started"
            submitted = ret.first_submitted_at if ret else None
            timeliness = "historical" if ret is not None and ret.historical else \
                timeliness_of(submitted, quarter.due_on, today)
            result.rows.append(CompletenessRow(
                agency=agency, ret=ret, status=status, status_label=labels.get(status, "Not started"),
                submitted_at=submitted, timeliness=timeliness))
        out.append(result)
    return out


def quarter_completeness(quarter: Quarter, *, health_only: bool = False,
                         today: dt.date | None = None) -> Completeness:
    """Completeness and timeliness of one quarter (3 queries)."""
    return completeness_for([quarter], health_only=health_only, today=today)[0]


def latest_open_quarters(partnership_id: int, *, today: dt.date | None = None, limit: int = 1) -> list[Quarter]:
    """The most recent quarters already open for returns (1 query)."""
    today = today or timezone.localdate()
    return list(Quarter.objects.filter(partnership_id=partnership_id, opens_on__lte=today)
                .order_by("-year_start", "-number")[:limit])


def outstanding_health_returns(partnership_id: int, *, today: dt.date | None = None) -> list[CompletenessRow]:
    """Health agencies with nothing submitted for an open, unclosed quarter (4 queries)."""
    today = today or timezone.localdate()
    quarters = list(Quarter.objects.filter(partnership_id=partnership_id, opens_on__lte=today,
                                           closed_at__isnull=True).order_by("year_start", "number"))
    rows = []
    for result in completeness_for(quarters, health_only=True, today=today):
        for row in result.rows:
            if not row.returned or row.status == ReturnStatus.QUERIED:
                row.quarter = result.quarter
                rows.append(row)
    return rows


__all__ = ["Completeness", "CompletenessRow", "completeness_for", "latest_open_quarters",
           "outstanding_health_returns", "quarter_completeness", "timeliness_of"]
