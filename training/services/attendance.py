"""Attendance uploads: a booking system's export (CSV or XLSX), all or nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.lifecycle import NameIndex
from partners.models import Agency, Partnership
from safeguarding.audit import audit_record
from safeguarding.errors import DomainError
from safeguarding.parsing import NotANumber
from safeguarding.parsing import parse_date as parse_shared_date
from safeguarding.plurals import in_sentence
from safeguarding.upload_preview import Change, UploadChanges, counted
from safeguarding.uploads import RowError, read_table, word_key

from .. import rules
from ..models import (
    AgencyAttendance,
    Audience,
    Booking,
    BookingStatus,
    Course,
    EvaluationStage,
    EvaluationTally,
    Impact,
    Rating,
    Session,
)
from ._common import require_manager

ATTENDANCE_SHEET = "Attendance"
ATTENDANCE_REQUIRED = ["course", "session date", "agency"]
ATTENDANCE_OPTIONAL = ["audience", "attendee", "status", "attended", "no shows", "late cancellations", "rating",
                       "impact"]

def _norm(text: str) -> str:
    return " ".join(word_key(text).replace("-", " ").replace("_", " ").split())


STATUS_WORDS = {
    "attended": BookingStatus.ATTENDED, "attend": BookingStatus.ATTENDED, "present": BookingStatus.ATTENDED,
    "no show": BookingStatus.NO_SHOW, "noshow": BookingStatus.NO_SHOW, "did not attend": BookingStatus.NO_SHOW,
    "dna": BookingStatus.NO_SHOW, "late cancellation": BookingStatus.LATE_CANCELLATION,
    "late cancelled": BookingStatus.LATE_CANCELLATION, "cancelled late": BookingStatus.LATE_CANCELLATION,
}
RATING_WORDS = {_norm(c.label): c.value for c in Rating} | {c.value: c.value for c in Rating}
IMPACT_WORDS = ({_norm(c.label): c.value for c in Impact} | {c.value: c.value for c in Impact}
                | {"not better equipped": Impact.NOT, "not at all": Impact.NOT})
# The words the ``audience`` column (or an ``agency`` cell naming no agency) may use for a sector
# that is not a member (issue 12.5).
AUDIENCE_WORDS = {_norm(c.label): c.value for c in Audience} | {_norm(c.value): c.value for c in Audience} | {
    "agency": Audience.AGENCY, "member agency": Audience.AGENCY, "member": Audience.AGENCY,
    "early years": Audience.EARLY_YEARS, "early years setting": Audience.EARLY_YEARS, "nursery": Audience.EARLY_YEARS,
    "nurseries": Audience.EARLY_YEARS, "childminders": Audience.EARLY_YEARS, "childminder": Audience.EARLY_YEARS,
    "eys": Audience.EARLY_YEARS, "school": Audience.SCHOOLS, "schools": Audience.SCHOOLS,
    "schools and colleges": Audience.SCHOOLS, "foster carer": Audience.FOSTER_CARERS,
    "foster carers": Audience.FOSTER_CARERS, "fostering": Audience.FOSTER_CARERS, "pvi": Audience.PVI,
    "private voluntary and independent": Audience.PVI, "private, voluntary and independent": Audience.PVI,
    "private, voluntary and independent providers": Audience.PVI, "other": Audience.OTHER,
}
SECTORS = ", ".join(in_sentence(c.label) for c in Audience if c != Audience.AGENCY)


def audience_of(row: dict, agencies: NameIndex,
                day: dt.date | None = None) -> tuple[str | None, Agency | None, str | None]:
    """A row's audience: (Audience value, the agency or None, the refusal or None).

    ``audience`` blank or "agency": the ``agency`` cell names a member agency (name or other name);
    a sector ("foster carers", "early years", "PVI"…): the agency cell stays empty. An agency cell
    that names no agency but a sector counts as that sector. With ``day`` (the session's date),
    an agency that was not a member that day (closed, or not yet joined) is refused with the
    reason and its successor, as every figure upload does (``partners.lifecycle.NameIndex.resolve``,
    issue 12.6): its attendance would count for an agency outside the partnership that day."""
    raw_audience = row.get("audience", "").strip()
    raw_agency = row.get("agency", "").strip()
    audience = AUDIENCE_WORDS.get(_norm(raw_audience)) if raw_audience else Audience.AGENCY
    if audience is None:
        return None, None, (f"‘{raw_audience}’ is not an audience: use agency, or a sector ({SECTORS}).")
    if audience != Audience.AGENCY:
        if raw_agency and AUDIENCE_WORDS.get(_norm(raw_agency)) != audience:
            return None, None, (f"A row for {in_sentence(Audience(audience).label)} names no agency: leave agency "
                                "empty, or give the audience as agency.")
        return audience, None, None
    agency = agencies.get(raw_agency)
    if agency is not None:
        if day is None:
            return audience, agency, None
        resolved = agencies.resolve(raw_agency, day, follow_successor=False)
        return (audience, agency, None) if resolved.agency else (None, None, resolved.error)
    if not raw_agency:
        return None, None, "Give the agency's name, or a sector in the audience column."
    sector = AUDIENCE_WORDS.get(_norm(raw_agency))
    if sector and sector != Audience.AGENCY and not raw_audience:
        return sector, None, None
    return None, None, f"There is no agency called ‘{raw_agency}’ (nor one known by that name)."


def parse_date(raw: str) -> dt.date | None:
    """A session date as a booking system or a person writes it ("2025-06-10", "10/06/2025",
    "10/06/2025 09:30"), read by the one date reader (``safeguarding.parsing.parse_date``);
    None when it is not a date."""
    try:
        return parse_shared_date(str(raw))
    except NotANumber:
        return None


@dataclass
class AttendanceResult(UploadChanges):
    """What an attendance upload changes, per session and agency (one "attendance record" each),
    from what to what; also the sessions it touches and the evaluation answers it sets."""

    singular: str = "attendance record"
    what_heading: str = "Session and who attended"
    sessions: int = 0
    bookings: int = 0
    count_rows: int = 0
    evaluations: int = 0
    session_ids: list[int] = field(default_factory=list)


@transaction.atomic
def attendance_upload(*, actor, partnership: Partnership, upload, today: dt.date | None = None,
                      replace_sessions: bool = False) -> AttendanceResult:
    """Read a booking system's export (CSV or XLSX), one row per person or per agency.

    A row with an ``attendee`` is a named booking with a ``status`` (attended, no-show, late
    cancellation) and optionally that person's ``rating`` and follow-up ``impact``; a row without
    one gives an agency's counts (``attended``, ``no shows``, ``late cancellations``). Agencies
    are matched by name or by any of their other names, and must have been members on the
    session's date (``partners.lifecycle``: a closed agency's row is refused naming its successor,
    one not yet joined says when it joins). The optional ``audience`` column gives a
    sector that is not a member (early years, schools, foster carers, PVI, other: the agency cell
    then stays empty), kept apart from the agencies (issue 12.5; ``audience_of``); a sector is
    merged like an agency. Every row is checked first: one refused row means nothing is saved,
    and ``UploadRejected`` lists every refused row.

    Attendance is merged by session and agency (issue 14 point 6): each agency the file names for a
    session has its attendance for that session set to the file's (its named bookings, or its
    counts), and every other agency's attendance is kept, so uploading twice counts once and a
    one-agency file touches one agency. ``replace_sessions`` (an explicit choice on the form)
    instead replaces each named session's whole attendance, removing agencies the file leaves out.
    Evaluations are anonymous counts for the whole session: a stage's answers are replaced only
    when the file has answers for it. Returns every change from what to what.
    """
    require_manager(actor, partnership)
    today = today or timezone.localdate()
    table = read_table(upload, required=ATTENDANCE_REQUIRED, optional=ATTENDANCE_OPTIONAL, sheet=ATTENDANCE_SHEET)
    courses = {_norm(c.title): c for c in Course.objects.filter(partnership=partnership)}
    sessions = {(s.course_id, s.starts_on): s
                for s in Session.objects.filter(course__partnership=partnership).select_related("course")}
    agencies = NameIndex(partnership.pk)

    errors: list[RowError] = []
    bookings: list[Booking] = []
    counts: list[AgencyAttendance] = []
    tallies: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    named_agencies: dict[tuple[int, int], int] = {}
    count_agencies: dict[tuple[int, int], int] = {}

    for row_number, row in table.numbered():
        def refuse(column: str | None, message: str, _row=row_number) -> None:
            errors.append(RowError(_row, column, message))

        course = courses.get(_norm(row["course"]))
        if not row["course"]:
            refuse("course", "Give the course's title.")
        elif course is None:
            refuse("course", f"There is no course called ‘{row['course']}’ in the programme.")
        day = parse_date(row["session date"])
        if day is None:
            refuse("session date", f"‘{row['session date']}’ is not a date: write it like 2025-05-14 or 14/05/2025.")
        session = sessions.get((course.pk, day)) if course and day else None
        if course and day and session is None:
            refuse("session date", f"{course.title} has no session on {day:%-d %B %Y}.")
        audience, agency, problem = audience_of(row, agencies, session.starts_on if session else None)
        if problem:
            refuse("audience" if row.get("audience", "").strip() else "agency", problem)
        who = agency.pk if agency else audience  # the attendance key: an agency, or a sector
        in_future = session is not None and session.starts_on > today
        attendee = row.get("attendee", "").strip()
        rating = row.get("rating", "").strip()
        impact = row.get("impact", "").strip()
        rating_value = impact_value = None
        if rating:
            rating_value = RATING_WORDS.get(_norm(rating))
            if rating_value is None:
                refuse("rating", f"‘{rating}’ is not on the rating scale: use excellent, good, satisfactory or poor.")
        if impact:
            impact_value = IMPACT_WORDS.get(_norm(impact))
            if impact_value is None:
                refuse("impact", f"‘{impact}’ is not on the impact scale: use significantly better equipped, "
                                 "somewhat better equipped or not better equipped.")

        if attendee:
            status = STATUS_WORDS.get(_norm(row.get("status", "")))
            if not row.get("status", "").strip():
                refuse("status", "Give what happened to the booking: attended, no-show or late cancellation.")
            elif status is None:
                refuse("status", f"‘{row['status']}’ is not a booking status: use attended, no-show or "
                                 "late cancellation.")
            for column in ("attended", "no shows", "late cancellations"):
                if row.get(column, "").strip():
                    refuse(column, "A row for a named person gives its status, not counts: leave this empty.")
            if status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW) and in_future:
                refuse("status", f"The session on {session.starts_on:%-d %B %Y} has not happened yet, so nobody "
                                 f"can be marked as {status.label.lower()}.")
            if (rating or impact) and status and status != BookingStatus.ATTENDED:
                refuse("rating" if rating else "impact", "Only people who attended can evaluate the session.")
            if session and audience:
                named_agencies.setdefault((session.pk, who), row_number)
                if status:
                    bookings.append(Booking(session=session, agency=agency, audience=audience,
                                            attendee_name=attendee[:200], status=status))
        else:
            figures = {}
            for column in ("attended", "no shows", "late cancellations"):
                try:
                    figures[column] = rules.parse_count(row.get(column, ""), label=column.capitalize()) or 0
                except DomainError as error:
                    refuse(column, error.message)
            if rating or impact:
                refuse("rating" if rating else "impact", "Evaluations come with a named attendee; a row of counts "
                                                         "cannot carry one.")
            if not any(row.get(c, "").strip() for c in ("attended", "no shows", "late cancellations")):
                refuse("attendee", "Give the attendee's name, or the agency's counts of attended, no shows and "
                                   "late cancellations.")
            if in_future and (figures.get("attended") or figures.get("no shows")):
                refuse("attended" if figures.get("attended") else "no shows",
                       f"The session on {session.starts_on:%-d %B %Y} has not happened yet, so nobody can have "
                       "attended it or missed it.")
            if session and audience:
                first = count_agencies.get((session.pk, who))
                if first:
                    name = agency.name if agency else Audience(audience).label
                    refuse("agency", f"{name} already has counts for this session on row {first}.")
                count_agencies.setdefault((session.pk, who), row_number)
                counts.append(AgencyAttendance(session=session, agency=agency, audience=audience,
                                               attended=figures.get("attended", 0),
                                               no_shows=figures.get("no shows", 0),
                                               late_cancellations=figures.get("late cancellations", 0)))
        if session and rating_value:
            tallies[session.pk][EvaluationStage.IMMEDIATE][rating_value] += 1
        if session and impact_value:
            tallies[session.pk][EvaluationStage.FOLLOW_UP][impact_value] += 1

    for key, row_number in count_agencies.items():
        if key in named_agencies:
            errors.append(RowError(row_number, "agency", "This agency or sector also has named bookings for the "
                                                         f"session (row {named_agencies[key]}): give one or the "
                                                         "other."))
    if errors:
        raise table.reject(errors)

    session_ids = sorted({b.session_id for b in bookings} | {c.session_id for c in counts})
    named_rows = {**count_agencies, **named_agencies}  # (session, agency) -> first row in the file
    labels = {s.pk: f"{s.course.title}, {s.starts_on:%-d %B %Y}"
              for s in Session.objects.filter(pk__in=session_ids).select_related("course")}
    result = _merge(session_ids=session_ids, bookings=bookings, counts=counts, rows=named_rows, labels=labels,
                    replace_sessions=replace_sessions)
    new_tallies = []
    for session_id, stages in tallies.items():
        old = _tally_text(EvaluationTally.objects.filter(session_id=session_id, stage__in=list(stages)))
        EvaluationTally.objects.filter(session_id=session_id, stage__in=list(stages)).delete()
        added = [EvaluationTally(session_id=session_id, stage=stage, answer=answer, count=n)
                 for stage, answers in stages.items() for answer, n in answers.items()]
        new_tallies += added
        new = _tally_text(added)
        what = f"{labels[session_id]}: evaluation answers"
        first_row = min(r for (s, _), r in named_rows.items() if s == session_id)
        if old == new:
            result.unchanged += 1
        else:
            (result.changed if old else result.added).append(Change(first_row, what, old or None, new))
    EvaluationTally.objects.bulk_create(new_tallies)
    result.sessions, result.session_ids = len(session_ids), session_ids
    result.bookings, result.count_rows = len(bookings), len(counts)
    result.evaluations = sum(t.count for t in new_tallies)
    if not result.nothing_changed:
        audit_record(actor=actor, action="training_attendance.uploaded", partnership=partnership,
                     data={"sessions": session_ids, "bookings": len(bookings), "count_rows": len(counts),
                           "evaluations": result.evaluations, "replace_sessions": replace_sessions,
                           "changes": [[c.what, c.before, c.after] for _, c in result.lines[:200]]})
    return result


def _attendance_text(named: list[tuple[str, str]] | None, count: tuple[int, int, int] | None) -> str | None:
    """One agency's attendance at one session, for the upload preview."""
    if named:
        statuses = Counter(status for _, status in named)
        parts = [f"{n} {BookingStatus(s).label.lower()}" for s, n in sorted(statuses.items())]
        return f"{counted(len(named), 'named booking')} ({', '.join(parts)})"
    if count is not None:
        return (f"{count[0]} attended, {counted(count[1], 'no-show')}, "
                f"{counted(count[2], 'late cancellation')}")
    return None


def _tally_text(tallies) -> str:
    return ", ".join(f"{t.answer} {t.count}" for t in sorted(tallies, key=lambda t: (t.stage, t.answer)))


def _who(row) -> int | str:
    """Whose attendance a booking or count row is: the agency's id, or a sector's Audience value."""
    return row.agency_id if row.agency_id is not None else row.audience


def _merge(*, session_ids: list[int], bookings: list[Booking], counts: list[AgencyAttendance],
           rows: dict[tuple[int, int], int], labels: dict[int, str], replace_sessions: bool) -> AttendanceResult:
    """Set each (session, agency or sector) the file names to the file's attendance; keep the
    others, or (``replace_sessions``) remove them. Writes only what differs. A key's second part is
    the agency's id, or a sector's ``Audience`` value (``_who``). Queries: 3 reads, then writes."""
    stored_named: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for b in Booking.objects.filter(session_id__in=session_ids).only("session_id", "agency_id", "audience",
                                                                     "attendee_name", "status"):
        stored_named[(b.session_id, _who(b))].append((b.attendee_name, b.status))
    stored_counts = {(c.session_id, _who(c)): (c.attended, c.no_shows, c.late_cancellations)
                     for c in AgencyAttendance.objects.filter(session_id__in=session_ids)}
    new_named: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for b in bookings:
        new_named[(b.session_id, _who(b))].append((b.attendee_name, b.status))
    new_counts = {(c.session_id, _who(c)): (c.attended, c.no_shows, c.late_cancellations) for c in counts}
    ids = {a for _, a in [*rows, *stored_named, *stored_counts] if isinstance(a, int)}
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    names.update(dict(Audience.choices))
    result = AttendanceResult()
    to_set: set[tuple[int, int]] = set()
    for key in sorted(rows, key=rows.get):
        before = _attendance_text(sorted(stored_named.get(key, [])), stored_counts.get(key))
        after = _attendance_text(sorted(new_named.get(key, [])), new_counts.get(key))
        same = (sorted(stored_named.get(key, [])) == sorted(new_named.get(key, []))
                and stored_counts.get(key) == new_counts.get(key))
        if same:
            result.unchanged += 1
            continue
        what = f"{labels[key[0]]}: {names[key[1]]}"
        (result.added if before is None else result.changed).append(Change(rows[key], what, before, after))
        to_set.add(key)
    to_remove: set[tuple[int, int]] = set()
    if replace_sessions:
        for key in (set(stored_named) | set(stored_counts)) - set(rows):
            to_remove.add(key)
            result.removed.append(Change(None, f"{labels[key[0]]}: {names[key[1]]}",
                                         _attendance_text(sorted(stored_named.get(key, [])), stored_counts.get(key)),
                                         None))
    for session_id, who in to_set | to_remove:
        of_who = Q(agency_id=who) if isinstance(who, int) else Q(agency__isnull=True, audience=who)
        Booking.objects.filter(of_who, session_id=session_id).delete()
        AgencyAttendance.objects.filter(of_who, session_id=session_id).delete()
    Booking.objects.bulk_create([b for b in bookings if (b.session_id, _who(b)) in to_set])
    AgencyAttendance.objects.bulk_create([c for c in counts if (c.session_id, _who(c)) in to_set])
    return result
