"""The fast evidence column of ``Tagger.predict`` equals dumping the evidence dict per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from commentmine.segment import segment
from commentmine.tag import Tagger, _dumps, _hit_rows, _rounded_json

TEXTS = [
    "Our grant funding was cut and we lost two staff.",
    "We have no funding at all for the café, ‘none’ — really.",
    "The commissioner never answers; meetings are cancelled.",
    "Short-term contracts make planning impossible for volunteers.",
    "Nothing to add.",
    "We compete with bigger charities for the same contracts, and lose.",
    "Joint bids with partners would help us work together.",
    "",
    "Great service, lovely people, 😀 thank you.",
]


def _segments() -> pd.DataFrame:
    comments = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(len(TEXTS))], "a": TEXTS})
    from commentmine.ingest import read

    return segment(read(comments, text_cols=["a"], id_col="respondent_id"))


def _evidence(tagger: Tagger, parts: dict, tf, W: np.ndarray, i: int, k: int) -> dict:
    """One row's evidence dict, as ``predict`` built it before (the reference)."""
    lo, hi = tf.indptr[i], tf.indptr[i + 1]
    kws = sorted({tagger.terms_[int(j)].display for j in tf.indices[lo:hi] if W[int(j), k] > 0})
    ne = int(parts["nearest"][i, k])
    ex = tagger.examples_[k][ne] if ne >= 0 else None
    if ex is not None and len(ex) > 80:
        ex = ex[:77] + "..."
    proba = parts["proba"][i, k]
    return {
        "classifier": None if np.isnan(proba) else round(float(proba), 3),
        "keywords": kws,
        "lexical": round(float(parts["lex"][i, k]), 3),
        "nearest_example": ex,
        "semantic": round(float(parts["sem"][i, k]), 3),
    }


def _reference(tagger: Tagger, segs: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The evidence column as ``predict`` built it row by row before (dict + json.dumps)."""
    parts = tagger._parts(segs)
    score = parts["score"]
    hit = (score >= tagger._theme_thresholds()[None, :]) & ~parts["veto"]
    tf = parts["tf"].tocsr()
    W = tagger.term_weights_
    slow: list[str] = []
    for i in range(len(segs)):
        ks = np.flatnonzero(hit[i])
        if ks.size == 0:
            best = int(np.argmax(score[i]))
            ev = {"best": tagger.themes_[best], **_evidence(tagger, parts, tf, W, i, best)}
            slow.append(_dumps(ev))
            continue
        slow.extend(_dumps(_evidence(tagger, parts, tf, W, i, int(k))) for k in ks)
    rows, ks, uncoded = _hit_rows(hit, score)
    return slow, tagger._evidence_json(parts, rows, ks, uncoded)


@pytest.mark.parametrize("self_train", [True, False])
def test_evidence_json_matches_dumped_dicts(self_train: bool) -> None:
    segs = _segments()
    tagger = Tagger("vcse-pcc", self_train=self_train, fallback=None).fit(segs)
    slow, fast = _reference(tagger, segs)
    assert len(slow) > len(segs) // 2
    assert fast == slow
    if not self_train:  # no classifier: "classifier":null in every row
        assert all('"classifier":null' in e for e in fast)


def test_hit_rows_order_and_uncoded() -> None:
    hit = np.array([[False, True, True], [False, False, False], [True, False, False]])
    score = np.array([[0.1, 0.9, 0.8], [0.3, 0.7, 0.2], [0.6, 0.1, 0.1]])
    rows, ks, uncoded = _hit_rows(hit, score)
    assert rows.tolist() == [0, 0, 1, 2]
    assert ks.tolist() == [1, 2, 1, 0]  # the uncoded row points at its best theme
    assert uncoded.tolist() == [False, False, True, False]


def test_rounded_json_is_json_dumps_of_round() -> None:
    vals = np.array([0.0, -0.0, 0.0005, 0.0015, 2.675, 1 / 3, 1e-7, 0.9995, 123.4567, np.nan])
    assert _rounded_json(vals) == [_dumps(round(float(v), 3)) for v in vals]
    assert _rounded_json(vals, nan_null=True)[-1] == "null"
    rng = np.random.default_rng(0)
    x = rng.random(5000)
    assert _rounded_json(x) == [_dumps(round(float(v), 3)) for v in x]
