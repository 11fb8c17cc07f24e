"""Scale: tag files of any size in bounded memory, and on a Dask cluster.

comments -> segments -> tags, run chunk by chunk. Codebook tagging has one corpus-level step,
:meth:`commentmine._tagging._public.Tagger.fit` (term statistics, the self-trained classifier and the
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
:meth:`commentmine._tagging._public.Tagger.prepare`). The apply pass reads the rest again, shipping a chunk
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

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from commentmine._ingest._chunks import (  # the chunked readers live in ingest
    STREAM_FORMATS,
    iter_comments,
    iter_wide_chunks,
)
from commentmine._options import renamed, takes_options
from commentmine._scale._options import ScaleOptions, split_options
from commentmine._scale._output import OUTPUT_FORMATS as OUTPUT_FORMATS  # output types

if TYPE_CHECKING:  # pragma: no cover
    from commentmine._discover import Discovery

__all__ = [
    "STREAM_THRESHOLD_BYTES",
    "ScaleOptions",
    "STREAM_FORMATS",
    "discover_dask",
    "iter_comments",
    "iter_wide_chunks",
    "tag_dask",
    "tag_file",
]

#: Inputs larger than this are tagged by the streaming path by the CLI (200 MB).
STREAM_THRESHOLD_BYTES = 200 * 1024 * 1024


@takes_options(ScaleOptions, rest=True)
def tag_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    codebook: Any,
    *,
    text_cols: Sequence[str] | str | None = None,
    id_col: str | None = None,
    embedder: Any = None,
    options: ScaleOptions | None = None,
    **tagger_options: Any,
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
    options : ScaleOptions, optional
        Every setting below at once; a keyword argument overrides its field.
    **tagger_options
        Any field of :class:`ScaleOptions` (below), or a further
        :class:`commentmine.Tagger` parameter.

    Other Parameters
    ----------------
    <options>

    Returns
    -------
    dict
        ``accounting`` (a :class:`commentmine.Accounting` as a dict), ``rows_out``,
        ``chunks``, ``comments``, ``fit_comments``, ``fit_segments``, ``text_cols``,
        ``themes``, ``codebook``, ``output`` and ``timings`` (seconds: ``read_fit``, ``fit``, ``read``,
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
    from commentmine._scale._file import run_tag_file

    opts, other = split_options(options, tagger_options, func="tag_file")
    return run_tag_file(
        input_path,
        output_path,
        codebook,
        text_cols=text_cols,
        id_col=id_col,
        opts=opts,
        tagger_kw=opts.tagger_kw(embedder, other),
    )


@takes_options(ScaleOptions, rest=True)
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
    fit_on: str = "auto",
    window: int | None = None,
    options: ScaleOptions | None = None,
    **tagger_options: Any,
) -> pd.DataFrame | dict[str, Any]:
    """Tag on a Dask cluster: read -> segment -> embed -> tag per partition on the workers,
    with the Tagger fitted on a seeded sample meanwhile.

    Results are in input order and equal :func:`commentmine.tag` (and :func:`tag_file`) with
    the same settings: the fit sample is drawn exactly as :func:`tag_file` draws it.

    How the work is shared, in bounded memory (a window of at most ``window`` chunks on the
    cluster at any time, whatever the input size): the docs of :mod:`commentmine.scale`
    describe the scan, the fit and the apply pass.

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
    embedder : Embedder or str, optional
        As :func:`tag_file`.
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
    options : ScaleOptions, optional
        Every setting below at once; a keyword argument overrides its field.
    **tagger_options
        Any field of :class:`ScaleOptions` (below; ``chunk_rows``: rows per partition when
        ``data`` is a path), or a further :class:`commentmine.Tagger` parameter.

    Other Parameters
    ----------------
    <options>

    Returns
    -------
    DataFrame or dict
        The tags (or comment-level) table, or the summary dict of :func:`tag_file` when
        ``output_path`` is given, which also holds: ``timings`` (seconds): ``read`` (the
        input scanned, the kept chunks shipped), ``sample`` (ids checked, the sample drawn
        and, when fitted here, segmented), ``fit``, ``apply`` (the rest: tagging still running
        on the workers, and writing), ``total``; ``client_cpu``: this process's CPU seconds in
        the same phases (workers' CPU is not included); ``window``: the run's ``window``,
        ``held`` (chunks kept from the scan), ``peak`` (the most chunks that were on the
        cluster at once, at most ``window``) and ``chunks``. The table carries no ``attrs``:
        :func:`commentmine.accounting` counts it.

    Raises
    ------
    BackendError
        E201 when dask/distributed are not installed.
    """
    from commentmine._scale._dask_tag import DaskTagRun, run_tag_dask

    opts, other = split_options(options, tagger_options, func="tag_dask")
    result = run_tag_dask(
        data,
        codebook,
        text_cols=text_cols,
        id_col=id_col,
        output_path=output_path,
        scheduler=scheduler,
        n_workers=n_workers,
        processes=processes,
        fit_on=fit_on,
        window=window,
        opts=opts,
        tagger_kw=opts.tagger_kw(embedder, other),
    )
    return result.table if isinstance(result, DaskTagRun) else result


@renamed(sample="fit_sample", partition_rows="chunk_rows")
def discover_dask(
    data: Any,
    *,
    fit_sample: int = 20000,
    seed: int = 0,
    embedder: Any = None,
    scheduler: Any = None,
    n_workers: int = 2,
    processes: bool = True,
    chunk_rows: int = 20000,
    progress: bool = True,
    stats: dict[str, int] | None = None,
    **discover_options: Any,
) -> Discovery:
    """Discover themes on a seeded sample of segments, then assign every segment in parallel.

    :func:`commentmine.discover` runs on ``fit_sample`` segments (seeded, in input order). Its
    theme centroids (mean unit embedding of each theme's sample segments, renormalised) then
    label every other segment on the Dask workers: nearest centroid by cosine, or ``outlier``
    below ``outlier_similarity`` (as discovery itself decides outliers). Sampled segments keep
    the label discovery gave them. With ``fit_sample`` at least the number of segments, the
    result is :func:`commentmine.discover` on everything.

    Parameters
    ----------
    data : DataFrame or dask.dataframe.DataFrame
        A comments table (segmented here) or a segments table. A Dask DataFrame is segmented
        partition by partition on the workers, which keep it: only the sample comes to the
        client, and each partition's other segments are assigned where they are. Segments
        are numbered across partitions in order, so the result does not depend on the
        partitioning.
    fit_sample : int, default 20000
        Segments clustered by discovery (the seeded sample it is fitted on, as
        :func:`tag_file`'s ``fit_sample`` is the Tagger's). ``sample``, its former name, still
        works for one release (``DeprecationWarning``).
    seed : int, default 0
        Seed of the sample and of discovery.
    embedder : Embedder or str, optional
        As :func:`commentmine.discover` (default: its default, full MiniLM through onnxruntime).
    scheduler, n_workers, processes : optional
        As :func:`tag_dask`.
    chunk_rows : int, default 20000
        Rows of the segments table per assignment task (pandas input, at most
        ``max(8, 4 x workers)`` tasks on the cluster at once; a Dask DataFrame is assigned by
        partition). ``partition_rows``, its former name, still works for one release
        (``DeprecationWarning``).
    progress : bool, default True
        Progress bars on stderr when it is a terminal.
    stats : dict, optional
        Filled in with the assignment's ``window`` (most slices on the cluster at once),
        ``peak`` (the most there were) and ``chunks`` (slices) when ``data`` is a pandas
        table that was not all in the sample.
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
    from commentmine._scale._dask_discover import run_discover_dask

    return run_discover_dask(
        data,
        fit_sample=fit_sample,
        seed=seed,
        embedder=embedder,
        scheduler=scheduler,
        n_workers=n_workers,
        processes=processes,
        chunk_rows=chunk_rows,
        progress=progress,
        stats=stats,
        discover_options=discover_options,
    )
