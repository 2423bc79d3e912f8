"""The annual report (narrative, agency sections, status) and every PDF build of it or of a PCI pack."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from partners.models import Agency, Partnership
from safeguarding.periods import FinancialQuarter, FinancialYear


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Section(models.TextChoices):
    """The narrative the business manager and chair write; chapter keys match reports.content."""

    FOREWORD = "foreword", "Foreword by the independent chair"
    ABOUT = "about", "About this report"
    KEY_MESSAGES = "key_messages", "Key messages"
    PARTNERSHIP = "partnership", "Introduction: the partnership"
    FINANCE = "finance", "Introduction: financial arrangements"
    CONTEXT = "context", "Introduction: safeguarding context"
    QUALITY = "quality", "Introduction: quality assurance"
    REVIEWS = "reviews", "Introduction: learning from reviews"
    TRAINING = "training", "Introduction: training"
    PRIORITIES = "priorities", "Introduction: priorities"
    MEMBERSHIP = "membership", "Introduction: membership"
    LADO = "lado", "Allegations against people who work with children (LADO)"
    PRIVATE_FOSTERING = "private_fostering", "Private fostering"
    MAPPA = "mappa", "Multi-agency public protection arrangements (MAPPA)"
    AUDITS = "audits", "Multi-agency and single-agency audits"
    CHILD_DEATH = "child_death", "Child death overview"
    VOICE = "voice", "The voice of children and families"
    COMMUNICATION = "communication", "Communication and engagement"
    EDUCATION = "education", "Education settings"
    SCRUTINY = "scrutiny", "Independent scrutiny"
    AGENCIES = "agencies", "Introduction: what partners achieved"


class AnnualReport(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="annual_reports")
    year_start = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Goes up each time the report is approved again.")
    status_changed_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    distribution = models.TextField(blank=True, help_text="Who receives the report, one a line.")
    # The composition (issue 15.5): chapter keys in print order (empty: the default order of
    # reports.chapters), and the indicators the context chapter shows (null: the default rule).
    chapters = models.JSONField(default=list, blank=True)
    key_indicators = models.JSONField(null=True, blank=True)
    published_build = models.OneToOneField("ReportBuild", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="published_report")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year_start"], name="annual_report_once_per_year"),
            models.CheckConstraint(condition=Q(status__in=["draft", "approved", "published"]),
                                   name="annual_report_status_valid"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_build__isnull=False),
                                   name="annual_report_published_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"Annual report {self.year.label}"

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.year_start)

    @property
    def is_editable(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def distribution_list(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]


class NarrativeSection(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=Section.choices)
    body = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="narrative_once_per_report")]

    def __str__(self) -> str:
        return self.get_key_display()


class FigureUnit(models.TextChoices):
    COUNT = "count", "Number"
    PERCENTAGE = "percentage", "Percentage"
    POUNDS = "pounds", "Pounds"


class ReportFigure(models.Model):
    """A structured figure of a chapter without its own app (child deaths, LADO, voice...).

    Entered by the business manager, or taken from an indicator: then the value is read at build
    time through the dashboards' selectors and ``value`` stays empty. Issue 15.8.
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="figures")
    chapter = models.CharField(max_length=20)
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=12, choices=FigureUnit.choices, default=FigureUnit.COUNT)
    indicator = models.ForeignKey("datasets.Indicator", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["chapter", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(indicator__isnull=True),
                                   name="report_figure_one_source"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0),
                                   name="report_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label


class Recipient(models.TextChoices):
    """Who Working Together 2023 says receives the yearly report (two must be sent it)."""

    PANEL = "panel", "Child Safeguarding Practice Review Panel"
    WHAT_WORKS = "what_works", "Foundations, the What Works Centre for Children and Families"
    OTHER = "other", "Other"


# The two recipients Working Together 2023 (chapter 2, "Reporting") names: sent within 7 days of publication.
REQUIRED_RECIPIENTS = (Recipient.PANEL, Recipient.WHAT_WORKS)
SEND_WITHIN_DAYS = 7


class Dispatch(models.Model):
    """One sending of the published report: to whom, when, by whom (issue 15.9)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="dispatches")
    recipient = models.CharField(max_length=12, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True, help_text="For another recipient: who.")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(recipient="other") | ~Q(recipient_name=""),
                                              name="dispatch_other_is_named")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.recipient_name if self.recipient == Recipient.OTHER else self.get_recipient_display()


class AgencySection(models.Model):
    """An agency's own "achievements and challenges", written by that agency's submitter."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="agency_sections")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="report_sections")
    achievements = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["report", "agency"], name="agency_section_once")]

    def __str__(self) -> str:
        return f"{self.agency}: achievements and challenges"


class BuildKind(models.TextChoices):
    ANNUAL = "annual", "Annual report"
    PCI = "pci", "PCI pack"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BuildStage(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    GATHERING = "gathering", "Gathering data"
    CHARTS = "charts", "Drawing charts"
    RENDERING = "rendering", "Rendering the PDF"
    DONE = "done", "Done"


ACTIVE_BUILD = Q(status__in=["queued", "running"])


class ReportBuild(models.Model):
    """One attempt at a PDF. Kept for ever; a retry is a new build."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="report_builds")
    kind = models.CharField(max_length=10, choices=BuildKind.choices)
    report = models.ForeignKey(AnnualReport, null=True, blank=True, on_delete=models.PROTECT, related_name="builds")
    year_start = models.PositiveIntegerField()
    # 0 for the annual report: a real value keeps the "one running build" constraint simple.
    quarter = models.PositiveSmallIntegerField(default=0)
    report_version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    stage = models.CharField(max_length=10, choices=BuildStage.choices, default=BuildStage.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.CharField(max_length=300, blank=True, help_text="Path under MEDIA_ROOT.")
    error = models.TextField(blank=True)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Asked twice at once gives one build: at most one queued or running per target.
            models.UniqueConstraint(fields=["partnership", "kind", "year_start", "quarter"], condition=ACTIVE_BUILD,
                                    name="report_build_one_active"),
            models.CheckConstraint(condition=Q(kind="pci", quarter__gte=1, quarter__lte=4)
                                   | Q(kind="annual", quarter=0), name="report_build_quarter_matches_kind"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="report_build_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (build {self.pk})"

    @property
    def period_label(self) -> str:
        if self.kind == BuildKind.PCI:
            return FinancialQuarter(FinancialYear(self.year_start), self.quarter).label
        return FinancialYear(self.year_start).label

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def is_active(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def filename(self) -> str:
        period = self.period_label.replace("/", "-")
        return f"{self.partnership.slug}-{self.kind}-{period}-build{self.pk}.pdf"
