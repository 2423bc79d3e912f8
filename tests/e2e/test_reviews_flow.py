"""The reviews issue's "Done when", in a real browser, with axe on every page.

The business manager records the inspection and uploads its recommendations; the trust's
submitter sees their actions, posts progress and uploads evidence; a PCI member assures one
action and raises a challenge from a dashboard-exception link; the trust answers it; the
review's progress page and the trust's overdue list are right.
"""

import datetime as dt

import pytest

from reviews.models import Action, Challenge, Review

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD_CSV = (
    "number,text,addressed to,theme,source paragraph\n"
    "1.1,Safeguarding referrals to children's social care are quality assured.,"
    "Testshire Hospitals NHS Trust,Quality assurance of referrals,3.21\n"
    "1.2,Health presence in the MASH is sufficient.,Testshire Hospitals NHS Trust; "
    "Testshire Council Children's Social Care,Health presence in the MASH,3.2\n"
)
BAD_CSV = (
    "number,text,addressed to\n"
    "1.1,Fine,Testshire Hospitals NHS Trust\n"
    "1.1,Duplicate,Testshire Hospitals NHS Trust\n"
    "1.3,Unknown,Ruritania Health Trust\n"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def csv_file(text: str, name: str = "recommendations.csv") -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/sign-in/")


def add_action(page, check, *, rec: str, description: str, start: str, due: str) -> None:
    page.get_by_role("link", name=f"Add an action for recommendation {rec}").click()
    check(page, "add an action")
    # Addressed agencies come first, marked "(addressed)" (issue 16.4).
    owner = page.get_by_label("Owner agency")
    owner.select_option(owner.locator("option", has_text="Testshire Hospitals NHS Trust").first.get_attribute("value"))
    page.get_by_label("Lead's name").fill("Nina Named")
    page.get_by_label("Lead's role (optional)").fill("Named nurse for safeguarding children")
    page.get_by_label("Action", exact=True).fill(description)
    page.get_by_label("Start date").fill(start)
    page.get_by_label("Due date").fill(due)
    page.get_by_role("button", name="Save").click()
    assert "The action has been added" in page.locator(".govuk-notification-banner").inner_text()


def test_reviews_done_when(page, world, assert_accessible):
    check = assert_accessible
    today = dt.date.today()

    # --- The business manager records the inspection --------------------------------------
    sign_in(page, world.manager)
    page.get_by_role("link", name="Reviews").first.click()
    check(page, "review register (empty)")
    page.get_by_role("link", name="Add a review").click()
    page.get_by_role("button", name="Save").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    check(page, "review form with errors")
    page.get_by_label("Type of review").select_option("inspection")
    page.get_by_label("Title or pseudonym").fill("Inspection of health services for children")
    page.get_by_label("Date published or report received (optional)").fill("2025-01-29")
    page.get_by_label("Published", exact=True).check()
    page.get_by_label("Action plan being delivered").check()
    page.get_by_label("Action plan due within (working days, optional)").fill("20")
    page.get_by_label("Themes (optional)").fill("Information sharing")
    page.get_by_role("button", name="Save").click()
    assert page.locator("h1").inner_text() == "Inspection of health services for children"
    # 20 working days after Wednesday 29 January 2025.
    assert "Wednesday 26 February 2025" in page.locator(".govuk-summary-list").inner_text()
    check(page, "review detail")
    review = Review.objects.get()

    # ... and uploads its recommendations: a file with errors first, nothing saved.
    page.get_by_role("link", name="Upload recommendations").click()
    check(page, "upload form")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(csv_file(BAD_CSV))
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#row-errors").inner_text()
    assert "Number 1.1 is also on row 2" in errors and "Ruritania Health Trust" in errors
    assert review.recommendations.count() == 0
    check(page, "upload with refused rows")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(csv_file(GOOD_CSV))
    page.get_by_role("button", name="Check the file").click()
    check(page, "recommendations upload preview")
    page.get_by_role("button", name="Save these changes").click()
    assert "2 recommendations added" in page.locator(".govuk-notification-banner").inner_text()

    add_action(page, check, rec="1.1", description="Audit 20 referrals a month and feed back to referrers.",
               start=(today - dt.timedelta(days=60)).isoformat(), due=(today + dt.timedelta(days=60)).isoformat())
    page.goto(f"/reviews/{review.pk}/")
    add_action(page, check, rec="1.2", description="Fund a second health adviser in the MASH.",
               start=(today - dt.timedelta(days=90)).isoformat(), due=(today - dt.timedelta(days=5)).isoformat())
    audit = Action.objects.get(description__startswith="Audit 20 referrals")
    late = Action.objects.get(description__startswith="Fund a second")
    sign_out(page)

    # --- The trust's submitter sees their actions, posts progress, uploads evidence ---------
    sign_in(page, world.submitter_a)
    check(page, "submitter home with the my-actions panel")
    page.get_by_role("link", name="My actions").first.click()
    check(page, "my actions")
    # My actions is one row an action; progress is posted on the action's page (issue 16.6).
    page.locator(f"#action-{audit.pk}").get_by_role("link", name="Post progress").click()
    page.get_by_label("Progress", exact=True).fill("Audited 20 referrals in March; feedback sent to every referrer.")
    page.get_by_label("Status", exact=True).select_option(label="Completed, awaiting assurance")
    page.get_by_role("button", name="Post progress").click()
    assert "Your progress has been saved" in page.locator(".govuk-notification-banner").inner_text()
    check(page, "action page (owner) after posting progress")
    page.goto("/reviews/my-actions/?show=all")
    assert "Audited 20 referrals in March" in page.locator(f"#action-{audit.pk}").inner_text()
    check(page, "my actions after posting progress")
    page.get_by_role("link", name="Audit 20 referrals a month and feed back to referrers.", exact=True).click()
    check(page, "action page (owner)")
    page.get_by_role("link", name="Add evidence").click()
    check(page, "evidence form")
    page.get_by_label("Evidence file").set_input_files({"name": "tool.pdf", "mimeType": "application/pdf",
                                                        "buffer": b"MZ\x90\x00" + b"\x00" * 300})
    page.get_by_label("Date the evidence is from").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Upload").click()
    assert "not a PDF file" in page.locator(".govuk-error-summary").inner_text()
    check(page, "evidence form refusing an executable")
    page.get_by_label("Evidence file").set_input_files({"name": "referral-audit.pdf",
                                                        "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_label("Date the evidence is from").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_label("What it shows (optional)").fill("March referral audit")
    page.get_by_role("button", name="Upload").click()
    assert "referral-audit.pdf" in page.locator("main").inner_text()
    sign_out(page)

    # --- A PCI member assures the action and raises a challenge from an exception ----------
    sign_in(page, world.pci)
    check(page, "PCI home with the assurance panel")
    page.get_by_role("link", name="Audit 20 referrals a month").first.click()
    page.get_by_role("link", name="Assure this action").click()
    check(page, "assure form")
    page.get_by_label("What the evidence shows").fill("The March audit shows every referral quality assured.")
    page.get_by_role("button", name="Assure the action").click()
    assert "Assured" in page.locator("main").inner_text()
    check(page, "assured action")
    audit.refresh_from_db()
    assert audit.status == "assured" and audit.assured_by == world.pci

    # The dashboards link an exception here with its details.
    page.goto("/reviews/challenges/new/?agency=hospital&indicator=H-ED-SGA&quarter=2024/25-Q3"
              "&issue=Only+62%25+of+under-18+ED+attendances+had+a+safeguarding+assessment.")
    check(page, "challenge form prefilled")
    assert page.get_by_label("Indicator code (optional)").input_value() == "H-ED-SGA"
    page.get_by_label("Evidence asked for (optional)").fill("The ED audit and the improvement trajectory.")
    page.get_by_label("Response due by (optional)").fill((today + dt.timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Save").click()
    assert "has been raised" in page.locator(".govuk-notification-banner").inner_text()
    check(page, "challenge detail (PCI)")
    challenge = Challenge.objects.get()
    assert challenge.quarter_label == "2024/25-Q3" and challenge.agency == world.agency_a
    sign_out(page)

    # --- The trust answers it in the portal ------------------------------------------------
    sign_in(page, world.submitter_a)
    page.get_by_role("link", name="Impact log").first.click()
    check(page, "impact log (submitter)")
    page.get_by_role("link", name=challenge.reference).click()
    page.get_by_label("Your answer").fill("The ED audit is attached; a new triage prompt went live in May.")
    page.get_by_role("button", name="Send the answer").click()
    assert "Your answer has been sent" in page.locator(".govuk-notification-banner").inner_text()
    check(page, "challenge after the answer")
    sign_out(page)

    # --- The review's progress and the trust's overdue list are right ----------------------
    sign_in(page, world.pci)
    page.goto(f"/reviews/{review.pk}/")
    # Five actions: the three drafts made for the addressed agencies (1.1: the trust; 1.2: the
    # trust and the council; issue 16.4) and the two added above; one is assured.
    assert page.locator("#share-assured").inner_text() == "20.0%"
    assert page.locator("#overdue-count").inner_text() == "1"
    rows = page.locator("#progress-by-agency tbody tr").all_inner_texts()
    assert any("Testshire Hospitals NHS Trust" in row for row in rows)
    check(page, "review progress")
    page.get_by_role("link", name="Testshire Hospitals NHS Trust").first.click()
    overdue = page.locator("#overdue-actions").inner_text()
    assert "Fund a second health adviser" in overdue and "Audit 20 referrals" not in overdue
    check(page, "agency overdue list")
    late.refresh_from_db()
    for path in ("/reviews/overdue/", "/reviews/themes/", "/reviews/challenges/"):
        page.goto(path)
        check(page, path)
