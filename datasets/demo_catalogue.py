"""The demo catalogue: real indicators from the domain brief and the seed documents.

Each entry: code, name, domain, unit, polarity, agency types, numerator and denominator labels,
breakdown parts, targets by financial year, comparators, and how the demo invents values:
``gen`` is (mean, spread) for counts and days, (denominator, mean share, spread) for ratios,
where the share is in the unit's scale (percent, or per 10,000).
"""

from __future__ import annotations

from partners.models import AgencyType as T

HEALTH_PROVIDERS = [T.ACUTE_TRUST, T.COMMUNITY_HEALTH, T.MENTAL_HEALTH_TRUST, T.PRIMARY_CARE]
TRUSTS = [T.ACUTE_TRUST, T.COMMUNITY_HEALTH, T.MENTAL_HEALTH_TRUST]
OTHER_AGENCIES = [T.LA_CHILDRENS_SOCIAL_CARE, T.EDUCATION, T.POLICE, T.PROBATION, T.YOUTH_JUSTICE,
                  T.DRUG_ALCOHOL, T.VOLUNTARY, T.OTHER]
LA = [T.LA_CHILDRENS_SOCIAL_CARE]

CP_CATEGORIES = ["Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple"]
CP_SHARES = [0.50, 0.26, 0.08, 0.04, 0.12]


def _i(code, name, domain, unit, polarity, types, *, num="", den="", parts=None, breakdown="", targets=None,
       comparators=None, gen=(100, 0.1), required=True, definition=""):
    return {"code": code, "name": name, "domain": domain, "unit": unit, "polarity": polarity, "agency_types": types,
            "numerator_label": num, "denominator_label": den, "parts": parts or [], "breakdown_label": breakdown,
            "targets": targets or {}, "comparators": comparators or {}, "gen": gen, "required": required,
            "definition": definition}


STAFF = ("Staff trained at this level", "Staff who need this level")

# targets: {year_start: (target, amber threshold)} or {year_start: [(effective_from "MM-DD", target, amber)...]}
# comparators: {year_start: (england, region, statistical neighbours)}
CATALOGUE = [
    # --- Health providers -----------------------------------------------------------------
    _i("H-TRN-L1", "Safeguarding children training compliance, level 1", "training", "percentage", "higher",
       HEALTH_PROVIDERS, num=STAFF[0], den=STAFF[1], targets={2023: (80, 75), 2024: (90, 85)},
       gen=(2400, 91, 4), definition="Staff who need intercollegiate level 1 training and are in date."),
    _i("H-TRN-L2", "Safeguarding children training compliance, level 2", "training", "percentage", "higher",
       HEALTH_PROVIDERS, num=STAFF[0], den=STAFF[1], targets={2023: (80, 75), 2024: (90, 85)},
       gen=(1500, 88, 5)),
    _i("H-TRN-L3", "Safeguarding children training compliance, level 3", "training", "percentage", "higher",
       HEALTH_PROVIDERS, num=STAFF[0], den=STAFF[1], targets={2023: (80, 75), 2024: (90, 85)},
       gen=(600, 84, 7), definition="Intercollegiate level 3 (specialist), e.g. 'GPs level 3: 98% (138/141)'."),
    _i("H-SUP", "Safeguarding supervision compliance", "training", "percentage", "higher", TRUSTS,
       num="Staff supervised in the quarter", den="Staff who need supervision",
       targets={2023: (85, 75), 2024: (85, 75)},
       gen=(300, 83, 7)),
    _i("H-REF", "Referrals to children's social care", "children_in_need", "count", "neutral", HEALTH_PROVIDERS,
       gen=(120, 0.12)),
    _i("H-REF-QA", "Referrals to children's social care quality-assured", "children_in_need", "percentage", "higher",
       TRUSTS, num="Referrals audited", den="Referrals made", targets={2023: (25, 15), 2024: (25, 15)},
       gen=(120, 28, 6)),
    _i("H-IHA", "Initial health assessments for looked-after children within 20 working days", "looked_after",
       "percentage", "higher", [T.COMMUNITY_HEALTH], num="Assessments within 20 working days",
       den="Children who came into care", targets={2023: (85, 70), 2024: (90, 75)}, gen=(40, 74, 12)),
    _i("H-RHA", "Review health assessments on time", "looked_after", "percentage", "higher", [T.COMMUNITY_HEALTH],
       num="Reviews on time", den="Reviews due", targets={2023: (95, 85), 2024: (95, 85)}, gen=(110, 91, 5)),
    _i("H-ED-SA", "Under-18 emergency department attendances with a safeguarding assessment completed",
       "health", "percentage", "higher", [T.ACUTE_TRUST], num="Attendances with the assessment completed",
       den="Under-18 attendances", targets={2023: (95, 90), 2024: (95, 90)}, gen=(5200, 94, 3)),
    _i("H-ED-U18", "Under-18 emergency department attendances", "health", "count", "neutral", [T.ACUTE_TRUST],
       gen=(5200, 0.08)),
    _i("H-MAT-DA", "Maternity bookings asked about domestic abuse", "domestic_abuse", "percentage", "higher",
       [T.ACUTE_TRUST], num="Bookings where the question was asked", den="Maternity bookings",
       targets={2023: (90, 80), 2024: (90, 80)}, gen=(900, 87, 5)),
    _i("H-FGM", "Cases of female genital mutilation identified", "health", "count", "neutral",
       [T.ACUTE_TRUST, T.COMMUNITY_HEALTH, T.PRIMARY_CARE], gen=(3, 0.6)),
    _i("H-MASH", "Health presence at MASH strategy discussions", "child_protection", "percentage", "higher",
       [T.HEALTH_COMMISSIONER, T.COMMUNITY_HEALTH], num="Strategy discussions with health present",
       den="Strategy discussions held", targets={2023: (95, 85), 2024: (95, 85)}, gen=(210, 93, 5)),
    _i("H-CPIS", "Child Protection Information Sharing checks on unscheduled care attendances", "health",
       "percentage", "higher", [T.ACUTE_TRUST], num="Attendances checked", den="Unscheduled attendances of children",
       targets={2023: (98, 95), 2024: (98, 95)}, gen=(6000, 97, 2), required=False),
    _i("H-CAMHS-WAIT", "Average wait for a first CAMHS appointment", "health", "days", "lower",
       [T.MENTAL_HEALTH_TRUST], targets={2023: (28, 42), 2024: (28, 42)}, gen=(35, 0.2)),
    _i("H-GP-CPCONF", "GP reports provided to initial child protection conferences", "child_protection",
       "percentage", "higher", [T.PRIMARY_CARE], num="Conferences with a GP report", den="Conferences requesting one",
       targets={2023: (80, 60), 2024: (80, 60)}, gen=(60, 72, 10)),
    # --- Local authority children's social care ----------------------------------------------
    _i("LA-CONTACTS", "Contacts to children's social care", "children_in_need", "count", "neutral", LA,
       gen=(3600, 0.08)),
    _i("LA-REFERRALS", "Referrals to children's social care", "children_in_need", "count", "neutral", LA,
       gen=(900, 0.08)),
    _i("LA-REREF", "Re-referrals within 12 months", "children_in_need", "percentage", "lower", LA,
       num="Referrals within 12 months of a previous one", den="Referrals", targets={2023: (20, 23), 2024: (20, 23)},
       comparators={2022: (21.5, 20.1, 22.0), 2023: (22.4, 21.0, 21.8)}, gen=(900, 21, 3)),
    _i("LA-SA45", "Single assessments completed within 45 working days", "children_in_need", "percentage", "higher",
       LA, num="Assessments within 45 working days", den="Assessments completed",
       targets={2023: (85, 75), 2024: [("04-01", 85, 75), ("10-01", 88, 80)]},
       comparators={2022: (84.5, 86.0, 83.1), 2023: (82.9, 85.2, 84.0)}, gen=(850, 84, 6)),
    _i("LA-S47", "Section 47 enquiries started", "child_protection", "count", "neutral", LA, gen=(210, 0.1)),
    _i("LA-ICPC15", "Initial child protection conferences within 15 working days of the section 47",
       "child_protection", "percentage", "higher", LA, num="Conferences within 15 working days",
       den="Initial conferences", targets={2023: (85, 75), 2024: (85, 75)},
       comparators={2022: (79.0, 81.0, 77.5), 2023: (78.0, 80.2, 79.1)}, gen=(75, 79, 8)),
    _i("LA-CPP", "Children on a child protection plan", "child_protection", "count", "neutral", LA,
       parts=CP_CATEGORIES, breakdown="Category of abuse", gen=(294, 0.07),
       definition="Children subject to a plan at the end of the quarter, by the initial category of abuse."),
    _i("LA-CPP-RATE", "Children on a child protection plan per 10,000 children", "child_protection", "rate_10k",
       "neutral", LA, num="Children on a plan", den="Child population (0-17)",
       comparators={2022: (42.1, 41.0, 43.5), 2023: (41.6, 40.2, 42.8)}, gen=(75500, 39, 3)),
    _i("LA-CPP-2YR", "Child protection plans lasting 2 years or more (of plans ended)", "child_protection",
       "percentage", "lower", LA, num="Plans ended after 2 years or more", den="Plans ended",
       targets={2023: (3, 5), 2024: (3, 5)}, comparators={2022: (3.9, 3.4, 3.6), 2023: (3.7, 3.1, 3.5)},
       gen=(90, 3.5, 2)),
    _i("LA-CPP-2ND", "Second or subsequent child protection plans", "child_protection", "percentage", "lower", LA,
       num="Plans that were a second or later plan", den="Plans started", targets={2023: (20, 24), 2024: (20, 24)},
       comparators={2022: (23.3, 22.0, 22.5), 2023: (23.6, 22.4, 23.0)}, gen=(85, 21, 4)),
    _i("LA-CPP-REV", "Child protection reviews held on time", "child_protection", "percentage", "higher", LA,
       num="Reviews on time", den="Reviews due", targets={2023: (95, 90), 2024: (95, 90)}, gen=(160, 95, 3)),
    _i("LA-CIN-RATE", "Children in need per 10,000 children", "children_in_need", "rate_10k", "neutral", LA,
       num="Children in need", den="Child population (0-17)",
       comparators={2022: (342.7, 330.1, 325.0), 2023: (332.9, 321.4, 318.2)}, gen=(75500, 315, 15)),
    _i("LA-CLA-RATE", "Children looked after per 10,000 children", "looked_after", "rate_10k", "neutral", LA,
       num="Children looked after", den="Child population (0-17)",
       comparators={2022: (70.0, 62.0, 58.0), 2023: (71.0, 63.0, 59.0)}, gen=(75500, 44, 2)),
    _i("LA-CLA-HEALTH", "Looked-after children with an up-to-date health assessment", "looked_after",
       "percentage", "higher", LA, num="Children with an up-to-date assessment", den="Children looked after 12 months+",
       targets={2023: (90, 80), 2024: (90, 80)}, comparators={2022: (89.0, 90.0, 91.0), 2023: (90.0, 90.5, 91.2)},
       gen=(240, 88, 5)),
    _i("LA-CLA-DENTAL", "Looked-after children with a dental check", "looked_after", "percentage", "higher", LA,
       num="Children with a dental check", den="Children looked after 12 months+",
       targets={2023: (80, 70), 2024: (85, 75)}, comparators={2022: (70.0, 72.0, 74.0), 2023: (76.0, 77.0, 79.0)},
       gen=(240, 78, 7)),
    _i("LA-CLA-IMMS", "Looked-after children with immunisations up to date", "looked_after", "percentage", "higher",
       LA, num="Children up to date", den="Children looked after 12 months+", targets={2023: (90, 80), 2024: (90, 80)},
       comparators={2022: (85.0, 86.0, 87.0), 2023: (84.0, 85.0, 86.0)}, gen=(240, 86, 5)),
    _i("LA-PF", "Private fostering notifications", "looked_after", "count", "neutral", LA, gen=(4, 0.5)),
    _i("LA-LADO", "Allegations referred to the designated officer (LADO)", "allegations", "count", "neutral", LA,
       gen=(55, 0.2)),
    _i("LA-EH", "Early help assessments started", "early_help", "count", "higher", LA, gen=(420, 0.1)),
    _i("LA-RHI", "Return home interviews offered within 72 hours", "exploitation", "percentage", "higher", LA,
       num="Interviews offered within 72 hours", den="Children returning from a missing episode",
       targets={2023: (90, 80), 2024: (90, 80)}, gen=(180, 86, 6)),
    # --- Education ------------------------------------------------------------------------
    _i("ED-CME", "Children missing education referrals", "education", "count", "neutral", [T.EDUCATION],
       gen=(70, 0.15)),
    _i("ED-EHE", "Children in elective home education", "education", "count", "neutral", [T.EDUCATION],
       gen=(410, 0.05), definition="As at the end of the quarter (the academic year's count)."),
    _i("ED-EXCL", "Permanent exclusions", "education", "count", "lower", [T.EDUCATION], gen=(9, 0.35)),
    # --- Police ---------------------------------------------------------------------------
    _i("PO-DA", "Domestic abuse incidents with children present", "domestic_abuse", "count", "neutral", [T.POLICE],
       gen=(640, 0.08)),
    _i("PO-ENCOMPASS", "Domestic abuse notifications to schools by the next school day", "domestic_abuse",
       "percentage", "higher", [T.POLICE], num="Notifications made in time", den="Incidents involving a pupil",
       targets={2023: (95, 90), 2024: (95, 90)}, gen=(380, 93, 4)),
    _i("PO-CSE", "Children with a child sexual exploitation flag", "exploitation", "count", "neutral", [T.POLICE],
       gen=(38, 0.15)),
    _i("PO-MISSING", "Missing episodes of children", "exploitation", "count", "lower", [T.POLICE], gen=(260, 0.12)),
    _i("PO-PPO", "Police protection powers used", "child_protection", "count", "neutral", [T.POLICE], gen=(14, 0.3)),
    # --- Every other agency -----------------------------------------------------------------
    _i("AG-TRN", "Single-agency safeguarding children training compliance", "training", "percentage", "higher",
       OTHER_AGENCIES, num="Staff in date with safeguarding training", den="Staff who need it",
       targets={2023: (80, 70), 2024: (90, 80)}, gen=(300, 87, 6),
       definition="The training target rose from 80% to 90% in 2024/25: earlier quarters keep their RAG."),
    _i("YJ-FTE", "First-time entrants to the youth justice system", "exploitation", "count", "lower",
       [T.YOUTH_JUSTICE], gen=(12, 0.3)),
    _i("PB-CHECKS", "New cases with safeguarding children checks completed", "child_protection", "percentage",
       "higher", [T.PROBATION], num="Cases checked", den="New cases", targets={2023: (95, 85), 2024: (95, 85)},
       gen=(150, 92, 5)),
    _i("DA-YP", "Young people in specialist substance misuse treatment", "other", "count", "neutral",
       [T.DRUG_ALCOHOL], gen=(95, 0.1)),
]

NARRATIVES = {
    "training": "Compliance fell with new starters in two directorates; booked onto the next sessions and "
                "monitored monthly by the named nurse. Recovery expected next quarter.",
    "looked_after": "Delays in paediatric capacity; an extra clinic a week has been commissioned and the "
                    "backlog is reviewed weekly with the children looked after team.",
    "child_protection": "Reviewed with the service manager: the change reflects a small number of large sibling "
                        "groups. Audit findings will go to PCI next quarter.",
    "default": "The change has been checked against the case records and is genuine; the reasons were discussed "
               "at the service's performance meeting and actions agreed.",
}
