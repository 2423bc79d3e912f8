"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

axe-core (pinned in package.json, installed by ``make test``) checks every page against
WCAG 2.2 AA. Without Chromium or axe-core the tests skip with the reason on a laptop, and fail
in CI.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, skip_or_fail

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed at {AXE} (npm ci)")
    return AXE.read_text()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def pass_second_step(page, person) -> None:
    """On the two-step pages after the password (issue 11.6): set up the app if the page asks
    (reading the new device's key from the database, as a phone would from the QR code) and
    continue past the recovery codes, or type the code of the person's app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.two_factor import current_code

    if "/account/two-step/set-up/" in page.url:
        device = TOTPDevice.objects.get(user=person, confirmed=False)
        page.get_by_label("Code", exact=True).fill(current_code(device))
        page.get_by_role("button", name="Confirm and continue").click()
        page.get_by_role("link", name="I have saved my codes: continue").click()
    elif "/account/two-step/" in page.url:
        device = TOTPDevice.objects.get(user=person, confirmed=True)
        page.get_by_label("Code", exact=True).fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/account/two-step/" not in url)


def sign_in(page, person, password: str = PASSWORD) -> None:
    """Sign in through the pages; people who must use a second factor (issue 11.6) get a test
    authenticator and type the code it shows, as a person would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.two_factor import requires_second_factor
    from tests.conftest import authenticator_for

    device = authenticator_for(person) if requires_second_factor(person) else None
    if device is not None:
        # A code is accepted once: let a test sign the same person in twice within 30 seconds.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/sign-in/" not in url)
    if device is not None:
        pass_second_step(page, person)
    page.wait_for_load_state()  # the URL changes at commit; the page may still be arriving


@contextmanager
def checked_page(browser, live_server, axe_source: str, person=None, *, width: int = 1280, height: int = 900):
    """A page in a browser context of its own for the page walks: axe-core loaded into every page
    it opens (``narrow_and_axe_problems`` runs it), a 20 s timeout (pages with a world's data,
    under a loaded machine), signed in as ``person`` when given. The context closes on leaving."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.add_init_script(axe_source)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        if person is not None:
            sign_in(page, person)
        yield page
    finally:
        context.close()


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core in the page. ``evaluate`` goes through the DevTools protocol, so the page's
    Content-Security-Policy (which forbids inline scripts) stays on while axe runs."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible(axe_source):
    def check(page, label: str = "") -> None:
        # A click waits for its navigation to commit, not to load: read the page once it has.
        page.wait_for_load_state()
        violations = axe_violations(page, axe_source)
        assert not violations, f"axe found problems on {label or page.url}: {violations}"
        csp = [e for e in page.console_errors if "Content Security Policy" in e]
        assert not csp, f"CSP blocked something on {label or page.url}: {csp}"

    return check


PHONE, DESKTOP = 375, 1280
AXE_ALL = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
WIDEST = """() => {
  const width = document.scrollingElement.scrollWidth;
  if (width <= window.innerWidth) return [width, ''];
  let widest = '';
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !el.closest('[role=region]')) {
      widest = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
      break;
    }
  }
  return [width, widest];
}"""


# Text (and generated content) drawn in the browser's default font instead of the design system's
# Arial: nothing axe or the width measure sees, but a phone shows the table frame's cue in Times.
DEFAULT_FONT = """() => {
  const found = new Set();
  const plain = f => !/arial|monospace/i.test(f);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (n.textContent.trim() && el && !el.closest('script, style, svg') && el.getClientRects().length
        && plain(getComputedStyle(el).fontFamily)) {
      found.add(el.tagName.toLowerCase() + ' "' + n.textContent.trim().slice(0, 30) + '"');
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      if (/^"[^"]*[a-z]/i.test(style.content) && style.display !== 'none' && plain(style.fontFamily)) {
        found.add(el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0] + pseudo + ' '
                  + style.content.slice(0, 30));
      }
    }
  }
  return Array.from(found).slice(0, 5);
}"""


def narrow_and_axe_problems(page, label: str, widths: tuple[int, ...] = (DESKTOP, PHONE)) -> list[str]:
    """The page as it stands, at 1280 px and at 375 px (or only ``widths``): what scrolls sideways
    at 375 (``document.scrollingElement.scrollWidth``), text at 375 in the browser's default font
    (``DEFAULT_FONT``), and what axe-core finds with all its rules plus ``target-size``. axe must
    already be in the page (``context.add_init_script(axe_source)``).
    Returns one line per problem, each starting with ``label``; the viewport is left at 1280."""
    page.wait_for_load_state()  # a click's navigation may have committed but not loaded
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        if width == PHONE:
            scroll, widest = page.evaluate(WIDEST)
            if scroll > PHONE:
                problems.append(f"{label}: {scroll} px wide at 375 ({widest})")
            problems += [f"{label}: in the browser's default font, not Arial: {text}"
                         for text in page.evaluate(DEFAULT_FONT)]
        for v in page.evaluate(AXE_ALL):
            problems.append(f"{label} @{width}: axe {v['id']} ({v['impact']}): {v['help']} {v['targets']}")
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    return problems


def unbroken(stem: str, length: int) -> str:
    """``stem`` repeated, without a space, to ``length`` characters: text a person typed or pasted
    with no place to break a line (a long agency name, a link, narrative without spaces)."""
    return (stem * (length // len(stem) + 1))[:length]


def make_everything_long(world) -> None:
    """Give every name and free text of ``world`` (the access matrix's objects) its longest form,
    without spaces: the fields' maximum lengths, and a few thousand characters for narrative. The
    phone walks then show that no page scrolls sideways whatever people type (issue 16.7)."""
    from partners.models import Agency, Meeting, Priority, Seat, Subgroup, User
    from partners.models.governance import BudgetLine

    def set_long(model, field_lengths: dict[str, int], **filters) -> None:
        for obj in model.objects.filter(**filters):
            model.objects.filter(pk=obj.pk).update(**{
                name: unbroken(f"{model.__name__}{obj.pk}{name.title().replace('_', '')}", length)
                for name, length in field_lengths.items()})

    pid = world.partnership.pk
    set_long(Agency, {"name": 200}, partnership_id=pid)
    set_long(User, {"full_name": 150, "job_title": 150}, partnership_id=pid)
    set_long(Subgroup, {"name": 200, "short_name": 30, "remit": 3000, "chair_name": 200}, partnership_id=pid)
    set_long(Meeting, {"notes": 3000}, partnership_id=pid)
    set_long(Priority, {"title": 200, "outcome": 3000, "actions": 3000, "progress": 3000}, partnership_id=pid)
    set_long(Seat, {"role": 120, "holder": 150}, subgroup__partnership_id=pid, agency__isnull=True)
    set_long(BudgetLine, {"description": 200}, budget__partnership_id=pid)
    from datasets.models import Indicator, ReturnValue

    set_long(Indicator, {"name": 200, "definition": 3000}, partnership_id=pid)
    set_long(ReturnValue, {"narrative": 5000, "source": 300}, ret__agency__partnership_id=pid)
    from reviews.models import Action, Challenge, Evidence, ProgressUpdate, Recommendation, Review

    set_long(Review, {"title": 200, "summary": 3000}, partnership_id=pid)
    set_long(Recommendation, {"text": 3000}, review__partnership_id=pid)
    set_long(Action, {"lead_name": 150, "lead_role": 150, "description": 3000}, partnership_id=pid)
    set_long(ProgressUpdate, {"text": 3000}, action__partnership_id=pid)
    set_long(Evidence, {"original_name": 200, "description": 300}, action__partnership_id=pid)
    set_long(Challenge, {"issue": 3000, "evidence_requested": 3000}, partnership_id=pid)
    from training.models import Course, Level, Session, StaffGroup

    set_long(Course, {"title": 200, "description": 3000}, partnership_id=pid)
    set_long(Session, {"venue": 200}, course__partnership_id=pid)
    set_long(StaffGroup, {"name": 150}, partnership_id=pid)
    set_long(Level, {"name": 100, "description": 300}, partnership_id=pid)
    from reports.models import AgencySection, NarrativeSection

    set_long(NarrativeSection, {"body": 3000}, report__partnership_id=pid)
    set_long(AgencySection, {"achievements": 3000, "challenges": 3000}, report__partnership_id=pid)
