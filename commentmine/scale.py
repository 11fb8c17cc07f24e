"""Scale: tag files of any size in bounded memory, and on a Dask cluster.

comments -> segments -> tags, run chunk by chunk. Codebook tagging has one corpus-level step,
:meth:`commentmine.tag.Tagger.fit` (term statistics, the self-trained classifier and the
per-theme thresholds, learned from a seeded sample); everything after it is a row-wise
transform. So a large input is tagged in two passes:

1. **Fit pass.** The input is read chunk by chunk (CSV/TSV with pandas ``chunksize``, JSONL
   line by line, Parquet with pyarrow ``iter_batches``). Ids are checked for duplicates across
   chunks (64-bit hashes, 8 bytes per comment), and a seeded **bottom-k sample** of the
   answered comments is kept: comment ``i`` of the file gets the ``i``-th draw of
   ``numpy.random.default_rng(seed).random()`` and the ``fit_sample`` comments with the smallest
   draws are kept. The sample does not depend on the chunk size, and when the file has at most
   ``fit_sample`` answered comments it is all of them, in file order. The Tagger is fitted on
   the sample's segments.
2. **Apply pass.** Each chunk is read -> segmented -> embedded -> tagged with the fitted Tagger
   and appended to a temporary file beside the output, renamed onto it at the end
   (:func:`commentmine._io.atomic_path`): a failed or killed run leaves no partial output.
   Memory holds one chunk, the sample and the fitted Tagger, whatever the file size.

With ``fit_sample`` at least the number of answered comments the output file is
byte-identical to ``commentmine.tag()`` on the whole table written by the CLI.

:func:`tag_dask` runs on a Dask cluster (a ``LocalCluster`` by default) in the same two passes,
with at most a window of ``W`` chunks (``max(8, 4 x workers)`` by default) on the cluster at
any time, so the workers' memory does not grow with the input. The scan pass draws the same
seeded sample: a file is scanned by the client (read, turned into comments, ids checked and the
sample kept, as :func:`tag_file` does), which ships only the first chunks of the window; a Dask
DataFrame's partitions are computed by the workers, which report each one's id hashes and
answered rows (the client fetches only rows that can still enter the sample; the first
partitions of the window stay on the workers, the others are released). The sample is segmented
and the Tagger fitted (on a worker, or on the client) while the workers segment the kept chunks
and do the part of tagging them that needs no fitted Tagger (keyword matches, embeddings:
:meth:`commentmine.tag.Tagger.prepare`). The apply pass reads the rest again, shipping a chunk
only while fewer than ``W`` are out; each chunk is segmented, prepared and tagged where it
lands, results are collected as they finish (a slow chunk does not hold up the window) and
appended in input order (already encoded as CSV/JSONL text when writing a file), equal the
in-process ones, and a chunk is released as soon as its result is in.

:func:`discover_dask` fits :func:`commentmine.discover` on a seeded sample of segments and
assigns every other segment to the nearest discovered theme centroid in parallel (a Dask
DataFrame stays on the workers).

Dask is an optional extra: ``pip install 'commentmine[dask]'``.
"""

from __future__ import annotations

import collections
import contextlib
import io
import operator
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentmine import _tables as T
from commentmine import errors
from commentmine._ingest._chunks import (  # the chunked readers live in ingest
    STREAM_FORMATS,
    _check_input,
    _to_comments,
    iter_comments,
    iter_wide_chunks,
)

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._tagging._tagger import Tagger
    from commentmine.discover import Discovery

__all__ = [
    "STREAM_THRESHOLD_BYTES",
    "STREAM_FORMATS",
    "discover_dask",
    "iter_comments",
    "iter_wide_chunks",
    "tag_dask",
    "tag_file",
]

#: Inputs larger than this are tagged by the streaming path by the CLI (200 MB).
STREAM_THRESHOLD_BYTES = 200 * 1024 * 1024
#: Output types the streaming writer appends to.
OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")

# Columns of a comments table needed to segment and fit (metadata is not kept in the sample).
_FIT_COLUMNS = [c for c in T.COMMENT_COLUMNS]
_MAX_DUPES = 1000


# ============================================================================================
# fit pass: duplicate ids and the seeded bottom-k sample
# ============================================================================================


def _id_hashes(ids: pd.Series) -> np.ndarray:
    return pd.util.hash_array(ids.astype(str).to_numpy(dtype=object), categorize=False)


class _FitPass:
    """Accumulate a seeded bottom-k sample of answered comments and check ids across chunks.

    ``detected`` is the free-text columns :func:`iter_comments` detected (None when given).
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
        h = _id_hashes(comments["comment_id"])
        if self.seen.size:
            at = np.minimum(np.searchsorted(self.seen, h), self.seen.size - 1)
            hit = self.seen[at] == h
            if hit.any():
                col = "respondent_id" if self.id_col else "comment_id"
                for v in comments.loc[hit, col].astype(str):
                    if len(self.dupes) < _MAX_DUPES:
                        self.dupes.setdefault(v, None)
        # Merge the chunk into the sorted hashes: O(n) per chunk (re-sorting everything, or
        # np.isin, cost 15 s of CPU over a 1M-comment file).
        hs = np.sort(h)
        self.seen = np.insert(self.seen, np.searchsorted(self.seen, hs), hs)
        ok = (comments["status"].astype(str) == T.STATUS_OK).to_numpy()
        self.n_ok += int(ok.sum())
        cand = comments.loc[ok, [c for c in _FIT_COLUMNS if c in comments.columns]].copy()
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
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _FIT_COLUMNS})
        out = self.sample.sort_values("_pos", kind="stable").drop(columns=["_pos"])
        return out.reset_index(drop=True)


def _fit_tagger(
    sample: pd.DataFrame, codebook: Any, *, fit_sample: int, **tagger_kw: Any
) -> tuple[Tagger, int]:
    from commentmine._tagging._tagger import Tagger
    from commentmine.segment import segment

    segs = segment(sample, include_interviewer=True)
    tagger = Tagger(codebook, fit_sample=fit_sample, **tagger_kw).fit(segs)
    return tagger, len(segs)


# ============================================================================================
# apply pass
# ============================================================================================


class _TimedEmbedder:
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


def _apply_chunk(
    tagger: Tagger,
    comments: pd.DataFrame,
    level: str,
    include_interviewer: bool,
    timings: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """read -> segment -> tag one chunk of comments with a fitted Tagger.

    Returns the output rows (tags or comment level) and the comments' statuses.
    """
    from commentmine.segment import segment

    t0 = time.perf_counter()
    segs = segment(comments, include_interviewer=True)
    t1 = time.perf_counter()
    out, statuses = _tag_segments(tagger, comments, segs, level, include_interviewer)
    if timings is not None:
        timings["segment"] = timings.get("segment", 0.0) + (t1 - t0)
        timings["tag"] = timings.get("tag", 0.0) + (time.perf_counter() - t1)
    return out, statuses


def _tag_segments(
    tagger: Tagger,
    comments: pd.DataFrame,
    segs: pd.DataFrame,
    level: str,
    include_interviewer: bool,
    prepared: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Tag one chunk's segments (``prepared``: :meth:`~commentmine.tag.Tagger.prepare` of them);
    the output rows and the comments' statuses."""
    from commentmine._tagging._table import comment_level, comment_status

    tags = tagger.predict(segs, prepared=prepared)
    statuses = comment_status(comments, tags, include_interviewer=include_interviewer)
    if level == "comment":
        out = comment_level(tags, comments, tagger.themes_, include_interviewer=include_interviewer)
    else:
        out = tags
    return out, statuses


def _add_accounting(total: dict[str, Any], statuses: Sequence[str]) -> None:
    from commentmine._tagging._table import accounting

    acc = accounting(statuses)
    total["comments_in"] = total.get("comments_in", 0) + acc["comments_in"]
    total["tagged"] = total.get("tagged", 0) + acc["tagged"]
    total["uncoded"] = total.get("uncoded", 0) + acc["uncoded"]
    sk = total.setdefault("skipped", {k: 0 for k in acc["skipped"]})
    for k, v in acc["skipped"].items():
        sk[k] = sk.get(k, 0) + v


def _empty_accounting() -> dict[str, Any]:
    from commentmine._tagging._table import accounting

    return accounting([])


def _encode_rows(df: pd.DataFrame, ext: str | None, *, header: bool) -> Any:
    """Rows as they are appended to an output: CSV text (CRLF; ``header`` first), JSONL text,
    or the frame itself (Parquet, or no output file)."""
    if ext == ".csv":
        return df.to_csv(None, index=False, header=header, lineterminator="\r\n")
    if ext == ".jsonl":
        if not len(df):
            return ""
        buf = io.StringIO()
        df.to_json(buf, orient="records", lines=True, force_ascii=False)
        text = buf.getvalue()
        return text if text.endswith("\n") else text + "\n"
    return df


class _AppendWriter:
    """Append tables to one open file as CSV (CRLF), JSONL or Parquet, header/schema once."""

    def __init__(self, path: Path, ext: str) -> None:
        self.path, self.ext = path, ext
        self.rows = 0
        self._first = True
        self._fh: Any = None
        self._pq: Any = None
        self._empty: pd.DataFrame | None = None
        if ext in (".csv", ".jsonl"):
            self._fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def write(self, df: pd.DataFrame) -> None:
        self.write_encoded(_encode_rows(df, self.ext, header=self._first), len(df))

    def write_encoded(self, payload: Any, rows: int) -> None:
        """Append rows already encoded by :func:`_encode_rows` (text, or a frame for Parquet)."""
        if self.ext in (".csv", ".jsonl"):
            if payload:
                self._fh.write(payload)
        else:
            df = payload
            if not len(df):
                if self._empty is None:
                    self._empty = df
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(df, preserve_index=False)
                if self._pq is None:
                    self._pq = pq.ParquetWriter(self.path, table.schema)
                else:
                    table = table.cast(self._pq.schema)
                self._pq.write_table(table)
        self._first = False
        self.rows += int(rows)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self.ext == ".parquet":
            if self._pq is not None:
                self._pq.close()
            elif self._empty is not None:
                self._empty.to_parquet(self.path, index=False, engine="pyarrow")

    def abort(self) -> None:
        try:
            if self._fh is not None:
                self._fh.close()
            if self._pq is not None:
                self._pq.close()
        except Exception:  # noqa: BLE001 - the temporary file is removed anyway
            pass


def _check_output(output_path: str | os.PathLike[str]) -> tuple[Path, str]:
    out = Path(output_path)
    if out.is_dir():
        raise errors.is_directory(out)
    ext = out.suffix.lower()
    if ext not in OUTPUT_FORMATS:
        raise errors.bad_argument(
            f"cannot stream to {out.name!r}: the output must end in {', '.join(OUTPUT_FORMATS)}."
        )
    return out, ext


def _check_common(level: str, fit_sample: int, chunk_rows: int) -> None:
    from commentmine.tag import check_level

    check_level(level)
    if int(fit_sample) < 1:
        raise errors.bad_argument(f"fit_sample must be >= 1, got {fit_sample!r}.")
    if int(chunk_rows) < 1:
        raise errors.bad_argument(f"chunk_rows must be >= 1, got {chunk_rows!r}.")


def _fit_pass(
    path: Path,
    codebook: Any,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    chunk_rows: int,
    fit_sample: int,
    seed: int,
    bar: Any,
    tagger_kw: dict[str, Any],
) -> tuple[Tagger, dict[str, Any]]:
    """Read every chunk once: ids across chunks, the sample, the text columns; fit the Tagger."""
    t0 = time.perf_counter()
    acc = _FitPass(fit_sample, seed, id_col)
    task = bar.add_task("read (fit)", total=None)
    for chunk in iter_comments(path, text_cols=text_cols, id_col=id_col, chunk_rows=chunk_rows):
        acc.add(chunk)
        bar.advance(task, len(chunk))
    acc.check()
    t1 = time.perf_counter()
    sample = acc.result()
    task = bar.add_task("fit", total=1)
    tagger, n_seg = _fit_tagger(sample, codebook, fit_sample=fit_sample, seed=seed, **tagger_kw)
    bar.advance(task, 1)
    info = {
        "comments": acc.n,
        "answered": acc.n_ok,
        "fit_comments": len(sample),
        "fit_segments": int(min(n_seg, fit_sample)),
        "text_cols": acc.detected if text_cols is None else list(text_cols),
        "read_fit_s": t1 - t0,
        "fit_s": time.perf_counter() - t1,
    }
    return tagger, info


def tag_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    codebook: Any,
    *,
    text_cols: Sequence[str] | str | None = None,
    id_col: str | None = None,
    embedder: Any = None,
    level: str = "segment",
    threshold: float | None = None,
    seed: int = 0,
    include_interviewer: bool = False,
    fit_sample: int = 20000,
    chunk_rows: int = 20000,
    progress: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Tag a large survey export in bounded memory: a fit pass, then a chunked apply pass.

    The output has exactly the format ``commentmine tag --out`` writes (the tags table, or one
    row per comment with ``level="comment"``), appended chunk by chunk to a temporary file that
    is renamed onto ``output_path`` only when the run succeeds.

    Parameters
    ----------
    input_path : str or path-like
        ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson`` or ``.parquet``.
    output_path : str or path-like
        ``.csv`` (UTF-8, CRLF), ``.jsonl`` or ``.parquet``.
    codebook : Codebook or str or Path
        Anything :func:`commentmine.load_codebook` accepts.
    text_cols : str or sequence of str, optional
        Free-text columns (default: detected on the first chunk).
    id_col : str, optional
        Respondent id column (default: row numbers). Ids must be unique across the whole
        file: duplicates in different chunks raise E005.
    embedder : Embedder or str, optional
        Backend (default: the bundled static model behind the disk cache).
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
        many of their segments. With at least as many as the file has, the output equals
        :func:`commentmine.tag` on the whole file.
    chunk_rows : int, default 20000
        Input rows read, segmented and tagged at a time (memory grows with this, not the file).
    progress : bool, default True
        Show progress bars on stderr when it is a terminal.
    **options
        Further :class:`commentmine.tag.Tagger` parameters.

    Returns
    -------
    dict
        ``accounting`` (as ``tag().attrs["accounting"]``), ``rows_out``, ``chunks``,
        ``comments``, ``fit_comments``, ``fit_segments``, ``text_cols``, ``themes``,
        ``codebook``, ``output`` and ``timings`` (seconds: ``read_fit``, ``fit``, ``read``,
        ``segment``, ``embed``, ``tag``, ``write``, ``total``; ``tag`` excludes ``embed``).

    Raises
    ------
    InputError
        E005 for ids repeated anywhere in the file (all named, up to 1,000), E001-E007 as
        :func:`commentmine.read`, E301 for bad options.

    Examples
    --------
    >>> from commentmine.scale import tag_file
    >>> info = tag_file("big.csv", "tags.csv", "vcse-pcc", text_cols=["answer"])  # doctest: +SKIP
    >>> info["accounting"]["comments_in"]                                          # doctest: +SKIP
    """
    from commentmine._io import atomic_path
    from commentmine._progress import progress as _bar

    _check_common(level, fit_sample, chunk_rows)
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    src = Path(input_path)
    _check_input(src)
    out, ext = _check_output(output_path)
    t_start = time.perf_counter()
    tagger_kw = dict(
        embedder=embedder,
        threshold=threshold,
        include_interviewer=include_interviewer,
        **options,
    )
    with _bar(quiet=not progress) as bar:
        tagger, info = _fit_pass(
            src,
            codebook,
            text_cols=text_cols,
            id_col=id_col,
            chunk_rows=chunk_rows,
            fit_sample=fit_sample,
            seed=seed,
            bar=bar,
            tagger_kw=tagger_kw,
        )
        cols = info["text_cols"]
        total = info["comments"]
        tasks = {name: bar.add_task(name, total=total) for name in ("read", "segment")}
        tasks["embed"] = bar.add_task("embed", total=None)  # segments: not known in advance
        tasks["tag"] = bar.add_task("tag", total=total)
        timed = _TimedEmbedder(tagger.embedder_, lambda n: bar.advance(tasks["embed"], n))
        tagger.embedder_ = timed
        timings: dict[str, float] = {"read": 0.0, "segment": 0.0, "tag": 0.0, "write": 0.0}
        accounting: dict[str, Any] = {}
        n_chunks = 0
        try:
            with atomic_path(out) as tmp:
                writer = _AppendWriter(tmp, ext)
                try:
                    chunks = iter_comments(
                        src, text_cols=cols, id_col=id_col, chunk_rows=chunk_rows
                    )
                    while True:
                        t0 = time.perf_counter()
                        comments = next(chunks, None)
                        timings["read"] += time.perf_counter() - t0
                        if comments is None:
                            break
                        n = len(comments)
                        bar.advance(tasks["read"], n)
                        rows, statuses = _apply_chunk(
                            tagger, comments, level, include_interviewer, timings
                        )
                        bar.advance(tasks["segment"], n)
                        _add_accounting(accounting, statuses)
                        t0 = time.perf_counter()
                        writer.write(rows)
                        timings["write"] += time.perf_counter() - t0
                        bar.advance(tasks["tag"], n)
                        n_chunks += 1
                    writer.close()
                except BaseException:
                    writer.abort()
                    raise
        finally:
            tagger.embedder_ = timed.inner
    timings["embed"] = timed.seconds
    timings["tag"] = max(0.0, timings["tag"] - timed.seconds)
    timings["read_fit"] = info.pop("read_fit_s")
    timings["fit"] = info.pop("fit_s")
    timings["total"] = time.perf_counter() - t_start
    if not accounting:
        accounting = _empty_accounting()
    return {
        "accounting": accounting,
        "rows_out": writer.rows,
        "chunks": n_chunks,
        "comments": info["comments"],
        "fit_comments": info["fit_comments"],
        "fit_segments": info["fit_segments"],
        "text_cols": cols,
        "themes": list(tagger.themes_),
        "codebook": str(getattr(tagger.codebook_, "name", "")),
        "output": str(out),
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }


# ============================================================================================
# Dask
# ============================================================================================


def _require_dask() -> Any:
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed
    except ImportError as exc:
        raise errors.missing_extra(
            "The Dask engine", "dask", "dask[dataframe] distributed"
        ) from exc
    return distributed


def _is_dask_frame(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("dask") and hasattr(obj, "to_delayed") and hasattr(obj, "npartitions")


class _Client:
    """A distributed Client for ``scheduler``: a Client, an address, or None (the client
    already active in this process, else a new LocalCluster closed on exit)."""

    def __init__(self, scheduler: Any, n_workers: int, processes: bool) -> None:
        distributed = _require_dask()
        self._own: list[Any] = []
        if scheduler is None:
            try:
                scheduler = distributed.default_client()
            except ValueError:
                scheduler = None
        if scheduler is not None and isinstance(scheduler, distributed.Client):
            self.client = scheduler
        elif scheduler is not None:
            self.client = distributed.Client(str(scheduler))
            self._own.append(self.client)
        else:
            cluster = distributed.LocalCluster(
                n_workers=int(n_workers),
                threads_per_worker=1,
                processes=bool(processes),
                dashboard_address=None,
            )
            self.client = distributed.Client(cluster)
            self._own += [self.client, cluster]

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: Any) -> None:
        for obj in self._own:
            with contextlib.suppress(Exception):
                obj.close()


def _part_comments(
    wide: pd.DataFrame,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offset: int,
    source: str,
) -> pd.DataFrame:
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


def _part_scan(comments: pd.DataFrame) -> tuple[int, np.ndarray, np.ndarray]:
    """Worker side: a chunk's size, id hashes and the positions of its answered comments."""
    h = _id_hashes(comments["comment_id"]) if len(comments) else np.zeros(0, dtype=np.uint64)
    ok = np.flatnonzero((comments["status"].astype(str) == T.STATUS_OK).to_numpy())
    return len(comments), h, ok


def _part_rows(comments: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Worker side: the fit columns of ``rows`` of a chunk (candidates for the fit sample)."""
    cols = [c for c in _FIT_COLUMNS if c in comments.columns]
    return comments.iloc[rows][cols].reset_index(drop=True)


def _part_values(comments: pd.DataFrame, rows: np.ndarray, col: str) -> list[str]:
    return comments.iloc[rows][col].astype(str).tolist()


def _phase_seconds(
    start: float, read: float, sample: float, fit: float, end: float
) -> dict[str, float]:
    """Seconds per phase of :func:`tag_dask` from the clock readings at each phase's end."""
    return {
        "read": round(read - start, 4),
        "sample": round(sample - read, 4),
        "fit": round(fit - sample, 4),
        "apply": round(end - fit, 4),
        "total": round(end - start, 4),
    }


def tag_dask(
    data: Any,
    codebook: Any,
    *,
    text_cols: Sequence[str] | str | None = None,
    id_col: str | None = None,
    output_path: str | os.PathLike[str] | None = None,
    scheduler: Any = None,
    n_workers: int = 2,
    processes: bool = True,
    embedder: Any = None,
    level: str = "segment",
    threshold: float | None = None,
    seed: int = 0,
    include_interviewer: bool = False,
    fit_sample: int = 20000,
    chunk_rows: int = 20000,
    progress: bool = True,
    fit_on: str = "auto",
    window: int | None = None,
    **options: Any,
) -> pd.DataFrame | dict[str, Any]:
    """Tag on a Dask cluster: read -> segment -> embed -> tag per partition on the workers,
    with the Tagger fitted on a seeded sample meanwhile.

    Results are in input order and equal :func:`commentmine.tag` (and :func:`tag_file`) with
    the same settings: the fit sample is drawn exactly as :func:`tag_file` draws it.

    How the work is shared, in bounded memory. A window of at most ``window`` chunks is on
    the cluster at any time (shipped and not yet released), whatever the input size. Scan: a
    file is read here chunk by chunk, turned into comments, its ids checked across chunks and
    the fit sample drawn (as :func:`tag_file` does); only the first chunks of the window are
    shipped (the workers segment them after the scan). A Dask DataFrame's partitions are turned
    into comments on the workers, which report their id hashes and answered rows; the client
    draws the sample from them and fetches only the rows that can still enter it; the first
    partitions of the window stay on the workers (segmented after the scan), the others are
    released once scanned. Then the sample's comments are segmented on the workers and the
    Tagger fitted (on a worker or here); meanwhile the workers segment the kept chunks and
    match keywords and embed their segments (what needs no fitted Tagger: each worker sets up
    an unfitted one, :meth:`commentmine.tag.Tagger.prepare`). Apply: tagging of the kept
    chunks is submitted at once (it starts when the fit is done); the rest of the input is read
    again and shipped only while fewer than ``window`` chunks are out, each segmented,
    prepared and tagged on a worker. Results are collected as they finish, in any order (a
    chunk's slot is free again then; at most ``window`` collected results wait here for an
    earlier chunk), and appended in input order. With ``output_path`` the workers also
    encode their rows (CSV/JSONL text), so the client only appends them.

    Parameters
    ----------
    data : dask.dataframe.DataFrame or str or path-like
        A Dask DataFrame holding a wide survey table (one row per respondent; give
        ``text_cols``) or a comments table, or the path of a ``.csv``/``.tsv``/``.jsonl``/
        ``.parquet`` file (read by the client in chunks of ``chunk_rows`` rows, each shipped
        to a worker as it is read).
    codebook : Codebook or str or Path
        Anything :func:`commentmine.load_codebook` accepts.
    text_cols, id_col : optional
        As :func:`commentmine.read` (``id_col=None`` numbers rows from 1 across partitions).
        A Dask DataFrame's partitions are computed twice when they do not all fit in the
        window (persist it first if that is costly).
    output_path : str or path-like, optional
        Write the result there (``.csv``/``.jsonl``/``.parquet``, atomically, as it arrives, in
        order) and return the run summary; default: return the table.
    scheduler : distributed.Client or str, optional
        A client or scheduler address (``"tcp://host:8786"``); default the Dask client already
        active in this process, else a ``LocalCluster`` of ``n_workers`` single-threaded
        workers, closed at the end.
    n_workers : int, default 2
        Workers of the default LocalCluster.
    processes : bool, default True
        LocalCluster workers as processes (True) or threads in this process (False).
    embedder, level, threshold, seed, include_interviewer, fit_sample, **options
        As :func:`tag_file`.
    chunk_rows : int, default 20000
        Rows per partition when ``data`` is a path.
    progress : bool, default True
        Progress bars on stderr when it is a terminal.
    fit_on : {"auto", "client", "worker"}, default "auto"
        Where the Tagger is fitted: in this process (its CPU works alongside the workers,
        which segment meanwhile; best with one worker on a small machine), or on a worker, where
        the sample's segments already are (this process then only reads, coordinates and
        writes: it needs no scikit-learn, and each worker gets the fitted Tagger from there).
        ``"auto"``: a worker when the cluster has at least two, else this process. The
        output is the same either way.
    window : int, optional
        Most chunks (partitions) on the cluster at once, from being shipped until their result
        is collected (a Dask DataFrame's scanned-only partitions until scanned); default
        ``max(8, 4 x workers)``.
        Worker memory grows with this and ``chunk_rows``, not with the input. The first
        ``window - max(2, workers)`` chunks are kept from the scan for tagging; the rest of
        the input is read twice.

    Returns
    -------
    DataFrame or dict
        The tags (or comment-level) table with ``attrs["accounting"]``, or the summary dict of
        :func:`tag_file` when ``output_path`` is given. ``timings`` (seconds): ``read``
        (the input scanned, the kept chunks shipped), ``sample`` (ids checked, the sample
        drawn and, when fitted here, segmented), ``fit``, ``apply`` (the rest: tagging still
        running on the workers, and writing), ``total``; ``client_cpu``: this process's CPU
        seconds in the same phases (workers' CPU is not included).

    Raises
    ------
    BackendError
        E201 when dask/distributed are not installed.
    """
    from commentmine._progress import progress as _bar

    _require_dask()
    _check_common(level, fit_sample, chunk_rows)
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    out_ext = None
    if output_path is not None:
        out, out_ext = _check_output(output_path)
    if not _is_dask_frame(data) and not isinstance(data, (str, os.PathLike)):
        raise errors.bad_argument(
            f"tag_dask takes a Dask DataFrame or a file path, got {type(data).__name__}."
        )
    if fit_on not in ("auto", "client", "worker"):
        raise errors.bad_argument(f"fit_on must be 'auto', 'client' or 'worker', got {fit_on!r}.")
    if window is not None and int(window) < 1:
        raise errors.bad_argument(f"window must be >= 1, got {window!r}.")
    from commentmine.codebook import load_codebook

    codebook = load_codebook(codebook)  # once, here: workers need not see its file
    tagger_kw = dict(
        embedder=embedder,
        threshold=threshold,
        include_interviewer=include_interviewer,
        **options,
    )
    t_start, c_start = time.perf_counter(), time.process_time()
    with _bar(quiet=not progress) as bar, _Client(scheduler, n_workers, processes) as client:
        client.run(_start_warm)  # imports and the segmenter load while the client reads
        n_live = _live_workers(client)
        limit = int(window) if window is not None else _default_window(n_live)
        # Chunks kept from the scan for tagging (segmented meanwhile): the window minus the
        # slots the scan needs to keep the workers and the reader busy.
        hold = max(0, limit - max(2, n_live))
        win = _Window(limit)
        # Each worker sets up an unfitted Tagger (codebook, embedder) to prepare the chunks it
        # segments while the Tagger is fitted.
        setup = client.scatter(
            _setup_spec(codebook, fit_sample, seed, tagger_kw), broadcast=True, hash=False
        )
        task = bar.add_task("read", total=None)
        state: dict[str, Any] = {"cols": list(text_cols) if text_cols is not None else None}
        if _is_dask_frame(data):
            delayed_parts, state["cols"], offsets = _frame_setup(client, data, text_cols, id_col)

            def source(skip: int) -> Iterator[tuple[Any, int]]:
                return _frame_chunks(client, delayed_parts, state["cols"], id_col, offsets, skip)
        else:
            src = Path(data)
            _check_input(src)

            def source(skip: int) -> Iterator[tuple[Any, int]]:
                return _file_chunks(client, src, id_col, chunk_rows, state, skip)

        # Pass 1 (scan): ids across chunks and the fit sample. The first ``hold`` chunks stay
        # on the workers (segmented after the scan, behind the sample's pieces, which the fit
        # waits for); the others are only scanned, and read again after the fit. A file is
        # scanned here, as :func:`tag_file` scans it (reading and converting a chunk costs
        # less than the round trips of scanning it on a worker, while the workers load their
        # models): only the kept chunks are shipped. A Dask DataFrame's partitions are scanned
        # where they are computed, on the workers, the others released once their ids and
        # candidates are in.
        prepped: collections.deque[Any] = collections.deque()
        held: list[Any] = []  # comments futures of the first chunks
        n_parts = 0
        if _is_dask_frame(data):
            scan: _ScanSample | _FitPass = _ScanSample(fit_sample, seed, id_col)
            pending: collections.deque[tuple[int, Any, Any]] = collections.deque()

            def scanned() -> None:
                i, comments_f, scan_f = pending.popleft()
                scan.add(client, comments_f, *scan_f.result())
                if i >= hold:
                    win.release()

            for comments_f, rows in source(0):
                win.add()
                scan_f = client.submit(_part_scan, comments_f, pure=False, priority=_P_CLIENT)
                if n_parts < hold:
                    held.append(comments_f)
                pending.append((n_parts, comments_f, scan_f))
                del comments_f, scan_f
                n_parts += 1
                bar.advance(task, rows)
                while win.full and pending:
                    scanned()
            while pending:
                scanned()
        else:
            scan = _FitPass(fit_sample, seed, id_col)
            for comments in iter_comments(
                src, text_cols=state["cols"], id_col=id_col, chunk_rows=chunk_rows
            ):
                if n_parts < hold:
                    win.add()
                    held.append(client.scatter(comments, hash=False))
                scan.add(comments)
                n_parts += 1
                bar.advance(task, len(comments))
                del comments
            if state["cols"] is None:
                state["cols"] = scan.detected
        scan.check()
        n_comments, cols = scan.n, state["cols"]
        t_read, c_read = time.perf_counter(), time.process_time()
        task = bar.add_task("sample", total=1)
        sample = scan.result()
        on_worker = fit_on == "worker" or (fit_on == "auto" and n_live >= 2)
        pieces = _submit_sample_pieces(client, sample, whole=on_worker)
        # The kept chunks are segmented after the sample's pieces (the fit waits for those).
        # Fitted on a worker, the fit has one to itself until it is done: the others segment
        # (a worker that had started a chunk while the pieces were still coming to it would
        # hold the fit up for as long as that chunk takes).
        names = sorted(client.scheduler_info().get("workers", {}))
        # ``pin``: the fit's placement, ``away``: the chunks' until it is done (Dask takes
        # ``allow_other_workers`` only with ``workers``).
        away: dict[str, Any] = {}
        pin: dict[str, Any] = {}
        if on_worker and len(names) >= 2:
            pin.update(workers=names[:1], allow_other_workers=True)
            away.update(workers=names[1:], allow_other_workers=True)
        prepped.extend(client.submit(_part_segments, f, setup, pure=False, **away) for f in held)
        del held
        # ``prepped``: chunks segmented on the workers and not yet submitted for tagging, in
        # input order: the kept ones, then the rest of the input read again, shipped while
        # fewer than ``limit`` chunks are on the cluster (so the workers segment them while
        # the Tagger is fitted, as far as the window allows).
        chunks = source(hold) if n_parts > hold else iter(())

        def ship() -> bool:
            nxt = next(chunks, None)
            if nxt is None:
                return False
            win.add()
            prepped.append(client.submit(_part_segments, nxt[0], setup, pure=False, **away))
            return True

        if on_worker:
            model = client.submit(
                _fit_task, codebook, fit_sample, seed, tagger_kw, *pieces, priority=_P_CLIENT, **pin
            )
            bar.advance(task, 1)
            t_sample, c_sample = time.perf_counter(), time.process_time()
            task = bar.add_task("fit", total=1)
            key, fitted = None, model
            meta_f = client.submit(operator.getitem, model, 2, priority=_P_CLIENT)
            while not win.full and ship():
                pass
        else:
            while not win.full and ship():
                pass
            sample_segs = _sample_segments(client, sample, pieces)
            bar.advance(task, 1)
            t_sample, c_sample = time.perf_counter(), time.process_time()
            task = bar.add_task("fit", total=1)
            from commentmine._tagging._tagger import Tagger

            tagger = Tagger(codebook, fit_sample=fit_sample, seed=seed, **tagger_kw)
            tagger.fit(sample_segs)
            meta_f = None
            meta = _fit_meta(tagger, len(sample_segs))
            key, blob = _pickled(tagger)
            fitted = client.scatter(blob, broadcast=True, hash=False)
        del pieces

        # Pass 2 (apply): tagging is submitted before the fit is known to be done (each task
        # starts when the fitted Tagger, a future when fitted on a worker, and its chunk are
        # ready); the rest of the input goes on being read and shipped while fewer than
        # ``limit`` chunks are on the cluster, and each is released once its output is appended.
        def submit_tag(i: int, prepped_f: Any) -> Any:
            return client.submit(
                _part_tag,
                key,
                fitted,
                prepped_f,
                level,
                include_interviewer,
                out_ext,
                i == 0,
                pure=False,
                priority=_P_TAG,
            )

        tagging: dict[int, Any] = {}  # chunk -> its tagging future, result not yet collected
        waiting: dict[int, Any] = {}  # collected results not yet appended (a chunk before
        # them is still being tagged), at most ``limit``
        n_submitted = n_written = 0
        t_fit = c_fit = None
        tag_task = None
        accounting: dict[str, Any] = {}
        results: list[pd.DataFrame] = []
        writer = None

        def fit_done() -> None:
            nonlocal meta, t_fit, c_fit, tag_task
            if t_fit is None:
                if meta_f is not None:
                    meta = meta_f.result()
                away.clear()  # chunks shipped from now on go to any worker
                bar.advance(task, 1)
                t_fit, c_fit = time.perf_counter(), time.process_time()
                tag_task = bar.add_task("tag (dask)", total=n_comments)

        def collect() -> None:
            # Results are collected as the workers finish them, in any order (a chunk that
            # takes longer no longer holds the window up), and appended in input order.
            nonlocal n_written
            fit_done()
            oldest = n_written if len(waiting) >= limit else None
            for i, res in _collect(tagging, oldest).items():
                waiting[i] = res
                win.release()
            while n_written in waiting:
                payload, rows, statuses = waiting.pop(n_written)
                _add_accounting(accounting, statuses)
                bar.advance(tag_task, len(statuses))
                if writer is None:
                    results.append(payload)
                else:
                    writer.write_encoded(payload, rows)
                n_written += 1

        def apply() -> None:
            nonlocal n_submitted
            while True:
                while prepped:
                    tagging[n_submitted] = submit_tag(n_submitted, prepped.popleft())
                    n_submitted += 1
                if tagging and (win.full or len(waiting) >= limit):
                    collect()
                elif not ship():
                    break
            while tagging:
                collect()
            fit_done()

        if output_path is None:
            apply()
        else:
            from commentmine._io import atomic_path

            with atomic_path(out) as tmp:
                writer = _AppendWriter(tmp, out_ext)
                try:
                    apply()
                    writer.close()
                except BaseException:
                    writer.abort()
                    raise
        _WINDOW_STATS.clear()
        _WINDOW_STATS.update(window=limit, held=hold, peak=win.peak, chunks=n_parts)
    if not accounting:
        accounting = _empty_accounting()
    t_end, c_end = time.perf_counter(), time.process_time()
    timings = _phase_seconds(t_start, t_read, t_sample, t_fit, t_end)
    client_cpu = _phase_seconds(c_start, c_read, c_sample, c_fit, c_end)
    if writer is not None:
        return {
            "accounting": accounting,
            "rows_out": writer.rows,
            "chunks": n_parts,
            "comments": n_comments,
            "fit_comments": len(sample),
            "fit_segments": int(min(meta["segments"], fit_sample)),
            "fit_on": "worker" if on_worker else "client",
            "text_cols": cols,
            "themes": list(meta["themes"]),
            "codebook": meta["codebook"],
            "output": str(out),
            "timings": timings,
            "client_cpu": client_cpu,
        }
    from commentmine._tagging._table import empty_tags

    nonempty = [r for r in results if len(r)]
    if nonempty:
        table = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0]
    else:
        table = results[0] if results else empty_tags(pd.DataFrame())
    table.attrs["accounting"] = accounting
    table.attrs["codebook"] = meta["codebook"]
    table.attrs["themes"] = list(meta["themes"])
    table.attrs["timings"] = timings
    table.attrs["client_cpu"] = client_cpu
    return table


# Task priorities (higher runs first on a worker): what the client waits for, then tagging
# (so finished partitions stream back while others are still being segmented), then the rest.
_P_CLIENT = 20
_P_TAG = 10

_LOCAL: dict[tuple[int, str], Any] = {}


def _collect(tagging: dict[int, Any], oldest: int | None) -> dict[int, Any]:
    """Client side: the results of the finished futures of ``tagging`` (removed from it),
    after waiting for chunk ``oldest`` or, when None, for any one of them."""
    import distributed

    if oldest is not None:
        distributed.wait(tagging[oldest])
    else:
        distributed.wait(list(tagging.values()), return_when="FIRST_COMPLETED")
    done = [i for i, f in tagging.items() if f.done()]
    return {i: tagging.pop(i).result() for i in sorted(done)}


def _pickled(obj: Any) -> tuple[str, bytes]:
    import hashlib
    import pickle

    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(blob).hexdigest()[:16], blob


def _local_copy(key: str, blob: bytes, store: dict[tuple[int, str], Any] = _LOCAL) -> Any:
    """Worker side: unpickle ``blob`` once per thread and keep the copy for later tasks.

    Each worker thread gets its own copy, so the embedding cache's SQLite connection is never
    shared between threads (in-process clusters) and the model loads once per worker. A
    ``store`` holds one live copy per thread.
    """
    import pickle
    import threading

    slot = (threading.get_ident(), key)
    obj = store.get(slot)
    if obj is None:
        for old in [k for k in store if k[0] == slot[0]]:  # one live copy per thread
            del store[old]
        obj = store[slot] = pickle.loads(blob)  # noqa: S301 - our own object, just pickled
    return obj


_WARM: dict[str, Any] = {}


def _start_warm() -> bool:
    """Worker side (``client.run``): import scikit-learn and load the segmenter in a
    background thread, once per process, so the first tasks do not pay for it in turn."""
    import threading

    if "thread" not in _WARM:
        thread = threading.Thread(target=_warm_up, name="commentmine-warm", daemon=True)
        _WARM["thread"] = thread
        thread.start()
    return True


def _warm_up() -> None:
    try:
        from commentmine.segment import segment

        segment(["Warm up the pipeline."])
        _WARM["segmenter"] = True
        _import_fit_modules()
    except Exception:  # noqa: BLE001, S110 - the tasks load what they need themselves
        pass
    finally:
        _WARM["segmenter"] = True


def _wait_warm(*, segmenter_only: bool = False) -> None:
    """Worker side: let the warm-up finish (or load the segmenter) before loading the same
    things again."""
    import threading

    thread = _WARM.get("thread")
    if thread is None or thread is threading.current_thread():
        return
    while thread.is_alive():
        if segmenter_only and _WARM.get("segmenter"):
            return
        thread.join(0.02)


def _part_segments(
    comments: pd.DataFrame, setup: tuple[str, bytes] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any] | None]:
    """Worker side: a partition's comments, their segments (interviewer turns kept) and, with
    ``setup`` (:func:`_setup_spec`), the part of tagging them that does not need the fitted
    Tagger (keyword matches and embeddings: :meth:`~commentmine.tag.Tagger.prepare`), done
    here so that it can run while the Tagger is still being fitted."""
    from commentmine.segment import segment

    _wait_warm(segmenter_only=True)
    segs = segment(comments, include_interviewer=True)
    prepared = _set_up_tagger(*setup).prepare(segs) if setup is not None else None
    return comments, segs, prepared


def _setup_spec(
    codebook: Any, fit_sample: int, seed: int, tagger_kw: dict[str, Any]
) -> tuple[str, bytes]:
    """Client side: an unfitted Tagger like the one fitted, pickled for the workers."""
    from commentmine._tagging._tagger import Tagger

    return _pickled(Tagger(codebook, fit_sample=fit_sample, seed=seed, **tagger_kw))


_SET_UP: dict[tuple[int, str], Any] = {}


def _set_up_tagger(key: str, blob: bytes) -> Tagger:
    """Worker side: this thread's copy of the unfitted Tagger (:func:`_setup_spec`), kept
    apart from the fitted one's copy; its first :meth:`~commentmine.tag.Tagger.prepare` sets
    up the codebook and the embedder, once per thread."""
    return _local_copy(key, blob, _SET_UP)


def _segment_piece(comments: pd.DataFrame) -> pd.DataFrame:
    """Worker side: segment a piece of the fit sample."""
    from commentmine.segment import segment

    _wait_warm(segmenter_only=True)

    return segment(comments, include_interviewer=True)


def _part_tag(
    key: str | None,
    blob: bytes | tuple[str, bytes, dict[str, Any]],
    prepped: tuple[pd.DataFrame, pd.DataFrame, dict[str, Any] | None],
    level: str,
    include_interviewer: bool,
    ext: str | None,
    header: bool,
) -> tuple[Any, int, list[str]]:
    """Worker side: tag a segmented (and prepared) partition with this thread's Tagger copy.

    ``key=None``: ``blob`` is what :func:`_fit_task` returned. Returns the rows encoded for
    the output (:func:`_encode_rows`), their count and the comments' statuses.
    """
    if key is None:
        key, blob = blob[0], blob[1]
    _wait_warm()
    comments, segs, prepared = prepped
    out, statuses = _tag_segments(
        _local_copy(key, blob), comments, segs, level, include_interviewer, prepared
    )
    return _encode_rows(out, ext, header=header), len(out), statuses


def _file_chunks(
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
    :func:`iter_comments` does); every other chunk on the workers, with the same columns.
    Yields ``(future, input rows)``.
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
                _to_comments_task,
                client.scatter(wide, hash=False),
                cols,
                id_col,
                offset,
                src.name,
                pure=False,
                priority=_P_CLIENT,
            )
        del wide
        offset += n
        yield fut, n


def _to_comments_task(
    wide: pd.DataFrame,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offset: int,
    source: str,
) -> pd.DataFrame:
    """Worker side: :func:`_to_comments` of one chunk of a file."""
    return _to_comments(wide, text_cols=text_cols, id_col=id_col, offset=offset, source=source)


def _frame_setup(
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


def _frame_chunks(
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
        part = dask.delayed(_part_comments)(
            delayed_parts[i], text_cols, id_col, int(offsets[i]), ""
        )
        yield client.compute(part), 0


def _live_workers(client: Any) -> int:
    """Client side: the workers the scheduler has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))


def _default_window(n_workers: int) -> int:
    """Most chunks on the cluster at once, by default (``max(8, 4 x workers)``)."""
    return max(8, 4 * n_workers)


class _Window:
    """Client side: chunks shipped to the cluster and not yet released, at most ``limit``.

    A chunk counts from the moment it is shipped until its result is collected (or, for a
    partition only scanned for the fit sample, until its ids and candidates are in). ``peak``
    is the most there ever were (tests read it from :data:`_WINDOW_STATS`).
    """

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.alive = 0
        self.peak = 0

    @property
    def full(self) -> bool:
        return self.alive >= self.limit

    def add(self) -> None:
        self.alive += 1
        self.peak = max(self.peak, self.alive)

    def release(self) -> None:
        self.alive -= 1


#: The last :func:`tag_dask` run's window: ``window``, ``held``, ``peak`` and ``chunks``
#: (read by the tests); after :func:`discover_dask` of a pandas table, its assignment
#: slices' ``window``, ``peak`` and ``chunks``.
_WINDOW_STATS: dict[str, int] = {}


class _ScanSample:
    """Client side: ids across chunks and the seeded bottom-k fit sample, chunk by chunk in
    input order, from what the workers report (exactly the sample :class:`_FitPass` draws).

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
        if hit.any() and len(self.dupes) < _MAX_DUPES:
            col = "respondent_id" if self.id_col else "comment_id"
            names = client.submit(
                _part_values, comments, np.flatnonzero(hit), col, priority=_P_CLIENT
            ).result()
            for v in names:
                if len(self.dupes) < _MAX_DUPES:
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
            rows = client.submit(_part_rows, comments, ok[sel], priority=_P_CLIENT).result()
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
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _FIT_COLUMNS})
        order = np.argsort(self.pos, kind="stable")
        return self.pool[0].iloc[order].reset_index(drop=True)


def _submit_sample_pieces(
    client: Any, sample: pd.DataFrame, *, whole: bool = False
) -> list[Any] | None:
    """Segment the fit sample on the workers, in ``2 * workers`` pieces (None: too small to
    be worth it, unless ``whole``: then at least one piece)."""
    bounds = np.linspace(0, len(sample), 2 * _live_workers(client) + 1).astype(int)
    pieces = [sample.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    if whole and len(pieces) < 2:
        pieces = [sample]
    elif len(pieces) < 2:
        return None
    return [
        client.submit(_segment_piece, client.scatter(p, hash=False), priority=_P_CLIENT)
        for p in pieces
    ]


def _sample_segments(client: Any, sample: pd.DataFrame, pieces: list[Any] | None) -> pd.DataFrame:
    """``segment(sample, include_interviewer=True)``, from the pieces segmented on the workers.

    Segmenting is per comment, so the pieces concatenated in order are the whole sample's
    segments. The client imports what the fit needs while it waits.
    """
    from commentmine.segment import segment

    if pieces is None:
        return segment(sample, include_interviewer=True)
    _import_fit_modules()
    return pd.concat(client.gather(pieces), ignore_index=True)


def _fit_meta(tagger: Tagger, n_segments: int) -> dict[str, Any]:
    return {
        "themes": list(tagger.themes_),
        "codebook": str(getattr(tagger.codebook_, "name", "")),
        "segments": int(n_segments),
    }


def _fit_task(
    codebook: Any, fit_sample: int, seed: int, tagger_kw: dict[str, Any], *pieces: pd.DataFrame
) -> tuple[str, bytes, dict[str, Any]]:
    """Worker side: fit the Tagger on the sample's segmented pieces (in order).

    Returns the pickled Tagger with its key (what :func:`_part_tag` loads) and a summary.
    """
    from commentmine._tagging._tagger import Tagger

    _wait_warm()
    segs = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0]
    tagger = Tagger(codebook, fit_sample=fit_sample, seed=seed, **tagger_kw).fit(segs)
    key, blob = _pickled(tagger)
    return key, blob, _fit_meta(tagger, len(segs))


def _import_fit_modules() -> None:
    """Import what :meth:`commentmine.tag.Tagger.fit` imports on first use (scikit-learn)."""
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401


# --------------------------------------------------------------------------------------------
# discovery: fit on a sample, assign the rest by nearest centroid
# --------------------------------------------------------------------------------------------


def _assign_part(
    segments: pd.DataFrame,
    rows: np.ndarray | None,
    key: str,
    blob: bytes,
    centroids: np.ndarray,
    ids: list[str],
    floor: float,
) -> np.ndarray:
    """Worker side: the nearest theme (or ``outlier``) of ``segments`` (``rows`` of them).

    Cosines are :func:`commentmine._blas.rowwise_dot` products, so a segment's theme does not
    depend on the other segments of its part.
    """
    from commentmine._blas import rowwise_dot
    from commentmine.discover import OUTLIER

    if rows is not None:
        segments = segments.iloc[rows]
    if not len(segments) or not len(ids):
        return np.full(len(segments), OUTLIER, dtype=object)
    embedder = _local_copy(key, blob)
    X = np.asarray(embedder.embed(segments["text"].astype(str).tolist()), dtype=np.float32)
    sims = rowwise_dot(X, centroids)
    best = np.argmax(sims, axis=1)
    top = sims[np.arange(len(X)), best]
    return np.where(top >= floor, np.asarray(ids, dtype=object)[best], OUTLIER)


def _segments_of(frame: pd.DataFrame) -> pd.DataFrame:
    """Worker side: a partition as a segments table (segmented here if it holds comments)."""
    from commentmine.segment import segment

    if "segment_id" in frame.columns:
        return frame.reset_index(drop=True)
    return segment(frame).reset_index(drop=True)


def _rows_of(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    return frame.iloc[rows]


def _ids_of(segments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (
        segments["comment_id"].astype(str).to_numpy(dtype=object),
        segments["segment_id"].astype(str).to_numpy(dtype=object),
    )


def discover_dask(
    data: Any,
    *,
    sample: int = 20000,
    seed: int = 0,
    embedder: Any = None,
    scheduler: Any = None,
    n_workers: int = 2,
    processes: bool = True,
    partition_rows: int = 20000,
    progress: bool = True,
    **discover_options: Any,
) -> Discovery:
    """Discover themes on a seeded sample of segments, then assign every segment in parallel.

    :func:`commentmine.discover` runs on ``sample`` segments (seeded, in input order). Its
    theme centroids (mean unit embedding of each theme's sample segments, renormalised) then
    label every other segment on the Dask workers: nearest centroid by cosine, or ``outlier``
    below ``outlier_similarity`` (as discovery itself decides outliers). Sampled segments keep
    the label discovery gave them. With ``sample`` at least the number of segments, the result
    is :func:`commentmine.discover` on everything.

    Parameters
    ----------
    data : DataFrame or dask.dataframe.DataFrame
        A comments table (segmented here) or a segments table. A Dask DataFrame is segmented
        partition by partition on the workers, which keep it: only the sample comes to the
        client, and each partition's other segments are assigned where they are. Segments
        are numbered across partitions in order, so the result does not depend on the
        partitioning.
    sample : int, default 20000
        Segments clustered by discovery.
    seed : int, default 0
        Seed of the sample and of discovery.
    embedder : Embedder or str, optional
        As :func:`commentmine.discover` (default: its default, full MiniLM through onnxruntime).
    scheduler, n_workers, processes : optional
        As :func:`tag_dask`.
    partition_rows : int, default 20000
        Segments per assignment task (pandas input, at most ``max(8, 4 x workers)`` tasks on
        the cluster at once; a Dask DataFrame is assigned by partition).
    progress : bool, default True
        Progress bars on stderr when it is a terminal.
    **discover_options
        Passed to :func:`commentmine.discover` (``codebook``, ``n_themes``, ``min_theme_size``,
        ``outlier_similarity``, ...).

    Returns
    -------
    Discovery
        Draft codebook and themes from the sample; ``assignments`` and
        ``comment_assignments`` cover every segment / comment. ``themes["size"]`` counts the
        sample.
    """
    from dataclasses import replace

    from commentmine._progress import progress as _bar
    from commentmine.discover import OUTLIER, _comment_majority, discover
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

    _require_dask()
    if int(sample) < 1 or int(partition_rows) < 1:
        raise errors.bad_argument("sample and partition_rows must be >= 1.")
    is_dask = _is_dask_frame(data)
    if not is_dask and not isinstance(data, pd.DataFrame):
        raise errors.bad_argument(
            f"expected a DataFrame or a Dask DataFrame, got {type(data).__name__}."
        )
    if discover_options.get("uncoded_only"):
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
    emb = select_embedder(DEFAULT_EMBEDDER if embedder is None else embedder)
    floor = float(discover_options.get("outlier_similarity", 0.2))
    with _bar(quiet=not progress) as bar, _Client(scheduler, n_workers, processes) as client:
        task = bar.add_task("segment", total=1)
        if is_dask:  # segmented on the workers; only the sample comes to the client
            parts = [
                client.submit(_segments_of, f, pure=False)
                for f in client.compute(data.to_delayed())
            ]
            lengths = np.asarray(client.gather([client.submit(len, f) for f in parts]), dtype=int)
            starts = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
            n = int(starts[-1])
        else:
            segs = _segments_of(data)
            n = len(segs)
        bar.advance(task, 1)
        if n > int(sample):
            rng = np.random.default_rng(seed)
            pick = np.sort(rng.choice(n, size=int(sample), replace=False))
        else:
            pick = np.arange(n)
        if is_dask:
            where = np.searchsorted(starts, pick, side="right") - 1
            local = [pick[where == i] - starts[i] for i in range(len(parts))]
            got = client.gather(
                [client.submit(_rows_of, f, local[i], pure=False) for i, f in enumerate(parts)]
            )
            sample_segs = pd.concat(got, ignore_index=True) if got else pd.DataFrame()
        else:
            sample_segs = segs.iloc[pick]
        task = bar.add_task("discover", total=1)
        found = discover(sample_segs, seed=seed, embedder=emb, **discover_options)
        bar.advance(task, 1)
        if len(pick) == n:
            return found
        lab = found.assignments["theme"].astype(str).to_numpy()
        ids = sorted(t for t in set(lab) if t != OUTLIER)
        X = np.asarray(emb.embed(sample_segs["text"].astype(str).tolist()), dtype=np.float32)
        cents = np.vstack([X[lab == t].mean(axis=0) for t in ids]) if ids else np.zeros((0, 1))
        cents = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
        task = bar.add_task("assign", total=n - len(pick))
        key, blob = _pickled(emb)
        emb_f = client.scatter(blob, broadcast=True)
        cents_f = client.scatter(cents, broadcast=True)
        theme = np.empty(n, dtype=object)
        theme[pick] = lab
        picked = np.zeros(n, dtype=bool)
        picked[pick] = True
        if is_dask:
            futs = []
            for i, f in enumerate(parts):
                rows = np.flatnonzero(~picked[starts[i] : starts[i + 1]])
                fut = client.submit(
                    _assign_part, f, rows, key, emb_f, cents_f, ids, floor, pure=False
                )
                futs.append((fut, starts[i] + rows, client.submit(_ids_of, f, pure=False)))
            comment_ids, segment_ids = [], []
            for fut, at, id_fut in futs:
                theme[at] = fut.result()
                cid, sid = id_fut.result()
                comment_ids.append(cid)
                segment_ids.append(sid)
                bar.advance(task, len(at))
            cids = np.concatenate(comment_ids) if comment_ids else np.zeros(0, dtype=object)
            sids = np.concatenate(segment_ids) if segment_ids else np.zeros(0, dtype=object)
        else:
            # At most a window of slices on the cluster at once (shipped, not yet collected),
            # so worker memory does not grow with the input.
            rest = np.flatnonzero(~picked)
            step = int(partition_rows)
            win = _Window(_default_window(_live_workers(client)))
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
                piece = segs.iloc[at][["comment_id", "segment_id", "text"]]
                win.add()
                out.append(
                    (
                        client.submit(
                            _assign_part, piece, None, key, emb_f, cents_f, ids, floor, pure=False
                        ),
                        at,
                    )
                )
            while out:
                collect()
            _WINDOW_STATS.clear()
            _WINDOW_STATS.update(window=win.limit, peak=win.peak, chunks=-(-len(rest) // step))
            cids, sids = _ids_of(segs)
    assignments = pd.DataFrame({"comment_id": cids, "segment_id": sids, "theme": theme})
    return replace(
        found,
        assignments=assignments,
        comment_assignments=_comment_majority(assignments),
    )
