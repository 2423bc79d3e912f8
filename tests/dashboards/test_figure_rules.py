"""Issue 13 on the dashboards: one withholding rule, pooled only with counts, comparators with
their years, "n/a" with its reason, exports rounded as shown with a reason column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from datasets import dashboard_selectors as ds
from datasets.dashboard_selectors.base import PartnershipFigure
from datasets.models import Comparator, ReturnValue

from .factories import make_dataset
from .test_pages import more_agencies

pytestmark = pytest.mark.django_db


def test_one_rule_withholds_few_agencies_and_small_counts():
    assert PartnershipFigure(count=2, median=Decimal(5), pooled=None).withheld == "fewer than 3 agencies report it"
    small = PartnershipFigure(count=4, median=Decimal(1), pooled=None, small=True)
    assert small.withheld == "a small count" and small.value is None
    assert ds.partnership_shown(small) == (None, "a small count")
    ratio = PartnershipFigure(count=3, median=Decimal(80), pooled=Decimal("82.5"), counted=3, is_ratio=True)
    assert ratio.value == Decimal("82.5") and ratio.basis == "pooled" and not ratio.not_pooled
    published = PartnershipFigure(count=3, median=Decimal(80), pooled=None, counted=2, is_ratio=True)
    assert published.not_pooled == "not pooled: some figures have no counts"
    assert published.value == Decimal(80) and published.basis == "median"


@pytest.fixture
def data(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    return make_dataset(world.partnership, agencies, indicators=3, quarters=8)


def test_pooled_figure_not_pooled_when_a_figure_has_no_counts(world, data):
    pct = data.indicators[0]
    row = ReturnValue.objects.get(ret__agency=world.agency_b, ret__quarter=data.last, indicator=pct)
    row.numerator = row.denominator = None
    row.value_computed, row.source = False, "Published board paper"
    row.save()
    figure = ds.aggregates(quarter_ids=[data.last.pk], indicators={pct.pk: pct})[(data.last.pk, pct.pk)]
    assert figure.count == 5 and figure.counted == 4 and figure.pooled is None
    assert figure.not_pooled and figure.value == figure.median


def test_small_total_count_is_withheld_everywhere(world, data, as_user):
    count = data.indicators[1]
    ReturnValue.objects.filter(ret__quarter=data.last, indicator=count).update(value=Decimal(1))
    figure = ds.aggregates(quarter_ids=[data.last.pk], indicators={count.pk: count})[(data.last.pk, count.pk)]
    assert figure.withheld == "a small count"
    response = as_user(world.manager).get(reverse("dashboards:indicator_export", args=[count.code, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    whole = [r for r in rows if r[0] == data.last.label and r[1].startswith("Partnership")][0]
    assert whole[2] == "" and whole[3] == "withheld: a small count"


def test_comparators_carry_their_year_and_are_not_drawn_unlabelled_in_a_later_year(world, data):
    pct = data.indicators[0]
    Comparator.objects.filter(indicator=pct, year_start=2024).delete()  # published a year behind
    trend = ds.indicator_trend(indicator=pct, quarters=data.quarters, agencies=ds.agencies_of(world.partnership.pk),
                               visible=set())
    assert "England 2023/24" in trend.comparators and "England" not in trend.comparators
    # 2024/25 quarters show England 2023/24, under that label.
    assert trend.comparators["England 2023/24"][-1] == Decimal("84.5")
    assert trend.latest_comparators["England"].label == "England 2023/24"


def test_not_available_comparator_and_value_show_na_with_reason(world, data, as_user):
    pct = data.indicators[0]
    Comparator.objects.filter(indicator=pct, year_start=2024, kind="england").update(
        value=None, na_reason="no_longer_reported")
    row = ReturnValue.objects.get(ret__agency=world.agency_a, ret__quarter=data.last, indicator=pct)
    row.value = row.numerator = row.denominator = None
    row.na_reason, row.na_note, row.value_computed = "suppressed", "fewer than 5 children", False
    row.save()
    trend = ds.indicator_trend(indicator=pct, quarters=data.quarters, agencies=ds.agencies_of(world.partnership.pk),
                               visible={world.agency_a.pk})
    assert trend.comparator_na["England 2024/25"] == "No longer reported"
    point = dict(trend.series)[world.agency_a][-1]
    assert point.value is None and point.na == "Suppressed at source: fewer than 5 children"
    assert dict(trend.series)[world.agency_a][-2].value is not None  # the row keeps its other quarters
    html = unescape(as_user(world.submitter_a).get(reverse("dashboards:overview") + f"?quarter={data.last.label}"
                                                   f"&domain=training").content.decode())
    assert "n/a" in html and "Suppressed at source: fewer than 5 children" in html
    response = as_user(world.manager).get(reverse("dashboards:indicator_export", args=[pct.code, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    mine = [r for r in rows if r[0] == data.last.label and r[1] == world.agency_a.name][0]
    assert mine[2] == "" and mine[3] == "Suppressed at source: fewer than 5 children"


def test_exports_carry_numbers_rounded_as_shown_with_the_unit(world, data, as_user):
    response = as_user(world.manager).get(reverse("dashboards:indicator_export", args=[data.indicators[0].code, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "Value (%)" and rows[0][6].startswith("England 20")
    figures = [r[2] for r in rows[1:] if r[2]]
    assert figures and all(len(f.partition(".")[2]) <= 1 for f in figures), figures  # never 76.4706
    response = as_user(world.manager).get(reverse("dashboards:exceptions_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    for r in rows[1:]:
        for cell in (r[5], r[6], r[7]):
            assert len(cell.partition(".")[2]) <= 1, r  # never 0.2136513254298045
