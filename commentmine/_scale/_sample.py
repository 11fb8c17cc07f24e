"""The fit pass's bookkeeping: ids checked across chunks and the seeded bottom-k sample.

Comment ``i`` of the input gets the ``i``-th draw of ``numpy.random.default_rng(seed).random()``
and the ``k`` answered comments with the smallest draws are the sample, in input order: it does
not depend on the chunk size. :class:`FitPass` draws it from whole chunks (a file read here);
:class:`ScanSample` draws the same sample from what Dask workers report about their chunks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine import errors
from commentmine._scale._cluster import P_CLIENT

#: Columns of a comments table needed to segment and fit (metadata is not kept in the sample).
FIT_COLUMNS = [c for c in T.COMMENT_COLUMNS]
#: Repeated ids named in the E005 message, at most.
MAX_DUPES = 1000


def id_hashes(ids: pd.Series) -> np.ndarray:
    """64-bit hashes of the ids (8 bytes per comment to check ids across chunks)."""
    return pd.util.hash_array(ids.astype(str).to_numpy(dtype=object), categorize=False)


def part_scan(comments: pd.DataFrame) -> tuple[int, np.ndarray, np.ndarray]:
    """Worker side: a chunk's size, id hashes and the positions of its answered comments."""
    h = id_hashes(comments["comment_id"]) if len(comments) else np.zeros(0, dtype=np.uint64)
    ok = np.flatnonzero((comments["status"].astype(str) == T.STATUS_OK).to_numpy())
    return len(comments), h, ok


def part_rows(comments: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Worker side: the fit columns of ``rows`` of a chunk (candidates for the fit sample)."""
    cols = [c for c in FIT_COLUMNS if c in comments.columns]
    return comments.iloc[rows][cols].reset_index(drop=True)


def part_values(comments: pd.DataFrame, rows: np.ndarray, col: str) -> list[str]:
    """Worker side: the values of ``col`` in ``rows`` of a chunk (repeated ids, named)."""
    return comments.iloc[rows][col].astype(str).tolist()


def empty_sample() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FIT_COLUMNS})


class FitPass:
    """Accumulate a seeded bottom-k sample of answered comments and check ids across chunks.

    ``detected`` is the free-text columns :func:`~commentmine.scale.iter_comments` detected
    (None when given).
    """

    def __init__(self, k: int, seed: int, id_col: str | None) -> None:
        self.k = int(k)
        self.rng = np.random.default_rng(seed)
        self.id_col = id_col
        self.sample: pd.DataFrame | None = None
        self.keys = np.zeros(0, dtype=np.float64)
        self.seen = np.zeros(0, dtype=np.uint64)
        self.dupes: dict[str, None] = {}
        self.n = 0
        self.n_ok = 0
        self.detected: list[str] | None = None

    def add(self, comments: pd.DataFrame) -> None:
        if self.detected is None and "detected_text_cols" in comments.attrs:
            self.detected = list(comments.attrs["detected_text_cols"])
        n = len(comments)
        keys = self.rng.random(n)  # one draw per comment, in file order
        h = id_hashes(comments["comment_id"])
        if self.seen.size:
            at = np.minimum(np.searchsorted(self.seen, h), self.seen.size - 1)
            hit = self.seen[at] == h
            if hit.any():
                col = "respondent_id" if self.id_col else "comment_id"
                for v in comments.loc[hit, col].astype(str):
                    if len(self.dupes) < MAX_DUPES:
                        self.dupes.setdefault(v, None)
        # Merge the chunk into the sorted hashes: O(n) per chunk (re-sorting everything, or
        # np.isin, cost 15 s of CPU over a 1M-comment file).
        hs = np.sort(h)
        self.seen = np.insert(self.seen, np.searchsorted(self.seen, hs), hs)
        ok = (comments["status"].astype(str) == T.STATUS_OK).to_numpy()
        self.n_ok += int(ok.sum())
        cand = comments.loc[ok, [c for c in FIT_COLUMNS if c in comments.columns]].copy()
        cand["_pos"] = np.arange(self.n, self.n + n)[ok]
        ckeys = keys[ok]
        self.n += n
        if self.sample is None:
            pool, pkeys = cand, ckeys
        else:
            pool = pd.concat([self.sample, cand], ignore_index=True)
            pkeys = np.concatenate([self.keys, ckeys])
        if len(pool) > self.k:
            keep = np.sort(np.argsort(pkeys, kind="stable")[: self.k])
            pool, pkeys = pool.iloc[keep].reset_index(drop=True), pkeys[keep]
        self.sample, self.keys = pool, pkeys

    def check(self) -> None:
        if self.dupes:
            raise errors.duplicate_ids(self.id_col or "comment_id", list(self.dupes))

    def result(self) -> pd.DataFrame:
        if self.sample is None:
            return empty_sample()
        out = self.sample.sort_values("_pos", kind="stable").drop(columns=["_pos"])
        return out.reset_index(drop=True)


class ScanSample:
    """Client side: ids across chunks and the seeded bottom-k fit sample, chunk by chunk in
    input order, from what the workers report (exactly the sample :class:`FitPass` draws).

    Only each chunk's id hashes and the positions of its answered comments come back, and
    then only the answered comments whose draws can still enter the sample.
    """

    def __init__(self, k: int, seed: int, id_col: str | None) -> None:
        self.k = int(k)
        self.rng = np.random.default_rng(seed)
        self.id_col = id_col
        self.seen = np.zeros(0, dtype=np.uint64)
        self.dupes: dict[str, None] = {}
        self.pool: list[pd.DataFrame] = []
        self.keys = np.zeros(0, dtype=np.float64)
        self.pos = np.zeros(0, dtype=np.int64)
        self.n = 0

    def add(self, client: Any, comments: Any, n: int, h: np.ndarray, ok: np.ndarray) -> None:
        """Chunk ``comments`` (a future) of ``n`` comments, id hashes ``h``, answered rows
        ``ok``."""
        keys = self.rng.random(n)  # one draw per comment, in input order
        hit = pd.Series(h).duplicated().to_numpy().copy()
        if self.seen.size:
            at = np.minimum(np.searchsorted(self.seen, h), self.seen.size - 1)
            hit |= self.seen[at] == h
        if hit.any() and len(self.dupes) < MAX_DUPES:
            col = "respondent_id" if self.id_col else "comment_id"
            names = client.submit(
                part_values, comments, np.flatnonzero(hit), col, priority=P_CLIENT
            ).result()
            for v in names:
                if len(self.dupes) < MAX_DUPES:
                    self.dupes.setdefault(v, None)
        hs = np.sort(h)
        self.seen = np.insert(self.seen, np.searchsorted(self.seen, hs), hs)
        kok = keys[ok]
        if len(self.keys) >= self.k:  # only draws below the sample's largest can enter it
            sel = np.flatnonzero(kok < self.keys.max())
        else:
            sel = np.arange(len(ok))
        if len(sel) > self.k:
            sel = np.sort(sel[np.argsort(kok[sel], kind="stable")[: self.k]])
        if len(sel):
            rows = client.submit(part_rows, comments, ok[sel], priority=P_CLIENT).result()
            pool = pd.concat([*self.pool, rows], ignore_index=True) if self.pool else rows
            pkeys = np.concatenate([self.keys, kok[sel]])
            pos = np.concatenate([self.pos, self.n + ok[sel]])
            if len(pool) > self.k:
                keep = np.sort(np.argsort(pkeys, kind="stable")[: self.k])
                pool, pkeys, pos = pool.iloc[keep].reset_index(drop=True), pkeys[keep], pos[keep]
            self.pool, self.keys, self.pos = [pool], pkeys, pos
        self.n += int(n)

    def check(self) -> None:
        if self.dupes:
            raise errors.duplicate_ids(self.id_col or "comment_id", list(self.dupes))

    def result(self) -> pd.DataFrame:
        """The sample's comments in input order."""
        if not self.pool:
            return empty_sample()
        order = np.argsort(self.pos, kind="stable")
        return self.pool[0].iloc[order].reset_index(drop=True)
