"""Shared pieces of the embedding backends: the protocol, input checks, normalisation."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

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
