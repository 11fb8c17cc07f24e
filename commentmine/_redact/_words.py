"""Word lists (``commentmine/data/redact/``), the allow-list and the small word sets of the rules."""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from pathlib import Path

from commentmine._acronyms import ACRONYMS
from commentmine._redact._base import _EDGE_PUNCT, DEFAULT_LEVEL, _check_level, _phrase_pattern

#: Log-probability floor of a common word (see the module notes). Chosen leave-one-corpus-out
#: over the six development corpora: the best recall on the planted development set, then the
#: fewest texts altered on the other five (benchmarks/results/redaction.md). -19.5 is the
#: lowest log-probability spaCy's table holds: every lower-case word it lists at least as often
#: as the capitalised form ("aripiprazole", "chiropodist", "podiatric") counts.
COMMON_WORD_FLOOR = -19.5


#: Log-probability floor of a well-known name: at level "names" an organisation or place whose
#: every uncommon word is at least this frequent in general English ("Leeds", "Tesco",
#: "Google") is kept; rarer ones (a village, a local project) are redacted. Chosen with
#: :data:`COMMON_WORD_FLOOR`, leave-one-corpus-out (all six folds chose -16; -17 lost a planted
#: local organisation).
KNOWN_NAME_FLOOR = -16.0


_DATA = Path(__file__).resolve().parents[1] / "data" / "redact"


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
        acronyms of :data:`commentmine._segment.ACRONYMS`) are kept.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> from commentmine._redact._public import allow_list
    >>> {"home office", "victim support", "wales", "north east"} <= allow_list()
    True
    >>> "home office" in allow_list("strict")
    False
    """
    level = _check_level(level)
    data = _allow_data()
    acr = {a.lower() for a in ACRONYMS} | {a.lower() + "s" for a in ACRONYMS}
    keep = set(data.get("domain", ())) | acr
    if level != "strict":
        for phrases in data.values():
            keep |= phrases
    return frozenset(keep)


#: Residents from which a town or city is no small place: the ONS's classification of
#: built-up areas ends "small towns" at 20,000 ("medium towns" from there). At level "names"
#: such a place is kept, like a region: the UK's towns and cities of 20,000+ (GeoNames) and the
#: local authority districts of England and Wales (ONS), in ``large_places.txt``, built by
#: benchmarks/make_redact_lists.py.
LARGE_PLACE_POPULATION = 20_000


@functools.lru_cache(maxsize=1)
def _large_places() -> frozenset[str]:
    """The names of ``large_places.txt`` (places that are not small), as :func:`_norm`."""
    out = set()
    for line in (_DATA / "large_places.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, what = line.partition("\t")
            if what == "district" or int(what) >= LARGE_PLACE_POPULATION:
                out.add(_norm(name))
    return frozenset(out)


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


@functools.lru_cache(maxsize=2)
def _logprobs(name: str) -> dict[str, float]:
    """``word -> log-probability`` of a gzipped ``word<TAB>logprob`` list (``#`` lines: notes)."""
    out: dict[str, float] = {}
    with gzip.open(_DATA / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, _, p = line.rstrip("\n").partition("\t")
            out[word] = float(p)
    return out


@functools.lru_cache(maxsize=8)
def _common_words(floor: float) -> frozenset[str]:
    return frozenset(w for w, p in _logprobs("common_words.txt.gz").items() if p >= floor)


@functools.lru_cache(maxsize=8)
def _known_names(floor: float) -> frozenset[str]:
    return frozenset(w for w, p in _logprobs("known_names.txt.gz").items() if p >= floor)


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


def _core(w: str) -> str:
    # "â€™" is a curly apostrophe read in the wrong encoding ("Weâ€™re" -> "We're")
    w = w.replace("\u2019", "'").replace("\u00e2\u20ac\u2122", "'")
    if w.endswith("\u00e2\u20ac"):
        w = w[:-2]
    return w[:-2] if w.endswith("'s") else w.rstrip("'")


def _norm(phrase: str) -> str:
    p = phrase.lower().replace("\u2019", "'").strip(_EDGE_PUNCT)
    if p.endswith("'s"):
        p = p[:-2]
    if p.startswith("the "):
        p = p[4:]
    return " ".join(p.split())


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


@functools.lru_cache(maxsize=16)
def _allow_sets(
    level: str, extra: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """(allowed phrases, allowed + edge words, regex of the allowed phrases)."""
    allow = frozenset(allow_list(level) | {_norm(a) for a in extra}) - {""}
    phrases = sorted(allow, key=lambda a: (-len(a), a))
    rx = re.compile("|".join(_phrase_pattern(a) for a in phrases), re.IGNORECASE)
    return allow, allow | _EDGE_WORDS, rx


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


#: Words before a common capitalised word that make it a common noun ("the Seller says").
_DETERMINERS: frozenset[str] = frozenset(
    {"the", "a", "an", "my", "your", "our", "their", "his", "her", "its", "this", "that",
     "these", "those", "any", "every", "each", "no", "some"}
)  # fmt: skip


_COMPASS = frozenset({"north", "south", "east", "west", "mid", "central", "upper", "lower"})
