"""Pages with data shaped like the demo's (``seed_demo``), at 375 px wide, in a real browser.

The every-page walk (``test_every_page.py``) uses the small test world: two agencies with short
names. On the demo a tester found, with Chromium at 375 px and axe-core:

- the indicator dashboard 548 px wide: the "Agency to draw on the charts" select grew to the
  longest agency name and the filter block did not wrap;
- axe ``target-size`` (WCAG 2.2 AA 2.5.8, off in axe's default set, so switched on here) failing on
  the manager's home page list of ten agencies, the review page's XLSX/CSV links and the
  "details" expanders of a return's edit page.

Each page here is opened at 375 px: ``document.scrollingElement.scrollWidth <= 375`` and axe with
its default rules plus ``target-size`` find nothing. (``color-contrast-enhanced``, AAA, stays off:
GOV.UK's palette targets AA.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access.test_matrix import BUILDERS
from tests.factories import AgencyFactory

from .conftest import PHONE, checked_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo's longest agency name is about this long (498 px in the select at 375 px).
LONG_NAME = ("Testshire and Wolds Integrated Care Board: Designated Safeguarding Children and "
             "Looked After Children Professionals")
AXE_WITH_TARGET_SIZE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _demo_shaped(world) -> None:
    """The test world plus what makes it look like the demo: ten agencies, one with a long name."""
    for build in BUILDERS:
        build(world)
    AgencyFactory(partnership=world.partnership, name=LONG_NAME, slug="icb-designated")
    for n in range(7):
        AgencyFactory(partnership=world.partnership, name=f"Testshire Agency {n + 1}", slug=f"agency-{n + 1}")


def _problems(page, label: str) -> list[str]:
    problems = []
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{label}: {width} px wide at {PHONE}")
    for v in page.evaluate(AXE_WITH_TARGET_SIZE):
        problems.append(f"{label}: axe {v['id']} ({v['impact']}): {v['help']} {v['targets']}")
    return problems


@pytest.mark.parametrize("persona,what", [
    ("manager", "home"),
    ("manager", "indicator"),
    ("manager", "review"),
    ("submitter_b", "return_edit"),
])
def test_demo_shaped_page_fits_375_and_passes_axe(browser, live_server, world, axe_source, persona, what):
    _demo_shaped(world)
    url = {
        "home": lambda: reverse("home"),
        "indicator": lambda: reverse("dashboards:indicator", kwargs={"code": world.dash_indicator.code}),
        "review": lambda: reverse("reviews:review_detail", kwargs={"pk": world.reviews_review.pk}),
        "return_edit": lambda: reverse("datasets:return_edit", kwargs={"pk": world.ds_draft_b.pk}),
    }[what]()
    with checked_page(browser, live_server, axe_source, world.persona(persona), width=PHONE, height=800) as page:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        # What makes the page demo-shaped is on it.
        if what == "home":
            assert page.locator(f"a:has-text('{LONG_NAME}')").count() == 1
            assert page.locator("#panel-partnership ~ * a[href^='/agencies/']").count() >= 10
        elif what == "indicator":
            assert page.get_by_label("Agency to draw on the charts").locator(
                f"option:has-text('{LONG_NAME}')").count() == 1
        elif what == "review":
            assert page.get_by_role("link", name="Download as CSV").count() == 1
        else:
            assert page.locator("details.govuk-details").count() >= 3
        problems = _problems(page, f"{persona} {url}")
    assert not problems, "\n".join(problems)
