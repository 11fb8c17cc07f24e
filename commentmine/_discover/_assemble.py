"""Discovery's output: themes described (labels, quotes), matched and assembled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine._discover._assign import OUTLIER
from commentmine._discover._prepare import _embed

if TYPE_CHECKING:  # pragma: no cover
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

ASSIGNMENT_COLUMNS = ["comment_id", "segment_id", "theme"]
COMMENT_ASSIGNMENT_COLUMNS = ["comment_id", "theme"]
THEME_COLUMNS = [
    "id",
    "label",
    "size",
    "keywords",
    "matched_codebook_theme",
    "similarity",
    "status",
]


@dataclass(frozen=True)
class _Found:
    label: int
    size: int
    keywords: list[str]
    title: str
    description: str
    slug: str
    examples: list[str]
    centroid: np.ndarray


def _describe(
    segments: pd.DataFrame,
    source: pd.DataFrame | None,
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    scores: dict[int, list[tuple[str, float]]],
    an: Any,
    banned: set[str],
    emb: Embedder,
    n_quotes: int,
    redact: bool,
) -> list[_Found]:
    from commentmine._discover._labels import label_themes

    ids = [int(t) for t in dict.fromkeys(labels.tolist()) if t >= 0]
    sizes = {t: int((labels == t).sum()) for t in ids}
    order = sorted(ids, key=lambda t: -sizes[t])  # stable: ties keep first appearance
    members = {t: np.flatnonzero(labels == t) for t in order}
    cents = {}
    for t in order:
        c = vectors[members[t]].mean(axis=0)
        cents[t] = c / max(float(np.linalg.norm(c)), 1e-12)
    keyed = {t: [(tuple(w.split()), sc) for w, sc in scores.get(t, [])] for t in order}
    names = label_themes(order, members, keyed, an, cents, lambda xs: _embed(emb, list(xs)), banned)
    quotes = _quotes(segments, source, texts, vectors, labels, order, cents, emb, n_quotes, redact)
    found = []
    for t in order:
        lab = names[t]
        found.append(
            _Found(
                label=t,
                size=sizes[t],
                keywords=lab.keywords,
                title=lab.label,
                description=lab.description,
                slug=_slug(lab.label),
                examples=quotes.get(t, []),
                centroid=cents[t],
            )
        )
    return found


_QUOTE_POOL = 60  # segments nearest each centroid that the quote picker chooses from


def _quotes(
    segments: pd.DataFrame,
    source: pd.DataFrame | None,
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    order: list[int],
    cents: dict[int, np.ndarray],
    emb: Embedder,
    n: int,
    redact: bool,
) -> dict[int, list[str]]:
    """Up to ``n`` representative, varied, redacted quotes per theme (commentmine.quotes).

    The pool is each theme's ``_QUOTE_POOL`` segments nearest its centroid, scored by that
    cosine; :func:`commentmine.quotes` trims them to whole sentences, drops
    near-duplicates, picks by relevance and variety (MMR) and redacts.
    """
    if n < 1 or not order:
        return {}
    rows = []
    for t in order:
        idx = np.flatnonzero(labels == t)
        sims = vectors[idx] @ cents[t]
        ranked = idx[np.lexsort((idx, -np.round(sims, 6)))][:_QUOTE_POOL]
        for i in ranked:
            rows.append((i, t, float(np.clip(vectors[i] @ cents[t], 0.0, 1.0))))
    have_spans = {"start", "end"} <= set(segments.columns)
    if not have_spans:
        return _nearest_quotes(texts, rows, n, redact)
    from commentmine._quotes._public import quotes as pick_quotes

    tags = pd.DataFrame(
        {
            "comment_id": [str(segments.at[i, "comment_id"]) for i, _, _ in rows],
            "segment_id": [str(segments.at[i, "segment_id"]) for i, _, _ in rows],
            "start": [int(segments.at[i, "start"]) for i, _, _ in rows],
            "end": [int(segments.at[i, "end"]) for i, _, _ in rows],
            "text": [texts[i] for i, _, _ in rows],
            "theme": [f"t{t}" for _, t, _ in rows],
            "score": [round(s, 6) for _, _, s in rows],
        }
    )
    comments = None
    if source is not None and {"comment_id", "text"} <= set(source.columns):
        comments = source[["comment_id", "text"]].astype({"comment_id": str})
    picked = pick_quotes(
        tags,
        n=n,
        min_score=0.0,
        min_words=4,
        max_words=40,
        redact=redact,
        embedder=emb,
        comments=comments,
        weights=(1.0, 0.0, 0.0),
    )
    out: dict[int, list[str]] = {}
    for rec in picked.itertuples(index=False):
        out.setdefault(int(str(rec.theme)[1:]), []).append(str(rec.text))
    return out


def _nearest_quotes(texts, rows, n: int, redact: bool) -> dict[int, list[str]]:
    from commentmine._redact._public import redact_many

    out: dict[int, list[str]] = {}
    seen: set[str] = set()
    for i, t, _ in rows:
        key = " ".join(texts[i].split()).casefold()
        if key in seen or len(out.get(t, [])) >= n:
            continue
        seen.add(key)
        out.setdefault(t, []).append(texts[i])
    if redact:
        for t, qs in out.items():
            out[t] = redact_many(qs)
    return out


def _slug(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return slug[:40].strip("_") or "theme"


def _match(
    f: _Found,
    cb: Codebook | None,
    anchors: np.ndarray | None,
    baseline: np.ndarray | None,
    match_threshold: float,
) -> tuple[dict[str, Any], str, float]:
    """A theme's ``meta`` (matched or emergent, with the cosine and the lift to the nearest
    codebook theme), the codebook theme it matches ("" when emergent) and that cosine."""
    if cb is None or anchors is None or not len(anchors):
        return {"status": "emergent", "size": f.size}, "", float("nan")
    matched = ""
    sims = anchors @ f.centroid
    lift = sims - baseline if baseline is not None else sims
    best = int(np.argmax(np.round(lift, 6)))
    similarity = round(float(sims[best]), 3)
    gain = round(float(lift[best]), 3)
    meta: dict[str, Any]
    if gain >= match_threshold:
        matched = cb.themes[best].id
        meta = {
            "status": "matched",
            "matched_theme": matched,
            "similarity": similarity,
            "lift": gain,
        }
    else:
        meta = {
            "status": "emergent",
            "nearest_theme": cb.themes[best].id,
            "similarity": similarity,
            "lift": gain,
        }
    meta["size"] = f.size
    return meta, matched, similarity


def _assemble(
    segments: pd.DataFrame,
    found: list[_Found],
    labels: np.ndarray,
    cb: Codebook | None,
    anchors: np.ndarray | None,
    baseline: np.ndarray | None,
    match_threshold: float,
    name: str,
    seed: int,
    n_themes: int | None,
    removed_names: list[str],
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame]:
    """The draft codebook, the segments' assignments and the themes table."""
    from commentmine.codebook import Codebook, Theme

    width = max(2, len(str(len(found))))
    themes = []
    rows = []
    id_of: dict[int, str] = {}
    for rank, f in enumerate(found, start=1):
        theme_id = f"d{rank:0{width}d}_{f.slug}"
        id_of[f.label] = theme_id
        meta, matched, similarity = _match(f, cb, anchors, baseline, match_threshold)
        themes.append(
            Theme(
                id=theme_id,
                label=f.title,
                description=f.description,
                keywords=tuple(f.keywords),
                examples=tuple(f.examples),
                meta=meta,
            )
        )
        rows.append(
            {
                "id": theme_id,
                "label": f.title,
                "size": f.size,
                "keywords": "; ".join(f.keywords),
                "matched_codebook_theme": matched,
                "similarity": similarity,
                "status": meta["status"],
            }
        )
    cb_meta: dict[str, Any] = {
        "generated_by": "commentmine.discover",
        "seed": seed,
        "n_segments": len(segments),
        "n_outliers": int((labels < 0).sum()),
    }
    if n_themes is not None:
        cb_meta["n_themes_requested"] = n_themes
    if removed_names:
        cb_meta["names_left_out"] = removed_names
    if cb is not None:
        cb_meta["matched_against"] = cb.name
    draft = Codebook(
        name=name,
        description="Draft codebook from commentmine discover: review, rename, merge and edit "
        "the themes, then tag with it.",
        themes=tuple(themes),
        meta=cb_meta,
    )
    theme_col = [id_of.get(int(t), OUTLIER) for t in labels]
    assignments = pd.DataFrame(
        {
            "comment_id": segments["comment_id"].astype(str).to_numpy(),
            "segment_id": segments["segment_id"].astype(str).to_numpy(),
            "theme": theme_col,
        },
        columns=ASSIGNMENT_COLUMNS,
    )
    return draft, assignments, pd.DataFrame(rows, columns=THEME_COLUMNS)


def _comment_majority(assignments: pd.DataFrame) -> pd.DataFrame:
    """A comment's theme: its segments' majority theme, ties to the lower id; outliers last."""
    if assignments.empty:
        return pd.DataFrame(columns=COMMENT_ASSIGNMENT_COLUMNS)
    ids = assignments["comment_id"].astype(str)
    counts = (
        pd.DataFrame({"comment_id": ids, "theme": assignments["theme"].astype(str)})
        .groupby(["comment_id", "theme"], sort=False)
        .size()
        .reset_index(name="n")
    )
    counts["is_outlier"] = counts["theme"] == OUTLIER
    counts = counts.sort_values(
        ["is_outlier", "n", "theme"], ascending=[True, False, True], kind="mergesort"
    )
    best = counts.drop_duplicates("comment_id").set_index("comment_id")["theme"]
    order = pd.unique(ids)
    return pd.DataFrame(
        {"comment_id": order, "theme": best.reindex(order).to_numpy()},
        columns=COMMENT_ASSIGNMENT_COLUMNS,
    )
