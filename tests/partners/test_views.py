import pytest
from django.urls import reverse

from partners.models import Agency, User
from safeguarding.concurrency import version_token

pytestmark = pytest.mark.django_db


def test_agency_form_names_missing_and_overlong_fields(world, as_user):
    client = as_user(world.manager)
    response = client.post(reverse("partners:agency_create"), {"name": "x" * 201, "agency_type": "",
                                                                 "membership": "relevant"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The name must be 200 characters or fewer (it has 201)" in body
    assert "Select the type of agency" in body and "This field is required" not in body
    assert Agency.objects.count() == 3


def test_a_stale_edit_is_told_and_loses_nothing(world, as_user):
    client = as_user(world.manager)
    url = reverse("partners:agency_edit", kwargs={"slug": world.agency_b.slug})
    stale = version_token(world.agency_b.updated_at)
    form = {"name": "Renamed by me", "agency_type": world.agency_b.agency_type, "membership": "statutory",
            "aliases": "", "version": stale}
    assert client.post(url, form).status_code == 302
    response = client.post(url, form | {"name": "Renamed by someone else"})
    assert response.status_code == 200
    assert "Someone else changed this agency" in response.content.decode()
    world.agency_b.refresh_from_db()
    assert world.agency_b.name == "Renamed by me"


def test_tampered_version_counts_as_stale(world, as_user):
    client = as_user(world.manager)
    url = reverse("partners:agency_edit", kwargs={"slug": world.agency_b.slug})
    response = client.post(url, {"name": "X", "agency_type": "police", "membership": "statutory",
                                 "version": "not-a-date"})
    assert "Someone else changed this agency" in response.content.decode()


def test_manager_adds_a_person_who_can_then_set_a_password(world, as_user, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    client = as_user(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:person_create"), {
            "full_name": "Nina Nurse", "email": "nina@hospital.example", "role": "submitter",
            "agencies": [world.agency_a.pk]})
    assert response.status_code == 302
    person = User.objects.get(email="nina@hospital.example")
    assert list(person.agencies.all()) == [world.agency_a]
    assert len(mailoutbox) == 1


def test_person_form_refuses_an_agency_of_another_partnership(world, as_user):
    client = as_user(world.manager)
    response = client.post(reverse("partners:person_create"), {
        "full_name": "Sly", "email": "sly@example.org", "role": "submitter", "agencies": [world.other_agency.pk]})
    assert response.status_code == 200
    assert "Select one of the options given for the agencies they submit for" in response.content.decode()
    assert not User.objects.filter(email="sly@example.org").exists()


def test_agency_list_runs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries):
    from tests.factories import AgencyFactory

    client = as_user(world.pci)
    url = reverse("partners:agency_list")
    client.get(url)
    # 9: the page count of the paging (issue 16.6) is the one more.
    with django_assert_max_num_queries(9) as small:
        client.get(url)
    for n in range(30):
        agency = AgencyFactory(partnership=world.partnership, parent=world.agency_a)
        agency.aliases.create(name=f"alias {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
