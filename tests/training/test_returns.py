"""Training returns: lines, figures, the shared workflow, stale edits, history, the spreadsheet."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.errors import DomainError, NotAllowed, StaleEdit
from safeguarding.models import AuditEvent
from safeguarding.uploads import UploadRejected
from safeguarding.workflow import ReturnNotReady, ReturnStatus
from training import selectors, services
from training.models import TrainingFigure, TrainingReturnEvent
from training.services.returns import FigureInput, FiguresInvalid

from .helpers import fill, setup_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def tw(world):
    return setup_training(world)


@pytest.fixture
def ret_a(tw):
    return services.training_return_start(actor=tw.submitter_a, agency=tw.agency_a, quarter=tw.quarters[0])


def _lines(ret):
    return {(f.staff_group.name, f.level.name): f for f in ret.figures.select_related("staff_group", "level")}


def test_a_return_has_one_line_per_staff_group_and_level_its_agency_reports(tw, ret_a):
    assert set(_lines(ret_a)) == {("GPs", "Level 3"), ("Practice nurses", "Level 2"), ("Practice nurses", "Level 3")}
    again = services.training_return_start(actor=tw.submitter_a, agency=tw.agency_a, quarter=tw.quarters[0])
    assert again.pk == ret_a.pk


def test_a_submitter_cannot_start_another_agencys_return(tw):
    with pytest.raises(NotAllowed):
        services.training_return_start(actor=tw.submitter_a, agency=tw.agency_b, quarter=tw.quarters[0])


def test_a_quarter_that_has_not_opened_cannot_be_started(tw):
    from .helpers import quarter

    future = quarter(tw.partnership, 2099, 1)
    with pytest.raises(DomainError, match="open on"):
        services.training_return_start(actor=tw.submitter_a, agency=tw.agency_a, quarter=future)


def test_bad_figures_are_refused_and_nothing_is_saved(tw, ret_a):
    lines = _lines(ret_a)
    gp, nurse2 = lines[("GPs", "Level 3")], lines[("Practice nurses", "Level 2")]
    with pytest.raises(FiguresInvalid) as caught:
        services.training_return_save(actor=tw.submitter_a, ret=ret_a, version=None, figures={
            gp.pk: FigureInput(eligible="141", trained="142"),
            nurse2.pk: FigureInput(eligible="-3", trained="1.5"),
        })
    errors = caught.value.errors
    assert "cannot be more than eligible" in errors[f"trained_{gp.pk}"]
    assert "cannot be negative" in errors[f"eligible_{nurse2.pk}"]
    assert "whole number" in errors[f"trained_{nurse2.pk}"]
    assert not TrainingFigure.objects.filter(ret=ret_a, eligible__isnull=False).exists()


def test_saving_keeps_every_change_in_the_history_and_the_audit_log(tw, ret_a):
    fill(ret_a, {("GPs", "Level 3"): (141, 130, "")}, actor=tw.submitter_a)
    fill(ret_a, {("GPs", "Level 3"): (141, 138, "")}, actor=tw.submitter_a)
    gp = _lines(ret_a)[("GPs", "Level 3")]
    history = list(gp.history.order_by("history_date").values_list("trained", "history_user_id"))
    assert history[-2:] == [(130, tw.submitter_a.pk), (138, tw.submitter_a.pk)]
    detail = selectors.return_detail(ret=ret_a)
    newest = detail.history[0]
    assert ("trained", 130, 138) in newest.changes
    assert AuditEvent.objects.filter(action="training_return.figures_changed", object_id=str(ret_a.pk)).count() == 2


def test_a_stale_form_is_refused(tw, ret_a):
    old_version = ret_a.updated_at.isoformat()
    fill(ret_a, {("GPs", "Level 3"): (141, 138, "")}, actor=tw.submitter_a)
    gp = _lines(ret_a)[("GPs", "Level 3")]
    with pytest.raises(StaleEdit):
        services.training_return_save(actor=tw.submitter_a, ret=ret_a, version=old_version,
                                      figures={gp.pk: FigureInput(eligible="141", trained="100")})
    gp.refresh_from_db()
    assert gp.trained == 138


def _complete(ret, actor, gp_trained=138, narrative=""):
    return fill(ret, {("GPs", "Level 3"): (141, gp_trained, narrative), ("Practice nurses", "Level 2"): (105, 98, ""),
                      ("Practice nurses", "Level 3"): (118, 110, "")}, actor=actor)


def test_below_target_needs_a_narrative_before_submission(tw, ret_a):
    _complete(ret_a, tw.submitter_a, gp_trained=100)  # 70.9%: red against 90%
    with pytest.raises(ReturnNotReady) as caught:
        services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")
    assert any("GPs, Level 3: 70.9% is below the 90.0% target" in p for p in caught.value.problems)
    _complete(ret_a, tw.submitter_a, gp_trained=100, narrative="Two GPs on long-term leave; booked for May.")
    ret = services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")
    assert ret.status == ReturnStatus.SUBMITTED


def test_missing_figures_stop_submission(tw, ret_a):
    with pytest.raises(ReturnNotReady) as caught:
        services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")
    assert len(caught.value.problems) == 3


def test_the_shared_workflow_query_resubmit_accept_lock_reopen(tw, ret_a):
    _complete(ret_a, tw.submitter_a)
    services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")
    with pytest.raises(NotAllowed):
        services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="accept")
    with pytest.raises(DomainError, match="Write the question"):
        services.training_return_transition(actor=tw.pci, ret=ret_a, action="query")
    services.training_return_transition(actor=tw.pci, ret=ret_a, action="query", comment="Why did nurses fall?")
    _complete(ret_a, tw.submitter_a, gp_trained=139)  # a queried return can be corrected
    services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="resubmit", comment="Corrected.")
    services.training_return_transition(actor=tw.pci, ret=ret_a, action="accept")
    ret_a.refresh_from_db()
    assert ret_a.is_locked
    with pytest.raises(DomainError, match="accepted, so its figures cannot be changed"):
        _complete(ret_a, tw.submitter_a, gp_trained=140)
    with pytest.raises(NotAllowed):
        services.training_return_transition(actor=tw.pci, ret=ret_a, action="reopen", comment="Typo")
    services.training_return_transition(actor=tw.manager, ret=ret_a, action="reopen", comment="Typo in GPs")
    ret_a.refresh_from_db()
    assert ret_a.status == ReturnStatus.DRAFT
    assert list(TrainingReturnEvent.objects.filter(ret=ret_a).values_list("action", flat=True)) == [
        "submit", "query", "resubmit", "accept", "reopen"]


def test_a_closed_quarter_cannot_be_submitted(tw, ret_a):
    from django.utils import timezone

    _complete(ret_a, tw.submitter_a)
    tw.quarters[0].closed_at = timezone.now()
    tw.quarters[0].save()
    with pytest.raises(ReturnNotReady, match="closed"):
        services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")


def _xlsx(rows, header=("Staff group", "Level", "Eligible staff", "Trained staff", "Narrative")):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("return.xlsx", buffer.getvalue())


def test_the_spreadsheet_round_trip(tw, ret_a, as_user):
    client = as_user(tw.submitter_a)
    response = client.get(f"/training/returns/{ret_a.pk}/download/")
    assert response.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Return"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Staff group", "Level", "Eligible staff", "Trained staff")
    # Fill the downloaded file in, as an agency would, and send it back.
    for row in sheet.iter_rows(min_row=2):
        row[2].value, row[3].value = 141, 138
    buffer = io.BytesIO()
    book.save(buffer)
    changed = services.training_return_upload(actor=tw.submitter_a, ret=ret_a,
                                              upload=SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    assert len(changed.changed) == 3 and changed.message == "Saved: 3 lines changed."
    assert {(f.eligible, f.trained) for f in ret_a.figures.all()} == {(141, 138)}
    # The same file again changes nothing: no history, and the return's version stays put.
    ret_a.refresh_from_db()
    version, history = ret_a.updated_at, TrainingFigure.history.count()
    again = services.training_return_upload(actor=tw.submitter_a, ret=ret_a,
                                            upload=SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    assert again.nothing_changed and again.message == "Nothing changed: the file's 3 lines match what is already saved."
    ret_a.refresh_from_db()
    assert ret_a.updated_at == version and TrainingFigure.history.count() == history


def test_an_upload_with_any_bad_row_saves_nothing_and_lists_every_refused_row(tw, ret_a):
    upload = _xlsx([("GPs", "Level 3", 141, 138, ""), ("Practice nurses", "Level 2", 10, 11, ""),
                    ("Practice nurses", "Level 3", -1, 2.5, ""), ("Midwives", "Level 3", 5, 5, ""),
                    ("GPs", "Level 3", 141, 138, "")])
    with pytest.raises(UploadRejected) as caught:
        services.training_return_upload(actor=tw.submitter_a, ret=ret_a, upload=upload)
    by_row = {(e.row, e.column): e.message for e in caught.value.errors}
    assert "cannot be more than eligible" in by_row[(3, "trained staff")]
    assert "cannot be negative" in by_row[(4, "eligible staff")]
    assert "whole number" in by_row[(4, "trained staff")]
    assert "not a line of this return" in by_row[(5, "staff group")]
    assert "appears twice" in by_row[(6, "staff group")]
    assert not TrainingFigure.objects.filter(ret=ret_a, eligible__isnull=False).exists()


def test_the_return_pages_work_for_the_agency(tw, ret_a, as_user):
    client = as_user(tw.submitter_a)
    lines = _lines(ret_a)
    gp = lines[("GPs", "Level 3")]
    page = client.get(f"/training/returns/{ret_a.pk}/figures/")
    assert page.status_code == 200
    data = {"version": page.context["form"]["version"].value()}
    for f in lines.values():
        data |= {f"eligible_{f.pk}": "141", f"trained_{f.pk}": "138", f"narrative_{f.pk}": ""}
    data[f"trained_{gp.pk}"] = "200"
    response = client.post(f"/training/returns/{ret_a.pk}/figures/", data)
    assert response.status_code == 200
    assert "cannot be more than eligible" in response.content.decode()
    data[f"trained_{gp.pk}"] = "138"
    response = client.post(f"/training/returns/{ret_a.pk}/figures/", data)
    assert response.status_code == 302
    response = client.post(f"/training/returns/{ret_a.pk}/submit/", {})
    assert response.status_code == 302
    ret_a.refresh_from_db()
    assert ret_a.status == ReturnStatus.SUBMITTED
    assert client.get(f"/training/returns/{ret_a.pk}/").status_code == 200


def test_pci_cannot_see_a_draft_but_sees_it_once_submitted(tw, ret_a, as_user):
    client = as_user(tw.pci)
    assert client.get(f"/training/returns/{ret_a.pk}/").status_code == 404
    _complete(ret_a, tw.submitter_a)
    services.training_return_transition(actor=tw.submitter_a, ret=ret_a, action="submit")
    assert client.get(f"/training/returns/{ret_a.pk}/").status_code == 200


def test_the_designated_professional_acts_for_health_agencies_only(tw, ret_a):
    _complete(ret_a, tw.designated)
    services.training_return_transition(actor=tw.designated, ret=ret_a, action="submit")
    ret_b = services.training_return_start(actor=None, agency=tw.agency_b, quarter=tw.quarters[0])
    with pytest.raises(NotAllowed):
        services.training_return_save(actor=tw.designated, ret=ret_b, version=None, figures={})


def test_a_staff_group_added_mid_quarter_joins_returns_still_with_the_agency(tw, ret_a):
    from training.models import Level

    submitted = services.training_return_start(actor=None, agency=tw.agency_a, quarter=tw.quarters[1])
    _complete(submitted, tw.submitter_a)
    services.training_return_transition(actor=tw.submitter_a, ret=submitted, action="submit")
    services.staff_group_create(actor=tw.manager, partnership=tw.partnership, name="Midwives",
                                agency_types=["acute_trust"], levels=[Level.objects.get(name="Level 3")])
    assert ("Midwives", "Level 3") in _lines(ret_a)
    assert ("Midwives", "Level 3") not in _lines(submitted)


def test_the_downloaded_return_as_a_person_fills_it_in_excel(tw, ret_a, as_user):
    """The downloaded file with what people do to it: a compliance formula in the 'Compliance %'
    column the portal works out (it refused the whole file: 'Formulas are not accepted'), a level
    pasted with a non-breaking space and a trailing space after a staff group (not a line of this
    return), and a count stored as text with a thousands separator. All read, true figures."""
    from openpyxl import load_workbook

    response = as_user(tw.submitter_a).get(f"/training/returns/{ret_a.pk}/download/")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        row[0].value, row[1].value = f"{row[0].value} ", str(row[1].value).replace(" ", "\u00a0")
        row[2].value, row[3].value = "1,141", 1038
        row[4].value = f"=D{row[0].row}/C{row[0].row}"
        row[4].number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    changed = services.training_return_upload(actor=tw.submitter_a, ret=ret_a,
                                              upload=SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    assert len(changed.changed) == 3
    assert {(f.eligible, f.trained) for f in ret_a.figures.all()} == {(1141, 1038)}
