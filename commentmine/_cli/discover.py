"""``commentmine discover``: new themes as a draft codebook (and per-segment assignments)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import (
    EmbedderOpt,
    FastOpt,
    IdColOpt,
    InputArg,
    QuietOpt,
    RespondentColOpt,
    SheetOpt,
    TextColOpt,
    command,
    embedder_choice,
    info,
    read_input,
)
from commentmine._cli.scale import DiscoverSampleOpt, EngineOpt, SchedulerOpt, WorkersOpt


def _summary(found: Any, quotes: bool = True) -> list[str]:
    """The printed summary: a draft codebook (label, size, description, quotes per theme)."""
    themes = found.themes
    n_matched = int((themes["status"] == "matched").sum())
    n_emergent = len(themes) - n_matched
    lines = [
        f"{len(themes)} themes from {len(found.assignments):,} segments "
        f"({n_matched} matched, {n_emergent} emergent); "
        f"outliers {found.outlier_share:.1%}"
    ]
    by_id = {t.id: t for t in found.codebook.themes}
    left_out = found.codebook.meta.get("names_left_out")
    if left_out:
        lines.append(f"left out as names across all themes: {', '.join(left_out)}")
    for row in themes.itertuples(index=False):
        flag = f"matched {row.matched_codebook_theme}" if row.status == "matched" else "emergent"
        lines.append("")
        lines.append(f"{row.label}  [{row.id}, {row.size:,} segments, {flag}]")
        theme = by_id[row.id]
        if theme.description:
            lines.append(f"  {theme.description}")
        if quotes:
            for q in theme.examples:
                lines.append(f'  - "{_one_line(q)}"')
    return lines


def _one_line(text: str, width: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


@command("discover")
def discover_cmd(
    input: InputArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Draft codebook to write (.yaml).")],
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    codebook: Annotated[
        str | None,
        typer.Option(
            "--codebook",
            "-c",
            help="Existing codebook (file or built-in name): discovered themes are matched to "
            "it, its keywords guide the clustering.",
        ),
    ] = None,
    uncoded_only: Annotated[
        bool,
        typer.Option(
            "--uncoded-only",
            help="Tag with --codebook first and discover only on segments it left uncoded.",
        ),
    ] = False,
    n_themes: Annotated[
        int | None,
        typer.Option("--n-themes", help="Target number of themes (default: chosen from the data)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    embedder: EmbedderOpt = None,
    fast: FastOpt = False,
    stop_phrase: Annotated[
        list[str] | None,
        typer.Option(
            "--stop-phrase",
            help="A phrase to leave out of what discovery sees (repeatable), e.g. the name "
            "of the service the survey is about.",
        ),
    ] = None,
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            help="Cluster 'segment's (sentences), whole 'comment's, or 'auto': whole comments "
            "when the median comment has 100+ words.",
        ),
    ] = "auto",
    no_redact: Annotated[
        bool, typer.Option("--no-redact", help="Do not redact the quotes.")
    ] = False,
    no_seed_words: Annotated[
        bool,
        typer.Option(
            "--no-seed-words", help="Do not let the codebook's keywords guide clustering."
        ),
    ] = False,
    assignments: Annotated[
        Path | None,
        typer.Option(
            "--assignments",
            help="Also write each segment's theme (comment_id, segment_id, theme) as CSV.",
        ),
    ] = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = 2,
    sample: DiscoverSampleOpt = 20000,
    quiet: QuietOpt = False,
) -> None:
    """Discover themes in free text and write them as a draft codebook.

    Segments are embedded (without @handles, URLs, e-mails, numbers and the names spread
    across all themes), clustered (the same way every run for one --seed), near-duplicates
    merged, and each theme labelled with a noun phrase, a one-sentence description and its
    three most representative (redacted) quotes. The draft YAML can be edited and passed
    to `commentmine tag --codebook` as it is. With --codebook each theme is marked `matched`
    (to the nearest codebook theme) or `emergent` under its `meta:`. Segments that fit no
    theme get theme `outlier` in --assignments.
    """
    _check_outputs(out, assignments, uncoded_only=uncoded_only, codebook=codebook)
    comments = read_input(
        input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
    )
    from commentmine import errors
    from commentmine.embed import DEFAULT_EMBEDDER

    if engine not in ("local", "dask"):
        raise errors.bad_argument(f"--engine must be 'local' or 'dask', got {engine!r}.")
    embedder = embedder_choice(embedder, fast) or DEFAULT_EMBEDDER
    options: dict[str, Any] = dict(
        codebook=codebook,
        uncoded_only=uncoded_only,
        n_themes=n_themes,
        seed=seed,
        seed_words=not no_seed_words,
        stop_phrases=tuple(stop_phrase or ()),
        redact=not no_redact,
        unit=unit,
    )
    if engine == "dask":  # fit on a seeded sample, assign the rest on the workers
        from commentmine.scale import discover_dask

        found = discover_dask(
            comments,
            fit_sample=sample,
            scheduler=scheduler,
            n_workers=workers,
            progress=not quiet,
            embedder=embedder,
            **options,
        )
    else:
        found = _discover_here(comments, embedder, options, quiet)
    _write(found, out, assignments, quiet)


def _check_outputs(
    out: Path, assignments: Path | None, *, uncoded_only: bool, codebook: str | None
) -> None:
    """Fail before reading the input: an output that is a folder, assignments not .csv,
    --uncoded-only without --codebook."""
    from commentmine import errors

    for path in (out, assignments):
        if path is not None and path.is_dir():
            raise errors.is_directory(path)
    if assignments is not None and assignments.suffix.lower() != ".csv":
        raise errors.bad_discovery_option(
            f"cannot write {assignments.name!r}: --assignments must end in .csv."
        )
    if uncoded_only and codebook is None:
        raise errors.bad_discovery_option("--uncoded-only needs --codebook to tag with first.")


def _discover_here(comments: Any, embedder: Any, options: dict[str, Any], quiet: bool) -> Any:
    """Discovery in this process, with a progress bar counting the texts embedded."""
    from commentmine._discover import discover
    from commentmine._progress import counting_embedder, progress
    from commentmine.embed import select_embedder

    emb = select_embedder(embedder)
    with progress(quiet=quiet) as bar:
        task = bar.add_task("discover", total=1)
        found = discover(comments, embedder=counting_embedder(emb, bar, "embedded"), **options)
        bar.advance(task, 1)
    return found


def _write(found: Any, out: Path, assignments: Path | None, quiet: bool) -> None:
    """The draft codebook, the assignments when asked for, and the summary on stderr."""
    from commentmine._io import atomic_path, write_text_atomic

    write_text_atomic(out, found.codebook.to_yaml())
    if assignments is not None:
        with atomic_path(assignments) as tmp:
            found.assignments.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    for line in _summary(found):
        info(line, quiet=quiet)
    info(
        f"draft codebook -> {out}" + (f"; assignments -> {assignments}" if assignments else ""),
        quiet=quiet,
    )
