"""Discovery's input: options checked, the input as segments, embeddings and anchors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._tables import UNCODED

if TYPE_CHECKING:  # pragma: no cover
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

#: Median words per comment from which ``unit="auto"`` clusters whole comments.
LONG_COMMENT_WORDS = 100


@dataclass(frozen=True)
class _Settings:
    """The arguments of one :func:`commentmine.discover` call, checked (E502) when made."""

    comments_or_segments: Any
    codebook: Any
    uncoded_only: bool
    n_themes: int | None
    seed: int
    embedder: Any
    seed_words: bool
    min_theme_size: int | None
    min_themes: int
    max_themes: int
    lexical_weight: float
    outlier_similarity: float
    match_threshold: float
    stop_phrases: Sequence[str]
    name_spread: float
    merge_similarity: float
    neighbours: int
    split_spread: float
    n_quotes: int
    redact: bool
    unit: str
    name: str

    def __post_init__(self) -> None:
        _check_options(**vars(self))


def _check_options(**kw: Any) -> None:
    problems = []
    n_themes = kw["n_themes"]
    if n_themes is not None and (not isinstance(n_themes, int) or n_themes < 2):
        problems.append(f"n_themes must be an integer >= 2, got {n_themes!r}")
    if not isinstance(kw["min_themes"], int) or kw["min_themes"] < 2:
        problems.append(f"min_themes must be an integer >= 2, got {kw['min_themes']!r}")
    if not isinstance(kw["max_themes"], int) or kw["max_themes"] < kw["min_themes"]:
        problems.append(f"max_themes must be an integer >= min_themes, got {kw['max_themes']!r}")
    mts = kw["min_theme_size"]
    if mts is not None and (not isinstance(mts, int) or mts < 1):
        problems.append(f"min_theme_size must be an integer >= 1, got {mts!r}")
    for key in ("outlier_similarity", "match_threshold"):
        if not isinstance(kw[key], int | float) or not -1.0 <= kw[key] <= 1.0:
            problems.append(f"{key} must be a number in [-1, 1], got {kw[key]!r}")
    lw = kw["lexical_weight"]
    if not isinstance(lw, int | float) or isinstance(lw, bool) or not 0.0 <= lw < 1.0:
        problems.append(f"lexical_weight must be a number in [0, 1), got {lw!r}")
    if not isinstance(kw["seed"], int) or isinstance(kw["seed"], bool):
        problems.append(f"seed must be an integer, got {kw['seed']!r}")
    ns = kw["name_spread"]
    if not isinstance(ns, int | float) or isinstance(ns, bool) or ns <= 0:
        problems.append(f"name_spread must be a number > 0 (above 1: off), got {ns!r}")
    ms = kw["merge_similarity"]
    if not isinstance(ms, int | float) or isinstance(ms, bool) or not 0.0 < ms <= 1.0:
        problems.append(f"merge_similarity must be a number in (0, 1], got {ms!r}")
    nb = kw["neighbours"]
    if not isinstance(nb, int) or isinstance(nb, bool) or nb < 0:
        problems.append(f"neighbours must be an integer >= 0, got {nb!r}")
    sp = kw["split_spread"]
    if not isinstance(sp, int | float) or isinstance(sp, bool) or not 0.0 <= sp <= 1.0:
        problems.append(f"split_spread must be a number in [0, 1], got {sp!r}")
    nq = kw["n_quotes"]
    if not isinstance(nq, int) or isinstance(nq, bool) or nq < 0:
        problems.append(f"n_quotes must be an integer >= 0, got {nq!r}")
    if kw["unit"] not in ("auto", "segment", "comment"):
        problems.append(f"unit must be 'auto', 'segment' or 'comment', got {kw['unit']!r}")
    if kw["uncoded_only"] and kw["codebook"] is None:
        problems.append("uncoded_only=True needs a codebook (--codebook) to tag with first")
    if problems:
        raise errors.bad_discovery_option("; ".join(problems))


def _as_segments(data: pd.DataFrame | Sequence[str], unit: str = "segment") -> pd.DataFrame:
    from commentmine._tables import COMMENT_COLUMNS

    if not isinstance(data, pd.DataFrame):
        if isinstance(data, str) or not isinstance(data, Sequence):
            raise errors.bad_discovery_option(
                "discover() takes a comments table, a segments table or a list of texts, "
                f"not {type(data).__name__}"
            )
        texts = [str(t) for t in data]
        ids = [str(i) for i in range(1, len(texts) + 1)]
        data = pd.DataFrame(
            {
                "comment_id": ids,
                "respondent_id": ids,
                "question": "",
                "text": texts,
                "source": "",
                "status": ["ok" if t.strip() else "empty" for t in texts],
                "speaker": "",
                "is_interviewer": False,
            },
            columns=COMMENT_COLUMNS,
        )
    if "segment_id" in data.columns:
        for col in ("segment_id", "comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="segments column")
        segments = data
    else:
        for col in ("comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="comments column")
        if unit == "auto":
            words = data["text"].fillna("").astype(str).str.split().str.len()
            unit = "comment" if len(words) and words.median() >= LONG_COMMENT_WORDS else "segment"
        if unit == "comment":
            segments = _whole_comments(data)
        else:
            from commentmine._segment import segment

            segments = segment(data, include_interviewer=False)
    if "is_interviewer" in segments.columns:
        segments = segments[~segments["is_interviewer"].astype(bool)]
    return segments


def _whole_comments(data: pd.DataFrame) -> pd.DataFrame:
    """One segment per comment: its whole text (blank comments and interviewers left out)."""
    keep = data[data["text"].fillna("").astype(str).str.strip() != ""]
    if "is_interviewer" in keep.columns:
        keep = keep[~keep["is_interviewer"].fillna(False).astype(bool)]
    text = keep["text"].astype(str)
    out = pd.DataFrame(
        {
            "segment_id": keep["comment_id"].astype(str) + "-1",
            "comment_id": keep["comment_id"].astype(str),
            "start": 0,
            "end": text.str.len(),
            "text": text,
        }
    )
    for col in ("respondent_id", "question", "source", "speaker"):
        if col in keep.columns:
            out[col] = keep[col].to_numpy()
    return out.reset_index(drop=True)


def _uncoded_segments(
    segments: pd.DataFrame, cb: Codebook | None, emb: Embedder | str | None, seed: int
) -> pd.DataFrame:
    from commentmine._tagging._public import tag

    tags = tag(segments, cb, embedder=emb, seed=seed)
    uncoded = set(tags.loc[tags["theme"] == UNCODED, "segment_id"].astype(str))
    return segments[segments["segment_id"].astype(str).isin(uncoded)]


def _embed(emb: Embedder, texts: list[str]) -> np.ndarray:
    vectors = np.asarray(emb.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _seed_topics(cb: Codebook) -> list[list[str]] | None:
    topics = []
    for theme in cb.themes:
        words = [w.replace("*", "").strip() for w in theme.keywords]
        words = [w for w in words if w]
        if words:
            topics.append(words)
    return topics or None


def _anchors(cb: Codebook, emb: Embedder) -> np.ndarray:
    from commentmine._tagging._anchors import theme_text

    return _embed(emb, [theme_text(t) for t in cb.themes])
