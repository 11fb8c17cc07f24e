"""What every part of reading shares: file types, encodings, non-answers, speaker labels, answer status."""

from __future__ import annotations

import functools
import math
import re
import string
from os import PathLike

from commentmine._tables import (
    STATUS_EMPTY,
    STATUS_NON_ANSWER,
    STATUS_OK,
)

PathLikeStr = str | PathLike[str]

#: File types read as survey exports.
SURVEY_EXTENSIONS = frozenset(
    {".csv", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".parquet"}
)
#: File types read as interview notes.
INTERVIEW_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".docx"})
#: Metadata columns read from an interview file's header lines (``""`` when absent).
INTERVIEW_METADATA = ("date", "interviewee", "role", "organisation")

#: Encodings tried, in order, for delimited text files.
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")

#: Answers that say "nothing to say". Matching is case-insensitive and ignores punctuation and
#: extra spaces, so "N/A", "n.a.", "None." and "No comment!" all match. Note that a bare "No"
#: counts as a non-answer: to an open question ("Anything else?") it almost always means
#: "nothing to add". An answer made only of punctuation ("-", "--", ".", "?") is a non-answer too.
NON_ANSWERS = frozenset(
    {
        "na",
        "n a",
        "none",
        "nothing",
        "nil",
        "no",
        "no comment",
        "no comments",
        "no answer",
        "not applicable",
        "dont know",
        "do not know",
        "nothing to add",
        "nothing further",
        "no further comment",
        "no further comments",
    }
)

#: Speaker labels that mark the interviewer (case-insensitive).
DEFAULT_INTERVIEWER_LABELS = frozenset({"q", "interviewer", "int", "i", "facilitator"})

# Domain acronyms and note markers that look like initials but are not speakers.
_NOT_SPEAKERS = frozenset(
    {"pcc", "opcc", "vcse", "vcs", "csp", "nb", "ps", "pps", "faq", "url", "aob", "tbc", "eg"}
)
# Labels accepted as speakers even if they occur once.
_KNOWN_SPEAKERS = frozenset(
    {
        "q",
        "a",
        "i",
        "r",
        "int",
        "interviewer",
        "interviewee",
        "facilitator",
        "moderator",
        "respondent",
        "participant",
        "question",
        "answer",
    }
)

_MAX_ZIP_BYTES = 200 * 1024 * 1024  # total uncompressed size of a DOCX/XLSX
_MAX_ZIP_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB
_MAX_ZIP_MEMBERS = 20_000

_PUNCT = set(string.punctuation) | set("\u2013\u2014\u2026\u2022\u00b7\u2018\u2019\u201c\u201d")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


# "Key: value" fields of a header, by the column they fill (None: a field kept out of turns but
# not turned into a column).
_META_FIELDS: dict[str, str | None] = {
    "date": "date",
    "interview date": "date",
    "interviewee": "interviewee",
    "participant": "interviewee",
    "respondent": "interviewee",
    "name": "interviewee",
    "role": "role",
    "job title": "role",
    "position": "role",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "interviewer": None,
    "location": None,
    "format": None,
    "duration": None,
    "time": None,
    "present": None,
    "attendees": None,
    "title": None,
}
_META_KEYS = frozenset(_META_FIELDS)


# --- status ------------------------------------------------------------------------------


def _normalise_answer(text: str) -> str:
    text = text.replace("\u2019", "'").replace("'", "")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


def answer_status(text: object) -> str:
    """Classify one answer as ``"ok"``, ``"empty"`` or ``"non_answer"``.

    Parameters
    ----------
    text : object
        The answer. ``None`` and NaN count as empty.

    Returns
    -------
    str
        ``"empty"`` for blank or whitespace-only text, ``"non_answer"`` for a phrase in
        :data:`NON_ANSWERS` or text made only of punctuation, else ``"ok"``.

    Examples
    --------
    >>> answer_status("  "), answer_status("N/A."), answer_status("No"), answer_status("Yes")
    ('empty', 'non_answer', 'non_answer', 'ok')
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return STATUS_EMPTY
    stripped = str(text).strip()
    if not stripped:
        return STATUS_EMPTY
    if len(stripped) > 40:
        return STATUS_OK
    return _short_status(stripped)


@functools.lru_cache(maxsize=1 << 14)
def _short_status(stripped: str) -> str:
    if all(ch in _PUNCT or ch.isspace() for ch in stripped):
        return STATUS_NON_ANSWER
    return STATUS_NON_ANSWER if _normalise_answer(stripped) in NON_ANSWERS else STATUS_OK
