"""Which segments are scored, and which may carry a theme.

Interviewer turns are not scored unless asked for; a segment that is itself a non-answer
("Nothing.", "No.", "N/A") scores 0 and stays ``uncoded``; in interview notes a sentence of
fewer than :data:`MIN_TURN_WORDS` content words and no codebook term is conversation, not
evidence.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from commentmine._tagging._lexicon import TOKEN_OK, stopwords

#: An interview turn's sentence needs this many content words (or a codebook term) to carry a
#: theme: "He rings me." and "Right, yes." are conversation, not evidence.
MIN_TURN_WORDS = 3

_SURROGATE = re.compile("[\ud800-\udfff]")


def check_segments(segments: Any) -> pd.DataFrame:
    """``segments`` when it is a segments table (E301 / E001 otherwise)."""
    from commentmine.errors import missing_column

    if not isinstance(segments, pd.DataFrame):
        from commentmine.errors import bad_argument

        raise bad_argument(f"expected a segments DataFrame, got {type(segments).__name__}.")
    for col in ("segment_id", "comment_id", "start", "end", "text", "lemmas"):
        if col not in segments.columns:
            raise missing_column(col, segments.columns, what="segments column")
    return segments


def keep_mask(segs: pd.DataFrame, include_interviewer: bool) -> np.ndarray:
    """Rows that are scored: all, or all but interviewer turns."""
    if include_interviewer or "is_interviewer" not in segs.columns:
        return np.ones(len(segs), dtype=bool)
    return ~segs["is_interviewer"].astype(bool).to_numpy()


def non_answers(segs: pd.DataFrame) -> np.ndarray:
    """Rows whose segment text is a non-answer on its own ("Nothing.", "No.", "N/A")."""
    from commentmine.ingest import STATUS_NON_ANSWER, answer_status

    return np.fromiter(
        (answer_status(t) == STATUS_NON_ANSWER for t in segs["text"].tolist()),
        dtype=bool,
        count=len(segs),
    )


def back_channel(segs: pd.DataFrame, lexical: np.ndarray) -> np.ndarray:
    """Sentences of interview turns (a ``speaker`` is set) with fewer than
    :data:`MIN_TURN_WORDS` content words and no codebook term. Survey answers are exempt: a
    short answer there ("Very good.") answers the question."""
    if "speaker" not in segs.columns or not len(segs):
        return np.zeros(len(segs), dtype=bool)
    turn = segs["speaker"].fillna("").astype(str).str.strip().ne("").to_numpy()
    if not turn.any():
        return turn
    stop = stopwords()
    words = np.fromiter(
        (
            sum(1 for w in lem.split() if TOKEN_OK.match(w) and w not in stop and len(w) > 2)
            for lem in segs["lemmas"].astype(str).tolist()
        ),
        dtype=np.int64,
        count=len(segs),
    )
    no_term = ~(np.asarray(lexical) > 0).any(axis=1) if lexical.size else np.ones(len(segs), bool)
    return turn & (words < MIN_TURN_WORDS) & no_term


def embed_texts(column: pd.Series) -> list[str]:
    """Texts to embed; lone surrogates (which no encoder accepts) become U+FFFD."""
    return [_SURROGATE.sub("\ufffd", str(t)) for t in column.tolist()]
