"""``commentmine tag``: tag every segment (or comment) with a codebook's themes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import (
    CodebookOpt,
    EmbedderOpt,
    FastOpt,
    IdColOpt,
    InputArg,
    OutOpt,
    QuietOpt,
    RespondentColOpt,
    SheetOpt,
    TextColOpt,
    command,
    info,
    read_input,
)
from commentmine._cli._options import with_options
from commentmine._cli.scale import (
    ChunkRowsOpt,
    EngineOpt,
    FitSampleOpt,
    SchedulerOpt,
    StreamOpt,
    WorkersOpt,
)
from commentmine._scale._options import ScaleOptions

LevelOpt = Annotated[
    str,
    typer.Option(
        "--level",
        help="segment: one row per segment x theme (plus 'uncoded' rows); comment: one row per "
        "comment with status, themes and scores.",
    ),
]


ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", help="Global score threshold in [0, 1] (default: per theme)."),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the fit sample and models.")]
IncludeInterviewerOpt = Annotated[
    bool,
    typer.Option("--include-interviewer", help="Also tag interviewer turns (skipped by default)."),
]


def tagging_options(
    level: LevelOpt = ScaleOptions.level,
    threshold: ThresholdOpt = ScaleOptions.threshold,
    seed: SeedOpt = ScaleOptions.seed,
    include_interviewer: IncludeInterviewerOpt = ScaleOptions.include_interviewer,
    fit_sample: FitSampleOpt = ScaleOptions.fit_sample,
) -> ScaleOptions:
    """The tagging options of ``tag``, in memory or scaled, as the library's ScaleOptions
    (``chunk_rows`` and ``progress`` are set by the scaled path)."""
    from commentmine import errors

    if level not in ("segment", "comment"):
        raise errors.bad_argument(f"--level must be 'segment' or 'comment', got {level!r}.")
    return ScaleOptions(
        level=level,
        threshold=threshold,
        seed=seed,
        include_interviewer=include_interviewer,
        fit_sample=fit_sample,
    )


@command("tag")
@with_options(opts=tagging_options)
def tag_command(
    input: InputArg,
    out: OutOpt,
    opts: ScaleOptions,
    codebook: CodebookOpt = "",
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    embedder: EmbedderOpt = None,
    fast: FastOpt = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
    ] = False,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="Theme model folder from 'commentmine train' (replaces "
            "--codebook: the model carries its own).",
        ),
    ] = None,
    stream: StreamOpt = False,
    chunk_rows: ChunkRowsOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 2,
    quiet: QuietOpt = False,
) -> None:
    """Tag comments with a codebook's themes (score and evidence per tag).

    Writes the tags table (comment_id, segment_id, start, end, text, theme, score, evidence)
    or, with --level comment, one row per comment (comment_id, status, themes, scores).
    The embedding cache lives in $COMMENTMINE_CACHE (default ~/.cache/commentmine).
    Inputs over 200 MB (or with --stream / --chunk-rows) are tagged in chunks in bounded
    memory; --engine dask runs segment/embed/tag on a Dask cluster. Same output either way.
    """
    from commentmine import errors
    from commentmine._cli._app import embedder_choice
    from commentmine._cli.ingest import write_table
    from commentmine._progress import progress

    embedder = embedder_choice(embedder, fast)
    from commentmine._cli.scale import run_tag_scaled, use_scaled_path

    if use_scaled_path(input, stream=stream, chunk_rows=chunk_rows, engine=engine, model=model):
        if respondent_col is not None:
            raise errors.bad_argument(
                "--respondent-col is not available with --stream, --chunk-rows, --engine dask "
                "or inputs over 200 MB yet; tag in memory, or give one row per respondent."
            )
        return run_tag_scaled(
            input=input,
            out=Path(out),
            codebook=codebook,
            text_col=text_col,
            id_col=id_col,
            sheet=sheet,
            embedder=embedder,
            no_cache=no_cache,
            opts=opts,
            chunk_rows=chunk_rows,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            quiet=quiet,
        )
    run, comments, used_codebook, emb = _tag_in_memory(
        input,
        codebook=codebook,
        model=model,
        text_col=text_col,
        id_col=id_col,
        sheet=sheet,
        respondent_col=respondent_col,
        embedder=embedder,
        no_cache=no_cache,
        opts=opts,
        quiet=quiet,
    )
    with progress(quiet=quiet) as bar:
        task = bar.add_task("write", total=1)
        write_table(run.table, Path(out))
        bar.advance(task, 1)
    _write_run_manifest(
        Path(out),
        run,
        comments,
        codebook=used_codebook,
        model=emb,
        inputs=[input],
        parameters={
            "command": "tag",
            "level": opts.level,
            "codebook": codebook,
            "model": str(model) if model else None,
            "embedder": embedder,
            "threshold": opts.threshold,
            "seed": opts.seed,
            "include_interviewer": opts.include_interviewer,
        },
    )
    _summarise(run, opts.level, out, quiet=quiet)


def _tag_in_memory(
    input: Path,
    *,
    codebook: str | None,
    model: Path | None,
    text_col: list[str] | None,
    id_col: str | None,
    sheet: str | None,
    respondent_col: str | None,
    embedder: str | None,
    no_cache: bool,
    opts: ScaleOptions,
    quiet: bool,
) -> tuple[Any, Any, Any, Any]:
    """Read INPUT and tag it in memory with the codebook or the trained model: (the run,
    a :class:`~commentmine._tagging._table.TagRun`, the comments, the codebook used, the
    embedder for the manifest or None for a model)."""
    from commentmine import errors
    from commentmine._progress import counting_embedder, progress
    from commentmine._tagging._public import tag_run
    from commentmine.codebook import load_codebook
    from commentmine.embed import DEFAULT_EMBEDDER, select_embedder

    if model is not None:  # a trained theme model (commentmine.train) instead of the codebook
        from commentmine._training._model import model_tag_run
        from commentmine._training._public import load_theme_model

        tm = load_theme_model(model, embedder=embedder)
        comments = read_input(
            input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
        )
        info(f"tagging {len(comments)} comments with the model {model}", quiet=quiet)
        with progress(quiet=quiet) as bar:
            task = bar.add_task("tag", total=1)
            run = model_tag_run(
                tm, comments, level=opts.level, include_interviewer=opts.include_interviewer
            )
            bar.advance(task, 1)
        return run, comments, getattr(tm, "codebook", None), None
    if not codebook:
        raise errors.bad_argument("give --codebook (or --model, a trained theme model).")
    cb = load_codebook(codebook)
    comments = read_input(
        input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
    )
    emb = select_embedder(embedder or DEFAULT_EMBEDDER, cache=not no_cache)
    info(f"tagging {len(comments)} comments with {len(cb.themes)} themes ({emb.name})", quiet=quiet)
    with progress(quiet=quiet) as bar:
        task = bar.add_task("tag", total=1)
        run = tag_run(
            comments,
            cb,
            embedder=counting_embedder(emb, bar, "embedded (fit, then every segment)"),
            level=opts.level,
            threshold=opts.threshold,
            seed=opts.seed,
            include_interviewer=opts.include_interviewer,
            fit_sample=opts.fit_sample,
        )
        bar.advance(task, 1)
    return run, comments, cb, emb


def _summarise(run: Any, level: str, out: Path, *, quiet: bool) -> None:
    """The accounting, the top themes and the warnings, on the terminal."""
    acc = run.accounting.as_dict()
    if not acc["comments_in"]:
        info(f"0 comments: nothing to tag; wrote an empty table to {out}", quiet=quiet)
        return
    skipped = ", ".join(f"{k} {v}" for k, v in acc["skipped"].items())
    info(
        f"comments in {acc['comments_in']}: tagged {acc['tagged']}, uncoded {acc['uncoded']}, "
        f"skipped {sum(acc['skipped'].values())} ({skipped})",
        quiet=quiet,
    )
    from collections import Counter

    c: Counter[str] = Counter(_theme_lists(run.table, level))
    top = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    if top:
        info("top themes (comments): " + ", ".join(f"{t} {n}" for t, n in top), quiet=quiet)
    for line in run.warnings:
        typer.echo(f"warning: {line}", err=True)  # shown even with --quiet
    info(f"wrote {out}", quiet=quiet)


def _theme_lists(result: Any, level: str) -> list[str]:
    """Every (comment, theme) pair of a tags table as the theme id, for the top-themes line."""
    if level == "segment":
        tagged = result.loc[result["theme"].astype(str) != "uncoded"]
        pairs = tagged[["comment_id", "theme"]].astype(str).drop_duplicates()
        return pairs["theme"].tolist()
    themes = result.loc[result["status"].astype(str) == "tagged", "themes"]
    return [t for joined in themes.astype(str) for t in joined.split("|") if t]


def _write_run_manifest(
    out: Path,
    run: Any,
    comments: Any,
    *,
    codebook: Any,
    model: Any,
    inputs: list[Path],
    parameters: dict[str, Any],
) -> None:
    """``<out stem>.manifest.json`` beside the output: versions, hashes, settings, accounting."""
    from commentmine.export import build_manifest, write_manifest

    result = run.table
    manifest = build_manifest(
        tags=result if "theme" in result.columns else None,
        comments=comments,
        codebook=codebook,
        parameters=parameters,
        inputs=inputs,
        model=model,
    )
    manifest["data"]["accounting"] = run.accounting.as_dict()  # with the run's settings
    write_manifest(out.with_name(out.stem + ".manifest.json"), manifest, outputs={"tags": out})
