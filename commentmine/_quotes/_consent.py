"""Who may be quoted: consent columns, do-not-quote values and interviewer turns."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors

_NO_CONSENT = {
    "no",
    "n",
    "false",
    "f",
    "0",
    "0.0",
    "do not quote",
    "don't quote",
    "dont quote",
    "do-not-quote",
    "do_not_quote",
    "not for quotation",
    "no quote",
    "no quotes",
    "withdrawn",
    "withheld",
    "anonymous only",
}
_CONSENT_NAME = re.compile(r"consent|permission", re.IGNORECASE)
_YES_NO = _NO_CONSENT | {
    "yes", "y", "true", "t", "1", "1.0", "agree", "agreed", "i agree", "disagree", "ok",
    "okay", "not ok", "yes, quote me", "happy to be quoted", "may quote",
}  # fmt: skip


def isna(v: Any) -> bool:
    """``pd.isna`` for one value, False for anything it cannot judge."""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def truthy(v: Any) -> bool:
    """A flag cell (``is_interviewer``) as a bool: True, "true", "1", "yes", ..."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return str(v).strip().lower() in {"true", "1", "yes", "y", "t"}


def no_consent(value: Any) -> bool:
    """True when a consent cell says the respondent must not be quoted (blank means allowed)."""
    if isna(value):
        return False
    if isinstance(value, (bool, np.bool_)):
        return not bool(value)
    return str(value).strip().lower() in _NO_CONSENT


def consent_columns(table: pd.DataFrame) -> list[str]:
    """Columns of ``table`` that look like consent to quote.

    A name with "consent" or "permission" in it, or with "quot" in it and only yes/no,
    agree/disagree, ok or true/false style values.
    """
    out = []
    for col in table.columns:
        name = str(col)
        if _CONSENT_NAME.search(name):
            out.append(name)
        elif "quot" in name.lower():
            values = {str(v).strip().lower() for v in pd.unique(table[col].dropna())[:100]}
            values.discard("")
            if values and values <= _YES_NO:
                out.append(name)
    return out


def check_consent(table: pd.DataFrame, consent_col: str | bool | None) -> str | None:
    """The consent column to honour, refusing to guess when one looks present but is unnamed.

    Parameters
    ----------
    table : DataFrame
        The comments table (with its metadata columns).
    consent_col : str, False or None
        A column name: use it. ``False``: quote everyone, knowingly. ``None``: allowed only
        when no column looks like consent (see :func:`consent_columns`).

    Returns
    -------
    str or None
        The column to use, or None.

    Raises
    ------
    CommentmineError
        E406 when ``consent_col`` is None and a column looks like consent.
    """
    if consent_col is False:
        return None
    if consent_col is None:
        found = consent_columns(table)
        if found:
            raise errors.consent_not_named(found)
        return None
    if consent_col is True:
        raise errors.bad_argument("consent_col must be a column name, False or None, not True")
    return str(consent_col)


def barred_respondents(meta: pd.DataFrame, consent_col: str | None) -> set[str]:
    """Respondents whose consent cell (in any of their rows) says do not quote."""
    if consent_col is None:
        return set()
    return set(meta.loc[meta[consent_col].map(no_consent), "respondent_id"])


def interviewer_comments(meta: pd.DataFrame, tags: pd.DataFrame) -> set[str]:
    """Comment ids of interviewer turns (flagged in the comments or in the tags table)."""
    out: set[str] = set()
    if "is_interviewer" in meta.columns:
        out = set(meta.index[meta["is_interviewer"].map(truthy)])
    if "is_interviewer" in tags.columns:
        out |= set(tags.loc[tags["is_interviewer"].map(truthy), "comment_id"])
    return out
