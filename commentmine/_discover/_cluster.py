"""Discovery's cluster model: exact PCA + Ward, a data-chosen cut, small themes dissolved."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_WARD_LIMIT = 8_000  # above this many segments: k-means micro-clusters, then Ward (memory)
_PCA_DIMS = 64
_LEXICAL_DIMS = 64
_SILHOUETTE_SAMPLE = 4_000


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
        merge_similarity: float = 1.0,
        lexical: np.ndarray | None = None,
        lexical_weight: float = 0.0,
        neighbours: int = 0,
        split_spread: float = 0.0,
        judge_raw: bool = True,
    ) -> None:
        self.judge_raw = judge_raw
        self.neighbours = neighbours
        self.split_spread = split_spread
        self.merge_similarity = merge_similarity
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
        # no more neighbours than the smallest theme has other members: a small theme (eight
        # "No idea" answers among 60) would be averaged into its surroundings
        Z = _reduce(_smooth(X, min(self.neighbours, self.min_size - 1)))
        w = self.lexical_weight
        if self.lexical is not None and w > 0 and len(self.lexical) == len(Z):
            Z = np.hstack([math.sqrt(1.0 - w) * Z, math.sqrt(w) * self.lexical])
        tree, micro = _ward_tree(Z, self.seed)
        if self.n_clusters is not None:
            labels = self._cut_to(tree, micro, Z, self.n_clusters)
        else:
            best = None
            # the cut is judged on the embeddings as they are, not as smoothed: smoothing
            # tightens every cluster, and the silhouette would then keep rising with k
            judged = _reduce(X) if self.judge_raw and self.neighbours > 0 else Z
            if self.lexical is not None and self.lexical_weight > 0 and judged is not Z:
                judged = np.hstack([math.sqrt(1.0 - w) * judged, math.sqrt(w) * self.lexical])
            dist, rows = _cosine_distances(judged, self.seed)
            for k in range(self.k_min, self.k_max + 1):
                lab = self._cut_to(tree, micro, Z, k)
                if not 2 <= len(set(lab.tolist())) < len(lab):
                    continue
                score = _silhouette(dist, lab[rows])
                if best is None or score > best[0] + 1e-12:
                    best = (score, lab)
            labels = best[1] if best is not None else np.zeros(len(Z), dtype=np.int64)
            if self.split_spread > 0:  # a number of themes asked for is kept as it is
                labels = _split_spread(Z, labels, self.split_spread, self.min_size, self.k_max)
        labels = _merge_near_duplicates(X, labels, self.merge_similarity)
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


def _split_spread(
    Z: np.ndarray, labels: np.ndarray, ratio: float, min_size: int, k_max: int
) -> np.ndarray:
    """Split themes whose members are spread, by a second Ward clustering of their members.

    A theme's coherence is its members' mean cosine to its centroid; a theme below ``ratio``
    times the median coherence of the themes is cut in two by Ward on its own members (both
    halves at least ``min_size``), the least coherent first, until none is left or there are
    ``k_max`` themes.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    out = labels.copy()
    tried: set[int] = set()
    while len(np.unique(out)) < k_max:
        ids = np.unique(out)
        cents = _centroids(Z, out, ids)
        coh = np.array([float((Z[out == t] @ cents[i]).mean()) for i, t in enumerate(ids)])
        cand = [
            i
            for i in np.argsort(coh, kind="stable")
            if coh[i] < ratio * np.median(coh)
            and int(ids[i]) not in tried
            and (out == ids[i]).sum() >= 2 * min_size
        ]
        if not cand:
            return out
        t = int(ids[cand[0]])
        rows = np.flatnonzero(out == t)
        halves = fcluster(linkage(Z[rows], method="ward"), 2, criterion="maxclust")
        if min(np.bincount(halves)[1:]) < min_size:
            tried.add(t)
            continue
        out[rows[halves == 2]] = int(out.max()) + 1
    return out


def _merge_near_duplicates(X: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge the two themes with the most similar centroids while their cosine >= threshold.

    Centroids are the mean unit embeddings (renormalised); a merged theme takes the lower id.
    """
    if threshold >= 1.0:
        return labels
    out = labels.copy()
    while True:
        ids = np.unique(out[out >= 0])
        if len(ids) < 3:
            return out
        cents = _centroids(X, out, ids)
        sims = cents @ cents.T
        np.fill_diagonal(sims, -np.inf)
        i, j = np.unravel_index(int(np.argmax(np.round(sims, 9))), sims.shape)
        if sims[i, j] < threshold:
            return out
        a, b = sorted((int(ids[i]), int(ids[j])))
        out[out == b] = a


_SMOOTH_CHUNK = 256  # rows compared at once: 256 x n similarities in memory


def _smooth(X: np.ndarray, m: int) -> np.ndarray:
    """Each row replaced by the mean of itself and its ``m`` nearest rows (cosine), renormalised.

    A comment is clustered by where its neighbourhood lies rather than by its own wording alone
    (the denoising that UMAP's neighbour graph gives BERTopic, without its randomness): a short
    answer whose embedding sits between two topics is pulled to the topic its nearest
    neighbours share. Similarities are rounded (9 decimals) before the neighbours are picked, so
    the result is a function of the rows only (no random state, no thread timing); the row
    itself is always among them. Rows are compared in chunks (memory ``O(chunk x n)``).
    ``m < 1`` or at most ``m + 1`` rows: ``X`` unchanged.
    """
    n = len(X)
    if m < 1 or n <= m + 1:
        return X
    U = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    out = np.empty_like(U)
    for start in range(0, n, _SMOOTH_CHUNK):
        sims = np.round(U[start : start + _SMOOTH_CHUNK] @ U.T, 9)
        rows = np.arange(len(sims))
        sims[rows, start + rows] = np.inf  # the row itself first, whatever its rounding
        near = np.argpartition(-sims, m, axis=1)[:, : m + 1]
        out[start : start + len(sims)] = U[near].mean(axis=1)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _reduce(X: np.ndarray) -> np.ndarray:
    """Exact PCA to ``_PCA_DIMS`` dimensions, rows L2-normalised.

    The components are the top eigenvectors of the (d x d) scatter matrix, found by
    ``numpy.linalg.eigh`` (no random state): the same components as an SVD of the centred data,
    at a fraction of the cost for many rows (an SVD of 2,500 x 384 took 20+ s on a busy 2-core
    machine, the scatter matrix and its eigenvectors well under a second).
    """
    n, d = X.shape
    dims = min(_PCA_DIMS, d, n - 1)
    Z = X - X.mean(axis=0)
    if dims < d:
        vals, vecs = np.linalg.eigh(Z.T @ Z)
        order = np.argsort(-vals, kind="stable")[:dims]
        vt = _fix_signs(vecs[:, order].T)
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
