"""The codebook tagger inside a theme model (``codebook_prior``): fitted on the coded and
unlabelled texts with up to ``tagger_examples`` coded texts per theme as extra codebook examples,
its text-level scores cross-fitted on the coded rows (see :func:`commentmine.train`).

It uses the :class:`commentmine.Tagger` through its public methods only (``fit``,
``score``, ``themes_``); the theme model saves it with ``get_state`` / ``from_state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._tagging._tagger import Tagger


def with_examples(codebook: Any, examples: dict[str, list[str]]) -> Any:
    """``codebook`` with ``examples`` (theme id -> coded texts) added to its themes' own."""
    if not examples:
        return codebook
    import dataclasses

    themes = tuple(
        dataclasses.replace(t, examples=tuple(t.examples) + tuple(examples.get(t.id, ())))
        if t.id in examples
        else t
        for t in codebook.themes
    )
    return dataclasses.replace(codebook, themes=themes)


def tagger_scores(
    tagger: Any, texts: Sequence[str], segs: pd.DataFrame | None = None
) -> np.ndarray:
    """Text-level tagger scores (n_texts, n_leaf_themes): the best segment's score per theme
    (a text with no segment scores 0).

    ``segs``: ``segment(texts)`` when already made, or the rows of it to score (the other
    texts then score 0).
    """
    from commentmine._segment import segment

    out = np.zeros((len(texts), len(tagger.themes_)))
    if not len(texts):
        return out
    if segs is None:
        segs = segment(list(texts))
    if len(segs):
        s = tagger.score(segs)
        rows = segs["comment_id"].astype(int).to_numpy() - 1
        np.maximum.at(out, rows, s)
    return out


@dataclass
class Prior:
    """A fitted tagger, the coded texts it took as examples, and its (cross-fitted)
    text-level scores of the texts it was fitted on."""

    tagger: Tagger
    examples: dict[str, list[str]] = field(default_factory=dict)
    scores: np.ndarray | None = None


def pick_examples(
    texts: Sequence[str],
    Y: np.ndarray,
    rows: np.ndarray,
    themes: Sequence[str],
    *,
    per_theme: int,
    seed: int,
) -> dict[str, list[str]]:
    """Up to ``per_theme`` coded texts per theme among ``rows`` (seeded, in row order):
    ``{theme id: [text, ...]}``, themes without one left out."""
    n = int(per_theme)
    rng = np.random.default_rng(int(seed))
    out: dict[str, list[str]] = {}
    for k, t in enumerate(themes):
        pos = rows[Y[rows, k]]
        if n <= 0 or not len(pos):
            continue
        keep = np.sort(rng.permutation(len(pos))[:n])
        out[t] = [texts[int(i)] for i in pos[keep]]
    return out


def new_tagger(
    codebook: Any,
    examples: dict[str, list[str]],
    segs: pd.DataFrame,
    *,
    embedder: Any,
    options: dict[str, Any] | None,
    seed: int,
) -> Tagger:
    """A Tagger on ``codebook`` plus ``examples``, fitted on ``segs``."""
    from commentmine._tagging._tagger import Tagger

    cb = with_examples(codebook, examples)
    opts = dict(options or {})
    opts.setdefault("seed", int(seed))
    return Tagger(cb, embedder=embedder, **opts).fit(segs)


def fit_prior(
    texts: Sequence[str],
    coded: Sequence[str],
    Y: np.ndarray | None,
    *,
    codebook: Any,
    themes: Sequence[str],
    embedder: Any,
    per_theme: int,
    options: dict[str, Any] | None,
    seed: int,
) -> Prior:
    """Fit the codebook tagger on ``texts`` (unlabelled); its text-level scores.

    ``texts`` starts with the ``coded`` texts, whose labels ``Y`` (columns ``themes``) supply
    the tagger's extra examples (``per_theme`` per theme). Their own scores are cross-fitted:
    two taggers, each with examples from one half of the coded rows, score the other half.
    """
    from commentmine._segment import segment

    segs = segment(list(texts))
    n = len(coded)
    rows = np.arange(n)
    examples: dict[str, list[str]] = {}
    pick = dict(per_theme=int(per_theme), seed=int(seed))
    if Y is not None and n and int(per_theme) > 0:
        examples = pick_examples(coded, Y, rows, themes, **pick)
    fit = dict(embedder=embedder, options=options, seed=int(seed))
    tagger = new_tagger(codebook, examples, segs, **fit)
    scores = tagger_scores(tagger, texts, segs)
    if not examples:
        return Prior(tagger, examples, scores)
    half = np.random.default_rng(int(seed)).permutation(n) % 2
    seg_text = segs["comment_id"].astype(int).to_numpy() - 1  # segment(texts) numbers from 1
    for f in (0, 1):
        other = pick_examples(coded, Y, rows[half != f], themes, **pick)
        fold = new_tagger(codebook, other, segs, **fit)
        own = rows[half == f]
        scores[own] = tagger_scores(fold, texts, segs[np.isin(seg_text, own)])[own]
    return Prior(tagger, examples, scores)
