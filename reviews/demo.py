"""Demo reviews: the inspection from shared/seeds/003 with its 36 recommendations and actions in
every state, two fictional practice reviews, a multi-agency FGM audit, and a few PCI challenges.

Built through the services, from a seeded random generator and dates counted from the start of
the current financial quarter, so a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeguarding.periods import FinancialQuarter
from safeguarding.working_days import add_working_days

from . import services
from .demo_inspection import (
    EXTRA_ADDRESSEES,
    ORGANISATIONS,
    RECOMMENDATIONS,
    SOURCE_PARAGRAPHS,
)
from .demo_inspection import THEMES as INSPECTION_THEMES
from .models import Action, ActionStatus, Challenge, ChallengeStatus, Review, ReviewStatus, ReviewType

INSPECTION_TITLE = "Review of health services for children looked after and safeguarding (CQC)"

# The states the inspection's actions end up in: the first few in order so every state is
# there, then drawn with these weights.
STATES = ["assured", "completed", "in_progress", "not_started", "not_achieved", "superseded", "no_evidence"]
WEIGHTS = [34, 14, 30, 8, 5, 4, 5]

LEADS = {
    "icb": [("Rebecca Lane", "Designated nurse for safeguarding children"),
            ("Dr Imran Qureshi", "Designated doctor for safeguarding children")],
    "gp": [("Dr Kate Dyer", "Named GP for safeguarding")],
    "acute": [("Grace Mensah", "Named nurse for safeguarding children"),
              ("Joanne Pike", "Named midwife for safeguarding")],
    "community": [("Sarah Obi", "Head of safeguarding"), ("Mark Lowe", "CLA health team manager")],
    "mental": [("Dr Helen Marsh", "Named doctor, CAMHS"), ("Paul Reid", "Named nurse for safeguarding")],
    "cvs": [("Amira Khan", "Service manager, young people's wellbeing")],
    "drugs": [("Lisa Grant", "Safeguarding lead, substance misuse service")],
    "la": [("Daniel Hughes", "Head of service, MASH")],
    "police": [("DI Claire Watts", "Public protection unit")],
    "education": [("Owen Price", "Head of inclusion")],
}

ACTION_TEXT = {
    "information": "Agree and implement an information-sharing protocol, with flags on the electronic record, "
                   "and audit its use after three months.",
    "referrals": "Introduce monthly quality assurance of a sample of referrals to children's social care, "
                 "with feedback to referrers and a quarterly themes report to the safeguarding committee.",
    "training": "Complete a training needs analysis and publish compliance by department each month.",
    "default": "Produce a plan to meet the recommendation, deliver it, and audit the change at six months.",
}

# The datasets demo's indicators each recommendation's actions are expected to move.
INDICATOR_FOR = {
    "1.1": "H-GP-CPCONF", "1.5": "H-CPIS", "2.1": "H-CAMHS-WAIT", "3.1": "H-MASH", "4.1": "H-ED-SA",
    "4.2": "H-ED-SA", "4.3": "H-MAT-DA", "4.5": "H-REF-QA", "4.7": "H-TRN-L3", "5.4": "H-MASH", "5.5": "H-REF-QA",
    "5.6": "H-IHA", "5.9": "H-RHA", "6.3": "H-CAMHS-WAIT", "6.5": "H-REF-QA", "9.2": "H-REF-QA",
}

EVIDENCE_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def _anchor() -> dt.date:
    """The start of the current financial quarter: stable for three months at a time."""
    return FinancialQuarter.containing(timezone.localdate()).start


def _owner_person(demo, agency_key: str | None):
    """Who posts for an agency in the demo: its submitter, the designated nurse for health, or the
    manager (who also owns the partnership's own actions, ``agency_key`` None)."""
    if agency_key is None:
        return demo.people["manager"]
    by_agency = {"acute": "acute_submitter", "la": "la_submitter", "education": "la_submitter",
                 "gp": "gp_submitter", "police": "police_submitter"}
    if agency_key in by_agency:
        return demo.people[by_agency[agency_key]]
    if demo.agencies[agency_key].is_health:
        return demo.people["designated"]
    return demo.people["manager"]


def _plan(demo, rec, key: str | None, *, lead_name: str, lead_role: str, description: str, start_on: dt.date,
          due_on: dt.date, indicator=None) -> Action:
    """The owner completes the draft action the recommendation made for it (issue 16.4) with a lead,
    the action and a due date, as an agency would on its "my actions" page."""
    from safeguarding.concurrency import version_token

    owner = demo.agencies[key] if key else None
    draft = rec.actions.get(owner_agency=owner, status=ActionStatus.DRAFT)
    return services.action_update(actor=_owner_person(demo, key), action=draft,
                                  version=version_token(draft.updated_at), lead_name=lead_name,
                                  lead_role=lead_role, description=description, start_on=start_on, due_on=due_on,
                                  indicator=indicator)


def _addressees(demo, keys: list[str]) -> dict:
    """Agency keys and group codes (``@all_members``, ``@partnership``, ``@type:education``) as
    ``recommendation_create`` takes them."""
    return {"addressees": [demo.agencies[k] for k in keys if not k.startswith("@")],
            "groups": [k[1:] for k in keys if k.startswith("@")]}


def _indicators(demo) -> dict:
    """The datasets demo's indicators by code (none if the datasets demo has not run)."""
    from datasets.selectors import indicators_for

    return {i.code: i for i in indicators_for(demo.partnership.pk)}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EVIDENCE_PDF, content_type="application/pdf")


def _deliver(demo, action: Action, agency_key: str, state: str, today: dt.date, rng: random.Random) -> None:
    """Take a new action to ``state`` the way people would: progress, evidence, sign-off."""
    if state == "not_started":
        return
    owner = _owner_person(demo, agency_key)
    started = min(action.start_on + dt.timedelta(days=14), today)
    words = _progress_words(action)
    services.action_post_progress(actor=owner, action=action, on=started, status=ActionStatus.IN_PROGRESS,
                                  text=words["started"])
    if state == "in_progress":
        # Part-way between starting and today; no draw from ``rng``, so every action keeps its state.
        midway = started + dt.timedelta(days=(today - started).days * 3 // 5)
        if midway > started + dt.timedelta(days=20):
            services.action_post_progress(actor=owner, action=action, on=midway, status=ActionStatus.IN_PROGRESS,
                                          text=words["midway"])
        return
    if state in ("not_achieved", "superseded"):
        if state == "superseded":
            services.action_set_status(actor=demo.people["manager"], action=action, status=ActionStatus.SUPERSEDED,
                                       note="Replaced by the health economy's joint information-sharing plan.")
        else:
            services.action_post_progress(
                actor=owner, action=action, on=min(action.due_on, today), status=ActionStatus.NOT_ACHIEVED,
                text=words["not_achieved"])
        return
    done_on = min(action.due_on - dt.timedelta(days=rng.randint(0, 20)), today)
    done_on = max(done_on, started)
    if state != "no_evidence":
        services.evidence_add(actor=owner, action=action, upload=_pdf("re-audit-summary.pdf"),
                              evidence_date=done_on, description="Re-audit summary presented to the committee")
    services.action_post_progress(actor=owner, action=action, on=done_on, status=ActionStatus.COMPLETED,
                                  text=words["no_evidence" if state == "no_evidence" else "completed"])
    if state == "completed":
        return
    at = min(timezone.make_aware(dt.datetime.combine(min(done_on + dt.timedelta(days=21), today), dt.time(11))),
             timezone.now() - dt.timedelta(minutes=5))  # never after now (issue 16.9)
    if state == "no_evidence":
        services.action_assure(actor=demo.people["pci"], action=action, at=at,
                               comment="Seen at the PCI meeting: the new flag was demonstrated live.",
                               no_evidence_reason="Shown in the live system at the meeting; no document exists.")
    else:
        services.action_assure(actor=demo.people["pci"], action=action, at=at,
                               comment="The re-audit shows the change is embedded; assured.")


# What owners write as an inspection action moves on, by the kind of action (``ACTION_TEXT``):
# each update says what was done for that action, not one sentence shared by every action (16.9).
PROGRESS_TEXT = {
    "information": ("the protocol is agreed with the record's system supplier and the flag is live in the first "
                    "teams; the three-month audit of its use is booked",
                    "the protocol is in use and flags are on the electronic record; the three-month audit found them "
                    "used in most of the cases sampled"),
    "referrals": ("the first monthly samples of referrals have been checked and referrers given feedback; the "
                  "themes report is drafted for the safeguarding committee",
                  "referrals are sampled every month and the quarterly themes report has gone to the safeguarding "
                  "committee"),
    "training": ("the training needs analysis is done and compliance is published by department for the first "
                 "months",
                 "compliance by department is published every month, following the training needs analysis"),
}


def _progress_words(action: Action) -> dict[str, str]:
    """What the owner writes at each step of one action (started, midway, completed, completed with
    nothing to upload, not achieved), naming its recommendation and what the action is for."""
    rec = action.recommendation
    aim = action.description.rstrip(".")
    aim = aim[0].lower() + aim[1:]
    kind = next((k for k, text in ACTION_TEXT.items() if text == action.description), None)
    midway, done = PROGRESS_TEXT.get(kind) or (
        f"part of the work is done: the lead reports progress to each meeting and expects to finish by "
        f"{action.due_on:%d %B %Y}", f"the work to {aim} is finished")
    return {
        "started": f"Recommendation {rec.number}: work has started, led by {action.lead_name}, to {aim}.",
        "midway": f"Recommendation {rec.number}, in progress: {midway}.",
        "completed": f"Recommendation {rec.number} delivered: {done}. A re-audit shows the change in practice; "
                     f"its summary is attached.",
        "no_evidence": f"Recommendation {rec.number} delivered: {done}. The change is in the live system; there "
                       f"is no document to attach.",
        # Posted on the due date or today, whichever is sooner: no date named, which could be ahead.
        "not_achieved": f"Recommendation {rec.number} not achieved: the work to {aim} cannot be delivered "
                        f"because the funding it needed was not agreed.",
    }


def _action_text(number: str) -> str:
    if number in INSPECTION_THEMES["Information sharing and IT systems"]:
        return ACTION_TEXT["information"]
    if number in INSPECTION_THEMES["Quality assurance of referrals"]:
        return ACTION_TEXT["referrals"]
    if number in INSPECTION_THEMES["Safeguarding training"]:
        return ACTION_TEXT["training"]
    return ACTION_TEXT["default"]


def _seed_inspection(demo, rng: random.Random, today: dt.date) -> Review:
    anchor = _anchor()
    published = anchor - dt.timedelta(days=270)
    review = services.review_create(
        actor=None, partnership=demo.partnership, review_type=ReviewType.INSPECTION, title=INSPECTION_TITLE,
        notified_on=published - dt.timedelta(days=130), commissioned_on=published - dt.timedelta(days=130),
        started_on=published - dt.timedelta(days=105), completed_on=published - dt.timedelta(days=101),
        published_on=published, publication_status="published", status=ReviewStatus.ACTION_PLAN,
        action_plan_working_days=20, themes=services.themes_from_names(demo.partnership, INSPECTION_THEMES),
        summary="The inspectorate's review of health services for children looked after and safeguarding. "
                "An action plan is required from the commissioner within 20 working days of receipt.",
    )
    theme_of = {n: name for name, numbers in INSPECTION_THEMES.items() for n in numbers}
    themes = {t.name: t for t in review.themes.all()}
    plan_start = add_working_days(published, 20)
    indicators = _indicators(demo)
    first = list(STATES)
    for number, text in RECOMMENDATIONS:
        keys = ORGANISATIONS[int(number.split(".")[0])] + EXTRA_ADDRESSEES.get(number, [])
        rec = services.recommendation_create(
            actor=None, review=review, number=number, text=text, addressees=[demo.agencies[k] for k in keys],
            theme=themes.get(theme_of.get(number)), source_paragraph=SOURCE_PARAGRAPHS[number])
        for key in keys:
            state = first.pop(0) if first else rng.choices(STATES, WEIGHTS)[0]
            lead_name, lead_role = rng.choice(LEADS[key])
            due = plan_start + dt.timedelta(days=rng.choice([120, 180, 270, 365, 450, 540]))
            action = _plan(demo, rec, key, lead_name=lead_name, lead_role=lead_role,
                           description=_action_text(number), start_on=plan_start, due_on=due,
                           indicator=indicators.get(INDICATOR_FOR.get(number, "")))
            _deliver(demo, action, key, state, today, rng)
    return review


# Fictional practice reviews and an audit: title, type, months before the anchor, themes, recommendations
# (number, text, agency keys, [(agency key, action, months to due, state)]).
FICTIONAL = [
    ("Child K", ReviewType.CSPR, 14, ["Neglect and the home environment", "Information sharing and IT systems"],
     "A local child safeguarding practice review about a toddler living with chronic neglect, where "
     "concerns were seen by many agencies but never brought together.", [
         ("1", "Partners should adopt the graded care profile as the shared neglect assessment tool and train "
               "practitioners in its use.", ["la", "community", "education"], [
             ("la", "Roll out the graded care profile across children's social care with a practice guide.", 6,
              "assured"),
             ("community", "Train all health visitors in the graded care profile and audit its use.", 8,
              "completed"),
             ("education", "Brief designated safeguarding leads in schools on the graded care profile.", 4,
              "in_progress")]),
         ("2", "Health visitors and GPs should share concerns about missed appointments and "
               "was-not-brought episodes within a week.", ["community", "gp"], [
             ("gp", "Add a was-not-brought template to every practice system and audit its use.", 5,
              "in_progress"),
             ("community", "Agree a liaison pathway with GP practices for missed contacts.", 3, "not_started")]),
         ("3", "The partnership should test whether the learning has changed practice through a multi-agency "
               "audit of neglect cases.", ["la"], [
             ("la", "Commission a multi-agency audit of neglect cases a year after publication.", 12,
              "not_started")]),
         # Addressed to the partnership itself: the business manager's own action (issue 12.4).
         ("4", "The partnership should revise its neglect strategy and ask the independent scrutineer to test "
               "it with frontline practitioners.", ["@partnership"], [
             (None, "Revise the neglect strategy with the neglect task group and commission the scrutineer's "
                    "practitioner sessions.", 6, "in_progress")]),
     ]),
    ("Hannah", ReviewType.LEARNING, 8, ["Child sexual exploitation", "Access to mental health care"],
     "A learning review about a 15-year-old at risk of criminal and sexual exploitation, with repeated "
     "missing episodes and emergency department attendances after self-harm.", [
         ("1", "Return-home interviews should be offered within 72 hours of every missing episode and "
               "shared with the MACE panel.", ["police", "la"], [
             ("police", "Report return-home interview timeliness to the exploitation subgroup every month.", 3,
              "assured"),
             ("la", "Commission a return-home interview service that can meet the 72-hour standard.", 4,
              "in_progress")]),
         ("2", "The acute trust and CAMHS should agree a pathway for young people attending the emergency "
               "department after self-harm, including a safeguarding assessment.", ["acute", "mental"], [
             ("acute", "Add the safeguarding assessment to the ED self-harm pathway and audit completion.", 2,
              "in_progress"),
             ("mental", "Provide CAMHS liaison in ED seven days a week.", 6, "not_achieved")]),
     ]),
    ("FGM multi-agency audit (11 cases)", ReviewType.MULTI_AGENCY_AUDIT, 5, ["Female genital mutilation"],
     "A multi-agency audit of 11 children's cases where female genital mutilation was identified or "
     "suspected. Two recommendations.", [
         ("1", "Maternity services should record FGM on the child's health record as well as the mother's, and "
               "share it with the health visitor and GP.", ["acute"], [
             ("acute", "Change the maternity discharge summary to carry the FGM information-sharing flag.", 3,
              "completed")]),
         ("2", "Agencies should use the FGM risk assessment tool and refer to children's social care when a "
               "girl is at risk.", ["community", "gp", "education"], [
             ("community", "Include the FGM risk assessment in health visiting new-birth visits.", 4,
              "in_progress"),
             ("gp", "Share the FGM risk assessment tool and reporting duty with every practice.", 2, "assured"),
             ("education", "Brief schools on FGM before the summer holidays each year.", 1, "not_started")]),
         # Addressed to every member agency: each gets a draft; two have planned theirs, the rest
         # are still drafts waiting for a lead and a due date (issue 16.4).
         ("3", "All member agencies should make sure their safeguarding training covers FGM and the mandatory "
               "reporting duty.", ["@all_members"], [
             ("acute", "Add the FGM reporting duty to level 3 training for midwives and ED staff.", 3,
              "completed"),
             ("police", "Add FGM to the public protection unit's annual refresher.", 4, "in_progress")]),
     ]),
]


PARTNERSHIP_LEAD = ("The business manager", "Safeguarding children partnership")


def _seed_fictional(demo, rng: random.Random, today: dt.date) -> None:
    anchor = _anchor()
    for title, review_type, months_ago, theme_names, summary, recs in FICTIONAL:
        if Review.objects.filter(partnership=demo.partnership, title=title).exists():
            continue
        completed = anchor - dt.timedelta(days=30 * months_ago)
        is_audit = review_type == ReviewType.MULTI_AGENCY_AUDIT
        review = services.review_create(
            actor=None, partnership=demo.partnership, review_type=review_type, title=title, summary=summary,
            notified_on=completed - dt.timedelta(days=200 if not is_audit else 60),
            commissioned_on=completed - dt.timedelta(days=170 if not is_audit else 60),
            started_on=completed - dt.timedelta(days=150 if not is_audit else 45), completed_on=completed,
            published_on=None if is_audit else completed + dt.timedelta(days=40),
            publication_status="not_published" if is_audit else ("published" if title == "Child K" else "summary"),
            status=ReviewStatus.ACTION_PLAN, action_plan_working_days=None if is_audit else 30,
            themes=services.themes_from_names(demo.partnership, theme_names))
        for number, text, keys, actions in recs:
            rec = services.recommendation_create(actor=None, review=review, number=number, text=text,
                                                 **_addressees(demo, keys),
                                                 theme=review.themes.order_by("name").first())
            for key, description, months, state in actions:
                lead_name, lead_role = LEADS[key][0] if key else PARTNERSHIP_LEAD
                start = review.report_date + dt.timedelta(days=14)
                action = _plan(demo, rec, key, lead_name=lead_name, lead_role=lead_role, description=description,
                               start_on=start, due_on=start + dt.timedelta(days=30 * months))
                _deliver(demo, action, key, state, today, rng)


# agency, indicator, quarters before the demo's current quarter, the question PCI asks, evidence
# asked, state. The issue quotes the stored figure as the dashboard shows it (issue 16.9).
CHALLENGES = [
    ("la", "LA-REREF", 1, "What lies behind the re-referrals, and what is being done about them?",
     "An analysis of the re-referred cases and the actions taken.", "closed"),
    ("acute", "H-ED-SA", 0, "Why are assessments being missed in the emergency department?",
     "The ED audit and the improvement trajectory.", "responded"),
    ("gp", "H-TRN-L3", 0, "How will GP level 3 compliance be recovered?",
     "Compliance by practice and the plan to recover it.", "open"),
    ("police", "PO-MISSING", 1, "Were the missing episodes followed by return-home interviews within 72 hours?",
     "Monthly figures and the escalation made to the commissioner.", "escalated"),
]
WORST = {"red": 0, "amber": 1, "green": 2, "": 3}


def _challenged_figure(demo, key: str, code: str, back: int):
    """The agency's accepted return the challenge is about, and what the dashboard shows for the
    indicator in it (``datasets.demo.figure_said``): the worst RAG of the four quarters up to
    ``back`` quarters before the current one, the latest first; ``(None, None)`` when the dataset
    demo has not run."""
    from datasets.demo import CURRENT, figure_said
    from datasets.models import Indicator, Return

    indicator = Indicator.objects.filter(partnership=demo.partnership, code=code).first()
    last = CURRENT
    for _ in range(back):
        last = last.previous()
    if indicator is None:
        return None, None
    returns = [r for r in Return.objects.filter(agency=demo.agencies[key], status="accepted",
                                                values__indicator=indicator).select_related("quarter", "agency")
               .order_by("-quarter__year_start", "-quarter__number") if r.quarter.period <= last][:4]
    said = [(r, figure_said(r, indicator)) for r in returns]
    if not said:
        return None, None
    if any(s["rag"] for _, s in said):
        return min(said, key=lambda pair: WORST[pair[1]["rag"]])
    return said[0]


def _issue(name: str, question: str, said: dict | None) -> str:
    if said is None:
        return f"{name}: {question}"
    if said["target"]:
        run = f", for the {_ordinal(said['running'])} quarter running" if said["running"] > 1 else ""
        return (f"{name} was {said['figure']} in {said['quarter']} against a target of {said['target']} "
                f"({said['rag']}{run}). {question}")
    return f"{name} was {said['figure']} in {said['quarter']}. {question}"


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(n, f"{n}th")


def _seed_challenges(demo, today: dt.date) -> None:
    pci, forum = demo.people["pci"], demo.subgroups.get("pci")
    indicators = _indicators(demo)
    for key, code, back, question, evidence, state in CHALLENGES:
        if Challenge.objects.filter(partnership=demo.partnership, indicator_code=code).exists():
            continue
        ret, said = _challenged_figure(demo, key, code, back)
        indicator = indicators.get(code)
        name = indicator.name if indicator is not None else code
        if ret is not None:
            quarter_label = ret.quarter.label
            # Raised at the PCI meeting after the figures were accepted, never before them.
            raised = min(max(ret.quarter.due_on + dt.timedelta(days=21), ret.accepted_at.date() + dt.timedelta(days=1)),
                         today)
        else:
            period = FinancialQuarter.containing(today).previous()
            quarter_label, raised = period.label, min(period.end + dt.timedelta(days=45), today)
        challenge = services.challenge_raise(
            actor=pci, agency=demo.agencies[key], issue=_issue(name, question, said), raised_on=raised, forum=forum,
            indicator_code=code, quarter_label=quarter_label, evidence_requested=evidence,
            response_due_on=add_working_days(raised, 20))
        if state == "open":
            continue
        services.challenge_respond(actor=_owner_person(demo, key), challenge=challenge,
                                   on=min(raised + dt.timedelta(days=20), today),
                                   response="We have analysed the cases and agreed an improvement plan; the "
                                            "audit and trajectory are attached to the action below.")
        if state in ("closed", "escalated"):
            services.challenge_decide(
                actor=pci, challenge=challenge, status=ChallengeStatus(state),
                outcome="PCI is assured by the analysis; the action plan will be monitored." if state == "closed"
                else "Not assured: escalated to the partnership board for the commissioner's attention.")
        if state in ("closed", "responded"):
            services.action_create(
                actor=None, challenge=challenge, owner_agency=demo.agencies[key],
                lead_name=LEADS[key][0][0], lead_role=LEADS[key][0][1],
                description="Deliver the improvement plan agreed in answer to the PCI challenge.",
                start_on=raised, due_on=raised + dt.timedelta(days=120), indicator=indicators.get(code))


def seed(demo):
    if demo is None:
        return demo
    rng = random.Random(20180129)  # the inspection report's publication date
    today = timezone.localdate()
    if not Review.objects.filter(partnership=demo.partnership, title=INSPECTION_TITLE).exists():
        _seed_inspection(demo, rng, today)
    _seed_fictional(demo, rng, today)
    _seed_challenges(demo, today)
    _date_the_story(demo)
    return demo


def _date_the_story(demo) -> None:
    """Move what the services stamped "now" to when the story says it happened (issue 16.9): each
    review, recommendation, action, progress update, status change, upload and challenge on its
    own day, and each notification at the moment of the event it reports."""
    from safeguarding.history import days_to_moments, redate
    from safeguarding.models import Notification
    from safeguarding.notifications import history_redate

    from .models import ActionStatusChange, Evidence, ProgressUpdate, Recommendation

    pid = demo.partnership.pk
    reviews = Review.objects.filter(partnership_id=pid)
    redate(Review, "created_at", days_to_moments(
        ((r.pk, r.notified_on or r.commissioned_on or r.started_on or r.published_on) for r in reviews), 9))
    recs = Recommendation.objects.filter(review__partnership_id=pid)
    redate(Recommendation, "created_at", days_to_moments(recs.values_list("pk", "made_on"), 9))
    actions = Action.objects.filter(partnership_id=pid)
    redate(Action, "created_at", days_to_moments(actions.values_list("pk", "start_on"), 10))
    redate(ProgressUpdate, "created_at", days_to_moments(
        ProgressUpdate.objects.filter(action__partnership_id=pid).values_list("pk", "on"), 16))
    redate(ActionStatusChange, "recorded_at", days_to_moments(
        ActionStatusChange.objects.filter(action__partnership_id=pid).values_list("pk", "on"), 16))
    redate(Evidence, "uploaded_at", days_to_moments(
        Evidence.objects.filter(action__partnership_id=pid).values_list("pk", "evidence_date"), 15))
    challenges = Challenge.objects.filter(partnership_id=pid)
    redate(Challenge, "created_at", days_to_moments(challenges.values_list("pk", "raised_on"), 14))
    # Notifications: a recommendation addressed when it was made (its draft's start), a challenge
    # when it was raised, an action assured when it was (``assured_at``, set by the story).
    made = dict(actions.values_list("pk", "start_on"))
    assured = dict(actions.exclude(assured_at=None).values_list("pk", "assured_at"))
    raised = dict(challenges.values_list("pk", "raised_on"))
    occasions = {}
    for key in Notification.objects.filter(partnership_id=pid).values_list("key", flat=True):
        occasion = key.rsplit(":user-", 1)[0]
        kind, _, rest = occasion.partition(":")  # e.g. "action.assured", "action-12:audit-40"
        head = rest.split(":")[0]
        if not head.startswith(("action-", "challenge-")):
            continue  # a return's notifications are dated by its own app's demo
        number = int(head.rsplit("-", 1)[1])
        if kind == "recommendation.addressed" and number in made:
            occasions[occasion] = made[number]
        elif kind == "action.assured" and number in assured:
            occasions[occasion] = assured[number]
        elif kind == "challenge.raised" and number in raised:
            occasions[occasion] = raised[number]
    history_redate({occasion: (day if isinstance(day, dt.datetime) else
                               timezone.make_aware(dt.datetime.combine(day, dt.time(14))))
                    for occasion, day in occasions.items()})
