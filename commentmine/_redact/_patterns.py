"""Patterns: contact details and street addresses, the user's lists, police areas, allowed phrases."""

from __future__ import annotations

import functools
import re

from commentmine._redact._base import _EDGE_PUNCT, Redaction, _phrase_pattern
from commentmine._redact._words import (
    _COMPASS,
    _EDGE_WORDS,
    _NOT_NAMES,
    POLICE_AREAS,
    _allow_sets,
    _fold,
    _norm,
    is_common_word,
)

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
