"""A theme's quote candidates: its confident segments, each trimmed to whole sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from commentmine._quotes._options import QuoteOptions
from commentmine._quotes._source import Source, leans_back, n_words, trim


@dataclass
class Cand:
    """One candidate quote: a span of a comment, under a theme (and maybe a sub-theme)."""

    theme: str
    side: str
    comment_id: str
    segment_id: str
    respondent: str
    group: str
    start: int
    end: int
    text: str
    score: float
    primary: bool = True
    rel: float = 0.0
    emb: np.ndarray | None = field(default=None, repr=False)
    toks: set[str] = field(default_factory=set, repr=False)
    grams: set[tuple[str, ...]] = field(default_factory=set, repr=False)


def children(codebook: Any, tid: str) -> list[str]:
    """Sub-theme ids of ``tid`` in the codebook (none without a codebook)."""
    if codebook is None or tid not in set(codebook.ids):
        return []
    return [c if isinstance(c, str) else c.id for c in codebook.children(tid)]


def _family(codebook: Any, tid: str, members: list[str]) -> set[str]:
    """The theme, its sub-themes, its root and the root's sub-themes: a segment whose best
    theme lies outside this family belongs to another theme."""
    family = set(members)
    if codebook is not None and tid in set(codebook.ids):
        root = codebook.root(tid)
        family |= {root, *children(codebook, root)}
    return family


def theme_candidates(
    tid: str,
    usable: pd.DataFrame,
    src: Source,
    codebook: Any,
    opts: QuoteOptions,
) -> tuple[list[Cand], list[str]] | None:
    """Candidates of theme ``tid`` (with those of its sub-themes) and the sub-themes they
    cover; None when it has none.

    One candidate per segment (its best-scoring row among the theme and its sub-themes), cut
    to whole sentences in the word window (:func:`trim`); a span met twice is kept once.
    Candidates shorter than ``min_words``, then candidates that do not stand alone (see
    :func:`leans_back`), are dropped when enough others remain.
    """
    sides = children(codebook, tid)
    members = [tid, *sides]
    sub = usable[usable["theme"].isin(members)]
    if sub.empty:
        return None
    sub = sub.assign(side_=sub["theme"].where(sub["theme"] != tid, ""))
    sub = sub.sort_values(["score", "segment_id"], ascending=[False, True], kind="mergesort")
    sub = sub.drop_duplicates("segment_id")
    cands: list[Cand] = []
    seen_spans: set[tuple[str, int, int]] = set()
    family = _family(codebook, tid, members)
    for rec in sub.itertuples(index=False):
        cid, sid = rec.comment_id, rec.segment_id
        other = max((sc for th, sc in src.scores.get(sid, ()) if th not in family), default=0.0)
        ctext = src.texts.get(cid, "")
        _c, i = src.pos[sid]
        span = trim(ctext, src.segs[cid], i, opts.max_words, opts.min_words)
        if span is None or (cid, *span) in seen_spans:
            continue
        seen_spans.add((cid, *span))
        cands.append(
            Cand(
                theme=tid,
                side=str(rec.side_),
                comment_id=cid,
                segment_id=sid,
                respondent=str(src.respondent.get(cid, cid)),
                group=src.group.get(cid, ""),
                start=span[0],
                end=span[1],
                text=ctext[span[0] : span[1]],
                score=float(rec.score),
                primary=float(rec.score) >= other,
            )
        )
    # prefer candidates inside the word window, then ones that stand alone (not opening on a
    # pronoun or connective that needs an earlier sentence); fall back to the others if needed
    for ok in (lambda c: n_words(c.text) >= opts.min_words, lambda c: not leans_back(c.text)):
        good = [c for c in cands if ok(c)]
        cands = good if len(good) >= min(opts.n, len(cands)) else cands
    if not cands:
        return None
    return cands, [s for s in sides if any(c.side == s for c in cands)]
