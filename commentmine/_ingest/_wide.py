"""Wide survey tables to the long comments table: free-text columns, ids, one comment per answer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._ingest._base import answer_status
from commentmine._tables import (
    COMMENT_COLUMNS,
    STATUS_OK,
)


def detect_text_columns(
    df: pd.DataFrame,
    *,
    exclude: Iterable[str] = (),
    min_mean_chars: float = 25.0,
    min_distinct: float = 0.8,
    min_mean_words: float = 4.0,
) -> list[str]:
    """Return the columns of ``df`` that hold free text, in column order.

    A column counts as free text when its answered values (not blank, not a non-answer) are
    long (mean length above ``min_mean_chars`` characters and ``min_mean_words`` words) and
    varied (at least ``min_distinct`` of them distinct), and do not look like ids, emails or
    links (single tokens).

    Parameters
    ----------
    df : pandas.DataFrame
        A wide table whose values are strings.
    exclude : iterable of str
        Columns never chosen (such as the id column).
    min_mean_chars, min_distinct, min_mean_words : float
        Thresholds described above.

    Returns
    -------
    list of str
    """
    skip = {str(c) for c in exclude}
    chosen: list[str] = []
    for col in df.columns:
        if str(col) in skip:
            continue
        values = [str(v).strip() for v in df[col].tolist()]
        status = {v: answer_status(v) for v in set(values)}
        answered = [v for v in values if status[v] == STATUS_OK]
        if not answered:
            continue
        mean_chars = sum(map(len, answered)) / len(answered)
        mean_words = sum(len(v.split()) for v in answered) / len(answered)
        distinct = len(set(answered)) / len(answered)
        if (
            mean_chars > min_mean_chars
            and mean_words >= min_mean_words
            and distinct >= min_distinct
        ):
            chosen.append(str(col))
    return chosen


def _as_comments_table(df: pd.DataFrame, p: Path) -> pd.DataFrame:
    """A file written by ``commentmine read``: restore types and check ids."""
    out = df.copy()
    out["is_interviewer"] = (
        out["is_interviewer"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})
    )
    dupes = out["comment_id"][out["comment_id"].duplicated()].unique().tolist()
    if dupes:
        raise errors.duplicate_ids("comment_id", dupes)
    order = COMMENT_COLUMNS + [c for c in out.columns if c not in COMMENT_COLUMNS]
    out = out[order]
    out.attrs["comments_table"] = True
    out.attrs["source_path"] = str(p)
    return out


_NUMBER_LIKE = re.compile(
    r"^[\s\d.,:;/%+\-\u2212()\u00a3$\u20ac#*]*\d[\s\d.,:;/%+\-\u2212()\u00a3$\u20ac#*]*$"
)
_ID_LIKE = re.compile(r"^(?=\S*\d)[\w\-./:#]+$")


#: Fewest answered values from which a column is judged to hold numbers or ids, not text.
MIN_VALUES_TO_JUDGE = 10


def _not_free_text(values: Sequence[str]) -> list[str]:
    """Examples when (nearly) every answered value is a number, a date or an id-like token.

    Returns ``[]`` when the column reads as text: fewer than 95% of its answered values are
    numbers (``12``, ``4.5``, ``£300``, ``03/04/2024``) or single tokens holding a digit
    (``R0001``, ``a1b2-c3``), or it has fewer than :data:`MIN_VALUES_TO_JUDGE` answered values
    (a handful of short answers such as "2" cannot be told from a column of numbers).
    """
    answered = [v.strip() for v in values if answer_status(v) == STATUS_OK]
    if len(answered) < MIN_VALUES_TO_JUDGE:
        return []
    hits = [v for v in answered if _NUMBER_LIKE.match(v) or _ID_LIKE.match(v)]
    if len(hits) < 0.95 * len(answered):
        return []
    return list(dict.fromkeys(hits))[:3]


def _column_values(wide: pd.DataFrame, col: str, *, allow_dupes: bool) -> list[str]:
    """The stripped values of an id-like column; E009 for blanks, E005 for repeats."""
    ids = [str(v).strip() for v in wide[col].tolist()]
    blank = [str(i) for i, v in enumerate(ids, start=2) if not v]
    if blank:
        raise errors.blank_ids(col, blank)
    if not allow_dupes:
        seen: set[str] = set()
        dupes = list(dict.fromkeys(v for v in ids if v in seen or seen.add(v)))
        if dupes:
            raise errors.duplicate_ids(col, dupes, long_hint=True)
    return ids


def _wide_to_long(
    wide: pd.DataFrame,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    respondent_col: str | None = None,
    source: str,
    path: Path | None = None,
) -> pd.DataFrame:
    columns = [str(c) for c in wide.columns]
    if id_col is not None and id_col not in columns:
        raise errors.missing_column(id_col, columns, what="id column")
    if respondent_col is not None and respondent_col not in columns:
        raise errors.missing_column(respondent_col, columns, what="respondent column")
    keys = [c for c in (id_col, respondent_col) if c is not None]
    detected = text_cols is None
    if text_cols is None:
        text_cols = detect_text_columns(wide, exclude=keys)
        if not text_cols and len(wide):
            raise errors.no_text_columns(columns)
    text_cols = list(dict.fromkeys(str(c) for c in text_cols))
    for col in text_cols:
        if col not in columns:
            raise errors.missing_column(col, columns, what="text column")
    for key, flag in ((id_col, "id column"), (respondent_col, "respondent column")):
        if key is not None and key in text_cols:
            raise errors.bad_argument(f"{key!r} is given as both the {flag} and a text column.")
    if not detected:
        for col in text_cols:
            examples = _not_free_text(wide[col].tolist())
            if examples:
                raise errors.not_free_text(col, examples)

    n = len(wide)
    if id_col is None:
        ids = [str(i) for i in range(1, n + 1)]
    else:
        ids = _column_values(wide, id_col, allow_dupes=False)
    respondents = (
        ids if respondent_col is None else _column_values(wide, respondent_col, allow_dupes=True)
    )

    own = {c for c in (id_col, respondent_col) if c == "respondent_id"}
    meta_cols = [c for c in columns if c not in text_cols and c not in own]
    meta_names = {c: (f"{c}_input" if c in COMMENT_COLUMNS else c) for c in meta_cols}
    several = len(text_cols) > 1

    # Row-major order: row 1's answers (in text_cols order), then row 2's, ...
    k = len(text_cols)
    texts = [v for row in zip(*(wide[c].tolist() for c in text_cols), strict=True) for v in row]
    rids = [rid for rid in respondents for _ in range(k)]
    data: dict[str, list[Any]] = {
        "comment_id": [f"{r}:{c}" for r in ids for c in text_cols]
        if several
        else [i for i in ids for _ in range(k)],
        "respondent_id": rids,
        "question": text_cols * n,
        "text": texts,
        "source": [source] * (n * k),
        "status": [answer_status(t) for t in texts],
        "speaker": [""] * (n * k),
        "is_interviewer": [False] * (n * k),
    }
    meta = {meta_names[c]: [v for v in wide[c].tolist() for _ in range(k)] for c in meta_cols}
    try:
        out = pd.DataFrame({**data, **meta}, columns=[*COMMENT_COLUMNS, *meta])
    except UnicodeEncodeError:  # lone surrogates (a DataFrame given in memory) cannot be Arrow
        out = pd.DataFrame({**data, **meta}, columns=[*COMMENT_COLUMNS, *meta], dtype=object)
    out["is_interviewer"] = out["is_interviewer"].astype(bool)
    if out["comment_id"].duplicated().any():
        dup = out["comment_id"][out["comment_id"].duplicated()].unique().tolist()
        raise errors.duplicate_ids("comment_id", dup)
    if detected:
        out.attrs["detected_text_cols"] = list(text_cols)
    notes = [wide.attrs["note"]] if wide.attrs.get("note") else []
    if n == 0:
        where = f"{path.name!r}" if path is not None else "the table"
        notes.append(f"{where} has a header but no rows: 0 comments.")
    if notes:
        out.attrs["note"] = " ".join(notes)
    return out
