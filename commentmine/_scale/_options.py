"""The settings of a scaled tagging run, declared once (``tag_file``, ``tag_dask`` and the CLI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from commentmine import errors


@dataclass(frozen=True)
class ScaleOptions:
    """How a large input is tagged in two passes: the fit sample, the chunks, the output.

    Shared by :func:`commentmine.scale.tag_file` and :func:`commentmine.scale.tag_dask` (which
    also take each field as a keyword argument) and the ``tag`` command's streaming and Dask
    paths. Values are checked when a run starts (:meth:`check`).

    Parameters
    ----------
    level : {"segment", "comment"}, default "segment"
        As :func:`commentmine.tag`.
    threshold : float, optional
        Global threshold on the [0, 1] score.
    seed : int, default 0
        Seed of the fit sample and the Tagger.
    include_interviewer : bool, default False
        Also tag interviewer turns.
    fit_sample : int, default 20000
        Answered comments sampled (seeded) by the fit pass; the Tagger then uses at most this
        many of their segments. With at least as many as the input has, the output equals
        :func:`commentmine.tag` on the whole input.
    chunk_rows : int, default 20000
        Input rows read, segmented and tagged at a time (memory grows with this, not the
        input); with :func:`~commentmine.scale.tag_dask`, rows per partition of a file.
    progress : bool, default True
        Show progress bars on stderr when it is a terminal.
    """

    level: str = "segment"
    threshold: float | None = None
    seed: int = 0
    include_interviewer: bool = False
    fit_sample: int = 20000
    chunk_rows: int = 20000
    progress: bool = True

    def check(self) -> None:
        """E301 for a level other than "segment"/"comment", or a size below 1."""
        from commentmine._tagging._public import check_level

        check_level(self.level)
        if int(self.fit_sample) < 1:
            raise errors.bad_argument(f"fit_sample must be >= 1, got {self.fit_sample!r}.")
        if int(self.chunk_rows) < 1:
            raise errors.bad_argument(f"chunk_rows must be >= 1, got {self.chunk_rows!r}.")

    def tagger_kw(self, embedder: Any, other: Mapping[str, Any]) -> dict[str, Any]:
        """The Tagger's parameters of a run: ``embedder``, these settings' ``threshold`` and
        ``include_interviewer``, and ``other`` (the Tagger's further parameters)."""
        return dict(
            embedder=embedder,
            threshold=self.threshold,
            **other,
            include_interviewer=self.include_interviewer,
        )


def split_options(
    options: ScaleOptions | None, kwargs: Mapping[str, Any], *, func: str
) -> tuple[ScaleOptions, dict[str, Any]]:
    """``options`` with the keywords that name its fields applied, and the other keywords
    (the Tagger's further parameters)."""
    from commentmine._options import resolve

    names = {f.name for f in fields(ScaleOptions)}
    own = {k: v for k, v in kwargs.items() if k in names}
    rest = {k: v for k, v in kwargs.items() if k not in names}
    return resolve(ScaleOptions, options, own, func=func), rest
