"""The inspection in the demo: the inspectorate's review of health services for children looked
after and safeguarding (shared/seeds/003), its 36 recommendations in the report's own words
(the borough's name changed to the demo's), addressed to the demo's agencies."""

# The report's organisations, mapped onto the demo agencies in partners/demo.py.
ORGANISATIONS = {
    1: ["icb"],  # Bromley Clinical Commissioning Group (now the ICB)
    2: ["icb", "mental"],  # Bromley CCG, Oxleas NHS Foundation Trust
    3: ["icb", "community"],  # Bromley CCG and Bromley Healthcare
    4: ["acute"],  # King's College Hospital NHS Foundation Trust
    5: ["community"],  # Bromley Healthcare
    6: ["mental"],  # Oxleas NHS Foundation Trust
    7: ["mental", "acute"],  # Oxleas and King's College Hospital
    8: ["mental", "cvs"],  # Oxleas and Bromley Y (a voluntary-sector young people's service)
    9: ["drugs"],  # Change Grow Live
}
# Recommendations to the commissioner about GPs are the GP federation's to deliver as well.
EXTRA_ADDRESSEES = {"1.1": ["gp"], "1.3": ["gp"], "1.4": ["gp"]}

# The paragraph of the report each recommendation comes from.
SOURCE_PARAGRAPHS = {
    "1.1": "3.13", "1.2": "3.20", "1.3": "4.8", "1.4": "5.1.6", "1.5": "5.2.10", "2.1": "5.1.15",
    "3.1": "5.1.8", "4.1": "1.2", "4.2": "1.4", "4.3": "2.2", "4.4": "3.8", "4.5": "3.21", "4.6": "5.2.10",
    "4.7": "5.3.2", "5.1": "1.6", "5.2": "2.7", "5.3": "2.8", "5.4": "3.2", "5.5": "3.21", "5.6": "4.2",
    "5.7": "4.4", "5.8": "4.5", "5.9": "5.2.7", "5.10": "5.2.10", "5.11": "5.3.11", "6.1": "2.4", "6.2": "2.6",
    "6.3": "2.9", "6.4": "3.12", "6.5": "3.21", "6.6": "5.2.10", "7.1": "1.9", "8.1": "2.11", "9.1": "3.19",
    "9.2": "3.21", "9.3": "5.2.8",
}

THEMES = {
    "Information sharing and IT systems": ["1.5", "4.1", "4.6", "5.1", "5.10", "6.6", "7.1", "8.1", "9.1"],
    "Quality assurance of referrals": ["4.5", "5.5", "6.5", "9.2"],
    "Child sexual exploitation": ["1.2", "4.4", "6.4"],
    "Health presence in the MASH": ["3.1", "5.4"],
    "Health of children looked after": ["1.3", "5.6", "5.7", "5.8", "5.9", "5.11"],
    "Access to mental health care": ["2.1", "6.3"],
    "Record keeping": ["1.4", "4.2", "9.3"],
    "Primary care information sharing": ["1.1"],
    "Domestic abuse": ["4.3"],
    "Safeguarding training": ["4.7"],
    "Neglect and the home environment": ["6.1", "6.2"],
    "Education health needs": ["5.2", "5.3"],
}

RECOMMENDATIONS = [
    ("1.1",
     'GPs are supported to effectively share information held within the primary care setting about '
     "parent/carer's and children that impacts on the child's wellbeing. This will inform child protection"
     ' reports and multi-agency decision-making.'),
    ("1.2",
     'The CCG safeguarding leads should review and maintain oversight of the consistency and quality of '
     'CSE risk assessment tools in use in the health economy, benchmarking against the LSCB CSE tools.'),
    ("1.3",
     'GPs review IHA and RHA plans to inform their interactions with you CLA and CCG processes assess the '
     'impact of the work.'),
    ("1.4",
     'GPs use current and relevant coding as recommended within the CCG Local Enhanced Service for '
     'safeguarding children agreement and quality assurance processes to support compliance.'),
    ("1.5",
     'Record keeping and IT systems across Northbridge health economy support effective information '
     'sharing; appropriate flagging / alerts; access to safeguarding records and multi-agency plans so '
     'vulnerable children are highly visible and can be safeguarded.'),
    ("2.1",
     'Work with NHSE so that children and young people in Northbridge have timely access to specialist '
     'mental health care close to their home.'),
    ("3.1",
     'Consistent and sufficient health presence in the MASH is available to enable full contribution to '
     'multi-agency decision making.'),
    ("4.1",
     'UCC and PRUH IT systems in each clinical area can identify and flag vulnerable children on the '
     'electronic record.'),
    ("4.2",
     'ED records are completed and that the Trust has assurance through robust governance arrangements.'),
    ("4.3",
     'Maternity staff routinely ask questions about domestic abuse of expectant mothers throughout their '
     'episode of care and answers are recorded and subject to managerial oversight as per the NICE '
     'guidance.'),
    ("4.4",
     'Maternity staff are competent in identifying, recording and safeguarding those experiencing or at '
     'risk of CSE and that CSE screening and risk assessment tools form part of the electronic record.'),
    ("4.5",
     "Safeguarding referrals to children's social care are quality assured to support organisational "
     'learning and a consistent standard in meeting thresholds.'),
    ("4.6",
     'Record keeping and IT systems across Northbridge health economy support effective information '
     'sharing; appropriate flagging / alerts; access to safeguarding records and multi-agency plans so '
     'vulnerable children are highly visible and can be safeguarded.'),
    ("4.7",
     'The Trust must ensure that it is able to identify practitioner attendance at safeguarding training '
     'through robust training needs analysis and compliance data.'),
    ("5.1",
     'Children and young people who attend emergency and urgent care are enabled by information sharing to'
     ' be followed up by the most appropriate professional.'),
    ("5.2",
     'They work with the local authority to ensure that the Health Support Service for Schools has access '
     'to data of the cohort of home educated children so their health needs can be assessed and met.'),
    ("5.3",
     'They work with the local authority to ensure that the HSSS are alerted to all children being '
     "assessed or with EHCP to allow consideration of their input into plans to improve children's "
     'outcomes.'),
    ("5.4",
     'There is consistent and sufficient health presence in the MASH to contribute to multi-agency '
     'decision making.'),
    ("5.5",
     "Safeguarding referrals to children's social care are quality assured to support organisational "
     'learning and a consistent standard in meeting thresholds.'),
    ("5.6",
     'The CLA team set trajectories with Local Authority to work towards improving IHA compliance and '
     'improve notification arrangements.'),
    ("5.7",
     'Ensure that the physical and emotional needs of asylum seeking young people are well understood by '
     'practitioners who conduct IHA and RHA who have undertaken appropriate training.'),
    ("5.8",
     "The CLA electronic record contains all information pertaining to the looked after child's care."),
    ("5.9",
     'Quality assurance processes including tools to benchmark IHA and RHA are developed and outcomes from'
     ' the process inform strategic and operational practice.'),
    ("5.10",
     'Record keeping and IT systems across Northbridge health economy support effective information '
     'sharing; appropriate flagging / alerts; access to safeguarding records and multi-agency plans so '
     'vulnerable children are highly visible and can be safeguarded.'),
    ("5.11",
     "Formal supervision for CLA is implemented and includes practitioner's routinely recording "
     "supervision actions within the client's records."),
    ("6.1",
     'Practitioners records clearly reflect how the home environment is impacting on the wellbeing of the '
     'child, quality assurance of this should form part of supervision practice.'),
    ("6.2",
     'The use of chronologies and genograms is routine within the health visiting service.'),
    ("6.3",
     'Children and young people have increased timely access to specialist CAMHS support and care to '
     'assess their mental health within the acute setting.'),
    ("6.4",
     'CAMHS staff are competent in identifying potential CSE and articulating risk within records and on '
     "referral to children's social care so children and young people can be effectively safeguarded."),
    ("6.5",
     "Safeguarding referrals to children's social care are quality assured to support organisational "
     'learning and a consistent standard in meeting thresholds.'),
    ("6.6",
     'Record keeping and IT systems across Northbridge health economy support effective information '
     'sharing; appropriate flagging / alerts; access to safeguarding records and multi-agency plans so '
     'vulnerable children are highly visible and can be safeguarded'),
    ("7.1",
     'Care records are shared appropriately so that practitioners from both organisations are able to '
     'offer a co-ordinated approach to care and management of risk.'),
    ("8.1",
     'CAMHS and Northbridge Y ensure the process and quality of information sharing at point of handover '
     "consistently meets the child's needs."),
    ("9.1",
     'Work with the local authority MAP to enhance information sharing for young people who are at risk by'
     ' developing and embedding a formal communication pathway'),
    ("9.2",
     "Safeguarding referrals to children's social care are quality assured to support organisational "
     'learning and a consistent standard in meeting thresholds.'),
    ("9.3",
     'The electronic record is a comprehensive composite of information including documents that relate to'
     ' the persons care.'),
]
