"""SPC on the dashboards (issue 16.2): the indicator page's XmR chart with its mean and limits as
figures, the icons for the partnership and each agency, the refusal under 12 quarters, and
recalculation from a chosen quarter."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from datasets import spc
from datasets.models import ReturnValue
from reports.charts import format_value

from .factories import make_dataset
from .test_pages import more_agencies

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def long_data(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    return make_dataset(world.partnership, agencies, indicators=3, quarters=16)


def agency_b_series(world, data, indicator):
    values = dict(ReturnValue.objects.filter(ret__agency=world.agency_b, indicator=indicator, part__isnull=True)
                  .values_list("ret__quarter_id", "value"))
    return [values.get(q.pk) for q in data.quarters]


def test_indicator_page_draws_spc_with_limits_as_figures(as_user, world, long_data):
    indicator = long_data.indicators[2]  # days, lower is better, target 20
    url = reverse("dashboards:indicator", args=[indicator.code]) + f"?focus={world.agency_b.slug}"
    page = text(as_user(world.pci).get(url))
    expected = spc.xmr(agency_b_series(world, long_data, indicator), polarity="lower", target=20)
    assert not expected.refused
    assert f"Variation and assurance (SPC): {world.agency_b.name}" in page
    assert f"<dd class=\"govuk-summary-list__value\">{format_value(expected.limits.mean, 'days')}</dd>" in page
    assert format_value(expected.limits.upper, "days") in page and format_value(expected.limits.lower, "days") in page
    assert 'class="sg-spc-icon" role="img"' in page
    assert spc.ASSURANCE_LABELS[expected.assurance].split()[-1] in page
    assert "The SPC chart as a table" in page and "Upper limit" in page


def test_every_agency_gets_its_icons(as_user, world, long_data):
    page = text(as_user(world.pci).get(reverse("dashboards:indicator", args=[long_data.indicators[0].code])))
    assert page.count('class="govuk-table__cell dash-icons"') == 5
    assert "Too few quarters for SPC" not in page


def test_fewer_than_twelve_quarters_says_so(as_user, world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    data = make_dataset(world.partnership, agencies, indicators=3, quarters=8)
    page = text(as_user(world.pci).get(reverse("dashboards:indicator", args=[data.indicators[0].code])))
    assert "No process limits are drawn: The limits would rest on 8 points" in page
    assert 'class="sg-spc-icon"' not in page
    assert "Too few quarters for SPC" in page


def test_limits_recalculated_from_a_quarter(as_user, world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    data = make_dataset(world.partnership, agencies, indicators=1, quarters=24)
    indicator = data.indicators[0]
    base = reverse("dashboards:indicator", args=[indicator.code]) + f"?focus={world.agency_b.slug}"
    cut = data.quarters[12].label
    page = text(as_user(world.pci).get(base + f"&recalc={cut}"))
    assert f"Limits recalculated from</dt><dd class=\"govuk-summary-list__value\">{cut}" in page
    series = agency_b_series(world, data, indicator)
    expected = spc.xmr(series, polarity="higher", recalculate_at=[12])
    assert format_value(expected.limits.mean, "%") in page
    short = text(as_user(world.pci).get(base + f"&recalc={data.quarters[20].label}"))
    assert "No process limits are drawn: The limits from point 21 would rest on 4 points" in short


def test_spc_chart_marks_special_causes_in_shape_and_words():
    from reports.charts import chart

    values = [20, 22, 19, 21, 23, 20, 18, 21, 22, 20, 19, 21, 40]
    result = spc.xmr(values, polarity="lower", target=Decimal(25))
    out = chart("spc", title="Test", categories=[f"Q{k}" for k in range(13)], result=result, polarity="lower",
                target=Decimal(25), unit="")
    assert result.variation == "concerning_high" and result.assurance == "hit_and_miss"
    assert "Special cause: concerning (high)" in out.alt and "Target hit and miss" in out.alt
    assert out.table.rows[-1][-1] == "beyond a limit (high)"
    assert out.table.headers == ["Period", "Value", "Mean", "Lower limit", "Upper limit", "Target", "Special cause"]
    assert "<rect" in out.svg  # the concerning point is a square, not only orange


def test_agency_page_gives_each_line_its_icons_and_arrow(as_user, world, long_data):
    page = text(as_user(world.submitter_b).get(reverse("dashboards:agency", args=[world.agency_b.slug])))
    assert page.count('class="sg-spc-icon" role="img"') >= 3
    assert f"focus={world.agency_b.slug}" in page and "SPC chart of" in page
    assert 'class="dash-arrow" aria-hidden="true">' in page
