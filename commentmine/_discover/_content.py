"""What discovery sees of a comment: its content, without the boilerplate around it.

Only discovery's copy of the text changes; the comments table, the assignments and the quotes
keep the words as written.

1. :func:`strip_boilerplate` removes @handles, URLs, e-mail addresses, numbers (and the
   redaction marks of exported data sets such as ``XXXX`` and ``{$12.00}``) and the user's stop
   phrases.
2. :func:`analyse` runs spaCy's small English pipeline (tagger, lemmatiser and NER; no
   parser) once over those texts and returns, per text, its candidate phrases for labels
   (runs of adjectives and nouns ending in a noun, 1-4 words, with their surface forms) and
   its names (named entities and proper nouns).
3. :func:`spread_names` finds the names that occur across the themes of a first clustering:
   the names the comments are addressed to or about (an airline in tweets to airlines, the
   Commissioner in a survey about Commissioners). :func:`remove_names` takes them out of the
   text, and they never reach a label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_HASH = re.compile(r"(?<![\w#])#(?=\w)")
# numbers with their units and signs ("£50k", "7,100.00", "2023", "3rd", "24/7"), and the
# redaction marks of public data sets: "XXXX", "XX/XX/XXXX", "{$7100.00}", "[NAME]"
_NUMBER = re.compile(r"[£$€]?\d[\d,.:/-]*(?:st|nd|rd|th|k|m|bn|%|pm|am)?\b", re.IGNORECASE)
_MARKS = re.compile(r"\{[^{}]{0,40}\}|\[[A-Z_ ]{2,20}\]|\b[Xx]{2,}(?:/[Xx]{2,})*\b")
_SPACES = re.compile(r"[ \t]+")
# A list's lead-in before a line break or a bullet ("Three things really:", "Main points:")
# and the bullet marks: layout, not content (they made the survey's list answers one theme).
_LEAD_IN = re.compile(
    r"(?m)^[ \t]*[A-Za-z][^.:!?\n]{0,40}:[ \t]*(?=\n|\Z|[\u2022\u00b7\u2013*-][ \t])"
)
_BULLET = re.compile(r"(?m)(?:^[ \t]*[\u2022\u00b7\u2013*-]|[\u2022\u00b7])[ \t]+")

#: Adjectives that make a phrase vaguer, not more specific ("good staff", "other things").
VAGUE = frozenset(
    [
        "other",
        "more",
        "most",
        "many",
        "much",
        "few",
        "several",
        "own",
        "same",
        "different",
        "whole",
        "real",
        "actual",
        "certain",
        "sure",
        "able",
        "good",
        "great",
        "bad",
        "nice",
        "lovely",
        "excellent",
        "fantastic",
        "brilliant",
        "amazing",
        "wonderful",
        "poor",
        "terrible",
        "awful",
        "better",
        "best",
        "worse",
        "worst",
        "new",
        "old",
        "main",
        "big",
        "little",
        "last",
        "next",
        "first",
        "second",
        "third",
        "various",
        "particular",
        "general",
        "overall",
        "entire",
        "such",
        "total",
        "full",
        "right",
        "wrong",
        "huge",
        "major",
    ]
)

#: Nouns too general to stand in a label alone ("thing", "lot", "way").
GENERIC = frozenset(
    [
        "thing",
        "things",
        "idea",  # "no idea": a short answer, not a theme
        "ideas",
        "lot",
        "lots",
        "way",
        "ways",
        "bit",
        "kind",
        "sort",
        "type",
        "part",
        "point",
        "points",
        "fact",
        "case",
        "example",
        "something",
        "anything",
        "everything",
        "nothing",
        "someone",
        "anyone",
        "everyone",
        "people",
        "person",
        "one",
        "ones",
        "stuff",
        "matter",
        "issue",
        "issues",
        "problem",
        "problems",
        "question",
        "questions",
        "answer",
        "comment",
        "comments",
        "time",
        "times",
        "day",
        "days",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "today",
        "yesterday",
        "tomorrow",
        "yes",
        "no",
        "okay",
        "ok",
        "please",
        "thanks",
        "thank",
        "xxxx",
        "perspective",
        "addition",
        "top",
        "opinion",
        "view",
    ]
)

_PHRASE_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_HEAD_POS = frozenset({"NOUN", "PROPN"})
_NAME_LABELS = frozenset(
    {"ORG", "PERSON", "PRODUCT", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "EVENT", "LAW"}
)
MAX_PHRASE = 4


def strip_boilerplate(texts: Sequence[str], stop_phrases: Iterable[str] = ()) -> list[str]:
    """Remove handles, URLs, e-mails, numbers, redaction marks, list lead-ins and bullets, and
    ``stop_phrases``.

    Parameters
    ----------
    texts : sequence of str
        Segment texts.
    stop_phrases : iterable of str
        Phrases to remove wherever they occur as whole words (case-insensitive).

    Returns
    -------
    list of str
        The texts with those parts replaced by a space, runs of spaces collapsed.
    """
    phrases = sorted({p.strip() for p in stop_phrases if p and p.strip()}, key=len, reverse=True)
    stop = (
        re.compile(r"(?i)(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")
        if phrases
        else None
    )
    out = []
    for text in texts:
        t = _URL.sub(" ", str(text))
        t = _EMAIL.sub(" ", t)
        t = _HANDLE.sub(" ", t)
        t = _HASH.sub("", t)
        t = _MARKS.sub(" ", t)
        t = _LEAD_IN.sub(" ", t)
        t = _BULLET.sub(" ", t)
        t = _NUMBER.sub(" ", t)
        if stop is not None:
            t = stop.sub(" ", t)
        out.append(_SPACES.sub(" ", t).strip())
    return out


@dataclass
class Analysis:
    """Per text: candidate phrases and names; corpus-wide: surface forms of each phrase."""

    phrases: list[list[tuple[str, ...]]]  # per text: phrase keys (lemma tuples), with repeats
    names: list[set[str]]  # per text: lower-case name keys
    name_spans: list[list[tuple[int, int, str]]]  # per text: (start, end, key) of each name
    surface: dict[tuple[str, ...], Counter] = field(default_factory=dict)
    lemma_of: dict[str, str] = field(default_factory=dict)  # lower word -> lemma
    proper: set[str] = field(default_factory=set)  # lower words mostly written as names
    unusable: set[str] = field(default_factory=set)  # people's names and misspellings
    texts: list[str] = field(default_factory=list)  # the texts analysed


def _nlp():
    from commentmine._redact._public import NER_PIPELINE
    from commentmine._spacy import import_spacy

    spacy = import_spacy()
    return spacy.load(NER_PIPELINE, exclude=["parser", "senter", "textcat"])


_NLP = None


def analyse(texts: Sequence[str], stop_words: frozenset[str]) -> Analysis:
    """One spaCy pass: candidate phrases (lemma keys + surface forms) and names per text."""
    global _NLP
    if _NLP is None:
        _NLP = _nlp()
    nlp = _NLP
    phrases: list[list[tuple[str, ...]]] = []
    names: list[set[str]] = []
    spans: list[list[tuple[int, int, str]]] = []
    surface: dict[tuple[str, ...], Counter] = {}
    lemma_of: dict[str, str] = {}
    cap_votes: Counter = Counter()
    seen_votes: Counter = Counter()
    unique = list(dict.fromkeys(texts))
    done: dict[str, tuple[list, set, list]] = {}
    freq: Counter = Counter()
    persons: set[str] = set()
    for text, doc in zip(unique, nlp.pipe(unique, batch_size=256), strict=True):
        ents = [e for e in doc.ents if e.label_ in _NAME_LABELS]
        for e in ents:
            if e.label_ == "PERSON":
                persons.update(t.lower_ for t in e if t.is_alpha and t.pos_ == "PROPN")
        in_ent = set()
        keys: set[str] = set()
        sp: list[tuple[int, int, str]] = []
        for e in ents:
            key = _name_key(e.text)
            if key:
                keys.add(key)
                sp.append((e.start_char, e.end_char, key))
                in_ent.update(range(e.start, e.end))
        for tok in doc:
            low = tok.lower_
            if tok.is_alpha:
                freq[low] += 1
                lemma_of.setdefault(low, tok.lemma_.lower() or low)
                if tok.i > 0 and not doc[tok.i - 1].is_sent_end:
                    seen_votes[low] += 1
                    if tok.text[:1].isupper():
                        cap_votes[low] += 1
            if tok.pos_ == "PROPN" and tok.i not in in_ent and tok.is_alpha and len(tok) > 1:
                keys.add(low)
                sp.append((tok.idx, tok.idx + len(tok), low))
        spans_of = {
            i: (e.start, e.end) for e in doc.ents if len(e) > 1 for i in range(e.start, e.end)
        }
        cands = _candidates(doc, stop_words, surface, spans_of)
        done[text] = (cands, keys, sorted(sp))
    for text in texts:
        cands, keys, sp = done[text]
        phrases.append(cands)
        names.append(keys)
        spans.append(sp)
    proper = {w for w, n in seen_votes.items() if n >= 2 and cap_votes[w] / n >= 0.5}
    known = _known_words(nlp)
    # people's names: PROPN tokens of PERSON entities, unless mostly written in lower case
    # mid-sentence (a common noun the tagger took for a name: "Volunteer")
    names_of_people = {
        w for w in persons if seen_votes[w] < 3 or cap_votes[w] / seen_votes[w] >= 0.5
    }
    unusable = names_of_people | _misspellings(freq, lemma_of, known, proper)
    return Analysis(phrases, names, spans, surface, lemma_of, proper, unusable, list(texts))


def _known_words(nlp) -> frozenset[str]:
    """Base forms in the lemmatiser's word lists (WordNet's nouns, verbs, adjectives, adverbs)."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):  # a pipeline without those tables: trust every word
        return frozenset()
    return frozenset().union(*[set(v) for v in table.values()])


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _misspellings(
    freq: Counter, lemma_of: dict[str, str], known: frozenset[str], proper: set[str]
) -> set[str]:
    """Unknown words one or two edits from a word written at least twice as often.

    "becuase" (because), "oppertunity" (opportunity). A word is known when it or its lemma is
    in the lemmatiser's word lists; words mostly written as names are left alone. Edits are
    matched through single-letter deletions of both words (SymSpell's trick), which covers
    one insertion, deletion or transposition on either side.
    """
    if not known:
        return set()
    index: dict[str, list[str]] = {}
    for w in freq:
        if len(w) >= 4:
            for d in _deletes(w) | {w}:
                index.setdefault(d, []).append(w)
    out = set()
    for w, n in freq.items():
        if len(w) < 5 or w in proper or w in known or lemma_of.get(w, w) in known:
            continue
        near = set()
        for d in _deletes(w) | {w}:
            near.update(index.get(d, ()))
        # an inflection of the same word is not a misspelling ("chargebacks", "chargeback")
        near = {v for v in near if not (v.startswith(w) or w.startswith(v))}
        if any(v != w and freq[v] >= 2 * n for v in near):
            out.add(w)
    return out


def _name_key(text: str) -> str:
    t = re.sub(r"(?i)^the\s+|'s$|\u2019s$", "", text.strip())
    return " ".join(t.lower().split())


def _candidates(
    doc,
    stop_words: frozenset[str],
    surface: dict[tuple[str, ...], Counter],
    entity_of: dict[int, tuple[int, int]] | None = None,
) -> list[tuple[str, ...]]:  # people's names and misspellings are filtered later (labels)
    """Noun phrases of 1-4 words ending in a noun, from runs of adjectives and nouns."""
    out: list[tuple[str, ...]] = []
    run: list = []

    def flush() -> None:
        toks = run
        for end in range(len(toks)):
            if toks[end].pos_ not in _HEAD_POS:
                continue
            for start in range(max(0, end - MAX_PHRASE + 1), end + 1):
                part = toks[start : end + 1]
                a, b = part[0].i, part[-1].i + 1
                if entity_of and any(
                    not (a <= entity_of[t.i][0] and entity_of[t.i][1] <= b)
                    for t in part
                    if t.i in entity_of
                ):
                    continue  # part of a longer name ("Crime Plan" of "the Police and ...")
                if _inside_name(doc, a, b) or _hyphen_cut(doc, a, b):
                    continue
                first = part[0].lower_
                if first in VAGUE or first in stop_words:
                    continue
                lem = tuple(_lemma(t) for t in part)
                if len(part) == 1 and (lem[0] in GENERIC or part[0].lower_ in GENERIC):
                    continue
                if len(set(lem)) < len(lem):
                    continue
                out.append(lem)
                form = " ".join(t.text for t in part)
                surface.setdefault(lem, Counter())[form] += 1

    for tok in doc:
        ok = (
            tok.pos_ in _PHRASE_POS
            and tok.is_alpha
            and len(tok) > 1
            and tok.lower_ not in stop_words
            and not (tok.pos_ != "PROPN" and tok.lower_ in GENERIC and tok.pos_ == "ADJ")
        )
        if ok:
            run.append(tok)
        else:
            if run:
                flush()
            run = []
    if run:
        flush()
    return out


_NAME_GLUE = frozenset({"and", "&", "of", "for"})
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _hyphen_cut(doc, a: int, b: int) -> bool:
    """True when tokens ``a:b`` cut a hyphenated word ("box exercise" of "tick-box exercise",
    "time staff" of "part-time staff"): spaCy splits at the hyphen, a phrase must not."""
    left = a >= 2 and doc[a - 1].text in _HYPHENS and not doc[a - 2].whitespace_
    left = left and not doc[a - 1].whitespace_
    right = b + 1 < len(doc) and doc[b].text in _HYPHENS and not doc[b - 1].whitespace_
    right = right and not doc[b].whitespace_
    return left or right


def _inside_name(doc, a: int, b: int) -> bool:
    """True when tokens ``a:b`` continue a longer proper name across "and"/"of" (spaCy may
    not mark "Police and Crime Commissioner" as one entity)."""
    before = (
        doc[a].pos_ == "PROPN"
        and a >= 2
        and doc[a - 1].lower_ in _NAME_GLUE
        and doc[a - 2].pos_ == "PROPN"
    )
    after = (
        doc[b - 1].pos_ == "PROPN"
        and b + 1 < len(doc)
        and doc[b].lower_ in _NAME_GLUE
        and doc[b + 1].pos_ == "PROPN"
    )
    return before or after


def _lemma(tok) -> str:
    if tok.pos_ == "PROPN":
        return tok.lower_
    return (tok.lemma_ or tok.text).lower()


def frequent_names(names: Sequence[set[str]], min_share: float = 0.02) -> set[str]:
    """Names held by at least ``max(3, min_share * n)`` texts."""
    counts: Counter = Counter(k for keys in names for k in keys)
    need = max(3, int(np.ceil(min_share * len(names))))
    return {k for k, c in counts.items() if c >= need}


def spread_names(
    names: Sequence[set[str]],
    labels: np.ndarray,
    *,
    threshold: float,
    min_share: float = 0.02,
) -> set[str]:
    """Names that occur across the themes: in at least ``threshold`` of them at half their rate.

    A name counts when at least ``max(3, min_share * n)`` texts hold it. It is present in a
    theme when its rate among that theme's members is at least half its rate overall; it is
    spread when present in at least ``threshold`` of the themes (and in two or more).
    """
    n = len(names)
    themes = [int(t) for t in np.unique(labels) if t >= 0]
    if n == 0 or len(themes) < 2 or threshold > 1:
        return set()
    counts: Counter = Counter(k for keys in names for k in keys)
    need = max(3, int(np.ceil(min_share * n)))
    frequent = [k for k, c in counts.items() if c >= need]
    if not frequent:
        return set()
    sizes = {t: int((labels == t).sum()) for t in themes}
    per: dict[str, Counter] = {k: Counter() for k in frequent}
    for keys, t in zip(names, labels.tolist(), strict=True):
        if t < 0:
            continue
        for k in keys:
            if k in per:
                per[k][t] += 1
    out = set()
    for k in frequent:
        rate = counts[k] / n
        present = sum(1 for t in themes if per[k][t] / sizes[t] >= 0.5 * rate)
        if present >= 2 and present / len(themes) >= threshold:
            out.add(k)
    return out


def remove_names(texts: Sequence[str], spans: Sequence[list[tuple[int, int, str]]], drop: set[str]):
    """``texts`` without the spans whose name key is in ``drop``."""
    if not drop:
        return list(texts)
    out = []
    for text, sp in zip(texts, spans, strict=True):
        parts, pos = [], 0
        for s, e, key in sp:
            if key in drop and s >= pos:
                parts.append(text[pos:s])
                pos = e
        parts.append(text[pos:])
        out.append(_SPACES.sub(" ", " ".join(p.strip() for p in parts if p.strip())).strip())
    return out
