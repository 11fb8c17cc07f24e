"""The tables that flow between stages, and their documented columns.

comments -> segments -> tags -> themes -> quotes -> report. Every stage takes and returns a
pandas DataFrame whose columns are listed here; a stage never reaches into another stage's
internals. Columns not listed (survey metadata such as ``org_type`` or ``region``) are carried
along unchanged from the comments table to every later table.

Comments table (``commentmine.read``)
    comment_id : str
        Unique. One text column: the id column's value. Several: ``<id>:<column name>``.
        Interview turn: ``<file stem>:<turn number>``.
    respondent_id : str
        The respondent (survey row id) or the interview file stem.
    question : str
        Survey: the free-text column's name. Interview: the heading above the turn ("" if none).
    text : str
        The answer as in the source (never altered; may be "").
    source : str
        File name the row came from.
    status : str
        ``ok``, ``empty`` (blank or whitespace) or ``non_answer`` ("n/a", "none", "-", ...).
    speaker : str
        Interview speaker label as written ("Q", "Interviewer", "JS"); "" for surveys.
    is_interviewer : bool
        True for interviewer turns (kept, but left out of themes and never quoted).
    (metadata columns) : any
        Every other input column, carried along.

Segments table (``commentmine.segment``)
    segment_id : str
        ``<comment_id>#<n>``, n from 1 within the comment.
    comment_id, respondent_id, question, source, speaker, is_interviewer : as above
    n : int
        Segment number within the comment, from 1.
    start, end : int
        Character offsets into the comment's ``text``: ``text[start:end] == segment text``.
    text : str
        The sentence / bullet / line, verbatim.
    lemmas : str
        Lower-cased lemmas of the non-punctuation, non-space tokens, space-joined, with domain
        acronyms expanded (for matching only; ``text`` is never changed).
    (metadata columns) : any
    Only comments with status ``ok`` have segments; the comments table accounts for the rest.

Tags table (``commentmine.tag``; one row per segment x theme, plus one ``uncoded`` row per
segment that no theme reached, so every segment appears)
    comment_id, segment_id, start, end, text : as in segments
    theme : str
        Theme id, or ``uncoded``.
    score : float
        Fused score in [0, 1] (for ``uncoded``: the best theme's score).
    evidence : str
        Compact JSON: matched keywords, nearest example, score parts.
    respondent_id, question, source, speaker, is_interviewer, (metadata) : carried along

Comment-level tags (``commentmine.tag(..., level="comment")``; one row per comment)
    comment_id : str
    status : str
        ``tagged``, ``uncoded``, ``empty`` or ``non_answer``.
    themes : str
        Theme ids joined by ``|`` ("" unless tagged).
    scores : str
        Scores in the same order, 3 decimals, ``|``-joined.
    respondent_id, question, source, (metadata) : carried along
"""

from __future__ import annotations

COMMENT_COLUMNS = [
    "comment_id",
    "respondent_id",
    "question",
    "text",
    "source",
    "status",
    "speaker",
    "is_interviewer",
]
SEGMENT_COLUMNS = [
    "segment_id",
    "comment_id",
    "respondent_id",
    "question",
    "source",
    "speaker",
    "is_interviewer",
    "n",
    "start",
    "end",
    "text",
    "lemmas",
]
TAG_COLUMNS = ["comment_id", "segment_id", "start", "end", "text", "theme", "score", "evidence"]
COMMENT_TAG_COLUMNS = ["comment_id", "status", "themes", "scores"]

STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_NON_ANSWER = "non_answer"
STATUS_TAGGED = "tagged"
STATUS_UNCODED = "uncoded"
UNCODED = "uncoded"


def carried_columns(columns: list[str], own: list[str]) -> list[str]:
    """Columns of an input table that a later stage carries along (all but its own)."""
    return [c for c in columns if c not in own]
