"""The evidence column of the tags table: why each row got its theme, as compact JSON.

Keys: ``best`` (uncoded rows only: the best theme), ``classifier`` (the self-trained
classifier's probability, ``null`` without one), ``keywords`` (the matched terms of the row's
theme), ``lexical``, ``nearest_example`` (cut to 80 characters) and ``semantic``; numbers
rounded to 3 places; keys sorted, no spaces.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from commentmine._tagging._lexicon import Term
from commentmine._tagging._scores import ScoreParts


def dumps(obj: Any) -> str:
    """Compact JSON with sorted keys, non-ASCII kept."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rounded_json(values: np.ndarray, *, nan_null: bool = False) -> list[str]:
    """``dumps(round(float(v), 3))`` for each value, as JSON text (``null`` for NaN if
    ``nan_null``). ``json`` writes a finite float as its ``repr``."""
    vals = values.tolist()
    if np.isfinite(values).all():
        return [repr(round(v, 3)) for v in vals]
    return [
        repr(round(v, 3))
        if v - v == 0.0  # finite
        else ("null" if nan_null and v != v else dumps(round(v, 3)))
        for v in vals
    ]


def hit_rows(hit: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tag rows in output order: (segment row, theme column, is-uncoded) per row.

    Each segment gives one row per theme it reached (theme order), or one ``uncoded`` row
    whose column is its best-scoring theme.
    """
    n, K = score.shape
    any_hit = hit.any(axis=1)
    best = np.argmax(score, axis=1) if K else np.zeros(n, dtype=np.int64)
    mask = hit.copy()
    if K:
        lone = np.flatnonzero(~any_hit)
        mask[lone, best[lone]] = True
    rows, ks = np.nonzero(mask)  # row-major: by segment, then theme
    return rows, ks, ~any_hit[rows]


def evidence_json(
    parts: ScoreParts,
    rows: np.ndarray,
    ks: np.ndarray,
    uncoded: np.ndarray,
    *,
    themes: Sequence[str],
    terms: Sequence[Term],
    term_weights: np.ndarray,
    examples: Sequence[Sequence[str]],
) -> list[str]:
    """The evidence column, one JSON object per tag row (segment ``rows``, theme ``ks``).

    Assembled from cached JSON fragments (a row's keyword list, a nearest example, a theme id)
    and Python's own ``round``/``repr`` of the numbers; tests/test_tag_evidence.py checks it
    byte for byte against ``json.dumps`` of the same dicts.
    """
    seed = parts.seed
    tf = seed.tf.tocsr()
    W = term_weights > 0
    indptr, indices = tf.indptr.tolist(), tf.indices.tolist()
    classifier = rounded_json(parts.proba[rows, ks], nan_null=True)
    lexical = rounded_json(seed.lex[rows, ks])
    semantic = rounded_json(seed.sem[rows, ks])
    nearest = seed.nearest[rows, ks].tolist()
    kw_cache: dict[tuple[tuple[int, ...], int], str] = {}
    ex_cache: dict[tuple[int, int], str] = {}
    heads = ['{"best":' + dumps(t) + ',"classifier":' for t in themes]
    out: list[str] = []
    append = out.append
    for i, k, ne, unc, c, lx, se in zip(
        rows.tolist(),
        ks.tolist(),
        nearest,
        uncoded.tolist(),
        classifier,
        lexical,
        semantic,
        strict=True,
    ):
        found = tuple(indices[indptr[i] : indptr[i + 1]])
        kw = kw_cache.get((found, k))
        if kw is None:
            kw = kw_cache[(found, k)] = dumps(sorted({terms[j].display for j in found if W[j, k]}))
        ex = ex_cache.get((k, ne))
        if ex is None:
            text = examples[k][ne] if ne >= 0 else None
            if text is not None and len(text) > 80:
                text = text[:77] + "..."
            ex = ex_cache[(k, ne)] = dumps(text)
        head = heads[k] if unc else '{"classifier":'
        append(f'{head}{c},"keywords":{kw},"lexical":{lx},"nearest_example":{ex},"semantic":{se}}}')
    return out
