"""The scores of segments x themes, step by step, and the per-theme thresholds.

:class:`Prepared` holds what scoring needs from the codebook and the embedder alone (term
matches, lengths, exclusion matches, embeddings), :class:`SeedScores` the evidence before
self-training (lexical, semantic, vetoes, seed score) and :class:`ScoreParts` all of it with the
classifier's probability, the fused score and the score rescaled so that each theme's threshold
sits at 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

#: BM25 saturation and length normalisation.
_K1, _B = 1.2, 0.75


@dataclass(frozen=True)
class Prepared:
    """The fit-independent part of scoring some segments (:meth:`Tagger.prepare`).

    Attributes
    ----------
    tf : csr_matrix (n, n_terms)
        Term matches (negation discounted).
    lengths : ndarray (n,)
        Lemma tokens per segment.
    ex_tf : csr_matrix (n, n_exclusions) or None
        Exclusion phrase matches (None: the codebook has none).
    emb : ndarray (n, dim)
        Segment embeddings.
    rows : int
        Segments prepared (``n``).
    """

    tf: sparse.csr_matrix
    lengths: np.ndarray
    ex_tf: sparse.csr_matrix | None
    emb: np.ndarray
    rows: int


@dataclass(frozen=True)
class SeedScores:
    """Evidence before self-training, each ``(n_segments, n_themes)`` (``tf``: per term).

    Attributes
    ----------
    tf : csr_matrix
        Term matches.
    lex : ndarray
        Lexical evidence in [0, 1]: BM25 squashed as ``raw / (raw + lex_scale)``.
    sem : ndarray
        Semantic evidence (cosine to the theme's anchors).
    nearest : ndarray of int
        Nearest example per theme (-1: none).
    veto : ndarray of bool
        An exclusion phrase of the theme occurs.
    seed : ndarray
        ``sem + lexical_weight * lex``; -1 where vetoed.
    seed01 : ndarray
        The seed score scaled into [0, 1].
    """

    tf: sparse.csr_matrix
    lex: np.ndarray
    sem: np.ndarray
    nearest: np.ndarray
    veto: np.ndarray
    seed: np.ndarray
    seed01: np.ndarray


@dataclass(frozen=True)
class ScoreParts:
    """Everything a segment's tags and evidence come from.

    Attributes
    ----------
    seed : SeedScores
    proba : ndarray
        The self-trained classifier's probability (NaN: no classifier).
    fused : ndarray
        ``classifier_weight * proba + (1 - classifier_weight) * seed01`` (``seed01`` for a
        theme without a classifier).
    score : ndarray
        ``fused`` rescaled so that the theme's threshold sits at 0.5; 0 where vetoed.
    """

    seed: SeedScores
    proba: np.ndarray
    fused: np.ndarray
    score: np.ndarray


def bm25_idf(tf: sparse.csr_matrix, n_docs: int) -> np.ndarray:
    """BM25 inverse document frequency of each term over ``n_docs`` segments."""
    N = max(n_docs, 1)
    df = np.asarray((tf > 0).sum(axis=0)).ravel()
    return np.log1p((N - df + 0.5) / (df + 0.5))


def bm25(
    tf: sparse.csr_matrix,
    lengths: np.ndarray,
    term_weights: np.ndarray,
    idf: np.ndarray,
    avgdl: float,
) -> np.ndarray:
    """Raw lexical score (n, n_themes): BM25 term saturation x IDF x term weight, summed."""
    tf = tf.tocsr(copy=True)
    denom_row = _K1 * (1 - _B + _B * lengths / max(avgdl, 1e-9))
    rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
    tf.data = tf.data * (_K1 + 1) / (tf.data + denom_row[rows])
    raw = tf @ (term_weights * idf[:, None])
    return np.asarray(raw, dtype=np.float64)


def seed_scores(
    tf: sparse.csr_matrix,
    raw: np.ndarray,
    lex_scale: float,
    sem: np.ndarray,
    nearest: np.ndarray,
    veto: np.ndarray,
    lexical_weight: float,
) -> SeedScores:
    """The seed score from the raw lexical score (:func:`bm25`), the semantic evidence and the
    vetoes."""
    lex = raw / (raw + lex_scale)
    seed = sem + lexical_weight * lex
    seed = np.where(veto, -1.0, seed)
    seed01 = np.clip(seed / (1.0 + lexical_weight), 0.0, 1.0)
    return SeedScores(tf=tf, lex=lex, sem=sem, nearest=nearest, veto=veto, seed=seed, seed01=seed01)


def count_thresholds(
    fused: np.ndarray, veto: np.ndarray, count_factor: float
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per theme, the raw fused score that tags about as many fit segments as rank it first
    (times ``count_factor``), and those estimated counts (None when there are no segments)."""
    n, K = fused.shape
    th = np.ones(K, dtype=np.float64)
    if n == 0:
        return th, None
    f = np.where(veto, -1.0, fused)
    top = np.argmax(f, axis=1)
    counts = np.bincount(top, minlength=K) * float(count_factor)
    for k in range(K):
        c = int(round(counts[k]))
        if c <= 0:
            th[k] = min(1.0, float(f[:, k].max()) + 1e-9)
            continue
        srt = np.sort(f[:, k])[::-1]
        # Midway between the c-th and (c+1)-th value, so no fitted row sits exactly on the
        # threshold (chunked and one-shot scoring then agree despite float rounding).
        c = min(c, n)
        cut = srt[c - 1] if c == n else 0.5 * (srt[c - 1] + srt[c])
        th[k] = float(np.clip(cut, 1e-6, 1.0 - 1e-6))
    return th, counts


def rescale(fused: np.ndarray, thresholds: np.ndarray, veto: np.ndarray) -> np.ndarray:
    """``fused`` mapped piecewise-linearly so that each theme's threshold sits at 0.5, clipped
    to [0, 1]; 0 where vetoed."""
    t = thresholds[None, :]
    score = np.where(
        fused <= t, 0.5 * fused / t, 0.5 + 0.5 * (fused - t) / np.maximum(1.0 - t, 1e-9)
    )
    score = np.clip(score, 0.0, 1.0)
    return np.where(veto, 0.0, score)
