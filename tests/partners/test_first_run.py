"""Issue 12.1: a partnership starts from empty without the Django admin."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partners.models import Partnership, Role, User
from safeguarding.navigation import _NAV

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/account/password-reset/[^\s]+/)")


def _start(**extra):
    call_command("create_partnership", name="Northshire Safeguarding Children Partnership",
                 manager_email="Jo.Bloggs@Northshire.example", **extra)


def test_create_partnership_makes_the_partnership_and_manager_and_emails_a_working_link(
        client, mailoutbox, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _start()
    partnership = Partnership.objects.get()
    manager = User.objects.get()
    assert (partnership.name, partnership.slug) == ("Northshire Safeguarding Children Partnership",
                                                    "northshire-safeguarding-children-partnership")
    assert (manager.email, manager.full_name, manager.role, manager.partnership) == (
        "jo.bloggs@northshire.example", "Jo Bloggs", Role.BUSINESS_MANAGER, partnership)
    assert not manager.has_usable_password()
    assert "business manager" in capsys.readouterr().out
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["jo.bloggs@northshire.example"]
    path = LINK.search(mailoutbox[0].body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    secret = "A-long-enough-passphrase-42"
    client.post(set_url, {"new_password1": secret, "new_password2": secret})
    manager.refresh_from_db()
    assert manager.check_password("A-long-enough-passphrase-42")


def test_create_partnership_refuses_a_taken_name_or_address_and_saves_nothing(world):
    with pytest.raises(CommandError, match="already has an account"):
        call_command("create_partnership", name="Fresh", manager_email=world.manager.email)
    with pytest.raises(CommandError, match="already a partnership called"):
        call_command("create_partnership", name=world.partnership.name.upper(), manager_email="new@x.example")
    assert not Partnership.objects.filter(name="Fresh").exists()
    with pytest.raises(CommandError, match="email address"):
        call_command("create_partnership", name="Fresh", manager_email="not-an-address")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@platform.example", "x", full_name="Platform Root")


def test_a_superuser_with_no_partnership_is_told_so_on_every_menu_page_never_a_500(superuser, as_user):
    client = as_user(superuser)
    client.raise_request_exception = True
    start = reverse("partners:partnership_start")
    for item in _NAV:
        response = client.get(reverse(item.url_name))
        assert (response.status_code, response["Location"]) == (302, start), item.url_name
    for url in ("/agencies/new/", "/people/new/", "/governance/meetings/new/", "/datasets/returns/upload/"):
        assert client.get(url)["Location"] == start
    page = client.get(start)
    assert page.status_code == 200
    assert "You do not belong to a partnership yet" in page.content.decode()
    assert "Create the partnership" in page.content.decode()


def test_the_superuser_creates_a_partnership_from_the_page(superuser, as_user, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    client = as_user(superuser)
    url = reverse("partners:partnership_start")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Westshire SCP", "manager_email": "bm@westshire.example",
                                     "manager_name": "Bea Manager"})
    assert response.status_code == 302
    assert User.objects.get(email="bm@westshire.example").partnership.name == "Westshire SCP"
    assert len(mailoutbox) == 1
    # Their own address is refused: a platform operator belongs to no partnership (issue 11.1).
    response = client.post(url, {"name": "Eastshire SCP", "manager_email": superuser.email})
    assert response.status_code == 200
    assert "cannot also be a partnership" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.partnership_id is None and not Partnership.objects.filter(name="Eastshire SCP").exists()


def test_the_page_shows_a_duplicate_name_beside_the_field(superuser, as_user, world):
    response = as_user(superuser).post(reverse("partners:partnership_start"),
                                       {"name": world.partnership.name, "manager_email": "n@x.example"})
    assert response.status_code == 200
    assert "already a partnership called" in response.content.decode()


def test_someone_with_no_partnership_who_is_not_a_superuser_cannot_create_one(as_user, db):
    orphan = User.objects.create_user("orphan@x.example", "x", full_name="Orphan", role=Role.PCI_MEMBER)
    client = as_user(orphan)
    page = client.get(reverse("partners:partnership_start"))
    assert page.status_code == 200 and "Ask your partnership" in page.content.decode()
    assert client.post(reverse("partners:partnership_start"), {"name": "X", "manager_email": "y@x.example"}
                       ).status_code == 403
    assert not Partnership.objects.exists()


def test_the_home_page_reviews_panel_has_no_field_error_without_a_partnership(db):
    from reviews.home import partnership_overdue_panel

    orphan = User.objects.create_user("o@x.example", "x", full_name="O", role=Role.BUSINESS_MANAGER)
    assert partnership_overdue_panel(orphan) == {"rows": [], "total": 0}


def test_a_new_partnerships_manager_sees_the_set_up_steps_until_done(as_user, world):
    from partners.services import partnership_start

    _, manager = partnership_start(actor=None, name="Newshire SCP", manager_email="bm@newshire.example")
    page = as_user(manager).get(reverse("home")).content.decode()
    assert "Set up the partnership" in page and page.count("To do") == 4
    assert reverse("partners:agency_upload") in page and reverse("partners:people_upload") in page
    # The test partnership has agencies and people, but no board and no seats yet.
    page = as_user(world.manager).get(reverse("home")).content.decode()
    assert "Set up the partnership" in page and page.count("To do") == 2
