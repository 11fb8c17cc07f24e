"""Name rules: which entities and name shapes are people, organisations or places, and why."""

from __future__ import annotations

import bisect
import functools
import re

from commentmine._redact._base import Redaction
from commentmine._redact._ner import (
    _NER_LABELS,
    Piece,
    _initial,
    _is_allcaps,
    _is_cap,
    _joined,
    _sentence_break,
    _Word,
    _words_of,
)
from commentmine._redact._words import (
    _COMPASS,
    _DETERMINERS,
    _NOT_NAMES,
    _ORG_HEADS,
    _PARTICLES,
    _PERSON_WORDS,
    _PLACE_HEADS,
    _PLACE_WORDS,
    _TITLES,
    KNOWN_NAME_FLOOR,
    _allow_sets,
    _common_words,
    _core,
    _fold,
    _known_names,
    _large_places,
    _logprobs,
    _norm,
    _person_names,
    _word_key,
)

_PART_SPLIT = re.compile(r"[.\-!]")

#: Words after a large town's name that make it the town's general hospital ("Darlington
#: Hospital", "Darlington Memorial", "Cramlington A&E"); at least one of
#: :data:`_HOSPITAL_HEADS` among them. ("Darlington Memorial" read as a war memorial names no
#: one either.)
_HOSPITAL_HEADS = frozenset({"hospital", "hospitals", "hosp", "infirmary", "a&e", "memorial"})
_HOSPITAL_WORDS = _HOSPITAL_HEADS | {"general", "district", "university"}

#: Log-probability from which a word counts as frequent enough to be the word a text cut off
#: at its end was going to be ("Shou" -> "should"; see :func:`_cut_off`).
_CUT_WORD_FLOOR = -14.0


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
        self.large = _large_places() if level == "names" else frozenset()

    def well_known(self, w: str) -> bool:
        core = _core(w)
        return all(p[:1].upper() + p[1:] in self.known for p in core.split("-") if p)

    def common_word(self, w: str) -> bool:
        """An ordinary word; a word with hyphens or dots when each part is one; a compound
        adjective whose last part is an ordinary word written in lower case ("Minoritised-led",
        "Community-based": a name's parts are all capitalised, as in "Okonkwo-Hale")."""
        if _word_key(w) in self.common:
            return True
        parts = [p for p in _PART_SPLIT.split(_core(w)) if p]
        common = [_word_key(p) in self.common for p in parts]
        if (
            len(parts) > 1
            and any(common)
            and all(c or _is_allcaps(p) for p, c in zip(parts, common, strict=True))
        ):  # "Drug-related", "PE!Tachycardia": an acronym beside an ordinary word
            return True
        last = _core(w).split("-")[-1] if "-" in _core(w) else ""
        return last[:1].islower() and _word_key(last) in self.common

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


def _person_title_before(text: str, words: list[_Word], i: int) -> bool:
    """A title written as one ("Mrs", "Dr.") right before ``words[i]``; not an all-caps word
    that folds to one ("MS Teams" is Microsoft's)."""
    return bool(_title_before(text, words, i)) and not words[i - 1].text.rstrip(".").isupper()


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


#: Ends the reason of a person's name that holds an allow-listed word ("Sarah Kent"): the
#: allow-list does not protect that word (no half of a name is left).
_NAME_OVER_ALLOW = "; an allow-listed word read as part of the name"


def _allowed_name_word(
    text: str, words: list[_Word], k: int, i: int, j: int, label: str | None, ctx: _Ctx
) -> bool:
    """Whether the allow-listed ``words[k]`` (first or last of ``words[i:j]``) is part of a name.

    "Mrs Kent", "Mr English": a title stands right before it. "Kent" in "Sarah Kent" (a person
    entity or a name shape), "Devon" in "Devon Lewis": the word is a listed name, and the word
    beside it in the entity is a listed name too.
    """
    w = words[k].text
    if _is_cap(w) and " " not in _norm(w) and _person_title_before(text, words, k):
        return True  # "Mrs Black", "Mr English": a title makes any allow-listed word a name
    if not _listed_cap(w, ctx) or " " in _norm(w) or _fold(w) in _COMPASS:
        return False
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
    if _no_name_here(text, e, inner, label, title, near, ctx):
        return None  # a town of 20,000+ ("Darlington"), a word cut off at the end ("Shou")
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


def _no_name_here(
    text: str, e: int, inner: list[str], label: str | None, title: str, near: str, ctx: _Ctx
) -> bool:
    """A place that is not small (no title before it), or a word the text's end cut short."""
    if ctx.large and not title and _large_place(inner, label, near, ctx):
        return True
    return len(inner) == 1 and not near and _cut_off(text, e, inner[0], ctx)


def _large_place(ws: list[str], label: str | None, near: str, ctx: _Ctx) -> bool:
    """Whether ``ws`` name a town or city of 20,000+ residents or a district, or its hospital.

    The whole entity is the place ("Darlington", "Bishop Auckland", "Bassetlaw"), or the place
    and hospital words ("Darlington Hospital", "Cramlington A&E"): a general hospital named
    after a place that size serves all of it, and names no one more than the place does. Other
    organisations named after a town ("Worksop Food Bank") stay redacted.

    A place name that is also a listed person's name stays a person where a person may be
    meant: in a person entity or a name shape ("Preston", "Mr Darlington" is caught by the
    title before this), when the model calls one word that is a listed first name an
    organisation (the model often reads a person as one: "with Stanley yesterday"), and when a
    person word is near ("I asked Preston"). A place label with no person word near keeps it a
    place.
    """
    k = len(ws)
    while k > 0 and _norm(" ".join(_core(w) for w in ws[:k])) not in ctx.large:
        k -= 1
    if k == 0:
        return False
    rest = {_fold(_core(w)).rstrip(".") for w in ws[k:]}
    if rest and not (rest <= _HOSPITAL_WORDS and rest & _HOSPITAL_HEADS):
        return False
    first = any(ctx.first_name(w) for w in ws[:k])
    listed = first or any(ctx.surname(w) for w in ws[:k])
    if label in (None, "PERSON"):
        return not listed
    if label == "ORG" and first and k == 1:  # not "Bishop Auckland": a whole two-word place
        return False
    return not (near and listed)


def _cut_off(text: str, end: int, word: str, ctx: _Ctx) -> bool:
    """Whether ``word`` (ending at ``end``) is a word cut short where the text was truncated.

    It ends the text with no punctuation after it, is no listed name, has four letters or more,
    and begins a frequent English word, a well-known name or an allow-listed phrase without
    being one ("Shou" for "should", "Northumbe" for "Northumberland"): exports often cut
    comments at a fixed length.
    """
    core = _core(word)
    if text[end:].strip() or len(core) < 4 or not core.isalpha():
        return False
    if ctx.first_name(core) or ctx.surname(core):
        return False
    key = _fold(core)
    words = _frequent_words()
    k = bisect.bisect_right(words, key)  # the first word after ``key`` itself
    if k < len(words) and words[k].startswith(key):
        return True
    return any(a.startswith(key) and a != key for a in ctx.allow)


@functools.lru_cache(maxsize=1)
def _frequent_words() -> tuple[str, ...]:
    """Lower-case forms of frequent common words and well-known capitalised names."""
    common = _logprobs("common_words.txt.gz")
    known = _logprobs("known_names.txt.gz")
    out = {w for w, p in common.items() if p >= _CUT_WORD_FLOOR}
    out |= {_fold(w) for w, p in known.items() if p >= KNOWN_NAME_FLOOR}
    return tuple(sorted(out))


def _listed_cap(w: str, ctx: _Ctx) -> bool:
    return _is_cap(w) and (ctx.first_name(w) or ctx.surname(w)) and _fold(w) not in _TITLES


def _shape_runs(words: list[_Word], text: str, ctx: _Ctx) -> list[tuple[int, int]]:
    """Runs of capitalised words (with name particles inside) that may be a name."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i].text
        if not (
            _is_cap(w)
            and (
                not ctx.common_word(w) or ctx.first_name(w) or _person_title_before(text, words, i)
            )
        ):
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
