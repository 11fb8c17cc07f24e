"""One chunk of comments tagged with a fitted Tagger, and the counts that add up across chunks.

:func:`tag_chunk` and :class:`Accounting` live in the tag layer
(:mod:`commentmine._tagging._run`, :mod:`commentmine._tagging._table`), shared with
:func:`commentmine.tag` and the theme models; both scaled paths use them from here:
:func:`~commentmine.scale.tag_file` in this process, :func:`~commentmine.scale.tag_dask` on
the workers (from the segments and the :meth:`~commentmine._tagging._public.Tagger.prepare` output they made
while the Tagger was fitted). :class:`TimedEmbedder` times the embedding of the apply pass.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from commentmine._tagging._run import tag_chunk
from commentmine._tagging._table import Accounting

__all__ = ["Accounting", "TimedEmbedder", "tag_chunk"]


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
