"""The evidence rows: tagged segments of the comments that count, with their references,
redacted text, consent, embedding and sentiment."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._framework._base import NOT_FOR_QUOTATION, REQUIRED_TAGS, truthy, unit
from commentmine._framework._polarity import polarity_scores, segment_polarity
from commentmine._framework._redaction import redact_texts, redaction_log
from commentmine._framework._refs import col, ref, turn, turn_order
from commentmine._tables import UNCODED


def check_inputs(tags: Any, comments: Any, summary_weight: float) -> None:
    """Raise when ``tags`` or ``comments`` is not such a table, or the weight is not in [0, 1]."""
    if not isinstance(tags, pd.DataFrame) or not isinstance(comments, pd.DataFrame):
        raise errors.bad_argument("tags and comments must be DataFrames (see commentmine.tag).")
    missing = [c for c in REQUIRED_TAGS if c not in tags.columns]
    if missing:
        raise errors.not_tags_table(missing, tags.columns)
    if "comment_id" not in comments.columns or "text" not in comments.columns:
        raise errors.bad_argument(
            "comments must be a comments table with comment_id and text (see commentmine.read)."
        )
    if not 0.0 <= summary_weight <= 1.0:
        raise errors.bad_argument(f"summary_weight={summary_weight}: give a value in [0, 1].")


def select_evidence(
    tags: pd.DataFrame, by_id: pd.DataFrame, case_of: dict[str, str], min_score: float
) -> pd.DataFrame:
    """Tagged segments of answered, non-interviewer comments, with their ``original`` text
    sliced from the comments (an error when the tags' own text does not match it)."""
    t = tags.copy()
    t["comment_id"] = t["comment_id"].astype(str)
    t["theme"] = t["theme"].astype(str)
    t = t[(t["theme"] != UNCODED) & (t["theme"].str.strip() != "")]
    if "is_interviewer" in t.columns:
        t = t[~t["is_interviewer"].map(truthy)]
    t = t[t["comment_id"].isin(case_of)]
    t["score"] = pd.to_numeric(t["score"], errors="coerce").fillna(1.0) if "score" in t else 1.0
    t = t[t["score"] >= min_score]
    t["start"] = t["start"].astype(int)
    t["end"] = t["end"].astype(int)

    texts = by_id["text"].fillna("").astype(str).to_dict()
    originals = [
        texts[c][s:e] for c, s, e in zip(t["comment_id"], t["start"], t["end"], strict=True)
    ]
    if "text" in t.columns:
        bad = [
            sid
            for sid, o, given in zip(t["segment_id"], originals, t["text"], strict=True)
            if isinstance(given, str) and given and given != o
        ]
        if bad:
            raise errors.bad_argument(
                f"tags offsets do not match the comments' text for {len(bad)} segment(s) "
                f"(e.g. {bad[0]!r}); give the comments the tags were made from."
            )
    t["original"] = originals
    return t[t["original"].str.strip() != ""]


def locate_evidence(
    t: pd.DataFrame, themes: pd.DataFrame, by_id: pd.DataFrame, case_of: dict[str, str]
) -> pd.DataFrame:
    """Each row's theme group, case, source, speaker, question and turn, in source order."""
    group_of = dict(zip(themes["theme"], themes["group"], strict=True))
    t["group"] = t["theme"].map(group_of)
    t["case"] = t["comment_id"].map(case_of)
    meta = by_id.reindex(t["comment_id"])
    t["source"] = col(meta, "source")
    t["speaker"] = col(meta, "speaker")
    t["question"] = col(meta, "question")
    t["turn"] = [turn(c, s) for c, s in zip(t["comment_id"], t["speaker"], strict=True)]
    t["_order"] = [turn_order(c) for c in t["comment_id"]]
    return t.sort_values(
        ["source", "_order", "comment_id", "start", "theme"], kind="mergesort"
    ).reset_index(drop=True)


def annotate_segments(
    t: pd.DataFrame,
    comments: pd.DataFrame,
    by_id: pd.DataFrame,
    *,
    redact_kw: dict[str, Any],
    consent_col: str | None,
    embedder: Any,
    polarity_cut: float,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """One redaction, embedding and sentiment per distinct segment, onto every evidence row
    (``text``, consent, speaker, ``sentiment``, ``polarity``, ``ref``).

    Returns the rows, the segments' unit embeddings (row ``_i`` of a row) and the redaction
    log."""
    seg = t.drop_duplicates("segment_id")[["segment_id", "original"]].reset_index(drop=True)
    red, found = redact_texts(seg["original"].tolist(), **redact_kw)
    redactions = redaction_log(seg["segment_id"].tolist(), seg["original"].tolist(), red, found)
    emb = embed(seg["original"].tolist(), embedder)
    sent = polarity_scores(seg["original"].tolist()) if len(seg) else np.zeros(0)
    pos_of = {sid: i for i, sid in enumerate(seg["segment_id"])}
    t["_i"] = t["segment_id"].map(pos_of).astype(int)
    t["text"] = [red[i] for i in t["_i"]]
    _bar_refusals(t, comments, by_id, consent_col)
    if redact_kw["level"]:  # a speaker label can be a name ("Hannah Price:")
        labels_ = sorted(set(t["speaker"]) - {""})
        red_label = dict(zip(labels_, redact_texts(labels_, **redact_kw)[0], strict=True))
        t["speaker"] = t["speaker"].map(lambda v: red_label.get(v, v))
    t["sentiment"] = np.round(sent[t["_i"].to_numpy()], 4) if len(t) else []
    t["polarity"] = segment_polarity(t["sentiment"].to_numpy(dtype=float), polarity_cut)
    t["ref"] = [
        ref(s, tu, c, q, a, b)
        for s, tu, c, q, a, b in zip(
            t["source"],
            t["turn"],
            t["comment_id"],
            t["question"],
            t["start"],
            t["end"],
            strict=True,
        )
    ]
    return t, emb, redactions


def _bar_refusals(
    t: pd.DataFrame, comments: pd.DataFrame, by_id: pd.DataFrame, consent_col: str | None
) -> None:
    """Mark (``_barred``) and hide the text of a do-not-quote respondent's rows."""
    if consent_col is not None:
        from commentmine._quotes._public import no_consent

        barred = set(
            comments.loc[comments[consent_col].map(no_consent), "respondent_id"].astype(str)
        )
        resp = by_id["respondent_id"].astype(str).to_dict()
        gone = t["comment_id"].map(resp).isin(barred).to_numpy()
        t.loc[gone, "text"] = NOT_FOR_QUOTATION
    else:
        gone = np.zeros(len(t), dtype=bool)
    t["_barred"] = gone


def get_embedder(embedder: Any) -> Any:
    """An Embedder from an Embedder, a name or None (the default)."""
    if embedder is not None and hasattr(embedder, "embed"):
        return embedder
    from commentmine.embed import select_embedder

    return select_embedder(embedder)


def embed(texts: list[str], embedder: Any) -> np.ndarray:
    """Unit embeddings of the texts."""
    if not texts:
        return np.zeros((0, 1))
    return unit(np.asarray(get_embedder(embedder).embed(texts), dtype=np.float64))
