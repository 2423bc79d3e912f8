"""Spreadsheets out: a return pre-filled for the agency, and the dashboards' exports.
(Spreadsheets in are read by the services through ``safeguarding.uploads``.)"""

from __future__ import annotations

from safeguarding.exports import frame_from_rows, xlsx_response

from .selectors.compliance import ComplianceTable
from .selectors.programme import AgencyAttendanceRow, CourseRow
from .selectors.returns import ReturnDetail

RETURN_NOTES = [
    "Fill in the number of eligible staff and the number trained for each staff group and level.",
    "Whole numbers only; trained cannot be more than eligible.",
    "A line below target needs a narrative before the return can be submitted.",
    "Do not change the staff group or level columns; the compliance, target and RAG columns are worked out "
    "by the portal and ignored when you upload.",
    "Upload the file back on the return's page. If any row is refused, nothing is saved and every refused row "
    "is listed.",
]


def _num(value):
    return float(value) if value is not None else None


def return_workbook(detail: ReturnDetail, *, filename: str):
    rows = [(line.figure.staff_group.name, line.figure.level.name, line.figure.eligible, line.figure.trained,
             _num(line.compliance), _num(line.target), (line.rag or "").capitalize(), line.figure.narrative)
            for line in detail.lines]
    frame = frame_from_rows(["Staff group", "Level", "Eligible staff", "Trained staff", "Compliance %",
                             "Target %", "RAG", "Narrative"], rows)
    return xlsx_response({"Return": frame}, filename=filename, notes={"Instructions": RETURN_NOTES})


def compliance_frame(table: ComplianceTable):
    """One row per agency, staff group and level (the level totals add these up)."""
    rows = [(table.year.label, row.agency, row.quarter, group, level, cell.eligible, cell.trained,
             _num(cell.compliance), _num(cell.target), (cell.rag or "").capitalize())
            for row in table.rows for group, level, cell in row.lines]
    return frame_from_rows(["Year", "Agency", "As at", "Staff group", "Level", "Eligible staff", "Trained staff",
                            "Compliance %", "Target %", "RAG"], rows)


def attendance_frame(rows: list[AgencyAttendanceRow]):
    return frame_from_rows(
        ["Audience", "Attended", "Share of attendees %", "No-shows", "Late cancellations", "No-show rate %",
         "No-show charges £"],
        [(r.agency, r.tally.attended, _num(r.share), r.tally.no_shows, r.tally.late_cancellations,
          _num(r.tally.no_show_rate), _num(r.tally.charges)) for r in rows])


def course_frame(rows: list[CourseRow]):
    return frame_from_rows(
        ["Course", "Level", "Format", "Sessions", "Places", "Attended", "Fill rate %", "No-shows",
         "Late cancellations", "No-show rate %", "Rated excellent or good %", "Immediate response rate %",
         "Better equipped %", "Follow-up response rate %"],
        [(r.course.title, r.course.level.name if r.course.level else "", r.course.get_format_display(),
          r.sessions, r.places, r.tally.attended, _num(r.fill_rate), r.tally.no_shows, r.tally.late_cancellations,
          _num(r.tally.no_show_rate), _num(r.immediate.positive), _num(r.immediate.response_rate),
          _num(r.follow_up.positive), _num(r.follow_up.response_rate)) for r in rows])
