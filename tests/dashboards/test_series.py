"""The dashboards' SPC series read two ways (issue 16, speed): on PostgreSQL one row per return
with its figures as arrays, elsewhere (SQLite, the first-look database) one row per value. Both
must give the same figures, gaps and ratios worked out from counts included, and the overview
matrix and the indicator page must show the same whichever reader ran."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from datasets import dashboard_selectors as ds
from datasets.dashboard_selectors import spc as series_module
from datasets.models import Return, ReturnValue
from datasets.validation import compute_ratio
from safeguarding.workflow import ReturnStatus

from .factories import make_dataset
from .test_pages import more_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_data(world):
    """16 quarters with the awkward cases: a missing figure, a percentage stored only as counts,
    a return not accepted (its figures never count) and a quarter one agency did not return."""
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    data = make_dataset(world.partnership, agencies, indicators=3, quarters=16)
    pct, count = data.indicators[0], data.indicators[1]
    b = world.agency_b
    ReturnValue.objects.filter(ret__agency=b, ret__quarter=data.quarters[3], indicator=count).delete()
    ReturnValue.objects.filter(ret__agency=b, ret__quarter__in=data.quarters[5:7], indicator=pct).update(value=None)
    Return.objects.filter(agency=world.agency_a, quarter=data.quarters[9]).update(status=ReturnStatus.SUBMITTED)
    Return.objects.filter(agency=world.agency_a, quarter=data.quarters[11]).delete()
    return SimpleNamespace(data=data, agencies=agencies, pct=pct, count=count)


def read(odd, reader, *, exact: bool):
    indicators = {i.pk: i for i in odd.data.indicators}
    values = ReturnValue.objects.filter(
        ret__quarter_id__in=[q.pk for q in odd.data.quarters], ret__status=ReturnStatus.ACCEPTED,
        ret__agency_id__in=[a.pk for a in odd.agencies], part__isnull=True,
        indicator_id__in=list(indicators)).order_by()
    return reader(values, indicators, odd.data.quarters, exact)


@pytest.mark.parametrize("exact", [True, False], ids=["decimal", "float"])
def test_both_readers_give_the_same_series(odd_data, world, exact):
    arrays = read(odd_data, series_module._series_in_postgres, exact=exact)
    rows = read(odd_data, series_module._series_in_python, exact=exact)
    assert arrays == rows
    assert all(type(x) is (Decimal if exact else float) for s in rows.values() for x in s if x is not None)
    b_pct = rows[(world.agency_b.pk, odd_data.pct.pk)]
    stored = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=odd_data.data.quarters[5],
                                     indicator=odd_data.pct)
    ratio = compute_ratio("percentage", stored.numerator, stored.denominator)
    assert b_pct[5] == (ratio if exact else float(ratio))  # worked out from the counts
    assert rows[(world.agency_b.pk, odd_data.count.pk)][3] is None  # no figure that quarter
    a_count = rows[(world.agency_a.pk, odd_data.count.pk)]
    assert a_count[9] is None and a_count[11] is None  # not accepted; not returned
    assert sum(x is not None for x in a_count) == 14


def test_overview_matrix_is_the_same_whichever_reader_runs(odd_data, world, monkeypatch):
    quarters = ds.quarters_for(world.partnership.pk)
    end = quarters[-1]
    agencies = ds.agencies_of(world.partnership.pk)
    visible = {a.pk for a in agencies}
    indicators = ds.indicators_of(world.partnership.pk)

    def cells():
        data = ds.overview(quarter=end, indicators=indicators, agencies=agencies, visible=visible,
                           history=ds.spc_window(quarters, end))
        return [(a.pk, c.indicator.pk, c.value, c.previous, c.direction, c.variation, c.rag, c.narrative, c.na)
                for a, row in data.rows for c in row]

    on_postgres = cells()
    monkeypatch.setattr(series_module, "connection", SimpleNamespace(vendor="sqlite"))
    assert cells() == on_postgres
    assert sum(1 for cell in on_postgres if cell[5]) >= 10  # 16 quarters: the icons are judged


def test_indicator_page_reads_its_spc_window_with_the_trend(odd_data, world):
    """The trend and the SPC chart share one read: its series are those the shared readers give."""
    quarters = ds.quarters_for(world.partnership.pk)
    end = quarters[-1]
    agencies = ds.agencies_of(world.partnership.pk)
    window = ds.spc_window(quarters, end)
    pct = odd_data.pct
    trend = ds.indicator_trend(indicator=pct, quarters=ds.window(quarters, end, 12), agencies=agencies,
                               visible={a.pk for a in agencies}, spc_history=window)
    mine = ds.agency_series(agency_ids=[a.pk for a in agencies], indicators={pct.pk: pct}, quarters=window)
    assert trend.spc_series == {agency_id: series for (agency_id, _), series in mine.items()}
    assert trend.spc_partnership == ds.partnership_series(indicators={pct.pk: pct}, quarters=window)[pct.pk]
    assert trend.spc_series[world.agency_b.pk][5] is not None  # the quarter stored only as counts
    assert [p.value for p in dict(trend.series)[world.agency_b]] == trend.spc_series[world.agency_b.pk][-12:]
