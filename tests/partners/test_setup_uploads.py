"""Issue 12.2: a partnership is set up from two spreadsheet templates (agencies, then people),
previewed before saving, all or nothing, every refused row listed."""

from __future__ import annotations

import datetime as dt
import io
import time

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners import services as partners
from partners.models import Agency, Role, User
from partners.setup_uploads import AGENCY_COLUMNS, PEOPLE_COLUMNS, agencies_upload, people_upload
from safeguarding.exports import xlsx_bytes
from safeguarding.upload_preview import upload_preview
from safeguarding.uploads import UploadRejected
from tests.upload_flow import token_of, upload_and_save

pytestmark = pytest.mark.django_db


def _xlsx(sheet: str, columns: list[str], rows: list[list], name="setup.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes({sheet: pd.DataFrame(rows, columns=columns)}))


def agencies_file(rows):
    return _xlsx("Agencies", AGENCY_COLUMNS, rows)


def people_file(rows):
    return _xlsx("People", PEOPLE_COLUMNS, rows)


AGENCIES = [
    # name, type, membership, parent, aliases, active from, active to, replaced by
    ["NHS Northshire CCG", "Health commissioner (ICB)", "Statutory partner", "", "NCCG; Northshire CCG",
     "2013-04-01", "2022-06-30", "NHS Northshire ICB"],  # its successor is a later row
    ["NHS Northshire ICB", "health_commissioner", "statutory", "", "", "2022-07-01", "", ""],
    ["Northshire Hospitals NHS Trust", "Acute hospital trust", "", "", "NHT", "", "", ""],
    ["Northshire Hospitals Maternity", "Acute hospital trust", "Relevant agency", "Northshire Hospitals NHS Trust",
     "", "1/4/2019", "", ""],
]


def test_agencies_upload_adds_rows_linked_to_each_other_and_previews_first(world):
    file = agencies_file(AGENCIES).read()
    changes = upload_preview(run=lambda f: agencies_upload(actor=world.manager, partnership=world.partnership,
                                                           upload=f), name="a.xlsx", content=file)
    assert len(changes.added) == 4 and not Agency.objects.filter(name__startswith="NHS Northshire").exists()
    changes = agencies_upload(actor=world.manager, partnership=world.partnership,
                              upload=SimpleUploadedFile("a.xlsx", file))
    ccg = Agency.objects.get(name="NHS Northshire CCG")
    icb = Agency.objects.get(name="NHS Northshire ICB")
    maternity = Agency.objects.get(name="Northshire Hospitals Maternity")
    assert (ccg.replaced_by, ccg.active_to, icb.membership) == (icb, dt.date(2022, 6, 30), "statutory")
    assert maternity.parent.name == "Northshire Hospitals NHS Trust" and maternity.active_from == dt.date(2019, 4, 1)
    assert sorted(ccg.aliases.values_list("name", flat=True)) == ["NCCG", "Northshire CCG"]
    assert any("replaced by NHS Northshire ICB" in n for n in changes.notes)
    # The same file again changes nothing; a changed type is one change.
    again = agencies_upload(actor=world.manager, partnership=world.partnership,
                            upload=SimpleUploadedFile("a.xlsx", file))
    assert again.nothing_changed and again.unchanged == 4
    rows = [list(r) for r in AGENCIES]
    rows[2][1] = "Community health provider"
    changed = agencies_upload(actor=world.manager, partnership=world.partnership, upload=agencies_file(rows))
    assert len(changed.changed) == 1 and changed.changed[0].after.startswith("Community health provider")


def test_every_refused_agency_row_is_listed_and_nothing_is_saved(world):
    rows = [
        ["Good Trust", "Acute hospital trust", "", "", "", "", "", ""],
        ["Bad Type", "Hospital-ish", "", "", "", "", "", ""],
        ["Bad Date", "Police", "", "", "", "31/31/2020", "", ""],
        ["good  TRUST", "Police", "", "", "", "", "", ""],
        ["Orphan", "Police", "", "Nobody Ltd", "", "", "", ""],
        ["Replaced", "Police", "", "", "", "", "", "Good Trust"],
        [world.agency_a.name.upper(), "Acute hospital trust", "Sideways", "", "", "", "", ""],
        ["", "Police", "", "", "", "", "", ""],
    ]
    with pytest.raises(UploadRejected) as caught:
        agencies_upload(actor=world.manager, partnership=world.partnership, upload=agencies_file(rows))
    text = " | ".join(str(e) for e in caught.value.errors)
    for row, needle in [(3, "‘Hospital-ish’ is not a type"), (4, "‘31/31/2020’ is not a date"),
                        (5, "repeats row 2"), (6, "‘Nobody Ltd’ is neither an agency"),
                        (7, "Give the date the agency stopped operating"), (8, "‘Sideways’ is neither"),
                        (9, "Give the agency's name")]:
        assert f"row {row}" in text and needle in text, (row, needle, text)
    assert "cell B3" in text  # the cell of the bad type
    assert not Agency.objects.filter(name__in=["Good Trust", "Orphan"]).exists()


def test_people_upload_reads_agencies_by_alias_and_a_closed_name_as_its_successor(
        world, mailoutbox, django_capture_on_commit_callbacks):
    agencies_upload(actor=world.manager, partnership=world.partnership, upload=agencies_file(AGENCIES))
    rows = [["Nina Nurse", "Nina@Trust.example", "Agency submitter", "NHT", "Named nurse"],
            ["Carl Commissioner", "carl@icb.example", "submitter", "Northshire CCG", ""],
            ["Pat Reader", "pat@pci.example", "PCI subgroup member", "", ""],
            ["Bea Manager", "bea@partnership.example", "Business manager", "", ""]]
    file = people_file(rows).read()
    with django_capture_on_commit_callbacks(execute=True):
        preview = upload_preview(run=lambda f: people_upload(actor=world.manager, partnership=world.partnership,
                                                             upload=f), name="p.xlsx", content=file)
    assert len(preview.added) == 4 and not mailoutbox and not User.objects.filter(email="carl@icb.example").exists()
    # Roles read in the sentence as the portal names them: "PCI subgroup member", not "pci subgroup member".
    assert [c.after for c in preview.added][2:] == ["Pat Reader, PCI subgroup member", "Bea Manager, business manager"]
    with django_capture_on_commit_callbacks(execute=True):
        changes = people_upload(actor=world.manager, partnership=world.partnership,
                                upload=SimpleUploadedFile("p.xlsx", file))
    assert len(mailoutbox) == 4
    carl = User.objects.get(email="carl@icb.example")
    assert [a.name for a in carl.agencies.all()] == ["NHS Northshire ICB"]
    assert any("read as its successor, NHS Northshire ICB" in n for n in changes.notes)
    assert User.objects.get(email="nina@trust.example").agencies.get().name == "Northshire Hospitals NHS Trust"
    assert User.objects.get(email="bea@partnership.example").role == Role.BUSINESS_MANAGER
    # Again: unchanged; a new role is a change.
    rows[2][2] = "Designated professional"
    again = people_upload(actor=world.manager, partnership=world.partnership, upload=people_file(rows))
    assert (len(again.changed), again.unchanged, len(again.added)) == (1, 3, 0)


def test_every_refused_person_row_is_listed_and_nothing_is_saved(world):
    rows = [["Ok Person", "ok@x.example", "PCI member", "", ""],
            ["No Role", "norole@x.example", "Chief", "", ""],
            ["No Agency", "noagency@x.example", "Agency submitter", "", ""],
            ["Bad Email", "not-an-address", "PCI member", "", ""],
            ["Twice", "ok@x.example", "PCI member", "", ""],
            ["Elsewhere", world.outsider.email, "PCI member", "", ""],
            ["Admin", "admin@x.example", "Administrator", "", ""],
            ["Unknown Agency", "ua@x.example", "Agency submitter", "Nowhere Trust", ""]]
    with pytest.raises(UploadRejected) as caught:
        people_upload(actor=world.manager, partnership=world.partnership, upload=people_file(rows))
    text = " | ".join(str(e) for e in caught.value.errors)
    for row, needle in [(3, "‘Chief’ is not a role"), (4, "needs the agency or agencies"),
                        (5, "‘not-an-address’ is not an email"), (6, "repeats row 2"),
                        (7, "This email address cannot be used"), (8, "‘Administrator’ is not a role"),
                        (9, "‘Nowhere Trust’ is not an agency")]:
        assert f"row {row}" in text and needle in text, (row, needle, text)
    assert not User.objects.filter(email="ok@x.example").exists()


def test_the_pages_offer_templates_that_read_back(world, as_user):
    client = as_user(world.manager)
    for page, template, sheet in [("partners:agency_upload", "partners:agency_template", "Agencies"),
                                  ("partners:people_upload", "partners:people_template", "People")]:
        body = client.get(reverse(page)).content.decode()
        assert reverse(template) in body and "Check the file" in body
        download = client.get(reverse(template))
        assert download.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(download.content))
        assert sheet in book.sheetnames and "Instructions" in book.sheetnames
    # The agencies template's own example rows upload as they are (a CCG replaced by an ICB).
    template = client.get(reverse("partners:agency_template")).content
    preview, saved = upload_and_save(client, reverse("partners:agency_upload"),
                                     {"file": SimpleUploadedFile("agencies.xlsx", template)})
    assert saved.status_code == 302
    ccg = Agency.objects.get(name="NHS Northshire CCG")
    assert ccg.replaced_by.name == "NHS Northshire Integrated Care Board"


def test_thirty_agencies_and_eighty_people_are_set_up_in_the_browser_quickly(world, as_user, capsys):
    client = as_user(world.manager)
    agencies = [[f"Northshire Agency {n:02d}", "Acute hospital trust" if n % 2 else "Voluntary sector",
                 "Statutory partner" if n < 3 else "Relevant agency", "", f"NA{n:02d}", "2019-09-29", "", ""]
                for n in range(30)]
    people = [[f"Person {n:02d}", f"person{n:02d}@northshire.example", "Agency submitter",
               f"NA{n % 30:02d}; Northshire Agency {(n + 1) % 30:02d}", "Safeguarding lead"] for n in range(75)]
    people += [[f"Reader {n}", f"reader{n}@northshire.example", "PCI subgroup member", "", ""] for n in range(5)]
    started = time.perf_counter()
    _, saved = upload_and_save(client, reverse("partners:agency_upload"), {"file": agencies_file(agencies)})
    agencies_done = time.perf_counter()
    _, saved_people = upload_and_save(client, reverse("partners:people_upload"), {"file": people_file(people)})
    finished = time.perf_counter()
    assert saved.status_code == 302 and saved_people.status_code == 302
    assert Agency.objects.filter(name__startswith="Northshire Agency").count() == 30
    assert User.objects.filter(email__endswith="@northshire.example").count() == 80
    with capsys.disabled():
        print(f"\nset-up upload timing: 30 agencies {agencies_done - started:.2f} s, 80 people "
              f"{finished - agencies_done:.2f} s (each preview + save)")
    assert finished - started < 60


def test_a_closed_agency_is_still_listed_for_the_manager_to_correct(world, as_user):
    icb = partners.agency_create(actor=world.manager, partnership=world.partnership, name="ICB",
                                 agency_type="health_commissioner", active_from=dt.date(2022, 7, 1))
    partners.agency_create(actor=world.manager, partnership=world.partnership, name="CCG",
                           agency_type="health_commissioner", active_to=dt.date(2022, 6, 30), replaced_by=icb)
    client = as_user(world.manager)
    preview = client.post(reverse("partners:agency_upload"), {"file": agencies_file(
        [["CCG", "Health commissioner (ICB)", "", "", "Old CCG", "", "2022-06-30", "ICB"]])})
    assert token_of(preview)  # one change: the alias
    assert "Old CCG" in preview.content.decode()


def test_seats_upload_adds_agency_and_role_seats_all_or_nothing(world):
    from partners.models import Seat
    from partners.setup_uploads import SEAT_COLUMNS, seats_upload
    from tests.factories import SubgroupFactory

    board = SubgroupFactory(partnership=world.partnership, name="Partnership Board", short_name="Board",
                            slug="board", is_board=True)
    icb = partners.agency_create(actor=world.manager, partnership=world.partnership, name="ICB",
                                 agency_type="health_commissioner", active_from=dt.date(2022, 7, 1))
    partners.agency_create(actor=world.manager, partnership=world.partnership, name="CCG", aliases=["Old CCG"],
                           agency_type="health_commissioner", active_to=dt.date(2022, 6, 30), replaced_by=icb)
    rows = [["Board", "", "Independent chair", "Margaret Ellis"], ["partnership  board", "", "Lay member", "Joan"],
            ["Board", "", "Lay member", "Imran"], ["Board", "", "School or college representative", "Primary"],
            ["Board", "", "School or college representative", "Secondary"], ["Board", "", "Designated doctor", ""],
            ["Board", world.agency_b.name, "", "Director of Children's Services"], ["Board", "Old CCG", "", ""]]
    changes = seats_upload(actor=world.manager, partnership=world.partnership,
                           upload=_xlsx("Seats", SEAT_COLUMNS, rows))
    assert len(changes.added) == 8 and any("read as its successor, ICB" in n for n in changes.notes)
    # The preview names who holds an agency's seat, as the saved seat does.
    assert [c.after for c in changes.added][6:] == ["an agency's seat, held by Director of Children's Services",
                                                    "an agency's seat"]
    assert Seat.objects.filter(subgroup=board, agency__isnull=True).count() == 6
    assert set(Seat.objects.filter(subgroup=board, agency__isnull=False).values_list("agency__name", flat=True)) \
        == {world.agency_b.name, "ICB"}
    again = seats_upload(actor=world.manager, partnership=world.partnership, upload=_xlsx("Seats", SEAT_COLUMNS, rows))
    assert again.nothing_changed and again.unchanged == 8
    bad = [["Board", "", "Treasurer", ""], ["Nowhere", "", "Lay member", ""], ["Board", "ICB", "Lay member", ""],
           ["Board", "Nobody Trust", "", ""], ["Board", "", "", ""], ["Board", "", "Treasurer", ""]]
    with pytest.raises(UploadRejected) as caught:
        seats_upload(actor=world.manager, partnership=world.partnership, upload=_xlsx("Seats", SEAT_COLUMNS, bad))
    text = " | ".join(str(e) for e in caught.value.errors)
    for row, needle in [(3, "‘Nowhere’ is not the board"), (4, "not both"), (5, "‘Nobody Trust’ is not an agency"),
                        (6, "Give the agency or the role"), (7, "repeats row 2")]:
        assert f"row {row}" in text and needle in text, (row, needle, text)
    assert not Seat.objects.filter(role="Treasurer").exists()


def test_people_upload_reads_addresses_in_their_canonical_form_and_keeps_administrators_safe(world):
    """Issues 11.2 and 11.1: a full-width or mixed-case spelling of a person's address is that
    person (updated, not a duplicate); a manager's upload cannot change an administrator."""
    admin = partners.person_create(actor=None, partnership=world.partnership, email="chief@x.example",
                                   full_name="Chief Admin", role=Role.ADMIN, invite=False)
    rows = [["Pat Challenge", "\uff30\uff23\uff29@Partnership.example", "PCI member", "", "Chair of PCI"]]
    people_upload(actor=world.manager, partnership=world.partnership, upload=people_file(rows))
    world.pci.refresh_from_db()
    assert world.pci.job_title == "Chair of PCI"
    assert User.objects.filter(email__startswith="pci@").count() == 1
    with pytest.raises(UploadRejected) as caught:
        people_upload(actor=world.manager, partnership=world.partnership,
                      upload=people_file([["Chief Admin", "CHIEF@x.example", "Business manager", "", ""]]))
    assert "Only an administrator can change an administrator" in str(caught.value.errors[0])
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_preview_says_who_will_be_emailed_and_only_the_saved_result_says_they_have_been(
        world, as_user, mailoutbox, django_capture_on_commit_callbacks):
    """The tester's finding: before saving, the preview said "2 new people have been emailed"."""
    client = as_user(world.manager)
    rows = [["Ann One", "ann@x.example", "PCI subgroup member", "", ""],
            ["Ben Two", "ben@x.example", "PCI subgroup member", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(reverse("partners:people_upload"), {"file": people_file(rows)})
        body = preview.content.decode()
        assert "2 new people will be emailed a link" in body and "been emailed" not in body
        assert not mailoutbox
        saved = client.post(reverse("partners:people_upload"), {"token": token_of(preview)}, follow=True)
    assert "2 new people have been emailed a link" in saved.content.decode()
    assert len(mailoutbox) == 2


def test_an_address_with_an_account_outside_the_partnership_gets_one_neutral_refusal(world, as_user):
    """The tester's finding: the operator's address (no partnership) was refused as "already has an
    account in another partnership", which is wrong and says an account exists. Upload and the
    single-person form now say the same neutral words for any account outside this partnership."""
    operator = User.objects.create_superuser("root@platform.example", "a-long-operator-password", full_name="Root")
    neutral = "This email address cannot be used; ask the person for another address or contact the portal"
    for email in (operator.email, world.outsider.email):
        with pytest.raises(UploadRejected) as caught:
            people_upload(actor=world.manager, partnership=world.partnership,
                          upload=people_file([["Some One", email, "PCI subgroup member", "", ""]]))
        text = " | ".join(str(e) for e in caught.value.errors)
        assert neutral in text and "another partnership" not in text and "already has an account" not in text
        response = as_user(world.manager).post(reverse("partners:person_create"), {
            "full_name": "Some One", "email": email, "role": Role.PCI_MEMBER})
        body = response.content.decode().replace("&#x27;", "'")
        assert response.status_code == 200 and neutral in body and "already has an account" not in body


def test_the_agencies_preview_heads_its_column_and_shows_other_names(world, as_user):
    client = as_user(world.manager)
    preview = client.post(reverse("partners:agency_upload"), {"file": agencies_file(
        [["Northshire Youth Service", "Voluntary sector", "Relevant agency", "", "NYS; Youth Service", "", "", ""]])})
    body = preview.content.decode()
    assert ">Agency</th>" in body and ">Line</th>" not in body
    assert "also known as NYS, Youth Service" in body


def test_the_set_up_templates_offer_pick_lists_for_type_membership_and_role(world, as_user):
    """The tester's finding: the agencies, people and seats templates offered no drop-downs."""
    client = as_user(world.manager)

    def lists(name: str, sheet: str) -> dict[str, list[str]]:
        book = openpyxl.load_workbook(io.BytesIO(client.get(reverse(name)).content))
        data, values = book[sheet], book["Lists"]
        assert values.sheet_state == "hidden"
        header = [c.value for c in data[1]]
        out = {}
        for validation in data.data_validations.dataValidation:
            column = header[openpyxl.utils.column_index_from_string(str(validation.sqref)[0]) - 1]
            ref = validation.formula1.split("!")[1].replace("$", "")
            out[column] = [c.value for row in values[ref] for c in row]
        return out

    agencies = lists("partners:agency_template", "Agencies")
    assert "Voluntary sector" in agencies["type"] and agencies["membership"] == ["Statutory partner",
                                                                                 "Relevant agency"]
    roles = lists("partners:people_template", "People")["role"]
    assert "Business manager" in roles and "Administrator" not in roles
    seats = lists("partners:seats_template", "Seats")
    assert "Lay member" in seats["role"] and world.agency_a.name in seats["agency"]


def test_a_people_upload_past_the_senders_invitation_limit_is_refused_naming_the_row(
        world, mailoutbox, settings, django_capture_on_commit_callbacks):
    """Every person the upload adds is invited, and counts against the manager's limit
    (``safeguarding.email_throttle``): past it, the row is refused with the limit named, and, all or
    nothing, nobody is added and nothing is sent or counted."""
    settings.INVITATIONS_PER_SENDER = 2
    rows = [[f"Person {n}", f"person{n}@pci.example", "PCI subgroup member", "", ""] for n in range(3)]
    with pytest.raises(UploadRejected) as caught, django_capture_on_commit_callbacks(execute=True):
        people_upload(actor=world.manager, partnership=world.partnership, upload=people_file(rows))
    error, = caught.value.errors
    assert (error.row, error.column) == (4, "email")
    assert "You have sent 2 invitation emails in the last 1 hour, the limit for one person" in error.message
    assert not User.objects.filter(email__endswith="@pci.example").exists() and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        people_upload(actor=world.manager, partnership=world.partnership, upload=people_file(rows[:2]))
    assert len(mailoutbox) == 2


def test_names_copied_from_a_report_match_with_curly_quotes_and_dashes(world):
    """"Westmoor Council Children’s Services" as Word and web pages write it (a curly apostrophe)
    was 'not an agency of this partnership' beside the stored "Children's"; a name with an en dash
    likewise. Both are the agency (partners.models.name_key folds them), and a second agency that
    differs only by them is refused as the same name."""
    agencies_upload(actor=world.manager, partnership=world.partnership, upload=agencies_file([
        ["Westmoor Council Children's Services", "Local authority children's social care", "Statutory partner",
         "", "", "", "", ""],
        ["Moorside - Community Health", "Community health provider", "Relevant agency", "", "", "", "", ""]]))
    changes = people_upload(actor=world.manager, partnership=world.partnership, upload=people_file([
        ["Dev Patel", "dev@westmoor.example", "Agency submitter",
         "Westmoor Council Children\u2019s Services; Moorside \u2013 Community Health", ""]]))
    assert len(changes.added) == 1
    assert sorted(User.objects.get(email="dev@westmoor.example").agencies.values_list("name", flat=True)) == [
        "Moorside - Community Health", "Westmoor Council Children's Services"]
    with pytest.raises(Exception, match="already an agency"):
        partners.agency_create(actor=world.manager, partnership=world.partnership,
                               name="Westmoor Council Children\u2019s Services", agency_type="education")
