"""The multi-agency programme: courses, sessions and evaluation counts (attendance uploads are in
``attendance``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.models import Partnership
from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse

from .. import rules
from ..models import BookingStatus, Course, EvaluationStage, EvaluationTally, Session
from ..models.programme import ANSWERS
from ._common import require_manager

COURSE_FIELDS = ("title", "level", "format", "duration_hours", "capacity", "shared_with_adults", "charge",
                 "no_show_charge", "description", "is_active")
SESSION_FIELDS = ("starts_on", "venue", "online", "places")


def _check_course(course: Course) -> None:
    if course.level_id and course.level.partnership_id != course.partnership_id:
        raise DomainError("That level belongs to another partnership.", field="level")
    if course.duration_hours is None or course.duration_hours <= 0:
        raise DomainError("Give the course's length in hours, more than 0.", field="duration_hours")
    if not course.capacity:
        raise DomainError("Give the number of places on a usual session, at least 1.", field="capacity")
    for name, label in (("charge", "The charge"), ("no_show_charge", "The no-show charge")):
        if getattr(course, name) is not None and getattr(course, name) < 0:
            raise DomainError(f"{label} cannot be negative.", field=name)
    clash = Course.objects.filter(partnership_id=course.partnership_id, title__iexact=course.title)
    if course.pk:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise DomainError(f"There is already a course called ‘{course.title}’.", field="title")


@transaction.atomic
def course_create(*, actor, partnership: Partnership, title: str, format: str, duration_hours: Decimal,
                  capacity: int, level=None, shared_with_adults: bool = False, charge: Decimal = Decimal(0),
                  no_show_charge: Decimal = Decimal(0), description: str = "", is_active: bool = True) -> Course:
    require_manager(actor, partnership)
    course = Course(partnership=partnership, title=title.strip(), format=format, duration_hours=duration_hours,
                    capacity=capacity, level=level, shared_with_adults=shared_with_adults,
                    charge=charge or Decimal(0), no_show_charge=no_show_charge or Decimal(0),
                    description=description.strip(), is_active=is_active)
    _check_course(course)
    full_clean_or_refuse(course)
    course.save()
    audit_record(actor=actor, action="course.created", obj=course, partnership=partnership,
                 after=snapshot(course, COURSE_FIELDS))
    return course


@transaction.atomic
def course_update(*, actor, course: Course, version: str, **changes) -> Course:
    course = Course.objects.select_for_update().get(pk=course.pk)
    require_manager(actor, course.partnership)
    ensure_current(current=course.updated_at, token=version, what="course")
    before = snapshot(course, COURSE_FIELDS)
    for name, value in changes.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"course_update got an unexpected field {name!r}")
        setattr(course, name, value.strip() if isinstance(value, str) else value)
    course.charge = course.charge or Decimal(0)
    course.no_show_charge = course.no_show_charge or Decimal(0)
    _check_course(course)
    full_clean_or_refuse(course)
    course.save()
    audit_record(actor=actor, action="course.updated", obj=course, partnership=course.partnership,
                 before=before, after=snapshot(course, COURSE_FIELDS))
    return course


def _check_session(session: Session) -> None:
    if not session.online and not session.venue.strip():
        raise DomainError("Give the venue, or say that the session is online.", field="venue")
    if not session.places:
        raise DomainError("Give the number of places, at least 1.", field="places")
    clash = Session.objects.filter(course_id=session.course_id, starts_on=session.starts_on)
    if session.pk:
        clash = clash.exclude(pk=session.pk)
    if clash.exists():
        raise DomainError(f"This course already has a session on {session.starts_on:%-d %B %Y}.", field="starts_on")


@transaction.atomic
def session_create(*, actor, course: Course, starts_on: dt.date, places: int | None = None, venue: str = "",
                   online: bool = False) -> Session:
    require_manager(actor, course.partnership)
    session = Session(course=course, starts_on=starts_on, venue=venue.strip(), online=online,
                      places=places if places is not None else course.capacity)
    _check_session(session)
    full_clean_or_refuse(session)
    session.save()
    audit_record(actor=actor, action="session.created", obj=session, partnership=course.partnership,
                 after=snapshot(session, SESSION_FIELDS))
    return session


@transaction.atomic
def session_update(*, actor, session: Session, version: str, **changes) -> Session:
    session = Session.objects.select_for_update().select_related("course__partnership").get(pk=session.pk)
    require_manager(actor, session.course.partnership)
    ensure_current(current=session.updated_at, token=version, what="session")
    before = snapshot(session, SESSION_FIELDS)
    for name, value in changes.items():
        if name not in SESSION_FIELDS:
            raise TypeError(f"session_update got an unexpected field {name!r}")
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    _check_session(session)
    if session.starts_on > timezone.localdate() and _has_attendance(session):
        raise DomainError("People are recorded as attending this session, so it cannot move into the future.",
                          field="starts_on")
    full_clean_or_refuse(session)
    session.save()
    audit_record(actor=actor, action="session.updated", obj=session, partnership=session.course.partnership,
                 before=before, after=snapshot(session, SESSION_FIELDS))
    return session


def _has_attendance(session: Session) -> bool:
    return (session.bookings.filter(status__in=[BookingStatus.ATTENDED, BookingStatus.NO_SHOW]).exists()
            or session.counts.filter(Q(attended__gt=0) | Q(no_shows__gt=0)).exists())


@transaction.atomic
def evaluation_set(*, actor, session: Session, stage: str, counts: dict[str, object],
                   invited: int | None = None) -> None:
    """Record a stage's evaluation as counts per answer (from paper forms or a survey tool),
    replacing what was recorded for that stage. For the follow-up survey, ``invited`` is the
    number of people sent it (kept on the session; answers cannot outnumber it): the published
    response rate is answers out of those invited (issue 15.2)."""
    session = Session.objects.select_for_update().select_related("course__partnership").get(pk=session.pk)
    require_manager(actor, session.course.partnership)
    if stage not in ANSWERS:
        raise DomainError("Choose the immediate evaluation or the follow-up impact survey.", field="stage")
    scale = ANSWERS[stage]
    unknown = [a for a in counts if a not in scale.values]
    if unknown:
        raise DomainError(f"‘{unknown[0]}’ is not on the scale: use {', '.join(scale.labels)}.", field=unknown[0])
    parsed = {answer: rules.parse_count(raw, label=scale(answer).label, field=answer) or 0
              for answer, raw in counts.items()}
    if sum(parsed.values()) and session.starts_on > timezone.localdate():
        raise DomainError("The session has not happened yet, so it cannot have been evaluated.")
    if invited is not None:
        if stage != EvaluationStage.FOLLOW_UP:
            raise DomainError("Only the follow-up survey is sent to a number of people.", field="invited")
        if invited < 0:
            raise DomainError("The number invited cannot be negative.", field="invited")
        if sum(parsed.values()) > invited:
            raise DomainError(f"{sum(parsed.values())} answers were recorded but only {invited} "
                              f"{'person was' if invited == 1 else 'people were'} invited: check both numbers.",
                              field="invited")
        session.follow_up_invited = invited
        session.save(update_fields=["follow_up_invited", "updated_at"])
    before = dict(session.evaluations.filter(stage=stage).values_list("answer", "count"))
    session.evaluations.filter(stage=stage).delete()
    EvaluationTally.objects.bulk_create([EvaluationTally(session=session, stage=stage, answer=a, count=n)
                                         for a, n in parsed.items() if n])
    audit_record(actor=actor, action="session.evaluation_recorded", obj=session,
                 partnership=session.course.partnership, before=before, after=parsed, data={"stage": stage})
