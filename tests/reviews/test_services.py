"""The rules of reviews, actions, evidence and challenges, and the bad inputs of the issue."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import AgencyAlias
from reviews import services
from reviews.models import Action, ActionStatus, ChallengeStatus, Evidence, Recommendation, ReviewType
from safeguarding.errors import DomainError, NotAllowed
from safeguarding.models import AuditEvent
from safeguarding.uploads import UploadRejected

from .conftest import make_action, make_review, pdf_upload

pytestmark = pytest.mark.django_db


def csv_upload(text: str, name: str = "recs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- register -------------------------------------------------------------------------------

def test_review_deadline_in_working_days(world):
    review = make_review(world)  # published 29 January 2025, 20 working days
    assert review.action_plan_due_on == dt.date(2025, 2, 26)
    assert AuditEvent.objects.filter(action="review.created", object_id=str(review.pk)).exists()


def test_only_the_manager_keeps_the_register(world):
    with pytest.raises(NotAllowed):
        services.review_create(actor=world.pci, partnership=world.partnership, review_type=ReviewType.CSPR,
                               title="Child Q")


def test_review_dates_out_of_order_are_refused(world):
    with pytest.raises(DomainError) as err:
        services.review_create(actor=world.manager, partnership=world.partnership, review_type=ReviewType.CSPR,
                               title="Child Q", started_on=dt.date(2025, 3, 1), completed_on=dt.date(2025, 2, 1))
    assert err.value.field == "completed_on"


def test_duplicate_recommendation_number_is_refused(world):
    review = make_review(world)
    services.recommendation_create(actor=world.manager, review=review, number="5.6", text="x",
                                   addressees=[world.agency_a])
    with pytest.raises(DomainError, match="already recorded"):
        services.recommendation_create(actor=world.manager, review=review, number="5.6", text="y",
                                       addressees=[world.agency_b])


def test_recommendations_sort_numerically(world):
    review = make_review(world)
    for number in ("1.10", "1.9", "2.1", "1.2"):
        services.recommendation_create(actor=world.manager, review=review, number=number, text="t",
                                       addressees=[world.agency_a])
    assert list(review.recommendations.values_list("number", flat=True)) == ["1.2", "1.9", "1.10", "2.1"]


# --- upload ---------------------------------------------------------------------------------

def test_upload_matches_names_and_aliases(world):
    AgencyAlias.objects.create(agency=world.agency_a, name="THT")
    review = make_review(world)
    count = services.recommendations_import(actor=world.manager, review=review, upload=csv_upload(
        "number,text,addressed to,theme\n"
        "1.1,Share records,THT; Testshire Council Children's Social Care,Information sharing\n"
        "1.2,Quality assure referrals,testshire hospitals nhs trust,\n"))
    assert len(count.added) == 2 and count.message == "Saved: 2 recommendations added."
    rec = Recommendation.objects.get(review=review, number="1.1")
    assert set(rec.addressees.all()) == {world.agency_a, world.agency_b}
    assert rec.theme.name == "Information sharing"


def test_upload_with_errors_lists_every_row_and_saves_nothing(world):
    review = make_review(world)
    services.recommendation_create(actor=world.manager, review=review, number="9.9", text="x",
                                   addressees=[world.agency_a])
    with pytest.raises(UploadRejected) as rejected:
        services.recommendations_import(actor=world.manager, review=review, upload=csv_upload(
            "number,text,addressed to\n"
            "1.1,Fine,Testshire Hospitals NHS Trust\n"
            "1.2,Unknown agency,Nowhere Trust\n"
            "1.1,Duplicate number,Testshire Hospitals NHS Trust\n"
            "9.9,Already there,Testshire Hospitals NHS Trust\n"
            "abc,,Elsewhere Trust\n"))
    errors = {(e.row, e.column) for e in rejected.value.errors}
    assert errors == {(3, "addressed to"), (4, "number"), (5, "number"), (6, "number"), (6, "text"),
                      (6, "addressed to")}
    assert "Nowhere Trust" in str(rejected.value)
    assert review.recommendations.count() == 1  # only the one made before
    # Excel turns a number typed 1.10 into 1.1: the refusal says so.
    duplicate = next(e for e in rejected.value.errors if (e.row, e.column) == (4, "number"))
    assert duplicate.message == ("Number 1.1 is also on row 2: each number once. If one of them is 1.10, Excel "
                                 "turned it into 1.1: format the number column as Text and type it again.")


def test_upload_refuses_formulas_and_unknown_columns(world):
    review = make_review(world)
    with pytest.raises(UploadRejected):
        services.recommendations_import(actor=world.manager, review=review, upload=csv_upload(
            "number,text,addressed to,colour\n1.1,x,Testshire Hospitals NHS Trust,red\n"))
    with pytest.raises(UploadRejected):
        services.recommendations_import(actor=world.manager, review=review, upload=csv_upload(
            "number,text,addressed to\n1.1,=HYPERLINK(\"x\"),Testshire Hospitals NHS Trust\n"))
    assert review.recommendations.count() == 0


# --- actions --------------------------------------------------------------------------------

def test_due_date_before_start_is_refused(world):
    with pytest.raises(DomainError) as err:
        make_action(world, agency=world.agency_a, start_on=dt.date(2025, 5, 1), due_on=dt.date(2025, 4, 1))
    assert err.value.field == "due_on"
    assert not Action.objects.exclude(status="draft").exists()  # only the recommendation's own draft


def test_action_update_refuses_due_before_start_and_keeps_old_dates(reviews_world):
    action = reviews_world.action_a
    with pytest.raises(DomainError):
        services.action_update(actor=reviews_world.submitter_a, action=action, version=action.updated_at.isoformat(),
                               due_on=dt.date(2024, 1, 1))
    action.refresh_from_db()
    assert action.due_on == dt.date(2025, 9, 30)


def test_only_the_owner_posts_progress(reviews_world):
    w = reviews_world
    services.action_post_progress(actor=w.submitter_a, action=w.action_a, text="Audit done", status="in_progress")
    w.action_a.refresh_from_db()
    assert w.action_a.status == ActionStatus.IN_PROGRESS
    with pytest.raises(NotAllowed):
        services.action_post_progress(actor=w.submitter_a, action=w.action_b, text="Not mine")
    with pytest.raises(NotAllowed):
        services.action_post_progress(actor=w.pci, action=w.action_b, text="PCI does not deliver")


def test_designated_acts_for_health_agencies_only(reviews_world):
    w = reviews_world
    services.action_post_progress(actor=w.designated, action=w.action_a, text="Checked with the trust")
    with pytest.raises(NotAllowed):
        services.action_post_progress(actor=w.designated, action=w.action_b, text="LA is not health")


# --- evidence -------------------------------------------------------------------------------

def test_evidence_is_stored_with_its_own_date(reviews_world):
    w = reviews_world
    evidence = services.evidence_add(actor=w.submitter_a, action=w.action_a, upload=pdf_upload(),
                                     evidence_date=dt.date(2025, 3, 14), description="Audit")
    assert evidence.evidence_date == dt.date(2025, 3, 14)
    assert evidence.uploaded_at.date() >= evidence.evidence_date
    assert evidence.content_type == "application/pdf"
    assert not evidence.file.name.endswith("minutes.pdf")  # the stored name is ours, not the person's
    assert evidence.file.storage.exists(evidence.file.name)


def test_executable_renamed_pdf_is_refused(reviews_world):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    with pytest.raises(DomainError, match="not a PDF") as err:
        services.evidence_add(actor=reviews_world.submitter_a, action=reviews_world.action_a,
                              upload=pdf_upload("report.pdf", exe), evidence_date=dt.date(2025, 3, 1))
    assert "exe" in err.value.message
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
    with pytest.raises(DomainError):
        services.evidence_add(actor=reviews_world.submitter_a, action=reviews_world.action_a,
                              upload=pdf_upload("report.pdf", elf), evidence_date=dt.date(2025, 3, 1))
    assert not Evidence.objects.exists()


def test_other_refused_files(reviews_world, settings):
    w = reviews_world
    add = lambda upload: services.evidence_add(actor=w.submitter_a, action=w.action_a, upload=upload,  # noqa: E731
                                               evidence_date=dt.date(2025, 3, 1))
    with pytest.raises(DomainError, match="not accepted"):
        add(pdf_upload("tool.exe"))
    with pytest.raises(DomainError, match="not plain text"):
        add(pdf_upload("notes.txt", b"%PDF-1.4 binary\x00\x01"))
    settings.REVIEWS_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="limit is"):
        add(pdf_upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2048))
    with pytest.raises(DomainError, match="future"):
        services.evidence_add(actor=w.submitter_a, action=w.action_a, upload=pdf_upload(),
                              evidence_date=dt.date.today() + dt.timedelta(days=5))
    assert not Evidence.objects.exists()


def test_plain_text_evidence_is_accepted(reviews_world):
    evidence = services.evidence_add(actor=reviews_world.submitter_a, action=reviews_world.action_a,
                                     upload=pdf_upload("minutes.txt", "Minutes – agreed £0".encode()),
                                     evidence_date=dt.date(2025, 3, 1))
    assert evidence.content_type == "text/plain"


# --- assurance ------------------------------------------------------------------------------

def _complete(w, action, evidence=True):
    if evidence:
        services.evidence_add(actor=w.manager, action=action, upload=pdf_upload(), evidence_date=dt.date(2025, 3, 1))
    services.action_set_status(actor=w.manager, action=action, status=ActionStatus.COMPLETED)


def test_pci_assures_with_evidence_and_the_signoff_is_kept(reviews_world):
    w = reviews_world
    _complete(w, w.action_a)
    action = services.action_assure(actor=w.pci, action=w.action_a, comment="Re-audit shows the change")
    assert action.status == ActionStatus.ASSURED
    assert action.assured_by == w.pci and action.assured_at is not None
    assert action.assurance_comment == "Re-audit shows the change"
    assert AuditEvent.objects.filter(action="action.assured", object_id=str(action.pk)).exists()
    with pytest.raises(DomainError, match="assured and is closed"):
        services.action_post_progress(actor=w.submitter_a, action=action, text="late")


def test_assuring_without_evidence_needs_a_written_reason(reviews_world):
    w = reviews_world
    _complete(w, w.action_a, evidence=False)
    with pytest.raises(DomainError) as err:
        services.action_assure(actor=w.pci, action=w.action_a, comment="Seen at the meeting")
    assert err.value.field == "no_evidence_reason"
    w.action_a.refresh_from_db()
    assert w.action_a.status == ActionStatus.COMPLETED
    action = services.action_assure(actor=w.manager, action=w.action_a, comment="Seen at the meeting",
                                    no_evidence_reason="Demonstrated live; no document exists")
    assert action.no_evidence_reason == "Demonstrated live; no document exists"
    event = AuditEvent.objects.get(action="action.assured", object_id=str(action.pk))
    assert event.data["no_evidence_reason"] == "Demonstrated live; no document exists"


def test_submitters_and_own_agency_members_cannot_assure(reviews_world):
    w = reviews_world
    _complete(w, w.action_a)
    for person in (w.submitter_a, w.submitter_b, w.designated):
        with pytest.raises(NotAllowed):
            services.action_assure(actor=person, action=w.action_a, comment="ok")
    w.pci.agencies.add(w.agency_a)  # a PCI member who also works for the trust
    with pytest.raises(NotAllowed, match="agency you submit for"):
        services.action_assure(actor=w.pci, action=w.action_a, comment="ok")


def test_only_completed_actions_can_be_assured(reviews_world):
    with pytest.raises(DomainError, match="marked completed"):
        services.action_assure(actor=reviews_world.pci, action=reviews_world.action_a, comment="ok",
                               no_evidence_reason="x")


def test_assured_status_cannot_be_set_by_hand(reviews_world):
    with pytest.raises(DomainError):
        services.action_set_status(actor=reviews_world.manager, action=reviews_world.action_a, status="assured")
    with pytest.raises(NotAllowed):
        services.action_set_status(actor=reviews_world.submitter_a, action=reviews_world.action_a,
                                   status="superseded")


# --- challenges -----------------------------------------------------------------------------

def test_challenge_round_trip_and_actions(world):
    challenge = services.challenge_raise(actor=world.pci, agency=world.agency_b, issue="Re-referrals at 31%",
                                         indicator_code="la-rr12", quarter_label="2024/25 Q3",
                                         forum=world.subgroup, raised_on=dt.date(2025, 1, 20),
                                         response_due_on=dt.date(2025, 2, 17))
    assert challenge.indicator_code == "LA-RR12" and challenge.quarter_label == "2024/25-Q3"
    with pytest.raises(NotAllowed):
        services.challenge_respond(actor=world.submitter_a, challenge=challenge, response="not ours")
    services.challenge_respond(actor=world.submitter_b, challenge=challenge, response="Audit attached")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.RESPONDED and challenge.responded_by == world.submitter_b
    with pytest.raises(NotAllowed):
        services.challenge_decide(actor=world.submitter_b, challenge=challenge, status="closed", outcome="x")
    with pytest.raises(DomainError):
        services.challenge_decide(actor=world.pci, challenge=challenge, status="closed", outcome="")
    services.challenge_decide(actor=world.pci, challenge=challenge, status="closed", outcome="Assured")
    action = services.action_create(actor=world.pci, challenge=challenge, owner_agency=world.agency_b,
                                    lead_name="Ben", description="Deliver the plan", start_on=dt.date(2025, 2, 1),
                                    due_on=dt.date(2025, 6, 1))
    assert action.challenge == challenge and action.recommendation is None


def test_challenge_bad_inputs(world):
    with pytest.raises(NotAllowed):
        services.challenge_raise(actor=world.submitter_a, agency=world.agency_b, issue="x")
    with pytest.raises(DomainError, match="quarter"):
        services.challenge_raise(actor=world.pci, agency=world.agency_b, issue="x", quarter_label="Q3 2024")
    with pytest.raises(DomainError):
        services.challenge_raise(actor=world.pci, agency=world.other_agency, issue="x")
    with pytest.raises(DomainError, match="response date"):
        services.challenge_raise(actor=world.pci, agency=world.agency_b, issue="x", raised_on=dt.date(2025, 2, 1),
                                 response_due_on=dt.date(2025, 1, 1))


def test_a_stale_review_edit_is_refused(world):
    from safeguarding.errors import StaleEdit

    review = make_review(world)
    stale = review.updated_at.isoformat()
    services.review_update(actor=world.manager, review=review, version=stale, summary="First edit")
    with pytest.raises(StaleEdit):
        services.review_update(actor=world.manager, review=review, version=stale, summary="Second edit")
    review.refresh_from_db()
    assert review.summary == "First edit"


def test_actions_for_scopes_by_role(reviews_world):
    from reviews.access import actions_for

    w = reviews_world
    # Each recommendation also made a draft for its addressee (16.4): left out to compare the plan.
    mine = lambda person: set(actions_for(person).exclude(status="draft"))  # noqa: E731
    assert mine(w.submitter_a) == {w.action_a}
    assert mine(w.submitter_b) == {w.action_b}
    assert mine(w.designated) == {w.action_a}  # health agencies only
    assert mine(w.pci) == mine(w.manager) == {w.action_a, w.action_b}
    assert mine(w.outsider) == set()


# --- the indicator an action is expected to move --------------------------------------------

def _indicator(partnership, code="H-REF-QA"):
    from datasets.models import Indicator

    return Indicator.objects.create(partnership=partnership, code=code, name="Referrals quality-assured",
                                    domain=Indicator._meta.get_field("domain").choices[0][0], unit="percentage")


def test_an_action_names_the_indicator_it_should_move(world):
    from reviews.selectors import actions_by_indicator

    indicator = _indicator(world.partnership)
    action = make_action(world, agency=world.agency_a, indicator=indicator)
    assert actions_by_indicator(partnership_id=world.partnership.pk) == {indicator.pk: [action]}
    with pytest.raises(DomainError) as err:
        make_action(world, agency=world.agency_a, number="1.2", indicator=_indicator(world.other_partnership))
    assert err.value.field == "indicator"


def test_uploading_the_same_recommendations_again_changes_nothing(world):
    review = make_review(world)
    upload = lambda: csv_upload("number,text,addressed to\n1.1,Share records,Testshire Hospitals NHS Trust\n")  # noqa: E731
    services.recommendations_import(actor=world.manager, review=review, upload=upload())
    again = services.recommendations_import(actor=world.manager, review=review, upload=upload())
    assert again.nothing_changed and again.message == (
        "Nothing changed: the file's 1 recommendation matches what is already saved.")
    assert review.recommendations.count() == 1
