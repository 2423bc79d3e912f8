from tests.access.registry import FORBIDDEN, FOUND, NOT_FOUND, OK, Route, everyone, managers_only, readers_only, shape

from .factories import YEAR, annual_report, finished_build


def build(world):
    from reports.models import BuildKind, BuildStatus

    world.report = annual_report(world)
    world.report_done_build = finished_build(world, report=world.report)
    world.report_failed_pci = finished_build(world, kind=BuildKind.PCI, quarter=3, status=BuildStatus.FAILED)


def _year(w):
    return {"year": YEAR}


# The outsider is a business manager of another partnership: this partnership's objects are 404.
ROUTES = [
    Route("reports:report_list", everyone()),
    Route("reports:report_create", managers_only(400), method="post", data=lambda w: {"year": "not a year"}),
    Route("reports:report_detail", everyone(outsider=NOT_FOUND), kwargs=_year),
    Route("reports:narrative_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"year": YEAR,
                                                                                          "key": "foreword"}),
    # Agency B's section: its submitter and the manager write it; A's submitter and the designated
    # nurse (B is not a health agency) cannot see it; the PCI member reads B but does not act for it.
    Route("reports:agency_section_edit",
          shape(NOT_FOUND, submitter_b=OK, pci=FORBIDDEN, manager=OK),
          kwargs=lambda w: {"year": YEAR, "slug": w.agency_b.slug}),
    Route("reports:distribution_edit", managers_only(outsider=NOT_FOUND), kwargs=_year),
    Route("reports:report_compose", managers_only(outsider=NOT_FOUND), kwargs=_year),
    Route("reports:chapter_figures_edit", managers_only(outsider=NOT_FOUND),
          kwargs=lambda w: {"year": YEAR, "key": "child_death"}),
    Route("reports:report_transition", managers_only(FOUND, outsider=NOT_FOUND), method="post", kwargs=_year,
          data=lambda w: {"action": "nonsense"}),
    Route("reports:report_transition", managers_only(outsider=NOT_FOUND), kwargs=_year, query="action=publish",
          note="GET: the confirmation page (issue 16.5)"),
    Route("reports:report_build", managers_only(FOUND, outsider=NOT_FOUND), method="post", kwargs=_year),
    Route("reports:build_detail", readers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.report_done_build.pk}),
    Route("reports:build_retry", readers_only(FOUND, outsider=NOT_FOUND), method="post",
          kwargs=lambda w: {"pk": w.report_failed_pci.pk}),
    # An unpublished PDF: readers only (a published one is for everyone, tested in test_views).
    Route("reports:build_download", readers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.report_done_build.pk}),
    Route("reports:pci_list", readers_only()),
    # The web edition of an unpublished report: readers only, like its PDF (published: everyone,
    # tested in test_edition).
    Route("reports:report_edition", readers_only(outsider=NOT_FOUND), kwargs=_year),
    Route("reports:dispatch_add", managers_only(outsider=NOT_FOUND), kwargs=_year),
    Route("reports:report_edition_download", readers_only(outsider=NOT_FOUND), kwargs=_year),
]
