"""What PCI and the training subgroup read: compliance by agency and level, the programme."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from partners.access import agencies_readable_by
from safeguarding.exports import frame_response, xlsx_response
from safeguarding.listing import ListFilter, page_of
from safeguarding.periods import FinancialQuarter

from .. import selectors, spreadsheets
from ..models import CourseFormat
from ._common import chosen_year, year_choices


def _readable_ids(user):
    """None (the whole partnership) for readers; otherwise the agencies the person acts for."""
    if user.reads_everything:
        return None
    return list(agencies_readable_by(user).values_list("pk", flat=True))


@login_required
def index(request):
    user = request.user
    return render(request, "training/index.html", {
        "due": selectors.my_returns_due(user=user) if not user.reads_everything else [],
        "awaiting": selectors.returns_awaiting_review(user=user) if user.reads_everything else [],
    })


@login_required
def compliance(request):
    user = request.user
    year = chosen_year(request)
    table = selectors.compliance_by_agency_and_level(partnership_id=user.partnership_id,
                                                     year_start=year.start_year, agency_ids=_readable_ids(user))
    quarters = [q for y in (year.previous(), year) for q in y.quarters()]
    trend = selectors.compliance_trend(partnership_id=user.partnership_id, quarters=quarters,
                                       agency_ids=_readable_ids(user))
    # Lists that scale (issue 16.6): the agencies searched by name and filtered by their overall
    # rating, 50 a page; the "All agencies" row stays the whole partnership's (of those readable),
    # and the trend shows the agencies of the page.
    form = ListFilter(request.GET, statuses=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
                      search_label="Agency name contains")
    rows = list(table.rows)
    if form.value("status"):
        rows = [row for row in rows if row.total is not None and row.total.rag == form.value("status")]
    if form.value("q"):
        rows = [row for row in rows if form.value("q").lower() in row.agency.lower()]
    page, query = page_of(request, rows)
    rows = [(row, row.cell_list(table.levels)) for row in page.object_list]
    shown = {row.agency for row, _ in rows}
    totals = [table.total.get(level.pk) for level in table.levels]
    return render(request, "training/compliance.html", {
        "year": year, "years": year_choices(year), "table": table, "rows": rows, "totals": totals,
        "trend": [t for t in trend if t.agency in shown],
        "quarters": [FinancialQuarter(q.year, q.number) for q in quarters],
        "page": page, "query": query, "filter_form": form, "filter_hidden": [("year", year.label)],
    })


@login_required
def compliance_export(request):
    user = request.user
    year = chosen_year(request)
    table = selectors.compliance_by_agency_and_level(partnership_id=user.partnership_id,
                                                     year_start=year.start_year, agency_ids=_readable_ids(user))
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return frame_response(spreadsheets.compliance_frame(table), fmt=fmt,
                          filename=f"training-compliance-{year.label}", sheet="Compliance")


@login_required
def programme(request):
    user = request.user
    year = chosen_year(request)
    courses = selectors.course_summary(partnership_id=user.partnership_id, year_start=year.start_year,
                                       include_unrun=user.is_manager)
    # Lists that scale (issue 16.6): the courses searched by title, filtered by format, 50 a page;
    # the totals stay the year's.
    form = ListFilter(request.GET, kinds=("Format", CourseFormat.choices), search_label="Course title contains")
    shown = courses
    if form.value("kind"):
        shown = [row for row in shown if row.course.format == form.value("kind")]
    if form.value("q"):
        shown = [row for row in shown if form.value("q").lower() in row.course.title.lower()]
    page, query = page_of(request, shown)
    return render(request, "training/programme.html", {
        "year": year, "years": year_choices(year),
        "attendance": selectors.programme_attendance_by_audience(partnership_id=user.partnership_id,
                                                                 year_start=year.start_year),
        "courses": page.object_list, "totals": selectors.programme_totals(courses),
        "page": page, "query": query, "filter_form": form, "filter_hidden": [("year", year.label)],
        "evaluation": selectors.evaluation_summary(partnership_id=user.partnership_id, year_start=year.start_year),
    })


@login_required
def programme_export(request):
    user = request.user
    year = chosen_year(request)
    attendance = spreadsheets.attendance_frame(
        selectors.programme_attendance_by_audience(partnership_id=user.partnership_id, year_start=year.start_year))
    courses = spreadsheets.course_frame(
        selectors.course_summary(partnership_id=user.partnership_id, year_start=year.start_year))
    if request.GET.get("format") == "csv":
        which = courses if request.GET.get("table") == "courses" else attendance
        return frame_response(which, fmt="csv", filename=f"training-programme-{year.label}")
    return xlsx_response({"Attendance by audience": attendance, "Courses": courses},
                         filename=f"training-programme-{year.label}")
