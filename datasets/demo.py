"""Demo data for the quarterly dataset, built through the services. Safe to run twice.

Quarters for the two financial years before the current one (all returns accepted, bar one
queried and one late), the current year's quarters so far, and the current quarter (the last one
to end, see ``partners.demo.DemoCalendar``) part-done: some accepted, some awaiting review, some drafts, some not
started. Values are invented from a seeded random generator so every run gives the same figures;
reds and sharp moves carry narratives because the services refuse a submission without them.

The submission and acceptance times are set after the fact to dates inside each quarter's
reporting window (the services stamp "now"), so completeness and timeliness read as they would
have at the time. That is the only thing done here outside the services.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from partners.access import agencies_for
from partners.demo import demo_calendar
from safeguarding.periods import FinancialQuarter, FinancialYear
from safeguarding.workflow import ReturnStatus, notifications_follow_events

from . import services
from .demo_catalogue import CATALOGUE, CP_SHARES, NARRATIVES
from .models import Comparator, Indicator, Quarter, Return, ReturnEvent, ReturnValue
from .selectors import return_sheet

CALENDAR = demo_calendar()  # anchored to today (or DEMO_TODAY): the demo always looks current
YEARS = CALENDAR.years
CURRENT = CALENDAR.current
# Two more financial years of accepted returns before YEARS, so that every series has at least 16
# quarters and the dashboards' SPC limits and icons show (issue 16.2; Making Data Count asks for 12+).
HISTORY_YEARS = 2
HISTORY = [FinancialQuarter(FinancialYear(YEARS[0] - HISTORY_YEARS + k // 4), k % 4 + 1)
           for k in range(4 * HISTORY_YEARS)]
# The story the dashboards tell (issue 16.9), in spreads of the indicator's own variation by
# quarters before the current one (0 = the current quarter): level 3 training fell when the
# target rose and has climbed back for the last seven quarters (SPC: 6+ rising, improving);
# re-referrals stepped up seven quarters ago and stayed up (SPC: a run on one side, concerning).
STORY = {
    "H-TRN-L3": (lambda back: 0.0 if back > 6 else -1.5 + (6 - back) * 0.5, 0.15),
    "LA-REREF": (lambda back: 0.0 if back > 6 else 1.2, 0.35),
}
DUE_DAYS = 30
# Figures as partnerships publish them (issue 13), all from the local authority's returns:
# - the dental checks of the quarter before the current one were not collected (the provider's
#   data feed was suspended): stored as "not available" with the reason, never as zero;
# - in the oldest year only the published rate of children on a plan survives, without counts;
# - in the oldest year's first two quarters only the sexual-abuse and multiple-category plans
#   were published: the other parts are "not known", the total is the published one (Q1) or not
#   known (Q2), never the sum of the known parts.
AS_PUBLISHED = {
    ("la", CURRENT.previous(), "LA-CLA-DENTAL"): {None: {
        "numerator": "", "denominator": "", "value": "", "na_reason": "not_collected",
        "na_note": "the dental provider's data feed was suspended this quarter"}},
    **{("la", period, "LA-CPP-RATE"): {None: {
        "numerator": "", "denominator": "", "value": rate, "source": "DfE Characteristics of children in need, "
        "table D1 (as published)", "source_date": f"{period.year.start_year + 1}-10-26"}}
       for period, rate in zip(HISTORY[:4], ("41.2", "40.8", "39.9", "40.3"), strict=True)},
    **{("la", period, "LA-CPP"): {
        None: {"value": total}, "Neglect": {"value": "not known"}, "Emotional abuse": {"value": "not known"},
        "Physical abuse": {"value": "not known"}, "Sexual abuse": {"value": sexual}, "Multiple": {"value": multiple}}
       for period, total, sexual, multiple in ((HISTORY[0], "301", "12", "35"), (HISTORY[1], "", "11", "37"))},
}
# Comparators as published (issue 13.3): a comparator for a part of a breakdown, and one that is no
# longer reported.
PART_COMPARATORS = {("LA-CPP", "Sexual abuse"): (2023, "england", "4.1")}
NOT_REPORTED_COMPARATORS = {("LA-CLA-DENTAL", 2023, "region"): "The region stopped publishing this in 2024."}
LATE = ("police", FinancialQuarter(FinancialYear(YEARS[1]), 3))  # submitted 9 days after the deadline
QUERIED = ("acute", CURRENT.previous())  # the PCI's question is waiting for an answer
# The current quarter, part-done: agency key -> where its return stands.
CURRENT_STATE = {"la": "accepted", "police": "accepted", "acute": "submitted", "mental": "submitted",
                 "community": "draft", "education": "draft"}


def _catalogue(demo) -> dict[str, Indicator]:
    manager = demo.people["manager"]
    existing = {i.code: i for i in Indicator.objects.filter(partnership=demo.partnership)}
    for order, spec in enumerate(CATALOGUE):
        if spec["code"] in existing:
            continue
        indicator = services.indicator_create(
            actor=manager, partnership=demo.partnership, code=spec["code"], name=spec["name"], domain=spec["domain"],
            unit=spec["unit"], polarity=spec["polarity"], agency_types=list(spec["agency_types"]),
            numerator_label=spec["numerator_label"], denominator_label=spec["denominator_label"],
            breakdown_label=spec["breakdown_label"], parts=spec["parts"], required=spec["required"],
            definition=spec["definition"], order=order)
        targets = dict(spec["targets"])
        if targets:  # the first year's targets were already in force in the history years
            first = min(targets)
            targets = {first - HISTORY_YEARS: targets[first], **targets}
        for written_for, rows in targets.items():
            year = CALENDAR.shift(written_for)
            if isinstance(rows, tuple):
                rows = [("04-01", *rows)]
            for start, target, amber in rows:
                month, day = (int(x) for x in start.split("-"))
                effective = dt.date(year + (1 if month < 4 else 0), month, day)
                services.target_set(actor=manager, indicator=indicator, year=year, target=str(target),
                                    amber_threshold=str(amber), effective_from=effective)
        # The latest year's targets carry on into the current year unless changed.
        for written_for, values in spec["comparators"].items():
            year = CALENDAR.shift(written_for)
            for kind, value in zip(("england", "region", "neighbours"), values, strict=True):
                services.comparator_set(actor=manager, indicator=indicator, year=year, kind=kind, value=str(value),
                                        source="Published national statistics (illustrative)")
        existing[spec["code"]] = indicator
    for (code, part_label), (written_for, kind, value) in PART_COMPARATORS.items():
        indicator = existing[code]
        part = indicator.parts.get(label=part_label)
        if Comparator.objects.filter(indicator=indicator, part=part).exists():
            continue
        services.comparator_set(actor=manager, indicator=indicator, part=part, year=CALENDAR.shift(written_for),
                                kind=kind, value=value, source="Published national statistics (illustrative)")
    for (code, written_for, kind), note in NOT_REPORTED_COMPARATORS.items():
        if Comparator.objects.filter(indicator=existing[code], kind=kind, year_start=CALENDAR.shift(written_for),
                                     part=None).exclude(na_reason="").exists():
            continue
        services.comparator_set(actor=manager, indicator=existing[code], year=CALENDAR.shift(written_for), kind=kind,
                                value="", na_reason="no_longer_reported", na_note=note)
    return existing


def _quarters(demo) -> dict[FinancialQuarter, Quarter]:
    manager = demo.people["manager"]
    existing = {q.period: q for q in Quarter.objects.filter(partnership=demo.partnership)}
    for period in [*HISTORY, *CALENDAR.periods]:
        if period not in existing:
            # The current quarter is still being gathered: its deadline is a fortnight ahead.
            due_days = DUE_DAYS if period != CURRENT else max(DUE_DAYS, (CALENDAR.today - period.end).days + 14)
            existing[period] = services.quarter_create(actor=manager, partnership=demo.partnership, period=period,
                                                       due_days=due_days)
    return existing


def _actor(demo, agency):
    for person in demo.people.values():
        if person.is_submitter and agencies_for(person).filter(pk=agency.pk).exists():
            return person
    return demo.people["designated"] if agency.is_health else demo.people["manager"]


def _figures(rng: random.Random, spec: dict, trend: float, noise: float = 1.0) -> dict:
    """Invented figures for one indicator: {part code or None: raw entry}. ``trend`` moves the
    figure by that many spreads; ``noise`` scales the random variation (1 = one spread)."""
    unit, gen = spec["unit"], spec["gen"]
    if unit in ("percentage", "rate_10k"):
        den_base, share, spread = gen
        scale = 100 if unit == "percentage" else 10000
        den = max(5, round(den_base * rng.uniform(0.9, 1.1)))
        pct = share + trend * spread + rng.gauss(0, spread * noise)
        pct = max(0.0, min(100.0 if unit == "percentage" else scale, pct))
        num = min(den, round(den * pct / scale))
        return {None: {"numerator": str(num), "denominator": str(den)}}
    mean, spread = gen
    value = max(0.0, mean * (1 + trend * spread / 2 + rng.gauss(0, spread * noise)))
    if unit == "days":
        return {None: {"value": f"{value:.1f}"}}
    total = round(value)
    if spec["parts"]:
        shares = [s * rng.uniform(0.85, 1.15) for s in CP_SHARES]
        parts = [round(total * s / sum(shares)) for s in shares]
        out = {None: {"value": ""}}
        for code, number in zip(spec["parts"], parts, strict=True):
            out[code] = {"value": str(number)}
        return out
    return {None: {"value": f"{total:,}"}}  # typed with a thousands comma, as people do


def _fill(demo, ret, indicators: dict[str, Indicator], actor, rng: random.Random, *, share: float = 1.0) -> None:
    sheet = return_sheet(ret)
    entries = {}
    quarter_index = ret.quarter.period.index - FinancialQuarter(FinancialYear(YEARS[0]), 1).index
    for line in sheet.lines:
        if rng.random() > share:
            continue
        spec = next(s for s in CATALOGUE if s["code"] == line.indicator.code)
        trend = (quarter_index - 4) / 4 * rng.choice((-1, 1)) * 0.5
        noise = 1.0
        if spec["code"] in STORY:
            shape, noise = STORY[spec["code"]]
            trend = shape(CURRENT.index - ret.quarter.period.index)
        parts = {p.label: p for p in line.parts}
        figures = _figures(rng, spec, trend, noise)
        key = next((k for k, a in demo.agencies.items() if a.pk == ret.agency_id), None)
        figures = AS_PUBLISHED.get((key, ret.quarter.period, spec["code"]), figures)
        for part_label, raw in figures.items():
            part = parts.get(part_label) if part_label else None
            entries[(line.indicator.pk, part.pk if part else None)] = raw
    services.return_values_save(actor=actor, ret=ret, version=ret.updated_at.isoformat(), entries=entries,
                                catalogue=sheet.catalogue)
    # Narratives where the services will ask for them (reds and sharp moves).
    sheet = return_sheet(ret, catalogue=sheet.catalogue)
    narratives = {(line.indicator.pk, None): {"narrative": NARRATIVES.get(line.indicator.domain, NARRATIVES["default"])}
                  for line in sheet.lines if line.needs_narrative and not line.figures.total.narrative}
    if narratives:
        services.return_values_save(actor=actor, ret=ret, version=ret.updated_at.isoformat(), entries=narratives,
                                    catalogue=sheet.catalogue)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _backdate(ret: Return, submitted: dt.datetime) -> None:
    """Move the return's timestamps to when it would have happened (the services stamp now):
    never after now, and never before the quarter ended (issue 16.9: no timestamp after today)."""
    events = list(ReturnEvent.objects.filter(ret=ret).order_by("occurred_at", "id"))
    steps = {"submit": 0, "query": 6, "resubmit": 9, "accept": 12}
    latest = timezone.now() - dt.timedelta(hours=1)
    ended = _at(ret.quarter.period.end + dt.timedelta(days=1), 9)
    span = dt.timedelta(days=max(steps.get(e.action, 12) for e in events) if events else 0, hours=4)
    submitted = max(ended, min(submitted, latest - span))
    squeeze = min(1.0, max(0.0, (latest - submitted) / span)) if span else 1.0
    for event in events:
        offset = dt.timedelta(days=steps.get(event.action, 12), hours=event.pk % 5)
        event.occurred_at = min(latest, submitted + offset * squeeze)
    ReturnEvent.objects.bulk_update(events, ["occurred_at"])
    notifications_follow_events(ret, events)
    changes = {"first_submitted_at": submitted if ret.first_submitted_at else None}
    last_submit = [e for e in events if e.action in ("submit", "resubmit")]
    if last_submit:
        changes["submitted_at"] = last_submit[-1].occurred_at
    accepted = [e for e in events if e.action == "accept"]
    if accepted:
        changes["accepted_at"] = accepted[-1].occurred_at
    Return.objects.filter(pk=ret.pk).update(**changes)
    ReturnValue.history.filter(ret_id=ret.pk).update(history_date=max(ended, submitted - dt.timedelta(days=2)))


def _one_return(demo, key, agency, quarter, indicators, rng) -> None:
    period = quarter.period
    actor = _actor(demo, agency)
    is_current = period == CURRENT
    state = CURRENT_STATE.get(key, "none") if is_current else "accepted"
    if state == "none" or not (agency.is_active_on(period.end) or agency.is_active_on(period.start)):
        return
    ret, _ = services.return_get_or_create(actor=actor, agency=agency, quarter=quarter)
    if ret.status != ReturnStatus.DRAFT or ret.values.exists():
        return  # already built on an earlier run
    _fill(demo, ret, indicators, actor, rng, share=0.6 if state == "draft" else 1.0)
    if state == "draft":
        return
    services.return_submit(actor=actor, ret=ret)
    pci, manager = demo.people["pci"], demo.people["manager"]
    if (key, period) == QUERIED:
        services.return_query(actor=pci, ret=ret, comment=query_text(ret))
    elif state == "accepted":
        if rng.random() < 0.15:
            services.return_query(actor=pci, ret=ret, comment=movement_query_text(ret))
            services.return_resubmit(actor=actor, ret=ret, comment="Confirmed: the staff list was cleansed of "
                                                                   "leavers this quarter.")
        reviewer = rng.choice((pci, manager))
        # Separation of duties: whoever submitted does not accept (the manager submits for agencies
        # with no submitter of their own).
        services.return_accept(actor=pci if reviewer == actor else reviewer, ret=ret)
    ret.refresh_from_db()
    late = (key, period) == LATE
    day = quarter.due_on + dt.timedelta(days=9) if late else quarter.due_on - dt.timedelta(days=rng.randint(1, 20))
    _backdate(ret, _at(day, rng.randint(9, 16)))


def figure_said(ret: Return, indicator: Indicator) -> dict:
    """What the dashboards show for ``indicator`` in ``ret``: the figure and target as formatted
    text, the RAG word, and how many quarters running (this one and the accepted ones before it)
    the agency's figure has had that RAG. The demo's queries and challenges quote these, so that
    they say what the stored figures say (issue 16.9)."""
    from safeguarding.formatting import format_figure

    from .dashboard_selectors import figure, rate, targets_at
    from .rag import rag_label

    def judged(value_row, period):
        value = figure(indicator, value_row.value, value_row.numerator, value_row.denominator)
        target = targets_at(indicator_ids=[indicator.pk], period=period).get(indicator.pk)
        return value, target, rate(indicator, value, target)

    row = ReturnValue.objects.get(ret=ret, indicator=indicator, part__isnull=True)
    value, target, status = judged(row, ret.quarter.period)
    earlier = (ReturnValue.objects.filter(ret__agency=ret.agency, indicator=indicator, part__isnull=True,
                                          ret__status=ReturnStatus.ACCEPTED,
                                          ret__quarter__year_start__lte=ret.quarter.year_start)
               .exclude(ret=ret).select_related("ret__quarter")
               .order_by("-ret__quarter__year_start", "-ret__quarter__number"))
    running = 1
    for other in earlier:
        if other.ret.quarter.period >= ret.quarter.period:
            continue
        if judged(other, other.ret.quarter.period)[2] != status:
            break
        running += 1
    return {"figure": format_figure(value, indicator), "target": format_figure(target.target, indicator)
            if target else "", "rag": rag_label(status).lower() if status else "", "running": running,
            "quarter": ret.quarter.label, "value": value}


def query_text(ret: Return) -> str:
    """The PCI's question on a return about its first red figure (in catalogue order), quoting
    the figure as the dashboard shows it; about its largest movement when nothing is red."""
    for value in (ReturnValue.objects.filter(ret=ret, part__isnull=True).select_related("indicator")
                  .order_by("indicator__domain", "indicator__order")):
        said = figure_said(ret, value.indicator)
        if said["rag"] == "red":
            run = f" for the {_ordinal(said['running'])} quarter running" if said["running"] > 1 else ""
            return (f"{value.indicator.name} is {said['figure']} in {said['quarter']} against a target of "
                    f"{said['target']}: red{run}. What is the recovery plan, and by when?")
    return movement_query_text(ret)


def movement_query_text(ret: Return) -> str:
    """A question about the percentage or rate that moved most against the agency's accepted
    figure the quarter before, quoting both figures; a plain request to confirm the figures when
    there is nothing to compare."""
    from safeguarding.formatting import format_figure

    from .dashboard_selectors import figure

    previous = ret.quarter.period.previous()
    rows = ReturnValue.objects.filter(
        ret__agency=ret.agency, ret__quarter__year_start=previous.year.start_year, ret__quarter__number=previous.number,
        ret__status=ReturnStatus.ACCEPTED, part__isnull=True).select_related("indicator")
    before = {v.indicator_id: figure(v.indicator, v.value, v.numerator, v.denominator) for v in rows}
    best = None
    for v in ReturnValue.objects.filter(ret=ret, part__isnull=True).select_related("indicator"):
        now, then = figure(v.indicator, v.value, v.numerator, v.denominator), before.get(v.indicator_id)
        if not v.indicator.is_ratio or now is None or then is None:
            continue
        if best is None or abs(now - then) > best[0]:
            best = (abs(now - then), v.indicator, then, now)
    if best is None:
        return "Please confirm the figures in this return before we accept them."
    _, indicator, then, now = best
    return (f"{indicator.name} moved from {format_figure(then, indicator)} in {previous.label} to "
            f"{format_figure(now, indicator)} in {ret.quarter.label}. Please confirm the "
            f"{(indicator.denominator_label or 'denominator').lower()}.")


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(n, f"{n}th")


def seed(demo):
    indicators = _catalogue(demo)
    quarters = _quarters(demo)
    agencies = {k: a for k, a in demo.agencies.items() if a.active_to is None}
    for period in sorted(quarters):
        quarter = quarters[period]
        for key in sorted(agencies):
            rng = random.Random(f"{key}:{period.label}")
            _one_return(demo, key, agencies[key], quarter, indicators, rng)
    # The history and the first year are closed: their figures are final.
    for period, quarter in quarters.items():
        if period.year.start_year <= YEARS[0] and not quarter.is_closed:
            services.quarter_close(actor=demo.people["manager"], quarter=quarter)
    demo.dataset_quarters = quarters
    demo.indicators = indicators
    demo.dataset_summary = dict(Return.objects.filter(agency__partnership=demo.partnership)
                                .values_list("status").annotate(n=Count("id")))
    return demo

