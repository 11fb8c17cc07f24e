"""Large inputs for ``commentmine tag``: the streaming path and the Dask engine.

``commentmine tag`` imports the option types below and hands over to :func:`run_tag_scaled`
when :func:`use_scaled_path` says so: ``--stream``, ``--chunk-rows N``, ``--engine dask``, or
an input file larger than :data:`commentmine.scale.STREAM_THRESHOLD_BYTES` (200 MB). The output
file has the same format as the in-memory path.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import info
from commentmine._scale._options import ScaleOptions

StreamOpt = Annotated[
    bool,
    typer.Option(
        "--stream",
        help="Tag in two passes over chunks of the input (bounded memory; CSV/TSV/JSONL/Parquet "
        "in, CSV/JSONL/Parquet out). Automatic above 200 MB.",
    ),
]
ChunkRowsOpt = Annotated[
    int | None,
    typer.Option("--chunk-rows", help="Input rows per chunk when streaming (implies --stream)."),
]
FitSampleOpt = Annotated[
    int,
    typer.Option(
        "--fit-sample",
        help="Size of the seeded sample the tagger learns from: segments in memory; answered "
        "comments when streaming or on Dask (their segments then capped at this).",
    ),
]
DiscoverSampleOpt = Annotated[
    int,
    typer.Option(
        "--fit-sample",
        "--sample",
        help="With --engine dask: segments clustered (the seeded sample discovery is fitted "
        "on, as tag's --fit-sample); the rest are assigned to the nearest theme on the "
        "workers. --sample is its former name (kept for one release).",
    ),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local (this process) or dask (the per-partition work on a Dask cluster; needs "
        "the 'dask' extra).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address (tcp://host:8786); default a local cluster.",
    ),
]
WorkersOpt = Annotated[
    int,
    typer.Option("--workers", help="Worker processes of the default local Dask cluster."),
]

DEFAULT_CHUNK_ROWS = 20000


def use_scaled_path(
    input: Path, *, stream: bool, chunk_rows: int | None, engine: str, model: Any = None
) -> bool:
    """Whether ``commentmine tag`` should take the streaming / Dask path."""
    from commentmine import errors
    from commentmine.scale import STREAM_FORMATS, STREAM_THRESHOLD_BYTES

    if engine not in ("local", "dask"):
        raise errors.bad_argument(f"--engine must be 'local' or 'dask', got {engine!r}.")
    asked = stream or chunk_rows is not None or engine == "dask"
    if asked and model is not None:
        raise errors.bad_argument(
            "--stream/--chunk-rows/--engine dask tag with a codebook; drop --model or them."
        )
    if asked:
        return True
    return (
        model is None
        and input.is_file()
        and input.suffix.lower() in STREAM_FORMATS
        and input.stat().st_size > STREAM_THRESHOLD_BYTES
    )


def run_tag_scaled(
    *,
    input: Path,
    out: Path,
    codebook: str,
    text_col: list[str] | None,
    id_col: str | None,
    sheet: str | None,
    embedder: str | None,
    no_cache: bool,
    opts: ScaleOptions,
    chunk_rows: int | None,
    engine: str,
    scheduler: str | None,
    workers: int,
    quiet: bool,
) -> None:
    """Tag ``input`` into ``out`` by the streaming path or on Dask; print the summary
    (``opts``: the tagging options; its ``chunk_rows`` and ``progress`` are set here)."""
    from commentmine import errors
    from commentmine.codebook import load_codebook
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder
    from commentmine.scale import tag_file

    _check_scaled(codebook, out, chunk_rows, workers)
    cb = load_codebook(codebook)
    emb = select_embedder(embedder or DEFAULT_EMBEDDER, cache=not no_cache)
    rows = int(chunk_rows or DEFAULT_CHUNK_ROWS)
    opts = replace(opts, chunk_rows=rows, progress=not quiet)
    where = f"{len(cb.themes)} themes ({emb.name})"
    if engine == "dask":
        info(
            f"tagging with {where} on Dask ({scheduler or f'local cluster, {workers} workers'})",
            quiet=quiet,
        )
        result = _on_dask(input, out, cb, emb, text_col, id_col, sheet, scheduler, workers, opts)
    else:
        if not _streamable(input):
            raise errors.bad_argument(
                f"--stream reads CSV/TSV/JSONL/Parquet files, not {input.name!r}; "
                "drop --stream/--chunk-rows to tag it in memory."
            )
        info(f"tagging {input.name} in chunks of {rows} rows with {where}", quiet=quiet)
        result = tag_file(
            input, out, cb, text_cols=text_col or None, id_col=id_col, embedder=emb, options=opts
        )
        if not text_col and result.get("text_cols"):
            info(f"free-text columns detected: {', '.join(result['text_cols'])}", quiet=quiet)
    _manifest(
        out,
        result,
        cb,
        emb,
        input,
        {
            "command": "tag",
            "level": opts.level,
            "codebook": codebook,
            "embedder": embedder,
            "threshold": opts.threshold,
            "seed": opts.seed,
            "include_interviewer": opts.include_interviewer,
            "engine": engine,
            "chunk_rows": opts.chunk_rows,
            "fit_sample": opts.fit_sample,
        },
    )
    _print_summary(result, out, quiet)


def _check_scaled(codebook: str, out: Path, chunk_rows: int | None, workers: int) -> None:
    from commentmine import errors
    from commentmine.scale import OUTPUT_FORMATS

    if not codebook:
        raise errors.bad_argument("give --codebook.")
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise errors.bad_argument(
            f"cannot write {out.name!r} by the streaming/Dask path: --out must end in "
            f"{', '.join(OUTPUT_FORMATS)}."
        )
    if chunk_rows is not None and chunk_rows < 1:
        raise errors.bad_argument(f"--chunk-rows must be >= 1, got {chunk_rows}.")
    if workers < 1:
        raise errors.bad_argument(f"--workers must be >= 1, got {workers}.")


def _streamable(input: Path) -> bool:
    from commentmine.scale import STREAM_FORMATS

    return input.is_file() and input.suffix.lower() in STREAM_FORMATS


def _on_dask(
    input: Path,
    out: Path,
    cb: Any,
    emb: Any,
    text_col: list[str] | None,
    id_col: str | None,
    sheet: str | None,
    scheduler: str | None,
    workers: int,
    opts: ScaleOptions,
) -> dict[str, Any]:
    """:func:`commentmine.scale.tag_dask` of a file, or of what ``read`` makes of another
    input (XLSX, JSON, interview notes: read here, partitions go to the workers)."""
    from commentmine.scale import tag_dask

    if _streamable(input):
        return tag_dask(
            input,
            cb,
            text_cols=text_col or None,
            id_col=id_col,
            output_path=out,
            scheduler=scheduler,
            n_workers=workers,
            embedder=emb,
            options=opts,
        )
    import dask.dataframe as dd

    from commentmine._cli._app import read_input

    comments = read_input(input, text_col, id_col, sheet, quiet=not opts.progress)
    ddf = dd.from_pandas(comments, npartitions=max(1, 2 * workers))
    return tag_dask(
        ddf, cb, output_path=out, scheduler=scheduler, n_workers=workers, embedder=emb, options=opts
    )


def _print_summary(result: dict[str, Any], out: Path, quiet: bool) -> None:
    acc = result["accounting"]
    skipped = ", ".join(f"{k} {v}" for k, v in acc["skipped"].items())
    info(
        f"comments in {acc['comments_in']}: tagged {acc['tagged']}, uncoded {acc['uncoded']}, "
        f"skipped {sum(acc['skipped'].values())} ({skipped})",
        quiet=quiet,
    )
    t = result["timings"]
    info(
        f"{result['chunks']} chunks, fit on {result['fit_comments']} comments, {t['total']:.1f} s",
        quiet=quiet,
    )
    info(f"wrote {out}", quiet=quiet)


def _manifest(
    out: Path, result: dict[str, Any], cb: Any, emb: Any, input: Path, params: dict[str, Any]
) -> None:
    """``<out stem>.manifest.json`` as the in-memory path writes it (counts from the run)."""
    from commentmine.export import build_manifest, write_manifest

    manifest = build_manifest(codebook=cb, parameters=params, inputs=[input], model=emb)
    manifest["data"]["comments"] = int(result["comments"])
    manifest["data"]["accounting"] = dict(result["accounting"])
    manifest["data"]["tag_rows"] = int(result["rows_out"])
    write_manifest(out.with_name(out.stem + ".manifest.json"), manifest, outputs={"tags": out})
