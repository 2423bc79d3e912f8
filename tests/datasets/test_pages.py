"""The datasets pages through the test client: the form, check your answers, review, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datasets.models import Return, ReturnValue
from safeguarding.workflow import ReturnStatus

pytestmark = pytest.mark.django_db


def _field(cat_indicator, column, part=None):
    from datasets.validation import field_name

    return field_name(cat_indicator.pk, part.pk if part else None, column)


def _start(client, world, cat, person):
    url = reverse("datasets:return_start", kwargs={"quarter_pk": cat.quarter.pk, "agency_slug": world.agency_a.slug})
    response = client.post(url)
    assert response.status_code == 302
    return Return.objects.get(agency=world.agency_a, quarter=cat.quarter)


def _form_data(client, ret):
    response = client.get(reverse("datasets:return_edit", kwargs={"pk": ret.pk}))
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return data


def test_home_panels_render_for_every_role(world, cat, as_user):
    for person in (world.submitter_a, world.submitter_b, world.designated, world.pci, world.manager, world.outsider):
        response = as_user(person).get(reverse("home"))
        assert response.status_code == 200, person
    page = as_user(world.designated).get(reverse("home")).content.decode()
    assert "Health returns outstanding" in page and "Your quarterly returns" in page
    assert "Returns awaiting review" in as_user(world.pci).get(reverse("home")).content.decode()
    assert "completeness" in as_user(world.manager).get(reverse("home")).content.decode()


def test_designated_fills_submits_and_pci_queries_then_accepts(world, cat, as_user):
    client = as_user(world.designated)
    ret = _start(client, world, cat, world.designated)
    data = _form_data(client, ret)
    data.update({_field(cat.training, "numerator"): "700", _field(cat.training, "denominator"): "1,000",
                 _field(cat.referrals, "value"): "85%", "check": "1"})
    response = client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "not a percentage" in page
    assert not ReturnValue.objects.filter(ret=ret).exists()  # nothing half-saved

    data[_field(cat.referrals, "value")] = "1,234"
    response = client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data)
    assert response.status_code == 302 and response["Location"].endswith("/check/")
    page = client.get(response["Location"]).content.decode()
    assert "cannot be submitted yet" in page and "red against its target" in page

    data = _form_data(client, ret)
    data[_field(cat.training, "narrative")] = "Two wards short of trainers; recovery plan agreed."
    client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data)
    response = client.post(reverse("datasets:return_check", kwargs={"pk": ret.pk}), {"comment": ""})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED

    pci = as_user(world.pci)
    response = pci.post(reverse("datasets:return_query", kwargs={"pk": ret.pk}), {"comment": ""})
    assert "Enter" in response.content.decode() or response.status_code == 200
    pci.post(reverse("datasets:return_query", kwargs={"pk": ret.pk}), {"comment": "Why did training fall?"})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.QUERIED

    client = as_user(world.designated)
    detail = client.get(reverse("datasets:return_detail", kwargs={"pk": ret.pk})).content.decode()
    assert "Why did training fall?" in detail
    # "Answer the query" opens the figures with the query and its thread at the top (issue 16.5).
    answer = client.get(reverse("datasets:return_edit", kwargs={"pk": ret.pk})).content.decode()
    assert "The query you are answering" in answer and "Why did training fall?" in answer
    assert answer.index("Why did training fall?") < answer.index('<form method="post" novalidate>')
    response = client.post(reverse("datasets:return_check", kwargs={"pk": ret.pk}), {"comment": ""})
    assert response.status_code == 200  # an answer is required
    client.post(reverse("datasets:return_check", kwargs={"pk": ret.pk}), {"comment": "Sickness in two wards."})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RESUBMITTED

    # Accepting asks first, on a page that says what will be locked; the GET changes nothing.
    confirm = as_user(world.pci).get(reverse("datasets:return_accept", kwargs={"pk": ret.pk})).content.decode()
    assert "are locked: nobody can change them" in confirm and "Accept and lock the return" in confirm
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RESUBMITTED
    as_user(world.pci).post(reverse("datasets:return_accept", kwargs={"pk": ret.pk}), {"comment": ""})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    reopen = as_user(world.manager).get(reverse("datasets:return_reopen", kwargs={"pk": ret.pk})).content.decode()
    assert "goes back to draft" in reopen
    client = as_user(world.designated)
    response = client.get(reverse("datasets:return_edit", kwargs={"pk": ret.pk}))
    assert response.status_code == 302  # locked
    history = client.get(reverse("datasets:return_history", kwargs={"pk": ret.pk})).content.decode()
    for text in ("Why did training fall?", "Sickness in two wards.", "Two wards short", "1,234"):
        assert text in history


def test_stale_edit_is_refused_and_overwrites_nothing(world, cat, as_user):
    client = as_user(world.submitter_a)
    ret = _start(client, world, cat, world.submitter_a)
    first = _form_data(client, ret)
    second = dict(first)
    first[_field(cat.referrals, "value")] = "10"
    assert client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), first).status_code == 302
    second[_field(cat.referrals, "value")] = "99"
    response = client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), second)
    assert response.status_code == 200
    assert "Someone else changed this return" in response.content.decode()
    assert ReturnValue.objects.get(ret=ret, indicator=cat.referrals).value == 10


def test_form_posted_twice_is_harmless(world, cat, as_user):
    client = as_user(world.submitter_a)
    ret = _start(client, world, cat, world.submitter_a)
    data = _form_data(client, ret)
    data[_field(cat.referrals, "value")] = "10"
    assert client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data).status_code == 302
    # The same post again (a double click): nothing changes, nothing is refused.
    assert client.post(reverse("datasets:return_edit", kwargs={"pk": ret.pk}), data).status_code == 302
    assert ReturnValue.history.filter(ret_id=ret.pk).count() == 1


def test_catalogue_pages(world, cat, as_user):
    client = as_user(world.manager)
    assert client.get(reverse("datasets:indicator_list")).status_code == 200
    assert client.get(reverse("datasets:indicator_detail", kwargs={"pk": cat.cpp.pk})).status_code == 200
    response = client.post(reverse("datasets:indicator_create"), {
        "code": "h-new", "name": "New thing", "domain": "health", "unit": "percentage", "polarity": "higher",
        "agency_types": ["acute_trust"], "required": "on"})
    assert response.status_code == 200 and "numerator and denominator labels" in response.content.decode()
    response = client.post(reverse("datasets:target_create", kwargs={"pk": cat.training.pk}),
                           {"year": "2025/26", "target": "95%", "amber_threshold": "96"})
    assert "at or below the target" in response.content.decode()
    response = client.post(reverse("datasets:target_create", kwargs={"pk": cat.training.pk}),
                           {"year": "2025/26", "target": "95%", "amber_threshold": "85"})
    assert response.status_code == 302
    response = client.post(reverse("datasets:comparator_edit", kwargs={"pk": cat.training.pk}),
                           {"year": "2023/24", "kind": "england", "value": "88.5"})
    assert response.status_code == 302
    page = client.get(reverse("datasets:indicator_detail", kwargs={"pk": cat.training.pk})).content.decode()
    assert "95.0%" in page and "88.5%" in page


def test_quarter_pages(world, cat, as_user):
    client = as_user(world.manager)
    response = client.post(reverse("datasets:quarter_create"), {"period": "2025/26-Q1", "due_days": "20"})
    assert response.status_code == 302
    response = client.post(reverse("datasets:quarter_create"), {"period": "2025/26-Q1", "due_days": "20"})
    assert "already exists" in response.content.decode()
    assert client.get(reverse("datasets:quarter_list")).status_code == 200
    client.post(reverse("datasets:quarter_close", kwargs={"pk": cat.quarter.pk}))
    cat.quarter.refresh_from_db()
    assert cat.quarter.is_closed
    page = as_user(world.designated).get(reverse("datasets:completeness", kwargs={"pk": cat.quarter.pk}))
    assert world.agency_a.name in page.content.decode() and world.agency_b.name not in page.content.decode()


def test_manager_extends_a_deadline_and_a_stale_form_is_refused(world, cat, as_user):
    import datetime as dt

    from safeguarding.concurrency import version_token

    client = as_user(world.manager)
    url = reverse("datasets:quarter_edit", kwargs={"pk": cat.quarter.pk})
    loaded = version_token(cat.quarter.updated_at)
    new_due = cat.quarter.due_on + dt.timedelta(days=14)
    form = {"opens_on": cat.quarter.opens_on.isoformat(), "due_on": new_due.isoformat(), "version": loaded}
    assert client.post(url, form).status_code == 302
    cat.quarter.refresh_from_db()
    assert cat.quarter.due_on == new_due
    stale = client.post(url, form | {"due_on": (new_due + dt.timedelta(days=7)).isoformat()})
    assert "Someone else changed this quarter" in stale.content.decode()
    backwards = client.post(url, {"opens_on": new_due.isoformat(), "due_on": cat.quarter.opens_on.isoformat(),
                                  "version": version_token(cat.quarter.updated_at)})
    assert "The due date must be on or after the date returns open" in backwards.content.decode()
    cat.quarter.refresh_from_db()
    assert cat.quarter.due_on == new_due
