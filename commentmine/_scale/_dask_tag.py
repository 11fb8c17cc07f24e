""":func:`commentmine.scale.tag_dask`: scan, fit and apply on a Dask cluster.

How the work is shared, in bounded memory. A window of at most ``window`` chunks is on
the cluster at any time (shipped and not yet released), whatever the input size. Scan: a
file is read here chunk by chunk, turned into comments, its ids checked across chunks and
the fit sample drawn (as :func:`~commentmine.scale.tag_file` does); only the first chunks of the window are
shipped (the workers segment them after the scan). A Dask DataFrame's partitions are turned
into comments on the workers, which report their id hashes and answered rows; the client
draws the sample from them and fetches only the rows that can still enter it; the first
partitions of the window stay on the workers (segmented after the scan), the others are
released once scanned. Then the sample's comments are segmented on the workers and the
Tagger fitted (on a worker or here); meanwhile the workers segment the kept chunks and
match keywords and embed their segments (what needs no fitted Tagger: each worker sets up
an unfitted one, :meth:`commentmine._tagging._public.Tagger.prepare`). Apply: tagging of the kept
chunks is submitted at once (it starts when the fit is done); the rest of the input is read
again and shipped only while fewer than ``window`` chunks are out, each segmented,
prepared and tagged on a worker. Results are collected as they finish, in any order (a
chunk's slot is free again then; at most ``window`` collected results wait here for an
earlier chunk), and appended in input order. With ``output_path`` the workers also
encode their rows (CSV/JSONL text), so the client only appends them.
"""

from __future__ import annotations

import collections
import operator
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._ingest._chunks import _check_input, iter_comments
from commentmine._scale._chunk import Accounting
from commentmine._scale._cluster import (
    P_CLIENT,
    P_TAG,
    Client,
    Window,
    collect,
    default_window,
    is_dask_frame,
    live_workers,
    pickled,
    require_dask,
    start_warm,
)
from commentmine._scale._options import ScaleOptions
from commentmine._scale._output import appending, check_output
from commentmine._scale._sample import FitPass, ScanSample, part_scan
from commentmine._scale._sources import (
    file_chunks,
    frame_chunks,
    frame_setup,
    sample_segments,
    submit_sample_pieces,
)
from commentmine._scale._tasks import fit_meta, fit_task, part_segments, part_tag, setup_spec
from commentmine._tagging._table import TagRun


@dataclass(frozen=True)
class DaskTagRun(TagRun):
    """A :func:`~commentmine.scale.tag_dask` run that kept its table: the
    :class:`~commentmine._tagging._table.TagRun` (no warnings are looked for on this path) and
    what the run's summary dict also holds.

    Attributes
    ----------
    timings, client_cpu : dict of str to float
        Seconds per phase (``read``, ``sample``, ``fit``, ``apply``, ``total``): wall time,
        and this process's CPU.
    window : dict of str to int
        The run's ``window``, ``held``, ``peak`` and ``chunks``.
    """

    timings: dict[str, float] = field(default_factory=dict)
    client_cpu: dict[str, float] = field(default_factory=dict)
    window: dict[str, int] = field(default_factory=dict)


def phase_seconds(
    start: float, read: float, sample: float, fit: float, end: float
) -> dict[str, float]:
    """Seconds per phase of a run from the clock readings at each phase's end."""
    return {
        "read": round(read - start, 4),
        "sample": round(sample - read, 4),
        "fit": round(fit - sample, 4),
        "apply": round(end - fit, 4),
        "total": round(end - start, 4),
    }


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


class _DaskTagging:
    """One :func:`~commentmine.scale.tag_dask` run on ``client``: :meth:`scan`, :meth:`fit`,
    :meth:`apply`, then :meth:`result`. Holds the window and what is on the cluster."""

    def __init__(
        self,
        client: Any,
        bar: Any,
        codebook: Any,
        *,
        id_col: str | None,
        opts: ScaleOptions,
        window: int | None,
        tagger_kw: dict[str, Any],
        started: tuple[float, float],
    ) -> None:
        self.client, self.bar, self.codebook = client, bar, codebook
        self.id_col, self.level, self.include_interviewer = (
            id_col,
            opts.level,
            opts.include_interviewer,
        )
        self.fit_sample, self.seed, self.chunk_rows = opts.fit_sample, opts.seed, opts.chunk_rows
        self.tagger_kw = tagger_kw
        # clock readings (wall, this process's CPU) at the start and at the end of each phase
        self.clock: dict[str, tuple[float, float]] = {"start": started}
        client.run(start_warm)  # imports and the segmenter load while the client reads
        self.n_live = live_workers(client)
        self.limit = int(window) if window is not None else default_window(self.n_live)
        # Chunks kept from the scan for tagging (segmented meanwhile): the window minus the
        # slots the scan needs to keep the workers and the reader busy.
        self.hold = max(0, self.limit - max(2, self.n_live))
        self.win = Window(self.limit)
        # Each worker sets up an unfitted Tagger (codebook, embedder) to prepare the chunks it
        # segments while the Tagger is fitted.
        self.setup = client.scatter(
            setup_spec(codebook, self.fit_sample, self.seed, tagger_kw), broadcast=True, hash=False
        )
        # ``prepped``: chunks segmented on the workers and not yet submitted for tagging, in
        # input order: the kept ones, then the rest of the input read again, shipped while
        # fewer than ``limit`` chunks are on the cluster.
        self.prepped: collections.deque[Any] = collections.deque()
        self.held: list[Any] = []  # comments futures of the first chunks
        self.n_parts = 0
        self.source: Callable[[int], Iterator[tuple[Any, int]]]
        self.chunks: Iterator[tuple[Any, int]] = iter(())
        self.away: dict[str, Any] = {}  # the chunks' placement while the fit runs on a worker
        self.accounting = Accounting()
        self.results: list[Any] = []
        self.writer: Any = None

    # ---------------------------------------------------------------------------- scan

    def scan(self, data: Any, text_cols: Sequence[str] | None) -> None:
        """Pass 1: ids across chunks and the fit sample.

        The first ``hold`` chunks stay on the workers (segmented after the scan, behind the
        sample's pieces, which the fit waits for); the others are only scanned, and read again
        after the fit. A file is scanned here, as :func:`~commentmine.scale.tag_file` scans it
        (reading and converting a chunk costs less than the round trips of scanning it on a
        worker, while the workers load their models): only the kept chunks are shipped. A Dask
        DataFrame's partitions are scanned where they are computed, on the workers, the others
        released once their ids and candidates are in.
        """
        client, id_col = self.client, self.id_col
        self.task = self.bar.add_task("read", total=None)
        state: dict[str, Any] = {"cols": list(text_cols) if text_cols is not None else None}
        if is_dask_frame(data):
            parts, state["cols"], offsets = frame_setup(client, data, text_cols, id_col)
            self.source = lambda skip: frame_chunks(
                client, parts, state["cols"], id_col, offsets, skip
            )
            self.sampler: ScanSample | FitPass = self._scan_frame()
        else:
            src = Path(data)
            _check_input(src)
            self.source = lambda skip: file_chunks(
                client, src, id_col, self.chunk_rows, state, skip
            )
            self.sampler = self._scan_file(src, state)
        self.sampler.check()
        self.n_comments, self.cols = self.sampler.n, state["cols"]
        self.clock["read"] = _clocks()

    def _scan_frame(self) -> ScanSample:
        scan = ScanSample(self.fit_sample, self.seed, self.id_col)
        pending: collections.deque[tuple[int, Any, Any]] = collections.deque()

        def scanned() -> None:
            i, comments_f, scan_f = pending.popleft()
            scan.add(self.client, comments_f, *scan_f.result())
            if i >= self.hold:
                self.win.release()

        for comments_f, rows in self.source(0):
            self.win.add()
            scan_f = self.client.submit(part_scan, comments_f, pure=False, priority=P_CLIENT)
            if self.n_parts < self.hold:
                self.held.append(comments_f)
            pending.append((self.n_parts, comments_f, scan_f))
            del comments_f, scan_f
            self.n_parts += 1
            self.bar.advance(self.task, rows)
            while self.win.full and pending:
                scanned()
        while pending:
            scanned()
        return scan

    def _scan_file(self, src: Path, state: dict[str, Any]) -> FitPass:
        scan = FitPass(self.fit_sample, self.seed, self.id_col)
        for comments in iter_comments(
            src, text_cols=state["cols"], id_col=self.id_col, chunk_rows=self.chunk_rows
        ):
            if self.n_parts < self.hold:
                self.win.add()
                self.held.append(self.client.scatter(comments, hash=False))
            scan.add(comments)
            self.n_parts += 1
            self.bar.advance(self.task, len(comments))
            del comments
        if state["cols"] is None:
            state["cols"] = scan.detected
        return scan

    # ---------------------------------------------------------------------------- fit

    def fit(self, fit_on: str) -> None:
        """Segment the sample on the workers and fit the Tagger (on a worker or here), while
        the workers segment and prepare the kept chunks and the first ones read again."""
        client, bar = self.client, self.bar
        self.task = bar.add_task("sample", total=1)
        sample = self.sampler.result()
        self.fit_comments = len(sample)
        self.on_worker = fit_on == "worker" or (fit_on == "auto" and self.n_live >= 2)
        pieces = submit_sample_pieces(client, sample, whole=self.on_worker)
        # The kept chunks are segmented after the sample's pieces (the fit waits for those).
        # Fitted on a worker, the fit has one to itself until it is done: the others segment
        # (a worker that had started a chunk while the pieces were still coming to it would
        # hold the fit up for as long as that chunk takes).
        names = sorted(client.scheduler_info().get("workers", {}))
        # ``pin``: the fit's placement, ``away``: the chunks' until it is done (Dask takes
        # ``allow_other_workers`` only with ``workers``).
        pin: dict[str, Any] = {}
        if self.on_worker and len(names) >= 2:
            pin.update(workers=names[:1], allow_other_workers=True)
            self.away.update(workers=names[1:], allow_other_workers=True)
        self.prepped.extend(
            client.submit(part_segments, f, self.setup, pure=False, **self.away) for f in self.held
        )
        self.held = []
        self.chunks = self.source(self.hold) if self.n_parts > self.hold else iter(())
        self.meta_f: Any = None
        if self.on_worker:
            args = (self.codebook, self.fit_sample, self.seed, self.tagger_kw)
            model = client.submit(fit_task, *args, *pieces, priority=P_CLIENT, **pin)
            self._sampled()
            self.key, self.fitted = None, model
            self.meta_f = client.submit(operator.getitem, model, 2, priority=P_CLIENT)
            while not self.win.full and self.ship():
                pass
        else:
            while not self.win.full and self.ship():
                pass
            sample_segs = sample_segments(client, sample, pieces)
            self._sampled()
            from commentmine._tagging._tagger import Tagger

            tagger = Tagger(
                self.codebook, fit_sample=self.fit_sample, seed=self.seed, **self.tagger_kw
            )
            tagger.fit(sample_segs)
            self.meta = fit_meta(tagger, len(sample_segs))
            self.key, blob = pickled(tagger)
            self.fitted = client.scatter(blob, broadcast=True, hash=False)

    def _sampled(self) -> None:
        self.bar.advance(self.task, 1)
        self.clock["sample"] = _clocks()
        self.task = self.bar.add_task("fit", total=1)

    def ship(self) -> bool:
        """Read the next chunk and have it segmented and prepared; False at the end."""
        nxt = next(self.chunks, None)
        if nxt is None:
            return False
        self.win.add()
        self.prepped.append(
            self.client.submit(part_segments, nxt[0], self.setup, pure=False, **self.away)
        )
        return True

    # ---------------------------------------------------------------------------- apply

    def apply(self, out: Path | None, out_ext: str | None) -> None:
        """Pass 2: tag every chunk, writing to ``out`` (or keeping the tables) in input order.

        Tagging is submitted before the fit is known to be done (each task starts when the
        fitted Tagger, a future when fitted on a worker, and its chunk are ready); the rest of
        the input goes on being read and shipped while fewer than ``limit`` chunks are on the
        cluster, and each is released once its output is appended.
        """
        self.out_ext = out_ext
        self.tagging: dict[int, Any] = {}  # chunk -> its tagging future, not yet collected
        # collected results not yet appended (a chunk before them is still being tagged), at
        # most ``limit``
        self.waiting: dict[int, Any] = {}
        self.n_submitted = self.n_written = 0
        if out is None:
            self._apply()
        else:
            with appending(out, str(out_ext)) as writer:
                self.writer = writer
                self._apply()

    def _apply(self) -> None:
        while True:
            while self.prepped:
                self.tagging[self.n_submitted] = self._submit_tag(self.prepped.popleft())
                self.n_submitted += 1
            if self.tagging and (self.win.full or len(self.waiting) >= self.limit):
                self._collect()
            elif not self.ship():
                break
        while self.tagging:
            self._collect()
        self._fit_done()

    def _submit_tag(self, prepped_f: Any) -> Any:
        return self.client.submit(
            part_tag,
            self.key,
            self.fitted,
            prepped_f,
            self.level,
            self.include_interviewer,
            self.out_ext,
            self.n_submitted == 0,
            pure=False,
            priority=P_TAG,
        )

    def _fit_done(self) -> None:
        if "fit" in self.clock:
            return
        if self.meta_f is not None:
            self.meta = self.meta_f.result()
        self.away.clear()  # chunks shipped from now on go to any worker
        self.bar.advance(self.task, 1)
        self.clock["fit"] = _clocks()
        self.tag_task = self.bar.add_task("tag (dask)", total=self.n_comments)

    def _collect(self) -> None:
        # Results are collected as the workers finish them, in any order (a chunk that takes
        # longer no longer holds the window up), and appended in input order.
        self._fit_done()
        oldest = self.n_written if len(self.waiting) >= self.limit else None
        for i, res in collect(self.tagging, oldest).items():
            self.waiting[i] = res
            self.win.release()
        while self.n_written in self.waiting:
            payload, rows, acc = self.waiting.pop(self.n_written)
            self.accounting += acc
            self.bar.advance(self.tag_task, acc.comments_in)
            if self.writer is None:
                self.results.append(payload)
            else:
                self.writer.write_encoded(payload, rows)
            self.n_written += 1

    # ---------------------------------------------------------------------------- result

    def result(self, out: Path | None) -> DaskTagRun | dict[str, Any]:
        """The summary dict (with ``out``, as :func:`~commentmine.scale.tag_dask` documents
        it) or the run with its table."""
        c = self.clock
        c["end"] = _clocks()
        steps = ("start", "read", "sample", "fit", "end")
        timings = phase_seconds(*(c[k][0] for k in steps))
        client_cpu = phase_seconds(*(c[k][1] for k in steps))
        window = self.win.stats(self.n_parts, held=self.hold)
        if out is not None:
            return {
                "accounting": self.accounting.as_dict(),
                "rows_out": self.writer.rows,
                "chunks": self.n_parts,
                "comments": self.n_comments,
                "fit_comments": self.fit_comments,
                "fit_segments": int(min(self.meta["segments"], self.fit_sample)),
                "fit_on": "worker" if self.on_worker else "client",
                "text_cols": self.cols,
                "themes": list(self.meta["themes"]),
                "codebook": self.meta["codebook"],
                "output": str(out),
                "timings": timings,
                "client_cpu": client_cpu,
                "window": window,
            }
        from commentmine._tagging._table import empty_tags

        nonempty = [r for r in self.results if len(r)]
        if nonempty:
            table = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0]
        else:
            table = self.results[0] if self.results else empty_tags(pd.DataFrame())
        return DaskTagRun(
            table,
            self.accounting,
            self.meta["codebook"],
            tuple(self.meta["themes"]),
            timings=timings,
            client_cpu=client_cpu,
            window=window,
        )


def _check_args(
    data: Any, fit_on: str, window: int | None, output_path: Any
) -> tuple[Path | None, str | None]:
    out = out_ext = None
    if output_path is not None:
        out, out_ext = check_output(output_path)
    if not is_dask_frame(data) and not isinstance(data, (str, os.PathLike)):
        raise errors.bad_argument(
            f"tag_dask takes a Dask DataFrame or a file path, got {type(data).__name__}."
        )
    if fit_on not in ("auto", "client", "worker"):
        raise errors.bad_argument(f"fit_on must be 'auto', 'client' or 'worker', got {fit_on!r}.")
    if window is not None and int(window) < 1:
        raise errors.bad_argument(f"window must be >= 1, got {window!r}.")
    return out, out_ext


def run_tag_dask(
    data: Any,
    codebook: Any,
    *,
    text_cols: Sequence[str] | str | None,
    id_col: str | None,
    output_path: str | os.PathLike[str] | None,
    scheduler: Any,
    n_workers: int,
    processes: bool,
    fit_on: str,
    window: int | None,
    opts: ScaleOptions,
    tagger_kw: dict[str, Any],
) -> DaskTagRun | dict[str, Any]:
    """:func:`commentmine.scale.tag_dask`, its table kept in a :class:`DaskTagRun`
    (``tagger_kw``: the Tagger's parameters, :meth:`ScaleOptions.tagger_kw`)."""
    from commentmine._progress import progress as _bar
    from commentmine.codebook import load_codebook

    require_dask()
    opts.check()
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    out, out_ext = _check_args(data, fit_on, window, output_path)
    codebook = load_codebook(codebook)  # once, here: workers need not see its file
    started = _clocks()
    with _bar(quiet=not opts.progress) as bar, Client(scheduler, n_workers, processes) as client:
        run = _DaskTagging(
            client,
            bar,
            codebook,
            id_col=id_col,
            opts=opts,
            window=window,
            tagger_kw=tagger_kw,
            started=started,
        )
        run.scan(data, text_cols)
        run.fit(fit_on)
        run.apply(out, out_ext)
    return run.result(out)
