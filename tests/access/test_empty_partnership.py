"""The access matrix's empty partnership (issue 12.1): a partnership made by ``create_partnership``
with no agencies, indicators, quarters, reviews, training or reports. Every page on every menu,
and every page of the matrix a business manager reaches without an object id, answers 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.models import Role
from partners.services import partnership_start, person_create
from safeguarding.navigation import _NAV

from .registry import OK
from .test_matrix import ROUTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(db):
    partnership, manager = partnership_start(actor=None, name="Emptyshire SCP", manager_email="bm@empty.example")
    people = {"manager": manager}
    for role in (Role.PCI_MEMBER, Role.DESIGNATED_PROFESSIONAL, Role.ADMIN):
        people[role] = person_create(actor=None, partnership=partnership, email=f"{role}@empty.example",
                                     full_name=f"{role} person", role=role, invite=False)
    return people


def test_every_menu_page_answers_200_for_every_role_of_an_empty_partnership(empty, as_user):
    failures = []
    for label, person in empty.items():
        client = as_user(person)
        client.raise_request_exception = False
        for item in _NAV:
            if person.role not in item.roles:
                continue
            status = client.get(reverse(item.url_name)).status_code
            if status != OK:
                failures.append(f"{label} {item.url_name}: {status}")
    assert not failures, failures


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "get" and r.kwargs is None
                                   and not callable(r.query) and r.expect["manager"] == OK],
                         ids=lambda r: r.label)
def test_every_page_a_manager_opens_without_an_id_answers_200_when_empty(route, empty, as_user):
    client = as_user(empty["manager"])
    client.raise_request_exception = False
    url = reverse(route.name) + (f"?{route.query}" if route.query else "")
    assert client.get(url).status_code == OK
