"""How often each theme came up: prevalence with Wilson intervals, cross-tabs, co-occurrence.

The unit is the respondent by default: a respondent "mentions" a theme when any of their
(non-interviewer) comments carries it. The base of a share is the respondents who answered,
that is, who have at least one comment with status ``ok``. Sub-themes are rolled up into their
parent theme (a respondent who mentions either child mentions the parent) and are also listed
on their own rows.

>>> import commentmine as cm
>>> prev = cm.prevalence(tags, comments, "vcse-pcc")                   # doctest: +SKIP
>>> prev[["theme", "respondents", "base", "share", "ci_low", "ci_high"]]  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._tables import STATUS_OK, UNCODED

__all__ = [
    "prevalence",
    "by_question",
    "crosstab",
    "cooccurrence",
    "wilson_interval",
    "mentions",
]

Z95 = 1.959963984540054

PREVALENCE_COLUMNS = [
    "theme",
    "label",
    "parent",
    "respondents",
    "comments",
    "base",
    "share",
    "ci_low",
    "ci_high",
]


def wilson_interval(k: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int
        Successes (e.g. respondents mentioning a theme).
    n : int
        Trials (the base). ``n == 0`` gives ``(nan, nan)``.
    z : float, default 1.96
        Normal quantile (1.96 for a 95% interval).

    Returns
    -------
    (low, high) : tuple of float
        Bounds in [0, 1].

    Examples
    --------
    >>> tuple(round(x, 4) for x in wilson_interval(14, 52))
    (0.1677, 0.4025)
    """
    if n <= 0:
        return (math.nan, math.nan)
    if k < 0 or k > n:
        raise errors.bad_argument(f"wilson_interval: k={k} must lie in [0, n={n}]")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


# --- input normalisation ------------------------------------------------------------------


def _load_codebook(codebook: Any) -> Any:
    if codebook is None:
        return None
    if hasattr(codebook, "themes") and hasattr(codebook, "root"):
        return codebook
    from commentmine.codebook import load_codebook

    return load_codebook(codebook)


def _truthy(values: pd.Series) -> pd.Series:
    """Boolean view of an ``is_interviewer``-like column that may hold strings."""
    if values.dtype == bool:
        return values
    return values.map(lambda v: str(v).strip().lower() in {"true", "1", "yes", "y", "t"})


def mentions(tags: pd.DataFrame, comments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Normalise a tags table or a comment-level table to (comment_id, respondent_id, theme).

    Interviewer rows and ``uncoded`` rows are dropped; each (comment, theme) appears once.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags (a ``theme`` column) or comment-level tags (a ``themes`` column of
        ``|``-joined ids).
    comments : DataFrame, optional
        Comments table, used to find ``respondent_id`` when the tags table lacks it.

    Returns
    -------
    DataFrame
        Columns ``comment_id``, ``respondent_id``, ``theme``.
    """
    if not isinstance(tags, pd.DataFrame):
        raise errors.bad_argument(f"expected a tags DataFrame, got {type(tags).__name__}")
    if "theme" in tags.columns:
        df = tags
        if "is_interviewer" in df.columns:
            df = df[~_truthy(df["is_interviewer"])]
        cols = ["comment_id", "theme"] + (["respondent_id"] if "respondent_id" in df else [])
        df = df[cols].copy()
    elif "themes" in tags.columns:
        rows = []
        has_resp = "respondent_id" in tags.columns
        for rec in tags.itertuples(index=False):
            themes = str(rec.themes or "")
            for t in themes.split("|"):
                if t:
                    row = {"comment_id": rec.comment_id, "theme": t}
                    if has_resp:
                        row["respondent_id"] = rec.respondent_id
                    rows.append(row)
        cols = ["comment_id", "theme"] + (["respondent_id"] if has_resp else [])
        df = pd.DataFrame(rows, columns=cols)
    else:
        raise errors.missing_column("theme", tags.columns, what="tags column")
    df["comment_id"] = df["comment_id"].astype(str)
    if "respondent_id" not in df.columns:
        if comments is not None and "respondent_id" in comments.columns:
            lookup = dict(
                zip(
                    comments["comment_id"].astype(str),
                    comments["respondent_id"].astype(str),
                    strict=False,
                )
            )
            df["respondent_id"] = df["comment_id"].map(lookup).fillna(df["comment_id"])
        else:
            df["respondent_id"] = df["comment_id"]
    df["respondent_id"] = df["respondent_id"].astype(str)
    df["theme"] = df["theme"].astype(str)
    df = df[(df["theme"] != UNCODED) & (df["theme"] != "")]
    return df.drop_duplicates(["comment_id", "theme"]).reset_index(drop=True)


def _answered(comments: pd.DataFrame) -> pd.DataFrame:
    """Comments that count towards the base: status ok, not interviewer turns."""
    if comments is None:
        raise errors.bad_argument("a comments table is needed to know who answered (the base)")
    df = comments
    if "status" in df.columns:
        df = df[df["status"].astype(str) == STATUS_OK]
    elif "text" in df.columns:
        df = df[df["text"].fillna("").astype(str).str.strip() != ""]
    if "is_interviewer" in df.columns:
        df = df[~_truthy(df["is_interviewer"])]
    df = df.copy()
    df["comment_id"] = df["comment_id"].astype(str)
    if "respondent_id" not in df.columns:
        df["respondent_id"] = df["comment_id"]
    df["respondent_id"] = df["respondent_id"].astype(str)
    return df


def _theme_order(codebook: Any, found: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """(theme id, label, parent) rows: codebook order (parents then their children), then any
    theme found in the tags but missing from the codebook, sorted."""
    rows: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    if codebook is not None:
        for t in codebook.themes:
            if t.parent is None:
                rows.append((t.id, t.label, None))
                seen.add(t.id)
                for child in codebook.children(t.id):
                    cid = child if isinstance(child, str) else child.id
                    ct = codebook.theme(cid)
                    rows.append((cid, ct.label, t.id))
                    seen.add(cid)
        for t in codebook.themes:  # children whose parent is absent (defensive)
            if t.id not in seen:
                rows.append((t.id, t.label, t.parent))
                seen.add(t.id)
    for t in sorted(set(found) - seen):
        rows.append((t, t, None))
    return rows


def _expand_rollup(m: pd.DataFrame, codebook: Any) -> pd.DataFrame:
    """Add a parent row for every child mention (a child mention is a parent mention)."""
    if codebook is None or m.empty:
        return m
    ids = set(codebook.ids)
    parents = m["theme"].map(lambda t: codebook.root(t) if t in ids else t)
    extra = m[parents != m["theme"]].copy()
    extra["theme"] = parents[parents != m["theme"]]
    return pd.concat([m, extra], ignore_index=True).drop_duplicates(["comment_id", "theme"])


def _group_values(comments: pd.DataFrame, by: str) -> pd.Series:
    if by not in comments.columns:
        raise errors.missing_column(by, comments.columns, what="--by column")
    return comments[by].map(lambda v: "" if _isna(v) else str(v))


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# --- prevalence -----------------------------------------------------------------------------


def prevalence(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    by: str | None = None,
    level: str = "respondent",
) -> pd.DataFrame:
    """Per theme: who mentioned it, out of whom, with a Wilson 95% interval.

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags table or comment-level tags table (``commentmine.tag``).
    comments : DataFrame
        The comments table (``commentmine.read``): the base is taken from it.
    codebook : Codebook or str, optional
        Orders the rows and rolls sub-themes up into their parent (children are listed too,
        right after their parent). Themes found in the tags but not in the codebook follow.
    by : str, optional
        A comments-table column (``question``, ``org_type``, ...): one block of rows per group
        value, with the base counted within the group. The group is the first column.
    level : {"respondent", "comment"}, default "respondent"
        Count respondents (base: respondents who answered) or comments (base: comments with
        status ``ok``).

    Returns
    -------
    DataFrame
        Columns ``[by], theme, label, parent, respondents, comments, base, share, ci_low,
        ci_high``. ``share`` and the interval are proportions in [0, 1] of the ``level``
        unit; ``respondents`` and ``comments`` are always both given.
    """
    if level not in ("respondent", "comment"):
        raise errors.bad_argument(f"level must be 'respondent' or 'comment', got {level!r}")
    codebook = _load_codebook(codebook)
    answered = _answered(comments)
    m = _expand_rollup(mentions(tags, comments), codebook)
    # keep only mentions in answered comments (drops tags on interviewer turns, stale rows)
    m = m[m["comment_id"].isin(set(answered["comment_id"]))]
    order = _theme_order(codebook, m["theme"].unique().tolist())

    if by is None:
        return _prevalence_block(m, answered, order, level)
    answered = answered.assign(_group=_group_values(answered, by))
    group_of = dict(zip(answered["comment_id"], answered["_group"], strict=False))
    m = m.assign(_group=m["comment_id"].map(group_of))
    blocks = []
    for g in sorted(answered["_group"].unique()):
        block = _prevalence_block(
            m[m["_group"] == g], answered[answered["_group"] == g], order, level
        )
        block.insert(0, by, g)
        blocks.append(block)
    if not blocks:
        return pd.DataFrame(columns=[by, *PREVALENCE_COLUMNS])
    return pd.concat(blocks, ignore_index=True)


def _prevalence_block(
    m: pd.DataFrame,
    answered: pd.DataFrame,
    order: list[tuple[str, str, str | None]],
    level: str,
) -> pd.DataFrame:
    base = (
        answered["respondent_id"].nunique()
        if level == "respondent"
        else answered["comment_id"].nunique()
    )
    resp = m.groupby("theme")["respondent_id"].nunique().to_dict()
    comm = m.groupby("theme")["comment_id"].nunique().to_dict()
    rows = []
    for tid, label, parent in order:
        r = int(resp.get(tid, 0))
        c = int(comm.get(tid, 0))
        k = r if level == "respondent" else c
        lo, hi = wilson_interval(k, base)
        rows.append(
            {
                "theme": tid,
                "label": label,
                "parent": parent if parent is not None else "",
                "respondents": r,
                "comments": c,
                "base": int(base),
                "share": (k / base) if base else math.nan,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


def by_question(
    tags: pd.DataFrame, comments: pd.DataFrame, codebook: Any = None, *, level: str = "respondent"
) -> pd.DataFrame:
    """Prevalence per survey question (``prevalence(..., by="question")``).

    The base of each question is the respondents who answered that question.
    """
    return prevalence(tags, comments, codebook, by="question", level=level)


# --- cross-tab ------------------------------------------------------------------------------

CROSSTAB_COLUMNS = [
    "theme",
    "label",
    "group",
    "respondents",
    "base",
    "share",
    "ci_low",
    "ci_high",
    "suppressed",
    "p_value",
    "test",
]


def crosstab(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any = None,
    *,
    by: str,
    min_cell: int = 5,
) -> pd.DataFrame:
    """Respondents mentioning each theme by group, with a test of independence per theme.

    For each theme a 2 x G table (mentioned / not mentioned by group) is tested with a
    chi-square test (``scipy.stats.chi2_contingency``), or with Fisher's exact test when the
    table is 2 x 2 and an expected count is below 5. Groups with a blank value are left out.

    Parameters
    ----------
    tags, comments : DataFrame
        As in :func:`prevalence`.
    codebook : Codebook or str, optional
        Roll-up and order, as in :func:`prevalence`.
    by : str
        Respondent metadata column in the comments table (``org_type``, ``region``...). A
        respondent whose rows disagree is put in the group of their first answered comment.
    min_cell : int, default 5
        Disclosure control: a cell is marked ``suppressed`` when its count is between 1 and
        ``min_cell - 1`` or its group base is below ``min_cell``. Exports blank such cells.

    Returns
    -------
    DataFrame
        Columns ``theme, label, group, respondents, base, share, ci_low, ci_high, suppressed,
        p_value, test`` (one row per theme x group; ``p_value`` and ``test`` repeat per theme;
        ``test`` is ``chi2``, ``fisher`` or ``""`` when fewer than two groups have a base).
    """
    from scipy import stats as sps

    if min_cell < 1:
        raise errors.bad_argument(f"min_cell must be >= 1, got {min_cell}")
    codebook = _load_codebook(codebook)
    answered = _answered(comments)
    answered = answered.assign(_group=_group_values(answered, by))
    first = answered.drop_duplicates("respondent_id")
    group_of = dict(zip(first["respondent_id"], first["_group"], strict=False))
    groups = sorted(g for g in set(group_of.values()) if g != "")
    base = {g: sum(1 for v in group_of.values() if v == g) for g in groups}
    m = _expand_rollup(mentions(tags, comments), codebook)
    m = m[m["comment_id"].isin(set(answered["comment_id"]))]
    m = m.assign(_group=m["respondent_id"].map(group_of))
    order = _theme_order(codebook, m["theme"].unique().tolist())
    counts = m.groupby(["theme", "_group"])["respondent_id"].nunique().to_dict()

    rows = []
    for tid, label, _parent in order:
        k = np.array([counts.get((tid, g), 0) for g in groups], dtype=float)
        nb = np.array([base[g] for g in groups], dtype=float)
        p_value, test = _independence(k, nb, sps)
        for g, kk, nn in zip(groups, k, nb, strict=False):
            lo, hi = wilson_interval(int(kk), int(nn))
            rows.append(
                {
                    "theme": tid,
                    "label": label,
                    "group": g,
                    "respondents": int(kk),
                    "base": int(nn),
                    "share": kk / nn if nn else math.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                    "suppressed": bool((0 < kk < min_cell) or nn < min_cell),
                    "p_value": p_value,
                    "test": test,
                }
            )
    out = pd.DataFrame(rows, columns=CROSSTAB_COLUMNS)
    out.attrs["by"] = by
    out.attrs["min_cell"] = min_cell
    return out


def _independence(k: np.ndarray, n: np.ndarray, sps: Any) -> tuple[float, str]:
    keep = n > 0
    k, n = k[keep], n[keep]
    if len(k) < 2:
        return (math.nan, "")
    table = np.vstack([k, n - k])
    if table.sum(axis=1).min() == 0:  # nobody / everybody mentions it: no variation to test
        return (1.0, "chi2")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if table.shape == (2, 2) and expected.min() < 5:
        return (float(sps.fisher_exact(table.astype(int))[1]), "fisher")
    return (float(sps.chi2_contingency(table, correction=False)[1]), "chi2")


# --- co-occurrence --------------------------------------------------------------------------


def cooccurrence(
    tags: pd.DataFrame,
    codebook: Any = None,
    *,
    level: str = "respondent",
    comments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Theme x theme matrix: how many respondents (or comments) mention both.

    The diagonal holds how many mention the theme at all. With a codebook, sub-themes are
    rolled up into their parent (the matrix is over top-level themes) and rows follow the
    codebook order.

    Parameters
    ----------
    tags : DataFrame
        Segment-level or comment-level tags table.
    codebook : Codebook or str, optional
        Rolls sub-themes up into their parent and orders the rows, as in :func:`prevalence`.
    level : {"respondent", "comment"}, default "respondent"
    comments : DataFrame, optional
        Used only to find ``respondent_id`` when the tags table lacks it.

    Returns
    -------
    DataFrame
        Square integer matrix, index and columns the theme ids.
    """
    if level not in ("respondent", "comment"):
        raise errors.bad_argument(f"level must be 'respondent' or 'comment', got {level!r}")
    codebook = _load_codebook(codebook)
    m = mentions(tags, comments)
    if codebook is not None:
        ids = set(codebook.ids)
        m = m.assign(theme=m["theme"].map(lambda t: codebook.root(t) if t in ids else t))
        order = [t for t, _l, p in _theme_order(codebook, m["theme"].unique()) if p is None]
    else:
        order = sorted(m["theme"].unique())
    unit = "respondent_id" if level == "respondent" else "comment_id"
    m = m.drop_duplicates([unit, "theme"])
    x = pd.crosstab(m[unit], m["theme"]).reindex(columns=order, fill_value=0).clip(upper=1)
    mat = x.T.dot(x).astype(int)
    mat.index.name = None
    mat.columns.name = None
    return mat.reindex(index=order, columns=order, fill_value=0)
