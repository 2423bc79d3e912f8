"""The demo partnership: fictional, realistic, built through the services. Safe to run twice."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from django.utils import timezone

from safeguarding import two_factor
from safeguarding.periods import FinancialQuarter, FinancialYear

from . import services
from .models import Agency, AgencyType, Partnership, Role, Subgroup, User

DEMO_PASSWORD = "Northbridge-demo-2026"
PARTNERSHIP_SLUG = "northbridge"

S, R = Agency.Membership.STATUTORY_PARTNER, Agency.Membership.RELEVANT_AGENCY

# key, name, type, membership, aliases
AGENCIES = [
    ("la", "Northbridge Council Children's Social Care", AgencyType.LA_CHILDRENS_SOCIAL_CARE, S,
     ["NBC CSC", "Northbridge Children's Services"]),
    ("icb", "NHS Northbridge and Ashdown Integrated Care Board", AgencyType.HEALTH_COMMISSIONER, S,
     ["NHS N&A ICB", "Northbridge ICB"]),
    ("police", "Northbridge Constabulary", AgencyType.POLICE, S, ["NB Police"]),
    ("education", "Northbridge Council Education and Inclusion", AgencyType.EDUCATION, R, []),
    ("acute", "Northbridge University Hospitals NHS Trust", AgencyType.ACUTE_TRUST, R, ["NUH", "NUHT"]),
    ("community", "Northbridge Community Health Services", AgencyType.COMMUNITY_HEALTH, R, ["NCHS"]),
    ("mental", "Three Boroughs Mental Health NHS Foundation Trust", AgencyType.MENTAL_HEALTH_TRUST, R,
     ["3BMH", "Three Boroughs MH"]),
    ("gp", "Northbridge GP Federation", AgencyType.PRIMARY_CARE, R, ["NB GP Fed", "Primary care"]),
    ("probation", "Probation Service, Northbridge delivery unit", AgencyType.PROBATION, R, ["NPS Northbridge"]),
    ("yjs", "Northbridge Youth Justice Service", AgencyType.YOUTH_JUSTICE, R, ["YOS", "Youth Offending Service"]),
    ("drugs", "Compass Northbridge Young People's Substance Misuse Service", AgencyType.DRUG_ALCOHOL, R,
     ["Compass"]),
    ("cvs", "Northbridge Council for Voluntary Service", AgencyType.VOLUNTARY, R, ["NCVS"]),
    ("womens_aid", "Northbridge Women's Aid", AgencyType.VOLUNTARY, R, []),
    ("fire", "Northbridge Fire and Rescue Service", AgencyType.OTHER, R, ["NFRS"]),
    ("ambulance", "South Downs Ambulance Service NHS Trust", AgencyType.ACUTE_TRUST, R, ["SDAS"]),
]

# The commissioner the ICB replaced: kept so that old returns still name who made them.
FORMER_CCG = ("ccg", "NHS Northbridge Clinical Commissioning Group", AgencyType.HEALTH_COMMISSIONER, S,
              ["Northbridge CCG", "NBCCG"])

SUBGROUPS = [
    # key, name, short, cadence, parent key, is_board, remit
    ("board", "Northbridge Safeguarding Children Partnership Board", "Board", Subgroup.Cadence.QUARTERLY,
     None, True, "Holds the partnership's arrangements to account; agrees priorities, the budget "
                  "and the annual report."),
    ("pci", "Performance, Challenge and Impact Subgroup", "PCI", Subgroup.Cadence.QUARTERLY, "board", False,
     "Scrutinises the multi-agency dataset every quarter and single-agency audits, monitors "
     "action plans from reviews, and challenges agencies. Keeps the impact log."),
    ("training", "Training Subgroup", "Training", Subgroup.Cadence.QUARTERLY, "board", False,
     "Commissions and quality-assures multi-agency training; scrutinises single-agency training "
     "compliance."),
    ("practice_review", "Practice Review Subgroup", "CSPR", Subgroup.Cadence.MONTHLY, "board", False,
     "Decides whether serious incidents meet the criteria for a Child Safeguarding Practice "
     "Review, commissions reviews and oversees their action plans."),
    ("health_forum", "Health Safeguarding Forum", "Health forum", Subgroup.Cadence.BIMONTHLY, "pci", False,
     "The designated nurse and doctor with each provider's named professionals; owns the "
     "health-economy dataset."),
    ("exploitation", "Exploitation and Missing Subgroup", "MACE", Subgroup.Cadence.MONTHLY, "board", False,
     "Oversees the response to child exploitation and children missing from home, care or education."),
]

# The board's seats that no agency holds (issue 12.3): role, holder.
BOARD_ROLE_SEATS = [
    ("Independent chair", "Margaret Ellis"),
    ("Independent scrutineer", "Dr Femi Adeyemi"),
    ("Lay member", "Joan Whitfield"),
    ("Lay member", "Imran Qureshi"),
    ("School or college representative", "Head teacher, Northbridge Academy (secondary)"),
    ("School or college representative", "Head teacher, St Mary's Primary School"),
    ("Designated doctor", "Dr Helen Price"),
]

# key, email, name, job title, role, agency keys
PEOPLE = [
    ("manager", "manager@northbridge.example", "Priya Shah", "Partnership business manager",
     Role.BUSINESS_MANAGER, []),
    ("pci", "pci.member@northbridge.example", "Tom Okafor", "Head of quality assurance, PCI subgroup chair",
     Role.PCI_MEMBER, []),
    ("designated", "designated.nurse@northbridge.example", "Rebecca Lane",
     "Designated nurse for safeguarding children", Role.DESIGNATED_PROFESSIONAL, []),
    ("acute_submitter", "named.nurse@nuh.example", "Grace Mensah", "Named nurse for safeguarding children",
     Role.AGENCY_SUBMITTER, ["acute"]),
    ("la_submitter", "performance@northbridge-council.example", "Daniel Hughes", "Performance officer",
     Role.AGENCY_SUBMITTER, ["la", "education"]),
    ("gp_submitter", "safeguarding@nbgpfed.example", "Dr Kate Dyer", "Named GP for safeguarding",
     Role.AGENCY_SUBMITTER, ["gp"]),
    ("police_submitter", "mash@northbridge-police.example", "Sgt Alan Brooks", "MASH sergeant",
     Role.AGENCY_SUBMITTER, ["police"]),
    ("admin", "admin@northbridge.example", "Sam Carter", "Partnership administrator", Role.ADMIN, []),
]

# The platform operator runs the portal (the Django admin); they belong to no partnership.
OPERATOR = ("operator@portal.example", "Jo Operator")


@dataclass(frozen=True)
class DemoCalendar:
    """When the demo happens: anchored to today, so it looks current whenever it is run.

    ``current`` is the quarter whose returns are being gathered now (the last one to end);
    ``years`` are the two full financial years before the current one. The demo catalogue is
    written for 2023/24 and 2024/25; ``shift`` moves those years onto ``years``. Set
    ``DEMO_TODAY=YYYY-MM-DD`` to build the demo as of another day.
    """

    today: dt.date
    current: FinancialQuarter
    years: tuple[int, int]

    @property
    def periods(self) -> list[FinancialQuarter]:
        quarter, out = FinancialQuarter(FinancialYear(self.years[0]), 1), []
        while quarter <= self.current:
            out.append(quarter)
            quarter = quarter.next()
        return out

    @property
    def report_year(self) -> FinancialYear:
        """The last full financial year: the one the annual report is written about."""
        return FinancialYear(self.years[1])

    def shift(self, written_for: int) -> int:
        return written_for - 2023 + self.years[0]


def demo_calendar(today: dt.date | None = None) -> DemoCalendar:
    raw = os.environ.get("DEMO_TODAY", "")
    today = today or (dt.date.fromisoformat(raw) if raw else timezone.localdate())
    current = FinancialQuarter.containing(today).previous()
    start = current.year.start_year
    return DemoCalendar(today=today, current=current, years=(start - 2, start - 1))


@dataclass
class Demo:
    partnership: Partnership
    agencies: dict[str, Agency] = field(default_factory=dict)
    subgroups: dict[str, Subgroup] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    two_step: list[tuple[str, str]] = field(default_factory=list)  # email, authenticator key
    calendar: DemoCalendar = field(default_factory=demo_calendar)


def _agency(demo: Demo, key, name, agency_type, membership, aliases, **extra) -> Agency:
    existing = Agency.objects.filter(partnership=demo.partnership, name=name).first()
    if existing:
        return existing
    return services.agency_create(actor=None, partnership=demo.partnership, name=name,
                                  agency_type=agency_type, membership=membership, aliases=aliases, **extra)


def seed(demo: Demo | None = None) -> Demo:
    partnership = Partnership.objects.filter(slug=PARTNERSHIP_SLUG).first() or services.partnership_create(
        name="Northbridge Safeguarding Children Partnership", slug=PARTNERSHIP_SLUG,
        short_name="NSCP", area="Northbridge (fictional)",
    )
    demo = demo or Demo(partnership=partnership)
    demo.partnership = partnership

    for key, name, agency_type, membership, aliases in AGENCIES:
        demo.agencies[key] = _agency(demo, key, name, agency_type, membership, aliases,
                                     # The ICB took over from the CCG; the others have been members since
                                     # the partnership's arrangements began (29 September 2019).
                                     active_from=dt.date(2022, 7, 1) if key == "icb" else dt.date(2019, 9, 29))
    key, name, agency_type, membership, aliases = FORMER_CCG
    demo.agencies[key] = _agency(demo, key, name, agency_type, membership, aliases,
                                 active_from=dt.date(2013, 4, 1), active_to=dt.date(2022, 6, 30),
                                 replaced_by=demo.agencies["icb"])

    for key, email, full_name, job_title, role, agency_keys in PEOPLE:
        person = User.objects.filter(email=email).first() or services.person_create(
            actor=None, partnership=partnership, email=email, full_name=full_name, job_title=job_title,
            role=role, agencies=[demo.agencies[k] for k in agency_keys], password=DEMO_PASSWORD, invite=False,
        )
        demo.people[key] = person
        demo.sign_ins.append((person.get_role_display(), email, DEMO_PASSWORD))
    email, full_name = OPERATOR
    demo.people["operator"] = User.objects.filter(email=email).first() or services.operator_create(
        email=email, full_name=full_name, password=DEMO_PASSWORD)
    demo.sign_ins.append(("Platform operator (Django admin)", email, DEMO_PASSWORD))
    # Two-step sign-in (issue 11.6): the people who must use it get a demo authenticator with a
    # fixed key; seed_demo prints the keys, and `manage.py demo_code <email>` the current code.
    for key in ("manager", "admin", "operator"):
        device = two_factor.demo_app_enrol(demo.people[key])
        demo.two_step.append((demo.people[key].email, two_factor.text_key(device)))

    for key, name, short, cadence, parent_key, is_board, remit in SUBGROUPS:
        existing = Subgroup.objects.filter(partnership=partnership, name=name).first()
        chair = {"pci": demo.people["pci"], "health_forum": demo.people["designated"]}.get(key)
        demo.subgroups[key] = existing or services.subgroup_create(
            actor=None, partnership=partnership, name=name, short_name=short, cadence=cadence,
            parent=demo.subgroups.get(parent_key), is_board=is_board, remit=remit, chair=chair,
            chair_name="" if chair else {"board": "Margaret Ellis (independent chair)"}.get(key, ""),
        )

    from .governance import services as governance
    from .models import Seat

    board = demo.subgroups["board"]
    for role, holder in BOARD_ROLE_SEATS:
        if not Seat.objects.filter(subgroup=board, role=role, holder=holder).exists():
            governance.seat_create(actor=None, subgroup=board, role=role, holder=holder)
    return demo
