"""Ranking and picking: relevance, maximal marginal relevance (MMR), near-duplicates."""

from __future__ import annotations

import re

import numpy as np

from commentmine._quotes._candidates import Cand
from commentmine._quotes._options import QuoteOptions

_WORD = re.compile(r"[a-z0-9']+")


def passage_key(text: str) -> str:
    """What makes two quotes the same passage: their words, whatever the case and punctuation."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def repeats(key: str, picked: set[str], min_words: int = 6) -> bool:
    """Whether a passage (its :func:`passage_key`) repeats one already quoted: the same words,
    or one inside the other ("Another thing: we have a data-sharing agreement ..." after "We
    have a data-sharing agreement ..."), the shorter of at least ``min_words`` words."""
    if key in picked:
        return True
    k = f" {key} "
    n = len(key.split())
    return any(
        min(n, len(p.split())) >= min_words and (f" {p} " in k or k in f" {p} ") for p in picked
    )


def unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def word_runs(text: str, k: int | None) -> set[tuple[str, ...]]:
    """Every run of ``k`` consecutive words of ``text`` (its :func:`passage_key`); none when
    ``k`` is None.

    >>> sorted(word_runs("Co-designing it, with us.", 3))
    [('co', 'designing', 'it'), ('designing', 'it', 'with'), ('it', 'with', 'us')]
    """
    if k is None:
        return set()
    w = passage_key(text).split()
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / max(1, len(a | b))


class Quoted:
    """What a report has quoted so far, so that no passage is quoted under two themes."""

    def __init__(self) -> None:
        self.by_comment: dict[str, list[Cand]] = {}
        self.keys: set[str] = set()

    def fresh(self, cands: list[Cand]) -> list[Cand]:
        """Candidates that neither repeat a quoted passage nor overlap a quoted span."""
        return [
            c
            for c in cands
            if not repeats(passage_key(c.text), self.keys)
            and not any(
                c.start < p.end and p.start < c.end for p in self.by_comment.get(c.comment_id, ())
            )
        ]

    def add(self, c: Cand) -> None:
        self.by_comment.setdefault(c.comment_id, []).append(c)
        self.keys.add(passage_key(c.text))


def score_relevance(
    cands: list[Cand],
    tid: str,
    emb: dict[str, np.ndarray],
    theme_vec: dict[str, np.ndarray],
    opts: QuoteOptions,
) -> None:
    """Set each candidate's vector, word set and relevance (``rel``), see ``weights``."""
    for c in cands:
        c.emb = emb[c.text]
        c.toks = _tokens(c.text)
        c.grams = word_runs(c.text, opts.max_shared_words)
    centroid = np.mean([c.emb for c in cands], axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    w_s, w_c, w_d = opts.weights
    for c in cands:
        tv = theme_vec.get(c.side or tid)
        c.rel = w_s * c.score + w_c * float(c.emb @ centroid)
        if tv is not None:
            c.rel += w_d * float(c.emb @ tv)
        if opts.prefer_primary and c.primary:
            c.rel += 10.0


def pick(
    cands: list[Cand], sides: list[str], opts: QuoteOptions, limit: dict[str, int] | None = None
) -> list[Cand]:
    """Greedy MMR with side rotation, group balancing, near-duplicates skipped (cosine, word
    overlap, a shared run of words) and a limit per respondent.

    ``limit`` maps a respondent to the most quotes they may give (1 when absent), each from a
    different comment; when any limit exceeds 1, each pick goes to a respondent quoted least.
    """
    pool = sorted(cands, key=lambda c: (-c.rel, c.segment_id, c.start))
    m = len(pool)
    limit = limit or {}
    cap = np.array([limit.get(c.respondent, 1) for c in pool], dtype=np.int64)
    comment = np.array([c.comment_id for c in pool], dtype=object)
    resp_use: dict[str, int] = {}
    emb = np.vstack([c.emb for c in pool]).astype(np.float32)
    rel = np.array([c.rel for c in pool], dtype=np.float64)
    resp = np.array([c.respondent for c in pool], dtype=object)
    side = np.array([c.side for c in pool], dtype=object)
    group = np.array([c.group for c in pool], dtype=object)
    alive = np.ones(m, dtype=bool)
    maxsim = np.full(m, -np.inf)
    chosen: list[int] = []
    group_use: dict[str, int] = {}
    rotation = list(sides) + ([""] if sides and (side == "").any() else [])
    step = 0
    diversity = opts.diversity
    while len(chosen) < opts.n and alive.any():
        eligible = alive.copy()
        if rotation:
            for k in range(len(rotation)):
                on_side = eligible & (side == rotation[(step + k) % len(rotation)])
                if on_side.any():
                    eligible = on_side
                    step = step + k + 1
                    break
        if opts.by is not None:
            use = np.array([group_use.get(g, 0) for g in group], dtype=np.int64)
            least = use[eligible].min()
            eligible &= use == least
        if cap.max() > 1:  # spread over respondents: one quoted least so far
            used = np.array([resp_use.get(r, 0) for r in resp], dtype=np.int64)
            eligible &= used == used[eligible].min()
        value = rel if not chosen else (1 - diversity) * rel - diversity * maxsim
        value = np.where(eligible, value, -np.inf)
        best = int(np.argmax(value))  # first index wins ties: pool order is deterministic
        chosen.append(best)
        group_use[group[best]] = group_use.get(group[best], 0) + 1
        sim = emb @ emb[best]
        maxsim = np.maximum(maxsim, sim)
        resp_use[resp[best]] = resp_use.get(resp[best], 0) + 1
        if resp_use[resp[best]] >= cap[best]:
            alive &= resp != resp[best]
        alive &= comment != comment[best]
        alive &= sim <= opts.max_similarity
        toks, grams = pool[best].toks, pool[best].grams
        for i in np.flatnonzero(alive):
            if _jaccard(pool[i].toks, toks) > opts.max_overlap or not grams.isdisjoint(
                pool[i].grams
            ):
                alive[i] = False
    return [pool[i] for i in chosen]
