"""The apply pass of a fitted Tagger.

:func:`tag_frame` is :func:`commentmine.tag` on an in-memory table: fit once, then predict
chunk by chunk without splitting a comment, then the tables, as a
:class:`~commentmine._tagging._table.TagRun`.
:func:`tag_chunk` tags one chunk of comments with a fitted Tagger: the step the scaled paths
(:mod:`commentmine.scale`) repeat, in this process or on Dask workers. Its rows are those
:func:`commentmine.tag` gives for the same comments, and its
:class:`~commentmine._tagging._table.Accounting` adds up (``+``) to the whole input's
``TagRun.accounting``. Both build their tables with
:func:`commentmine._tagging._table.tables`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from commentmine._checks import tagging_warnings
from commentmine._tagging._table import (
    Accounting,
    TagRun,
    comments_and_segments,
    empty_tags,
    finish,
    tables,
)
from commentmine._tagging._tagger import Tagger


def tag_frame(tagger: Tagger, comments: pd.DataFrame, *, level: str, chunk_rows: int) -> TagRun:
    """:func:`commentmine.tag` of an in-memory table: fit on it, then predict chunk by chunk;
    the warnings are in ``TagRun.warnings``, not issued."""
    comment_table, segs = comments_and_segments(comments)
    tagger.fit(segs)
    chunks = [tagger.predict(segs.iloc[a:b]) for a, b in comment_chunks(segs, chunk_rows)]
    chunks = [c for c in chunks if len(c)] or [empty_tags(segs)]
    tags = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    notes = tagging_warnings(tags, tagger.themes_, tagger.decision_thresholds().tolist())
    return finish(
        tags,
        comment_table,
        tagger.themes_,
        level=level,
        include_interviewer=bool(tagger.include_interviewer),
        codebook=str(getattr(tagger.codebook_, "name", "")),
        warnings=notes,
    )


def comment_chunks(segs: pd.DataFrame, size: int) -> list[tuple[int, int]]:
    """Row ranges of about ``size`` segments that never split a comment (a comment's themes
    are decided from all of its segments in one :meth:`Tagger.predict` call)."""
    n = len(segs)
    if n <= size:
        return [(0, max(n, 1))]
    ids = segs["comment_id"].astype(str).to_numpy()
    starts = np.r_[np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]), n]  # run starts, then n
    out, a = [], 0
    while a < n:
        # the last comment start at or before a + size; past it when one comment is longer
        b = int(starts[np.searchsorted(starts, a + size, side="right") - 1])
        if b <= a:
            b = int(starts[np.searchsorted(starts, a, side="right")])
        out.append((a, b))
        a = b
    return out


def tag_chunk(
    tagger: Tagger,
    comments: pd.DataFrame,
    *,
    level: str,
    include_interviewer: bool,
    segments: pd.DataFrame | None = None,
    prepared: Any = None,
    timings: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, Accounting]:
    """Tag one chunk of comments with a fitted Tagger: the output rows and their accounting.

    Parameters
    ----------
    tagger : Tagger
        Fitted.
    comments : DataFrame
        The chunk's comments table.
    level : {"segment", "comment"}
        The tags table's rows, or one row per comment.
    include_interviewer : bool
        Also tag interviewer turns.
    segments : DataFrame, optional
        ``segment(comments, include_interviewer=True)``, when already made (default: made here).
    prepared : Prepared, optional
        :meth:`~commentmine._tagging._public.Tagger.prepare` of ``segments`` (keyword matches, embeddings).
    timings : dict, optional
        Seconds added to its ``segment`` and ``tag`` entries.
    """
    t0 = time.perf_counter()
    if segments is None:
        from commentmine._segment import segment

        segments = segment(comments, include_interviewer=True)
    t1 = time.perf_counter()
    tags = tagger.predict(segments, prepared=prepared)
    out, acc = tables(
        tags, comments, tagger.themes_, level=level, include_interviewer=include_interviewer
    )
    if timings is not None:
        timings["segment"] = timings.get("segment", 0.0) + (t1 - t0)
        timings["tag"] = timings.get("tag", 0.0) + (time.perf_counter() - t1)
    return out, acc
