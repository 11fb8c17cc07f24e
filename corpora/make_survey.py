"""Generate the bundled corpus: a VCSE/PCC survey export and interview notes.

Everything this script writes was invented for commentmine (see corpora/README.md). It is
deterministic: the same script gives byte-identical files (seeded ``random.Random``, fixed
timestamps inside the XLSX/DOCX containers).

    .venv/bin/python corpora/make_survey.py            # writes into corpora/
    .venv/bin/python corpora/make_survey.py --out DIR  # somewhere else
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import zipfile
from pathlib import Path

SEED = 20240401
N_RESPONDENTS = 340
FIXED_WHEN = "2024-04-01T09:00:00Z"

QUESTIONS = {
    "engagement_experience": "Tell us about your experience of engaging with your PCC and their office.",
    "funding_improvements": "What would improve funding opportunities for organisations like yours?",
    "collaboration": "How do you work with other organisations in your area, and what helps or "
    "gets in the way?",
    "other_comments": "Is there anything else you would like to tell us?",
}

# --- closed questions -----------------------------------------------------------------------

POLICE_AREAS = {
    "North East": ["Northumbria", "Durham", "Cleveland"],
    "North West": ["Cumbria", "Lancashire", "Merseyside", "Cheshire", "Greater Manchester"],
    "Yorkshire and the Humber": [
        "North Yorkshire",
        "West Yorkshire",
        "South Yorkshire",
        "Humberside",
    ],
    "East Midlands": [
        "Derbyshire",
        "Nottinghamshire",
        "Leicestershire",
        "Lincolnshire",
        "Northamptonshire",
    ],
    "West Midlands": ["West Midlands", "Staffordshire", "Warwickshire", "West Mercia"],
    "East of England": [
        "Bedfordshire",
        "Cambridgeshire",
        "Essex",
        "Hertfordshire",
        "Norfolk",
        "Suffolk",
    ],
    "London": ["Metropolitan (MOPAC)"],
    "South East": ["Thames Valley", "Hampshire", "Surrey", "Sussex", "Kent"],
    "South West": [
        "Avon and Somerset",
        "Devon and Cornwall",
        "Dorset",
        "Gloucestershire",
        "Wiltshire",
    ],
    "Wales": ["Dyfed-Powys", "Gwent", "North Wales", "South Wales"],
}
REGION_WEIGHTS = {
    "North East": 7,
    "North West": 12,
    "Yorkshire and the Humber": 11,
    "East Midlands": 10,
    "West Midlands": 11,
    "East of England": 10,
    "London": 5,
    "South East": 13,
    "South West": 12,
    "Wales": 9,
}
ORG_TYPES = {
    "registered charity": 40,
    "charitable incorporated organisation (CIO)": 10,
    "community group": 14,
    "community interest company (CIC)": 10,
    "social enterprise": 7,
    "network / umbrella body": 8,
    "faith-based organisation": 5,
    "housing association": 3,
    "other": 3,
}
ORG_SIZES = {"micro": 22, "small": 36, "medium": 28, "large": 14}
AREAS_OF_WORK = [
    "victims and witnesses",
    "domestic abuse",
    "sexual violence",
    "children and young people",
    "offenders and rehabilitation",
    "substance misuse",
    "mental health",
    "anti-social behaviour",
    "community safety",
    "homelessness",
    "women and girls",
    "hate crime",
    "restorative justice",
    "modern slavery",
    "older people",
]
RATINGS = ["very good", "good", "neither good nor poor", "poor", "very poor", "don't know"]

# --- text banks ------------------------------------------------------------------------------
# Slots: {pcc} {opcc} {sector} {service} {area} {months} {amount} {n} {year} {partner}

PCC = ["the PCC", "our PCC", "the Commissioner", "the PCC", "our Police and Crime Commissioner"]
OPCC = ["the OPCC", "the Commissioner's office", "the OPCC", "the PCC's office", "OPCC staff"]
SECTOR = [
    "the VCSE sector",
    "the voluntary sector",
    "the sector",
    "VCSE organisations",
    "the third sector",
    "the VCS",
    "small charities",
    "voluntary and community groups",
]
PARTNER = [
    "the local authority",
    "the council",
    "the CSP",
    "probation",
    "the police",
    "the Community Safety Partnership",
    "the NHS",
    "the ICB",
    "housing providers",
    "the youth offending team",
    "schools",
]
MONTHS = ["3", "6", "9", "12", "six", "twelve", "eighteen"]
AMOUNTS = ["£5,000", "£10k", "£2,500", "£20,000", "£50k", "£1,000", "£15,000", "£30k"]
YEARS = ["2021", "2022", "2023", "last year", "the last election", "the pandemic"]

BANK: dict[str, list[str]] = {
    "funding_barriers": [
        "Most of the funding from {opcc} is for {months} months at a time, which makes it "
        "impossible to plan or keep staff.",
        "The commissioning process is designed for big organisations with bid writers, not for "
        "groups like ours.",
        "We applied to the Community Safety Fund twice and were unsuccessful both times with "
        "no feedback.",
        "Procurement rules mean small pots of {amount} come with the same paperwork as a "
        "contract worth hundreds of thousands.",
        "Competitive tendering has pushed prices down to the point where we subsidise the "
        "contract from our reserves.",
        "We have been living off reserves for two years now and that cannot continue.",
        "Grants rather than contracts would let us respond to what victims actually need.",
        "The cost of bidding is huge for a small team: one tender took us about {n} days.",
        "Funding is often announced with a deadline of two or three weeks, sometimes over the "
        "summer holidays.",
        "Ring-fenced money for {service} would make a real difference.",
        "There have been cuts every year since {year} and no uplift for inflation.",
        "Full cost recovery is never funded, so core costs like management and supervision "
        "fall on us.",
        "Large national providers win the contracts and then subcontract to local groups at a "
        "lower rate.",
        "The grant portal closed before the guidance was even published.",
        "We get funded for 'innovation' but never for the core service that works.",
        "Commissioners want outcomes measured over {months} months when the change we support "
        "takes years.",
        "Victims' services money seems to go to the same few organisations every round.",
        "Match funding requirements rule us out of most pots.",
        "Contracts are let on price, not quality, and it shows.",
        "We lost our {service} contract when it was re-tendered as a single county-wide lot.",
        "The paperwork for a {amount} grant ran to twenty pages.",
        "We only found out about the fund because another charity forwarded the email.",
        "Quarterly payments in arrears cause real cash-flow problems for a small charity.",
        "Monitoring requirements are the same whether the grant is {amount} or a million.",
        "Funding decisions seem to be made before the bids are even in.",
        "We can never bid for the victims' contract because the lots are too big.",
        "There is no funding for prevention work, only for crisis response.",
    ],
    "funding_wants": [
        "Multi-year funding (at least three years) so we can plan and keep good staff.",
        "Simpler, proportionate application forms for small grants.",
        "Longer lead-in times between a fund opening and the deadline.",
        "Feedback on unsuccessful bids so we can improve.",
        "A ring-fenced pot for small and grassroots groups.",
        "Funding core costs and not just projects.",
        "More grants and fewer contracts.",
        "Co-designing the commissioning framework with {sector}.",
        "A single pooled fund with {partner} instead of lots of small pots.",
        "Clear published timetables for when funding rounds will open.",
        "Inflation uplifts on existing contracts.",
        "Weighting local knowledge and social value higher than price.",
        "Lot sizes that a small or medium charity could realistically deliver.",
        "Paying in advance rather than quarterly in arrears.",
    ],
    "strategic_input": [
        "We were consulted on the Police and Crime Plan but it felt like a tick-box exercise.",
        "{sector} should be a strategic partner from the start, not brought in at the end to "
        "deliver.",
        "Nobody asked us what the priorities should be; we found out when the plan was published.",
        "The consultation was an online survey with a two week deadline.",
        "We would like a seat at the table when priorities are set, not just when services are "
        "commissioned.",
        "There is no real route for our knowledge of {service} to shape the plan.",
        "{opcc} held a workshop on the new plan and our points did appear in the final version.",
        "We sit on the victims' board, which gives us some influence over commissioning.",
        "Decisions are made in meetings we are not invited to.",
        "The Police and Crime Plan is very police-focused and says little about prevention.",
        "We feel treated as delivery agents rather than partners with expertise.",
        "A proper VCSE reference group feeding into the plan would help.",
        "Being involved in designing the service specification made the contract far better.",
        "We'd like {pcc} to come and see the work rather than read about it in a report.",
        "Commissioning intentions are never shared in advance so we can't prepare.",
        "The plan mentions partnership with {sector} but there is no mechanism behind it.",
        "We submitted evidence to the consultation and never heard what happened to it.",
        "Strategic input takes time we are not paid for, so only the bigger charities manage it.",
        "The priorities in the plan don't reflect what we see on the ground in {area}.",
    ],
    "capacity": [
        "We are a team of {n} part-time staff and a handful of volunteers, so we simply don't "
        "have the capacity to engage.",
        "Honestly it is too big an ask for a group our size.",
        "By the time we have delivered the service there is no time left for meetings or bids.",
        "Timescales are so tight that only organisations with a dedicated bid writer can respond.",
        "Our manager does the bids in the evenings.",
        "We need infrastructure support: help with bids, policies and safeguarding.",
        "Local infrastructure bodies have lost their own funding, so there is nobody to help.",
        "The network is fragile and depends on one or two people.",
        "Volunteers are stretched and we can't ask them to go to more meetings.",
        "Training on commissioning and tendering would help small groups compete.",
        "We turned down a funding opportunity because we couldn't meet the reporting requirements.",
        "Recruitment is hard; we have had a vacancy for {months} months.",
        "Meetings are in office hours in the city centre, which rules out most of our volunteers.",
        "Our one paid worker is doing the job of three people.",
        "We're running on goodwill and it's running out.",
        "Trustees are volunteers too and can't take on more.",
    ],
    "collaboration_positive": [
        "We work closely with other local charities through a network for {service} and refer "
        "to each other all the time.",
        "Partnership working is the only way small groups like ours survive.",
        "We put in a joint bid with {n} other organisations and it worked really well.",
        "Being part of a consortium means we can bid for contracts we couldn't manage alone.",
        "The local VCSE forum is a good place to share information and avoid duplication.",
        "We share training, premises and sometimes staff with a neighbouring charity.",
        "Our relationship with {partner} is good and we have a shared referral pathway.",
        "Collaboration works best when there is a lead partner who is funded to coordinate.",
        "The network meets monthly and {opcc} sometimes attends, which helps.",
        "We have a data-sharing agreement with two partners so clients only tell their story once.",
        "Joint commissioning across {partner} and {opcc} would make collaboration easier.",
        "A shared outcomes framework across the partnership has made reporting simpler.",
        "We co-deliver a drop-in with two other groups and it works because we trust each other.",
        "Informal partnerships with other charities are strong but they rely on personal relationships.",
        "We would welcome a local directory of services so we know who else is out there.",
    ],
    "collaboration_tension": [
        "It is hard to collaborate with organisations you are competing against for the same "
        "contract.",
        "Competition for funding has made some partners guarded about sharing information.",
        "We used to work well together until the services were put out to tender.",
        "Consortium bids sound good but the lead partner takes most of the money.",
        "Collaboration takes time and nobody funds it.",
        "Larger charities come into the area, win the contract and then ask local groups to "
        "deliver for free.",
        "There is a tension between being asked to collaborate and being made to compete.",
        "Partnership meetings are a talking shop; nothing changes.",
        "We'd collaborate more if the funding rewarded it instead of pitting us against each "
        "other.",
        "Some organisations guard their referrals because their funding depends on numbers.",
        "Honestly we see other charities more as competitors now, which is sad.",
    ],
    "relationship_positive": [
        "{pcc} has been very supportive and visited our project in person.",
        "{opcc} is approachable and always responds to emails quickly.",
        "We have a named contact at {opcc} who understands our work.",
        "We met {pcc} at a network event and they were genuinely interested in {service}.",
        "Engagement has improved a lot since {year}.",
        "The commissioning team at {opcc} are helpful and honest about what is possible.",
        "{pcc} attends our annual conference and takes questions from members.",
        "Quarterly meetings with {opcc} keep us informed about what is coming up.",
        "They listened when we raised concerns about the victims' pathway and changed it.",
        "Good relationship overall, they know who we are and what we do.",
        "The OPCC newsletter is useful for keeping up with what is going on.",
        "{pcc} came to our AGM and spent time talking to the young people.",
        "Our contract manager at {opcc} is flexible when things change during the year.",
    ],
    "relationship_negative": [
        "We have never met {pcc} and have no idea who to contact at {opcc}.",
        "Emails to {opcc} go unanswered.",
        "{pcc} is rarely seen outside the big towns.",
        "Engagement only happens around election time.",
        "Staff turnover at {opcc} means we keep having to start the relationship again.",
        "They only contact us when they want data or a case study for a press release.",
        "We were invited to one meeting in {year} and heard nothing since.",
        "The relationship is entirely through the police, not the Commissioner.",
        "It feels like there is an inner circle of organisations who get the access.",
        "Communication is poor: we find out about changes from other charities.",
        "There is no engagement at all as far as I can tell.",
        "I could not tell you what {pcc} has done for {sector} in our area.",
        "Meetings get cancelled at short notice and are rarely rearranged.",
        "We've had four different contacts at {opcc} in two years.",
        "They seem more interested in policing than in community safety.",
    ],
    "representation": [
        "Small grassroots and by-and-for groups are rarely heard.",
        "Organisations led by Black and minoritised communities are under-represented in "
        "these conversations.",
        "The same large charities speak for {sector} at every meeting.",
        "Rural groups are left out because everything happens in the city.",
        "Victims' organisations get a voice but services for offenders are seen as less deserving.",
        "Work with people who have offended is a harder sell, even though it prevents the "
        "next victim.",
        "Disabled people's organisations are not at the table.",
        "Lived experience should be part of decision-making, not just a quote in a report.",
        "Welsh language provision is often an afterthought.",
        "Young people are talked about but never talked to.",
        "LGBTQ+ groups are invisible in the Police and Crime Plan.",
    ],
    "uncertainty": [
        "There is a lot of uncertainty about whether PCCs will continue, which makes long-term "
        "planning hard.",
        "Every election brings new priorities and we start again.",
        "The change of Commissioner in {year} meant our funding was paused for months.",
        "Shifting government policy on victims' services makes everything uncertain.",
        "We don't know if our contract will be renewed next March.",
        "Home Office funding is confirmed so late that {opcc} can only offer short-term grants.",
        "If PCC functions move to mayors we have no idea what happens to our funding.",
        "Ministry of Justice grant conditions keep changing year to year.",
        "Nobody can tell us what happens after the current funding round ends.",
    ],
    "sustainability": [
        "Sustainability is the big worry: our reserves will run out within a year.",
        "We want to diversify income but trading is hard for a service like ours.",
        "Projects end just as they start to work and the learning is lost.",
        "We have had to close a service despite demand increasing.",
        "Without core funding we will not be here in two years.",
        "We are relying on one funder for most of our income, which is risky.",
        "Demand has doubled since {year} while our income has stayed flat.",
        "The cost of living crisis has hit donations hard.",
    ],
    "digital": [
        "Every funder has a different online portal and the systems are clunky.",
        "Our IT is old and we can't get funding to replace laptops.",
        "Cyber security requirements in contracts are hard for a small charity to meet.",
        "Case management software would save us hours but nobody funds it.",
        "Online meetings have made it easier to engage with {opcc}.",
        "Some of our volunteers aren't confident online, so digital-only consultations exclude "
        "them.",
        "The e-tendering portal crashed on the deadline day.",
        "We need help with our website and social media to reach people.",
    ],
    "premises": [
        "Our rent has gone up by a third and the landlord wants a five-year lease.",
        "Energy bills for the building have doubled.",
        "We may lose our premises when the council sells the community centre.",
        "Finding a safe, accessible venue for survivors is a constant problem.",
        "Funders will pay for staff but not for the building we deliver from.",
        "A shared community hub would help several groups in the area.",
        "We operate from a church hall that is damp and not really fit for purpose.",
    ],
    "volunteer_wellbeing": [
        "Our volunteers hear very difficult stories and we can't afford clinical supervision.",
        "Burnout among staff and volunteers is a real risk.",
        "Vicarious trauma is not recognised in funding agreements.",
        "Volunteer numbers dropped after the pandemic and haven't recovered.",
        "We need funding for wellbeing support for frontline staff.",
        "Staff are exhausted; some have left the sector altogether.",
        "Volunteer expenses are not covered, which excludes people on low incomes.",
    ],
    "data_sharing": [
        "Data sharing with the police is a nightmare; nobody will sign a data sharing agreement.",
        "We worry about GDPR when referrals come through by email.",
        "{opcc} asks for monitoring data in a different format every quarter.",
        "Outcome monitoring takes more time than the actual support sessions.",
        "We collect lots of data but never see what happens to it.",
        "A common monitoring framework across funders would help enormously.",
        "Partners won't share information about risk because of data protection concerns.",
    ],
    "rural_transport": [
        "We cover a large rural area and there is no bus after 6pm.",
        "Clients can't get to appointments because public transport has been cut.",
        "Mileage costs for outreach are not covered by the grant.",
        "Rural isolation makes it hard to reach victims who need us.",
        "Meetings in the city mean a two hour round trip for our staff.",
        "Transport for young people to attend sessions is a big barrier.",
    ],
    "thanks": [
        "Thank you for running this survey.",
        "Thanks for the opportunity to feed back.",
        "Good to see this being looked at.",
        "Happy to talk further.",
        "Hope this helps.",
        "I hope the findings are shared with {opcc}.",
    ],
}

OPENERS = [
    "To be honest, ",
    "In our experience, ",
    "Overall, ",
    "Generally ",
    "On the whole, ",
    "Personally I think ",
    "Sadly ",
    "From our perspective, ",
    "In {area}, ",
    "Frankly, ",
    "Speaking for our organisation, ",
    "Where we are, ",
]
SMALL_OPENERS = ["As a small charity, ", "For a group our size, ", "Being a small organisation, "]
CONNECTORS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "Also, ",
    "Also ",
    "And ",
    "On top of that, ",
    "Another thing: ",
    "Plus ",
    "In addition, ",
]
WANT_FRAMES = [
    "{w}",
    "It would help to have {w_l}",
    "What would help: {w_l}",
    "We would like to see {w_l}",
    "Ideally {w_l}",
    "{w}",
    "Priority for us: {w_l}",
]

NON_ANSWERS = [
    "N/A",
    "n/a",
    "None",
    "none.",
    "-",
    "No comment",
    "nothing",
    "NA",
    "No",
    "not applicable",
    "Don't know",
    "--",
    "Nothing to add",
    ".",
]

TYPOS = {
    "receive": "recieve",
    "government": "goverment",
    "separate": "seperate",
    "commissioning": "commisioning",
    "definitely": "definately",
    "opportunity": "oppertunity",
    "business": "buisness",
    "necessary": "neccessary",
    "their": "there",
    "organisations": "organisaitons",
    "because": "becuase",
    "which": "wich",
    "funding": "fundng",
    "until": "untill",
    "volunteers": "volunters",
}

PII_SENTENCES = [
    "Contact Sarah Jones at sarah.jones@example.org if you want more detail.",
    "Happy to discuss, ring me on 01632 960123.",
    "Our chair, Mark Whitfield, raised this with the Commissioner directly last autumn.",
    "Email me on d.okafor@safesteps.example.org.uk, I'm the operations manager.",
    "Please pass my details to whoever leads on this: Priya Shah, 07700 900456.",
    "We are based at 14 Mill Lane, Leeds LS6 2AB if anyone wants to visit.",
    "Tom Evans from the OPCC was brilliant but he left in the summer.",
    "Our service manager Hannah Price has written to the PCC three times.",
]

# Themes weighted per question (theme, weight).
QUESTION_THEMES = {
    "engagement_experience": [
        ("relationship", 10),
        ("strategic_input", 6),
        ("representation", 3),
        ("uncertainty", 3),
        ("capacity", 2),
        ("data_sharing", 1),
        ("rural_transport", 1),
        ("digital", 1),
    ],
    "funding_improvements": [
        ("funding_barriers", 9),
        ("funding_wants", 9),
        ("sustainability", 3),
        ("capacity", 3),
        ("collaboration", 2),
        ("digital", 1),
        ("premises", 1),
        ("representation", 1),
    ],
    "collaboration": [
        ("collaboration", 12),
        ("capacity", 2),
        ("representation", 2),
        ("data_sharing", 2),
        ("rural_transport", 1),
        ("volunteer_wellbeing", 1),
    ],
    "other_comments": [
        ("uncertainty", 3),
        ("sustainability", 3),
        ("volunteer_wellbeing", 3),
        ("premises", 3),
        ("digital", 2),
        ("rural_transport", 2),
        ("thanks", 3),
        ("relationship", 2),
        ("funding_barriers", 2),
        ("representation", 1),
    ],
}
# Probability of a blank / non-answer per question.
P_BLANK = {
    "engagement_experience": 0.05,
    "funding_improvements": 0.06,
    "collaboration": 0.09,
    "other_comments": 0.45,
}
P_NON_ANSWER = {
    "engagement_experience": 0.04,
    "funding_improvements": 0.04,
    "collaboration": 0.05,
    "other_comments": 0.22,
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _fill(rng: random.Random, text: str, ctx: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in ctx:
            return ctx[key]
        options = {
            "pcc": PCC,
            "opcc": OPCC,
            "sector": SECTOR,
            "partner": PARTNER,
            "months": MONTHS,
            "amount": AMOUNTS,
            "year": YEARS,
            "n": ["two", "three", "four", "5", "6", "8"],
        }[key]
        return rng.choice(options)

    out = re.sub(r"\{(\w+)\}", sub, text)
    return out[0].upper() + out[1:] if out else out


def _lower_first(s: str) -> str:
    if len(s) > 1 and s[0].isupper() and not s[1].isupper() and not s.startswith(("I ", "PCC")):
        return s[0].lower() + s[1:]
    return s


class Respondent:
    """The latent traits that make one respondent's answers hang together."""

    def __init__(self, rng: random.Random, i: int) -> None:
        self.id = f"R{i:04d}"
        self.region = _weighted(rng, REGION_WEIGHTS)
        self.police_area = rng.choice(POLICE_AREAS[self.region])
        self.org_type = _weighted(rng, ORG_TYPES)
        self.org_size = _weighted(rng, ORG_SIZES)
        if self.org_type == "network / umbrella body" and self.org_size == "micro":
            self.org_size = "small"
        k = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        self.areas = sorted(rng.sample(AREAS_OF_WORK, k), key=AREAS_OF_WORK.index)
        p_met = {"micro": 0.25, "small": 0.45, "medium": 0.65, "large": 0.85}[self.org_size]
        if self.org_type == "network / umbrella body":
            p_met = 0.9
        self.met_pcc = rng.random() < p_met
        mood = rng.gauss(0.4 if self.met_pcc else -0.4, 0.8)
        self.mood = mood
        if rng.random() < 0.06:
            self.rating = "don't know"
        else:
            self.rating = RATINGS[min(4, max(0, int(round(2 - mood * 1.4))))]
        p_fund = {"micro": 0.2, "small": 0.35, "medium": 0.55, "large": 0.7}[self.org_size]
        r = rng.random()
        if r < p_fund:
            self.funding = "yes"
        elif r < p_fund + 0.3:
            self.funding = "applied but unsuccessful"
        else:
            self.funding = "did not apply"
        self.consent = "yes" if rng.random() < 0.72 else "no"
        self.collab_stance = rng.choices(["positive", "tension", "both"], [5, 3, 3])[0]
        self.verbosity = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5])
        self.sloppy = rng.random() < 0.14
        self.bullets = rng.random() < 0.1
        self.ctx = {
            "area": self.police_area.replace(" (MOPAC)", ""),
            "service": rng.choice(self.areas),
        }
        day = 1 + (i * 7) % 27
        month = 2 + (i % 2)
        self.submitted = f"2024-{month:02d}-{day:02d} {9 + i % 9:02d}:{(i * 13) % 60:02d}"


def _theme_sentence(rng: random.Random, r: Respondent, theme: str) -> tuple[str, str]:
    """One sentence on ``theme`` in this respondent's voice: (template, filled text)."""
    if theme == "relationship":
        positive = rng.random() < (0.5 + 0.45 * max(-1.0, min(1.0, r.mood)))
        theme = "relationship_positive" if positive else "relationship_negative"
    if theme == "collaboration":
        stance = r.collab_stance
        if stance == "both":
            stance = rng.choice(["positive", "tension"])
        theme = "collaboration_positive" if stance == "positive" else "collaboration_tension"
    options = [t for t in BANK[theme] if "Welsh" not in t or r.region == "Wales"]
    text = rng.choice(options)
    if theme == "funding_wants":
        w = _fill(rng, text, r.ctx)
        frame = rng.choice(WANT_FRAMES)
        return text, frame.format(w=w, w_l=_lower_first(w))
    return text, _fill(rng, text, r.ctx)


def _answer(rng: random.Random, r: Respondent, question: str) -> str:
    roll = rng.random()
    if roll < P_BLANK[question]:
        return rng.choice(["", "", " ", ""])
    if roll < P_BLANK[question] + P_NON_ANSWER[question]:
        return rng.choice(NON_ANSWERS)
    themes = QUESTION_THEMES[question]
    n = max(1, min(6, r.verbosity + rng.choice([-1, 0, 0, 1])))
    if question == "other_comments":
        n = min(n, 2)
    picked: list[str] = []
    templates: set[str] = set()
    for _ in range(n):
        theme = rng.choices([t for t, _ in themes], [w for _, w in themes])[0]
        template, sent = _theme_sentence(rng, r, theme)
        if template not in templates:
            templates.add(template)
            picked.append(sent)
    use_bullets = r.bullets and len(picked) >= 3 and question != "other_comments"
    if use_bullets:
        mark = rng.choice(["- ", "• ", "* "])
        lead = rng.choice(["", "Main points:\n", "A few things:\n", "Three things really:\n"])
        return lead + "\n".join(mark + p.rstrip(".") for p in picked)
    parts = []
    for j, sent in enumerate(picked):
        if j == 0:
            openers = OPENERS + (SMALL_OPENERS if r.org_size in ("micro", "small") else [])
            opener = _fill(rng, rng.choice(openers), r.ctx) if rng.random() < 0.3 else ""
            parts.append(opener + (_lower_first(sent) if opener else sent))
        else:
            conn = rng.choice(CONNECTORS)
            parts.append(conn + (_lower_first(sent) if conn else sent))
    if len(parts) >= 4 and rng.random() < 0.5:
        cut = rng.randrange(2, len(parts))
        text = " ".join(parts[:cut]) + "\n\n" + " ".join(parts[cut:])
    else:
        text = " ".join(parts)
    return text


def _mess(rng: random.Random, text: str) -> str:
    """Typos, lost capitals and full stops, double spaces: how people really type."""
    words = text.split(" ")
    for k, w in enumerate(words):
        key = w.lower().strip(".,;:")
        if key in TYPOS and rng.random() < 0.5:
            words[k] = w.lower().replace(key, TYPOS[key])
    text = " ".join(words)
    if rng.random() < 0.3:
        text = text.lower()
    if rng.random() < 0.4:
        text = text.rstrip(".")
    if rng.random() < 0.2:
        text = text.replace(". ", ".  ", 1)
    if rng.random() < 0.15:
        text = text.replace("have", "hve", 1)
    return text


def make_rows(seed: int = SEED, n: int = N_RESPONDENTS) -> list[dict[str, str]]:
    """The survey as a list of row dicts (one per respondent)."""
    rng = random.Random(seed)
    rows = []
    pii_slots = rng.sample(range(n), len(PII_SENTENCES))
    for i in range(1, n + 1):
        r = Respondent(rng, i)
        answers = {q: _answer(rng, r, q) for q in QUESTIONS}
        if r.sloppy:
            answers = {q: _mess(rng, a) if a.strip() else a for q, a in answers.items()}
        if i - 1 in pii_slots:
            pii = PII_SENTENCES[pii_slots.index(i - 1)]
            q = rng.choice(["engagement_experience", "other_comments"])
            answers[q] = (
                (answers[q].strip() + " " + pii).strip() if len(answers[q].strip()) > 12 else pii
            )
        rows.append(
            {
                "respondent_id": r.id,
                "submitted_at": r.submitted,
                "org_type": r.org_type,
                "org_size": r.org_size,
                "police_area": r.police_area,
                "region": r.region,
                "areas_of_work": "; ".join(r.areas),
                "met_pcc": "yes" if r.met_pcc else "no",
                "engagement_rating": r.rating,
                "received_funding": r.funding,
                "consent_to_quote": r.consent,
                **answers,
            }
        )
    return rows


# --- writers ----------------------------------------------------------------------------------


def normalise_zip(path: Path, when: str = FIXED_WHEN) -> None:
    """Rewrite an OOXML zip with fixed member timestamps and fixed core-property dates."""
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info.filename)) for info in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + when + m.group(3),
                    text,
                )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    path.write_bytes(out.getvalue())


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)


def write_xlsx(rows: list[dict[str, str]], path: Path) -> None:
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "responses"
    cols = list(rows[0])
    ws.append(cols)
    for row in rows:
        ws.append([row[c] for c in cols])
    qs = wb.create_sheet("questions")
    qs.append(["column", "question"])
    for col, text in QUESTIONS.items():
        qs.append([col, text])
    fixed = datetime.datetime(2024, 4, 1, 9, 0, 0)
    wb.properties.creator = "commentmine corpora/make_survey.py"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)
    normalise_zip(path)


# --- interviews -------------------------------------------------------------------------------
# Each interview: (file name, title, preamble lines, [(heading, [(speaker, text), ...]), ...]).
# Text may hold "\n" (continuation lines) and "- " bullets.

INTERVIEWS: list[tuple[str, str, list[str], list[tuple[str, list[tuple[str, str]]]]]] = [
    (
        "network_lead_north.txt",
        "Interview: VCSE network lead, North East",
        [
            "Evaluation interview notes, 6 March 2024. Interviewee is the lead of a regional "
            "VCSE criminal justice network (approx. 60 member organisations).",
            "Notes typed up by the interviewer, lightly edited.",
        ],
        [
            (
                "Relationship with the PCC",
                [
                    ("Q", "How would you describe the network's relationship with the PCC?"),
                    (
                        "A",
                        "Better than it was. When the current Commissioner came in there was "
                        "a real effort to meet the sector, we had a round table within the first "
                        "hundred days.\nSince then it has drifted a bit. The OPCC team has had a "
                        "lot of turnover and we've had three different engagement leads in two "
                        "years.",
                    ),
                    ("Q", "Do members get direct access?"),
                    (
                        "A",
                        "The bigger ones do. The small groups, the ones running a youth club "
                        "or a women's group in a church hall, they don't know who the OPCC are. "
                        "That's partly our job, to be the bridge, but we're not funded for it.",
                    ),
                ],
            ),
            (
                "Funding and commissioning",
                [
                    ("Q", "What are members telling you about funding?"),
                    (
                        "A",
                        "Short-term pots. That's the first thing everyone says. Twelve month "
                        "grants announced in February for an April start, so you can't recruit, "
                        "you can't plan. And the Community Safety Fund round last year had a "
                        "three-week window.\nThe second thing is the commissioning model: big "
                        "lots, county-wide, weighted on price. Our members can't bid for those "
                        "on their own.",
                    ),
                    ("Q", "Has the network tried consortium bids?"),
                    (
                        "A",
                        "Twice. One worked, one fell apart. The one that fell apart was "
                        "because the partners were also bidding against each other for a "
                        "different lot at the same time. You can't be partners on Monday and "
                        "competitors on Tuesday.",
                    ),
                ],
            ),
            (
                "Strategic input",
                [
                    ("Q", "Did the network have a say in the Police and Crime Plan?"),
                    (
                        "A",
                        "We ran a consultation event for them and fed back a report. Some of "
                        "it is in the plan, the prevention stuff mostly. But we were consulted at "
                        "the end, not involved at the start. We want to be a strategic partner, "
                        "not just a delivery arm.",
                    ),
                    ("Q", "Anything else?"),
                    (
                        "A",
                        "Just that the uncertainty about the future of PCCs is real. People "
                        "are holding back from investing in the relationship because they think "
                        "it might all change after the election.",
                    ),
                ],
            ),
        ],
    ),
    (
        "small_charity_ceo.txt",
        "Interview: chief executive, small domestic abuse charity",
        [
            "Interview with the CEO of a small domestic abuse charity in a rural police area, "
            "12 March 2024, by phone. Interviewer: JS. Interviewee: RM.",
        ],
        [
            (
                "",
                [
                    (
                        "JS",
                        "Thanks for making time. Can you start by telling me about the "
                        "organisation?",
                    ),
                    (
                        "RM",
                        "We're five staff, four of them part-time, and about twenty "
                        "volunteers. We cover a big rural patch. Outreach, a helpline, "
                        "a women's group on Thursdays.",
                    ),
                    ("JS", "And your funding?"),
                    (
                        "RM",
                        "Patchwork. About a third from the OPCC for the outreach, the rest "
                        "from the lottery, trusts, a bit from the council. The OPCC grant is "
                        "annual and we usually hear in March whether it's renewed for April. "
                        "This year we heard on the 28th.\nI've had to issue at-risk notices to "
                        "staff three years running. It's horrible.",
                    ),
                    ("JS", "What would change that?"),
                    (
                        "RM",
                        "Three-year funding. Honestly that's it. And paying for core costs. "
                        "Nobody wants to fund my time or the rent, but without them there is no "
                        "service.",
                    ),
                    ("JS", "How do you find engaging with the PCC's office?"),
                    (
                        "RM",
                        "The commissioning officer is lovely, genuinely. But I can't go to "
                        "the meetings, they're two hours' drive away in the city and always in "
                        "the working day. When I'm in a meeting nobody is answering the "
                        "helpline. It's just too big an ask for a team our size.",
                    ),
                    ("JS", "Do you work with other organisations?"),
                    (
                        "RM",
                        "All the time. We refer into the refuge, the IDVA service, the "
                        "housing team. The local forum is good. What's not good is when a big "
                        "national charity wins the contract for the whole county and then asks "
                        "us to deliver the rural bit for a fraction of the cost.",
                    ),
                    ("JS", "Anything you'd like the evaluation to pick up?"),
                    (
                        "RM",
                        "Staff wellbeing. My team hear awful things every day and I can't "
                        "afford clinical supervision. Funders should cover it. And transport, "
                        "half our women can't get to us because the bus goes twice a day.",
                    ),
                ],
            )
        ],
    ),
    (
        "opcc_commissioning_manager.md",
        "Interview: OPCC commissioning manager",
        [
            "Interview with a commissioning manager in an Office of the Police and Crime "
            "Commissioner, 14 March 2024 (video call).",
        ],
        [
            (
                "Commissioning approach",
                [
                    (
                        "Interviewer",
                        "Can you explain how the OPCC commissions from the VCSE sector?",
                    ),
                    (
                        "Commissioning Manager",
                        "We have three routes. Grants through the "
                        "Community Safety Fund, which are small and annual. Contracts for victims' "
                        "services, which go through procurement. And some direct awards where "
                        "there is only one provider.\nThe procurement rules are not ours to "
                        "change: they come with public money. But we know the thresholds and the "
                        "paperwork put small charities off.",
                    ),
                    ("Interviewer", "Why is so much of the funding annual?"),
                    (
                        "Commissioning Manager",
                        "Because our own funding is annual. The Ministry "
                        "of Justice victims' grant is confirmed late, sometimes in February for "
                        "April. We can't commit three years of money we haven't been given. "
                        "Where we can, we've moved to two-plus-one contracts.",
                    ),
                ],
            ),
            (
                "Working with the sector",
                [
                    ("Interviewer", "How do you involve the sector in decisions?"),
                    (
                        "Commissioning Manager",
                        "We have a VCSE reference group that meets "
                        "quarterly and it did shape the Police and Crime Plan, particularly on "
                        "prevention and on violence against women and girls.\n"
                        "- We co-designed the young people's service specification with three "
                        "charities\n- We publish a funding calendar now\n- We give feedback on "
                        "every unsuccessful bid",
                    ),
                    ("Interviewer", "What doesn't work so well?"),
                    (
                        "Commissioning Manager",
                        "Reach. The same organisations come to "
                        "everything. We don't hear enough from by-and-for groups or from rural "
                        "areas, and organisations working with offenders are under-represented "
                        "compared with victims' services.",
                    ),
                ],
            ),
            (
                "Looking ahead",
                [
                    ("Interviewer", "What worries you about the next few years?"),
                    (
                        "Commissioning Manager",
                        "The election, frankly. A new Commissioner can "
                        "set new priorities and everything we've built with the sector could be "
                        "reset. And there's the national debate about whether PCC functions move "
                        "to mayors. The sector reads that as uncertainty and I don't blame them.",
                    ),
                ],
            ),
        ],
    ),
    (
        "national_partner_roundtable.md",
        "Notes: national partners round table",
        [
            "Round table with three national partner organisations, 19 March 2024. Facilitated "
            "by the evaluation team. Speakers identified by organisation role.",
        ],
        [
            (
                "The national picture",
                [
                    ("Facilitator", "What are you hearing from local members about PCCs?"),
                    (
                        "Policy Lead",
                        "Huge variation. Some PCCs have a proper VCSE strategy and "
                        "a named lead, some have nothing. It depends enormously on the individual "
                        "Commissioner and the chief executive of the OPCC.",
                    ),
                    (
                        "Membership Director",
                        "And on the local infrastructure. Where there is "
                        "a funded network, engagement is much better. Where the local "
                        "infrastructure body has closed, small groups have no route in at all.",
                    ),
                    ("Facilitator", "Is funding the main issue?"),
                    (
                        "Policy Lead",
                        "It's the main issue people raise, but it's connected to "
                        "everything else. Short-term grants mean no capacity, no capacity means "
                        "no engagement, no engagement means no influence over commissioning. "
                        "It's a cycle.",
                    ),
                ],
            ),
            (
                "Collaboration and competition",
                [
                    ("Facilitator", "How do members experience partnership working?"),
                    (
                        "Research Officer",
                        "Mixed. Our survey found most members collaborate "
                        "informally, referrals, shared training. But when services are tendered "
                        "that goodwill gets tested.\nA lot of people described consortia where "
                        "the lead partner keeps the management fee and the small partners carry "
                        "the risk.",
                    ),
                    (
                        "Membership Director",
                        "I'd add that collaboration needs paying for. "
                        "Someone has to coordinate, write the joint bid, hold the data sharing "
                        "agreement. That's real work.",
                    ),
                    (
                        "Policy Lead",
                        "Data sharing is a good example. GDPR is used as a reason "
                        "not to share, when the actual problem is nobody owns the agreement.",
                    ),
                ],
            ),
            (
                "What would help",
                [
                    ("Facilitator", "If you had one ask of PCCs, what would it be?"),
                    (
                        "Policy Lead",
                        "Treat the sector as a strategic partner. Involve us in "
                        "setting the priorities, not just delivering them.",
                    ),
                    ("Membership Director", "Multi-year, core funding for local infrastructure."),
                    (
                        "Research Officer",
                        "Publish what you fund and who you fund. Transparency "
                        "would answer a lot of the suspicion about inner circles.",
                    ),
                ],
            ),
        ],
    ),
    (
        "opcc_engagement_officer.docx",
        "Interview: OPCC engagement officer, Wales",
        [
            "Interview with an engagement officer at an OPCC in Wales, 21 March 2024. "
            "Contact for follow-up: Gareth Morgan, gareth.morgan@opcc.example.gov.uk.",
        ],
        [
            (
                "Engagement with the sector",
                [
                    (
                        "Interviewer",
                        "What does engagement with the voluntary sector look like "
                        "in your force area?",
                    ),
                    (
                        "GM",
                        "We hold four locality forums a year, one in each county, and the "
                        "Commissioner attends at least two of them. We also have a monthly "
                        "newsletter that goes to about three hundred groups.\nThe forums are "
                        "bilingual, which matters here. Welsh-speaking groups told us they had "
                        "felt shut out before.",
                    ),
                    ("Interviewer", "Who doesn't come?"),
                    (
                        "GM",
                        "Very small groups, especially in the rural west. Travel is a real "
                        "barrier, there's a two hour drive between some of our towns. We've "
                        "started doing online sessions but broadband is patchy and some people "
                        "just don't want to do it online.",
                    ),
                ],
            ),
            (
                "Funding",
                [
                    ("Interviewer", "How is funding allocated?"),
                    (
                        "GM",
                        "Mostly through the Commissioner's community fund, grants up to "
                        "£10,000, one year. We know one year is not ideal. We're piloting "
                        "two-year grants for a handful of projects this year.",
                    ),
                    ("Interviewer", "What feedback do you get from the sector about it?"),
                    (
                        "GM",
                        "That the forms are too long for the amounts. That the timescales "
                        "are tight. And that the same organisations seem to win. We've simplified "
                        "the form for small grants:",
                    ),
                    (
                        "GM",
                        "It's now two pages, and we added a surgery session before each "
                        "deadline where groups can ask questions.",
                    ),
                ],
            ),
            (
                "Partnership",
                [
                    (
                        "Interviewer",
                        "How does the OPCC work with the Community Safety Partnerships?",
                    ),
                    (
                        "GM",
                        "Through the CSP chairs group. Honestly the VCSE voice in the CSPs "
                        "is weak, it's mostly statutory partners. We'd like to see a VCSE seat on "
                        "every CSP.",
                    ),
                ],
            ),
        ],
    ),
    (
        "youth_charity_manager.docx",
        "Interview: service manager, youth diversion charity",
        [
            "Interview notes, youth diversion charity (medium sized, urban), 25 March 2024.",
        ],
        [
            (
                "About the service",
                [
                    ("Interviewer", "Tell me about the work and how it's funded."),
                    (
                        "Hannah Price",
                        "We run detached youth work and a diversion programme "
                        "for young people at risk of exploitation. Roughly half our income is "
                        "from the OPCC through the Violence Reduction Unit, the rest is the "
                        "council and trusts.",
                    ),
                    ("Interviewer", "How has that funding changed?"),
                    (
                        "Hannah Price",
                        "It's gone from a three-year grant to annual "
                        "contracts. Each year we're told the money is secure and each year it's "
                        "confirmed later. Our youth workers are on fixed-term contracts as a "
                        "result and we lose the good ones to the council.",
                    ),
                ],
            ),
            (
                "Engagement and influence",
                [
                    ("Interviewer", "Do you feel you have influence over priorities?"),
                    (
                        "Hannah Price",
                        "Some. We were asked to bring young people to a "
                        "consultation on the Police and Crime Plan, which was good, they were "
                        "listened to. But it was a one-off. There's no ongoing way for young "
                        "people's voices to feed in.",
                    ),
                    ("Interviewer", "And with other organisations?"),
                    (
                        "Hannah Price",
                        "We're in a partnership with two other youth charities. "
                        "It works because we agreed early who does what and we don't bid against "
                        "each other in this borough. Without that agreement we'd be competitors.",
                    ),
                    ("Interviewer", "Anything else?"),
                    (
                        "Hannah Price",
                        "Monitoring. Every funder wants different data in a "
                        "different template. A common framework would free up a day a month.",
                    ),
                ],
            ),
        ],
    ),
]


def _render_text(interview: tuple, *, markdown: bool) -> str:
    _name, title, preamble, sections = interview
    lines: list[str] = []
    if markdown:
        lines += [f"# {title}", ""]
    else:
        lines += [title.upper(), ""]
    lines += [*preamble, ""]
    for heading, turns in sections:
        if heading:
            lines += [f"## {heading}" if markdown else f"# {heading}", ""]
        for speaker, text in turns:
            label = f"**{speaker}:**" if markdown else f"{speaker}:"
            lines.append(f"{label} {text}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _render_docx(interview: tuple, path: Path) -> None:
    import datetime

    import docx

    _name, title, preamble, sections = interview
    doc = docx.Document()
    doc.add_heading(title, level=1)
    for para in preamble:
        doc.add_paragraph(para)
    for heading, turns in sections:
        if heading:
            doc.add_heading(heading, level=2)
        for speaker, text in turns:
            first, *rest = text.split("\n")
            p = doc.add_paragraph()
            p.add_run(f"{speaker}: ").bold = True
            p.add_run(first)
            for line in rest:
                if line.startswith("- "):
                    doc.add_paragraph(line[2:], style="List Bullet")
                else:
                    doc.add_paragraph(line)
    fixed = datetime.datetime(2024, 4, 1, 9, 0, 0)
    props = doc.core_properties
    props.author = "commentmine corpora/make_survey.py"
    props.last_modified_by = "commentmine"
    props.created = fixed
    props.modified = fixed
    props.revision = 1
    doc.save(str(path))
    normalise_zip(path)


def write_interviews(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for interview in INTERVIEWS:
        path = folder / interview[0]
        if path.suffix == ".docx":
            _render_docx(interview, path)
        else:
            path.write_text(
                _render_text(interview, markdown=path.suffix == ".md"),
                encoding="utf-8",
                newline="\n",
            )
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rows = make_rows()
    write_csv(rows, out / "vcse_pcc_survey.csv")
    write_xlsx(rows, out / "vcse_pcc_survey.xlsx")
    files = write_interviews(out / "interviews")
    print(f"wrote {len(rows)} respondents and {len(files)} interview files to {out}")


if __name__ == "__main__":
    main()
