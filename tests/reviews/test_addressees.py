"""Group addressees (issue 12.4) and draft actions made from recommendations (issue 16.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from partners.models import Agency, AgencyAlias, AgencyType
from reviews import selectors, services
from reviews.access import actions_for, may_assure, may_update_action
from reviews.forms import ActionForm
from reviews.models import Action, ActionStatus
from safeguarding.errors import DomainError
from safeguarding.uploads import UploadRejected
from tests.factories import AgencyFactory

from .conftest import make_review

MADE_ON = dt.date(2025, 1, 29)  # make_review's report date


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("recs.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def groups_world(world):
    """Agency A (acute trust) and B (LA); a school; a CCG closed before the recommendations;
    a trust that opens after them; and another partnership's agency that no group may reach."""
    p = world.partnership
    world.school = AgencyFactory(partnership=p, name="Testshire Academy", slug="academy",
                                 agency_type=AgencyType.EDUCATION)
    world.ccg = AgencyFactory(partnership=p, name="Testshire CCG", slug="ccg", agency_type=AgencyType.PRIMARY_CARE,
                              active_to=dt.date(2022, 6, 30))
    world.new_trust = AgencyFactory(partnership=p, name="Testshire Community Trust", slug="community",
                                    agency_type=AgencyType.COMMUNITY_HEALTH, active_from=dt.date(2026, 4, 1))
    world.review = make_review(world)
    return world


def _owners(rec):
    return {a.owner_agency for a in Action.objects.filter(recommendation=rec)}


def test_all_member_agencies_are_taken_as_they_stood_on_the_date(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="Share better.",
                                         groups=["all_members"])
    assert rec.made_on == MADE_ON
    # The closed CCG and the trust not yet open get nothing; the other partnership never.
    assert _owners(rec) == {w.agency_a, w.agency_b, w.school}
    assert all(a.status == ActionStatus.DRAFT and a.due_on is None and a.description == "Share better."
               for a in rec.actions.all())
    assert selectors.recommendation_addressees_label(rec) == "All member agencies"


def test_a_later_date_takes_the_group_as_it_stands_then(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="Plan.",
                                         groups=["health_providers"], made_on=dt.date(2026, 5, 1))
    assert _owners(rec) == {w.agency_a, w.new_trust}


def test_type_groups_and_named_agencies_together(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="2.1", text="Train staff.",
                                         groups=["type:education"], addressees=[w.agency_b])
    assert _owners(rec) == {w.school, w.agency_b}
    assert selectors.recommendation_addressees_label(rec) == (
        "All schools and colleges; Testshire Council Children's Social Care")


def test_the_partnership_itself_gets_one_action_the_manager_owns(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="3.1",
                                         text="Revise the FGM protocol.", groups=["partnership"])
    (action,) = rec.actions.all()
    assert action.owner_agency is None and action.owner_label == "The partnership"
    assert action.partnership_id == w.partnership.pk
    # The manager owns it, PCI assures it; no agency's submitter sees it; nor does the outsider.
    assert may_update_action(w.manager, action) and not may_update_action(w.pci, action)
    assert may_assure(w.pci, action) and not may_assure(w.manager, action)
    assert action in actions_for(w.manager) and action in actions_for(w.pci)
    for person in (w.submitter_a, w.submitter_b, w.designated, w.outsider):
        assert action not in actions_for(person)


def test_a_named_agency_closed_on_the_date_is_refused_with_its_successor(groups_world):
    w = groups_world
    Agency.objects.filter(pk=w.ccg.pk).update(replaced_by=w.agency_a)
    w.ccg.refresh_from_db()
    with pytest.raises(DomainError) as err:
        services.recommendation_create(actor=w.manager, review=w.review, number="4.1", text="X",
                                       addressees=[w.ccg])
    assert "Testshire CCG closed on 30 June 2022" in err.value.message
    assert "replaced by Testshire Hospitals NHS Trust" in err.value.message
    assert "cannot have a recommendation made on 29 January 2025" in err.value.message
    assert not w.review.recommendations.exists() and not Action.objects.exists()


def test_no_addressee_at_all_is_refused(groups_world):
    with pytest.raises(DomainError) as err:
        services.recommendation_create(actor=groups_world.manager, review=groups_world.review, number="4.1",
                                       text="X")
    assert err.value.field == "addressees"


def test_adding_it_twice_makes_no_second_draft(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="X",
                                         groups=["all_members", "partnership"])
    assert rec.actions.count() == 4
    assert services.draft_actions_create(actor=None, recommendation=rec) == []
    assert rec.actions.count() == 4


# --- the upload understands the words ---------------------------------------------------------

def test_the_upload_reads_groups_type_names_and_aliases(groups_world):
    w = groups_world
    AgencyAlias.objects.create(agency=w.agency_b, name="Children's Services")
    changes = services.recommendations_import(actor=w.manager, review=w.review, upload=_csv(
        "number,text,addressed to\n"
        "1.1,Revise the protocol.,The partnership\n"
        "1.2,Audit supervision.,All health providers; Children's Services\n"
        "1.3,Brief heads.,all schools\n"
        "1.4,Everyone trains.,All member agencies\n"))
    assert len(changes.added) == 4
    assert changes.added[1].after == ("Audit supervision. (to All health providers; "
                                      "Testshire Council Children's Social Care)")
    recs = {r.number: r for r in selectors.recommendations_with_addressees(w.review.recommendations.all())}
    assert selectors.recommendation_addressees_label(recs["1.1"]) == "The partnership"
    assert selectors.recommendation_addressees_label(recs["1.2"]) == (
        "All health providers; Testshire Council Children's Social Care")
    assert selectors.recommendation_addressees_label(recs["1.3"]) == "All schools and colleges"
    assert _owners(recs["1.1"]) == {None}
    assert _owners(recs["1.2"]) == {w.agency_a, w.agency_b}
    assert _owners(recs["1.3"]) == {w.school}
    assert _owners(recs["1.4"]) == {w.agency_a, w.agency_b, w.school}


def test_the_upload_refuses_unknown_words_and_closed_agencies_naming_the_row(groups_world):
    w = groups_world
    with pytest.raises(UploadRejected) as rejected:
        services.recommendations_import(actor=w.manager, review=w.review, upload=_csv(
            "number,text,addressed to\n"
            "1.1,A.,All the dragons\n"
            "1.2,B.,Testshire CCG\n"
            "1.3,C.,All member agencies\n"))
    errors = {e.row: e.message for e in rejected.value.errors}
    assert set(errors) == {2, 3}
    assert "No agency or group in the partnership is called ‘All the dragons’" in errors[2]
    assert "Testshire CCG closed on 30 June 2022" in errors[3]
    assert not w.review.recommendations.exists() and not Action.objects.exists()


# --- the agency sees its draft and completes it ---------------------------------------------

def test_the_agency_sees_its_draft_at_once_and_completes_it(groups_world, as_user):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="Audit referrals.",
                                         groups=["all_members"])
    draft = rec.actions.get(owner_agency=w.agency_a)
    page = as_user(w.submitter_a).get(reverse("reviews:my_actions")).content.decode()
    assert "Audit referrals." in page and "Complete the draft" in page
    home = as_user(w.submitter_a).get("/").content.decode()
    assert "Draft actions to complete (1)" in home
    # Progress cannot move a draft on before it has a lead and a due date.
    with pytest.raises(DomainError):
        services.action_set_status(actor=w.submitter_a, action=draft, status=ActionStatus.IN_PROGRESS)
    response = as_user(w.submitter_a).post(reverse("reviews:action_edit", args=[draft.pk]), {
        "version": draft.updated_at.isoformat(), "lead_name": "Lee Lead", "lead_role": "",
        "description": "Audit referrals.", "start_on": "2025-01-29", "due_on": "2025-09-30"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ActionStatus.NOT_STARTED and draft.lead_name == "Lee Lead"
    assert draft.due_on == dt.date(2025, 9, 30)


def test_the_register_and_action_pages_show_the_addressees_as_written(groups_world, as_user):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="X",
                                         groups=["health_providers", "partnership"])
    register = as_user(w.manager).get(reverse("reviews:review_detail", args=[w.review.pk])).content.decode()
    assert "Addressed to: All health providers; The partnership" in register  # in the order written
    action = rec.actions.get(owner_agency=w.agency_a)
    page = as_user(w.submitter_a).get(reverse("reviews:action_detail", args=[action.pk])).content.decode()
    assert "Addressed to: All health providers; The partnership" in page


def test_the_typed_form_takes_groups(groups_world, as_user):
    w = groups_world
    response = as_user(w.manager).post(reverse("reviews:recommendation_create", args=[w.review.pk]), {
        "number": "5.1", "text": "Brief every school.", "groups": ["type:education"]})
    assert response.status_code == 302
    rec = w.review.recommendations.get(number="5.1")
    assert _owners(rec) == {w.school}
    empty = as_user(w.manager).post(reverse("reviews:recommendation_create", args=[w.review.pk]), {
        "number": "5.2", "text": "Nobody."})
    assert "Choose who the recommendation is addressed to" in empty.content.decode()


def test_the_owner_list_offers_the_addressed_agencies_first(groups_world):
    w = groups_world
    rec = services.recommendation_create(actor=w.manager, review=w.review, number="1.1", text="X",
                                         groups=["type:education"])
    addressed = [a.pk for a in selectors.recommendation_addressed_agencies(rec)]
    form = ActionForm(agencies=Agency.objects.filter(partnership=w.partnership), indicators=None,
                      addressed=addressed)
    labels = [label for value, label in form.fields["owner_agency"].choices if value]
    assert labels[0] == "Testshire Academy (addressed)"
    assert all("(addressed)" not in label for label in labels[1:])


# --- assured or returned ----------------------------------------------------------------------

def _completed(w):
    action = services.action_create(actor=w.manager, recommendation=services.recommendation_create(
        actor=w.manager, review=w.review, number="9.1", text="X", addressees=[w.agency_b]),
        owner_agency=w.agency_b, lead_name="Bea", description="Audit", start_on=dt.date(2025, 2, 1),
        due_on=dt.date(2025, 9, 1), status=ActionStatus.COMPLETED)
    return action


def test_an_action_returned_goes_back_in_progress_with_the_reason(groups_world):
    w = groups_world
    action = _completed(w)
    with pytest.raises(DomainError) as err:
        services.action_return(actor=w.pci, action=action, reason="  ")
    assert err.value.field == "reason"
    services.action_return(actor=w.pci, action=action, reason="The audit report is not attached.")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(DomainError):
        services.action_return(actor=w.pci, action=action, reason="Again.")
