"""Access to the dashboards.

Decision: every signed-in person may open the overview, indicator and exceptions pages, and the
rows are scoped to the agencies whose figures they may read in full (``agencies_readable_by``):
an agency submitter sees only their own agency's figures, beside the partnership median (shown
only when at least three agencies report, so it never gives away one agency's figure). Agency
pages outside that scope answer 404 (a submitter asking for another agency's page, a designated
professional asking for a non-health agency). The outsider (a manager of another partnership)
sees their own, empty, partnership: 200 on the partnership-wide pages, 404 for this
partnership's indicator and agencies.
"""

from tests.access.registry import NOT_FOUND, OK, Route, everyone, shape

from .factories import make_dataset


def build(world):
    data = make_dataset(world.partnership, [world.agency_a, world.agency_b], indicators=3, quarters=2)
    world.dash_indicator = data.indicators[0]


COUNCIL = {"slug": "council"}
AGENCY_B = shape(NOT_FOUND, submitter_b=OK, pci=OK, manager=OK)

ROUTES = [
    Route("dashboards:overview", everyone()),
    Route("dashboards:overview_export", everyone(), kwargs=lambda w: {"fmt": "csv"}),
    Route("dashboards:exceptions", everyone()),
    Route("dashboards:exceptions_export", everyone(), kwargs=lambda w: {"fmt": "xlsx"}),
    Route("dashboards:indicator", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"code": w.dash_indicator.code}),
    # One agency's SPC chart (?focus=<slug>): for someone who cannot read B the page shows the
    # partnership's chart, as if no agency were named.
    Route("dashboards:indicator", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"code": w.dash_indicator.code},
          query="focus=council"),
    Route("dashboards:indicator_export", everyone(outsider=NOT_FOUND),
          kwargs=lambda w: {"code": w.dash_indicator.code, "fmt": "csv"}),
    Route("dashboards:agency", AGENCY_B, kwargs=lambda w: COUNCIL),
    Route("dashboards:agency_export", AGENCY_B, kwargs=lambda w: {**COUNCIL, "fmt": "xlsx"}),
]
