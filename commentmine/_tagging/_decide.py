"""Which themes a comment gets, and on which of its segments: the tagger's decisions.

The scores in (``fused``: the raw [0, 1] evidence per segment and theme; ``score``: the same,
rescaled per theme so that the theme's own threshold sits at 0.5) are turned into decisions
*per comment*, not per segment, so that a comment's sentences do not each add their guesses:

1. **Comment evidence.** For each theme, a comment's evidence is its best segment's (``max``) when
   it has at most ``long_comment`` scored segments, and the mean over its segments when it has
   more: a long narrative is judged on its thrust, not on its asides. With ``whole`` (the
   comment's own text scored as one piece), the two are averaged with weight ``whole_weight``.
2. **Its best theme** is tagged when its rescaled evidence reaches ``floor`` (with
   ``floor_on_best``: when some segment's evidence for it does, so that a long comment of
   several distinct points is not left ``uncoded`` because each point is a minority of it);
   otherwise the comment stays ``uncoded``.
3. **Further themes** are tagged only when they reach their own threshold *and* their evidence
   is at least ``relative`` times the best theme's: one broad theme that is merely near the top
   everywhere does not ride along on every comment. With ``max_similarity``, a further theme
   whose own text (``label: description``) is closer than that (cosine) to a theme the comment
   already has is left out: near-synonym themes (two neighbouring intents, two sides of one key
   point) are one idea scored twice, not two ideas. Themes are taken strongest first. At most
   ``max_themes`` themes.
4. **Segments.** A chosen theme sits on the comment's segments that reach its threshold, or on
   its best segment when none does; the comment's other segments are ``uncoded``.

Everything here is a row-wise (per comment) transform of the scores: decisions for a comment do
not depend on the other comments in the call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Decisions:
    """How scores become tags (see the module docs)."""

    long_comment: int | None = 3
    relative: float = 0.8
    floor: float = 0.4
    max_themes: int = 3
    whole_weight: float = 0.0
    floor_on_best: bool = False
    max_similarity: float | None = None


def comment_codes(comment_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per segment, unique comment ids in first-seen order)."""
    codes, uniq = pd.factorize(pd.Series(comment_ids, dtype=object), sort=False)
    return codes.astype(np.int64), np.asarray(uniq, dtype=object)


def aggregate(
    values: np.ndarray, codes: np.ndarray, valid: np.ndarray, n: int, long_comment: int | None
) -> np.ndarray:
    """Per comment and theme: the max over its valid segments, or their mean when it has more
    than ``long_comment`` of them; ``-inf`` for a comment with no valid segment."""
    K = values.shape[1]
    v = np.flatnonzero(valid)
    best = np.full((n, K), -np.inf)
    np.maximum.at(best, codes[v], values[v])
    if long_comment is None:
        return best
    counts = np.bincount(codes[v], minlength=n)
    total = np.zeros((n, K))
    np.add.at(total, codes[v], values[v])
    mean = total / np.maximum(counts, 1)[:, None]
    return np.where((counts > int(long_comment))[:, None], mean, best)


def decide(
    fused: np.ndarray,
    score: np.ndarray,
    thresholds: np.ndarray,
    codes: np.ndarray,
    n_comments: int,
    valid: np.ndarray,
    rules: Decisions,
    *,
    whole_fused: np.ndarray | None = None,
    whole_score: np.ndarray | None = None,
    similarity: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean (n_segments, n_themes): which theme each segment carries.

    Parameters
    ----------
    fused, score : ndarray (n_segments, n_themes)
        Raw and rescaled scores; rows that are not ``valid`` (non-answers, vetoed) are ignored.
    thresholds : ndarray (n_themes,)
        Each theme's decision point on the rescaled score (0.5 unless set).
    codes : ndarray (n_segments,)
        Comment code of each segment (``0 .. n_comments - 1``).
    valid : ndarray (n_segments,) of bool
        Segments that may carry a theme.
    whole_fused, whole_score : ndarray (n_comments, n_themes), optional
        The comments' own texts scored as one piece (NaN rows: not scored).
    similarity : ndarray (n_themes, n_themes), optional
        Cosine between the themes' texts, for ``rules.max_similarity``.
    """
    n_seg, K = score.shape
    hit = np.zeros((n_seg, K), dtype=bool)
    if n_seg == 0 or K == 0:
        return hit
    raw = aggregate(fused, codes, valid, n_comments, rules.long_comment)
    resc = aggregate(score, codes, valid, n_comments, rules.long_comment)
    if whole_fused is not None and whole_score is not None and rules.whole_weight > 0:
        w = float(rules.whole_weight)
        have = np.isfinite(whole_fused).all(axis=1) & np.isfinite(raw).all(axis=1)
        raw[have] = (1 - w) * raw[have] + w * whole_fused[have]
        resc[have] = (1 - w) * resc[have] + w * whole_score[have]
    scored = np.isfinite(raw).all(axis=1)
    top = np.argmax(np.where(np.isfinite(raw), raw, -np.inf), axis=1)
    rows = np.arange(n_comments)
    g_top = raw[rows, top]
    chosen = (resc >= thresholds[None, :]) & (raw >= float(rules.relative) * g_top[:, None])
    chosen[rows, top] = True
    if rules.floor_on_best and rules.long_comment is not None:
        reach = aggregate(score, codes, valid, n_comments, None)[rows, top]
    else:
        reach = resc[rows, top]
    chosen &= (reach >= float(rules.floor))[:, None] & scored[:, None]
    # Strongest first (ties: codebook order): no near-synonym of a theme already taken, and
    # at most max_themes per comment.
    close = None
    if rules.max_similarity is not None and similarity is not None:
        close = similarity >= float(rules.max_similarity)
        np.fill_diagonal(close, False)
    chosen = _greedy(chosen, raw, close, int(rules.max_themes))
    # Segments: those reaching the theme's threshold, else the theme's best segment.
    seg_chosen = chosen[codes] & valid[:, None]
    hit = seg_chosen & (score >= thresholds[None, :])
    missing = chosen.copy()
    np.logical_and.at(missing, codes, ~hit)  # still True: no segment of the comment reached it
    lone_c, lone_k = np.nonzero(missing & chosen)
    if lone_c.size:
        masked = np.where(valid[:, None], score, -np.inf)
        order = np.lexsort((np.arange(n_seg), codes))  # segments grouped by comment, in order
        first = np.searchsorted(codes[order], np.arange(n_comments), side="left")
        last = np.searchsorted(codes[order], np.arange(n_comments), side="right")
        for c, k in zip(lone_c.tolist(), lone_k.tolist(), strict=True):
            segs = order[first[c] : last[c]]
            hit[segs[int(np.argmax(masked[segs, k]))], k] = True
    return hit


def _greedy(
    chosen: np.ndarray, raw: np.ndarray, close: np.ndarray | None, limit: int
) -> np.ndarray:
    """Per comment, walk its chosen themes strongest first (ties: codebook order) and keep each
    one that is no near-synonym (``close``) of a theme already kept, up to ``limit``."""
    many = chosen.sum(axis=1) > (1 if close is not None else limit)
    if not many.any():
        return chosen
    rows = np.flatnonzero(many)
    sub, val = chosen[rows], np.where(chosen[rows], raw[rows], -np.inf)
    order = np.argsort(-val, axis=1, kind="stable")
    kept = np.zeros_like(sub)
    count = np.zeros(len(rows), dtype=np.int64)
    r = np.arange(len(rows))
    for j in range(sub.shape[1]):
        k = order[:, j]
        ok = sub[r, k]
        if not ok.any():  # chosen themes sort first: none is left in any row
            break
        ok &= count < limit
        if close is not None:
            ok &= ~(close[k] & kept).any(axis=1)
        kept[r[ok], k[ok]] = True
        count += ok
    out = chosen.copy()
    out[rows] = kept
    return out
