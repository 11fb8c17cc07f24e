"""Self-training: a pseudo-labelled classifier per theme learns the corpus' own vocabulary.

Each theme's most confident segments (largest lead of its seed score over the runner-up) become
pseudo-labels; a one-vs-rest logistic regression on ``[embedding_scale * embedding | TF-IDF 1-2
grams of lemmas]`` (CSR) learns from them, and its probability is fused with the seed score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

#: Rows of classifier features built at a time when scoring (bounds predict's memory).
FEATURE_ROWS = 8192


@dataclass(frozen=True)
class Classifiers:
    """Per-theme logistic regressions over the feature matrix (``sigmoid(X @ coef.T +
    intercept)``); ``trained`` is False for a theme with too few pseudo-labels."""

    coef: np.ndarray
    intercept: np.ndarray
    trained: np.ndarray
    pseudo_counts: np.ndarray


def fit_tfidf(lemmas: list[str], *, max_features: int) -> Any:
    """The TF-IDF vectoriser of the classifier features, fitted on segment lemmas.

    Raises ValueError when no n-gram survives (a tiny sample).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2 if len(lemmas) >= 50 else 1,
        max_features=int(max_features),
        sublinear_tf=True,
        dtype=np.float64,
    )
    return vec.fit(lemmas)


_FAST_TFIDF = {
    "input": "content",
    "analyzer": "word",
    "lowercase": False,
    "preprocessor": None,
    "strip_accents": None,
    "stop_words": None,
    "ngram_range": (1, 2),
    "binary": False,
    "norm": "l2",
    "use_idf": True,
    "dtype": np.float64,
}


def tfidf_transform(vec: Any, docs: list[str]) -> sparse.csr_matrix:
    """``vec.transform(docs)`` for the tagger's vectoriser (``str.split`` tokens, 1-2 grams).

    The n-gram counting is sklearn's ``CountVectorizer._count_vocab`` without its per-document
    analyser calls (half the time of the transform); the counts then go through the same
    sublinear TF, IDF and ``normalize`` steps as ``TfidfTransformer.transform``, so the matrix is
    the same to the bit (tests/test_tag.py). Another configuration is handed to ``vec``.
    """
    params = vec.get_params()
    vocab = getattr(vec, "vocabulary_", None)
    if (
        vocab is None
        or params["tokenizer"] is not str.split
        or any(params[k] != v for k, v in _FAST_TFIDF.items())
    ):
        return vec.transform(docs)
    from sklearn.preprocessing import normalize

    get = vocab.get
    cols: list[int] = []
    counts = np.zeros(len(docs) + 1, dtype=np.int64)
    for i, doc in enumerate(docs):
        toks = doc.split()
        found = [j for j in map(get, toks) if j is not None]
        pairs = map(" ".join, zip(toks, toks[1:], strict=False))
        found += [j for j in map(get, pairs) if j is not None]
        counts[i + 1] = len(found)
        cols += found
    rows = np.repeat(np.arange(len(docs)), counts[1:])
    X = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float64), (rows, np.asarray(cols, dtype=np.int64))),
        shape=(len(docs), len(vocab)),
    )
    X.sum_duplicates()  # sorted indices, one entry per term with its count
    if params["sublinear_tf"]:
        np.log(X.data, X.data)
        X.data += 1.0
    X.data *= vec.idf_[X.indices]
    return normalize(X, norm="l2", copy=False)


def feature_matrix(
    tfidf: Any, lemmas: list[str], emb: np.ndarray, embedding_scale: float
) -> sparse.csr_matrix:
    """Classifier features ``[embedding_scale * emb | TF-IDF of lemmas]`` (CSR).

    The same CSR arrays as ``sparse.hstack([csr_matrix(e), tfidf.transform(lemmas)],
    format="csr")``, assembled directly: going through COO and hstack cost a third of
    ``predict`` (tests/test_tag.py checks the arrays are equal).
    """
    X_t = tfidf_transform(tfidf, lemmas)
    e = emb.astype(np.float64) * float(embedding_scale)
    n, d = e.shape
    nz = e != 0
    dense = bool(nz.all())
    n_e = np.full(n, d, dtype=np.int64) if dense else nz.sum(axis=1)
    t_ptr = X_t.indptr.astype(np.int64)
    n_t = np.diff(t_ptr)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_e + n_t, out=indptr[1:])
    nnz = int(indptr[-1])
    idx_dtype = np.int32 if max(nnz, d + X_t.shape[1]) < np.iinfo(np.int32).max else np.int64
    data = np.empty(nnz, dtype=np.float64)
    indices = np.empty(nnz, dtype=idx_dtype)
    # Each row: its non-zero embedding values (columns 0..d-1), then its TF-IDF entries.
    t_rows = np.repeat(np.arange(n), n_t)
    pos_t = (indptr[:-1] + n_e - t_ptr[:-1])[t_rows] + np.arange(t_rows.size)
    is_e = np.ones(nnz, dtype=bool)
    is_e[pos_t] = False
    if dense:
        data[is_e] = e.ravel()
        indices[is_e] = np.tile(np.arange(d, dtype=idx_dtype), n)
    else:
        data[is_e] = e[nz]
        indices[is_e] = np.nonzero(nz)[1]
    data[pos_t] = X_t.data
    indices[pos_t] = X_t.indices + d
    return sparse.csr_matrix((data, indices, indptr.astype(idx_dtype)), shape=(n, d + X_t.shape[1]))


def pseudo_labels(seed: np.ndarray, *, pseudo_frac: float, pseudo_max: int) -> np.ndarray:
    """Per segment, the theme it is a pseudo-label of (-1: none): each theme's first-ranked
    segments with the largest lead over the runner-up, ``pseudo_frac`` of them (at least 3, at
    most ``pseudo_max``)."""
    n, K = seed.shape
    labels = np.full(n, -1, dtype=np.int64)
    if K < 2:
        return labels
    order = np.argsort(-seed, axis=1, kind="stable")
    top, second = order[:, 0], order[:, 1]
    lead = seed[np.arange(n), top] - seed[np.arange(n), second]
    for k in range(K):
        cand = np.flatnonzero((top == k) & (seed[:, k] > -1.0))
        if cand.size == 0:
            continue
        take = int(min(pseudo_max, max(3, math.ceil(pseudo_frac * cand.size))))
        ranked = cand[np.argsort(-lead[cand], kind="stable")][:take]
        labels[ranked] = k
    return labels


def fit_classifiers(
    X: Any,
    seed: np.ndarray,
    *,
    pseudo_frac: float,
    pseudo_max: int,
    negative_ratio: int,
    C: float,
    balanced: bool,
    max_iter: int,
    random_state: int,
) -> Classifiers:
    """One logistic regression per theme on its pseudo-labels against the other themes'
    (at most ``negative_ratio`` negatives per positive, a seeded sample; 0 keeps all)."""
    from sklearn.linear_model import LogisticRegression

    n, K = seed.shape
    labels = pseudo_labels(seed, pseudo_frac=pseudo_frac, pseudo_max=pseudo_max)
    pseudo_counts = np.bincount(labels[labels >= 0], minlength=K)
    rows = np.flatnonzero(labels >= 0)
    coef = np.zeros((K, X.shape[1]), dtype=np.float64)
    intercept = np.zeros(K, dtype=np.float64)
    trained = np.zeros(K, dtype=bool)
    Xp = X[rows]
    yp = labels[rows]
    rng = np.random.default_rng(random_state)
    for k in range(K):
        y = (yp == k).astype(int)
        if y.sum() < 2 or y.sum() == len(y):
            continue
        pos = np.flatnonzero(y == 1)
        neg = np.flatnonzero(y == 0)
        cap = int(negative_ratio) * len(pos)
        if negative_ratio and len(neg) > cap:
            # Seeded subsample of the other themes' pseudo-labels (speed; classes are
            # re-balanced by class_weight anyway).
            neg = np.sort(rng.choice(neg, size=cap, replace=False))
        sub = np.concatenate([pos, neg])
        sub.sort(kind="stable")
        clf = LogisticRegression(
            C=float(C),
            solver="liblinear",
            dual=True,
            class_weight="balanced" if balanced else None,
            random_state=int(random_state),
            max_iter=int(max_iter),
            tol=1e-3,
        )
        clf.fit(Xp[sub], y[sub])
        coef[k] = clf.coef_[0]
        intercept[k] = clf.intercept_[0]
        trained[k] = True
    return Classifiers(coef, intercept, trained, pseudo_counts)


def sigmoid(
    xw: np.ndarray, intercept: np.ndarray, trained: np.ndarray, seed01: np.ndarray
) -> np.ndarray:
    """Probabilities from ``X @ coef.T``; a theme without a classifier keeps ``seed01``."""
    z = xw + intercept
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return np.where(trained[None, :], p, seed01)


def fuse(proba: np.ndarray, seed01: np.ndarray, classifier_weight: float) -> np.ndarray:
    """``w * proba + (1 - w) * seed01``."""
    w = float(classifier_weight)
    return w * proba + (1.0 - w) * seed01


def probabilities(
    tfidf: Any,
    lemmas: list[str],
    emb: np.ndarray,
    seed01: np.ndarray,
    *,
    embedding_scale: float,
    coef: np.ndarray,
    intercept: np.ndarray,
    trained: np.ndarray,
) -> np.ndarray:
    """:func:`sigmoid` of the :func:`feature_matrix` of ``lemmas`` and ``emb``, built
    :data:`FEATURE_ROWS` rows at a time (a row's product does not depend on the others, so the
    values are the same; the feature matrix of a whole in-memory input never exists at once)."""
    z = np.empty((len(lemmas), coef.shape[0]), dtype=np.float64)
    step = FEATURE_ROWS
    for i in range(0, len(lemmas), step):
        X = feature_matrix(tfidf, lemmas[i : i + step], emb[i : i + step], embedding_scale)
        z[i : i + step] = np.asarray(X @ coef.T)
    return sigmoid(z, intercept, trained, seed01)


def tfidf_state(vec: Any) -> tuple[dict[str, Any], np.ndarray]:
    """The tagger's fitted TF-IDF vectoriser as (JSON-able parameters and vocabulary, idf)."""
    params = vec.get_params()
    tok = params.pop("tokenizer")
    if tok is not None and tok is not str.split:
        raise TypeError(f"cannot save the tagger's TF-IDF tokenizer {tok!r}")
    params["tokenizer"] = None if tok is None else "str.split"
    params["dtype"] = np.dtype(params["dtype"]).name
    params["ngram_range"] = list(params["ngram_range"])
    params.pop("vocabulary", None)
    vocab = sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])
    state = {"attr": "tfidf_", "params": params, "terms": [str(t) for t, _ in vocab]}
    return state, np.asarray(vec.idf_, dtype=np.float64)


def tfidf_from_state(state: dict[str, Any], idf: np.ndarray) -> Any:
    """The vectoriser :func:`tfidf_state` describes."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    params = dict(state["params"])
    params["tokenizer"] = str.split if params["tokenizer"] == "str.split" else None
    params["dtype"] = np.dtype(params["dtype"]).type
    params["ngram_range"] = tuple(params["ngram_range"])
    vec = TfidfVectorizer(vocabulary={t: i for i, t in enumerate(state["terms"])}, **params)
    vec.idf_ = idf
    return vec
