"""The multi-agency programme's courses and sessions, attendance uploads and evaluations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partners.access import MANAGERS, require_roles
from safeguarding.errors import DomainError
from safeguarding.forms import apply_domain_error
from safeguarding.listing import ListFilter, page_of
from safeguarding.periods import FinancialQuarter
from safeguarding.upload_preview import upload_page
from safeguarding.upload_templates import template_response

from .. import selectors, services
from ..forms import AttendanceUploadForm, CourseForm, EvaluationForm, SessionForm
from ..models import BookingStatus, Course, Level, Session
from ..services.attendance import ATTENDANCE_OPTIONAL, ATTENDANCE_REQUIRED, ATTENDANCE_SHEET

COURSE_INITIAL = ("title", "format", "duration_hours", "capacity", "shared_with_adults", "charge",
                  "no_show_charge", "description", "is_active")


def _courses(user):
    return Course.objects.filter(partnership_id=user.partnership_id)


def _sessions(user):
    return Session.objects.filter(course__partnership_id=user.partnership_id).select_related("course")


def _levels(user):
    return Level.objects.filter(partnership_id=user.partnership_id)


@require_roles(*MANAGERS)
def course_create(request):
    form = CourseForm(request.POST or None, levels=_levels(request.user), initial={"capacity": 20})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            course = services.course_create(actor=request.user, partnership=request.user.partnership, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{course.title} has been added.")
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/simple_form.html", {"form": form, "title": "Add a course"})


@login_required
def course_detail(request, pk: int):
    """A course and its sessions, newest first: searched by venue, filtered by held or planned and
    by financial quarter, 50 a page (issue 16.6)."""
    course = get_object_or_404(_courses(request.user).select_related("level"), pk=pk)
    sessions = course.sessions.order_by("-starts_on")
    quarters = sorted({FinancialQuarter.containing(day) for day in sessions.values_list("starts_on", flat=True)},
                      key=lambda q: (q.year.start_year, q.number), reverse=True)
    form = ListFilter(request.GET, statuses=[("held", "Held"), ("planned", "Planned")],
                      quarters=[(q.label, q.label) for q in quarters], search_label="Venue contains")
    today = timezone.localdate()
    if form.value("status") == "held":
        sessions = sessions.filter(starts_on__lte=today)
    elif form.value("status") == "planned":
        sessions = sessions.filter(starts_on__gt=today)
    if form.value("quarter"):
        chosen = FinancialQuarter.parse(form.value("quarter"))
        sessions = sessions.filter(starts_on__range=(chosen.start, chosen.end))
    if form.value("q"):
        sessions = sessions.filter(venue__icontains=form.value("q"))
    page, query = page_of(request, sessions)
    return render(request, "training/course_detail.html", {
        "course": course, "sessions": page.object_list, "page": page, "query": query, "filter_form": form,
    })


@require_roles(*MANAGERS)
def course_edit(request, pk: int):
    course = get_object_or_404(_courses(request.user), pk=pk)
    initial = {f: getattr(course, f) for f in COURSE_INITIAL} | {"level": course.level_id}
    form = CourseForm(request.POST or None, levels=_levels(request.user), initial=initial,
                      updated_at=course.updated_at)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.course_update(actor=request.user, course=course, version=version, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The course has been saved.")
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/simple_form.html", {"form": form, "title": f"Change {course.title}"})


@require_roles(*MANAGERS)
def session_create(request, pk: int):
    course = get_object_or_404(_courses(request.user), pk=pk)
    form = SessionForm(request.POST or None, initial={"places": course.capacity})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            session = services.session_create(actor=request.user, course=course, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The session has been added.")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/simple_form.html", {"form": form, "title": f"Add a session of {course.title}"})


@login_required
def session_detail(request, pk: int):
    """A session's attendance, evaluations and, for the manager, its named bookings: searched by
    name, filtered by status, 50 a page (issue 16.6; the counts above are over them all)."""
    session = get_object_or_404(_sessions(request.user), pk=pk)
    detail = selectors.session_detail(session=session)
    form = ListFilter(request.GET, statuses=BookingStatus.choices, search_label="Attendee name contains")
    bookings = detail.bookings
    if form.value("status"):
        bookings = [b for b in bookings if b.status == form.value("status")]
    if form.value("q"):
        bookings = [b for b in bookings if form.value("q").lower() in b.attendee_name.lower()]
    page, query = page_of(request, bookings)
    return render(request, "training/session_detail.html", {
        "detail": detail, "bookings": page.object_list, "page": page, "query": query, "filter_form": form})


@require_roles(*MANAGERS)
def session_edit(request, pk: int):
    session = get_object_or_404(_sessions(request.user), pk=pk)
    initial = {f: getattr(session, f) for f in ("starts_on", "venue", "online", "places")}
    form = SessionForm(request.POST or None, initial=initial, updated_at=session.updated_at)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.session_update(actor=request.user, session=session, version=version, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The session has been saved.")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/simple_form.html", {"form": form, "title": f"Change the session of {session}"})


@require_roles(*MANAGERS)
def session_evaluation(request, pk: int):
    session = get_object_or_404(_sessions(request.user), pk=pk)
    current = {f"{stage}_{answer}": n for stage, answer, n in session.evaluations.values_list("stage", "answer",
                                                                                               "count")}
    current["invited"] = session.follow_up_invited
    form = EvaluationForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # both stages or neither
                for stage in ("immediate", "follow_up"):
                    try:
                        services.evaluation_set(actor=request.user, session=session, stage=stage,
                                                counts=form.stage(stage), invited=form.invited(stage))
                    except DomainError as error:
                        if error.field != "invited":
                            error.field = f"{stage}_{error.field}" if error.field else None
                        raise
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The evaluation has been recorded.")
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_evaluation.html", {"form": form, "session": session})


@require_roles(*MANAGERS)
def attendance_upload(request):
    """Attendance from a booking system's export: previewed, then merged by session and agency."""
    return upload_page(
        request, purpose="training.attendance", template="training/attendance_upload.html",
        context={"required": ATTENDANCE_REQUIRED, "optional": ATTENDANCE_OPTIONAL},
        run=lambda f, replace_sessions=False: services.attendance_upload(
            actor=request.user, partnership=request.user.partnership, upload=f, replace_sessions=replace_sessions),
        done_url=reverse("training:programme"), form_class=AttendanceUploadForm)


@require_roles(*MANAGERS)
def attendance_template(request):
    """The attendance upload's blank template."""
    return template_response(
        filename="attendance", sheet=ATTENDANCE_SHEET, columns=[*ATTENDANCE_REQUIRED, *ATTENDANCE_OPTIONAL],
        notes=["One row per named booking (attendee and status: attended, no-show or late cancellation; "
               "optionally rating and impact), or one row per agency with its counts (attended, no shows, "
               "late cancellations) and no attendee.",
               "course: the course's title. session date: like 2025-05-14 or 14/05/2025. agency: its name or "
               "another name it is known by.",
               "Each agency in the file has its attendance at the session set to the file's; other agencies' "
               "attendance is kept (unless you choose to replace whole sessions)."])
