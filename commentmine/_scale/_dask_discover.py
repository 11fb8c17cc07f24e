""":func:`commentmine.scale.discover_dask`: discover on a seeded sample of segments, then
assign every other segment on the workers (:meth:`~commentmine.Discovery.assign`)."""

from __future__ import annotations

import collections
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._scale._cluster import (
    Client,
    Window,
    default_window,
    is_dask_frame,
    live_workers,
    pickled,
    require_dask,
)
from commentmine._scale._tasks import assign_part, ids_of, rows_of, segments_of

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._discover import Discovery


def _check(data: Any, fit_sample: int, chunk_rows: int, options: dict[str, Any]) -> None:
    if int(fit_sample) < 1 or int(chunk_rows) < 1:
        raise errors.bad_argument("fit_sample and chunk_rows must be >= 1.")
    if not is_dask_frame(data) and not isinstance(data, pd.DataFrame):
        raise errors.bad_argument(
            f"expected a DataFrame or a Dask DataFrame, got {type(data).__name__}."
        )
    if options.get("uncoded_only"):
        raise errors.bad_argument(
            "discover_dask does not take uncoded_only: tag first (tag_dask) and pass the "
            "segments left 'uncoded'."
        )
    columns = {str(c) for c in data.columns}
    if "segment_id" not in columns and not {"comment_id", "text"} <= columns:
        raise errors.bad_argument(
            "discover_dask takes a comments table (commentmine.read) or a segments table; "
            "read a wide survey table with commentmine.read first."
        )


class _Segments:
    """The input's segments: a pandas table here, or a Dask DataFrame's partitions segmented
    and kept on the workers (``parts``, starting at segment ``starts[i]``)."""

    def __init__(self, client: Any, data: Any) -> None:
        self.client = client
        self.parts: list[Any] = []
        if is_dask_frame(data):  # segmented on the workers; only the sample comes here
            self.parts = [
                client.submit(segments_of, f, pure=False) for f in client.compute(data.to_delayed())
            ]
            lengths = [client.submit(len, f) for f in self.parts]
            lengths = np.asarray(client.gather(lengths), dtype=int)
            self.starts = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
            self.n = int(self.starts[-1])
            self.frame: pd.DataFrame | None = None
        else:
            self.frame = segments_of(data)
            self.n = len(self.frame)

    def rows(self, pick: np.ndarray) -> pd.DataFrame:
        """The segments at positions ``pick`` (sorted), in order."""
        if self.frame is not None:
            return self.frame.iloc[pick]
        where = np.searchsorted(self.starts, pick, side="right") - 1
        local = [pick[where == i] - self.starts[i] for i in range(len(self.parts))]
        got = self.client.gather(
            [self.client.submit(rows_of, f, local[i], pure=False) for i, f in enumerate(self.parts)]
        )
        return pd.concat(got, ignore_index=True) if got else pd.DataFrame()


def _assign_partitions(
    segs: _Segments, picked: np.ndarray, theme: np.ndarray, assign: tuple[Any, ...], bar: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Label each partition's unsampled segments where it is; its comment and segment ids."""
    client, task = segs.client, bar.add_task("assign", total=int((~picked).sum()))
    futs = []
    for i, f in enumerate(segs.parts):
        rows = np.flatnonzero(~picked[segs.starts[i] : segs.starts[i + 1]])
        fut = client.submit(assign_part, f, rows, *assign, pure=False)
        futs.append((fut, segs.starts[i] + rows, client.submit(ids_of, f, pure=False)))
    comment_ids, segment_ids = [], []
    for fut, at, id_fut in futs:
        theme[at] = fut.result()
        cid, sid = id_fut.result()
        comment_ids.append(cid)
        segment_ids.append(sid)
        bar.advance(task, len(at))
    cids = np.concatenate(comment_ids) if comment_ids else np.zeros(0, dtype=object)
    sids = np.concatenate(segment_ids) if segment_ids else np.zeros(0, dtype=object)
    return cids, sids


def _assign_slices(
    segs: _Segments,
    picked: np.ndarray,
    theme: np.ndarray,
    assign: tuple[Any, ...],
    bar: Any,
    step: int,
) -> dict[str, int]:
    """Label the unsampled segments of a pandas table in slices of ``step``, at most a window
    of slices on the cluster at once (shipped, not yet collected), so worker memory does not
    grow with the input. Returns the window's numbers."""
    client, frame = segs.client, segs.frame
    assert frame is not None
    task = bar.add_task("assign", total=int((~picked).sum()))
    rest = np.flatnonzero(~picked)
    win = Window(default_window(live_workers(client)))
    out: collections.deque[tuple[Any, np.ndarray]] = collections.deque()

    def collect() -> None:
        fut, at = out.popleft()
        theme[at] = fut.result()
        win.release()
        bar.advance(task, len(at))

    for i in range(0, len(rest), step):
        if win.full:
            collect()
        at = rest[i : i + step]
        piece = frame.iloc[at][["comment_id", "segment_id", "text"]]
        win.add()
        out.append((client.submit(assign_part, piece, None, *assign, pure=False), at))
    while out:
        collect()
    return win.stats(-(-len(rest) // step))


def run_discover_dask(
    data: Any,
    *,
    fit_sample: int,
    seed: int,
    embedder: Any,
    scheduler: Any,
    n_workers: int,
    processes: bool,
    chunk_rows: int,
    progress: bool,
    stats: dict[str, int] | None,
    discover_options: dict[str, Any],
) -> Discovery:
    """:func:`commentmine.scale.discover_dask`."""
    from commentmine._discover import _comment_majority, discover
    from commentmine._progress import progress as _bar
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

    require_dask()
    _check(data, fit_sample, chunk_rows, discover_options)
    emb = select_embedder(DEFAULT_EMBEDDER if embedder is None else embedder)
    with _bar(quiet=not progress) as bar, Client(scheduler, n_workers, processes) as client:
        task = bar.add_task("segment", total=1)
        segs = _Segments(client, data)
        n = segs.n
        bar.advance(task, 1)
        if n > int(fit_sample):
            rng = np.random.default_rng(seed)
            pick = np.sort(rng.choice(n, size=int(fit_sample), replace=False))
        else:
            pick = np.arange(n)
        sample_segs = segs.rows(pick)
        task = bar.add_task("discover", total=1)
        found = discover(sample_segs, seed=seed, embedder=emb, **discover_options)
        bar.advance(task, 1)
        if len(pick) == n:
            return found
        key, blob = pickled(found)  # with its theme centroids: the workers call its assign
        assign = (key, client.scatter(blob, broadcast=True))
        theme = np.empty(n, dtype=object)
        theme[pick] = found.assignments["theme"].astype(str).to_numpy()
        picked = np.zeros(n, dtype=bool)
        picked[pick] = True
        if segs.frame is None:
            cids, sids = _assign_partitions(segs, picked, theme, assign, bar)
        else:
            window = _assign_slices(segs, picked, theme, assign, bar, int(chunk_rows))
            if stats is not None:
                stats.clear()
                stats.update(window)
            cids, sids = ids_of(segs.frame)
    assignments = pd.DataFrame({"comment_id": cids, "segment_id": sids, "theme": theme})
    return replace(
        found,
        assignments=assignments,
        comment_assignments=_comment_majority(assignments),
    )
