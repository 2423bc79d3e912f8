"""The matrix's direction arrows read as sentences to a screen reader (issue 16.1).

The partnership row's cells said ", up from before": the row knows which way the figure moved
but not the figure before, and the words were built as if it did."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from reports.dashboards.present import arrow


def _said(html: str) -> str:
    return re.search(r'govuk-visually-hidden">(.*?)</span>', html).group(1)


@pytest.mark.parametrize(("direction", "words"), [("up", ", up on the quarter before"),
                                                  ("down", ", down on the quarter before"),
                                                  ("same", ", the same as the quarter before")])
def test_an_arrow_without_the_previous_figure_still_reads(direction, words):
    indicator = SimpleNamespace(unit="percentage", decimals=1)
    assert _said(arrow(direction, None, indicator)) == words


def test_no_direction_no_arrow():
    assert arrow(None, None, SimpleNamespace(unit="count", decimals=0)) == ""
