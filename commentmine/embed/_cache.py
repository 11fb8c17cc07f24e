"""On-disk embedding cache: one SQLite file per model, keyed by the SHA-256 of each text.

Layout: ``$COMMENTMINE_CACHE/embeddings/<model_id>/vectors-v2.sqlite`` (default
``~/.cache/commentmine``; the ``v2`` is the store's format version, so a format change never
reads an old file). ``model_id`` contains a hash of the model's weights, so a changed
model never serves stale vectors. Vectors are stored as exact float32 bytes, so a cached run
gives byte-identical results to an uncached one.

SQLite in WAL mode gives what the cache needs: many concurrent readers (parallel runs, Dask
workers on one machine), writers serialised by SQLite's lock, and every write batch is one
transaction (atomic: a killed run leaves no partial rows). Lookups and inserts are batched.
If the cache cannot be used (read-only folder, full disk, corrupt file) a warning is issued
once and embedding proceeds without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from commentmine.embed._base import as_texts, safe_id

STORE_FILE = "vectors-v2.sqlite"  # bump the version whenever the table layout changes
_CHUNK = 900  # bound parameters per query (SQLite's historical limit is 999)
_TIMEOUT_S = 60.0


def cache_root() -> Path:
    """``$COMMENTMINE_CACHE`` or ``~/.cache/commentmine``."""
    env = os.environ.get("COMMENTMINE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "commentmine"


def text_key(text: str) -> bytes:
    """Cache key of one text: SHA-256 of its UTF-8 bytes (32 bytes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (once per file). SQLite does not wait on its busy timeout
    while another connection switches a new file's journal mode, so a first connection made
    beside others can get "database is locked": retry until the same timeout."""
    deadline = time.monotonic() + _TIMEOUT_S
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class VectorStore:
    """A key -> float32 vector store in one SQLite file (see module docstring).

    Parameters
    ----------
    path : Path
        The ``.sqlite`` file (created with its folder on first write).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def _connect(self) -> sqlite3.Connection:
        # A connection must not cross a fork (Dask/multiprocessing workers).
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=_TIMEOUT_S, isolation_level=None)
            _wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            # Row id = first 8 bytes of the text's SHA-256 (fast B-tree lookups, vector stored
            # inline); the full 32-byte hash is kept and compared, so a collision is a miss.
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors "
                "(id INTEGER PRIMARY KEY, k BLOB NOT NULL, v BLOB NOT NULL)"
            )
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    @staticmethod
    def _rowid(key: bytes) -> int:
        return int.from_bytes(key[:8], "big", signed=True)

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Return the stored vectors of those ``keys`` that are present."""
        conn = self._connect()
        found: dict[bytes, np.ndarray] = {}
        ids = [self._rowid(k) for k in keys]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for k, v in conn.execute(f"SELECT k, v FROM vectors WHERE id IN ({marks})", chunk):
                found[bytes(k)] = np.frombuffer(v, dtype=np.float32)
        return found

    def put_many(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store ``vectors`` (rows) under ``keys`` in one transaction (existing ids are kept)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        rows = sorted((self._rowid(k), k, vectors[i].tobytes()) for i, k in enumerate(keys))
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR IGNORE INTO vectors (id, k, v) VALUES (?, ?, ?)", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if len(rows) >= 1000:
            # Fold a large write back into the main file so the WAL does not stay that size.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def __len__(self) -> int:
        return int(self._connect().execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        """Close the connection (reopened on next use)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def __getstate__(self) -> dict[str, Any]:  # picklable for Dask: drop the connection
        return {"path": self.path, "_conn": None, "_pid": None}


class CachedEmbedder:
    """Wrap an embedder so that only texts missing from the on-disk cache are embedded.

    Duplicate texts within one call are embedded once, too.

    Parameters
    ----------
    inner : Embedder
        The backend. Needs ``name``, ``embed`` and a ``model_id`` (or pass ``model_id``).
    model_id : str, optional
        Cache key of the model; must change whenever the vectors would. Default
        ``inner.model_id``.
    root : str or Path, optional
        Cache root; default :func:`cache_root` (read when the wrapper is made).

    Attributes
    ----------
    name : str
        The inner embedder's name.
    hits, misses : int
        Texts served from the cache / embedded, summed over calls (unique texts per call).
    """

    def __init__(
        self,
        inner: Any,
        *,
        model_id: str | None = None,
        root: str | os.PathLike[str] | None = None,
    ) -> None:
        self.inner = inner
        self.name = str(getattr(inner, "name", type(inner).__name__))
        self._model_id = model_id
        self.root = Path(root) if root is not None else cache_root()
        self._store: VectorStore | None = None
        self._broken = False
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        """Cache key of the model (the inner embedder's unless given)."""
        if self._model_id is None:
            self._model_id = str(self.inner.model_id)
        return self._model_id

    @property
    def dim(self) -> int | None:
        """The inner embedder's vector size, if it exposes one."""
        return getattr(self.inner, "dim", None)

    @property
    def store(self) -> VectorStore:
        """The vector store of this model."""
        if self._store is None:
            folder = self.root / "embeddings" / safe_id(self.model_id)
            self._store = VectorStore(folder / STORE_FILE)
        return self._store

    def _disable(self, exc: BaseException) -> None:
        self._broken = True
        warnings.warn(
            f"embedding cache at {self.store.path} is unusable ({type(exc).__name__}: {exc}); "
            "continuing without it",
            RuntimeWarning,
            stacklevel=3,
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``, reading known vectors from the cache and storing new ones.

        Returns
        -------
        numpy.ndarray
            ``(len(texts), d)`` float32, rows L2-normalised, identical to the inner embedder's.
        """
        texts = as_texts(texts)
        uniq: dict[str, int] = {}
        inverse = np.fromiter(
            (uniq.setdefault(t, len(uniq)) for t in texts), dtype=np.int64, count=len(texts)
        )
        utexts = list(uniq)
        keys = [text_key(t) for t in utexts]
        found: dict[bytes, np.ndarray] = {}
        if not self._broken and keys:
            try:
                found = self.store.get_many(keys)
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        missing = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        new = None
        if missing:
            new = np.asarray(self.inner.embed([utexts[i] for i in missing]), dtype=np.float32)
        dim = new.shape[1] if new is not None else (next(iter(found.values())).size if found else 0)
        if not keys:
            dim = int(getattr(self.inner, "dim", None) or 0)
        out = np.empty((len(utexts), dim), dtype=np.float32)
        for i, k in enumerate(keys):
            v = found.get(k)
            if v is not None:
                out[i] = v
        if new is not None:
            out[missing] = new
            if not self._broken:
                try:
                    self.store.put_many([keys[i] for i in missing], new)
                except (sqlite3.Error, OSError) as exc:
                    self._disable(exc)
        return out[inverse]

    def fit(self, texts: Sequence[str]) -> CachedEmbedder:
        """Forward to the inner embedder's ``fit`` if it has one."""
        fit = getattr(self.inner, "fit", None)
        if fit is not None:
            fit(texts)
        return self

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.inner!r}, model_id={self.model_id!r})"
