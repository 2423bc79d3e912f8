"""Issue 12.7: a duplicate sent through every create and edit form is shown beside the form, never a 500.

Each case makes two objects through the services, then (1) posts the first one's own edit form,
as the page renders it, to the create page, and (2) posts it to the second object's edit page
(keeping the second's version token). Both must answer 200 with the GOV.UK error summary and save
nothing. The form values are read from the rendered page, so a new field cannot slip past.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from partners import services as partners
from partners.governance import services as governance
from partners.models import Agency

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values a browser would send for the page's main form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._option = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_values(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.data


def _cases(world):
    """(label, model, create URL, edit URL of the first, edit URL of the second), objects made."""
    p, m = world.partnership, world.manager
    a1 = partners.agency_create(actor=m, partnership=p, name="Northshire Police", agency_type="police")
    a2 = partners.agency_create(actor=m, partnership=p, name="Northshire Probation", agency_type="probation")
    s1 = partners.subgroup_create(actor=m, partnership=p, name="Training subgroup")
    s2 = partners.subgroup_create(actor=m, partnership=p, name="Practice review subgroup")
    pr1 = governance.priority_create(actor=m, partnership=p, year_start=2024, title="Neglect")
    pr2 = governance.priority_create(actor=m, partnership=p, year_start=2024, title="Exploitation")
    mt1 = governance.meeting_create(actor=m, partnership=p, subgroup=world.subgroup, held_on=dt.date(2024, 6, 1))
    mt2 = governance.meeting_create(actor=m, partnership=p, subgroup=world.subgroup, held_on=dt.date(2024, 9, 1))
    yield ("agency", Agency, reverse("partners:agency_create"),
           reverse("partners:agency_edit", args=[a1.slug]), reverse("partners:agency_edit", args=[a2.slug]))
    yield ("subgroup", type(s1), reverse("partners:subgroup_create"),
           reverse("partners:subgroup_edit", args=[s1.slug]), reverse("partners:subgroup_edit", args=[s2.slug]))
    yield ("person", type(world.pci), reverse("partners:person_create"),
           reverse("partners:person_edit", args=[world.pci.pk]),
           reverse("partners:person_edit", args=[world.designated.pk]))
    yield ("priority", type(pr1), reverse("partners:priority_create"),
           reverse("partners:priority_edit", args=[pr1.pk]), reverse("partners:priority_edit", args=[pr2.pk]))
    yield ("meeting", type(mt1), reverse("partners:meeting_create") + f"?subgroup={world.subgroup.pk}",
           reverse("partners:meeting_edit", args=[mt1.pk]), reverse("partners:meeting_edit", args=[mt2.pk]))

    st1 = governance.seat_create(actor=m, subgroup=world.subgroup, role="Lay member", holder="Joan")
    st2 = governance.seat_create(actor=m, subgroup=world.subgroup, role="Lay member", holder="Imran")
    yield ("seat", type(st1), reverse("partners:seat_create", args=[world.subgroup.slug]),
           reverse("partners:seat_edit", args=[world.subgroup.slug, st1.pk]),
           reverse("partners:seat_edit", args=[world.subgroup.slug, st2.pk]))

    from training import services as training

    l1 = training.level_create(actor=m, partnership=p, name="Level 1")
    l2 = training.level_create(actor=m, partnership=p, name="Level 2")
    yield ("training level", type(l1), reverse("training:level_create"),
           reverse("training:level_edit", args=[l1.pk]), reverse("training:level_edit", args=[l2.pk]))
    g1 = training.staff_group_create(actor=m, partnership=p, name="Nurses", agency_types=["acute_trust"], levels=[l1])
    g2 = training.staff_group_create(actor=m, partnership=p, name="Doctors", agency_types=["acute_trust"], levels=[l1])
    yield ("staff group", type(g1), reverse("training:staff_group_create"),
           reverse("training:staff_group_edit", args=[g1.pk]), reverse("training:staff_group_edit", args=[g2.pk]))
    c1 = training.course_create(actor=m, partnership=p, title="Neglect basics", format="classroom",
                                duration_hours=Decimal("3"), capacity=20)
    c2 = training.course_create(actor=m, partnership=p, title="FGM briefing", format="classroom",
                                duration_hours=Decimal("2"), capacity=20)
    yield ("course", type(c1), reverse("training:course_create"),
           reverse("training:course_edit", args=[c1.pk]), reverse("training:course_edit", args=[c2.pk]))

    from reviews import services as reviews

    r1 = reviews.review_create(actor=m, partnership=p, review_type="cspr", title="Child K",
                               started_on=dt.date(2024, 4, 1))
    r2 = reviews.review_create(actor=m, partnership=p, review_type="cspr", title="Child L",
                               started_on=dt.date(2024, 4, 1))
    yield ("review", type(r1), reverse("reviews:review_create"),
           reverse("reviews:review_edit", args=[r1.pk]), reverse("reviews:review_edit", args=[r2.pk]))

    from datasets.services import catalogue

    i1 = catalogue.indicator_create(actor=m, partnership=p, code="CP1", name="Children on a plan",
                                    domain="children_in_need", unit="count", agency_types=["la_csc"])
    i2 = catalogue.indicator_create(actor=m, partnership=p, code="CP2", name="Plans over two years",
                                    domain="children_in_need", unit="count", agency_types=["la_csc"])
    yield ("indicator", type(i1), reverse("datasets:indicator_create"),
           reverse("datasets:indicator_edit", args=[i1.pk]), reverse("datasets:indicator_edit", args=[i2.pk]))


def _refused(response, label: str, how: str) -> None:
    assert response.status_code == 200, f"{label} {how}: answered {response.status_code}"
    body = response.content.decode()
    assert "There is a problem" in body, f"{label} {how}: no error summary"
    # The refusal is about the duplicate, not some other missing field.
    assert "already" in body.lower(), f"{label} {how}: the duplicate was not named"


def test_a_duplicate_through_every_create_and_edit_form_is_shown_not_a_500(world, as_user):
    client = as_user(world.manager)
    client.raise_request_exception = True
    for label, model, create_url, first_edit, second_edit in _cases(world):
        before = model.objects.count()
        first = form_values(client, first_edit)
        first.pop("version", None)
        _refused(client.post(create_url, first), label, "created twice")
        second_version = form_values(client, second_edit).get("version", [""])
        _refused(client.post(second_edit, first | {"version": second_version}), label, "renamed to the first")
        assert model.objects.count() == before, f"{label}: a duplicate was saved"


@pytest.mark.parametrize("variant", ["northshire police", "  Northshire   POLICE ", "NORTHSHIRE\tPolice"])
def test_agency_names_are_unique_whatever_case_and_spacing(world, as_user, variant):
    client = as_user(world.manager)
    partners.agency_create(actor=world.manager, partnership=world.partnership, name="Northshire Police",
                           agency_type="police")
    response = client.post(reverse("partners:agency_create"),
                           {"name": variant, "agency_type": "police", "membership": "relevant"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is already an agency called ‘Northshire Police’" in body
    assert 'id="name-error"' in body or "govuk-error-message" in body
    assert Agency.objects.filter(name__iexact="northshire police").count() == 1


def test_the_database_refuses_a_case_variant_even_past_the_service(world):
    from django.db import IntegrityError, transaction

    Agency.objects.create(partnership=world.partnership, name="Same Name", slug="same-1", agency_type="police")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(partnership=world.partnership, name="SAME NAME", slug="same-2", agency_type="police")


def test_a_validation_error_from_full_clean_reaches_the_form_beside_its_field():
    from django import forms
    from django.core.exceptions import ValidationError

    from safeguarding.errors import DomainError
    from safeguarding.forms import apply_domain_error

    class F(forms.Form):
        name = forms.CharField()

    form = F({"name": "x"})
    form.is_valid()
    error = DomainError.from_validation_error(ValidationError({"name": ["Taken."], "__all__": ["Whole form."],
                                                               "hidden": ["Not a field."]}))
    apply_domain_error(form, error)
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Whole form.", "Not a field."]
