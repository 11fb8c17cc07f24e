"""One chunk of comments tagged with a fitted Tagger, and the counts that add up across chunks.

:func:`tag_chunk` is the step both scaled paths repeat: :func:`~commentmine.scale.tag_file`
in this process, :func:`~commentmine.scale.tag_dask` on the workers (from the segments and the
:meth:`~commentmine.tag.Tagger.prepare` output they made while the Tagger was fitted). Its rows
are those :func:`commentmine.tag` gives for the same comments, and its :class:`Accounting`
adds up (``+``) to the whole input's ``attrs["accounting"]``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._tagging._tagger import Tagger


def _no_skips() -> dict[str, int]:
    from commentmine._tagging._table import accounting

    return dict(accounting([])["skipped"])


@dataclass
class Accounting:
    """What happened to the comments of a chunk (or of several, added with ``+``).

    Attributes
    ----------
    comments_in : int
        Comments read.
    tagged : int
        Comments with at least one theme.
    uncoded : int
        Answered comments with no theme.
    skipped : dict of str to int
        Comments not tagged, by reason (``empty``, ``non_answer``, ``interviewer``).
    """

    comments_in: int = 0
    tagged: int = 0
    uncoded: int = 0
    skipped: dict[str, int] = field(default_factory=_no_skips)

    @classmethod
    def of(cls, statuses: Sequence[str]) -> Accounting:
        """The counts of comments with these statuses (``commentmine.tag``'s, per comment)."""
        from commentmine._tagging._table import accounting

        acc = accounting(statuses)
        return cls(acc["comments_in"], acc["tagged"], acc["uncoded"], dict(acc["skipped"]))

    def __add__(self, other: Accounting) -> Accounting:
        keys = dict.fromkeys([*self.skipped, *other.skipped])
        return Accounting(
            self.comments_in + other.comments_in,
            self.tagged + other.tagged,
            self.uncoded + other.uncoded,
            {k: self.skipped.get(k, 0) + other.skipped.get(k, 0) for k in keys},
        )

    def as_dict(self) -> dict[str, Any]:
        """As ``tag().attrs["accounting"]``."""
        return {
            "comments_in": int(self.comments_in),
            "tagged": int(self.tagged),
            "uncoded": int(self.uncoded),
            "skipped": {k: int(v) for k, v in self.skipped.items()},
        }


def tag_chunk(
    tagger: Tagger,
    comments: pd.DataFrame,
    *,
    level: str,
    include_interviewer: bool,
    segments: pd.DataFrame | None = None,
    prepared: dict[str, Any] | None = None,
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
    prepared : dict, optional
        :meth:`~commentmine.tag.Tagger.prepare` of ``segments`` (keyword matches, embeddings).
    timings : dict, optional
        Seconds added to its ``segment`` and ``tag`` entries.
    """
    from commentmine._tagging._table import comment_level, comment_status

    t0 = time.perf_counter()
    if segments is None:
        from commentmine.segment import segment

        segments = segment(comments, include_interviewer=True)
    t1 = time.perf_counter()
    tags = tagger.predict(segments, prepared=prepared)
    statuses = comment_status(comments, tags, include_interviewer=include_interviewer)
    if level == "comment":
        out = comment_level(tags, comments, tagger.themes_, include_interviewer=include_interviewer)
    else:
        out = tags
    if timings is not None:
        timings["segment"] = timings.get("segment", 0.0) + (t1 - t0)
        timings["tag"] = timings.get("tag", 0.0) + (time.perf_counter() - t1)
    return out, Accounting.of(statuses)


class TimedEmbedder:
    """Forward ``embed`` and add its wall time to ``seconds`` (timings of the apply pass)."""

    def __init__(self, inner: Any, advance: Any = None) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.seconds = 0.0
        self._advance = advance

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        t0 = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - t0
            if self._advance is not None:
                self._advance(len(texts))
