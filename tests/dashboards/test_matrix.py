"""The overview matrix that fits (issue 16.1): grouped by domain and by the agency types that
report each indicator (no sea of "·"), at most six indicators a table, each cell with its figure,
RAG word, direction arrow and variation icon, and the withheld median explained once."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from datasets.models import Indicator, ReturnValue
from partners.models import AgencyType

from .factories import make_dataset
from .test_pages import more_agencies

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def split_data(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 4)]
    data = make_dataset(world.partnership, agencies, indicators=9, quarters=14)
    # Three indicators only the police report, the rest only health agencies: two groups.
    police = data.indicators[:3]
    for indicator in police:
        indicator.agency_types = [AgencyType.POLICE]
        indicator.save()
    for indicator in data.indicators[3:]:
        indicator.agency_types = [AgencyType.ACUTE_TRUST, AgencyType.COMMUNITY_HEALTH,
                                  AgencyType.MENTAL_HEALTH_TRUST]
        indicator.save()
    # Figures only from the agencies that report each indicator, as real returns hold.
    ReturnValue.objects.filter(indicator__in=police).exclude(ret__agency__agency_type=AgencyType.POLICE).delete()
    ReturnValue.objects.filter(indicator__in=data.indicators[3:], ret__agency__agency_type=AgencyType.POLICE).delete()
    ReturnValue.objects.filter(ret__agency__agency_type=AgencyType.LA_CHILDRENS_SOCIAL_CARE).delete()
    return data


def test_each_indicator_only_for_the_agencies_that_report_it(as_user, world, split_data):
    html = text(as_user(world.pci).get(reverse("dashboards:overview"), {"domain": "training"}))
    captions = re.findall(r'<caption[^>]*>([^<]*)</caption>', html)
    assert captions == [f"Training and supervision: indicators reported by Police, {split_data.last.label}",
                        f"Training and supervision: indicators reported by health agencies, {split_data.last.label}"]
    assert "Not reported by this agency" not in html, "no cell for an indicator an agency does not report"
    tables = html.split('<table class="govuk-table dash-matrix">')[1:]
    assert all(t.count('scope="col" class="govuk-table__header dash-matrix__indicator"') <= 6 for t in tables)
    assert world.agency_a.name not in tables[0].split("</table>")[0]  # an acute trust is not a police force


def test_cells_show_figure_rag_arrow_and_variation_icon(as_user, world, split_data):
    html = text(as_user(world.pci).get(reverse("dashboards:overview"), {"domain": "training"}))
    assert 'class="dash-arrow" aria-hidden="true">' in html
    assert re.search(r"the quarter before</span>", html)
    assert 'class="sg-spc-icon" role="img" aria-label="' in html
    assert re.search(r'dash-tag">(Red|Amber|Green)<', html)
    assert "Partnership median" in html


def test_more_than_six_indicators_split_into_parts(as_user, world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    data = make_dataset(world.partnership, agencies, indicators=8, quarters=3)
    Indicator.objects.filter(pk__in=[i.pk for i in data.indicators]).update(agency_types=[AgencyType.ACUTE_TRUST])
    html = text(as_user(world.pci).get(reverse("dashboards:overview"), {"domain": "training"}))
    assert "(part 1 of 2)" in html and "(part 2 of 2)" in html


def test_withheld_median_is_explained_once(as_user, world):
    make_dataset(world.partnership, [world.agency_a, world.agency_b], indicators=3, quarters=2)
    html = text(as_user(world.pci).get(reverse("dashboards:overview")))
    assert html.count("fewer than three agencies report") == 1
    assert html.count(">Withheld<") >= 1 and "*" not in re.sub(r"<[^>]+>", "", html.split("<main")[1])


def test_partnership_row_shows_figure_rag_arrow_and_variation_icon(as_user, world, split_data):
    """The partnership row's cells carry the same marks as an agency's (issue 16.1): with 14
    quarters of history, a variation icon (SPC over the partnership's own series), the RAG word
    against the target, and the arrow."""
    html = text(as_user(world.pci).get(reverse("dashboards:overview"), {"domain": "training"}))
    rows = re.findall(r'<tr class="govuk-table__row dash-matrix__whole">(.*?)</tr>', html, re.S)
    assert rows
    shown = [cell for row in rows for cell in re.findall(r"<td[^>]*>.*?</td>", row, re.S)
             if ">Withheld<" not in cell and ">–<" not in cell]
    assert shown, "some partnership figure is shown"
    for cell in shown:
        assert 'class="sg-spc-icon" role="img" aria-label="' in cell, cell
        assert 'class="dash-arrow" aria-hidden="true">' in cell, cell
        word = re.search(r'dash-tag">(Red|Amber|Green)<', cell)
        colour = re.search(r'dash-cell--(red|amber|green)"', cell)
        assert bool(word) == bool(colour) and (not word or word[1].lower() == colour[1]), "colour with its word"
    assert any('dash-tag">' in cell for cell in shown), "the partnership figure rated against its target"


def test_partnership_cell_marks_follow_the_figure(world, split_data):
    """A withheld or missing partnership figure has no RAG, arrow or icon: they would give away
    what is withheld."""
    from datasets import dashboard_selectors as ds
    from datasets.dashboard_selectors.quarter import WholeCell
    from reports.dashboards.present import whole_cell

    indicator = split_data.indicators[0]
    target = ds.targets_at(indicator_ids={indicator.pk: indicator}, period=split_data.last.period).get(indicator.pk)
    html = whole_cell(WholeCell(indicator=indicator, figure=None, direction="up", variation="concerning_high"), target)
    assert ">–<" in html and "dash-tag" not in html and "sg-spc-icon" not in html and "dash-arrow" not in html
