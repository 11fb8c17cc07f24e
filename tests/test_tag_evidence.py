"""The fast evidence column of ``Tagger.predict`` equals dumping the evidence dict per row."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import sparse

from commentmine._tagging._evidence import dumps, evidence_json, hit_rows, rounded_json
from commentmine._tagging._lexicon import Term
from commentmine._tagging._scores import ScoreParts, SeedScores

THEMES = ["funding", "capacity", "café ‘quotes’"]
TERMS = [Term(("fund*",), "fund*"), Term(("grant",), "grant"), Term(("staff",), "staff")]
EXAMPLES = [
    ["Our grant was cut.", "x" * 120],  # a long example is cut to 80 characters
    [],
    ["Le café — “fermé” 😀"],
]


def _parts(rng: np.random.Generator, n: int, *, classifier: bool) -> ScoreParts:
    K = len(THEMES)
    shape = (n, K)
    tf = sparse.random(n, len(TERMS), density=0.4, random_state=1, format="csr")
    lex = rng.random(shape)
    lex[0, 0] = 0.0005  # halfway cases of round(., 3)
    lex[1, 0] = 2.675
    sem = rng.random(shape) * 2 - 1
    nearest = np.stack([rng.integers(0, 2, n), np.full(n, -1), rng.integers(0, 1, n)], axis=1)
    veto = np.zeros(shape, dtype=bool)
    seed = SeedScores(tf=tf, lex=lex, sem=sem, nearest=nearest, veto=veto, seed=sem, seed01=lex)
    proba = rng.random(shape) if classifier else np.full(shape, np.nan)
    return ScoreParts(seed=seed, proba=proba, fused=lex, score=rng.random(shape))


def _reference(parts: ScoreParts, W: np.ndarray, i: int, k: int) -> dict:
    """One row's evidence dict, as ``predict`` built it before (dict + json.dumps)."""
    tf = parts.seed.tf
    lo, hi = tf.indptr[i], tf.indptr[i + 1]
    kws = sorted({TERMS[int(j)].display for j in tf.indices[lo:hi] if W[int(j), k] > 0})
    ne = int(parts.seed.nearest[i, k])
    ex = EXAMPLES[k][ne] if ne >= 0 else None
    if ex is not None and len(ex) > 80:
        ex = ex[:77] + "..."
    proba = parts.proba[i, k]
    return {
        "classifier": None if np.isnan(proba) else round(float(proba), 3),
        "keywords": kws,
        "lexical": round(float(parts.seed.lex[i, k]), 3),
        "nearest_example": ex,
        "semantic": round(float(parts.seed.sem[i, k]), 3),
    }


@pytest.mark.parametrize("classifier", [True, False])
def test_evidence_json_matches_dumped_dicts(classifier: bool) -> None:
    rng = np.random.default_rng(0)
    n = 40
    parts = _parts(rng, n, classifier=classifier)
    W = np.array([[1.0, 0.0, 0.5], [2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    hit = rng.random((n, len(THEMES))) > 0.6
    rows, ks, uncoded = hit_rows(hit, parts.score)
    fast = evidence_json(
        parts, rows, ks, uncoded, themes=THEMES, terms=TERMS, term_weights=W, examples=EXAMPLES
    )
    slow = []
    for i, k, unc in zip(rows.tolist(), ks.tolist(), uncoded.tolist(), strict=True):
        ev = _reference(parts, W, i, k)
        slow.append(dumps({"best": THEMES[k], **ev} if unc else ev))
    assert uncoded.any() and not uncoded.all()
    assert fast == slow
    assert all(json.loads(e) is not None for e in fast)
    if not classifier:  # no classifier: "classifier":null in every row
        assert all('"classifier":null' in e for e in fast)


def test_hit_rows_order_and_uncoded() -> None:
    hit = np.array([[False, True, True], [False, False, False], [True, False, False]])
    score = np.array([[0.1, 0.9, 0.8], [0.3, 0.7, 0.2], [0.6, 0.1, 0.1]])
    rows, ks, uncoded = hit_rows(hit, score)
    assert rows.tolist() == [0, 0, 1, 2]
    assert ks.tolist() == [1, 2, 1, 0]  # the uncoded row points at its best theme
    assert uncoded.tolist() == [False, False, True, False]


def test_rounded_json_is_json_dumps_of_round() -> None:
    vals = np.array([0.0, -0.0, 0.0005, 0.0015, 2.675, 1 / 3, 1e-7, 0.9995, 123.4567, np.nan])
    assert rounded_json(vals) == [dumps(round(float(v), 3)) for v in vals]
    assert rounded_json(vals, nan_null=True)[-1] == "null"
    rng = np.random.default_rng(0)
    x = rng.random(5000)
    assert rounded_json(x) == [dumps(round(float(v), 3)) for v in x]
