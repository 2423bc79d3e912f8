"""A previewed upload is saved only by the person who previewed it, on the page it was previewed
on, while they may still use that page (``safeguarding.upload_preview``: the kept file's token is
the person's, for one page and object).

The preview keeps the file on the server under a random token that the "Save these changes" form
posts back. Replayed by someone else (a second business manager of the same partnership, the
other partnership's manager), on another upload page, or by the same person after they were
demoted, it saves nothing; the person who previewed it can still save it afterwards.
"""

from __future__ import annotations

from django.urls import reverse

from partners.models import Role, User
from tests.factories import UserFactory
from tests.partners.test_setup_uploads import people_file
from tests.upload_flow import token_of

NO_LONGER = "That upload is no longer waiting to be saved"


def _people():
    return set(User.objects.values_list("email", flat=True))


def test_a_previewed_upload_is_saved_only_by_its_person_on_its_page(world, as_user):
    people = reverse("partners:people_upload")
    preview = as_user(world.manager).post(people, {"file": people_file(
        [["Nia New", "nia.new@hospital.example", "Agency submitter", "Testshire Hospitals NHS Trust", ""]])})
    token = token_of(preview)
    assert token, "the people upload showed no preview"
    second_manager = UserFactory(email="second.manager@partnership.example", partnership=world.partnership,
                                 role=Role.BUSINESS_MANAGER)
    before = _people()
    for replayer in (second_manager, world.outsider, world.other_admin):
        response = as_user(replayer).post(people, {"token": token}, follow=True)
        assert NO_LONGER in response.content.decode(), replayer.email
        assert _people() == before, f"{replayer.email} saved someone else's upload"
    # The same person, on another upload page (its own purpose): not that page's file.
    response = as_user(world.manager).post(reverse("partners:agency_upload"), {"token": token}, follow=True)
    assert NO_LONGER in response.content.decode()
    assert _people() == before
    # Demoted while the preview waits: the page itself is refused.
    User.objects.filter(pk=world.manager.pk).update(role=Role.PCI_MEMBER)
    assert as_user(world.manager).post(people, {"token": token}).status_code == 403
    assert _people() == before
    # Given the role back, the person who previewed it saves it: the token was good all along.
    User.objects.filter(pk=world.manager.pk).update(role=Role.BUSINESS_MANAGER)
    as_user(world.manager).post(people, {"token": token})
    assert _people() - before == {"nia.new@hospital.example"}
