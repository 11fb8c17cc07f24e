"""Drawing a review sample: tags stratified by theme and score band, or respondents at random."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._review._base import (
    _RESPONDENTS,
    BANDS,
    COMMENT_REVIEW_COLUMNS,
    REVIEW_COLUMNS,
    _bands,
)
from commentmine._tables import UNCODED


def _allocate(n: int, caps: list[int]) -> list[int]:
    """Split ``n`` over low/mid/high: half to mid, a quarter to each end, within capacity."""
    want = [n // 4, n - 2 * (n // 4), n // 4]
    take = [min(w, c) for w, c in zip(want, caps, strict=True)]
    left = n - sum(take)
    for k in (1, 0, 2):  # give what a full band could not take to the others, middle first
        extra = min(left, caps[k] - take[k])
        take[k] += extra
        left -= extra
    return take


def review_sample(
    tags: pd.DataFrame,
    *,
    unit: str = "segment",
    n: int = 200,
    comments: pd.DataFrame | None = None,
    per_theme: int = 20,
    uncoded: int = 50,
    seed: int = 0,
) -> pd.DataFrame:
    """Draw a review sample from a tags table.

    Parameters
    ----------
    tags : DataFrame
        The tags table (one row per segment x theme, ``uncoded`` rows for untagged segments);
        with ``unit="respondent"`` the comment-level table (``tag(..., level="comment")``) works
        too.
    unit : {"segment", "respondent"}, default "segment"
        ``"segment"``: tags stratified by theme and score band, to measure precision and recall
        per theme. ``"respondent"``: a simple random sample of ``n`` respondents, each of their
        answered comments with the machine's themes, to correct the published shares
        (:func:`corrected_prevalence`).
    n : int, default 200
        Respondents drawn (``unit="respondent"``).
    comments : DataFrame, optional
        The comments table: full comment texts and respondent ids for ``unit="respondent"``
        (default: rebuilt from the tags table).
    per_theme : int, default 20
        Tagged rows per theme: half from the middle third of the theme's scores, a quarter from
        each of the lowest and highest thirds (all of them when a theme has fewer).
    uncoded : int, default 50
        Random ``uncoded`` segments, to estimate missed mentions.
    seed : int, default 0
        Random seed.

    Returns
    -------
    DataFrame
        Columns :data:`REVIEW_COLUMNS` (decision, correct_theme, notes empty), sorted by theme,
        band and score; with ``unit="respondent"``, :data:`COMMENT_REVIEW_COLUMNS`, one row per
        comment, sorted by respondent. ``attrs["design"]`` holds the strata: ``theme``,
        ``band``, ``population``, ``sampled``.
    """
    if unit not in ("segment", "respondent"):
        raise errors.bad_argument(f"unit must be 'segment' or 'respondent', got {unit!r}")
    if unit == "respondent":
        return _respondent_sample(tags, comments, n=n, seed=seed)
    needed = ["segment_id", "comment_id", "text", "theme", "score"]
    for c in needed:
        if c not in tags.columns:
            raise errors.missing_column(c, tags.columns, what="tags column")
    if per_theme < 0 or uncoded < 0:
        raise errors.bad_argument("--per-theme and --uncoded must be 0 or more")
    rng = np.random.default_rng(seed)
    frame = tags[needed].copy()
    frame["theme"] = frame["theme"].astype(str)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").fillna(0.0).astype(float)
    frame = frame.sort_values(["theme", "segment_id"], kind="stable", ignore_index=True)
    parts: list[pd.DataFrame] = []
    design: list[dict[str, Any]] = []
    for theme, grp in frame[frame["theme"] != UNCODED].groupby("theme", sort=True):
        band = _bands(grp["score"].to_numpy())
        caps = [int((band == b).sum()) for b in range(3)]
        take = _allocate(min(per_theme, len(grp)), caps)
        for b in range(3):
            members = grp[band == b]
            idx = rng.choice(len(members), size=take[b], replace=False) if take[b] else []
            part = members.iloc[np.sort(np.asarray(idx, dtype=int))].assign(band=BANDS[b])
            parts.append(part)
            design.append(
                {"theme": theme, "band": BANDS[b], "population": caps[b], "sampled": take[b]}
            )
    unc = frame[frame["theme"] == UNCODED].drop_duplicates("segment_id")
    k = min(uncoded, len(unc))
    idx = rng.choice(len(unc), size=k, replace=False) if k else []
    parts.append(unc.iloc[np.sort(np.asarray(idx, dtype=int))].assign(band="uncoded"))
    design.append({"theme": UNCODED, "band": "uncoded", "population": len(unc), "sampled": k})
    sample = pd.concat(parts, ignore_index=True) if parts else frame.head(0).assign(band="")
    sample["decision"] = ""
    sample["correct_theme"] = ""
    sample["notes"] = ""
    sample["score"] = sample["score"].round(3)
    order = {b: i for i, b in enumerate((*BANDS, "uncoded"))}
    sample = sample.assign(_b=sample["band"].map(order), _u=sample["theme"] == UNCODED)
    sample = sample.sort_values(
        ["_u", "theme", "_b", "score", "segment_id"], kind="stable", ignore_index=True
    )[REVIEW_COLUMNS]
    sample.attrs["design"] = pd.DataFrame(
        design, columns=["theme", "band", "population", "sampled"]
    )
    return sample


def _machine_sets(tags: pd.DataFrame, comments: pd.DataFrame | None) -> pd.DataFrame:
    """One row per answered comment: comment_id, respondent_id, text, theme (the machine's
    themes ``|``-joined in first-seen order, or ``uncoded``)."""
    from commentmine.stats import mentions

    if "comment_id" not in tags.columns:
        raise errors.missing_column("comment_id", tags.columns, what="tags column")
    frame = tags
    if "themes" in frame.columns and "status" in frame.columns:  # comment-level table
        frame = frame[frame["status"].astype(str).isin(["tagged", UNCODED])]
    elif "is_interviewer" in frame.columns:
        frame = frame[~frame["is_interviewer"].astype(str).str.lower().isin(["true", "1"])]
    ids = list(dict.fromkeys(frame["comment_id"].astype(str)))
    found = mentions(frame, comments)
    themes: dict[str, list[str]] = {}
    for cid, theme in zip(found["comment_id"].astype(str), found["theme"].astype(str), strict=True):
        themes.setdefault(cid, []).append(theme)
    resp: dict[str, str] = {}
    for src in (comments, frame):
        if src is not None and "respondent_id" in src.columns:
            for cid, rid in zip(src["comment_id"].astype(str), src["respondent_id"], strict=True):
                if cid not in resp and str(rid) not in ("", "nan", "None"):
                    resp[cid] = str(rid)
    texts: dict[str, str] = {}
    if comments is not None and "text" in comments.columns:
        texts = dict(
            zip(comments["comment_id"].astype(str), comments["text"].astype(str), strict=True)
        )
    elif "text" in frame.columns:
        segs = frame.drop_duplicates("segment_id") if "segment_id" in frame.columns else frame
        if "start" in segs.columns:
            segs = segs.sort_values(["comment_id", "start"], kind="stable")
        for cid, grp in segs.groupby(segs["comment_id"].astype(str), sort=False):
            texts[cid] = " ".join(grp["text"].astype(str))
    return pd.DataFrame(
        {
            "respondent_id": [resp.get(c, c) for c in ids],
            "comment_id": ids,
            "text": [texts.get(c, "") for c in ids],
            "theme": ["|".join(themes[c]) if c in themes else UNCODED for c in ids],
        }
    )


def _respondent_sample(
    tags: pd.DataFrame, comments: pd.DataFrame | None, *, n: int, seed: int
) -> pd.DataFrame:
    if n < 1:
        raise errors.bad_argument(f"n must be 1 or more, got {n!r}")
    rows = _machine_sets(tags, comments)
    people = sorted(rows["respondent_id"].unique())
    k = min(int(n), len(people))
    rng = np.random.default_rng(seed)
    pick = set(np.asarray(people, dtype=object)[rng.choice(len(people), size=k, replace=False)])
    sample = rows[rows["respondent_id"].isin(pick)]
    sample = sample.sort_values(["respondent_id"], kind="stable", ignore_index=True)
    sample = sample.assign(decision="", correct_theme="", notes="")[COMMENT_REVIEW_COLUMNS]
    sample.attrs["design"] = pd.DataFrame(
        [{"theme": "", "band": _RESPONDENTS, "population": len(people), "sampled": k}],
        columns=["theme", "band", "population", "sampled"],
    )
    return sample
