"""``Discovery.assign``: new segments to the nearest discovered theme, as discover_dask assigns;
and ``codebook`` as discover's second positional argument."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from test_discover import SMALL_CODEBOOK, TEXTS, _comments, _fingerprint

from commentmine import errors
from commentmine._discover import Discovery, discover
from commentmine._segment import segment
from commentmine.embed import select_embedder

NEW = [
    "The car park was full again and I was late.",
    "Quantum chromodynamics on a lattice.",
    "Lovely nurses, awful parking.",
    "The soup was cold and the bread was stale.",
    "Tax returns are due in April.",
    "ok",
]


class CountingEmbedder:
    """The static model, counting the texts it embeds (picklable: module level)."""

    def __init__(self) -> None:
        self.inner = select_embedder("static", cache=False)
        self.texts = 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def emb():
    return select_embedder("static", cache=False)


@pytest.fixture(scope="module")
def found(emb) -> Discovery:
    return discover(_comments(TEXTS), n_themes=3, embedder=emb)


def _nearest_by_hand(found: Discovery, emb, texts: list[str], floor: float) -> list[str]:
    """The oracle: cosine to each theme's mean raw embedding of the segments discovery put
    in it, the best theme when at least ``floor``."""
    fitted = segment(_comments(TEXTS), include_interviewer=False)
    own = found.assignments["theme"].to_numpy()
    X = np.asarray(emb.embed(fitted["text"].tolist()), dtype=np.float64)
    ids = sorted(set(own) - {"outlier"})
    cents = np.array([X[own == t].mean(axis=0) for t in ids])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    Y = np.asarray(emb.embed(texts), dtype=np.float64)
    sims = Y @ cents.T
    return [ids[int(np.argmax(s))] if s.max() >= floor else "outlier" for s in sims]


def test_assigning_the_fitted_segments_gives_back_their_themes(found: Discovery) -> None:
    """On three well-separated topics, every segment's nearest centroid is its own theme's.
    (Discovery clusters with Ward on smoothed embeddings, not by the nearest centroid: on the
    demo survey 81% (MiniLM) / 74% (static) of segments come back to their own theme.)"""
    segs = segment(_comments(TEXTS), include_interviewer=False)
    got = found.assign(segs)
    pd.testing.assert_frame_equal(got, found.assignments)
    assert got["theme"].nunique() == 3


def test_assign_is_the_nearest_centroid_above_the_floor(found: Discovery, emb) -> None:
    got = found.assign(
        pd.DataFrame(
            {"segment_id": [f"s{i}" for i in range(len(NEW))], "comment_id": "c", "text": NEW}
        )
    )
    expected = _nearest_by_hand(found, emb, NEW, floor=0.2)
    assert got["theme"].tolist() == expected
    assert "outlier" in expected and len(set(expected) - {"outlier"}) == 3  # all paths taken
    assert got.columns.tolist() == ["comment_id", "segment_id", "theme"]


def test_the_floor_is_discoverys_outlier_similarity(emb) -> None:
    strict = discover(_comments(TEXTS), n_themes=3, embedder=emb, outlier_similarity=0.4)
    got = strict.assign(NEW)["theme"].tolist()
    assert got == _nearest_by_hand(strict, emb, NEW, floor=0.4)
    assert got.count("outlier") > 1


def test_texts_and_comments_are_segmented_as_discover_reads_them(found: Discovery) -> None:
    by_text = found.assign(["The soup was cold. The nurses were kind."])
    assert by_text["segment_id"].tolist() == ["1#1", "1#2"]
    assert by_text["theme"].tolist() == ["d02_food", "d03_nurses"]
    comments = _comments(["The soup was cold. The nurses were kind."])
    assert found.assign(comments)["theme"].tolist() == by_text["theme"].tolist()
    assert found.assign([]).empty


def test_a_pickled_copy_assigns_without_embedding_the_fitted_segments_again() -> None:
    counting = CountingEmbedder()
    found = discover(_comments(TEXTS), n_themes=3, embedder=counting)
    want = found.assign(NEW)
    copy = pickle.loads(pickle.dumps(found))
    copy._fitted.embedder.texts = 0
    assert copy.assign(NEW)["theme"].tolist() == want["theme"].tolist()
    assert copy._fitted.embedder.texts == len(NEW)


def test_a_hand_made_discovery_cannot_assign(found: Discovery) -> None:
    bare = Discovery(found.codebook, found.assignments, found.comment_assignments, found.themes)
    with pytest.raises(errors.InputError) as err:
        bare.assign(NEW)
    assert err.value.code == "E301"


def test_codebook_is_the_second_positional_argument(emb) -> None:
    by_position = discover(_comments(TEXTS), SMALL_CODEBOOK, n_themes=3, embedder=emb)
    by_keyword = discover(_comments(TEXTS), codebook=SMALL_CODEBOOK, n_themes=3, embedder=emb)
    assert "matched" in set(by_position.themes["status"])
    assert _fingerprint(by_position) == _fingerprint(by_keyword)
    with pytest.raises(TypeError):
        discover(_comments(TEXTS), SMALL_CODEBOOK, False)  # the other options stay keywords
