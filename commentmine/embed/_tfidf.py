"""TF-IDF + truncated SVD (LSA) embeddings: no model at all, fitted on the corpus itself.

A TF-IDF embedder has to learn its vocabulary from a corpus. Call :meth:`TfidfEmbedder.fit`
with the corpus first (the tagger does this with the segments it tags); if ``embed`` is called
on an unfitted embedder it fits on the texts of that first call, deterministically, and keeps
that fit for every later call. The vectors depend on the fitted corpus, so this backend is never
put behind the on-disk cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from commentmine.embed._base import as_texts, l2_normalise


class TfidfEmbedder:
    """Latent-semantic embeddings: TF-IDF (word 1-2 grams) reduced with truncated SVD.

    Parameters
    ----------
    dim : int, default 256
        Target size; smaller when the fitted vocabulary or corpus is smaller.
    seed : int, default 0
        Random state of the randomized SVD.
    max_features : int, default 50000
        Vocabulary cap (most frequent terms kept).

    Attributes
    ----------
    name : str
        ``"tfidf"``.
    """

    #: Whether select_embedder puts this backend behind the on-disk cache.
    cacheable = False

    name = "tfidf"

    def __init__(self, *, dim: int = 256, seed: int = 0, max_features: int = 50_000) -> None:
        self.dim_target = int(dim)
        self.seed = int(seed)
        self.max_features = int(max_features)
        self._vec: Any = None
        self._svd: Any = None
        self.dim: int | None = None

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return self._vec is not None

    def fit(self, texts: Sequence[str]) -> TfidfEmbedder:
        """Learn the vocabulary, IDF weights and SVD projection from ``texts``.

        Parameters
        ----------
        texts : sequence of str
            The corpus (all of it, or a seeded sample).

        Returns
        -------
        TfidfEmbedder
            ``self``.
        """
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = as_texts(texts)
        vec = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=1,
            max_features=self.max_features,
            strip_accents="unicode",
            dtype=np.float32,
        )
        try:
            x = vec.fit_transform(texts)
        except ValueError:  # empty vocabulary (no texts, or only stop-characters)
            vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 1), dtype=np.float32)
            x = vec.fit_transform([*texts, " "])
        n_docs, n_terms = x.shape
        k = min(self.dim_target, n_terms - 1, n_docs - 1)
        svd = None
        if k >= 2:
            svd = TruncatedSVD(n_components=k, algorithm="randomized", random_state=self.seed)
            svd.fit(x)
        self._vec, self._svd = vec, svd
        self.dim = k if svd is not None else n_terms
        return self

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (fitting on them first if :meth:`fit` was never called).

        Returns
        -------
        numpy.ndarray
            ``(len(texts), dim)`` float32, rows L2-normalised; a text with no known term gets a
            zero row.
        """
        texts = as_texts(texts)
        if not self.fitted:
            self.fit(texts)
        x = self._vec.transform(texts)
        y = self._svd.transform(x) if self._svd is not None else x.toarray()
        return l2_normalise(y)

    def __repr__(self) -> str:
        return f"TfidfEmbedder(dim={self.dim_target}, seed={self.seed})"
