"""A person changed while signed in gets, at their next request, exactly what their new self gets.

Access is decided on every request from the person as stored (role, agencies, partnership,
whether switched on), never from what the session remembered at sign-in. Each case signs a
persona in, changes them underneath the open session, and walks every GET page of the access
matrix expecting the statuses of the persona they have become:

- a business manager demoted to PCI member gets what the PCI member gets;
- agency B's submitter whose agency is taken away (given agency A) gets what A's submitter gets;
- a PCI member made agency A's submitter gets what A's submitter gets;
- a designated nurse switched off is signed out (what the signed-out get);
- agency A's submitter moved to the other partnership gets what the outsider gets on this
  partnership's objects (404), and a refusal (403 or 404) elsewhere that is not their page.
"""

from __future__ import annotations

import pytest

from partners.models import Role, User

from .registry import FORBIDDEN, FOUND, NOT_FOUND
from .test_matrix import ROUTES

GETS = [route for route in ROUTES if route.method == "get"]


def _demote_manager(w):
    User.objects.filter(pk=w.manager.pk).update(role=Role.PCI_MEMBER)
    return w.manager


def _take_agency_away(w):
    w.submitter_b.agencies.set([w.agency_a])
    return w.submitter_b


def _pci_made_submitter(w):
    User.objects.filter(pk=w.pci.pk).update(role=Role.AGENCY_SUBMITTER)
    w.pci.agencies.set([w.agency_a])
    return w.pci


def _switch_off(w):
    User.objects.filter(pk=w.designated.pk).update(is_active=False)
    return w.designated


def _move_to_the_other_partnership(w):
    User.objects.filter(pk=w.submitter_a.pk).update(partnership=w.other_partnership)
    return w.submitter_a


CASES = [("manager", _demote_manager, "pci"), ("submitter_b", _take_agency_away, "submitter_a"),
         ("pci", _pci_made_submitter, "submitter_a"), ("designated", _switch_off, "anonymous"),
         ("submitter_a", _move_to_the_other_partnership, "outsider")]


@pytest.mark.parametrize(("persona", "change", "becomes"), CASES, ids=[c[1].__name__.strip("_") for c in CASES])
def test_a_change_made_while_signed_in_applies_at_the_next_request(persona, change, becomes, fuzz_world, client):
    client.force_login(fuzz_world.persona(persona), backend="django.contrib.auth.backends.ModelBackend")
    change(fuzz_world)
    problems = []
    for route in GETS:
        url = route.url(fuzz_world)
        response = client.get(url)
        expected = route.expect[becomes]
        if becomes == "outsider":
            # The outsider is a manager, the moved person a submitter: on this partnership's objects
            # either refusal (a submitter's role is refused before the object is looked up); on
            # pages of no object, whatever their role gets in their own partnership.
            if expected == NOT_FOUND and response.status_code == FORBIDDEN:
                expected = FORBIDDEN
            elif expected != NOT_FOUND and response.status_code in (200, FORBIDDEN, FOUND):
                expected = response.status_code
        if response.status_code != expected:
            problems.append(f"GET {url}: {response.status_code}, as {becomes} {expected}")
        if becomes == "anonymous" and expected == FOUND:
            assert "/account/sign-in/" in response["Location"], url
    assert not problems, f"{persona} changed into {becomes}:\n" + "\n".join(problems)


def test_a_person_made_business_manager_while_signed_in_must_pass_the_code_step_first(fuzz_world, client):
    """Managers must use a second factor (issue 11.6): a submitter promoted under an open session
    (signed in with the password alone) reaches only the two-step pages until they set up an app,
    on every page of the matrix, the manager's own pages included."""
    from django.urls import reverse

    client.force_login(fuzz_world.submitter_b, backend="django.contrib.auth.backends.ModelBackend")
    User.objects.filter(pk=fuzz_world.submitter_b.pk).update(role=Role.BUSINESS_MANAGER)
    two_step = (reverse("two_step_verify"), reverse("two_step_setup"))
    problems = []
    for route in GETS:
        url = route.url(fuzz_world)
        if url.startswith(two_step) or route.name in ("logout", "healthz") or route.expect["anonymous"] == 200:
            continue
        response = client.get(url)
        if response.status_code != FOUND or not response["Location"].startswith(two_step):
            problems.append(f"GET {url}: {response.status_code} {response.get('Location', '')}")
    assert not problems, "a promoted person got past the code step:\n" + "\n".join(problems)
    assert client.get(reverse("two_step_setup")).status_code == 200
