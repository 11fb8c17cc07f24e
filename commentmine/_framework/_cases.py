"""The comments that count (answered, not the interviewer's), the cases and their metadata."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._framework._base import truthy
from commentmine._framework._refs import turn_order
from commentmine._tables import STATUS_OK


def prepare_comments(
    comments: pd.DataFrame, case_col: str | None, redact: bool | str, consent_col: Any
) -> tuple[pd.DataFrame, str, str | None, str | None]:
    """A copy of the comments (string ids, a ``respondent_id``), and the checked case column,
    redaction level and consent column."""
    comments = comments.copy()
    comments["comment_id"] = comments["comment_id"].astype(str)
    if "respondent_id" not in comments.columns:
        comments["respondent_id"] = comments["comment_id"]
    from commentmine._quotes._public import check_consent
    from commentmine._redacted import resolve_level

    level = resolve_level(redact)
    consent_col = check_consent(comments, consent_col)
    if consent_col is not None and consent_col not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(consent_col, usable, what="--consent-col column")
    case_col = case_col or "respondent_id"
    if case_col not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(case_col, usable + ["respondent_id"], what="--case-col column")
    return comments, case_col, level, consent_col


def answered_comments(
    comments: pd.DataFrame, case_col: str
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The comments that count (answered, not an interviewer's turn), the same indexed by
    ``comment_id``, and each one's case."""
    answered = comments
    if "status" in answered.columns:
        answered = answered[answered["status"].astype(str) == STATUS_OK]
    if "is_interviewer" in answered.columns:
        answered = answered[~answered["is_interviewer"].map(truthy)]
    by_id = answered.set_index("comment_id", drop=False)
    case_of = {cid: case_value(v) for cid, v in zip(by_id.index, by_id[case_col], strict=True)}
    return answered, by_id, case_of


def case_value(v: Any) -> str:
    """A case label: the value with its spaces collapsed ("(blank)" when empty)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "(blank)"
    s = " ".join(str(v).split())
    return s or "(blank)"


def case_order(answered: pd.DataFrame, case_col: str, case_of: dict[str, str]) -> dict[str, int]:
    """Cases in order of first appearance in the (file-sorted) comments."""
    src = answered["source"].astype(str) if "source" in answered.columns else ""
    order = (
        pd.DataFrame(
            {
                "case": answered["comment_id"].map(case_of),
                "source": src,
                "o": [turn_order(c) for c in answered["comment_id"]],
                "pos": range(len(answered)),
            }
        )
        .sort_values(["source", "pos"], kind="mergesort")["case"]
        .drop_duplicates()
    )
    return {c: i for i, c in enumerate(order)}


#: Comments-table columns that are not case metadata.
_NOT_META = {
    "comment_id",
    "respondent_id",
    "question",
    "text",
    "status",
    "speaker",
    "is_interviewer",
    "source",
}


def case_table(
    answered: pd.DataFrame,
    case_col: str,
    case_of: dict[str, str],
    t: pd.DataFrame,
    order: dict[str, int],
    redact: bool,
) -> pd.DataFrame:
    """One row per case: counts, sources and metadata (named header fields redacted)."""
    meta_cols = [c for c in answered.columns if c not in _NOT_META and c != case_col]
    a = answered.assign(_case=answered["comment_id"].map(case_of))
    rows = []
    n_ev = t.groupby("case")["segment_id"].nunique().to_dict() if len(t) else {}
    for case, g in a.groupby("_case", sort=False):
        row: dict[str, Any] = {
            "case": case,
            "n_comments": len(g),
            "n_segments": int(n_ev.get(case, 0)),
            "sources": "; ".join(dict.fromkeys(g["source"].astype(str)))
            if "source" in g.columns
            else "",
        }
        if case_col != "respondent_id":
            row["respondents"] = "; ".join(dict.fromkeys(g["respondent_id"].astype(str)))
        for c in meta_cols:
            vals = [" ".join(str(v).split()) for v in g[c] if not pd.isna(v) and str(v).strip()]
            row[str(c)] = "; ".join(dict.fromkeys(vals))
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=["case", "n_comments", "n_segments", "sources"])
    df["_o"] = df["case"].map(order)
    df = df.sort_values("_o", kind="mergesort").drop(columns="_o").reset_index(drop=True)
    if redact:  # header fields that name a person or an organisation by definition
        for c, placeholder in _NAMED_FIELDS.items():
            if c in df.columns:
                df[c] = df[c].map(lambda v, p=placeholder: p if str(v).strip() else "")
    return df


#: Case metadata read from interview header lines that name a person or an organisation:
#: replaced by a placeholder when redacting (other metadata, such as a role or a region, is
#: shown as given, as in report attributions).
_NAMED_FIELDS = {"interviewee": "[NAME]", "organisation": "[ORG]"}
