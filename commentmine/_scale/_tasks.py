"""What runs on the Dask workers (each function is a task; they import what they need)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine._ingest._chunks import _to_comments
from commentmine._scale._chunk import Accounting, tag_chunk
from commentmine._scale._cluster import local_copy, pickled, wait_warm
from commentmine._scale._output import encode_rows

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._tagging._tagger import Tagger


def part_comments(
    wide: pd.DataFrame,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offset: int,
    source: str,
) -> pd.DataFrame:
    """A Dask DataFrame's partition as a comments table (row numbers from ``offset``)."""
    from commentmine._ingest._files import _stringify_frame

    if text_cols is None and set(T.COMMENT_COLUMNS) <= set(wide.columns):
        return wide.reset_index(drop=True)
    return _to_comments(
        _stringify_frame(wide.reset_index(drop=True)),
        text_cols=text_cols,
        id_col=id_col,
        offset=offset,
        source=source,
    )


def to_comments_task(
    wide: pd.DataFrame,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offset: int,
    source: str,
) -> pd.DataFrame:
    """One chunk of a file as a comments table (as :func:`commentmine.read` makes it)."""
    return _to_comments(wide, text_cols=text_cols, id_col=id_col, offset=offset, source=source)


def setup_spec(
    codebook: Any, fit_sample: int, seed: int, tagger_kw: dict[str, Any]
) -> tuple[str, bytes]:
    """Client side: an unfitted Tagger like the one fitted, pickled for the workers."""
    from commentmine._tagging._tagger import Tagger

    return pickled(Tagger(codebook, fit_sample=fit_sample, seed=seed, **tagger_kw))


_SET_UP: dict[tuple[int, str], Any] = {}


def set_up_tagger(key: str, blob: bytes) -> Tagger:
    """This thread's copy of the unfitted Tagger (:func:`setup_spec`), kept apart from the
    fitted one's copy; its first :meth:`~commentmine._tagging._public.Tagger.prepare` sets up the codebook
    and the embedder, once per thread."""
    return local_copy(key, blob, _SET_UP)


def part_segments(
    comments: pd.DataFrame, setup: tuple[str, bytes] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any] | None]:
    """A partition's comments, their segments (interviewer turns kept) and, with ``setup``
    (:func:`setup_spec`), the part of tagging them that does not need the fitted Tagger
    (keyword matches and embeddings: :meth:`~commentmine._tagging._public.Tagger.prepare`), done here so
    that it can run while the Tagger is still being fitted."""
    from commentmine._segment import segment

    wait_warm(segmenter_only=True)
    segs = segment(comments, include_interviewer=True)
    prepared = set_up_tagger(*setup).prepare(segs) if setup is not None else None
    return comments, segs, prepared


def segment_piece(comments: pd.DataFrame) -> pd.DataFrame:
    """Segment a piece of the fit sample."""
    from commentmine._segment import segment

    wait_warm(segmenter_only=True)

    return segment(comments, include_interviewer=True)


def fit_meta(tagger: Tagger, n_segments: int) -> dict[str, Any]:
    """What the client reports of a fitted Tagger: its themes, codebook name, fit segments."""
    return {
        "themes": list(tagger.themes_),
        "codebook": str(getattr(tagger.codebook_, "name", "")),
        "segments": int(n_segments),
    }


def fit_task(
    codebook: Any, fit_sample: int, seed: int, tagger_kw: dict[str, Any], *pieces: pd.DataFrame
) -> tuple[str, bytes, dict[str, Any]]:
    """Fit the Tagger on the sample's segmented pieces (in order).

    Returns the pickled Tagger with its key (what :func:`part_tag` loads) and a summary.
    """
    from commentmine._tagging._tagger import Tagger

    wait_warm()
    segs = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    tagger = Tagger(codebook, fit_sample=fit_sample, seed=seed, **tagger_kw).fit(segs)
    key, blob = pickled(tagger)
    return key, blob, fit_meta(tagger, len(segs))


def part_tag(
    key: str | None,
    blob: bytes | tuple[str, bytes, dict[str, Any]],
    prepped: tuple[pd.DataFrame, pd.DataFrame, dict[str, Any] | None],
    level: str,
    include_interviewer: bool,
    ext: str | None,
    header: bool,
) -> tuple[Any, int, Accounting]:
    """Tag a segmented (and prepared) partition with this thread's Tagger copy.

    ``key=None``: ``blob`` is what :func:`fit_task` returned. Returns the rows encoded for
    the output (:func:`~commentmine._scale._output.encode_rows`), their count and the
    chunk's accounting.
    """
    if key is None:
        key, blob = blob[0], blob[1]
    wait_warm()
    comments, segs, prepared = prepped
    out, acc = tag_chunk(
        local_copy(key, blob),
        comments,
        level=level,
        include_interviewer=include_interviewer,
        segments=segs,
        prepared=prepared,
    )
    return encode_rows(out, ext, header=header), len(out), acc


# ----------------------------------------------------------------------------- discovery


def assign_part(
    segments: pd.DataFrame, rows: np.ndarray | None, key: str, blob: bytes
) -> np.ndarray:
    """The theme (or ``outlier``) of ``segments`` (``rows`` of them) by this thread's copy of
    the pickled :class:`~commentmine.Discovery` (:meth:`~commentmine.Discovery.assign`).

    A segment's theme does not depend on the other segments of its part.
    """
    if rows is not None:
        segments = segments.iloc[rows]
    return local_copy(key, blob).assign(segments)["theme"].to_numpy(dtype=object)


def segments_of(frame: pd.DataFrame) -> pd.DataFrame:
    """A partition as a segments table (segmented here if it holds comments)."""
    from commentmine._segment import segment

    if "segment_id" in frame.columns:
        return frame.reset_index(drop=True)
    return segment(frame).reset_index(drop=True)


def rows_of(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    return frame.iloc[rows]


def ids_of(segments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (
        segments["comment_id"].astype(str).to_numpy(dtype=object),
        segments["segment_id"].astype(str).to_numpy(dtype=object),
    )
