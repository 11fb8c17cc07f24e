"""Generate the bundled corpus: a VCSE/PCC survey export and interview notes.

Everything this script writes was invented for commentmine (see corpora/README.md). It is
deterministic: the same script gives byte-identical files (seeded ``random.Random``, fixed
timestamps inside the XLSX/DOCX containers). Answers are drawn from some 400 hand-written
templates with a choice every few words, in each respondent's own voice, and a sentence is
re-drawn (or another said instead) when it would repeat 6 words that another answer holds,
so they vary the way real answers do (``benchmarks/bench_corpus_diversity.py`` measures it);
some answers are a few words only.

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
# Answers are written from templates in a small grammar, so that no two respondents write the
# same sentence (benchmarks/bench_corpus_diversity.py measures it against real survey answers):
#   {a|b|c}  one of the alternatives (they nest)      [text]  the text or nothing (even odds)
#   <slot>   a value from the respondent or a list below (<pcc>, <opcc>, <sector>, ...)
# Every few words offer a choice, each respondent has their own voice (contractions, hedges,
# typing habits), and a respondent never uses the same template twice. A template's fixed
# words may appear in one answer only (see _write), so the more a theme is written about, the
# more templates it needs, each with a choice at least every five words.

SLOTS: dict[str, list[str]] = {
    "pcc": [
        "the PCC",
        "our PCC",
        "the Commissioner",
        "the Police and Crime Commissioner",
        "our Police and Crime Commissioner",
        "the current PCC",
        "the new Commissioner",
    ],
    "opcc": [
        "the OPCC",
        "the Commissioner's office",
        "the PCC's office",
        "the PCC's team",
        "the office of the PCC",
        "the commissioning team",
        "the OPCC team",
    ],
    "sector": [
        "the VCSE sector",
        "the voluntary sector",
        "the sector",
        "VCSE organisations",
        "the third sector",
        "the VCS",
        "small charities",
        "voluntary and community groups",
        "local charities",
        "community organisations",
        "grassroots groups",
    ],
    "partner": [
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
        "the district councils",
        "adult social care",
    ],
    "months": ["3", "6", "9", "12", "six", "twelve", "eighteen", "nine"],
    "amount": [
        "£5,000",
        "£10k",
        "£2,500",
        "£20,000",
        "£50k",
        "£1,000",
        "£15,000",
        "£30k",
        "£7,500",
        "£4k",
        "£12,000",
        "£25k",
    ],
    "year": ["2021", "2022", "2023", "last year", "the last election", "the pandemic", "2019"],
    "when": ["in 2021", "in 2022", "in 2023", "last year", "after the election", "in 2019"],
    "n": ["two", "three", "four", "5", "6", "8", "ten", "a dozen"],
    "fund": [
        "the Community Safety Fund",
        "the PCC's community fund",
        "the Commissioner's small grants scheme",
        "the victims' grant round",
        "the OPCC's prevention fund",
        "the violence reduction fund",
    ],
    "weeks": ["two", "three", "four", "two and a half", "three short"],
}

BANK: dict[str, list[str]] = {
    "funding_barriers": [
        "{Most|Nearly all|Almost all|The bulk} of {the|our} {funding|money|grant income} "
        "{from|we get from|that comes from} <opcc> {is|comes} {for|in blocks of|on} <months> "
        "months {at a time|only|or less|max}, {which makes it impossible to plan|so we {can't|"
        "never} plan {ahead|beyond the next round|properly}|so keeping {good|experienced|"
        "trained} staff is {almost impossible|a constant struggle|a nightmare}|and {our "
        "staff are|the team is|everyone is} {always|permanently|forever} on {notice|"
        "fixed-term contracts|short contracts}}.",
        "{Short-term|Annual|One-year|Twelve month} {grants|contracts} {from|via|"
        "through} <opcc> {leave|keep} {us|our team|the charity} {unable|never able} to "
        "{plan|recruit|commit to anything} {more than|beyond} {a few months|a year|one "
        "round} {ahead|out}.",
        "The {commissioning|tendering|procurement} {process|system|model} {is|feels|seems} "
        "{designed|built|set up|geared} for {big|large|national} {organisations|providers|"
        "charities} {with|that have|who can afford} {bid writers|a bid team|a fundraising "
        "department|in-house bid staff}{, not for|, not| rather than} {groups|charities|"
        "organisations|outfits} {like ours|our size|of our size|like us}.",
        "We {applied to|bid into|went for|tried} <fund> {twice|three times|two years running|"
        "last year and the year before} and {were turned down|got nothing|were unsuccessful|"
        "lost out} {both times|each time|every time|on both occasions}{ with no feedback| "
        "without any feedback|, and nobody could tell us why|, no reasons given|}.",
        "{Procurement rules mean|The procurement rules mean|The rules on procurement mean|"
        "Procurement means} {a small pot|a little grant|a pot|a grant} of <amount> {comes with|"
        "carries|needs} {the same|as much} {paperwork|form filling|due diligence|admin} as a "
        "{contract|tender|commission} {worth|of} {hundreds of thousands|a million|half a "
        "million|six figures}.",
        "{Competitive tendering|Tendering on price|The tender process|Price-led tendering} "
        "has {pushed|driven|forced} {prices|unit costs|rates|the price} {down to the point where|so low that|"
        "so far down that} we {subsidise|are subsidising|top up|"
        "prop up} the {contract|service|work} {from|out of|with} {our|our own} {reserves|"
        "unrestricted funds|fundraising|donations}.",
        "We{ have been|'ve been} {living off|using up|eating into|running down} {our "
        "reserves|reserves|savings} for {two years|eighteen months|three years|a while} "
        "{now|already|} and {that|it|this} {cannot|can't|won't} {continue|go on|last} "
        "{much longer|forever|}.",
        "{Grants|Grant funding|Proper grants|Simple grants} rather than {contracts|tenders|"
        "commissioned contracts} would {let us|allow us to|mean we could|free us to} "
        "{respond to|work on|focus on|deliver} what {victims|survivors|clients|people|"
        "families} {actually|really|genuinely} {need|ask for|want}.",
        "The cost of {bidding|putting in a bid|a tender|applying} is {huge|massive|a real "
        "burden|out of proportion} for a {small|tiny|two-person} {team|charity|"
        "organisation}{:|;| -} {one tender|the last bid|our last application|a recent bid} "
        "took {us|our manager|me} {about|nearly|over|roughly} <n> {days|weeks|full days}.",
        "{Funding|Money|A new pot|A new fund} is {often|usually|nearly always|typically} "
        "{announced|launched|opened} with {a deadline of|a window of|only|just} <weeks> "
        "weeks{, sometimes over the summer holidays|, usually over August|, often just "
        "before Christmas|, which is ridiculous|}.",
        "{Ring-fenced|Dedicated|Protected} {money|funding|pots} for <service> would make a "
        "{real|huge|big|massive} difference{ to us| in <area>| to the people we see|}.",
        "There have been {cuts|reductions} {every year|year on year|most years|repeatedly} "
        "since <year> and {no uplift for inflation|nothing for inflation|no inflationary "
        "uplift|no increase at all}{, so in real terms we get less|, so we are doing more "
        "for less|, which is a cut by stealth|}.",
        "{Full cost recovery is never funded|Core costs are never covered|Nobody pays for "
        "core costs|Core costs are always left out}, so {management costs|supervision costs|"
        "premises and management costs|things like supervision|rent and HR} {fall|end up falling|land} on "
        "{us|our reserves|our unrestricted money|our fundraising}.",
        "{Large|Big|The big} national {providers|charities|organisations} {win|get|take|"
        "walk off with} the {contracts|big contracts|money} and then {subcontract|pass the "
        "work|hand the delivery} to {local groups|us|smaller charities|local charities} at "
        "a {lower|reduced|much lower|fraction of the} {rate|price|cost}.",
        "The {grant|funding|application} portal {closed|shut} before {the guidance was|the "
        "criteria were|the guidance notes were|the FAQs were} even {published|out|"
        "available}{, which says it all|, which was farcical|, honestly|}.",
        "We {get|can get|are} funded for {'innovation'|new pilots|new projects|shiny new "
        "things} but never for the {core service|service|work|day job} that {works|we "
        "know works|actually works|people rely on}.",
        "{Commissioners want|The OPCC wants|Funders want|They want} {outcomes|impact|"
        "results} {measured|shown|evidenced|proven} {over|within|in} <months> months when "
        "the {change|progress|recovery} we support takes {years|much longer|two or three "
        "years|far longer}.",
        "{Victims' services|The victims'} {money|funding|budget} {seems to go|always seems "
        "to go|ends up going|goes} to the same {few|three or four|small number of|couple "
        "of} {organisations|providers|charities|big names} {every round|each year|every "
        "time|year after year}.",
        "{Match funding|Match-funding|Matched funding} {requirements|rules|conditions} "
        "{rule us out of|exclude us from|stop us applying to|shut us out of} {most pots|"
        "most of the funds|half the opportunities|the bigger funds}.",
        "{Contracts|Tenders|Services} are {let|awarded|decided|won} on price, not "
        "{quality|outcomes|what works}{, and it shows|, and clients feel the difference|, "
        "and survivors pay for it|}.",
        "We lost our <service> {contract|service|work} when it was {re-tendered|"
        "recommissioned|put out to tender again|bundled up} {as|into} a single {county-wide|"
        "force-wide|area-wide|regional} {lot|contract|package}.",
        "The {paperwork|application|form|bid pack} for a <amount> {grant|pot|award} "
        "{ran to|was|came to} {twenty|thirty|twelve|forty} pages{, plus appendices|, not "
        "counting the policies|, ridiculous for the amount|}.",
        "We only {found out|heard|learned} about the {fund|grant round|funding|last round} "
        "because {another charity|a partner|someone at the network|a friend at another "
        "group} {forwarded|passed on|sent} {the email|it|the link} {to us|on|our way}.",
        "{Quarterly payments in arrears cause|Being paid quarterly in arrears creates|"
        "Payment in arrears means} {real|serious|constant} cash-flow {problems|headaches|pressure} for "
        "a {small|small local|tiny} {charity|organisation}{ like us|}.",
        "{Monitoring requirements are|The monitoring is|Reporting is|The reporting burden "
        "is} {the same|identical|just as heavy} whether the {grant|award|funding} is "
        "<amount> or {a million|half a million|ten times that}.",
        "{Funding decisions|Decisions on funding|Awards} {seem|feel like they are|appear "
        "to be} {made|taken|agreed} before the {bids|applications} are even {in|"
        "submitted|read}.",
        "We can never bid for the {victims'|main|big|core} contract because the lots are "
        "{too big|far too large|sized} for {us|an organisation our size|the big players}.",
        "There is {no|almost no|hardly any} {funding|money} for {prevention{ work|}|"
        "early intervention|preventative work}, only for {crisis response|crisis work|"
        "picking up the pieces|emergencies}.",
        "{The|Our} {eligibility|funding} {criteria|rules} {ruled|shut} us out {because|as} we {work|operate} {across|in} {two|both} {force areas|police areas|counties}.",
        "{Payment by results|PbR|Paying on outcomes} {means|has meant} {we|small providers} {carry|take} {all|the} {risk|financial risk} and {get paid|are paid} {months|a year} {later|after the work}.",
        "{Social value|Local knowledge} {counts for|is worth} {about|only} {ten|five} per cent of the {score|marks|evaluation}{, so|;} {price|cost} {wins|decides it} {every time|anyway|regardless}.",
        "{Tender|Bid} {documents|packs} {written|drafted} {by|for} {lawyers|procurement officers|procurement people} {assume|expect} {we|bidders} {have|employ} {a legal team|a compliance department|an in-house lawyer}.",
        "{A|One} {small|modest} {grant|pot} {last year|this year} {needed|required} {three years of accounts|audited accounts|a safeguarding audit}{, which a new group can't have|, impossible for a young group|}.",
        "{Austerity since 2010 has meant|Years of cuts have meant|Budget cuts since the early 2010s mean} {we|local charities} {now|already} {deliver|do} {statutory|council} {work|services} {for|on} {a fraction of|half|less than} {the|their} {real|true|full} cost.",
        "{Grants|Awards} {come|arrive|are paid} {with strings|under conditions|with restrictions} {that|which} {stop|prevent} {us|anyone} {moving|shifting|using} {money|underspend} {between|across} {budget lines|headings|quarters}.",
        "{There's|There is} {a minimum contract value|a minimum turnover requirement|a turnover floor} of <amount>{ which|, which} {rules out|knocks out|excludes} {most|almost all} {of the|} {groups|charities} in <area>.",
    ],
    "funding_wants": [
        "{Multi-year|Longer-term|Multi year} funding{ (at least three years)| over three "
        "years or more| of three to five years|} so we can {plan|plan ahead|recruit} and "
        "{keep good staff|hold on to experienced staff|stop issuing redundancy notices|"
        "stop the annual panic}",
        "{Three-year|Five-year|Two-plus-one} {grants|contracts|awards} {as standard|by "
        "default|for established services} so {staff|our workers|the team} {are not|aren't} "
        "on {notice|short contracts} {every spring|every March|every year}",
        "{Simpler|Shorter|Lighter}, proportionate {application forms|applications|bid "
        "forms} for {small grants|anything under <amount>|smaller amounts}",
        "{Longer lead-in times|More notice|A realistic window|Decent notice} between a "
        "{fund|round|call} {opening|being announced} and the {deadline|closing date}",
        "{Feedback|Proper feedback|Some feedback|Honest feedback} on {unsuccessful|failed|"
        "rejected|losing} {bids|applications} so we can {improve|learn|do better next time}",
        "A ring-fenced {pot|fund|allocation} for {small and grassroots groups|by-and-for "
        "organisations|groups with an income under <amount>|micro charities}",
        "{Core costs funded|Core costs paid for|Money for core costs|Funding for core "
        "costs} and not just {projects|new projects|outputs|activities}",
        "{More grants and fewer contracts|Grants instead of contracts|Fewer contracts, more "
        "grants|A move back to grants}",
        "{Co-design of|A say in the design of|A hand in shaping} the commissioning "
        "{framework|model|approach} {with|together with|for} <sector>",
        "A {single|joint} pooled {fund|budget} with <partner> instead of {lots of small "
        "pots|five separate schemes|a patchwork of pots|several small funds}",
        "{Clear|Published|Clearly published|Fixed} {timetables|dates|calendars} for when "
        "{funding rounds|grant rounds|funds|new pots} will {open|be announced}",
        "{Inflation uplifts|An uplift for inflation|Annual uplifts|Cost of living uplifts} "
        "on {existing|current|all} contracts",
        "{More weight on|Higher scores for|Real value put on} {local knowledge|local roots|"
        "local expertise} and social value {than on|above|ahead of} price",
        "Lot sizes that a {small or medium|small|medium-sized|local} {charity|organisation} "
        "could {realistically|actually|sensibly} deliver",
        "{Payment|Grants paid|Money paid} {in advance|up front|at the start} rather than "
        "{quarterly in arrears|in arrears|three months late|after the event}",
        "{Someone|A named person|A real person} at <opcc> {to|who can} {talk|walk} {small groups|first-time bidders|us} through {the|a} {process|bid|application}",
        "{Funding|Money} for {the|our} {core|day-to-day|boring} {stuff|costs|work} like {rent, supervision and training|insurance and HR|a manager's time}",
        "{Two-stage|Staged|Expression-of-interest} {applications|bids} so {we|small groups} {don't|do not} {write|spend weeks on} {a|a full} {bid|application} {for nothing|that goes nowhere|with no chance}",
        "{More trust|Real trust} in {small charities|local groups}, with {unrestricted|flexible} {money|grants} {judged|checked} on {outcomes|results|what changed}",
        "{Less|Lighter} {monitoring|reporting} for {small|low-value} {grants|awards}{ - a page, not a spreadsheet| - a phone call would do|}",
        "{An end to|Fewer} {annual|one-year} {rollovers|extensions} {announced|confirmed} {in March|at the last minute}",
        "{A|One} {shared|common} {application|due diligence} {passport|profile} {so|that means} {we|groups} {don't|do not} {upload|send} {the same policies|the same documents|their policies} {every time|to every funder|over and over}",
        "{Proper|Full} cost recovery{, including| that includes| covering} {management|overheads|supervision} {and|plus} {premises|IT|training}",
    ],
    "strategic_input": [
        "We were {consulted|asked|surveyed} on the {Police and Crime Plan|new plan|draft plan} but it {felt like|was really|was just|came across as} a {tick-box|box-ticking|token} {exercise|job|gesture}{, the decisions were already made|, nothing we said changed it|, if I'm honest|}.",
        "<sector> should be a {strategic partner|partner|proper partner} from the {start|outset|beginning|first day}, not {brought in|asked|called} at the {end|last minute} to {deliver|do the delivery|carry it out}.",
        "{Nobody|No one|Not one person} {asked us|consulted us on|checked with us} what the {priorities|local priorities|main issues} {should be|ought to be}; we {found out|only heard|learned} when the {plan|strategy|document} was {published|launched|out|in the paper}.",
        "The {consultation|engagement} was {an online survey|a web form|one questionnaire} with a {two week|ten day|three week|very short} {deadline|window|turnaround}{ in the middle of the holidays|, which most of our members missed|, which excludes most of our members|}.",
        "We {would like|want|need|deserve} a {seat|place} at the {table|top table} when {priorities are set|decisions are made|the plan is written}, not {just|only} when {services|contracts} are {commissioned|tendered|bought}.",
        "There is no {real|proper|obvious} {route|way|mechanism} for our {knowledge of|experience of|expertise in} <service> to {shape|feed into|influence} the plan.",
        "<opcc> {held|ran|organised} a {workshop|round table|session} on the {new|draft} {plan|strategy} and {our points|some of what we said|our suggestions} did {appear|end up|get} in the {final version|published plan|final document}.",
        "We {sit on|are on|have a place on} the {victims' board|reducing reoffending board|local VAWG group|CSP board}, which {gives|offers} us {some|a bit of|real} {influence|say} over {commissioning|priorities}.",
        "{Decisions|The real decisions|Big decisions} are {made|taken|agreed} in {meetings|rooms|forums} we {are not|aren't|are never} {invited to|part of|told about}.",
        "The Police and Crime Plan is {very police-focused|overwhelmingly focused on policing|far too much about enforcement|heavily about enforcement} and {says|has} {little|very little|almost nothing} {about|on} {prevention|early help|the causes of crime}.",
        "We {feel|are} {treated as|seen as|used as} {delivery agents|contractors|a delivery arm} rather than {partners|equals} with {expertise|knowledge|something to offer|a view}.",
        "A {proper|standing|funded} VCSE {reference group|advisory panel|forum} {feeding into|shaping|informing} the {plan|priorities} would {help|make a difference|be a start}.",
        "Being {involved|included} in {designing|writing|shaping} the {service specification|spec} made the contract {far|much|a lot} better{ for everyone| for clients|}.",
        "{We'd like|It would be good for|We keep inviting} <pcc> to {come and see|visit|spend a day at} the {work|project|service} rather than {read about it|see it|skim it} in a report.",
        "Commissioning intentions are {never|rarely|not} {shared|published|signalled} {in advance|early}{ so we can't prepare|, so there is no time to get ready|, so we're always on the back foot|}.",
        "The plan {mentions|talks about|name-checks} partnership with <sector> but there is no {mechanism|structure|process|money} behind it.",
        "We {submitted|sent in|gave} {evidence|a response|case studies} to the {consultation|review} and {never|not once} {heard|found out|learned} what {happened to it|came of it|they did with it}.",
        "Strategic input takes time {we are not paid for|nobody funds|that isn't funded}, so only the {bigger|larger|better-resourced} charities {manage it|take part|turn up|get heard}.",
        "The {priorities|aims} in the plan {don't|do not|simply don't} {reflect|match|line up with} what we {see|deal with} {on the ground|day to day|every week} in <area>.",
        "{Only|It's only} the {big|larger|well-funded} charities {who|that} can {afford|spare} {the time|staff time} for {strategic|policy} {work|meetings}, so {they|theirs} {are|is} the {voice|view} {heard|that counts}.",
        "{By the time|Once} {we saw|we were shown|they showed us} the {draft|plan|priorities}{, it was|, everything was} {already|basically} {signed off|agreed|decided}{ - we were just there to nod| so what was the point|}.",
        "{Nobody|No one} {from|at} <opcc> {has ever|has actually} {asked|come to ask} {us|our members|the people we work with} {what|which} {works|makes a difference} {on the ground|here|in <area>}.",
        "{We'd|We would} {happily|gladly} {help with|contribute to} {a|the} {needs assessment|local needs assessment|problem profile} {if anyone asked|if someone invited us|but nobody asks|if we knew it was happening}.",
        "{The|A} {VCSE|sector} {seat|place|rep} on the {board|CSP board|partnership board} {goes|went} to {a|one} {big|national} {charity|provider} {who|that} {doesn't feed back|never reports back|never talks to the rest of us}.",
        "{Strategy|The strategy} {is|gets} {written|decided|set} at {county|force|regional} level{, but|; meanwhile} {our|the} {estates|neighbourhoods|towns} {have|face} {quite|very|completely} different {problems|needs}.",
        "{If|When} {they do|the OPCC does} {consult|ask}{, it is|, it's} {on|about} {a|the} {finished|final|near-final} {document|plan}{, never the blank page|, not the questions that matter|}.",
        "Give {us|the sector} {a|some} {real|proper} {role|part} in {shaping|setting|deciding} {the local priorities|the plan|local priorities}{, not a feedback form| rather than a survey once every four years|}.",
        "{We|Our network} {produced|wrote|sent} {a|a detailed} {briefing|paper|report} on <service> {for|to} {the|their} {review|plan refresh|strategy} {and|but} {heard|got} {nothing back|no acknowledgement|silence}.",
        "{Co-production|Co-design} {gets|is} {talked about|mentioned} {a lot|constantly|in every document} {but|yet} {in practice|in reality} {it means|it's} {a|one} {workshop|focus group} {after|once} {the decisions are made|everything is decided|it's all decided}.",
        "{Priorities|Local priorities} {seem to|} {follow|come from} {whatever|what} {is in the news|the papers say|the Home Office wants} {rather than|not} {what|the needs} {we|services} {see|know about} {locally|day to day}.",
        "{Our|The} {knowledge|expertise} {about|of} <service> {could|should} {shape|inform|steer} {commissioning|the plan|priorities}{, and|; but} {at the moment|right now|currently} {it doesn't|nobody uses it|it goes nowhere}.",
    ],
    "capacity": [
        "We are a team of <n> part-time {staff|workers|people} {and|plus} {a handful of|a few|some} volunteers, so we {simply|just|honestly} {don't have|lack} the {capacity|time|people} to {engage|go to meetings|take part|bid for things}.",
        "{Honestly|Frankly|Realistically|Truthfully} it is {too big an ask|a big ask|too much} for a {group|team|charity} {our size|of our size|this small}.",
        "By the time we {have|'ve} {delivered the service|done the actual work|seen our clients|covered the helpline} there is {no time|nothing|no energy} left for {meetings or bids|meetings and bids|anything else|strategy}.",
        "{Timescales|Deadlines|Turnarounds} are {so|that} tight {that|} only {organisations|charities|the big players} with a {dedicated bid writer|bid team|paid fundraiser} can {respond|apply|get a bid in}.",
        "Our {manager|coordinator|chief officer|director} {does|writes} the {bids|funding applications} in the {evenings|evenings and at weekends|evening after a full day}.",
        "We need {infrastructure|back-office|practical} support: help with {bids, policies and safeguarding|safeguarding, HR and bids|policies and funding applications}.",
        "{Local infrastructure bodies have lost their|The local CVS has lost its|Our infrastructure organisation has lost its} {own|core} funding, so there is {nobody|no one} {to help|to turn to|we can ask}.",
        "The {network|local network|forum} is {fragile|precarious} and {depends on|relies on|rests on} {one or two|a couple of|two or three} people.",
        "{Volunteers|Our volunteers} are {stretched|at full stretch|exhausted} and we {can't|cannot} ask them to {go to|attend|sit in} more meetings.",
        "Training on {commissioning and tendering|how tendering works|writing bids} would help {small groups|us|groups like ours} {compete|stand a chance|keep up}.",
        "We {turned down|said no to|walked away from} a {funding|grant} {opportunity|offer} {because|as} we {couldn't|could not} {meet|cope with} the {reporting|monitoring} {requirements|demands}.",
        "{Recruitment|Recruiting} is {hard|a struggle|tough}; we {have had|'ve had} a {vacancy|post empty|job unfilled} for <months> months.",
        "{Meetings|Most meetings|Their meetings} are {in|during} office hours {in the city centre|in the county town|in town|miles away}, which {rules out|excludes} {most of our volunteers|our volunteers|anyone with a day job}.",
        "Our {one paid worker|only member of staff|single part-time worker} is {doing|covering} the {job|work} of {three|two|four} people.",
        "{We're|We are|The whole place is} running on {goodwill|good will|volunteers' goodwill} and {it's|that's|it is} {running out|wearing thin|running low}.",
        "{Trustees|Our trustees|The board} are {volunteers|unpaid} too and {can't|cannot} take on {more|anything else|any more}.",
        "{Our volunteers|The few volunteers we have} {already|} give {so much|more than enough}; {asking|expecting} them to {attend|sit through} {more|extra} {meetings|forums} {isn't fair|is not on|would break them}.",
        "{After|Once we have done} {the|a} {day's|week's} {delivery|casework|sessions}, {there is|there's} {nothing|no capacity|no time} {left|spare} for {bids|meetings|strategy}.",
        "{Since|Ever since} {the local CVS|our infrastructure body|the support agency} {closed|lost its funding|folded}, {nobody|no one} {helps|supports} us with {bids|policies|governance}.",
        "{Our|The} {trustees|board members} are {unpaid|volunteers} and {already|} {stretched|doing plenty}{; they can't do more| and cannot do any more|}.",
        "{I'm|I am} the {only|sole} {paid|salaried} {member of staff|worker|person}{ (three days a week)| on two days a week|}{, so|;} {meetings|consultations|forums} {mean|cost} {a|one} {day|session} not spent {with clients|on delivery|supporting people}.",
        "{Honestly|Frankly|} {filling in|completing|doing} {this|the} survey {took|has taken} {longer|more time} than {I|we} {had|could spare}{, which sort of proves the point| - that's the point|}.",
        "{We|Our team} {have|had} to {choose|pick} between {delivering|running the service|seeing clients} and {going to|attending} {OPCC|partnership|commissioning} {meetings|events}{, we can't do both|; delivery wins every time|}.",
        "{Our|The} {waiting list|backlog} has {grown to|gone past|reached} <n> {months|weeks} {because|as} {we|the team} {can't|cannot} {recruit another worker|take on more staff|afford more counsellors}.",
        "{Nobody|No one} {applied for|came forward for} {our|the} {last|latest} {vacancy|job advert|post}{ - | because }{the pay can't|salaries can't|what we can offer doesn't} {compete|match up} {with|against} {the council|the NHS|statutory services|supermarkets}.",
        "{Board recruitment is|Trustee recruitment is|Trustee vacancies are} {a constant|an ongoing|a real} {struggle|headache|worry}{, especially finding a treasurer|; nobody wants the liability|}.",
        "{Bids|Applications} {get written|are done} by {me|the CEO|our director} {at weekends|on Sunday nights|at odd hours}{, which isn't sustainable| - that's the reality|}.",
        "{What|The thing} {we|small groups} {really|actually} {need|lack} {is|are} {hours|time|people}, {not|rather than} {another training course|more toolkits|another webinar}.",
        "{The|Our} {helpline|phone line|drop-in} {is open|is staffed} fewer {hours|days} {than before|than it used to be|than last year} {because|simply because} {there aren't|we don't have} enough {people|staff|volunteers}.",
        "{Every|Each} {consultation|survey|request for input} {arrives|comes} {with|on} a {two-week|tight|short} {deadline|turnaround}{, as if|; they seem to think} {we|small groups} {sit|are sitting} {around|about} {waiting|waiting for it}.",
        "{We|Small charities} {have|get} {no|zero} {HR|finance|admin} {support|staff|back office}, so {the|our} {manager|coordinator|CEO} {does|covers} {everything|it all} {from payroll to|including payroll and|from safeguarding to} {emptying the bins|the cleaning|IT}.",
        "{Demand has|Referrals have|Need has} {outstripped|overtaken|outgrown} {what|the hours} {we|our team} {can|could} {offer|cover}{ and we've closed the waiting list twice|; we had to close to new referrals|}.",
        "Losing {our|the} {development worker|bid writer|fundraiser} {meant|has meant} {no|fewer} {new|fresh} {bids|applications} {going in|this year}.",
        "{Being|As} {volunteer-run|volunteer-led|an all-volunteer group}{, everything|, every meeting|, each request} {comes out of|eats into} {someone's|people's} {evenings|spare time|day off}.",
    ],
    "collaboration_positive": [
        "We work {closely|well|hand in hand} with {other|fellow} local {charities|groups} "
        "through a {network|forum} for <service> and {refer to each other|share "
        "referrals|pass people on} {all the time|constantly|every week}.",
        "{Our {referral|working} {links|relationships} with <partner> are {good|strong|"
        "solid}|We have {good|strong|solid} {referral|working} links with <partner>}{ and "
        "we have a shared referral pathway|, with a joint pathway for clients|}.",
        "{Partnership working|Working in partnership|Joint working} is the only way "
        "{small groups|groups like ours|small charities|we} {survive|keep going|get by}.",
        "We {put in|submitted|made} a joint bid with <n> other {organisations|charities|"
        "groups} and it {worked really well|went well|was successful|paid off}.",
        "Being part of a consortium {lets us bid|allows us to bid|means we can bid} for "
        "{contracts|work|bigger pots} we couldn't {manage|handle|deliver} {alone|on our "
        "own|by ourselves}.",
        "The local VCSE {forum|network|alliance} is a {good|useful|decent} place to "
        "{share information|swap news|compare notes} and {avoid duplication|not tread on "
        "each other's toes|spot gaps}.",
        "We share {training, premises and sometimes staff|premises and training|a "
        "building and some training|a venue and a volunteer coordinator} with a "
        "{neighbouring|nearby|partner} {charity|group}.",
        "{Collaboration|Partnership|Joint work} works {best|well|properly} when {there is|you have|someone acts as} a {lead partner|lead organisation|coordinator} {who is|that is} {funded|paid|resourced} to {coordinate|hold it together|do the admin}.",
        "The network meets {monthly|every month|every six weeks|quarterly} and <opcc> "
        "{sometimes|occasionally|usually} {attends|comes along|joins}, which helps.",
        "We have a data-sharing agreement with {two|three|a couple of} partners so "
        "{clients|families|survivors|young people} only {tell their story|have to explain} "
        "once.",
        "Joint commissioning {across|between} <partner> and <opcc> would make "
        "{collaboration|working together} {easier|much easier|simpler}.",
        "A shared outcomes framework across the {partnership|network} has made reporting "
        "{simpler|easier|less painful}.",
        "We {co-deliver|run|jointly run} a {drop-in|weekly session|support group|youth night} with {two|three|a couple of} other {groups|charities} and it {works|holds together} {because|since} we {trust|know} each other.",
        "{Informal|Unofficial} {partnerships|links} with other charities are {strong|good} "
        "but they {rely on|depend on|hang on} personal relationships.",
        "We would {welcome|love|value} a {local directory|map|list|shared database} of {services|local support|who does what} so we {know|can see} who else is {out there|working locally|around}{ in <area>|}.",
        "{Without|If it weren't for} the consortium we {could never|wouldn't be able to} {go for|bid for|touch} {contracts|work} {that size|of that scale|like the <service> one}{ on our own|, full stop|}.",
        "{Sharing|Splitting} {a building|premises|a venue|an office} {and|plus} {training|some staff|a volunteer coordinator} with {another|a neighbouring|a sister} {charity|group} {keeps|has kept} {our|both our} costs {down|manageable}.",
        "{Running|Delivering} {a joint|a shared} {drop-in|group|session} with {other|partner} {groups|charities} {works|has worked} {well|brilliantly} {because|as} {there is|we have} {real|genuine} trust {between us|on all sides}.",
        "{Our|The} {forum|network} {lets|helps} us {compare notes|swap intelligence|keep track of who does what} and {stops|prevents} {two groups|people} {doing|running} the same {thing|project} {side by side|in the same street}.",
        "{Reporting|Monitoring} got {much|far|a lot} {lighter|easier} once the {partnership|network} {agreed|signed up to} {one|a single|a joint} set of outcomes.",
        "{Because|Since} {we|our partners and we} {signed|agreed} {a data-sharing agreement|an information sharing protocol|a data-sharing protocol}, {clients|families|survivors} {don't|do not} have to {repeat|retell} {their story|everything} {to each agency|over and over}.",
        "{Honestly|Really|Frankly}, {working together|partnership|pooling what we have} is {how|the only reason} {small|little|local} {charities|groups} {like ours|round here} {are still going|still exist|keep their doors open}.",
        "{Day to day|Most weeks|Week in, week out} we {pass|send} {referrals|people|clients} {back and forth|between us} with {the|other} {local|nearby} {groups|services} {working on|in} <service>.",
        "{Our|The} {best|strongest} {partnership|relationship} {is|has been} with {a|the} {local|neighbourhood} {police|PCSO} {team|sergeant} {who|that} {actually|genuinely} {refers people|turns up|picks up the phone}.",
        "{The|Our} {domestic abuse|DA|youth|VAWG} {forum|network} {means|has meant} {we|members} {know|understand} {each other's services|each other's criteria|what each of us offers} {and|so} {referrals|clients} {don't|do not} {fall through the gaps|get lost|bounce around}.",
        "{We|I} {meet|catch up} with {the|a} {housing|homelessness|drug and alcohol} {team|service|charity} {every|each} {fortnight|week|month} {to|and} {go through|talk about|discuss} {shared|joint|common} {cases|clients|families}.",
        "{Having a co-located|A co-located|Having a} {worker|IDVA|staff member} {in|at} {the|our} {police station|hospital|GP surgery|council offices} has made {a huge|a real|the biggest} {difference|improvement}{, referrals doubled|; cases come in much earlier|}.",
        "{What|The thing that} {helps|makes it work} {is|are} {people|individuals} {who|that} {stay in post|stick around|don't move on} {long enough|for years|} {to build trust|to get to know each other|and build trust}.",
        "{Lending each other|Sharing} {volunteers|a minibus|rooms|kit} {is|has been} {normal|routine|second nature} {here|round here|in our town}{, nobody keeps score|, it's a small place|}.",
        "{We piggyback|We rely|Our group relies} on {the|a} {larger|bigger} {charity's|partner's} {safeguarding|HR|finance} {policies|support|systems}{ and in return we|, and in exchange we} {run|deliver|host} {their|some of their} {groups|sessions|outreach} {locally|in <area>}.",
        "{The|Our} {CVS|council for voluntary service|infrastructure body} {pulls|brings} {us|groups} together {well|regularly|every quarter}{ and|;} {that|it} {is|has been} {the|our} {glue|lifeline|main link}.",
        "{Joint|Shared} {training|learning} {days|sessions} {with|across} {partners|the network|other groups} {build relationships that pay off|have built trust that pays off|build goodwill that helps} {later|when cases get tricky|in a crisis}.",
        "{Informal|Casual|Quick} {phone calls|WhatsApps|texts} {between|with} {managers|coordinators|workers} {get more done|sort more out|achieve more} than {any|the formal} {protocol|partnership board|structure}.",
        "{We|I} {co-wrote|put together|wrote} {a|our last} {bid|application} with {the|a} {neighbouring|nearby|sister} {group|charity|project}{ and|;} {both|we both} {got|ended up with} {more|a bigger share} than {we would|either of us would} {alone|on our own|separately}.",
        "{Honestly|Genuinely|Really} {the|our} {relationships|links} with {probation|the YOT|the council} are {better|stronger} {now|these days} than {five|ten|a few} years ago.",
    ],
    "collaboration_tension": [
        "It is {hard|difficult|awkward|tricky} to {collaborate|work openly|share openly} with {organisations|people|charities} you are {competing against|bidding against|up against} for the {same|very same} {contract|funding|pot|grant}.",
        "{Competition|The scramble|Fighting} for {funding|money|contracts} has made {some|a few|several} {partners|local charities|organisations} {guarded|cagey|wary|defensive} about {sharing|passing on} {information|what they know|data|contacts}.",
        "We {used to|once used to} work {well|really well|closely} {together|with them} {until|right up until|till} the {services|contracts|posts} were {put out to tender|tendered|recommissioned|re-let}.",
        "{Consortium|Joint|Partnership} bids {sound good|look good on paper|are fine in theory|are sold as fair} but the {lead partner|lead organisation|prime} {takes|keeps|holds on to} {most of the money|the lion's share|most of the budget|the management fee}.",
        "{Collaboration|Working together|Partnership work} {takes|eats} {time|staff time|effort|hours} and {nobody|no funder|no one} {funds|pays for|covers} {it|that}.",
        "{Larger|Bigger|National} {charities|providers|organisations} {come into|arrive in|parachute into} {the area|<area>|our patch}, {win|take|get} the {contract|tender|work} and {then|afterwards} {ask|expect|want} {local groups|us|smaller charities} to {deliver for free|do the work for nothing|deliver at cost|fill the gaps unpaid}.",
        "There {is|'s} a {tension|contradiction|conflict} {between|in} being {asked|told|encouraged} to {collaborate|work together|partner up} and {being|then being} {made|forced|expected} to {compete|bid against each other}.",
        "{Partnership meetings are|The partnership board is|Network meetings feel like} {a talking shop|all talk|a waste of time}; {nothing changes|nothing happens|nothing comes of them|the same issues come back}.",
        "{We'd|We would|Everyone would} {collaborate|work together|share} {more|far more} if the {funding|commissioning|money} {rewarded|encouraged} it instead of {pitting us against each other|setting us against each other|making us rivals}.",
        "{Some|A few|Certain} {organisations|partners|charities} {guard|hold on to|protect} their {referrals|clients|numbers} {because|since} their {funding|contract} {depends on|is tied to|is paid on} {numbers|volumes|throughput}.",
        "{Honestly|Sadly|If I'm honest|Truthfully} we {see|treat|think of} other {charities|groups|organisations} {more as|as} {competitors|rivals} now, which is {sad|a shame|not how it should be|not why we started}.",
        "If {funders|commissioners|the OPCC} {paid|rewarded} {for|us for} {joint working|collaboration|working together}, {we'd|people would|everyone would} {do|manage} {a lot|far} more of it{, but instead we're rivals|, instead of competing|}.",
        "{Being|You can't be} {partners|friends} {on Monday and {competitors|rivals} on Tuesday|one day and {competitors|rivals} the next}{ - that is where we are| is exhausting|, but that is the system|}.",
        "{Sharing|Passing on} {our|good} {ideas|practice|learning} {openly|freely} {is|feels} {risky|naive|daft} {when|if} {someone|another provider} {can|could} {lift|copy|use} {it|the idea} in {their|a rival} {bid|tender}.",
        "{The|This} {last|latest} {tender|re-procurement|retender} {split|divided|fractured} {a|the} {network|partnership|group} {that|which} {had taken years to build|took a decade to build|had been years in the making}.",
        "{Private|For-profit|Commercial} {providers|companies} {now|increasingly} {bid|compete} {for|against us for} {work|contracts} {we have|we've|local charities have} {always|long} {done|delivered}{, and they win on price|, and win on price|}.",
        "{We|I} {don't|won't|never} {refer|pass people} {to|on to} {one|a certain|a particular} {provider|service|organisation} {any more|now|anymore} {since|after} {they|it} {poached|took} {our staff|two of our workers|our best worker}.",
        "{Lead|Prime} {providers|partners} {treat|see} {subcontractors|smaller partners|us} {as|like} {cheap|free} {delivery|labour}{ and|,} {take|keep|skim} {a|a big|a hefty} {slice|cut|percentage} {off the top|in management fees|for admin}.",
        "{Competing|Bidding} {against|with} {friends|people we like|close partners} {is|feels} {horrible|awful|uncomfortable}{, honestly|, but that's the system|}.",
        "{Commissioners|The OPCC|Funders} {say|keep saying} {they want|they'd like} {collaboration|partnership|consortia} {but|yet} {then|still} {score|judge|assess} {bids|applications} {as if|like} {we|each of us} {were|are} {rivals|competing|on our own}.",
        "{Territorial|Protective|Defensive} behaviour {between|among} {some|certain|the bigger} {charities|organisations|providers} {makes|has made} {joint|shared} {working|planning} {near|almost|virtually} impossible.",
    ],
    "relationship_positive": [
        "<pcc> has been {very|really|genuinely|incredibly} {supportive|helpful|encouraging} and {visited|came to see|dropped in on} {our project|the service|us}{ in person| last year| twice|}.",
        "{The OPCC|The Commissioner's office|Our contact at the OPCC|The PCC's team} {is|has been} {approachable|easy to talk to|responsive|open} and {always|usually|nearly always} {replies to emails|gets back to us|answers emails} {quickly|within a day or two|promptly|the same week}.",
        "We have a {named|dedicated|single} contact at <opcc> who {understands|gets|knows} {our work|what we do|the client group}.",
        "We met <pcc> at a {network event|conference|forum meeting|local event} and {they were|he was|she was} {genuinely|really|very} {interested in|curious about} <service>.",
        "{Engagement|The relationship|Contact} has {improved|got better} {a lot|a great deal|noticeably|massively} since <year>.",
        "The {commissioning|grants} {team|officers|staff} at <opcc> are {helpful|supportive|straightforward} and {honest|realistic|upfront} about what is {possible|realistic|achievable}.",
        "<pcc> {attends|comes to|speaks at} our {annual conference|yearly event|members' day} and {takes|answers} questions from {members|the floor|everyone}.",
        "{Quarterly|Regular|Monthly} {meetings|catch-ups} with <opcc> {keep|help keep} us {informed|up to date|in the loop} about what is {coming up|planned|changing}.",
        "They {listened|took notice} when we {raised|flagged} {concerns|problems} about the {victims' pathway|referral process|new contract} and {changed it|made changes|acted on it}.",
        "{Good|A good|A decent} relationship overall{, they know|; they know|, the team knows} who we are and what we {do|offer}.",
        "The {OPCC|Commissioner's} {newsletter is|bulletin is|updates are} {useful|handy|helpful} for {keeping up with|following} what is {going on|happening|planned}.",
        "<pcc> {came to|visited|spoke at} our AGM and {spent time talking to|stayed to chat with|spent an hour with} the {young people|volunteers|women we support|families}.",
        "Our {contract manager|grants officer|main contact} at <opcc> is {flexible|understanding|pragmatic} when things {change|shift|go wrong} during the year.",
        "{They|<opcc>} {know|understand} {us|our work|who we are} {well|properly} and {the|our} relationship is {good|positive|solid} {overall|on the whole}.",
        "{Credit where it's due|In fairness|To give them credit}, {the|our} {OPCC|commissioning} {officer|lead|contact} {rings|calls|checks in with} us {every month|every few weeks|each quarter} {just|} to {see how we're doing|ask how things are going|check how things are}.",
        "{The|Our} {Deputy PCC|deputy commissioner|DPCC} {has been|is} {a real|a genuine|a strong} {champion|ally|advocate} for {our <service> work|us|the sector}{ and opens doors|, which opens doors|}.",
        "{When|After} {we|our manager} {raised|flagged} {an urgent|a serious} {safeguarding|funding} {issue|problem|concern}{, they|, the OPCC} {sorted|resolved|dealt with} it {within|inside} {days|a week|forty-eight hours}.",
        "{Things have got|Things got|It has got|It got} {much|a lot|far} better {when|once|since} {they|the OPCC} {appointed|brought in|took on} {a|a dedicated} {VCSE|voluntary sector|partnerships} {lead|officer|manager}.",
        "{We|I} {feel|have felt} {listened to|heard|valued}{, genuinely|, honestly|} - {the|our} {last|recent} {meeting|visit|conversation} {led to|ended in|resulted in} {a real change|an actual decision|a proper follow-up}.",
        "{Very|Really|Pretty} {positive|good|constructive}{ overall|, on the whole|}: {the|our} {grant|contract} {officer|manager} {understands|knows} {the|our} {client group|women we support|young people} and {doesn't|won't} {micromanage|nitpick|chase us for nonsense}.",
        "{The|Their} {surgery|drop-in|open} {sessions|days} {before|ahead of} {each|the} {funding round|deadline} {were|are} {really|genuinely|very} {useful|helpful|worthwhile}{ for a first-time applicant like us|, it was our first ever bid|}.",
    ],
    "relationship_negative": [
        "We have {never|not once} met <pcc> and {have no idea|don't know|couldn't tell you} who to {contact|speak to|ring} at <opcc>.",
        "{Emails|Our emails|Messages} to <opcc> {go unanswered|sit unanswered for weeks|go nowhere|disappear into a black hole}.",
        "<pcc> is {rarely|hardly ever|almost never} {seen|spotted|around} {outside|beyond} the {big towns|city|county town}.",
        "{Engagement|Contact|Any outreach} only {happens|comes} {around election time|when there is an election coming|when they need something}.",
        "{Staff turnover|Turnover|Constant staff changes} at <opcc> {means we keep having to|leaves us forever having to} {start the relationship again|start from scratch|explain who we are}.",
        "They only {contact|get in touch with|ring} us when they {want|need} {data|figures|numbers} or a {case study|story} for a {press release|newsletter}.",
        "We were {invited to|asked to} {one|a single} meeting <when> and {heard nothing since|have heard nothing since|that was it}.",
        "The {relationship|contact} is {entirely|all|only ever} {through|via} the police, {not|never} the Commissioner{'s office|}.",
        "It {feels like|looks like|seems} there is {an inner circle|an in-crowd|a favoured few} of {organisations|charities} who get the {access|invitations|ear of the PCC}.",
        "{Communication|Contact} is {poor|patchy|awful}: we {find out|hear} about {changes|decisions} from {other charities|the grapevine|social media}.",
        "There is {no|zero} {engagement|contact|relationship} {at all|to speak of} as far as I can {tell|see}.",
        "I {could not|couldn't} tell you what <pcc> has {done|achieved} for <sector> in {our area|<area>}.",
        "Meetings {get|are} cancelled at {short notice|the last minute} and {are rarely|hardly ever get|never get} {rearranged|rescheduled}.",
        "We've had {four|three|five} {different|separate} contacts at <opcc> in {two|three} years.",
        "They {seem|appear} more interested in {policing|the police|enforcement} than in {community safety|prevention|local groups}.",
        "{As far as I know|To my knowledge|Honestly} {there has been|we've had} {no|zero} {contact|engagement} {from|with} <opcc> {at all|in years|whatsoever}.",
        "{I|We} {emailed|wrote to|contacted} <opcc> {three|four|several} times {about|over} {the|a} {delayed|late|missing} {payment|grant letter} {before getting a reply|and eventually got a response|and got no answer}.",
        "{Honestly|Truthfully|} {I|we} {couldn't|could not} {name|tell you the name of} {our|the} {PCC|Commissioner}{, which says it all|, and that says something|}.",
        "{The|Our} {only|one} {contact|interaction} {this year|in the last year|for ages} {was|has been} {an automated|a generic} {email|newsletter|survey} {asking for|wanting|asking us for} {data|figures|case studies}.",
        "{They|The OPCC} {turn up|appear|show up} {for|at} {photo opportunities|launches|ribbon cuttings} {and|but} {aren't|are not|are never} {there|around|seen} {when|if} {things go wrong|services are struggling|we need them}.",
        "{It feels|It is|It's always} {very|quite|pretty} {one-way|top-down|transactional}{: they|, they|; they} {tell us|ask us for} {things|data|returns} {and|but} {never|rarely} {ask what we think|ask how clients are doing|want to know what we need}.",
        "{Since|After} {the|our} {old|previous|long-standing} {contact|officer|commissioning manager} {left|retired|moved on}{, nobody|, no one} {has|seems to have} {picked up|taken on|inherited} {our|the} {file|relationship|contract}.",
        "{The|Their} {office|OPCC} {feels|is|seems} {closed|distant|remote} {to|for} {small|little|local} {groups|charities} {like us|round here|in <area>}{, it's all the big names|; the big names get the access|}.",
    ],
    "representation": [
        "{Small|Smaller|Tiny} {grassroots|community} and by-and-for {groups|organisations} are {rarely|hardly ever|seldom} {heard|listened to|in the room}{ when decisions are made| in <area>|}.",
        "{Organisations|Groups|Charities} {led by|run by} Black and minoritised communities are {under-represented|missing|barely present} in {these|the} {conversations|discussions|forums|meetings}.",
        "The {same|usual} {large|big|few} {charities|providers} {speak for|represent|talk for} <sector> at {every meeting|every table|every event}.",
        "{Rural|Village|Countryside} {groups|charities} are {left out|forgotten|excluded} {because|as} {everything happens|it all happens|all the meetings are} in the {city|county town|big towns}.",
        "{Victims'|Victim} {organisations|services} get a {voice|hearing} but {services for {offenders|people who have offended} are|work with {offenders|people who have offended} is} {seen|treated} as less {deserving|worthy|important}.",
        "{Work|Working} with {people who have offended|offenders|prison leavers} is a {harder|tougher} {sell|case to make}, even though it {prevents|stops} the next {victim|crime}.",
        "{Disabled people's organisations|Deaf and disabled groups|Disability charities} are {not|never} at the {table|meetings}.",
        "Lived experience {should be|needs to be|has to be} part of {decision-making|how decisions are made|the decisions}, not {just|only} a {quote|case study} in a {report|press release}.",
        "Welsh language provision is {often|usually|always} an {afterthought|add-on}.",
        "Young people are {talked about|discussed} {a lot|endlessly|constantly} but {never|rarely} {talked to|asked}.",
        "LGBTQ+ {groups|organisations} are {invisible|absent|nowhere} in the Police and Crime Plan.",
        "{Women's organisations|Specialist women's services} {have to fight|struggle} to be {heard|noticed} {alongside|next to} the {big|large} generic providers.",
        "{The|This} plan {says|has} {nothing|next to nothing|not a word} {about|on} {LGBTQ+|queer|LGBT} {people|communities|victims}{ or the groups that support them| at all|}.",
        "{Black-led|Minoritised-led|Black and minoritised led} {groups|organisations|charities} {hardly ever|rarely|almost never} {get|have} a {seat|voice|say} {when priorities are set|where decisions are made|when decisions are taken}.",
        "{People|Survivors} with lived experience {are asked for a {quote|story}|are invited to give a {quote|story}} {but|and} {never|not} {brought into|involved in} {the decisions|the room where decisions happen}.",
        "{Generic|Big generic|Large} providers {crowd out|drown out|overshadow} {specialist women's|women-only|by-and-for women's} services in {every {conversation|discussion|meeting}|most {conversations|discussions|meetings}}.",
        "{Older|Elderly} {victims|people} {don't|rarely|hardly ever} {feature|appear|come up} {in|anywhere in} {the|any} {plan|priorities|conversations}{ despite scams being everywhere|, even with fraud rising|, despite all the scams|}.",
        "{Male|Men who are} victims {of|experiencing} {domestic abuse|abuse} {get|are} {overlooked|forgotten|left out}{, and|;} {services|groups} for {them|men} {struggle|fight} to {be heard|get a hearing|get a look in}.",
        "{Faith|Church|Mosque|Temple} {groups|communities} {do|carry out} {a lot of|huge amounts of|plenty of} {unseen|quiet|unrecognised} {work|support} {but|and} {are|get} {rarely|seldom|never} {invited|asked|included}.",
        "{Gypsy, Roma and Traveller|Traveller|Roma} {communities|families|people} {are|get} {talked about|policed} {rather than|more than|but never} {engaged|listened to|consulted}.",
        "{Neurodivergent|Autistic} {young people|people|adults} {in contact with the criminal justice system|in the justice system|going through the courts} {are|remain} {barely|hardly|not} {mentioned|recognised|considered}.",
        "{Refugee|Migrant|Asylum seeker}{ led|-led} {groups|organisations} {have|hold} {trust|relationships} {that|which} {the police|statutory services} {don't|do not|will never}, {yet|but} {they|these groups} {aren't|are not|are never} {in the room|at the table|asked}.",
        "{The|Their} {reference group|advisory panel|VCSE panel} {is all|is mostly|is largely} {big|large|well-known} {names|charities|organisations}{ - no one under <amount> turnover| and no grassroots voices|}.",
        "{Being|As} a {small|tiny|little} {group|charity} {in|from} {a|the} {smaller|poorer|outlying} {town|district|estate}{, you|, we} {just|simply} {don't|do not} {register|exist|show up} {on their radar|for them|in their thinking}.",
        "{Sex workers|Women involved in sex work} {and|plus} {the|the small} {projects|groups} {that|who} {support|work with} {them|these women} {are|remain} {completely|totally|entirely} {invisible|absent} {in the local plan|from the strategy|in the plan}.",
        "{Deaf|Disabled|Learning disabled} {victims|people} {face|hit} {barriers|obstacles} {at|in} {every|each} {stage|step} {and|but} {no one|nobody} {asks|consults} {the|their} {groups|organisations} {that support them|who know them best|that know them}.",
        "{Diversity|Equality} {is|gets} {a|one} {paragraph|line|section} {in|of} {the plan|their plan|the strategy}{ and then forgotten|, never a budget line|, nothing more}.",
        "{Representation|Whose voice counts} {shouldn't|should not} {depend|rest} {on|upon} {who|whoever} {can|has the time to} {turn up to|attend} {a|every} {weekday|daytime|mid-morning} {meeting|board}.",
    ],
    "uncertainty": [
        "There is {a lot of|real|constant|huge} uncertainty about whether PCCs will {continue|survive|last|be around}, which makes {long-term planning|planning|any planning} {hard|difficult|almost impossible}.",
        "{Every|Each} election {brings|means} {new|different} priorities and we {start again|start from scratch|go back to square one}.",
        "The change of Commissioner <when> meant our {funding|grant} was {paused|frozen|on hold} for {months|most of a year|a long time}.",
        "{Shifting|Changing|Constantly changing} {government|national} policy on {victims' services|victims} makes {everything|all of it|planning} {uncertain|unpredictable|a guessing game}.",
        "We {don't|do not|still don't} know if our {contract|grant} will be {renewed|extended} {next March|in April|at the end of the year}.",
        "Home Office {funding|money} is {confirmed|agreed} so late that <opcc> can only {offer|give out} {short-term|one-year} {grants|awards}.",
        "If PCC {functions|powers} {move|pass} to {mayors|combined authorities} we {have no idea|don't know} what {happens|will happen} to our {funding|contract}.",
        "Ministry of Justice {grant conditions|rules} keep {changing|shifting} {year to year|every year|each round}.",
        "{Nobody|No one} can {tell us|say} what happens {after|when} the {current|present} {funding round|round|grant} {ends|finishes}.",
        "{Not knowing|Nobody knowing} whether the PCC {role|model} {will survive|has a future} {makes|leaves} {us|planning} {unable to plan|stuck|in limbo}.",
        "{After|When} the {new|last} Commissioner {came in|was elected} {everything|our grant|the funding} {was|got} {put on hold|frozen|paused} {for months|until the new plan|for most of a year}.",
        "{Because|As} {the Home Office|national funding} {confirms|agrees} {money|budgets} so late, {the OPCC|the Commissioner's office} {can only|is only able to} {offer|give} {one-year|short} {grants|awards}.",
        "{With|Given} the {election|PCC election} {coming up|in May|around the corner}{, everything|, all our funding|, the whole programme} {is|feels} {on hold|in the air|up in the air}.",
        "{We|I} {genuinely|honestly|} {don't|do not} know {whether|if} {we'll|we will} {have|still have} {a contract|our service|funding} {in|after|by} {April|the spring|next year}.",
        "{Talk|All the talk|The talk} {about|of} {merging|folding} {PCCs|the PCC role} into {mayors|mayoral authorities|combined authorities} {leaves|has left} {everyone|us|partners} {guessing|nervous|in limbo}.",
        "{Each|Every} {new|incoming} {Commissioner|PCC} {wants|brings} {their own|a new|a shiny} {flagship|pet} {project|scheme|initiative}{, and|;} {the old ones|what was working|existing services} {get|are} {dropped|quietly dropped|starved}.",
        "{National policy seems to|Government policy seems to|Government priorities} {change|shift|lurch} {with each new|every time there's a new} {minister|Home Secretary}{, and|;} {we|local services} {are|get} {left|expected} to {catch up|adapt|follow}.",
        "{The|Our} {grant|funding} {letter|confirmation|agreement} {arrived|came through|landed} {in|on} {late March|the last week of March|31 March} {for|covering} {work|a service} {starting|from} {1 April|April}.",
        "{Staff|Our team|Two of our workers} {have been|were} {given|issued} {protective|at-risk|redundancy} notices {every|each} {January|spring|year} {for|over} {the last|the past} {three|four} years{, just in case|, then kept on|}.",
        "{Nobody|No one} {at|from} <opcc> {could|would|was able to} {say|tell us|confirm} what {the|their} {priorities|budget} {would be|will be} {after|beyond} {the election|next May|this year}.",
        "{Policy|Direction} {keeps|seems to keep} {swinging|flipping|changing} {between enforcement and prevention|from policing to prevention and back|between policing and early help}{ depending on who is in charge|, depending on the politics|}.",
        "{The|This} {uncertainty|not knowing} {is|has been} {exhausting|draining|wearing}{, frankly|, to be blunt|} - {we|the board} {plan|have plans} {for|covering} {three|several|two} {different|separate} {scenarios|futures|outcomes}.",
        "{Ministry of Justice|MoJ} {victims'|victim services} {money|grant} {came|was announced} so late {again|this year|last year} that {the OPCC|commissioners|everybody} {had to|were forced to} {roll over|extend|rush} {contracts|grants|everything}.",
        "{We|I} {worry|fear} that {the|a} {next|new} {PCC|Commissioner} {will not|might not|won't} {see|treat} <service> {as|like} {a priority|important|core business} {at all|anymore}.",
        "{Goalposts|The criteria|The rules} {move|moved|shift} {between|from one} {rounds|round to the next|years}{, so|;} {what|something} {got funded|worked} {last time|last year} {is|gets} {now|suddenly} {ineligible|out of scope|not a priority}.",
        "{Local government|Council} {reorganisation|restructuring} {on top of|alongside|plus} {the|a} {PCC|Commissioner} {election|change} {means|has meant} {all|every one} of our {contacts|relationships} have {changed|moved on|gone}.",
    ],
    "sustainability": [
        "{Sustainability|Survival} is the {big|biggest} {worry|concern}: our reserves will {run out|be gone} within {a year|eighteen months|two years}.",
        "We {want|need|are trying} to {diversify|broaden} {income|our income} but {trading|selling services|earned income} is {hard|tough|unrealistic} for a {service|charity} like ours.",
        "{Projects|Pilots} {end|finish|stop} just as they {start to work|bed in|get going} and the {learning|knowledge|expertise} is lost.",
        "We {have had to|had to} {close|cut|end} a service {despite demand {increasing|going up|rising}|even though demand is {growing|rising}}.",
        "Without {core funding|core money|unrestricted funding} we {will not|won't} be {here|around|open} in {two|three} years.",
        "We {are|'re} {relying|dependent} on {one|a single} funder for {most|two thirds} of {our income|the budget}, which is {risky|a worry|precarious}.",
        "Demand has {doubled|gone up by half|soared} since <year> while {our income|funding} has {stayed flat|not moved|fallen}.",
        "The cost of living {crisis|squeeze} has {hit|hammered} {donations|our fundraising|local giving} {hard|badly}.",
        "{Two thirds|Most|The majority} of {our|the} {income|money} {comes from|is from} {one|a single} {funder|source}{, so|;} {if they pull out|should it stop|if that goes} we {close|are finished}.",
        "{Demand|Need} {keeps|is} {going up|rising|growing} {but|and yet} we {had to|have had to} {shut|close|stop running} {one of our services|a service|our evening group}.",
        "{Every|Each} {pilot|project} {we run|we get funded for} {ends|finishes} {just|right} {when|as} it {starts to show results|is bedding in|is working}.",
        "{We have|Our board has} {set|agreed} {a|the} date {when|on which} {we|the charity} {will|would} {close|wind up|fold} {if|unless} {the|our} {main|core} {grant|funding} {isn't|is not} {renewed|confirmed}.",
        "Our reserves policy {says|said} {six|three} months{, we're|, we are|; we're} {down to|at|under} {six weeks|two months|one month}.",
        "{The|A} {specialist|dedicated} <service> {service|project|worker} {we|that we} {built|set up|developed} over {ten|five|eight} years {closes|ends|finishes} {in March|in June|at the end of the year} unless something changes.",
        "{Long-term|Multi-year|Secure} {funding|money} {is|would be} {the|the single|the one} {thing|change} {that|which} {lets|would let} us {keep|hold on to} {experienced|trained|skilled} {staff|workers|practitioners}.",
        "{We keep|We end up} {reinventing|rebadging|dressing up} {the|our} {same|core} {work|service} as {something new|a new pilot|a new project} {just|simply} to {get|keep} {funded|the money coming}.",
        "{Trading|Earned income|Selling training} {brings in|makes|covers} {a little|some|a bit} {but|yet} {it|that} {won't|will never|can't} {pay for|cover} a {IDVA|caseworker|counsellor}.",
        "{Hand to mouth|Month to month|Year to year} {is|has been} {how|the way} {we|we've} {lived|survived|operated} {for|over} {a decade|ten years|years}{ and it's exhausting|; it's no way to run a service|}.",
    ],
    "digital": [
        "Every funder has a {different|separate} {online portal|login|system} and {the systems|they} are {clunky|awful|painful}.",
        "Our IT is {old|ancient|falling apart} and we {can't|cannot} get {funding|money} to replace {laptops|our computers|the kit}.",
        "{Cyber security|IT security|Data security} {requirements|clauses} in contracts are {hard|difficult} for a {small|little} {charity|organisation} to {meet|comply with}.",
        "{Case management|Client record} software would {save us|free up} {hours|days} but {nobody|no one|no funder} {funds|pays for} it.",
        "{Online|Virtual|Teams} meetings have {made it|made things} {easier|simpler} {to engage|to keep in touch|for us to talk} with <opcc>.",
        "{Some|Many|A lot} of our {volunteers|older volunteers} {aren't|are not} {confident|comfortable} online, so {digital-only|online-only} {consultations|surveys} {exclude|shut out} them.",
        "The {e-tendering|procurement|bid} portal {crashed|went down} on the {deadline day|last day|closing date}.",
        "We need {help|support} with our {website|online presence} and social media to {reach|find} {people|new clients}.",
        "{Our|The} {website|online presence|Facebook page} is {out of date|tired|basic} and we {don't|do not} have {the skills|anyone} to {sort|fix|update} it.",
        "{A proper|Decent|Any} case {recording|management} system would {give us back|save} {hours|a day} a week{, but|; sadly} {no funder|nobody} will {pay for it|fund it|pay for the licence}.",
        "{Half|Most|All} of our {laptops|computers|machines} are {second hand|donated|hand-me-downs}{ and|,} {running|still on} {old|out of date|unsupported} {software|Windows}.",
        "{We|I} {spend|waste|lose} {hours|ages|whole afternoons} {re-entering|copying|typing} {the same|identical} {figures|data|information} into {different|separate|three} {funders'|commissioners'} {portals|systems|spreadsheets}.",
        "{The|Our} broadband {at|in} {the|our} {office|centre|building} {is awful|keeps dropping out|is patchy}{, so|;} {Teams calls|online meetings|video calls} {are|can be} {a nightmare|impossible|a struggle}.",
        "{Clients|Survivors|The people we support} {often|frequently|mostly} {don't have|lack|can't afford} {data|a smartphone|wifi}, so {online|digital} {support|services} {only|} {reach|help|work for} {some|a few|part} of them.",
        "{A|One} {cyber|phishing|scam} {attack|email|incident} {last year|in the spring|recently} {cost us|took out|wiped} {a week|days|our email}{ and we had no insurance|, and nobody would fund the fix|}.",
        "{There's|There is} {no|zero} {money|budget|funding} for {IT support|tech support|an IT contract}{, so|;} {our treasurer's son|a volunteer|the manager's husband} {fixes|sorts} {things|the computers} {when|if} he {can|has time}.",
        "{Microsoft|Software} {licences|subscriptions} {went up|have gone up|rose} {again|sharply|a lot} {and|but} {the grant|funders|the contract} {won't|doesn't|will not} {cover|pay for} {it|them|overheads like that}.",
        "{Going|Moving} online {during|in} {lockdown|covid|the pandemic} {actually|genuinely|} {helped|opened up|widened} {access|our reach} for {some|rural|disabled} {clients|people|service users}, {but|though} we lost {others|the ones who most need face to face|touch with some}.",
        "{We'd|We would} {love|like} {a|some} {digital|IT} {champion|volunteer|support} {to|who could} {help|show} {staff|us|the team} {use|get the most out of} {the tools|the systems|what we have}.",
        "{Online|Digital} {safeguarding|safety} for {young people|the kids we work with|children} {is|has become} {a|a huge|a growing} {part|chunk} of {the work|what we do}{ and we're not trained for it|, with no extra funding|}.",
        "The {OPCC's|commissioner's|new} {reporting|grants|monitoring} {portal|system|platform} {logs you out|times out|crashes} {halfway through|mid-way through|before you finish}{, so you lose everything|, losing your work|}.",
        "{Data|Client data} {still|} {lives|sits} {in|on} {paper files|spreadsheets|a filing cabinet} {because|as} we {can't|cannot} {afford|justify} {a|a proper} {CRM|database|system}.",
        "{Social media|Facebook|Instagram} is where {most|many} {referrals|young people|clients} {come from|find us|reach us} {now|these days} {but|and} {nobody|no one} {funds|pays for} {the time|comms work|someone to run it}.",
        "Accessibility on {funders'|the} {portals|forms|websites} is {poor|terrible|an afterthought}{, which matters for our disabled staff|, our blind trustee can't use them|}.",
    ],
    "premises": [
        "Our rent has {gone up|risen} by {a third|forty per cent|a lot} and the {landlord|owner} wants a {five-year|long} lease.",
        "{Energy|Heating} bills for {the building|our premises} have {doubled|gone through the roof}.",
        "We may {lose|have to leave} our {premises|base} when the council {sells|disposes of} the {community centre|building}.",
        "Finding a {safe|safe,} accessible {venue|space} for {survivors|clients} is a {constant|real} {problem|headache}.",
        "{Funders|Most funders} will pay for {staff|posts} but not for the {building|space} we {deliver from|work out of}.",
        "A {shared|joint} community {hub|building} would {help|suit} {several|a few} groups in the {area|town}.",
        "We {operate|work} from a {church hall|scout hut|portakabin} that is {damp|cold} and not {really|remotely} fit for purpose.",
        "{The council|Our landlord} {plans to|may} {sell|dispose of} {the|our} {building|community centre|hall}{, which would leave us homeless| and we have nowhere else|}.",
        "{There is|There's} {nowhere|hardly anywhere} {safe|suitable} and accessible {to meet|to see} {survivors|clients} {in|around} <area>.",
        "{We|Our group} {meet|work} {in|from} {a|the} {borrowed|rented|shared} {room|office} {above|behind|next to} {a|the} {shop|pub|library}{, it's all we can afford|, and it's not private|}.",
        "{Survivors|Clients|Women} {need|deserve} {a private room|a confidential space|somewhere safe and private} {to talk|for appointments}{, and|;} {we|at the moment we} {can't|cannot} {offer|guarantee} {it|that|one}.",
        "{Our|The} {lease|tenancy} {ends|runs out|is up} {next year|in the spring|soon} {and|but} {nothing|no landlord|no one} {else|nearby} {will|would} {take|have} {us|a charity} {at|for} {a price we can pay|a rent we can afford|what we can pay}.",
        "{Insurance|Buildings insurance|Maintenance} {for|on} {the|our} {hall|centre|building} has {gone up|doubled|risen} {again|this year|a lot}{, nobody funds that|, no funder covers it|}.",
    ],
    "volunteer_wellbeing": [
        "Our {volunteers|staff|team} hear {very|really} {difficult|harrowing} {stories|things} and we {can't|cannot} afford {clinical supervision|proper supervision}.",
        "{Burnout|Exhaustion} {among|for} {staff and volunteers|the team|our people} is a {real|serious} {risk|worry}.",
        "{Vicarious|Secondary} trauma is {not|never} {recognised|accounted for} in {funding agreements|contracts}.",
        "Volunteer numbers {dropped|fell} {after|since} the pandemic and {haven't|have not} {recovered|come back}.",
        "We need {funding|money} for {wellbeing|staff} support for {frontline|our} {staff|workers}.",
        "{Staff|The team} are {exhausted|worn out}; {some|a few} have left the {sector|work} {altogether|for good}.",
        "Volunteer expenses {are not|aren't} {covered|paid}, which {excludes|rules out} {people on low incomes|anyone on a low income}.",
        "{Volunteers|Our volunteers} {pay|cover} their own {expenses|travel}{, which|; that} {shuts out|excludes} {anyone on a low income|people on benefits|people on low incomes}.",
        "{Two|Three|A couple} of our {best|longest-serving|most experienced} volunteers {stepped back|left|walked away} {last year|this year|over the winter} {after|following} {a run of|a string of|some} {heavy|grim|distressing} {cases|calls|disclosures}.",
        "Nobody {funds|pays for} {debriefs|debriefing|reflective practice}{, so|; so} {our helpline volunteers|the volunteers on the phones|our befrienders} {take it home|carry it home|go home carrying it}.",
        "{We lost|We've lost|We have lost} {half|a third|most} of our volunteer {pool|base|team} {since covid|in the pandemic|over lockdown}{ and never got them back|, they never came back|}.",
        "{The older volunteers|Our retired volunteers|The people who used to volunteer} {are|have been} {shielding|nervous|cautious} {since covid|since the pandemic} and {younger ones|students|younger people} {stay for six months|stay a term|come for a few months} {then move on|and move on|and go}.",
        "{My|Our} {staff|team} {are|have been} {running on empty|running on fumes|on their knees} {since|for} {the winter|about a year|months}.",
        "{I worry|I do worry|Honestly I worry} about {my|our} {caseworkers|support workers|IDVAs|team}; {they carry|they are carrying|they have} {far too many|way too many} {cases|clients} {and|while} {sickness|time off|stress leave} {is|has been} {rising|going up|creeping up}.",
        "{Clinical supervision|Supervision with a therapist|External supervision} {costs|is} about <amount> a year {and|but} {no funder|no commissioner|not one funder} {will|would} {include|cover|fund} it{, it's madness|, which is short-sighted|}.",
        "{Secondary|Vicarious} trauma {is real|is a real thing|is very real} {and|but} {the|our} {contracts|grant agreements|specs} {pretend|act as if} it {doesn't exist|isn't there|is not there}.",
        "We {pay|cover} {volunteer expenses|volunteers' travel|mileage for volunteers} {out of|from} {our own|unrestricted|what little unrestricted} {money|funds|reserves}{ because the grant won't|, the grant doesn't allow it|}.",
        "{Some|Several|A few} of our volunteers {have|bring} {their own|personal|lived} experience {of|with} {abuse|the justice system|addiction|crime} {and|so} {need|deserve|should have} {proper|real|decent} {support|care|looking after} {too|as well|themselves}.",
        "{Sick leave|Stress-related absence|Staff sickness} {has doubled|is up|keeps rising} {and|so} {cover|covering it} {falls|lands} on {whoever is left|the rest of the team|me}.",
        "{Wellbeing|Self care|Looking after staff} is {always the first thing|the first thing|usually the first thing} {cut|dropped|to go} {when|once} {budgets|money|grants} {get tight|shrink|are squeezed}.",
        "{I've|I have} {personally|} not {had|taken} a {proper|real|full} {holiday|week off|break} in {two|three|over two} years{.|, which isn't healthy.|, and I'm not alone.}",
        "{Our|The} {volunteer coordinator|volunteer manager} {post|role} {was|got} {cut|lost|axed} {in|at} the last {round|budget|funding round} {so|and now} {volunteers|they} {feel|are} {unsupported|cut adrift|left to it}.",
        "{Burnout|Compassion fatigue} {is|has become} {the norm|normal|routine} {in this line of work|in our field|in this sector}{ and it shouldn't be|, nobody talks about it|}.",
        "{People|Staff|Volunteers} {come|join} {because they care|with huge commitment|wanting to help} {and|but} {leave|burn out|go} {exhausted|within a year|disillusioned}.",
    ],
    "data_sharing": [
        "{Data sharing|Sharing information} with the police is a {nightmare|mess}; {nobody|no one} will {sign|agree to} {a data sharing agreement|an information sharing protocol|a data sharing protocol}.",
        "We {worry|are nervous|get anxious} about GDPR when {referrals come through|case details arrive|risk information turns up} by email.",
        "<opcc> {asks for|wants|changes the way it wants} monitoring {data|figures} in a {different|new} {format|template|spreadsheet} every {quarter|time}.",
        "{Outcome monitoring takes|The monitoring takes|Data returns take|Data returns eat up} more {time|hours} than the {actual|real} {support sessions|work with clients|support}.",
        "We {collect|hand over|send off} {lots of|masses of|a lot of} {data|information} but {never|rarely|don't} {see|hear} what {happens to it|they do with it|comes of it}.",
        "A {common|shared|single} {monitoring|reporting} {framework|template} {across|for all|used by all} {funders|commissioners} would {help enormously|help a lot|save us hours}.",
        "{Partners|Agencies} {won't|will not} share {information|anything} about {risk|high-risk cases} because of {data protection|GDPR} {concerns|worries}.",
        "{Getting|Trying to get} {the police|partners} to {agree|sign} {an information|a data|any data} sharing {protocol|agreement} has {taken months|taken over a year|been going on for months|taken forever}.",
        "{Referrals|Case files} {arrive|come in} {by|via} {plain|ordinary} email, which {worries|bothers} us {from a GDPR point of view|from a data protection angle|on data protection grounds}.",
        "{The police send|Our local force sends|The force sends} {us|over} {referrals|details} {with half the information missing|with no risk assessment|missing contact details}{ and we have to chase|, so we chase for days|}.",
        "{Each|Every} {agency|partner|organisation} {has|uses} {its own|their own|a different} {consent form|consent wording|data protocol}{, so|; so} {clients|families} {sign|fill in} {three|four|endless} {forms|versions}.",
        "{MARAC works|The MARAC process works|Multi-agency meetings work} {only|} {because|since} {people|staff|colleagues} {share|talk} {informally|off the record|before the meeting}{, not because of the protocol|, the paperwork lags behind|}.",
        "{We've|We have} {asked for|requested|been asking for} {anonymised|local|basic} {crime|police} data {for our bids|for a funding application|to support a needs assessment} {and|but} {never|not once|still haven't} {got|received|had} it.",
        "{Information governance|IG|Data protection} {officers|leads|teams} {at|in} {the council|the NHS trust|the force} {say no|refuse|block it} {first|by default} {and|then} {ask questions|think|look at it} {later|afterwards|never}.",
        "{Our|The} {outcomes|impact} {data|figures|numbers} {go|get sent} {to|up to} <opcc> {every quarter|quarterly|four times a year} {and|but} {disappear|vanish|go nowhere}{; we never see a summary|, no one reports back|}.",
        "{We|I} {would|'d} {share|pool} {more|data} with {partners|other charities|the network} if {there were|we had} {a simple|one|a clear} {template|agreement} {everyone|all of us} {signed|used}.",
        "{Asking|Getting} {survivors|victims|clients} to {consent to|agree to} {data sharing|information being shared|their details being passed on} {when|while} {they're|they are} {in crisis|at their lowest|just disclosed} {feels|is} {wrong|awful|inappropriate}.",
        "{Monitoring|Data} {returns|requests} {ask for|want|count} {outputs|heads|contacts}, {not|never} {what|whether} {actually|really} {changed|changes|improved} for {people|the person|families}.",
        "{Secure|Encrypted|Egress} email {with|to} the police {needs|takes|requires} {a different|a separate|yet another} {login|account|password} {for|with} {every|each} {force|partner}{, which is daft|}.",
        "{Sharing|Passing on} {risk|safeguarding} {information|concerns} {quickly|in time} {saves lives|matters}{, and|;} {right now|at present} {it|the system} {relies on|depends on} {who you know|goodwill|a few good officers}.",
        "{I|We} {spend|lose} {a day|two days|most of a week} {each|every} {quarter|month} {just|} {on|doing} {monitoring|data} {returns|spreadsheets|reports} for {funders|commissioners|different funders}.",
        "{Nobody|No one} {tells us|lets us know} what {the police|partners} {do|did} with {our|a} {referral|safeguarding report}{, the loop is never closed|, so we never know if it helped|}.",
        "{We|I} {have|hold} {really|genuinely|} {useful|rich|good} {data|insight} on <service> {locally|in <area>} {that|which} {nobody|no one|the OPCC never} {asks for|uses|looks at}.",
    ],
    "rural_transport": [
        "We {cover|serve} a {large|huge|very|mostly} rural {area|patch|county} and there {is|'s} {no bus|no public transport} after {6pm|teatime|five}.",
        "{Clients|People|Service users} {can't|cannot|struggle to} get to {appointments|sessions|us} {because|since} {public transport has|the bus service has|the buses have} been {cut|reduced}.",
        "{Mileage|Travel|Fuel} {costs|expenses} for {outreach|home visits} {are not|aren't} {covered by|funded by|included in} the {grant|contract}.",
        "{Rural|Geographic} isolation {makes it|means it is} {hard|harder} to reach {victims|people|survivors} who {need us|need help}.",
        "{Meetings|Anything} in the city {means|is} a {two hour|ninety minute} round trip for {our staff|us|our one worker}.",
        "{Transport|Getting transport} for young people to {attend|get to} {sessions|groups} is a {big|major} {barrier|problem}.",
        "{Young people|Teenagers|Kids} {can't|struggle to} {get to|reach} {our|the} {sessions|groups|youth nights} {without|unless we pay for} {transport|a taxi|lifts}.",
        "{Any|Every} {meeting|event} in the city {costs|takes} {our worker|us} {most of|half} a day {in travel|on the road}.",
        "{The|Our} {nearest|closest} {refuge|court|police station|custody suite} is {forty|thirty|fifty} {minutes|miles} {away|from most of our clients}{ by car|, and most of them don't drive|}.",
        "{Getting|Taking} {a victim|someone|a client} to court {can|could} {take|mean} {two buses|three buses|a whole day}{ each way|}{, and we pay the fares|, if the buses run|}.",
        "{Rural|Village|Farming} {communities|areas} {have|get} {hidden|unseen|unreported} {abuse|crime|exploitation} {that|which} {the|police} {figures|data|statistics} {never|don't} {show|pick up}.",
        "{Funding|Money} {is|gets} {shared out|allocated|handed out} {by|on} {population|numbers|volume}, {which|and that} {ignores|forgets|penalises} {the cost of covering|the cost of reaching|how expensive it is to cover} {a|our} {sparse|spread-out|rural} {area|patch}.",
        "{Our|The} {outreach|support} workers {drive|clock up} {hundreds|thousands} of miles {a month|each month|a year} {and|but} {mileage|fuel} {is barely covered|isn't covered|is never paid in full}.",
        "{Mobile|Phone} {signal|coverage} is {poor|non-existent|patchy} {in|across} {parts|much} of {the|our} {patch|county|valley}{ so|, which means} {remote|phone|online} support {isn't|is not} {an option|always possible|reliable}.",
        "{Everyone knows everyone|Everybody knows your business} {in|round} {a village|small villages|our villages}{, so|;} {victims|people} {don't|won't} {come forward|ask for help|use a local service} {for fear of|because of} {gossip|being seen|people talking}.",
        "{Taxis|Lifts} {for|to get} {clients|survivors} {to|into} {appointments|town|the hub} {eat|take} {a big|a real|a serious} {chunk|bite|slice} {of|out of} {our|the} {small|} {budget|grant}.",
        "{Town|City}-based {services|hubs|projects} {get|win} {the|most of the} {money|funding}, {but|yet} the need {in|across} {the|our} {market towns|villages|rural areas} is {just as|every bit as} {real|high|great}.",
        "{Winter|Bad weather|Flooding} {cuts off|isolates} {some|a few|several} {villages|hamlets|farms} {for days|completely|for a week}{, and|;} {clients|people} {can't|cannot} {reach|get to} {us|anyone}.",
        "{A|One} {lot|contract} {covering|for} the {whole|entire} {county|force area} {suits|works for} {city|urban|big} providers, {not|never} {those|us} {who|that} {know|work in} {the villages|our villages|the hills}.",
        "{Young people|Teenagers} {in|from} {villages|rural areas} {can't|have no way to} {get|reach} {anywhere|town|a youth club} {after school|in the evening|at night}{, which is when they're most at risk|, and that's when trouble starts|}.",
    ],
    "thanks": [
        "{Thank you|Thanks} for {running|doing} this survey.",
        "Thanks for the {opportunity|chance} to {feed back|have a say}.",
        "{Good|Glad} to see this being {looked at|taken seriously}.",
        "Happy to {talk further|discuss}.",
        "Hope this {helps|is useful}.",
        "I hope the {findings|results} are shared with <opcc>.",
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
    "In <area>, ",
    "Frankly, ",
    "Speaking for our organisation, ",
    "Where we are, ",
    "Looking at the last few years, ",
    "Right now, ",
    "Put simply, ",
    "For what it's worth, ",
]
SMALL_OPENERS = [
    "As a small charity, ",
    "For a group our size, ",
    "Being a small organisation, ",
    "As a tiny team, ",
    "With only a handful of staff, ",
]
#: Words a respondent may put in front of a sentence; each respondent has a few favourites.
HEDGES = [
    "Honestly, ",
    "To be fair, ",
    "I think ",
    "In my view, ",
    "Frankly, ",
    "Basically ",
    "The reality is that ",
    "For us, ",
    "In practice ",
    "I'd say ",
    "Really, ",
    "Quite simply, ",
    "If I'm honest, ",
    "I would say ",
    "Realistically, ",
    "From where we sit, ",
    "Locally, ",
]
#: Words that link a sentence to the one before (never the first of an answer).
CONNECTIVES = [
    "Also ",
    "And ",
    "Plus ",
    "On top of that, ",
    "Another thing: ",
    "In addition, ",
    "Equally, ",
    "Not to mention that ",
]
#: Words a respondent may add at the end of a sentence.
TAILS = [
    " at the moment",
    " these days",
    " to be honest",
    " as far as I can see",
    " in our experience",
    " if we're honest",
    " in <area>",
    " (as usual)",
]
WANT_FRAMES = [
    "{w}.",
    "It would help to have {w_l}.",
    "What would help: {w_l}.",
    "We would like to see {w_l}.",
    "Ideally {w_l}.",
    "Priority for us: {w_l}.",
    "The main thing would be {w_l}.",
    "{w}, please.",
    "{w} would make the biggest difference.",
    "Top of our list: {w_l}.",
    "We'd ask for {w_l}.",
    "Number one for us is {w_l}.",
    "{w} - that would change things.",
    "Give us {w_l}.",
]
#: Everyday words a writer may swap for another (whole words, any sentence).
SYNONYMS = {
    "really": ["genuinely", "truly"],
    "very": ["really", "extremely"],
    "hard": ["difficult", "tough"],
    "difficult": ["hard", "tough"],
    "large": ["big"],
    "strong": ["solid"],
    "because": ["as"],
    "a lot": ["a great deal"],
    "lots of": ["a lot of", "loads of", "plenty of"],
    "charities": ["organisations", "groups"],
    "organisations": ["charities", "groups"],
    "nightmare": ["headache", "battle"],
    "mess": ["shambles"],
    "nobody": ["no one"],
    "often": ["frequently", "regularly"],
    "money": ["funding"],
    "common": ["shared", "single"],
    "framework": ["approach"],
    "easier": ["simpler"],
    "simpler": ["easier", "quicker"],
    "quickly": ["promptly", "fast"],
    "problem": ["issue"],
    "problems": ["issues"],
    "almost": ["nearly", "practically"],
    "think": ["feel", "believe"],
    "want": ["would like"],
    "important": ["vital", "crucial"],
    "meetings": ["sessions"],
    "event": ["gathering"],
    "stories": ["accounts"],
    "agreement": ["protocol", "arrangement"],
}
_SYNONYM = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b"
    r"(?!\s+of\b)",  # "because of" is not "as of"
    re.IGNORECASE,
)
#: "a" before a vowel sound becomes "an" after a swap ("a very" -> "an extremely").
_A_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])(?!one\b|use|uni|eu|Eu)")

#: What may follow a contraction such as "we're" (not "who we're and", "we're properly").
_CAN_FOLLOW = (
    r"(?=\s+(?:\w+ing|\w+ed|not|no|a|an|the|so|too|very|really|still|now|always|never|all|"
    r"just|being|been|part|in|on|at|out|up|told|asked|seen|done|got|made|going|hard|easy|"
    r"only|also|more|less|our|their|your|my|nothing|nobody|fine|true|left)\b)"
)

#: Contractions a casual writer uses and a formal one spells out.
CONTRACTIONS = {
    "do not": "don't",
    "does not": "doesn't",
    "cannot": "can't",
    "we are": "we're",
    "it is": "it's",
    "is not": "isn't",
    "are not": "aren't",
    "have not": "haven't",
    "will not": "won't",
    "they are": "they're",
    "there is": "there's",
    "would not": "wouldn't",
    "could not": "couldn't",
    "we would": "we'd",
    "that is": "that's",
    "I am": "I'm",
}

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
    "really": "realy",
    "different": "diffrent",
    "environment": "enviroment",
    "achieve": "acheive",
    "partnership": "partnrship",
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

#: Answers of a few words, per question (the grammar of :data:`BANK`): many respondents write
#: no more than this.
TERSE = {
    "engagement_experience": [
        "{Good|Positive|Fine}{.| really.| on the whole.|!}",
        "{Very|Pretty|Fairly} {limited|poor|patchy}{.|!| tbh}",
        "{Non existent|Non-existent|What engagement?}",
        "{Mixed|Hit and miss|Up and down}{.|, depends who you get.}",
        "{We haven't|Never} {had any|really}{.| to be honest.}",
        "{Improving|Getting better}{ slowly|, slowly|}{.|!}",
        "Only {via|through} {the network|our umbrella body|the CSP}.",
        "{Helpful|Supportive} {officers|staff}{, distant Commissioner|, invisible PCC|}.",
        "{Minimal|Very little|Hardly any}{.|, sadly.}",
        "{They came to our AGM once|One visit in four years|Met them once at an event}.",
        "{OK|Ok|okay} {I suppose|I guess|}",
        "{Excellent|Brilliant}{, no complaints|}{.|!}",
        "{Who is our PCC?|I don't know who they are.|No idea who to contact}",
        "{Only|Just} {emails|newsletters}{, no real contact|}.",
        "{All|Everything} {through|goes through} the police{, never the OPCC|}.",
        "{Not great|Could be better|Room for improvement}{.|!|}",
    ],
    "funding_improvements": [
        "{More|Longer|Multi-year} {funding|grants}{.|!| please.}",
        "{Less|Fewer} {paperwork|forms|hoops}{.|!}",
        "{Core|Unrestricted} {costs|funding}{.|!| covered.}",
        "{Three year|3 year|3-year} {grants|funding}{.|, minimum.}",
        "{Simpler|Shorter} {forms|applications}{.|!}",
        "{Longer deadlines|More notice|Realistic deadlines}{.|!}",
        "{Grants not contracts|Grants, not tenders|Stop tendering everything}{.|!}",
        "{Feedback|Actual feedback} on {bids|rejections}{.| please.}",
        "{Money|Cash|Funding} {that|which} {covers inflation|keeps pace with costs}.",
        "{Smaller lots|Smaller contracts|Lots we can actually bid for}{.|!}",
        "{Stability|Certainty|Security}{.|!}",
        "{Pay|Payment} in advance{.|, not arrears.}",
        "{Honestly just|Just|Simply} more {money|funding}{.|!}",
        "{See above|As above|Same as above}{.|}",
        "{Ringfenced|Ring fenced|Ring-fenced} {money|pots} for small groups{.|}",
    ],
    "collaboration": [
        "{Informally|Mostly informally|Through referrals}{.|, mostly.}",
        "{Works well|Fine|Really well}{, mostly|, on the whole|}{.|!}",
        "{Competition|Tendering|Money} gets in the way{.|!}",
        "{Via|Through} the {local network|VCSE forum|CSP}{.|, mainly.}",
        "{Time|Capacity|Staff time} is the {barrier|problem}{.|!}",
        "{Trust helps|Relationships help|Good people help}; {competition doesn't|funding rules don't}.",
        "{Referrals both ways|Cross-referrals|Joint referrals}{.|, mainly.}",
        "{Not much|Very little|Hardly at all}{, no time|, no capacity|}{.|!}",
        "{We share a building|Shared premises|Shared training}{.|, works well.}",
        "{Good|Decent} {partners|relationships} {locally|in the area}{.|!}",
        "{GDPR|Data protection} {gets in the way|is a barrier}{.|!}",
        "{It depends|Depends} on the {partner|organisation|people}{.|!}",
    ],
    "other_comments": [
        "{No|Nope}{, thanks|, thank you|}{.|}",
        "{Thanks|Thank you|Cheers}{.|!}",
        "{Please|Do} {share the results|publish the findings}{.|!}",
        "{Keep|Please keep} us {posted|informed|updated}{.|!}",
        "{Not really|Nothing more}{, thanks|}{.|}",
        "{Good luck|Best wishes}{ with it| with the review|}{.|!}",
        "{Happy to talk|Happy to help|Call me}{ any time|}{.|!}",
        "{Listen to|Trust} {small charities|the sector|us}{.|!}",
        "{We are|We're} {struggling|exhausted|still here}{.|!}",
        "{Will anything change?|Will this change anything?|Hope something changes}",
    ],
}
#: Chance, times a respondent's terseness, that an answer is no more than a few words.
P_TERSE = {
    "engagement_experience": 0.08,
    "funding_improvements": 0.1,
    "collaboration": 0.1,
    "other_comments": 0.12,
}

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
    "other_comments": 0.17,  # short answers (TERSE) say "no, thanks" too
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


_ALT = re.compile(r"\{([^{}\[\]]*)\}")
_OPT = re.compile(r"\[([^{}\[\]]*)\]")
_SLOT = re.compile(r"<(\w+)>")


def _fill(rng: random.Random, text: str, ctx: dict[str, str], *, capital: bool = True) -> str:
    """Expand a template of the grammar above: innermost choices first, then slots.

    The template's own leading and trailing spaces are kept; ``capital`` upper-cases the first
    letter.
    """
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")) :]
    while True:
        hits = [m for m in (_ALT.search(text), _OPT.search(text)) if m is not None]
        if not hits:
            break
        m = min(hits, key=lambda h: h.start())
        if m.group(0).startswith("{"):
            part = rng.choice(m.group(1).split("|"))
        else:
            part = m.group(1) if rng.random() < 0.5 else ""
        text = text[: m.start()] + part + text[m.end() :]
    text = _SLOT.sub(lambda m: ctx.get(m.group(1)) or rng.choice(SLOTS[m.group(1)]), text)
    text = re.sub(r" {2,}", " ", text).strip()
    text = re.sub(r" ([,.;:)])", r"\1", text)
    text = re.sub(r" '(re|ve|s|d|ll)\b", r"'\1", text)
    if capital and text:
        text = text[0].upper() + text[1:]
    return lead + text + trail if text else text


def _lower_first(s: str) -> str:
    if (
        len(s) > 1
        and s[0].isupper()
        and not s[1].isupper()
        and not s.startswith(
            ("I ", "I'", "PCC", "Black", "Welsh", "Home Office", "Ministry", "MoJ", "Gypsy")
            + ("Traveller", "Roma ", "Microsoft", "Facebook", "Instagram", "Egress", "Deputy PCC")
        )
    ):
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
        self.terseness = rng.choice([0.0, 0.5, 1.0, 1.0, 2.0, 3.0])  # a few words and done
        self.ctx = {
            "area": self.police_area.replace("Metropolitan (MOPAC)", "London"),
            "service": rng.choice(self.areas),
        }
        # the voice: how this person writes, whatever the topic
        self.contractions = rng.choice(["formal", "casual", "as written"])
        self.hedges = rng.sample(HEDGES, 3)
        self.hedge_rate = rng.choice([0.0, 0.1, 0.2, 0.3, 0.4])
        self.tail_rate = rng.choice([0.0, 0.05, 0.1, 0.2])
        self.joiner = rng.choice([" ", " ", " ", "; ", " - ", "  "])
        self.used: set[str] = set()  # templates already used (a person does not repeat)
        day = 1 + (i * 7) % 27
        month = 2 + (i % 2)
        self.submitted = f"2024-{month:02d}-{day:02d} {9 + i % 9:02d}:{(i * 13) % 60:02d}"


def _paraphrase(rng: random.Random, sentence: str, rate: float = 0.35) -> str:
    """Swap some everyday words for a synonym (:data:`SYNONYMS`), keeping a capital."""

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        if rng.random() >= rate:
            return word
        new = rng.choice(SYNONYMS[word.lower()])
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _A_AN.sub(r"\1n ", _SYNONYM.sub(swap, sentence))


def _voice(rng: random.Random, r: Respondent, sentence: str, *, first: bool = True) -> str:
    """Put one sentence in the respondent's own words: contractions, a hedge, a tail.

    A sentence after the first may open with a connective ("Also", "Plus") instead.
    """
    if r.contractions != "as written":
        for full, short in CONTRACTIONS.items():
            a, b = (short, full) if r.contractions == "formal" else (full, short)
            # "who we are and ..." cannot become "who we're and": contract only before a word
            # that can follow the short form
            after = _CAN_FOLLOW if r.contractions == "casual" else ""
            sentence = re.sub(
                rf"\b{re.escape(a)}\b{after}",
                lambda m, b=b: b[0].upper() + b[1:] if m.group()[0].isupper() else b,
                sentence,
                flags=re.IGNORECASE,
            )
    if r.tail_rate and rng.random() < r.tail_rate and sentence.endswith("."):
        tail = _fill(rng, rng.choice(TAILS), r.ctx, capital=False)
        if not _said(tail, sentence):
            sentence = sentence[:-1] + tail + "."
    if (
        r.hedge_rate
        and rng.random() < r.hedge_rate
        and not sentence.startswith(
            ("Honestly", "Frankly", "Realistically", "Sadly", "If I", "Give ", "Please")
        )
    ):
        lead = _fill(rng, rng.choice(r.hedges if first else r.hedges + CONNECTIVES), r.ctx)
        if not _said(lead, sentence):
            sentence = lead + _lower_first(sentence)
    return sentence


def _said(extra: str, sentence: str) -> bool:
    """Whether ``sentence`` says already what a hedge or tail would ("honestly ... if I'm honest")."""
    return any(w in extra.lower() and w in sentence.lower() for w in ("honest", "frank", "to be"))


def _pick_template(rng: random.Random, r: Respondent, theme: str) -> tuple[str, str]:
    """The bank and a template on ``theme`` this respondent has not used yet (if any left)."""
    if theme == "relationship":
        positive = rng.random() < (0.5 + 0.45 * max(-1.0, min(1.0, r.mood)))
        theme = "relationship_positive" if positive else "relationship_negative"
    if theme == "collaboration":
        stance = r.collab_stance
        if stance == "both":
            stance = rng.choice(["positive", "tension"])
        theme = "collaboration_positive" if stance == "positive" else "collaboration_tension"
    options = [t for t in BANK[theme] if "Welsh" not in t or r.region == "Wales"]
    fresh = [t for t in options if t not in r.used] or options
    return theme, rng.choice(fresh)


#: No two answers share a word sequence this long: real answers rarely do (1.6% of NHS patient
#: feedback, 4.4% of educators' answers share a 6-word run with another answer).
SHARED_N = 6
#: How many times a sentence is re-drawn before the next template is tried.
TRIES = 30
#: Other templates on the same theme tried when one has no fresh wording left.
ALTERNATIVES = 8
#: Other themes of the question tried when a theme has no fresh wording left.
OTHER_THEMES = 3
_WORD = re.compile(r"[a-z0-9£'’]+")


#: Set phrases that real respondents share as a matter of course: a word sequence that holds one
#: may recur ("comment on the Police and Crime Plan", "since the cost of living crisis").
STOCK = (
    "police and crime plan",
    "police and crime commissioner",
    "cost of living crisis",
    "community safety partnership",
    "violence against women and girls",
)
_STOCK = re.compile(r"\b(?:" + "|".join(STOCK) + r")\b")


def _grams(text: str, n: int = SHARED_N) -> set[tuple[str, ...]]:
    """The ``n``-word sequences of ``text`` (lower case) that hold no :data:`STOCK` phrase."""
    words = _WORD.findall(text.lower())
    grams = {tuple(words[k : k + n]) for k in range(len(words) - n + 1)}
    return {g for g in grams if not _STOCK.search(" ".join(g))}


def _tail(text: str, n: int = SHARED_N - 1) -> str:
    """The last ``n`` words of ``text``: a sentence's grams run on from the one before."""
    return " ".join(_WORD.findall(text.lower())[-n:])


def _write(
    rng: random.Random,
    r: Respondent,
    theme: str,
    templates: list[str],
    *,
    first: bool,
    linked: bool,
    before: str,
    taken: set[tuple[str, ...]],
) -> tuple[str, str] | None:
    """Write one sentence on ``theme`` in the respondent's voice: (template, sentence).

    Real respondents do not repeat each other's sentences word for word: a draw that shares
    a :data:`SHARED_N`-word sequence with another answer (``taken``), counting the words of
    the answer ``before`` it, is drawn again, up to :data:`TRIES` times per template; when a
    template has no fresh wording left, the next of ``templates`` (other things to say on the
    theme) is tried, and None means nothing fresh is left to say. ``first``: the answer's first
    sentence (it may get an opener); ``linked``: a later sentence of running text (it may open
    with "Also", "Plus" ...).
    """
    lead = _tail(before)
    for template in templates:
        for _ in range(TRIES):
            frame = ""
            if theme == "funding_wants":
                w = _fill(rng, template, r.ctx)
                frame = rng.choice(WANT_FRAMES)
                sent = frame.format(w=w, w_l=_lower_first(w))
            else:
                sent = _fill(rng, template, r.ctx)
            sent = _paraphrase(rng, sent)
            # nobody writes "Personally I think hope this helps", "Also priority for us: ..." or
            # "For what it's worth, a say in the design of ...": a bare wish takes no lead-in
            if theme == "thanks" or ":" in frame or frame.startswith("{w},") or frame == "{w}.":
                pass
            elif first and rng.random() < 0.3:
                openers = OPENERS + (SMALL_OPENERS if r.org_size in ("micro", "small") else [])
                sent = _fill(rng, rng.choice(openers), r.ctx) + _lower_first(sent)
            else:
                sent = _voice(rng, r, sent, first=not linked)
            # a short sentence may be a whole answer: not word for word one written already
            if not (_grams(lead + " " + sent) | {(sent.lower(),)}) & taken:
                return template, sent
    return None


def _terse(rng: random.Random, question: str, taken: set[tuple[str, ...]]) -> str:
    """A few words, as many respondents write: wording nobody used yet, where there is any.

    A short answer joins ``taken`` as a 1-tuple of its lower-cased text (word sequences are
    longer), so that "Longer grants." is written twice only when the wording runs out.
    """
    text = ""
    for _ in range(TRIES):
        text = _fill(rng, rng.choice(TERSE[question]), {})
        if not (_grams(text) | {(text.lower(),)}) & taken:
            break
    taken |= _grams(text) | {(text.lower(),)}
    return text


def _answer(rng: random.Random, r: Respondent, question: str, taken: set[tuple[str, ...]]) -> str:
    """One answer to ``question``; its word sequences and whole text join ``taken``."""
    roll = rng.random()
    if roll < P_BLANK[question]:
        return rng.choice(["", "", " ", ""])
    if roll < P_BLANK[question] + P_NON_ANSWER[question]:
        return rng.choice(NON_ANSWERS)
    if roll < P_BLANK[question] + P_NON_ANSWER[question] + P_TERSE[question] * r.terseness:
        return _terse(rng, question, taken)
    themes = QUESTION_THEMES[question]
    n = max(1, min(6, r.verbosity + rng.choice([-1, 0, 0, 1])))
    if question == "other_comments":
        n = min(n, 2)
    chosen: list[tuple[str, str]] = []
    for _ in range(n):
        theme, template = _pick_template(
            rng, r, rng.choices([t for t, _ in themes], [w for _, w in themes])[0]
        )
        if template not in r.used:
            r.used.add(template)
            chosen.append((theme, template))
    if not chosen:  # everything this person would say here, they said already
        chosen.append(_pick_template(rng, r, "thanks"))
    use_bullets = r.bullets and len(chosen) >= 3 and question != "other_comments"
    lead = ""
    if use_bullets:
        mark = rng.choice(["- ", "• ", "* "])
        lead = rng.choice(
            ["", "Main points:\n", "A few things:\n", "Three things really:\n", "In short:\n"]
        )
    parts: list[str] = []
    for theme, template in chosen:
        j = len(parts)
        first, linked = j == 0 and not use_bullets, j > 0 and not use_bullets
        before = lead + " ".join(parts)
        others = [t for t in BANK[theme] if t not in r.used and t != template]
        rng.shuffle(others)
        got = _write(
            rng,
            r,
            theme,
            [template, *others[:ALTERNATIVES]],
            first=first,
            linked=linked,
            before=before,
            taken=taken,
        )
        # nothing fresh left on this theme: say something else the question invites
        extra = [t for t, _ in themes if not theme.startswith(t)]
        rng.shuffle(extra)
        for other in extra[:OTHER_THEMES]:
            if got is not None:
                break
            theme, alt = _pick_template(rng, r, other)
            pool = [t for t in BANK[theme] if t not in r.used and t != alt]
            rng.shuffle(pool)
            got = _write(
                rng,
                r,
                theme,
                [alt, *pool[:ALTERNATIVES]],
                first=first,
                linked=linked,
                before=before,
                taken=taken,
            )
        if got is not None:
            r.used.add(got[0])
            parts.append(got[1])
    if not parts:
        return _terse(rng, question, taken)
    if use_bullets and len(parts) >= 2:
        text = lead + "\n".join(mark + p.rstrip(".") for p in parts)
    else:
        text = parts[0]
        joined = False  # a run-on ("...; and ...") joins two sentences at most once per answer
        for part in parts[1:]:
            joiner = r.joiner if rng.random() < 0.5 else " "
            if joiner.strip() and not joined and text.endswith("."):
                text = text[:-1] + joiner + _lower_first(part)
                joined = True
            else:
                text = text + (joiner if not joiner.strip() else " ") + part
        if len(parts) >= 4 and rng.random() < 0.5:
            cut = text.find(". ", len(text) // 2)
            if cut > 0:
                text = text[: cut + 1] + "\n\n" + text[cut + 2 :]
    taken |= _grams(text) | {(text.lower(),)}
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


#: Non-answers as typed (lower case): a planted sentence replaces one rather than follow it.
_NON = {a.lower() for a in NON_ANSWERS}


def make_rows(seed: int = SEED, n: int = N_RESPONDENTS) -> list[dict[str, str]]:
    """The survey as a list of row dicts (one per respondent)."""
    rng = random.Random(seed)
    rows = []
    taken: set[tuple[str, ...]] = set()  # the 6-word sequences of the answers written so far
    pii_slots = rng.sample(range(n), len(PII_SENTENCES))
    for i in range(1, n + 1):
        r = Respondent(rng, i)
        answers = {q: _answer(rng, r, q, taken) for q in QUESTIONS}
        if r.sloppy:
            answers = {q: _mess(rng, a) if a.strip() else a for q, a in answers.items()}
        if i - 1 in pii_slots:
            pii = PII_SENTENCES[pii_slots.index(i - 1)]
            q = rng.choice(["engagement_experience", "other_comments"])
            answers[q] = (
                (answers[q].strip() + " " + pii).strip()
                if len(answers[q].strip()) > 12 and answers[q].strip().lower() not in _NON
                else pii
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
