"""What Working Together to Safeguard Children 2023 expects a yearly report to contain, and
whether the live draft covers each item (issue 15.9).

The items follow chapter 2 of Working Together 2023 ("Reporting": the yearly report the
safeguarding partners publish). Each is judged from the draft as it stands now: the chapters the
business manager chose (``AnnualReport.chapters``), the narrative written and the records the
chapters print. An item is "covered" when the report will carry something for it, "missing"
otherwise, with where to add it. A handful of queries, whatever the size of the partnership.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from partners.governance import selectors as governance
from reviews.access import reviews_in_partnership

from . import chapters as catalogue
from .models import AgencySection, AnnualReport, NarrativeSection, ReportFigure, ReportStatus


@dataclass(frozen=True)
class CheckItem:
    label: str
    covered: bool
    evidence: str  # what covers it, or what to add


def checklist_basis(report: AnnualReport) -> str:
    """One sentence saying what the checklist was judged on, for the report page: the draft as it
    stands; the approved report; or, once published, the published report and the build that
    was published (its version and the date its PDF was built). The chapters and narrative are
    locked from approval, so after publication they are the ones the published PDF carries
    (issue 15.9). At most one query (the published build, unless already loaded)."""
    what = "the chapters chosen, the narrative written and the records the chapters print"
    if report.status == ReportStatus.PUBLISHED:
        build = report.published_build
        built = (f", its PDF built on {timezone.localtime(build.finished_at):%-d %B %Y}"
                 if build is not None and build.finished_at else "")
        return (f"Judged on the published report (version {report.version}{built}): the chapters and narrative "
                "it was published with and the records its chapters print.")
    if report.status == ReportStatus.APPROVED:
        return f"Judged on the approved report (version {report.version}): {what}."
    return f"Judged on the draft as it stands: {what}."


def checklist_for(report: AnnualReport) -> list[CheckItem]:
    """The ten items of the yearly report with covered/missing and a sentence for each."""
    year = report.year
    keys = set(catalogue.ordered(report.chapters))
    written = {k for k, body in NarrativeSection.objects.filter(report=report).values_list("key", "body")
               if body.strip()}
    figures = set(ReportFigure.objects.filter(report=report).values_list("chapter", flat=True))
    agency_sections = AgencySection.objects.filter(report=report).exclude(achievements="", challenges="").count()
    reviews = list(reviews_in_partnership(report.partnership_id)
                   .filter(recommendations__isnull=False).values_list("notified_on", "completed_on").distinct())
    year_reviews = [r for r in reviews if (r[0] is None or r[0] <= year.end) and (r[1] is None or r[1] >= year.start)]
    priorities = list(governance.priority_list(partnership_id=report.partnership_id, year_start=year.start_year))
    budget = governance.budget_summary(partnership_id=report.partnership_id, year_start=year.start_year)

    def chapter(key: str) -> str:
        return f"the ‘{catalogue.title(key)}’ chapter"

    def item(label: str, ok: bool, covered: str, missing: str) -> CheckItem:
        return CheckItem(label, ok, covered if ok else missing)

    little = [p for p in priorities if p.status in ("partly_met", "not_met", "not_started")]
    return [
        item("What the partners did, including on child safeguarding practice reviews",
             "reviews" in keys and "partnership" in keys and bool(year_reviews),
             f"{chapter('partnership')} and {chapter('reviews')} ({len(year_reviews)} reviews with recommendations)",
             f"include {chapter('partnership')} and {chapter('reviews')}, with the year's reviews in the register"),
        item("How effective the arrangements were", "quality" in keys and ("quality" in written
                                                                         or "key_messages" in written),
             f"{chapter('quality')} and its narrative or the key messages",
             f"include {chapter('quality')} and write its introduction or the key messages"),
        item("Evidence of impact", "priorities" in keys and any(p.progress.strip() for p in priorities),
             f"{chapter('priorities')}: progress recorded against each priority",
             "record the progress made against the year's priorities and include the priorities chapter"),
        item("Areas where there was little progress", "priorities" in keys and bool(little),
             f"{chapter('priorities')}: {len(little)} priority not fully met, with what happened",
             "mark the priorities that were not fully met, and say why in their progress"),
        item("Actions on local and national review recommendations", "reviews" in keys and bool(year_reviews),
             f"{chapter('reviews')}: each recommendation with its actions as they stood at the year's end",
             f"include {chapter('reviews')}"),
        item("How feedback from children and families was used", "voice" in keys and ("voice" in written
                                                                                     or "voice" in figures),
             f"{chapter('voice')}", f"include {chapter('voice')} and write what changed because of it"),
        item("The contributions of each partner and of the relevant agencies",
             "agencies" in keys and agency_sections > 0,
             f"{chapter('agencies')}: {agency_sections} agency sections written",
             f"include {chapter('agencies')} and ask the agencies to write their sections"),
        item("Education settings", "education" in keys and "education" in written, f"{chapter('education')}",
             f"include {chapter('education')} and write it"),
        item("Independent scrutiny", "scrutiny" in keys and "scrutiny" in written, f"{chapter('scrutiny')}",
             f"include {chapter('scrutiny')} and write the scrutineer's view"),
        item("Funding", "finance" in keys and budget is not None, f"{chapter('finance')}: the {year.label} budget",
             f"record the {year.label} budget and include {chapter('finance')}"),
    ]
