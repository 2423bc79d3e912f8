"""``safeguarding.forms.Select`` (imported here as ``LongSelect``) draws a drop-down in Python for
speed: it must draw exactly what Django's templates draw, whatever the choices, the selected value
and the attributes, and a dashboard filter must come out of crispy-forms-gds unchanged."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from safeguarding.forms import Select as LongSelect

CHOICES = [("", "All agencies"), ("2024/25 Q4", "2024/25 Q4"), ("a&b", 'Smith & "Sons" <Trust>'),
           (7, 7), ("lazy", gettext_lazy("Health agencies"))]
GROUPED = [("Health", [("acute", "Acute trust"), ("gp", "GP practices")]), ("Police", [("police", "Police")])]


@pytest.mark.parametrize("value", [None, "", "2024/25 Q4", "a&b", 7, "not a choice"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_quarter", "class": "govuk-select", "required": True,
                                          "disabled": False, "data-x": 'say "hi"'}])
def test_long_select_draws_what_the_templates_draw(value, attrs):
    ours = LongSelect(choices=CHOICES).render("quarter", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("quarter", value, attrs=attrs)
    assert ours == django
    assert "&lt;Trust&gt;" in ours and "&quot;Sons&quot;" in ours


def test_grouped_choices_go_to_the_templates():
    assert (LongSelect(choices=GROUPED).render("type", "gp", attrs={"id": "id_type"})
            == forms.Select(choices=GROUPED).render("type", "gp", attrs={"id": "id_type"}))


@pytest.mark.django_db
def test_a_dashboard_filter_draws_the_same_either_way(world):
    from django.template import Context, Template

    from reports.dashboards.forms import TrendFilter
    from tests.dashboards.factories import make_quarters

    quarters = make_quarters(world.partnership, 9)
    agencies = [world.agency_a, world.agency_b]
    template = Template("{% load crispy_forms_tags %}{% crispy form %}")
    fast = TrendFilter({"quarter": quarters[3].label, "focus": world.agency_b.slug}, quarters=quarters,
                       agencies=agencies)
    slow = TrendFilter({"quarter": quarters[3].label, "focus": world.agency_b.slug}, quarters=quarters,
                       agencies=agencies)
    assert all(isinstance(field.widget, LongSelect) for field in fast.fields.values())
    for field in slow.fields.values():
        field.widget.__class__ = forms.Select
    html = template.render(Context({"form": fast}))
    assert html == template.render(Context({"form": slow}))
    assert f'<option value="{quarters[3].label}" selected>' in html
