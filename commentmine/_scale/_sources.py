"""Client side of :func:`~commentmine.scale.tag_dask`'s input: a file or a Dask DataFrame as
a stream of comment chunks on the cluster (futures), one at a time as the caller asks, and the
fit sample segmented on the workers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine import errors
from commentmine._ingest._chunks import _to_comments, iter_wide_chunks
from commentmine._scale._cluster import P_CLIENT, import_fit_modules, live_workers
from commentmine._scale._tasks import part_comments, segment_piece, to_comments_task


def file_chunks(
    client: Any,
    src: Path,
    id_col: str | None,
    chunk_rows: int,
    state: dict[str, Any],
    skip: int = 0,
) -> Iterator[tuple[Any, int]]:
    """Read ``src`` lazily and ship each chunk to the cluster as a comments table (a future).

    A generator: a chunk is read only when the next one is asked for, so the caller decides
    how far ahead of the tagging the file is read. The first ``skip`` chunks are read but not
    shipped (they are still on the cluster). Without known text columns (``state["cols"]``),
    the first chunk is turned into comments here and the columns detected on it (as
    :func:`~commentmine.scale.iter_comments` does); every other chunk on the workers, with the
    same columns. Yields ``(future, input rows)``.
    """
    offset = 0
    for i, wide in enumerate(iter_wide_chunks(src, chunk_rows=chunk_rows)):
        n = len(wide)
        if i < skip:
            offset += n
            continue
        cols = state["cols"]
        if i == 0 and cols is None:
            first = _to_comments(wide, text_cols=None, id_col=id_col, offset=0, source=src.name)
            if "detected_text_cols" in first.attrs:
                state["cols"] = list(first.attrs["detected_text_cols"])
            fut = client.scatter(first, hash=False)
        else:
            fut = client.submit(
                to_comments_task,
                client.scatter(wide, hash=False),
                cols,
                id_col,
                offset,
                src.name,
                pure=False,
                priority=P_CLIENT,
            )
        del wide
        offset += n
        yield fut, n


def frame_setup(
    client: Any, ddf: Any, text_cols: Sequence[str] | None, id_col: str | None
) -> tuple[list[Any], list[str] | None, np.ndarray]:
    """A Dask DataFrame's delayed partitions, its text columns and each partition's row offset
    (row numbers continue across partitions)."""
    import dask

    delayed_parts = ddf.to_delayed()
    if text_cols is None and not set(T.COMMENT_COLUMNS) <= {str(c) for c in ddf.columns}:
        from commentmine._ingest._files import _stringify_frame
        from commentmine.ingest import detect_text_columns

        head = _stringify_frame(client.compute(delayed_parts[0]).result())
        text_cols = detect_text_columns(head, exclude=[id_col] if id_col else [])
        if not text_cols:
            raise errors.no_text_columns([str(c) for c in ddf.columns])
    if id_col is None and text_cols is not None:
        lengths = client.gather(client.compute([dask.delayed(len)(p) for p in delayed_parts]))
    else:
        lengths = [0] * len(delayed_parts)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
    return delayed_parts, list(text_cols) if text_cols is not None else None, offsets


def frame_chunks(
    client: Any,
    delayed_parts: list[Any],
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offsets: np.ndarray,
    skip: int = 0,
) -> Iterator[tuple[Any, int]]:
    """Each partition from ``skip`` on as a comments table computed on the workers (a future),
    one at a time as the caller asks. Yields ``(future, 0)``: rows are not known here."""
    import dask

    for i in range(int(skip), len(delayed_parts)):
        part = dask.delayed(part_comments)(delayed_parts[i], text_cols, id_col, int(offsets[i]), "")
        yield client.compute(part), 0


def submit_sample_pieces(
    client: Any, sample: pd.DataFrame, *, whole: bool = False
) -> list[Any] | None:
    """Segment the fit sample on the workers, in ``2 * workers`` pieces (None: too small to
    be worth it, unless ``whole``: then at least one piece)."""
    bounds = np.linspace(0, len(sample), 2 * live_workers(client) + 1).astype(int)
    pieces = [sample.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    if whole and len(pieces) < 2:
        pieces = [sample]
    elif len(pieces) < 2:
        return None
    return [
        client.submit(segment_piece, client.scatter(p, hash=False), priority=P_CLIENT)
        for p in pieces
    ]


def sample_segments(client: Any, sample: pd.DataFrame, pieces: list[Any] | None) -> pd.DataFrame:
    """``segment(sample, include_interviewer=True)``, from the pieces segmented on the workers.

    Segmenting is per comment, so the pieces concatenated in order are the whole sample's
    segments. The client imports what the fit needs while it waits.
    """
    from commentmine._segment import segment

    if pieces is None:
        return segment(sample, include_interviewer=True)
    import_fit_modules()
    return pd.concat(client.gather(pieces), ignore_index=True)
