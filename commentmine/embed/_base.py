"""Shared pieces of the embedding backends: the protocol, input checks, normalisation, and
:class:`FolderEncoder`, the part the bundled encoders (ONNX MiniLM, static) share."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors.

    Attributes
    ----------
    name : str
        Human-readable backend name (e.g. ``"static:minilm-l6-static-256"``).

    Notes
    -----
    ``embed(texts)`` returns a ``(len(texts), d)`` float32 array whose rows have L2 norm 1
    (a text with no known token, such as ``""``, gets a zero row). Backends may also expose
    ``model_id`` (a string that changes whenever the vectors would change); only such
    embedders are put behind the on-disk cache.
    """

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - protocol
        """Return a ``(n, d)`` float32 array of L2-normalised rows."""
        ...


def as_texts(texts: object) -> list[str]:
    """Validate ``texts`` and return a list of str (missing values become ``""``).

    Raises
    ------
    InputError
        E204 if ``texts`` is a single string or not an iterable of texts.
    """
    from commentmine.errors import bad_embed_input

    if isinstance(texts, (str, bytes)):
        raise bad_embed_input("got a single string; pass a list of texts, e.g. [text]")
    if not isinstance(texts, Iterable):
        raise bad_embed_input(f"expected a sequence of texts, got {type(texts).__name__}")
    out: list[str] = []
    for t in texts:
        if t is None or (isinstance(t, float) and math.isnan(t)):
            out.append("")
        elif isinstance(t, str):
            out.append(t)
        else:
            try:
                import pandas as pd

                if pd.isna(t):
                    out.append("")
                    continue
            except (TypeError, ValueError, ImportError):
                pass
            out.append(str(t))
    return out


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.maximum(norms, np.float32(1e-12), out=norms)
    return np.ascontiguousarray(x / norms, dtype=np.float32)


_HASHED: dict[tuple[str, int, int], str] = {}


def hash_files(paths: Iterable[Path]) -> str:
    """SHA-256 over the names and bytes of ``paths`` (memoised per size and mtime)."""
    h = hashlib.sha256()
    for p in sorted(Path(q) for q in paths):
        st = p.stat()
        key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
        digest = _HASHED.get(key)
        if digest is None:
            fh_hash = hashlib.sha256()
            with p.open("rb") as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    fh_hash.update(block)
            digest = fh_hash.hexdigest()
            _HASHED[key] = digest
        h.update(p.name.encode())
        h.update(digest.encode())
    return h.hexdigest()


def safe_id(text: str) -> str:
    """Make ``text`` usable as a folder name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "model"


class FolderEncoder:
    """A sentence encoder read from a model folder (the ONNX and the static backends).

    It holds the folder's ``name`` (``"<kind>:<folder name>"``) and ``model_id`` (the cache
    key: the folder name and a hash of its :attr:`files`), loads the folder on first use, runs
    the texts batch by batch and L2-normalises every row once at the end, and pickles (to Dask
    workers) without what it loaded. A subclass reads the folder (:meth:`_load`), gives
    :attr:`dim` and pools each batch (:meth:`_batches`).
    """

    #: Whether select_embedder puts this backend behind the on-disk cache.
    cacheable = True
    #: Prefix of ``name`` and ``model_id``.
    kind = ""
    #: The folder's files hashed into ``model_id``.
    files: tuple[str, ...] = ()
    #: Attributes set by :meth:`_load` (None until then; dropped when pickled).
    loaded: tuple[str, ...] = ()

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"{self.kind}:{path.name}"
        digest = hash_files([path / f for f in self.files])[:16]
        self.model_id = f"{self.kind}-{safe_id(path.name)}-{digest}"
        for attr in self.loaded:
            setattr(self, attr, None)

    def _load(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def _ready(self) -> None:
        """Load the folder unless it is loaded (a cache hit never touches the weights)."""
        if getattr(self, self.loaded[0]) is None:
            self._load()

    @property
    def dim(self) -> int:  # pragma: no cover - every subclass has its own
        """Vector size."""
        raise NotImplementedError

    def _batches(self, texts: list[str]) -> Iterator[tuple[Any, np.ndarray]]:
        """``(rows, vectors)``: rows of ``texts`` (an index) and their pooled vectors, not
        normalised; together they cover every text that does not get a zero row."""
        raise NotImplementedError  # pragma: no cover - every subclass has its own

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``.

        Parameters
        ----------
        texts : sequence of str
            Texts to embed (missing values are treated as ``""``).

        Returns
        -------
        numpy.ndarray
            ``(len(texts), dim)`` float32, rows L2-normalised; a text with no known token
            gets a zero row.
        """
        texts = as_texts(texts)
        self._ready()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, vectors in self._batches(texts):
            out[rows] = vectors
        return l2_normalise(out)

    def __getstate__(self) -> dict:
        # Pickle (e.g. to Dask workers) without what was loaded: it reloads from ``path``.
        return {**self.__dict__, **dict.fromkeys(self.loaded)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"
