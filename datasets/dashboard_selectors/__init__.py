"""Dashboard reads over the datasets tables: the PCI overview matrix, an indicator's trend, an
agency's figures against the partnership median, the quarter's exceptions and completeness.

Only accepted returns count. Every function runs a fixed number of queries whatever the number
of agencies, indicators or quarters (tests/dashboards pins them), and each query touches only
the quarters it shows, so a page costs the same when the history grows:

- values are reached from their returns (``Return`` by quarter or agency, then the partial unique
  index ``value_unique_total`` on ``(ret_id, indicator_id)``), never by scanning an indicator's
  whole history; reads that need only the figures and their counts (the SPC series, the
  partnership aggregates) come from the covering index ``value_total_figures`` on the same columns
  without visiting the table (migration ``datasets/0007``);
- every cell's SPC series for the overview matrix is one query (``agency_series``): on PostgreSQL
  one row per return with its figures as arrays, elsewhere one row per value;
- medians and pooled partnership figures are aggregated in PostgreSQL, so an agency submitter's
  page never loads another agency's figures into Python;
- a target in force is picked by ``DISTINCT ON`` over ``target_unique_effective``;
- value queries clear the models' default ordering (``.order_by()``), which would otherwise join
  quarters, partnerships, indicators and parts only to sort rows the code puts in dicts.

Scoping is the caller's: views pass ``visible`` (the agency ids the person may read in full, from
``partners.access.agencies_readable_by``); aggregates cover the whole partnership and are shown only
when at least ``MIN_AGGREGATE`` agencies contribute, so a median never reveals one agency's figure.
"""

from .base import (
    ACCEPTED,
    HEALTH,
    MIN_AGGREGATE,
    NOT_POOLED,
    RECENT_YEARS,
    PartnershipFigure,
    agencies_of,
    aggregates,
    default_domain,
    default_quarter,
    domains_in,
    figure,
    indicator_by_code,
    indicators_of,
    partnership_shown,
    pick_quarter,
    previous_quarter,
    quarters_for,
    rate,
    reports,
    small_count,
    targets_at,
    type_matches,
    window,
)
from .history import AgencyLine, AgencyView, Point, Trend, agency_view, indicator_trend
from .quarter import SORTS, Cell, ExceptionRow, Overview, exceptions, overview
from .spc import SPC_SPAN, agency_series, direction, judge, partnership_series, partnership_value, spc_window

__all__ = [
    "ACCEPTED", "HEALTH", "MIN_AGGREGATE", "RECENT_YEARS", "SORTS", "AgencyLine", "AgencyView", "Cell",
    "ExceptionRow", "Overview", "PartnershipFigure", "Point", "Trend", "agencies_of", "agency_view",
    "aggregates", "default_domain", "default_quarter", "domains_in", "exceptions", "figure", "indicator_by_code",
    "indicator_trend", "indicators_of", "overview", "pick_quarter", "previous_quarter", "quarters_for", "rate",
    "reports", "targets_at", "type_matches", "window", "NOT_POOLED", "partnership_shown", "small_count",
    "SPC_SPAN", "agency_series", "direction", "judge", "partnership_series", "partnership_value", "spc_window",
]
