"""The demo tells one true story (issue 16.9): nothing happens after today, every challenge and
query that quotes a figure quotes the stored one as the dashboard shows it, the last full year's
annual report is written, and the main indicators have enough history for SPC (issue 16.2).

Reads the whole demo (``seed_demo``, seeded once per session: tests/demo_snapshot.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("safeguarding", "partners", "datasets", "reviews", "training", "reports")
# Dates that are plans, not things that happened: deadlines, due dates, planned sessions, validity.
PLANNED = re.compile(r"(due|deadline|expires|until|planned|scheduled|^starts?_|^ends?_|active_|effective|"
                     r"opens_on|target|start_on|session|review_by|next_)")


@pytest.fixture(scope="module")
def seeded(demo_seeded):
    """The whole demo, for this module (tests/conftest.py)."""
    return demo_seeded


def _happened_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) or (
                    isinstance(field, models.DateField) and not PLANNED.search(field.name)):
                yield model, field


def test_no_timestamp_after_today(seeded):
    now, today = timezone.now() + dt.timedelta(minutes=1), timezone.localdate()
    future = []
    for model, field in _happened_fields():
        limit = now if isinstance(field, models.DateTimeField) else today
        count = model._default_manager.filter(**{f"{field.name}__gt": limit}).count()
        if count:
            future.append(f"{model._meta.label}.{field.name}: {count}")
    assert not future, f"the demo has events after today: {future}"


def test_challenges_quote_the_stored_figure(seeded):
    from datasets.demo import figure_said
    from datasets.models import Indicator, Return
    from reviews.models import Challenge

    quoted = 0
    for challenge in Challenge.objects.select_related("agency"):
        found = re.search(r" was (?P<figure>.+?) in (?P<quarter>\d{4}/\d\d-Q\d)"
                          r"(?: against a target of (?P<target>.+?) \((?P<rag>\w+))?", challenge.issue)
        assert found, f"challenge {challenge.pk} quotes no figure: {challenge.issue}"
        assert found["quarter"] == challenge.quarter_label
        indicator = Indicator.objects.get(partnership=challenge.partnership, code=challenge.indicator_code)
        ret = Return.objects.get(agency=challenge.agency, quarter__partnership=challenge.partnership,
                                 quarter__year_start=int(found["quarter"][:4]),
                                 quarter__number=int(found["quarter"][-1]), status="accepted")
        assert ret.accepted_at.date() < challenge.raised_on, "a challenge about figures not yet accepted"
        said = figure_said(ret, indicator)
        assert found["figure"] == said["figure"]
        if found["target"]:
            assert (found["target"], found["rag"]) == (said["target"], said["rag"])
        quoted += 1
    assert quoted >= 4


def test_queries_quote_the_stored_figures(seeded):
    from datasets.demo import figure_said
    from datasets.models import Indicator, Return, ReturnEvent

    queries = list(ReturnEvent.objects.filter(action="query").select_related("ret__agency", "ret__quarter"))
    assert queries
    for event in queries:
        ret = event.ret
        red = re.match(r"(?P<name>.+) is (?P<figure>.+?) in (?P<quarter>\S+) against a target of "
                       r"(?P<target>[^:]+): red", event.comment)
        moved = re.match(r"(?P<name>.+) moved from (?P<before>.+?) in (?P<previous>\S+) to (?P<figure>.+?) "
                         r"in (?P<quarter>\S+)\. Please confirm", event.comment)
        found = red or moved
        if found is None:
            assert event.comment == "Please confirm the figures in this return before we accept them."
            continue
        assert found["quarter"] == ret.quarter.label
        indicator = Indicator.objects.get(partnership=ret.agency.partnership, name=found["name"])
        said = figure_said(ret, indicator)
        assert found["figure"] == said["figure"], event.comment
        if red:
            assert said["rag"] == "red" and found["target"] == said["target"]
        else:
            year, number = found["previous"].split("-Q")
            before = Return.objects.get(agency=ret.agency, quarter__year_start=int(year[:4]),
                                        quarter__number=int(number), status="accepted")
            assert figure_said(before, indicator)["figure"] == found["before"]


def test_last_full_years_report_is_written(seeded):
    from partners.demo import demo_calendar
    from reports.models import AgencySection, AnnualReport, NarrativeSection, Section

    report = AnnualReport.objects.get(year_start=demo_calendar().report_year.start_year)
    written = dict(NarrativeSection.objects.filter(report=report).values_list("key", "body"))
    assert {key for key, body in written.items() if body.strip()} == set(Section.values)
    agencies = report.partnership.agencies.filter(active_to__isnull=True)
    sections = AgencySection.objects.filter(report=report).exclude(achievements="")
    assert set(sections.values_list("agency_id", flat=True)) >= set(agencies.values_list("pk", flat=True))


def test_main_indicators_have_history_for_spc(seeded):
    from datasets import dashboard_selectors as ds
    from datasets.models import Indicator
    from partners.models import Agency

    partnership = Agency.objects.first().partnership_id
    quarters = ds.quarters_for(partnership)
    window = ds.spc_window(quarters, ds.default_quarter(quarters))
    variations = {}
    for code in ("H-TRN-L3", "LA-REREF"):
        indicator = Indicator.objects.get(partnership_id=partnership, code=code)
        series = ds.agency_series(agency_ids=Agency.objects.values_list("pk", flat=True),
                                  indicators={indicator.pk: indicator}, quarters=window)
        assert series and all(sum(v is not None for v in values) >= 16 for values in series.values())
        variations[code] = {ds.judge(indicator, values).variation for values in series.values()}
    assert "improving_high" in variations["H-TRN-L3"], "level 3 training climbs back: special cause, improving"
    assert variations["LA-REREF"] == {"concerning_high"}, "re-referrals stepped up: special cause, concerning"


def test_training_queries_quote_the_stored_figures(seeded):
    from training.models import TrainingReturnEvent

    queries = list(TrainingReturnEvent.objects.filter(action="query").select_related("ret"))
    assert queries
    for event in queries:
        found = re.match(r"(?P<group>.+), (?P<level>.+): (?P<pct>[\d.]+)% trained \((?P<trained>\d+) of "
                         r"(?P<eligible>\d+)\)", event.comment)
        assert found, event.comment
        assert event.ret.figures.filter(staff_group__name=found["group"], level__name=found["level"],
                                        trained=int(found["trained"]), eligible=int(found["eligible"])).exists()


def _event_of(note):
    """The event a notification reports, from its key (``notify``'s occasion + the person):
    ``(kind, when it happened, the words the notification must quote)``."""
    from datasets.models import ReturnEvent
    from reviews.models import Action, Challenge
    from training.models import TrainingReturnEvent

    occasion = note.key.rsplit(":user-", 1)[0]
    kind, _, rest = occasion.partition(":")
    if kind.startswith("return."):
        label, _, event = rest.split(":")
        model = ReturnEvent if label == "datasets.return" else TrainingReturnEvent
        found = model.objects.get(pk=int(event.removeprefix("event-")))
        return kind, found.occurred_at, found.comment
    number = int(rest.split(":")[0].rsplit("-", 1)[1])
    if kind == "recommendation.addressed":
        action = Action.objects.select_related("recommendation").get(pk=number)
        return kind, action.start_on, action.recommendation.text
    if kind == "action.assured":
        action = Action.objects.get(pk=number)
        return kind, action.assured_at, action.assurance_comment
    if kind == "challenge.raised":
        challenge = Challenge.objects.get(pk=number)
        return kind, challenge.raised_on, challenge.issue
    raise AssertionError(f"the demo story has no date for {kind} notifications")


def test_notifications_are_dated_when_their_events_happened(seeded):
    """Each notification is dated at its event (a return's event to the minute, a challenge on the
    day it was raised...), emailed then and read after it; and it quotes the event's own words,
    so a challenge's notification quotes the same stored figure as the challenge (issue 16.9)."""
    from safeguarding.models import Notification

    notes = list(Notification.objects.all())
    assert len(notes) >= 20
    assert len({n.created_at.date() for n in notes}) >= 10, "notifications dated on a few days only"
    kinds = set()
    for note in notes:
        kind, when, words = _event_of(note)
        kinds.add(kind)
        if isinstance(when, dt.datetime):
            assert note.created_at == min(when, note.created_at), (note.key, note.created_at, when)
            assert when - note.created_at < dt.timedelta(minutes=10), (note.key, note.created_at, when)
        else:
            assert timezone.localtime(note.created_at).date() == when, (note.key, note.created_at, when)
        assert note.emailed_at is None or note.emailed_at == note.created_at, note.key
        assert note.read_at is None or note.read_at >= note.created_at, note.key
        if words.strip():  # an acceptance may come without a comment
            assert " ".join(words.split())[:200] in " ".join(note.body.split()), note.key
    assert {"return.query", "recommendation.addressed", "challenge.raised"} <= kinds, kinds


def test_recorded_rows_are_dated_when_the_story_says(seeded):
    """Progress updates, status changes, uploads of evidence and challenges are stamped on the day
    they are about, not all on the day the demo was built (issue 16.9)."""
    from reviews.models import ActionStatusChange, Challenge, Evidence, ProgressUpdate

    checks = [(ProgressUpdate, "created_at", "on"), (ActionStatusChange, "recorded_at", "on"),
              (Evidence, "uploaded_at", "evidence_date"), (Challenge, "created_at", "raised_on")]
    for model, stamp, day in checks:
        rows = list(model.objects.values_list(stamp, day))
        assert rows, model.__name__
        wrong = [(s, d) for s, d in rows if timezone.localtime(s).date() != d]
        assert not wrong, f"{model.__name__}.{stamp} not on its {day}: {wrong[:3]}"
        assert len({d for _, d in rows}) > 1, f"{model.__name__}: every row on one day"


def test_the_reports_words_about_board_attendance_agree_with_its_figure(seeded):
    """The key messages said board attendance "remained above the partnership's expectation of 75%"
    beside a printed 74.7% (issue 16.9: the demo contradicted its own data). What the written report
    says about attendance matches the figure its membership chapter prints."""
    from partners.demo import demo_calendar
    from partners.governance.selectors import attendance_by_seat
    from reports.models import AnnualReport, NarrativeSection

    report = AnnualReport.objects.get(year_start=demo_calendar().report_year.start_year)
    attendance = attendance_by_seat(partnership_id=report.partnership_id, year_start=report.year_start)
    met = attendance["overall_rate"] >= attendance["target"]
    said = [line for body in NarrativeSection.objects.filter(report=report).values_list("body", flat=True)
            for line in body.splitlines()
            if "board attendance" in line.lower() or "attendance at the board" in line.lower()]
    assert said, "the report says nothing about board attendance"
    for line in said:
        claims_short = any(words in line for words in ("short of", "below", "fell"))
        assert claims_short != met, (f"'{line}' beside board attendance of {attendance['overall_rate']}% "
                                     f"against {attendance['target']}%")


def test_meetings_and_training_sessions_fall_on_working_days(seeded):
    """The board met on Saturday 12 July 2025 and Sunday 12 October 2025 (issue 16.9): every
    meeting and training session the demo schedules is on a working day (Monday to Friday, not a
    bank holiday; safeguarding.working_days)."""
    from partners.models import Meeting
    from safeguarding.working_days import is_working_day
    from training.models import Session

    dated = [(f"{m.subgroup.short_name} meeting", m.held_on) for m in Meeting.objects.select_related("subgroup")]
    dated += [(f"session of {s.course.title}", s.starts_on) for s in Session.objects.select_related("course")]
    assert len(dated) >= 40
    off = [(what, f"{day:%A %d %B %Y}") for what, day in dated if not is_working_day(day)]
    assert not off, f"scheduled on a weekend or bank holiday: {off[:5]}"


def test_reserves_used_meet_exactly_the_budgets_shortfall(seeded):
    """The demo drew £25,000 of reserves while its budget ended £23,455 in surplus (issue 16.9).
    Each year's reserves used equal the shortfall the finance chapter computes (spending less cash
    income, none when income covers it), so the balance it prints is nil, never a surplus made of
    reserves."""
    from partners.governance.selectors import budget_summary
    from partners.models import Budget

    budgets = list(Budget.objects.all())
    assert len(budgets) >= 2
    for budget in budgets:
        summary = budget_summary(partnership_id=budget.partnership_id, year_start=budget.year_start)
        shortfall = max(summary["expenditure_total"] - summary["income_total"], 0)
        assert summary["reserves_used"] == shortfall, (summary["year"], summary["reserves_used"], shortfall)
        assert summary["balance"] >= 0
        if summary["reserves_used"]:
            assert summary["balance"] == 0, summary["year"]


def test_each_actions_progress_says_what_was_done_for_it(seeded):
    """Every action's progress read "Task and finish group set up; lead confirmed..." (issue 16.9).
    Each update names its action's recommendation, and says what its status says: delivered when it
    completes the action, not achieved when it fails it."""
    from reviews.models import ActionStatus, ActionStatusChange, ProgressUpdate

    updates = list(ProgressUpdate.objects.select_related("action__recommendation"))
    assert len(updates) >= 20
    texts = [u.text for u in updates]
    assert len(set(texts)) > len(texts) // 2, "progress updates repeat the same words"
    latest = {}
    for update in updates:
        assert f"Recommendation {update.action.recommendation.number}" in update.text, update.text
        latest[update.action_id] = max(latest.get(update.action_id, update), update, key=lambda u: (u.on, u.pk))
    assert len({u.text for u in latest.values()}) > len(latest) // 2, "actions show the same latest progress"
    said = {ActionStatus.COMPLETED: "delivered", ActionStatus.NOT_ACHIEVED: "not achieved"}
    for change in ActionStatusChange.objects.filter(status__in=said):
        words = [u.text for u in updates if u.action_id == change.action_id and u.on == change.on]
        assert any(said[change.status] in text for text in words), (change.action_id, words)


def test_the_year_in_progress_has_the_training_that_ran(seeded):
    """The programme for the year in progress was empty: no course had run since April (issue 16.9).
    Sessions ran in it, all in the past, each with its attendance recorded."""
    from django.db.models import Count, Q

    from safeguarding.periods import FinancialYear
    from training.models import Session

    today = timezone.localdate()
    year = FinancialYear.containing(today)
    sessions = Session.objects.filter(starts_on__gte=year.start).annotate(
        recorded=Count("bookings", filter=Q(bookings__status="attended"), distinct=True)
        + Count("counts", distinct=True))
    if (today - year.start).days > 60:  # a programme's first course runs a few weeks into the year
        assert sessions.count() >= 10, f"{year.label}: {sessions.count()} sessions so far"
    assert not sessions.filter(starts_on__gt=today).exists()
    assert all(session.recorded for session in sessions), "a session that ran with no attendance recorded"


def test_seeding_again_changes_nothing(seeded):
    """``make run`` seeds on every start: a second ``seed_demo`` over the demo adds, changes and
    removes no row of the portal's own tables (each app's ``demo.seed`` finds what it built)."""
    import io

    from django.core.management import call_command

    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()
                if model._meta.app_label in PROJECT_APPS and model._meta.managed}

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    after = counts()
    changed = {label: (n, after[label]) for label, n in before.items() if after[label] != n}
    assert not changed, f"a second seed changed these tables (before, after): {changed}"
