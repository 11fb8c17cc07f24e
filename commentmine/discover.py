"""Theme discovery: the themes a codebook lacks, found the same way every run, as a draft codebook.

Segments are embedded with the same :class:`~commentmine.embed.Embedder` as tagging, clustered,
described with BERTopic's class-based TF-IDF over lemma n-grams (refined with KeyBERT-style and
MMR representations) and written as a draft :class:`~commentmine.codebook.Codebook` that
``commentmine tag --codebook`` accepts as it is.

How it works
------------
1. **Segments.** A comments table is segmented (:func:`commentmine.segment.segment`); a
   segments table is used as it is. With ``uncoded_only=True`` the segments are tagged with the
   codebook first and only those left ``uncoded`` are clustered.
2. **Embeddings** come from the embedder (the bundled static model by default) and are handed to
   BERTopic precomputed. When a codebook is given and ``seed_words=True`` its keywords become
   BERTopic's ``seed_topic_list`` (guided topic modelling nudges matching segments towards them).
3. **Clustering** is BERTopic with custom sub-models chosen for determinism and few outliers (see
   ``benchmarks/results/discovery.md`` for the measurements behind the choice): an exact PCA
   (no random state) of the embeddings, optionally joined to a TF-IDF of the lemmas reduced by
   SVD (fixed state; ``lexical_weight``, off by default), and Ward agglomerative clustering of
   the result, a deterministic hierarchy whose cuts are the "hierarchical merging" to a target
   number of themes. Without ``n_themes`` the cut is chosen from the data: the number of themes
   with the best cosine silhouette between ``min_themes`` and ``min(max_themes, sqrt(n))``.
   Above ``_WARD_LIMIT`` segments, k-means micro-clusters (seeded) are merged by Ward instead.
4. **Outliers.** Themes smaller than ``min_theme_size`` are dissolved into the nearest theme;
   a segment whose cosine to its theme's centroid stays below ``outlier_similarity`` is an
   ``outlier``.
5. **Readable themes.** Keywords are the top lemma uni-/bi-grams (c-TF-IDF, then KeyBERT-inspired
   and MMR re-ranking); the label joins the top key phrases; examples are the segments nearest
   the theme centroid, verbatim; ids are ``d<rank>_<slug>`` (rank by size).
6. **Matching.** Each theme's centroid is compared (cosine) with every codebook theme's anchor
   ``"label: description"``, relative to how close the centroid of *all* the input is to that
   anchor (the lift; raw cosines of averaged static embeddings are uniformly high). A theme whose
   best lift is at least ``match_threshold`` is ``matched`` to that codebook theme, else
   ``emergent``. Both are kept under the theme's ``meta:``, with the cosine and the lift.

Determinism: nothing depends on thread timing; the seed only reaches the k-means micro-clusters
of very large inputs and BERTopic's representative-document sampling. Same input and settings
give byte-identical YAML and assignments.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._tables import UNCODED

if TYPE_CHECKING:  # pragma: no cover
    from commentmine.codebook import Codebook
    from commentmine.embed import Embedder

__all__ = ["Discovery", "discover"]

OUTLIER = "outlier"
ASSIGNMENT_COLUMNS = ["comment_id", "segment_id", "theme"]
COMMENT_ASSIGNMENT_COLUMNS = ["comment_id", "theme"]
THEME_COLUMNS = [
    "id",
    "label",
    "size",
    "keywords",
    "matched_codebook_theme",
    "similarity",
    "status",
]

_WARD_LIMIT = 8_000  # above this many segments: k-means micro-clusters, then Ward (memory)
_PCA_DIMS = 64
_LEXICAL_DIMS = 64
_SILHOUETTE_SAMPLE = 4_000
_MIN_SEGMENTS = 6


@dataclass(frozen=True)
class Discovery:
    """What :func:`discover` found.

    Attributes
    ----------
    codebook : Codebook
        The draft codebook: one theme per discovered theme, valid and round-trippable through
        :meth:`~commentmine.codebook.Codebook.to_yaml` / :func:`~commentmine.load_codebook`.
    assignments : pandas.DataFrame
        ``comment_id, segment_id, theme``: one row per segment (``theme`` is a draft theme id or
        ``outlier``), in input order.
    comment_assignments : pandas.DataFrame
        ``comment_id, theme``: a comment's theme is the majority of its segments' themes
        (outliers count only when all its segments are outliers), ties to the lower theme id.
    themes : pandas.DataFrame
        ``id, label, size, keywords, matched_codebook_theme, similarity, status`` (``keywords``
        ``;``-joined; ``status`` is ``matched`` or ``emergent``; ``matched_codebook_theme`` is ""
        when emergent; ``similarity`` is the cosine to the nearest codebook theme, NaN without a
        codebook).
    """

    codebook: Codebook
    assignments: pd.DataFrame
    comment_assignments: pd.DataFrame
    themes: pd.DataFrame

    @property
    def outlier_share(self) -> float:
        """Share of segments whose theme is ``outlier``."""
        n = len(self.assignments)
        return float((self.assignments["theme"] == OUTLIER).sum() / n) if n else 0.0


def discover(
    comments_or_segments: pd.DataFrame | Sequence[str],
    *,
    codebook: Codebook | str | None = None,
    uncoded_only: bool = False,
    n_themes: int | None = None,
    seed: int = 0,
    embedder: Embedder | str | None = None,
    seed_words: bool = True,
    min_theme_size: int | None = None,
    min_themes: int = 4,
    max_themes: int = 30,
    lexical_weight: float = 0.0,
    outlier_similarity: float = 0.2,
    match_threshold: float = 0.05,
    name: str = "discovered-themes",
) -> Discovery:
    """Discover themes in comments or segments and return them as a draft codebook.

    Parameters
    ----------
    comments_or_segments : DataFrame or sequence of str
        A comments table (``commentmine.read``; it is segmented), a segments table
        (``commentmine.segment``; has ``segment_id``), or plain texts (one comment each, ids
        ``"1"``, ``"2"``, ...).
    codebook : Codebook or str, optional
        Existing codebook (anything :func:`~commentmine.load_codebook` accepts): discovered
        themes are matched to its themes, its keywords guide the clustering (``seed_words``),
        and ``uncoded_only`` uses it to tag first.
    uncoded_only : bool, default False
        Tag with ``codebook`` first and discover only on the segments it left ``uncoded``.
    n_themes : int, optional
        Target number of themes (the Ward hierarchy is cut there). Default: chosen from the data
        (best cosine silhouette between ``min_themes`` and ``min(max_themes, sqrt(n))``).
    seed : int, default 0
        Random seed (k-means micro-clusters for very large inputs, representative sampling).
    embedder : Embedder or str, optional
        Anything :func:`~commentmine.select_embedder` accepts; default the bundled static model.
    seed_words : bool, default True
        Use the codebook's keywords as BERTopic seed topics (guided topic modelling).
    min_theme_size : int, optional
        Smaller themes are dissolved into the nearest theme. Default ``max(3, 1% of segments)``.
    min_themes, max_themes : int, default 4, 30
        Range searched when ``n_themes`` is not given (also capped at ``sqrt(n)``). The cap
        is for the reader: a draft codebook of 30 themes is already a lot to review. A
        higher cap raises NMI against a fine human scheme (NHS themes, 45 classes: 0.268 at 30
        vs 0.286 at 50, benchmarks/results/discovery.md) but splits a 340-respondent survey
        into ~47 themes, most of them fragments of the codebook's own.
    lexical_weight : float, default 0.0
        Share of the clustering similarity that is lexical: segments are clustered on
        ``[sqrt(1 - w) * embedding | sqrt(w) * TF-IDF of lemmas]`` (each part reduced and
        L2-normalised), so the cosine is ``(1 - w) * semantic + w * lexical``. ``0`` (the
        default) clusters on the embeddings alone. ``0.5`` helped short arguments on one
        question (ArgKP) and hurt NHS feedback and restaurant reviews (more, finer themes);
        see ``benchmarks/results/discovery.md``.
    outlier_similarity : float, default 0.2
        A segment whose cosine to its theme centroid is below this becomes an ``outlier``.
    match_threshold : float, default 0.05
        Lift (cosine of the theme centroid to a codebook theme's ``"label: description"``
        embedding, minus the cosine of the whole input's centroid to it) at or above which the
        theme is ``matched``; below it is ``emergent``.
    name : str, default "discovered-themes"
        Name of the draft codebook.

    Returns
    -------
    Discovery
        ``codebook``, ``assignments``, ``comment_assignments`` and ``themes``.

    Raises
    ------
    InputError
        ``E501`` when there are too few segments to cluster, ``E502`` for inconsistent options.

    Examples
    --------
    >>> import commentmine as cm
    >>> found = cm.discover(comments, n_themes=8)                      # doctest: +SKIP
    >>> print(found.codebook.to_yaml())                               # doctest: +SKIP
    """
    _check_options(
        n_themes=n_themes,
        min_themes=min_themes,
        max_themes=max_themes,
        min_theme_size=min_theme_size,
        outlier_similarity=outlier_similarity,
        match_threshold=match_threshold,
        lexical_weight=lexical_weight,
        uncoded_only=uncoded_only,
        codebook=codebook,
        seed=seed,
    )
    from commentmine._extras import require_bertopic
    from commentmine.embed import select_embedder

    require_bertopic()  # E201 with the install command before any work, when it is missing

    cb = None
    if codebook is not None:
        from commentmine.codebook import load_codebook

        cb = load_codebook(codebook)
    emb = select_embedder(embedder)
    segments = _as_segments(comments_or_segments)
    if uncoded_only:
        segments = _uncoded_segments(segments, cb, emb, seed)
    segments = segments.reset_index(drop=True)
    n = len(segments)
    if n < _MIN_SEGMENTS:
        raise errors.too_few_to_discover(n, _MIN_SEGMENTS, uncoded_only=uncoded_only)
    if n_themes is not None and n_themes > n // 2:
        raise errors.bad_discovery_option(
            f"n_themes={n_themes} is more than half the {n} segments; give at most {n // 2}."
        )

    texts = segments["text"].astype(str).tolist()
    lemmas = segments["lemmas"].astype(str).tolist() if "lemmas" in segments else None
    if lemmas is None:
        from commentmine.segment import lemmatize

        lemmas = lemmatize(texts)
    docs = [lem if lem.strip() else txt.lower() for lem, txt in zip(lemmas, texts, strict=True)]
    vectors = _embed(emb, texts)

    if min_theme_size is None:
        min_theme_size = max(3, math.ceil(0.01 * n))
    # at most sqrt(n) themes and none below min_theme_size: the silhouette keeps rising with k
    # on sentence embeddings, so the cap keeps small inputs (e.g. uncoded leftovers) readable
    k_max = min(max_themes, max(2, math.isqrt(n)), max(2, n // max(min_theme_size, 1)))
    clusterer = _WardClusterer(
        n_clusters=n_themes,
        k_min=min(min_themes, k_max),
        k_max=k_max,
        min_size=min_theme_size,
        outlier_similarity=outlier_similarity,
        seed=seed,
        lexical=_lexical(docs) if lexical_weight > 0 else None,
        lexical_weight=float(lexical_weight),
    )
    seeds = _seed_topics(cb) if (cb is not None and seed_words) else None
    labels, words = _fit_bertopic(docs, vectors, emb, clusterer, seeds, seed)

    themes = _describe(segments, texts, vectors, labels, words)
    anchors = _anchors(cb, emb) if cb is not None else None
    baseline = None
    if anchors is not None and len(vectors):
        overall = vectors.mean(axis=0)
        baseline = anchors @ (overall / max(float(np.linalg.norm(overall)), 1e-12))
    return _assemble(
        segments, themes, labels, cb, anchors, baseline, match_threshold, name, seed, n_themes
    )


# --- validation and input ------------------------------------------------------------------


def _check_options(**kw: Any) -> None:
    problems = []
    n_themes = kw["n_themes"]
    if n_themes is not None and (not isinstance(n_themes, int) or n_themes < 2):
        problems.append(f"n_themes must be an integer >= 2, got {n_themes!r}")
    if not isinstance(kw["min_themes"], int) or kw["min_themes"] < 2:
        problems.append(f"min_themes must be an integer >= 2, got {kw['min_themes']!r}")
    if not isinstance(kw["max_themes"], int) or kw["max_themes"] < kw["min_themes"]:
        problems.append(f"max_themes must be an integer >= min_themes, got {kw['max_themes']!r}")
    mts = kw["min_theme_size"]
    if mts is not None and (not isinstance(mts, int) or mts < 1):
        problems.append(f"min_theme_size must be an integer >= 1, got {mts!r}")
    for key in ("outlier_similarity", "match_threshold"):
        if not isinstance(kw[key], int | float) or not -1.0 <= kw[key] <= 1.0:
            problems.append(f"{key} must be a number in [-1, 1], got {kw[key]!r}")
    lw = kw["lexical_weight"]
    if not isinstance(lw, int | float) or isinstance(lw, bool) or not 0.0 <= lw < 1.0:
        problems.append(f"lexical_weight must be a number in [0, 1), got {lw!r}")
    if not isinstance(kw["seed"], int) or isinstance(kw["seed"], bool):
        problems.append(f"seed must be an integer, got {kw['seed']!r}")
    if kw["uncoded_only"] and kw["codebook"] is None:
        problems.append("uncoded_only=True needs a codebook (--codebook) to tag with first")
    if problems:
        raise errors.bad_discovery_option("; ".join(problems))


def _as_segments(data: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
    from commentmine._tables import COMMENT_COLUMNS

    if not isinstance(data, pd.DataFrame):
        if isinstance(data, str) or not isinstance(data, Sequence):
            raise errors.bad_discovery_option(
                "discover() takes a comments table, a segments table or a list of texts, "
                f"not {type(data).__name__}"
            )
        texts = [str(t) for t in data]
        ids = [str(i) for i in range(1, len(texts) + 1)]
        data = pd.DataFrame(
            {
                "comment_id": ids,
                "respondent_id": ids,
                "question": "",
                "text": texts,
                "source": "",
                "status": ["ok" if t.strip() else "empty" for t in texts],
                "speaker": "",
                "is_interviewer": False,
            },
            columns=COMMENT_COLUMNS,
        )
    if "segment_id" in data.columns:
        for col in ("segment_id", "comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="segments column")
        segments = data
    else:
        for col in ("comment_id", "text"):
            if col not in data.columns:
                raise errors.missing_column(col, data.columns, what="comments column")
        from commentmine.segment import segment

        segments = segment(data, include_interviewer=False)
    if "is_interviewer" in segments.columns:
        segments = segments[~segments["is_interviewer"].astype(bool)]
    return segments


def _uncoded_segments(
    segments: pd.DataFrame, cb: Codebook | None, emb: Embedder, seed: int
) -> pd.DataFrame:
    from commentmine.tag import tag

    tags = tag(segments, cb, embedder=emb, seed=seed)
    uncoded = set(tags.loc[tags["theme"] == UNCODED, "segment_id"].astype(str))
    return segments[segments["segment_id"].astype(str).isin(uncoded)]


def _embed(emb: Embedder, texts: list[str]) -> np.ndarray:
    vectors = np.asarray(emb.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _seed_topics(cb: Codebook) -> list[list[str]] | None:
    topics = []
    for theme in cb.themes:
        words = [w.replace("*", "").strip() for w in theme.keywords]
        words = [w for w in words if w]
        if words:
            topics.append(words)
    return topics or None


def _anchors(cb: Codebook, emb: Embedder) -> np.ndarray:
    texts = [f"{t.label}: {t.description}" if t.description else t.label for t in cb.themes]
    return _embed(emb, texts)


# --- clustering ----------------------------------------------------------------------------


class _WardClusterer:
    """BERTopic cluster model: exact PCA + Ward, a data-chosen cut, small themes dissolved.

    ``lexical`` (one row per document, in the order BERTopic passes the embeddings) is joined to
    the reduced embeddings with weight ``lexical_weight`` before the Ward tree; outliers are
    still judged on the embeddings. ``fit`` sets ``labels_`` (0..k-1 by decreasing size, ``-1``
    for outliers).
    """

    def __init__(
        self,
        *,
        n_clusters: int | None,
        k_min: int,
        k_max: int,
        min_size: int,
        outlier_similarity: float,
        seed: int,
        lexical: np.ndarray | None = None,
        lexical_weight: float = 0.0,
    ) -> None:
        self.n_clusters = n_clusters
        self.lexical = lexical
        self.lexical_weight = lexical_weight
        self.k_min = k_min
        self.k_max = k_max
        self.min_size = min_size
        self.outlier_similarity = outlier_similarity
        self.seed = seed

    def fit(self, X: np.ndarray, y: Any = None) -> _WardClusterer:  # noqa: N803 - sklearn API
        X = np.asarray(X, dtype=np.float64)
        Z = _reduce(X)
        if self.lexical is not None and self.lexical_weight > 0 and len(self.lexical) == len(Z):
            w = self.lexical_weight
            Z = np.hstack([math.sqrt(1.0 - w) * Z, math.sqrt(w) * self.lexical])
        tree, micro = _ward_tree(Z, self.seed)
        if self.n_clusters is not None:
            labels = self._cut_to(tree, micro, Z, self.n_clusters)
        else:
            best = None
            dist, rows = _cosine_distances(Z, self.seed)
            for k in range(self.k_min, self.k_max + 1):
                lab = self._cut_to(tree, micro, Z, k)
                if not 2 <= len(set(lab.tolist())) < len(lab):
                    continue
                score = _silhouette(dist, lab[rows])
                if best is None or score > best[0] + 1e-12:
                    best = (score, lab)
            labels = best[1] if best is not None else np.zeros(len(Z), dtype=np.int64)
        labels = _outliers(X, labels, self.outlier_similarity)
        self.labels_ = _by_size(labels)
        return self

    def _cut_to(self, tree: np.ndarray, micro: np.ndarray | None, Z: np.ndarray, k: int):
        """Cut so that ``k`` themes of at least ``min_size`` remain (small ones dissolved)."""
        from scipy.cluster.hierarchy import fcluster

        n_leaves = len(tree) + 1
        best: tuple[int, np.ndarray] | None = None
        for cut in range(min(k, n_leaves), min(n_leaves, 4 * k) + 1):
            lab = fcluster(tree, cut, criterion="maxclust") - 1
            if micro is not None:
                lab = lab[micro]
            n_big = int((np.bincount(lab) >= self.min_size).sum())
            if best is None or n_big > best[0]:
                best = (n_big, lab)
            if n_big >= k:
                break
        assert best is not None
        return _dissolve_small(Z, best[1], self.min_size)


def _reduce(X: np.ndarray) -> np.ndarray:
    n, d = X.shape
    dims = min(_PCA_DIMS, d, n - 1)
    Z = X - X.mean(axis=0)
    if dims < d:
        # exact SVD (no random state): the components are a function of the data only
        _, _, vt = np.linalg.svd(Z, full_matrices=False)
        vt = _fix_signs(vt[:dims])
        Z = Z @ vt.T
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return Z / np.maximum(norms, 1e-12)


def _fix_signs(vt: np.ndarray) -> np.ndarray:
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1
    return vt * signs[:, None]


def _ward_tree(Z: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    from scipy.cluster.hierarchy import linkage

    if len(Z) <= _WARD_LIMIT:
        return linkage(Z, method="ward"), None
    from sklearn.cluster import KMeans

    n_micro = min(2_000, len(Z) // 10)
    km = KMeans(n_clusters=n_micro, n_init=1, random_state=seed, max_iter=100).fit(Z)
    return linkage(km.cluster_centers_, method="ward"), km.labels_


def _dissolve_small(Z: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    sizes = np.bincount(labels)
    keep = np.flatnonzero(sizes >= min_size)
    if len(keep) == len(sizes):
        return labels
    if len(keep) == 0:
        return np.zeros_like(labels)
    centroids = _centroids(Z, labels, keep)
    out = labels.copy()
    small = ~np.isin(labels, keep)
    nearest = np.argmax(Z[small] @ centroids.T, axis=1)
    out[small] = keep[nearest]
    return out


def _centroids(X: np.ndarray, labels: np.ndarray, ids: np.ndarray) -> np.ndarray:
    cents = np.vstack([X[labels == i].mean(axis=0) for i in ids])
    return cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)


def _cosine_distances(Z: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosine distances among (a seeded sample of at most ``_SILHOUETTE_SAMPLE``) rows.

    Computed once and reused for every candidate cut; returns the matrix and the row indices.
    """
    n = len(Z)
    if n <= _SILHOUETTE_SAMPLE:
        rows = np.arange(n)
    else:
        rows = np.random.RandomState(seed).permutation(n)[:_SILHOUETTE_SAMPLE]
    S = Z[rows] / np.maximum(np.linalg.norm(Z[rows], axis=1, keepdims=True), 1e-12)
    dist = np.clip(1.0 - S @ S.T, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    return dist, rows


def _silhouette(dist: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import silhouette_score

    if not 2 <= len(np.unique(labels)) < len(labels):
        return -1.0
    return float(silhouette_score(dist, labels, metric="precomputed"))


def _lexical(docs: list[str], dims: int = _LEXICAL_DIMS) -> np.ndarray | None:
    """TF-IDF of the lemmas (English stop words out), reduced by SVD and L2-normalised.

    The SVD is randomised with a fixed state (not the user's seed), so the features are a
    function of the documents only. A document with no remaining term gets a zero row (it is
    then clustered on its embedding alone). ``None`` when there is no vocabulary.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.utils.extmath import randomized_svd

    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS),
        min_df=2 if len(docs) >= 200 else 1,
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w[\w'-]*\b",
        dtype=np.float64,
    )
    try:
        tfidf = vectorizer.fit_transform(docs)
    except ValueError:  # empty vocabulary
        return None
    d = min(dims, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if d < 1:
        return None
    u, s, vt = randomized_svd(tfidf, d, n_iter=7, random_state=0)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1
    Z = u * s * signs
    return Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-12)


def _outliers(X: np.ndarray, labels: np.ndarray, floor: float) -> np.ndarray:
    ids = np.unique(labels[labels >= 0])
    cents = _centroids(X, labels, ids)
    index = {int(t): i for i, t in enumerate(ids)}
    rows = np.array([index[int(t)] for t in labels])
    sims = np.einsum("ij,ij->i", X, cents[rows])
    out = labels.copy()
    out[sims < floor] = -1
    return out


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber themes 0..k-1 by decreasing size, ties by first appearance; keep -1."""
    ids = [int(t) for t in dict.fromkeys(labels.tolist()) if t >= 0]
    sizes = {t: int((labels == t).sum()) for t in ids}
    order = sorted(ids, key=lambda t: -sizes[t])  # stable: ties keep first appearance
    mapping = {t: i for i, t in enumerate(order)}
    return np.array([mapping.get(int(t), -1) for t in labels], dtype=np.int64)


# --- BERTopic ------------------------------------------------------------------------------


#: Discourse fillers of survey answers ("Plus ...", "Really ...", "Another thing: ..."): stop
#: words for theme keywords and labels, on top of scikit-learn's English list (lemmas).
_FILLERS = frozenset(
    [
        "plus",
        "really",
        "just",
        "thing",
        "things",
        "ideally",
        "honestly",
        "generally",
        "main",
        "point",
        "points",
        "like",
        "think",
        "know",
        "want",
        "feel",
        "make",
        "way",
        "sadly",
        "actually",
        "quite",
        "bit",
        "lot",
        "lots",
        "basically",
        "obviously",
        "overall",
        "frankly",
        "personally",
        "currently",
        "certainly",
        "maybe",
        "perhaps",
        "far",
        "good",
        "hope",
        "help",
    ]
)


#: Optional dependencies that ``import bertopic`` pulls in at import time (its embedding
#: backends, UMAP, HDBSCAN, plotting) and that discovery never uses: it hands BERTopic
#: precomputed embeddings and its own dimensionality reduction and cluster model. BERTopic guards
#: each of these imports and falls back when one is missing.
_BERTOPIC_UNUSED = (
    "sentence_transformers",
    "transformers",
    "torch",
    "umap",
    "pynndescent",
    "numba",
    "hdbscan",
    "plotly",
)


@functools.lru_cache(maxsize=1)
def _bertopic() -> tuple[Any, Any, Any, Any]:
    """BERTopic's classes that discovery uses, imported without its unused heavy extras.

    ``import bertopic`` imports sentence-transformers (and so torch), UMAP (and numba) and
    plotly: about 10 s on a laptop, most of discovery's run time on a few thousand comments.
    When bertopic is not imported yet, those modules are marked missing just for this import
    (only those not already imported), the classes are kept, and every ``bertopic`` module is
    then dropped from ``sys.modules``: a later ``import bertopic`` elsewhere in the process gets
    the full library, as if this had not happened. Should a BERTopic version need one of those
    modules at import time, the full import is used instead.
    """
    import sys

    if "bertopic" in sys.modules:  # already imported in full by the caller: use it
        return _bertopic_classes()
    blocked = [m for m in _BERTOPIC_UNUSED if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]  # import raises ModuleNotFoundError
    try:
        light = _bertopic_classes()
    except ImportError:  # a BERTopic version that needs one of them: import it in full
        light = None
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
        for name in [k for k in sys.modules if k == "bertopic" or k.startswith("bertopic.")]:
            del sys.modules[name]
    return light if light is not None else _bertopic_classes()


def _bertopic_classes() -> tuple[Any, Any, Any, Any]:
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import MaximalMarginalRelevance

    return BERTopic, BaseEmbedder, BaseDimensionalityReduction, MaximalMarginalRelevance


def _fit_bertopic(
    docs: list[str],
    vectors: np.ndarray,
    emb: Embedder,
    clusterer: _WardClusterer,
    seeds: list[list[str]] | None,
    seed: int,
) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Run BERTopic on precomputed embeddings; return labels and keywords per theme."""
    import logging

    from sklearn.feature_extraction.text import CountVectorizer

    BERTopic, BaseEmbedder, BaseDimensionalityReduction, MaximalMarginalRelevance = _bertopic()

    logging.getLogger("BERTopic").setLevel(logging.WARNING)

    class _Backend(BaseEmbedder):
        def __init__(self, embedder: Embedder) -> None:
            super().__init__()
            self._embedder = embedder

        def embed(self, documents: Any, verbose: bool = False) -> np.ndarray:
            if isinstance(documents, str):
                documents = [documents]
            return _embed(self._embedder, [str(d) for d in documents])

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    min_df = 2 if len(docs) >= 200 else 1
    vectorizer = CountVectorizer(
        ngram_range=(1, 2),
        stop_words=sorted(ENGLISH_STOP_WORDS | _FILLERS),
        min_df=min_df,
        token_pattern=r"(?u)\b\w[\w'-]*\b",
    )
    model = BERTopic(
        embedding_model=_Backend(emb),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=clusterer,
        vectorizer_model=vectorizer,
        # MMR over the c-TF-IDF ranking (itself ordered by score, then vocabulary): both are
        # independent of hash order. KeyBERTInspired builds its vocabulary from a set, so its
        # ties (and so labels) changed with PYTHONHASHSEED; it is not used.
        representation_model={"KeyBERT": MaximalMarginalRelevance(diversity=0.3, top_n_words=10)},
        top_n_words=10,
        seed_topic_list=seeds,
        calculate_probabilities=False,
        verbose=False,
    )
    try:
        topics, _ = model.fit_transform(docs, embeddings=vectors.copy())
    except ValueError:
        # the vocabulary can be empty after stop words (tiny inputs of stop words only)
        model.vectorizer_model = CountVectorizer(ngram_range=(1, 2), min_df=1)
        topics, _ = model.fit_transform(docs, embeddings=vectors.copy())
    labels = np.asarray(topics, dtype=np.int64)
    main = model.get_topics()
    aspects = getattr(model, "topic_aspects_", {}).get("KeyBERT", {})
    words: dict[int, list[str]] = {}
    for t in sorted(set(labels.tolist()) - {-1}):
        members = [f" {docs[i]} " for i in np.flatnonzero(labels == t)]
        refined = [w for w, _ in aspects.get(t, []) if w]
        ctfidf = [w for w, _ in main.get(t, []) if w]
        kept = [w for w in _unique([*refined, *ctfidf]) if _real_phrase(w, members)]
        words[t] = kept[:10]
    return labels, words


def _real_phrase(phrase: str, member_docs: list[str]) -> bool:
    """Keep a bigram only if its words differ and stand side by side in 2+ member segments.

    The vectorizer forms bigrams after removing stop words, so "made parking much easier"
    yields "make parking"; requiring real adjacency in more than one segment keeps phrases a
    reader would recognise.
    """
    words = phrase.split()
    if len(words) < 2:
        return True
    if len(set(words)) < len(words):
        return False
    needle = f" {phrase} "
    need = 2 if len(member_docs) >= 4 else 1
    hits = 0
    for doc in member_docs:
        if needle in doc:
            hits += 1
            if hits >= need:
                return True
    return False


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- description and assembly --------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    label: int
    size: int
    keywords: list[str]
    title: str
    slug: str
    examples: list[str]
    centroid: np.ndarray


def _describe(
    segments: pd.DataFrame,
    texts: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    words: dict[int, list[str]],
) -> list[_Found]:
    ids = [int(t) for t in dict.fromkeys(labels.tolist()) if t >= 0]
    sizes = {t: int((labels == t).sum()) for t in ids}
    # BERTopic numbers by size already; re-sort defensively (size desc, then first appearance)
    order = sorted(ids, key=lambda t: -sizes[t])
    found = []
    for t in order:
        members = np.flatnonzero(labels == t)
        cent = vectors[members].mean(axis=0)
        cent = cent / max(float(np.linalg.norm(cent)), 1e-12)
        sims = vectors[members] @ cent
        ranked = members[np.lexsort((members, -np.round(sims, 6)))]
        examples: list[str] = []
        seen: set[str] = set()
        for i in ranked:
            text = " ".join(texts[i].split())
            key = text.casefold()
            if not text or key in seen:
                continue
            seen.add(key)
            examples.append(texts[i])
            if len(examples) == 5:
                break
        kws = words.get(t) or []
        title = _title(kws) or f"Theme {len(found) + 1}"
        found.append(
            _Found(
                label=t,
                size=sizes[t],
                keywords=kws,
                title=title,
                slug=_slug(kws),
                examples=examples,
                centroid=cent,
            )
        )
    return found


def _title(keywords: list[str]) -> str:
    chosen: list[str] = []
    covered: set[str] = set()
    for kw in keywords:
        toks = set(kw.split())
        if toks <= covered:
            continue
        chosen.append(kw)
        covered |= toks
        if len(chosen) == 3:
            break
    text = ", ".join(chosen)
    return text[:1].upper() + text[1:]


def _slug(keywords: list[str]) -> str:
    text = keywords[0] if keywords else "theme"
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:40].strip("_") or "theme"


def _assemble(
    segments: pd.DataFrame,
    found: list[_Found],
    labels: np.ndarray,
    cb: Codebook | None,
    anchors: np.ndarray | None,
    baseline: np.ndarray | None,
    match_threshold: float,
    name: str,
    seed: int,
    n_themes: int | None,
) -> Discovery:
    from commentmine.codebook import Codebook, Theme

    width = max(2, len(str(len(found))))
    themes = []
    rows = []
    id_of: dict[int, str] = {}
    for rank, f in enumerate(found, start=1):
        theme_id = f"d{rank:0{width}d}_{f.slug}"
        id_of[f.label] = theme_id
        meta: dict[str, Any] = {"size": f.size}
        matched, similarity = "", float("nan")
        if cb is not None and anchors is not None and len(anchors):
            sims = anchors @ f.centroid
            lift = sims - baseline if baseline is not None else sims
            best = int(np.argmax(np.round(lift, 6)))
            similarity = round(float(sims[best]), 3)
            gain = round(float(lift[best]), 3)
            if gain >= match_threshold:
                matched = cb.themes[best].id
                meta = {
                    "status": "matched",
                    "matched_theme": matched,
                    "similarity": similarity,
                    "lift": gain,
                }
            else:
                meta = {
                    "status": "emergent",
                    "nearest_theme": cb.themes[best].id,
                    "similarity": similarity,
                    "lift": gain,
                }
            meta["size"] = f.size
        else:
            meta = {"status": "emergent", "size": f.size}
        status = meta["status"]
        description = f"Discovered theme: {f.title}" + (
            f" (top keywords: {', '.join(f.keywords[:5])})." if f.keywords else "."
        )
        themes.append(
            Theme(
                id=theme_id,
                label=f.title,
                description=description,
                keywords=tuple(f.keywords),
                examples=tuple(f.examples),
                meta=meta,
            )
        )
        rows.append(
            {
                "id": theme_id,
                "label": f.title,
                "size": f.size,
                "keywords": "; ".join(f.keywords),
                "matched_codebook_theme": matched,
                "similarity": similarity,
                "status": status,
            }
        )
    cb_meta: dict[str, Any] = {
        "generated_by": "commentmine.discover",
        "seed": seed,
        "n_segments": len(segments),
        "n_outliers": int((labels < 0).sum()),
    }
    if n_themes is not None:
        cb_meta["n_themes_requested"] = n_themes
    if cb is not None:
        cb_meta["matched_against"] = cb.name
    draft = Codebook(
        name=name,
        description="Draft codebook from commentmine discover: review, rename, merge and edit "
        "the themes, then tag with it.",
        themes=tuple(themes),
        meta=cb_meta,
    )
    theme_col = [id_of.get(int(t), OUTLIER) for t in labels]
    assignments = pd.DataFrame(
        {
            "comment_id": segments["comment_id"].astype(str).to_numpy(),
            "segment_id": segments["segment_id"].astype(str).to_numpy(),
            "theme": theme_col,
        },
        columns=ASSIGNMENT_COLUMNS,
    )
    return Discovery(
        codebook=draft,
        assignments=assignments,
        comment_assignments=_comment_majority(assignments),
        themes=pd.DataFrame(rows, columns=THEME_COLUMNS),
    )


def _comment_majority(assignments: pd.DataFrame) -> pd.DataFrame:
    """A comment's theme: its segments' majority theme, ties to the lower id; outliers last."""
    if assignments.empty:
        return pd.DataFrame(columns=COMMENT_ASSIGNMENT_COLUMNS)
    ids = assignments["comment_id"].astype(str)
    counts = (
        pd.DataFrame({"comment_id": ids, "theme": assignments["theme"].astype(str)})
        .groupby(["comment_id", "theme"], sort=False)
        .size()
        .reset_index(name="n")
    )
    counts["is_outlier"] = counts["theme"] == OUTLIER
    counts = counts.sort_values(
        ["is_outlier", "n", "theme"], ascending=[True, False, True], kind="mergesort"
    )
    best = counts.drop_duplicates("comment_id").set_index("comment_id")["theme"]
    order = pd.unique(ids)
    return pd.DataFrame(
        {"comment_id": order, "theme": best.reindex(order).to_numpy()},
        columns=COMMENT_ASSIGNMENT_COLUMNS,
    )
