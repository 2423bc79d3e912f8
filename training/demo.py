"""Training demo data, built through the services. Safe to run twice.

Levels 1-5 and board level; staff groups for each type of agency; targets (85% in the first demo year, 90%
from the second); two years of quarterly training returns for every agency (the demo calendar's,
accepted, bar one queried) plus the current quarter part-done; the GP federation's figures
follow the commissioner's report in the seeds ("GPs Level 3 98% (138/141)"). And a programme of
25 multi-agency courses with sessions, attendance by agency and evaluations, uploaded as a
booking system's export would be: in both full years, and in the year in progress up to a week
ago. Figures come from seeded random generators.

Quarters are the datasets app's (its demo runs first); any missing are created here. A quarter the
datasets demo has closed is reopened while its training returns are entered and closed again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from datasets.models import Quarter
from partners.access import agencies_for
from partners.demo import demo_calendar
from partners.models import AgencyType as T
from safeguarding.periods import FinancialQuarter, FinancialYear
from safeguarding.workflow import ReturnStatus, notifications_follow_events
from safeguarding.working_days import working_day_on_or_after

from . import rules, services
from .models import Course, Level, Session, StaffGroup, TrainingReturn, TrainingReturnEvent, TrainingTarget
from .services.returns import FigureInput

CALENDAR = demo_calendar()  # the same calendar as the datasets demo: anchored to today
YEARS = CALENDAR.years
CURRENT = CALENDAR.current
QUERIED = ("acute", CURRENT.previous())
# The current quarter, part-done: agency key -> where its training return stands.
CURRENT_STATE = {"la": "accepted", "police": "submitted", "acute": "submitted", "mental": "submitted",
                 "gp": "draft", "community": "draft", "education": "draft"}

LEVELS = [("Level 1", "All staff working in health care settings"), ("Level 2", "Staff with some contact with "
          "children, young people or parents"), ("Level 3", "Clinical staff who could contribute to assessing, "
          "planning and evaluating a child's needs"), ("Level 4", "Named professionals"),
          ("Level 5", "Designated professionals"), ("Board level", "Chief executives, trust and health board "
                                                                   "members")]
HEALTH = [T.HEALTH_COMMISSIONER, T.ACUTE_TRUST, T.COMMUNITY_HEALTH, T.MENTAL_HEALTH_TRUST]
# name, agency types, levels, (eligible base, usual compliance)
GROUPS = [
    ("GPs", [T.PRIMARY_CARE], ["Level 3"], (141, 0.95)),
    ("Practice nurses", [T.PRIMARY_CARE], ["Level 2", "Level 3"], (110, 0.85)),
    ("Practice staff", [T.PRIMARY_CARE], ["Level 1"], (544, 0.93)),
    ("Practice managers and safeguarding administrators", [T.PRIMARY_CARE], ["Level 2"], (66, 0.6)),
    ("All staff", HEALTH + [T.DRUG_ALCOHOL, T.VOLUNTARY, T.OTHER], ["Level 1"], (900, 0.93)),
    ("Midwives", [T.ACUTE_TRUST], ["Level 3"], (160, 0.9)),
    ("Emergency department staff", [T.ACUTE_TRUST], ["Level 3"], (220, 0.84)),
    ("Clinical staff", [T.ACUTE_TRUST, T.COMMUNITY_HEALTH, T.MENTAL_HEALTH_TRUST], ["Level 2", "Level 3"], (600, 0.9)),
    ("Health visitors", [T.COMMUNITY_HEALTH], ["Level 3"], (85, 0.94)),
    ("School nurses", [T.COMMUNITY_HEALTH], ["Level 3"], (40, 0.91)),
    ("Named and designated professionals", [T.HEALTH_COMMISSIONER, T.ACUTE_TRUST, T.COMMUNITY_HEALTH,
                                            T.MENTAL_HEALTH_TRUST], ["Level 4", "Level 5"], (4, 0.97)),
    ("Board members", HEALTH, ["Board level"], (12, 0.88)),
    ("Social workers", [T.LA_CHILDRENS_SOCIAL_CARE], ["Level 3"], (180, 0.9)),
    ("Early help practitioners", [T.LA_CHILDRENS_SOCIAL_CARE], ["Level 2"], (70, 0.88)),
    ("Designated safeguarding leads in schools", [T.EDUCATION], ["Level 3"], (95, 0.92)),
    ("Police officers", [T.POLICE], ["Level 2"], (650, 0.87)),
    ("Public protection officers", [T.POLICE], ["Level 3"], (75, 0.93)),
    ("Probation officers", [T.PROBATION], ["Level 2"], (45, 0.9)),
    ("Youth justice workers", [T.YOUTH_JUSTICE], ["Level 3"], (25, 0.92)),
    ("Substance misuse workers", [T.DRUG_ALCOHOL], ["Level 2"], (30, 0.88)),
    ("Volunteers", [T.VOLUNTARY], ["Level 1"], (60, 0.8)),
    ("Firefighters carrying out home visits", [T.OTHER], ["Level 1"], (120, 0.9)),
    ("Paramedics", [T.ACUTE_TRUST], ["Level 2"], (300, 0.89)),
]
# The GP federation, as the commissioner's report has it (Fig. 5): (eligible, trained) by year.
GP_TABLE = {
    YEARS[1]: {("GPs", "Level 3"): (141, 138), ("Practice staff", "Level 1"): (544, 532),
           ("Practice managers and safeguarding administrators", "Level 2"): (66, 32),
           ("Practice nurses", "Level 3"): (118, 88), ("Practice nurses", "Level 2"): (105, 99)},
    YEARS[0]: {("GPs", "Level 3"): (188, 165), ("Practice staff", "Level 1"): (630, 515),
           ("Practice nurses", "Level 2"): (105, 93), ("Practice nurses", "Level 3"): (60, 41),
           ("Practice managers and safeguarding administrators", "Level 2"): (60, 22)},
}
# Groups an agency of the type does not employ: reported as nobody eligible.
NOT_EMPLOYED = {"ambulance": {"Midwives", "Emergency department staff"}, "icb": {"Clinical staff"},
                "cvs": {"All staff"}, "womens_aid": {"All staff"}}
NARRATIVES = [
    "Below target because of vacancies and new starters; every outstanding member of staff is booked on "
    "training in the next quarter and compliance is reported monthly to the safeguarding committee.",
    "Face-to-face sessions were cancelled during winter pressures; e-learning has been offered and the "
    "named nurse is following up each team leader.",
    "This is the first year the group has been measured; a trajectory to reach the target by Q4 has been "
    "agreed with the designated nurse.",
]


def _levels(demo) -> dict[str, Level]:
    existing = {lv.name: lv for lv in Level.objects.filter(partnership=demo.partnership)}
    for order, (name, description) in enumerate(LEVELS, start=1):
        if name not in existing:
            existing[name] = services.level_create(actor=demo.people["manager"], partnership=demo.partnership,
                                                   name=name, description=description, order=order)
    return existing


def _groups(demo, levels) -> None:
    existing = set(StaffGroup.objects.filter(partnership=demo.partnership).values_list("name", flat=True))
    for order, (name, types, level_names, _) in enumerate(GROUPS, start=1):
        if name not in existing:
            services.staff_group_create(actor=demo.people["manager"], partnership=demo.partnership, name=name,
                                        agency_types=[str(t) for t in types], order=order,
                                        levels=[levels[n] for n in level_names])


def _targets(demo, levels) -> None:
    if TrainingTarget.objects.filter(partnership=demo.partnership).exists():
        return
    manager = demo.people["manager"]
    services.target_create(actor=manager, partnership=demo.partnership, year_start=YEARS[0], target=Decimal(85),
                           amber_threshold=Decimal(75), note="Agreed by the training subgroup")
    services.target_create(actor=manager, partnership=demo.partnership, year_start=YEARS[1], target=Decimal(90),
                           amber_threshold=Decimal(80), note="Raised from 85% by the board")
    services.target_create(actor=manager, partnership=demo.partnership, year_start=YEARS[1], target=Decimal(100),
                           amber_threshold=Decimal(90), level=levels["Level 5"],
                           note="Every designated professional at level 5")


def _quarters(demo) -> dict[FinancialQuarter, Quarter]:
    out = {}
    for period in CALENDAR.periods:
        quarter, _ = Quarter.objects.get_or_create(
            partnership=demo.partnership, year_start=period.year.start_year, number=period.number,
            defaults={"opens_on": period.end + dt.timedelta(days=1), "due_on": period.end + dt.timedelta(days=30)})
        out[period] = quarter
    return out


def _actor(demo, agency):
    for person in demo.people.values():
        if person.is_submitter and agencies_for(person).filter(pk=agency.pk).exists():
            return person
    return demo.people["designated"] if agency.is_health else demo.people["manager"]


def _figures(key: str, ret: TrainingReturn, rng: random.Random, period: FinancialQuarter, lines) -> dict:
    spec = {name: base for name, _, _, base in GROUPS}
    index = period.index - FinancialQuarter(FinancialYear(YEARS[0]), 1).index
    out = {}
    for figure in lines:
        group, level = figure.staff_group.name, figure.level.name
        if group in NOT_EMPLOYED.get(key, set()):
            out[figure.pk] = (0, 0)
            continue
        known = GP_TABLE.get(period.year.start_year, {}).get((group, level)) if key == "gp" else None
        if known and period.number == 4:
            out[figure.pk] = known
            continue
        base, usual = spec[group]
        eligible = max(1, round(base * rng.uniform(0.9, 1.1) * (1.2 if level == "Level 1" else 1)))
        share = min(0.995, max(0.3, usual + 0.004 * index + rng.gauss(0, 0.04)))
        if known:  # earlier quarters of the GP federation climb towards its year-end figure
            eligible = known[0]
            share = min(1.0, known[1] / known[0] - 0.02 * (4 - period.number) + rng.gauss(0, 0.01))
        out[figure.pk] = (eligible, min(eligible, round(eligible * share)))
    return out


def _backdate(ret: TrainingReturn, submitted: dt.datetime) -> None:
    """Move the workflow's timestamps to when it would have happened (the services stamp now)."""
    steps = {"submit": 0, "query": 6, "resubmit": 9, "accept": 12}
    events = list(TrainingReturnEvent.objects.filter(ret=ret).order_by("occurred_at", "id"))
    # Never after now (issue 16.9): the current quarter's returns are only weeks old.
    latest = timezone.now() - dt.timedelta(hours=1)
    submitted = min(submitted, latest - dt.timedelta(minutes=len(events) + 1))
    for n, event in enumerate(events):
        event.occurred_at = min(submitted + dt.timedelta(days=steps.get(event.action, 12), hours=n),
                                latest - dt.timedelta(minutes=len(events) - n))
    TrainingReturnEvent.objects.bulk_update(events, ["occurred_at"])
    notifications_follow_events(ret, events)
    changes = {"first_submitted_at": submitted}
    submits = [e for e in events if e.action in ("submit", "resubmit")]
    if submits:
        changes["submitted_at"] = submits[-1].occurred_at
    accepts = [e for e in events if e.action == "accept"]
    if accepts:
        changes["accepted_at"] = accepts[-1].occurred_at
    TrainingReturn.objects.filter(pk=ret.pk).update(**changes)


def _query_text(ret: TrainingReturn, book: rules.TargetBook) -> str:
    """PCI's question on a training return, quoting its lowest compliance against the target in
    force as the compliance page shows it (issue 16.9)."""
    from safeguarding.formatting import format_figure

    worst = None
    for line in ret.figures.select_related("staff_group", "level"):
        value = rules.compliance(line.trained, line.eligible)
        target = book.in_force(level_id=line.level_id, on=ret.quarter.period.end)
        if value is not None and target is not None and (worst is None or value - target.target < worst[0]):
            worst = (value - target.target, line, value, target)
    if worst is None:
        return "Please confirm the figures in this return before we accept them."
    _, line, value, target = worst
    return (f"{line.staff_group.name}, {line.level.name}: {format_figure(value, 'percentage')} trained "
            f"({line.trained} of {line.eligible}) against a target of {format_figure(target.target, 'percentage')}. "
            "Please confirm the figures, and the plan if it is below target.")


def _one_return(demo, key: str, agency, quarter: Quarter, book: rules.TargetBook) -> None:
    period = quarter.period
    state = CURRENT_STATE.get(key, "none") if period == CURRENT else "accepted"
    if state == "none":
        return
    actor = _actor(demo, agency)
    ret = services.training_return_start(actor=actor, agency=agency, quarter=quarter)
    if ret.status != ReturnStatus.DRAFT or ret.figures.filter(eligible__isnull=False).exists():
        return  # built on an earlier run
    rng = random.Random(f"training:{key}:{period.label}")
    lines = list(ret.figures.select_related("staff_group", "level"))
    figures = _figures(key, ret, rng, period, lines)
    inputs = {}
    for figure in lines:
        eligible, trained = figures[figure.pk]
        if state == "draft" and rng.random() < 0.4:
            continue
        target = book.in_force(level_id=figure.level_id, on=period.end)
        narrative = rng.choice(NARRATIVES) if rules.below_target(rules.compliance(trained, eligible), target) else ""
        inputs[figure.pk] = FigureInput(eligible=eligible, trained=trained, narrative=narrative)
    services.training_return_save(actor=actor, ret=ret, version=None, figures=inputs)
    if state == "draft":
        return
    services.training_return_transition(actor=actor, ret=ret, action="submit")
    pci, manager = demo.people["pci"], demo.people["manager"]
    if (key, period) == QUERIED:
        services.training_return_transition(actor=pci, ret=ret, action="query", comment=_query_text(ret, book))
    elif state == "accepted":
        if rng.random() < 0.1:
            services.training_return_transition(actor=pci, ret=ret, action="query", comment=_query_text(ret, book))
            services.training_return_transition(actor=actor, ret=ret, action="resubmit",
                                                 comment="Confirmed: leavers were removed from the training list.")
        reviewer = rng.choice((pci, manager))  # separation of duties: never the submitter
        services.training_return_transition(actor=pci if reviewer == actor else reviewer, ret=ret, action="accept")
    day = quarter.due_on - dt.timedelta(days=rng.randint(1, 20))
    _backdate(ret, timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(9, 16), 0))))


def _returns(demo) -> None:
    from datasets import services as dataset_services

    quarters = _quarters(demo)
    agencies = {k: a for k, a in demo.agencies.items() if a.active_to is None}
    book = rules.TargetBook(TrainingTarget.objects.filter(partnership=demo.partnership))
    manager = demo.people["manager"]
    for period in sorted(quarters):
        quarter = quarters[period]
        started = set(TrainingReturn.objects.filter(quarter=quarter).values_list("agency_id", flat=True))
        todo = [k for k in sorted(agencies) if agencies[k].pk not in started
                and (period != CURRENT or k in CURRENT_STATE)]
        if not todo:
            continue
        closed = quarter.is_closed
        if closed:  # the datasets demo has closed it; training returns are entered as they were at the time
            quarter = dataset_services.quarter_reopen(actor=manager, quarter=quarter)
        for key in todo:
            _one_return(demo, key, agencies[key], quarter, book)
        if closed:
            dataset_services.quarter_close(actor=manager, quarter=Quarter.objects.get(pk=quarter.pk))


# --- The multi-agency programme ---------------------------------------------------------------

# title, level, format, hours, capacity, shared with adults, charge, no-show charge
COURSES = [
    ("Safeguarding children: an introduction", "Level 1", "e_learning", 1.5, 200, False, 0, 0),
    ("Working together to safeguard children", "Level 2", "classroom", 6, 24, False, 0, 50),
    ("Recognising and responding to neglect", "Level 3", "classroom", 6, 20, False, 0, 50),
    ("The graded care profile: assessing neglect", "Level 3", "classroom", 6, 16, False, 0, 50),
    ("Child sexual exploitation and county lines", "Level 3", "classroom", 3, 30, False, 0, 50),
    ("Contextual safeguarding", "Level 3", "briefing", 2, 60, False, 0, 0),
    ("Domestic abuse and its impact on children", "Level 3", "classroom", 6, 24, True, 0, 50),
    ("Female genital mutilation: duties and practice", "Level 2", "briefing", 2, 50, True, 0, 0),
    ("Fabricated or induced illness", "Level 3", "classroom", 3, 20, False, 0, 50),
    ("Was not brought: children who miss appointments", "Level 2", "briefing", 1.5, 80, False, 0, 0),
    ("Adverse childhood experiences and trauma-informed practice", "Level 3", "classroom", 6, 24, True, 0, 50),
    ("Harmful sexual behaviour", "Level 3", "classroom", 6, 20, False, 0, 50),
    ("Learning from local child safeguarding practice reviews", "Level 3", "briefing", 2, 80, False, 0, 0),
    ("Annual safeguarding conference", "Level 3", "conference", 7, 200, True, 45, 45),
    ("Child protection conferences and core groups", "Level 3", "classroom", 3, 24, False, 0, 50),
    ("Private fostering awareness", "Level 1", "e_learning", 1, 200, False, 0, 0),
    ("Safer recruitment", "Level 2", "classroom", 6, 16, True, 60, 60),
    ("Managing allegations against staff (LADO)", "Level 3", "briefing", 2, 40, True, 0, 0),
    ("Parental mental health and children", "Level 3", "classroom", 6, 20, True, 0, 50),
    ("Substance misuse and parenting", "Level 3", "classroom", 3, 20, True, 0, 50),
    ("Children with disabilities: safeguarding", "Level 3", "classroom", 6, 20, False, 0, 50),
    ("Online safety for practitioners", "Level 2", "e_learning", 1.5, 200, False, 0, 0),
    ("Perinatal mental health and safeguarding", "Level 3", "classroom", 3, 20, False, 0, 50),
    ("Escalation and professional challenge", "Level 3", "briefing", 1.5, 60, False, 0, 0),
    ("Safeguarding for board members", "Board level", "briefing", 2, 30, True, 0, 0),
]
VENUES = ["Northbridge Civic Centre, Committee Room 2", "Ashdown Education Centre", "Northbridge Police HQ, "
          "Training Suite", "Three Boroughs Learning Hub"]
FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jonah", "Kiran", "Lucy",
               "Marek", "Nadia", "Owen", "Priya", "Rory", "Sana", "Tom", "Una"]
SURNAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fischer", "Green", "Hughes", "Iqbal", "Jones",
            "Khan", "Lewis", "Morgan", "Nowak", "Owusu", "Patel"]
# Which agencies come to the programme, and how keenly.
WEIGHTS = {"la": 10, "education": 7, "police": 6, "acute": 6, "community": 5, "gp": 4, "mental": 3, "cvs": 3,
           "yjs": 2, "womens_aid": 2, "probation": 2, "drugs": 1, "fire": 1, "ambulance": 1, "icb": 1}


# The year in progress has the sessions that ran up to a week before today, with their attendance
# uploaded; the follow-up evaluation of impact goes out six weeks after a session.
RAN_BY = CALENDAR.today - dt.timedelta(days=7)
FOLLOW_UP_AFTER = dt.timedelta(weeks=6)


def _programme_years() -> list[int]:
    """Start years of the programme's financial years: the demo's two full years, then each year
    up to the one containing today (2026/27 on 30 November 2026), whose sessions stop at RAN_BY."""
    return [*YEARS, *range(YEARS[1] + 1, FinancialYear.containing(CALENDAR.today).start_year + 1)]


def _programme(demo, levels) -> None:
    manager = demo.people["manager"]
    courses = {c.title: c for c in Course.objects.filter(partnership=demo.partnership)}
    for title, level, fmt, hours, capacity, adults, charge, no_show in COURSES:
        if title not in courses:
            courses[title] = services.course_create(
                actor=manager, partnership=demo.partnership, title=title, level=levels[level], format=fmt,
                duration_hours=Decimal(str(hours)), capacity=capacity, shared_with_adults=adults,
                charge=Decimal(charge), no_show_charge=Decimal(no_show))
    if Session.objects.filter(course__partnership=demo.partnership).exists():
        return  # built on an earlier run
    agencies = {k: a for k, a in demo.agencies.items() if a.active_to is None}
    keys = sorted(WEIGHTS)
    for year in _programme_years():
        rows = []
        evaluation_sessions = []
        for n, (title, *_rest) in enumerate(COURSES):
            course = courses[title]
            rng = random.Random(f"programme:{title}:{year}")
            count = 1 if course.format in ("conference", "e_learning") else rng.randint(2, 4)
            for s in range(count):
                day = working_day_on_or_after(
                    FinancialYear(year).start + dt.timedelta(days=20 + (n * 11 + s * 97) % 330))
                if day > RAN_BY:
                    continue  # the year in progress: only the sessions that have run (issue 16.9)
                online = course.format in ("e_learning", "briefing") and rng.random() < 0.7
                session = services.session_create(actor=manager, course=course, starts_on=day, online=online,
                                                  venue="" if online else rng.choice(VENUES))
                fill = rng.uniform(0.55, 1.0)
                attendees = round(session.places * fill)
                named = course.format == "classroom" and rng.random() < 0.5
                chosen = rng.choices(keys, weights=[WEIGHTS[k] for k in keys], k=attendees)
                if named:
                    for i, key in enumerate(chosen):
                        status = rng.choices(["attended", "no-show", "late cancellation"], weights=[88, 8, 4])[0]
                        rating = impact = ""
                        if status == "attended" and rng.random() < 0.8:
                            rating = rng.choices(["excellent", "good", "satisfactory", "poor"], [45, 40, 12, 3])[0]
                        if status == "attended" and rng.random() < 0.4:
                            impact = rng.choices(["significantly better equipped", "somewhat better equipped",
                                                  "not better equipped"], [50, 44, 6])[0]
                        name = f"{FIRST_NAMES[(i + n) % len(FIRST_NAMES)]} {SURNAMES[(i * 3 + s) % len(SURNAMES)]}"
                        rows.append([title, day.isoformat(), agencies[key].name, name, status, "", "", "",
                                     rating, impact, ""])
                else:
                    # Sectors that are not members attend too (issue 12.5): early years settings and
                    # foster carers take some of the places on classroom courses and briefings.
                    sector_rng = random.Random(f"audience:{title}:{year}:{s}")
                    sectors = {"early years": sector_rng.randint(1, 4), "foster carers": sector_rng.randint(0, 3)} \
                        if course.format in ("classroom", "briefing") and len(chosen) > 10 else {}
                    chosen = chosen[:len(chosen) - sum(sectors.values())]
                    for sector, att in sectors.items():
                        if att:
                            rows.append([title, day.isoformat(), "", "", "", att, 0, 0, "", "", sector])
                    per_agency: dict[str, list[int]] = {}
                    for key in chosen:
                        tally = per_agency.setdefault(key, [0, 0, 0])
                        tally[rng.choices([0, 1, 2], weights=[88, 8, 4])[0]] += 1
                    for key, (att, ns, late) in sorted(per_agency.items()):
                        rows.append([title, day.isoformat(), agencies[key].name, "", "", att, ns, late, "", "",
                                     ""])
                    evaluation_sessions.append((session, sum(t[0] for t in per_agency.values()), rng))
        if not rows:
            continue  # early in a year no session has run yet
        header = ["course", "session date", "agency", "attendee", "status", "attended", "no shows",
                  "late cancellations", "rating", "impact", "audience"]
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        services.attendance_upload(actor=manager, partnership=demo.partnership,
                                   upload=SimpleUploadedFile("bookings.csv", buffer.getvalue().encode()))
        for session, attended, rng in evaluation_sessions:
            responses = round(attended * rng.uniform(0.6, 0.9))
            split = rng.choices(["excellent", "good", "satisfactory", "poor"], [45, 40, 12, 3], k=responses)
            services.evaluation_set(actor=manager, session=session, stage="immediate",
                                    counts={a: split.count(a) for a in ("excellent", "good", "satisfactory", "poor")})
            if session.starts_on > CALENDAR.today - FOLLOW_UP_AFTER:
                continue  # its follow-up evaluation has not been sent yet
            follow = rng.choices(["significantly", "somewhat", "not"], [50, 44, 6], k=round(attended * 0.35))
            # Sent to those who left an email address: about nine in ten of those who attended.
            services.evaluation_set(actor=manager, session=session, stage="follow_up",
                                    counts={a: follow.count(a) for a in ("significantly", "somewhat", "not")},
                                    invited=max(len(follow), round(attended * 0.9)))


def seed(demo):
    levels = _levels(demo)
    _groups(demo, levels)
    _targets(demo, levels)
    _returns(demo)
    _programme(demo, levels)
    demo.training_summary = dict(TrainingReturn.objects.filter(agency__partnership=demo.partnership)
                                 .values_list("status").annotate(n=Count("id")))
    return demo
