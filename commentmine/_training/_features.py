"""What a theme model sees of a text: TF-IDF with a saved vocabulary, unit-norm embeddings,
and the codebook's wording and anchors per theme (:func:`commentmine.train`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from commentmine._tagging._anchors import anchor_texts

TOKEN_PATTERN = r"(?u)\b\w\w+\b"


class Tfidf:
    """TF-IDF with an explicit vocabulary and idf (so it saves as JSON, not pickle)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self._cv = CountVectorizer(
            vocabulary=vocabulary,
            lowercase=True,
            token_pattern=TOKEN_PATTERN,
            ngram_range=(1, 2),
            dtype=np.float64,
        )

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_features: int, min_df: int) -> Tfidf:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            lowercase=True,
            token_pattern=TOKEN_PATTERN,
            ngram_range=(1, 2),
            min_df=min_df,
            max_features=max_features,
            sublinear_tf=True,
            dtype=np.float64,
        )
        vec.fit(list(texts))
        vocab = {str(t): int(i) for t, i in vec.vocabulary_.items()}
        return cls(vocab, vec.idf_)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        X = self._cv.transform(list(texts)).tocsr().astype(np.float64)
        X.data = 1.0 + np.log(X.data)
        X = X @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ X)


def resolve_embedder(spec: Any) -> Any:
    if spec is not None and hasattr(spec, "embed"):
        return spec
    from commentmine.embed import select_embedder

    return select_embedder(spec)


def embed(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    if not len(texts):
        return np.zeros((0, 0), dtype=np.float32)
    emb = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return emb / norms


def theme_texts(codebook: Any) -> tuple[list[str], list[list[str]]]:
    """Per theme: its wording for TF-IDF, and its anchor texts to embed (the tagger's
    :func:`~commentmine._tagging._anchors.anchor_texts`)."""
    wording, anchors = [], []
    for th in codebook.themes:
        label = th.label or th.id
        kws = [re.sub(r"\*", "", k) for k in th.keywords]
        wording.append(" ".join([label] * 3 + kws * 2 + [th.description or ""]))
        anchors.append(anchor_texts(th))
    return wording, anchors


def anchor_matrix(embedder: Any, anchors: list[list[str]]) -> np.ndarray:
    flat = [t for group in anchors for t in group]
    emb = embed(embedder, flat)
    out, i = [], 0
    for group in anchors:
        v = emb[i : i + len(group)]
        i += len(group)
        desc = v[0]
        rest = v[1:].mean(axis=0) if len(v) > 1 else desc
        m = desc + rest
        out.append(m / max(float(np.linalg.norm(m)), 1e-12))
    return np.vstack(out).astype(np.float32)
