"""Nearest-centroid assignment of segments to discovered themes (:meth:`Discovery.assign`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

OUTLIER = "outlier"


@dataclass(frozen=True)
class Centroids:
    """Theme centroids and the outlier floor: what assigning a segment needs besides its
    embedding.

    ``ids`` are the theme ids in sorted order, ``vectors`` their unit centroids (one row each):
    the mean embedding of each theme's segments, renormalised.
    """

    ids: tuple[str, ...]
    vectors: np.ndarray
    floor: float

    @classmethod
    def of(cls, embeddings: np.ndarray, themes: np.ndarray, floor: float) -> Centroids:
        """Centroids of the themes of ``themes`` (one id per row of ``embeddings``; ``outlier``
        rows left out)."""
        ids = sorted(t for t in set(themes.tolist()) if t != OUTLIER)
        if ids:
            cents = np.vstack([embeddings[themes == t].mean(axis=0) for t in ids])
        else:
            cents = np.zeros((0, 1))
        cents = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
        return cls(tuple(ids), cents, float(floor))

    def nearest(self, embeddings: np.ndarray) -> np.ndarray:
        """Each row's nearest theme by cosine, or ``outlier`` when that cosine is below the
        floor. A row's theme does not depend on the other rows
        (:func:`commentmine._blas.rowwise_dot`)."""
        from commentmine._blas import rowwise_dot

        if not len(embeddings) or not self.ids:
            return np.full(len(embeddings), OUTLIER, dtype=object)
        sims = rowwise_dot(embeddings, self.vectors)
        best = np.argmax(sims, axis=1)
        top = sims[np.arange(len(embeddings)), best]
        return np.where(top >= self.floor, np.asarray(self.ids, dtype=object)[best], OUTLIER)


def embed_raw(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    """The embedder's vectors of ``texts`` as they are (float32, not renormalised)."""
    return np.asarray(embedder.embed(list(texts)), dtype=np.float32)


@dataclass(frozen=True, eq=False)
class Fitted:
    """What :func:`commentmine.discover` clustered, kept so that new segments can be assigned:
    the embedder, the segments' texts and themes, the outlier floor and ``unit``.

    The centroids are made on first use (:meth:`centroids`) or when pickled: embedding the
    texts again costs time that a discovery whose result is never used to assign should not
    pay.
    """

    embedder: Any
    texts: tuple[str, ...]
    themes: np.ndarray
    floor: float
    unit: str
    _cache: dict[str, Centroids] = field(default_factory=dict, repr=False)

    def centroids(self) -> Centroids:
        """The theme centroids of the texts' embeddings as they are (made once)."""
        if "c" not in self._cache:
            vectors = embed_raw(self.embedder, self.texts)
            self._cache["c"] = Centroids.of(vectors, self.themes, self.floor)
        return self._cache["c"]

    def __getstate__(self) -> dict[str, Any]:
        """A pickled copy (a Dask worker's) carries the centroids: it never embeds the texts."""
        self.centroids()
        return dict(self.__dict__)
