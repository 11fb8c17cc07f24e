"""What a theme's text is, and the anchors the semantic evidence is measured against.

:func:`theme_text` is the one definition of a theme as a text: ``"label: description"`` (the
label alone when there is no description), or with ``examples=True`` the label, description and
examples as sentences (quotes' relevance target). :func:`anchor_texts` adds the theme's keywords
(without ``*``) and its examples. The tagger (:func:`commentmine.tag`), the theme models
(:func:`commentmine.train`), discovery and quotes embed these.

The tagger's semantic evidence of a segment for a theme is the mean, over the anchors the theme
has, of the cosine to its text, the best cosine to one of its keywords and the best cosine to
one of its examples (:func:`semantic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from commentmine._blas import rowwise_dot


def theme_text(theme: Any, *, examples: bool = False) -> str:
    """A theme as one text: its label (its id when it has none) and its description.

    Parameters
    ----------
    theme : Theme
    examples : bool, default False
        False: ``"label: description"``, or the label alone when there is no description
        (what the tagger, the theme models and discovery embed as the theme: its first
        anchor). True: the label, the description and each example as sentences,
        ``"label. description. example. example"`` (what :func:`commentmine.quotes` ranks a
        candidate's relevance against, with ``weights[2]``; the examples bring the text
        closer to how respondents word the theme).
    """
    label = str(theme.label or theme.id)
    description = str(theme.description) if theme.description else ""
    if examples:
        parts = [label, *([description] if description else []), *map(str, theme.examples)]
        return ". ".join(parts)
    return f"{label}: {description}" if description else label


def anchor_texts(theme: Any) -> list[str]:
    """:func:`theme_text`, then each keyword without its ``*`` wildcards, then each example."""
    return [theme_text(theme), *(kw.replace("*", "") for kw in theme.keywords), *theme.examples]


@dataclass(frozen=True)
class Anchors:
    """Embedded anchors of the scored themes.

    Attributes
    ----------
    vectors : ndarray (n_anchors, dim)
    owner : list of (theme column, kind)
        Per anchor; kind ``"desc"`` (the theme's text), ``"kw"`` or ``"ex"``.
    examples : list of list of str
        Per theme, its examples (what ``nearest`` indexes).
    """

    vectors: np.ndarray
    owner: list[tuple[int, str]]
    examples: list[list[str]]


def build_anchors(codebook: Any, theme_ids: Sequence[str], embedder: Any) -> Anchors:
    """Embed the :func:`anchor_texts` of each scored theme, in one call."""
    texts: list[str] = []
    owner: list[tuple[int, str]] = []
    examples: list[list[str]] = []
    for k, tid in enumerate(theme_ids):
        t = codebook.theme(tid)
        kinds = ["desc"] + ["kw"] * len(t.keywords) + ["ex"] * len(t.examples)
        texts += anchor_texts(t)
        owner += [(k, kind) for kind in kinds]
        examples.append(list(t.examples))
    vecs = np.asarray(embedder.embed(texts), dtype=np.float32)
    return Anchors(vectors=vecs, owner=owner, examples=examples)


def semantic(emb: np.ndarray, anchors: Anchors, n_themes: int) -> tuple[np.ndarray, np.ndarray]:
    """Semantic evidence (n, n_themes) of segment embeddings ``emb``, and per segment and
    theme the index of its nearest example (-1: the theme has none)."""
    n = emb.shape[0]
    sims = rowwise_dot(emb, anchors.vectors)  # (n, n_anchors); rows batch-independent
    sem = np.zeros((n, n_themes), dtype=np.float64)
    nearest = np.full((n, n_themes), -1, dtype=np.int64)
    for k in range(n_themes):
        cols = [i for i, (o, _) in enumerate(anchors.owner) if o == k]
        kinds = [anchors.owner[i][1] for i in cols]
        parts = [sims[:, cols[kinds.index("desc")]]]
        kw_cols = [c for c, kind in zip(cols, kinds, strict=True) if kind == "kw"]
        ex_cols = [c for c, kind in zip(cols, kinds, strict=True) if kind == "ex"]
        if kw_cols:
            parts.append(sims[:, kw_cols].max(axis=1))
        if ex_cols:
            ex_s = sims[:, ex_cols]
            parts.append(ex_s.max(axis=1))
            nearest[:, k] = ex_s.argmax(axis=1)
        sem[:, k] = np.mean(parts, axis=0)
    return sem, nearest


def theme_similarity(codebook: Any, theme_ids: Sequence[str]) -> np.ndarray:
    """Cosine between the themes' own texts (``label: description``), ``(K, K)``, measured by
    the default embedder (the bundled MiniLM) whichever embedder scores the comments, so that a
    similarity cap means the same with the static model (whose cosines run higher)."""
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

    texts = [theme_text(codebook.theme(tid)) for tid in theme_ids]
    vecs = np.asarray(select_embedder(DEFAULT_EMBEDDER).embed(texts), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return vecs @ vecs.T
