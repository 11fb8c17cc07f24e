"""Progress bars for long steps: shown on stderr only when it is a terminal.

One helper, :func:`progress`, used as a context manager around a long step::

    with progress(quiet=quiet) as bar:
        task = bar.add_task("tag", total=n_rows)
        for chunk in chunks:
            ...
            bar.advance(task, len(chunk))

When stderr is not a TTY (pipes, files, CI, tests) or ``quiet`` is true, the object yielded
is a :class:`NullProgress` with the same methods doing nothing, so callers never branch and
nothing is printed. ``rich`` is imported only when a bar is actually shown.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["CountingEmbedder", "NullProgress", "counting_embedder", "progress", "progress_enabled"]


class NullProgress:
    """The no-op stand-in for ``rich.progress.Progress`` (same methods, prints nothing)."""

    enabled = False

    def add_task(self, description: str, *, total: float | None = None, **_: Any) -> int:
        """Return a task id (always 0)."""
        return 0

    def advance(self, task_id: int, advance: float = 1) -> None:
        """Do nothing."""

    def update(self, task_id: int, **_: Any) -> None:
        """Do nothing."""

    def remove_task(self, task_id: int) -> None:
        """Do nothing."""


def progress_enabled(*, quiet: bool = False, stream: Any = None) -> bool:
    """True when bars would be shown: not ``quiet`` and ``stream`` (stderr) is a TTY."""
    if quiet:
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or file-like without isatty
        return False


@contextlib.contextmanager
def progress(*, quiet: bool = False, stream: Any = None) -> Iterator[Any]:
    """Yield a live ``rich`` progress display on stderr, or a :class:`NullProgress`.

    Parameters
    ----------
    quiet : bool, default False
        Never show bars (``--quiet``).
    stream : file-like, optional
        Where bars go (default ``sys.stderr``); bars are shown only if it is a TTY.

    Yields
    ------
    rich.progress.Progress or NullProgress
        Call ``add_task(description, total=...)`` and ``advance(task, n)`` on it.
    """
    if not progress_enabled(quiet=quiet, stream=stream):
        yield NullProgress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(file=sys.stderr if stream is None else stream)
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    with bar:
        yield bar


class CountingEmbedder:
    """Forward ``embed`` to an embedder and advance a progress task by the texts embedded.

    Gives a long in-memory step (``tag``, ``discover``) a live count without a hook in it: the
    vectors are the wrapped embedder's, unchanged. It has no ``model_id``, so
    :func:`commentmine.select_embedder` uses it as it is (the wrapped embedder keeps its own
    cache).
    """

    def __init__(self, inner: Any, bar: Any, task: Any) -> None:
        self.inner = inner
        self._bar = bar
        self._task = task

    @property
    def name(self) -> str:
        """The wrapped embedder's name."""
        return str(getattr(self.inner, "name", type(self.inner).__name__))

    def embed(self, texts: Any) -> Any:
        """``inner.embed(texts)``, then advance the task by ``len(texts)``."""
        out = self.inner.embed(texts)
        self._bar.advance(self._task, len(texts))
        return out


def counting_embedder(embedder: Any, bar: Any, description: str) -> Any:
    """``embedder`` counting its texts on a new task of ``bar``; itself when bars are off.

    Parameters
    ----------
    embedder : Embedder
        A resolved embedder (:func:`commentmine.select_embedder`).
    bar : rich.progress.Progress or NullProgress
        What :func:`progress` yielded.
    description : str
        The task's label.

    Returns
    -------
    Embedder
        A :class:`CountingEmbedder`, or ``embedder`` itself when ``bar`` shows nothing.
    """
    if isinstance(bar, NullProgress):
        return embedder
    return CountingEmbedder(embedder, bar, bar.add_task(description, total=None))
