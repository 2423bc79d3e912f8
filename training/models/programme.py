"""The multi-agency training programme: courses, their sessions, attendance by agency and
evaluations (the immediate rating and the follow-up impact survey)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from .catalogue import Level


class CourseFormat(models.TextChoices):
    E_LEARNING = "e_learning", "E-learning"
    CLASSROOM = "classroom", "Classroom"
    BRIEFING = "briefing", "Briefing"
    CONFERENCE = "conference", "Conference"


class BookingStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"
    LATE_CANCELLATION = "late_cancellation", "Late cancellation"


class Audience(models.TextChoices):
    """Who attended the multi-agency programme: a member agency, or a sector that is not a member
    (issue 12.5; DOMAIN "Addressees and audiences"). A sector is never an agency anywhere."""

    AGENCY = "agency", "A member agency"
    EARLY_YEARS = "early_years", "Early years settings"
    SCHOOLS = "schools", "Schools and colleges"
    FOSTER_CARERS = "foster_carers", "Foster carers"
    PVI = "pvi", "Private, voluntary and independent providers"
    OTHER = "other", "Other"


# An agency row names its agency; a sector row names none.
AUDIENCE_MATCHES_AGENCY = ((Q(audience="agency") & Q(agency__isnull=False))
                           | (~Q(audience="agency") & Q(agency__isnull=True)))


class AudienceMixin:
    @property
    def audience_label(self) -> str:
        """The agency's name, or the sector's ("Foster carers")."""
        return self.agency.name if self.agency_id else Audience(self.audience).label


class EvaluationStage(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate evaluation"
    FOLLOW_UP = "follow_up", "Follow-up impact survey"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    SATISFACTORY = "satisfactory", "Satisfactory"
    POOR = "poor", "Poor"


class Impact(models.TextChoices):
    SIGNIFICANTLY = "significantly", "Significantly better equipped"
    SOMEWHAT = "somewhat", "Somewhat better equipped"
    NOT = "not", "Not better equipped"


# The answers each stage of evaluation allows.
ANSWERS = {EvaluationStage.IMMEDIATE: Rating, EvaluationStage.FOLLOW_UP: Impact}


class Course(models.Model):
    partnership = models.ForeignKey("partners.Partnership", on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(max_length=200)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="courses")
    format = models.CharField(max_length=20, choices=CourseFormat.choices)
    duration_hours = models.DecimalField(max_digits=5, decimal_places=2)
    capacity = models.PositiveIntegerField(help_text="Places on a usual session.")
    shared_with_adults = models.BooleanField(default=False, help_text="Run jointly with the adults board.")
    charge = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"),
                                 help_text="The charge per place, in pounds.")
    no_show_charge = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"),
                                         help_text="Charged to the agency for a no-show or late cancellation.")
    description = models.TextField(blank=True, max_length=5000)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="course_unique_title"),
            models.CheckConstraint(condition=Q(format__in=CourseFormat.values), name="course_format_valid"),
            models.CheckConstraint(condition=Q(duration_hours__gt=0), name="course_duration_positive"),
            models.CheckConstraint(condition=Q(charge__gte=0) & Q(no_show_charge__gte=0),
                                   name="course_charges_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    online = models.BooleanField(default=False)
    places = models.PositiveIntegerField()
    # The people sent the follow-up impact survey: the published response rate is answers out
    # of this number, not out of everyone who attended (issue 15.2).
    follow_up_invited = models.PositiveIntegerField(null=True, blank=True,
                                                    help_text="People invited to the follow-up impact survey.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "course__title"]
        constraints = [
            models.UniqueConstraint(fields=["course", "starts_on"], name="session_unique_course_date"),
            models.CheckConstraint(condition=Q(online=True) | ~Q(venue=""), name="session_venue_or_online"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.starts_on:%d %b %Y}"

    @property
    def where(self) -> str:
        if self.online and self.venue:
            return f"{self.venue} and online"
        return "Online" if self.online else self.venue


class Booking(AudienceMixin, models.Model):
    """A named place on a session and what became of it, for a member agency or a sector."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.AGENCY)
    agency = models.ForeignKey("partners.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="training_bookings", help_text="Empty for a sector.")
    attendee_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=BookingStatus.choices)

    class Meta:
        ordering = ["session", "agency__name", "attendee_name"]
        constraints = [models.CheckConstraint(condition=Q(status__in=BookingStatus.values),
                                              name="booking_status_valid"),
                       models.CheckConstraint(condition=AUDIENCE_MATCHES_AGENCY, name="booking_audience_agency")]

    def __str__(self) -> str:
        return f"{self.attendee_name} ({self.get_status_display()})"


class AgencyAttendance(AudienceMixin, models.Model):
    """Attendance as counts, for an agency or a sector whose people are not known by name."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.AGENCY)
    agency = models.ForeignKey("partners.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="training_counts", help_text="Empty for a sector.")
    attended = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)
    late_cancellations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "agency"], condition=Q(agency__isnull=False),
                                    name="attendance_unique_agency"),
            models.UniqueConstraint(fields=["session", "audience"], condition=Q(agency__isnull=True),
                                    name="attendance_unique_sector"),
            models.CheckConstraint(condition=AUDIENCE_MATCHES_AGENCY, name="attendance_audience_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.audience_label}: {self.attended} attended"


class EvaluationTally(models.Model):
    """How many people gave one answer at one stage of a session's evaluation. Evaluations are
    anonymous, so the portal keeps counts, not who said what."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(max_length=20, choices=EvaluationStage.choices)
    answer = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "stage", "answer"]
        constraints = [
            models.UniqueConstraint(fields=["session", "stage", "answer"], name="evaluation_unique_answer"),
            models.CheckConstraint(
                condition=(Q(stage=EvaluationStage.IMMEDIATE) & Q(answer__in=Rating.values))
                | (Q(stage=EvaluationStage.FOLLOW_UP) & Q(answer__in=Impact.values)),
                name="evaluation_answer_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.answer}: {self.count}"
