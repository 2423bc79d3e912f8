"""The multi-agency programme: attendance by agency, courses, fill and no-show rates, evaluations.

Attendance comes from two sources, named bookings and per-agency counts; every figure here adds
them together. Definitions used throughout (and in the annual report):
- attended: bookings marked attended plus counted attendees;
- fill rate: attended / places offered on the sessions;
- no-show rate: no-shows / (attended + no-shows + late cancellations), i.e. of everyone booked;
- response rate: immediate evaluation answers / attended; follow-up survey answers / the people
  invited to it (stored on each session), counting only sessions where that number is recorded;
- no-show charges: (no-shows + late cancellations) x the course's no-show charge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from partners.models import Agency
from safeguarding.periods import FinancialYear

from ..models import (
    AgencyAttendance,
    Audience,
    Booking,
    BookingStatus,
    Course,
    CourseFormat,
    EvaluationStage,
    EvaluationTally,
    Impact,
    Rating,
    Session,
)


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def share_total(shares) -> Decimal | None:
    """The total of a column of shares (percentages, 0–100, one decimal), added up from the rows
    as printed, for a table's total row: issue 15.2 wants totals computed, never typed. Each
    share is rounded to 0.1, so the total can read 99.9 or 100.1. ``None`` when no row has a share
    (nothing to add up: the formatter prints "–")."""
    given = [s for s in shares if s is not None]
    return sum(given, Decimal("0")) if given else None


@dataclass
class Tally:
    attended: int = 0
    no_shows: int = 0
    late_cancellations: int = 0
    charges: Decimal = Decimal("0")

    @property
    def booked(self) -> int:
        return self.attended + self.no_shows + self.late_cancellations

    @property
    def no_show_rate(self) -> Decimal | None:
        return _pct(self.no_shows, self.booked)


def _year_filter(prefix: str, year_start: int | None) -> Q:
    if year_start is None:
        return Q()
    year = FinancialYear(year_start)
    return Q(**{f"{prefix}starts_on__gte": year.start, f"{prefix}starts_on__lte": year.end})


def _tallies(partnership_id: int, year_start: int | None, key: str) -> dict:
    """Attendance tallied by ``key``: 'agency' (member agencies only, by id), 'audience' (by
    (audience, agency id): sectors have agency id None) or 'course' (by id). Two grouped queries."""
    out: dict = defaultdict(Tally)
    groups = {"agency": ("agency_id",), "audience": ("audience", "agency_id"),
              "course": ("session__course_id",)}[key]
    members = Q(agency__isnull=False) if key == "agency" else Q()

    def key_of(row):
        return tuple(row[g] for g in groups) if len(groups) > 1 else row[groups[0]]

    bookings = (Booking.objects.filter(session__course__partnership_id=partnership_id).filter(members)
                .filter(_year_filter("session__", year_start))
                .values(*groups, "status", "session__course__no_show_charge").annotate(n=Count("id")))
    for b in bookings:
        tally = out[key_of(b)]
        if b["status"] == BookingStatus.ATTENDED:
            tally.attended += b["n"]
        else:
            if b["status"] == BookingStatus.NO_SHOW:
                tally.no_shows += b["n"]
            else:
                tally.late_cancellations += b["n"]
            tally.charges += b["n"] * b["session__course__no_show_charge"]
    counts = (AgencyAttendance.objects.filter(session__course__partnership_id=partnership_id).filter(members)
              .filter(_year_filter("session__", year_start))
              .values(*groups).annotate(
                  n_attended=Sum("attended"), n_no_shows=Sum("no_shows"), n_late=Sum("late_cancellations"),
                  charges=Sum((F("no_shows") + F("late_cancellations")) * F("session__course__no_show_charge"))))
    for c in counts:
        tally = out[key_of(c)]
        tally.attended += c["n_attended"] or 0
        tally.no_shows += c["n_no_shows"] or 0
        tally.late_cancellations += c["n_late"] or 0
        tally.charges += c["charges"] or 0
    return out


@dataclass
class AgencyAttendanceRow:
    """One row of attendance: ``agency`` is the agency's name or, for a sector, the sector's
    label ("Foster carers"); ``audience`` is the Audience value ("agency" for a member agency)."""

    agency: str
    tally: Tally
    share: Decimal | None = None
    audience: str = Audience.AGENCY

    @property
    def is_sector(self) -> bool:
        return self.audience != Audience.AGENCY


def programme_attendance_by_audience(*, partnership_id: int,
                                     year_start: int | None = None) -> list[AgencyAttendanceRow]:
    """For the annual report and the programme page (issue 12.5): attendance at the multi-agency
    programme by audience in a financial year (all years when ``year_start`` is None): each
    member agency, and each sector that is not a member (early years settings, schools and
    colleges, foster carers, private/voluntary/independent providers, other), largest first.

    Rows as ``programme_attendance_by_agency``'s, with ``audience`` (an ``Audience`` value) and
    ``is_sector``; ``agency`` holds the agency's name or the sector's label; ``share`` is the
    percentage (0–100, one decimal) of all attendees, sectors included. Three queries."""
    tallies = _tallies(partnership_id, year_start, "audience")
    names = dict(Agency.objects.filter(pk__in=[aid for _, aid in tallies if aid]).values_list("pk", "name"))
    total = sum(t.attended for t in tallies.values())
    rows = [AgencyAttendanceRow(names.get(aid, "?") if aid else Audience(audience).label, t,
                                _pct(t.attended, total), audience)
            for (audience, aid), t in tallies.items()]
    return sorted(rows, key=lambda r: (-r.tally.attended, r.agency))


def programme_attendance_by_agency(*, partnership_id: int, year_start: int | None = None) -> list[AgencyAttendanceRow]:
    """Attendance at the multi-agency programme by member agency only (sectors left out: see
    ``programme_attendance_by_audience``) in a financial year (all years when ``year_start`` is
    None), largest first. Each row has ``agency``, ``tally`` (attended, no_shows,
    late_cancellations, booked, no_show_rate, charges for no-shows and late cancellations) and
    ``share`` (% of the member agencies' attendees). Three queries."""
    tallies = _tallies(partnership_id, year_start, "agency")
    names = dict(Agency.objects.filter(pk__in=list(tallies)).values_list("pk", "name"))
    total = sum(t.attended for t in tallies.values())
    rows = [AgencyAttendanceRow(names.get(aid, "?"), t, _pct(t.attended, total)) for aid, t in tallies.items()]
    return sorted(rows, key=lambda r: (-r.tally.attended, r.agency))


@dataclass
class Evaluation:
    """Answers at one stage: ``counts`` per answer (in scale order), percentages, response rate."""

    stage: str
    label: str
    scale: list[tuple[str, str]]
    counts: dict[str, int] = field(default_factory=dict)
    attended: int = 0
    # Follow-up only: people invited (sessions with the number recorded) and their answers.
    invited: int | None = None
    invited_responses: int = 0

    @property
    def responses(self) -> int:
        return sum(self.counts.values())

    @property
    def response_rate(self) -> Decimal | None:
        """Immediate: answers out of those who attended. Follow-up: answers out of those invited
        (None when no session recorded how many were invited). A percentage, 0-100."""
        if self.stage == EvaluationStage.FOLLOW_UP:
            return _pct(self.invited_responses, self.invited) if self.invited else None
        return _pct(self.responses, self.attended)

    @property
    def rate_base(self) -> str:
        return "invited" if self.stage == EvaluationStage.FOLLOW_UP else "attendees"

    @property
    def rows(self) -> list[tuple[str, int, Decimal | None]]:
        return [(label, self.counts.get(value, 0), _pct(self.counts.get(value, 0), self.responses))
                for value, label in self.scale]

    @property
    def share_total(self) -> Decimal | None:
        """The "Share of answers" column added up from ``rows`` (0–100; None with no answers)."""
        return share_total(share for _, _, share in self.rows)

    @property
    def positive(self) -> Decimal | None:
        """Excellent or good (immediate); significantly or somewhat better equipped (follow-up)."""
        keys = ("excellent", "good") if self.stage == EvaluationStage.IMMEDIATE else ("significantly", "somewhat")
        return _pct(sum(self.counts.get(k, 0) for k in keys), self.responses)


def _evaluations(attended: int) -> dict[str, Evaluation]:
    return {
        EvaluationStage.IMMEDIATE: Evaluation(EvaluationStage.IMMEDIATE, EvaluationStage.IMMEDIATE.label,
                                              list(Rating.choices), attended=attended),
        EvaluationStage.FOLLOW_UP: Evaluation(EvaluationStage.FOLLOW_UP, EvaluationStage.FOLLOW_UP.label,
                                              list(Impact.choices), attended=attended),
    }


def evaluation_summary(*, partnership_id: int, year_start: int | None = None) -> dict[str, Evaluation]:
    """For the annual report and the programme page: the immediate ratings (excellent, good,
    satisfactory, poor) and the follow-up impact survey (significantly, somewhat, not better
    equipped) across the programme in a financial year, as ``{"immediate": Evaluation,
    "follow_up": Evaluation}`` with counts, percentages of answers, ``positive`` share and
    ``response_rate`` (immediate: answers / attendees; follow-up: answers / invited). Five queries."""
    attended = sum(t.attended for t in _tallies(partnership_id, year_start, "agency").values())
    out = _evaluations(attended)
    rows = (EvaluationTally.objects.filter(session__course__partnership_id=partnership_id)
            .filter(_year_filter("session__", year_start)).values("stage", "answer").annotate(n=Sum("count")))
    for r in rows:
        out[r["stage"]].counts[r["answer"]] = r["n"]
    follow = out[EvaluationStage.FOLLOW_UP]
    invited = (Session.objects.filter(course__partnership_id=partnership_id, follow_up_invited__isnull=False)
               .filter(_year_filter("", year_start)).aggregate(n=Sum("follow_up_invited"))["n"])
    follow.invited = invited
    follow.invited_responses = (EvaluationTally.objects.filter(
        session__course__partnership_id=partnership_id, stage=EvaluationStage.FOLLOW_UP,
        session__follow_up_invited__isnull=False).filter(_year_filter("session__", year_start))
        .aggregate(n=Sum("count"))["n"] or 0)
    return out


@dataclass
class FormatRow:
    """One course format's year beside the previous year: sessions, bookings (attended, no-shows
    and late cancellations as recorded for each session) and attendance."""

    label: str
    sessions: int = 0
    tally: Tally = field(default_factory=Tally)
    previous_sessions: int = 0
    previous: Tally = field(default_factory=Tally)


def attendance_by_format(*, partnership_id: int, year_start: int) -> tuple[list[FormatRow], FormatRow]:
    """For the annual report: the programme by course format (classroom, e-learning...) in the year
    and the year before, formats with nothing in either year left out, and the totals row, computed
    here from the rows (issue 15.2: formats are never added together silently). Six queries."""
    rows = {value: FormatRow(label) for value, label in CourseFormat.choices}
    for year, previous in ((year_start, False), (year_start - 1, True)):
        fmt = dict(Course.objects.filter(partnership_id=partnership_id).values_list("pk", "format"))
        for r in (Session.objects.filter(course__partnership_id=partnership_id).filter(_year_filter("", year))
                  .values("course__format").annotate(n=Count("id"))):
            row = rows[r["course__format"]]
            if previous:
                row.previous_sessions += r["n"]
            else:
                row.sessions += r["n"]
        for course_id, tally in _tallies(partnership_id, year, "course").items():
            row = rows[fmt[course_id]]
            target = row.previous if previous else row.tally
            target.attended += tally.attended
            target.no_shows += tally.no_shows
            target.late_cancellations += tally.late_cancellations
            target.charges += tally.charges
    kept = [r for r in rows.values() if r.sessions or r.previous_sessions or r.tally.booked or r.previous.booked]
    total = FormatRow("All formats")
    for r in kept:
        total.sessions += r.sessions
        total.previous_sessions += r.previous_sessions
        for mine, theirs in ((total.tally, r.tally), (total.previous, r.previous)):
            mine.attended += theirs.attended
            mine.no_shows += theirs.no_shows
            mine.late_cancellations += theirs.late_cancellations
            mine.charges += theirs.charges
    return kept, total


@dataclass
class CourseRow:
    course: Course
    sessions: int
    places: int
    tally: Tally
    immediate: Evaluation
    follow_up: Evaluation

    @property
    def fill_rate(self) -> Decimal | None:
        return _pct(self.tally.attended, self.places)


def course_summary(*, partnership_id: int, year_start: int | None = None,
                   include_unrun: bool = False) -> list[CourseRow]:
    """For the annual report and the programme page: per course, the sessions run in the year,
    places offered, attendance (attended, no-shows, late cancellations), fill rate, no-show rate
    and its evaluations; courses with no session in the year are left out unless
    ``include_unrun``. Five queries, whatever the number of courses."""
    courses = list(Course.objects.filter(partnership_id=partnership_id).select_related("level").order_by("title"))
    sessions = {r["course_id"]: r for r in Session.objects.filter(course__partnership_id=partnership_id)
                .filter(_year_filter("", year_start)).values("course_id")
                .annotate(n=Count("id"), places=Sum("places"))}
    tallies = _tallies(partnership_id, year_start, "course")
    evals: dict[int, dict[str, Evaluation]] = {}
    for r in (EvaluationTally.objects.filter(session__course__partnership_id=partnership_id)
              .filter(_year_filter("session__", year_start))
              .values("session__course_id", "stage", "answer").annotate(n=Sum("count"))):
        course_id = r["session__course_id"]
        if course_id not in evals:
            evals[course_id] = _evaluations(tallies[course_id].attended)
        evals[course_id][r["stage"]].counts[r["answer"]] = r["n"]
    rows = []
    for course in courses:
        s = sessions.get(course.pk)
        if s is None and not include_unrun:
            continue
        e = evals.get(course.pk) or _evaluations(tallies[course.pk].attended)
        rows.append(CourseRow(course, s["n"] if s else 0, (s["places"] or 0) if s else 0, tallies[course.pk],
                              e[EvaluationStage.IMMEDIATE], e[EvaluationStage.FOLLOW_UP]))
    return rows


def programme_totals(rows: list[CourseRow]) -> dict:
    """Totals across ``course_summary`` rows (no queries)."""
    tally = Tally()
    sessions = places = 0
    for row in rows:
        sessions += row.sessions
        places += row.places
        tally.attended += row.tally.attended
        tally.no_shows += row.tally.no_shows
        tally.late_cancellations += row.tally.late_cancellations
        tally.charges += row.tally.charges
    return {"sessions": sessions, "places": places, "tally": tally, "fill_rate": _pct(tally.attended, places),
            "courses": sum(1 for row in rows if row.sessions)}


@dataclass
class SessionDetail:
    session: Session
    bookings: list
    counts: list
    by_agency: list[tuple[str, Tally]]
    tally: Tally
    evaluations: dict[str, Evaluation]

    @property
    def fill_rate(self) -> Decimal | None:
        return _pct(self.tally.attended, self.session.places)


def session_detail(*, session: Session) -> SessionDetail:
    """One session's bookings, counts by agency and evaluations. Three queries."""
    bookings = list(session.bookings.select_related("agency").order_by("agency__name", "attendee_name"))
    counts = list(session.counts.select_related("agency").order_by("agency__name"))
    by_agency: dict[str, Tally] = defaultdict(Tally)  # by audience: agency names and sector labels
    for b in bookings:
        t = by_agency[b.audience_label]
        if b.status == BookingStatus.ATTENDED:
            t.attended += 1
        elif b.status == BookingStatus.NO_SHOW:
            t.no_shows += 1
        else:
            t.late_cancellations += 1
    for c in counts:
        t = by_agency[c.audience_label]
        t.attended += c.attended
        t.no_shows += c.no_shows
        t.late_cancellations += c.late_cancellations
    total = Tally()
    for t in by_agency.values():
        total.attended += t.attended
        total.no_shows += t.no_shows
        total.late_cancellations += t.late_cancellations
    evaluations = _evaluations(total.attended)
    for stage, answer, n in session.evaluations.values_list("stage", "answer", "count"):
        evaluations[stage].counts[answer] = n
    follow = evaluations[EvaluationStage.FOLLOW_UP]
    if session.follow_up_invited is not None:
        follow.invited, follow.invited_responses = session.follow_up_invited, follow.responses
    return SessionDetail(session, bookings, counts, sorted(by_agency.items()), total, evaluations)
