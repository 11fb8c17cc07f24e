"""``commentmine evaluate``, ``review-sample``, ``review-read`` and ``train``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import CodebookOpt, EmbedderOpt, OutOpt, QuietOpt, command, info

_TABLES = (".csv", ".parquet", ".jsonl", ".xlsx")


def _read_table(path: Path) -> Any:
    """Read a table written by another command (CSV/Parquet/JSONL/XLSX) as is."""
    import pandas as pd

    from commentmine import errors

    if not path.exists():
        raise errors.missing_file(path)
    ext = path.suffix.lower()
    try:
        if ext == ".csv":
            return pd.read_csv(path, keep_default_na=False, dtype={"comment_id": str})
        if ext == ".parquet":
            return pd.read_parquet(path)
        if ext == ".jsonl":
            return pd.read_json(path, lines=True, dtype={"comment_id": str})
        if ext == ".xlsx":
            return pd.read_excel(path, keep_default_na=False, dtype={"comment_id": str})
    except Exception as exc:  # noqa: BLE001 - one clear error for any parser failure
        raise errors.unreadable_file(path, str(exc)) from exc
    raise errors.unsupported_format(path, _TABLES)


def _write_json(out: Path, payload: Any) -> None:
    from commentmine._evaluate import metrics_json
    from commentmine._io import write_text_atomic

    write_text_atomic(out, metrics_json(payload))


@command("evaluate")
def evaluate_cmd(
    pred: Annotated[
        Path,
        typer.Argument(
            help="Machine (or first coder's) codes: the table of 'tag --level comment', the "
            "tags table, long/wide CSV or XLSX, or a REFI-QDA .qdpx."
        ),
    ],
    gold: Annotated[
        Path, typer.Argument(help="Human (or second coder's) codes, in any of the same shapes.")
    ],
    out: OutOpt,
    id_col: Annotated[
        str | None,
        typer.Option("--id-col", help="Unit id column in both tables (default: comment_id, id)."),
    ] = None,
    theme_col: Annotated[
        str | None,
        typer.Option("--theme-col", help="Theme column (default: themes, theme, labels ...)."),
    ] = None,
    level: Annotated[
        str,
        typer.Option(
            "--level",
            help="comment: one decision per unit x theme; segment: per character x theme "
            "(spans need start/end offsets).",
        ),
    ] = "comment",
    n_boot: Annotated[int, typer.Option("--n-boot", help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Agreement of PRED with GOLD: per-theme precision, recall, F1, kappa; micro/macro F1;
    Krippendorff's alpha; bootstrap 95% intervals. Writes JSON."""
    from commentmine._evaluate import evaluate, load_codes

    p = load_codes(pred, id_col=id_col, theme_col=theme_col)
    g = load_codes(gold, id_col=id_col, theme_col=theme_col)
    metrics = evaluate(p, g, level=level, n_boot=n_boot, seed=seed)
    _write_json(out, metrics)
    iv = metrics["intervals"].get("macro_f1", [float("nan")] * 2)
    info(
        f"{metrics['units']['total']} units, {len(metrics['per_theme'])} themes: "
        f"micro-F1 {metrics['micro_f1']:.3f}, macro-F1 {metrics['macro_f1']:.3f} "
        f"[{iv[0]:.3f}, {iv[1]:.3f}], alpha {metrics['krippendorff_alpha']:.3f} -> {out}",
        quiet=quiet,
    )


@command("review-sample")
def review_sample_cmd(
    tags: Annotated[Path, typer.Argument(help="Tags table written by 'commentmine tag'.")],
    out: OutOpt,
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            help="'respondent': a random sample of respondents to correct the published "
            "shares (report --review); 'segment': tags by theme and score band, for "
            "precision and recall per theme.",
        ),
    ] = "segment",
    n: Annotated[int, typer.Option("--n", help="Respondents to draw (--unit respondent).")] = 200,
    per_theme: Annotated[
        int, typer.Option("--per-theme", help="Tagged segments to check per theme.")
    ] = 20,
    uncoded: Annotated[
        int, typer.Option("--uncoded", help="Untagged segments to check (for recall).")
    ] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Write an XLSX review sheet with accept/reject/correct-theme: a random sample of
    respondents with the machine's themes (--unit respondent), or tags stratified by theme and
    score band plus random untagged segments (--unit segment)."""
    from commentmine.review import review_sample, write_review

    table = _read_table(tags)
    sample = review_sample(table, unit=unit, n=n, per_theme=per_theme, uncoded=uncoded, seed=seed)
    write_review(sample, out)
    info(f"{len(sample)} rows to review -> {out}", quiet=quiet)


@command("review-read")
def review_read_cmd(
    review: Annotated[Path, typer.Argument(help="The filled-in review sheet (.xlsx).")],
    out: OutOpt,
    tags: Annotated[
        Path | None,
        typer.Option("--tags", help="Tags table the sample came from (default: design sheet)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the intervals.")] = 0,
    quiet: QuietOpt = False,
) -> None:
    """Precision per theme (Wilson interval) and estimated recall from a reviewed sheet."""
    from commentmine.review import read_review, review_metrics

    table = _read_table(tags) if tags is not None else None
    metrics = review_metrics(read_review(review), tags=table, seed=seed)
    _write_json(out, metrics)
    info(
        f"{metrics['reviewed']} reviewed rows, pooled precision {metrics['precision']:.3f} -> "
        f"{out}",
        quiet=quiet,
    )


@command("train")
def train_cmd(
    coded: Annotated[Path, typer.Argument(help="Human-coded examples (CSV/XLSX/Parquet/JSONL).")],
    codebook: CodebookOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Theme model folder to write.")],
    text_col: Annotated[str, typer.Option("--text-col", help="Text column.")] = "text",
    id_col: Annotated[str | None, typer.Option("--id-col", help="Id column.")] = None,
    labels_col: Annotated[
        str, typer.Option("--labels-col", help="Theme ids joined by '|' ('' = no theme).")
    ] = "labels",
    embedder: EmbedderOpt = None,
    cv: Annotated[int, typer.Option("--cv", help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    unlabelled: Annotated[
        Path | None,
        typer.Option(
            "--unlabelled",
            help="Uncoded texts of the same kind (a table with the same --text-col, e.g. the "
            "rest of the survey): the codebook tagger and the thresholds learn from them too.",
        ),
    ] = None,
    tagger_examples: Annotated[
        int,
        typer.Option(
            "--tagger-examples",
            min=0,
            help="Coded texts per theme that also become the tagger's examples; the model "
            "folder keeps them verbatim (0: keep coded texts out of the folder).",
        ),
    ] = 20,
    quiet: QuietOpt = False,
) -> None:
    """Fit per-theme classifiers from coded examples plus the codebook (and its tagger, fitted
    on the coded and any unlabelled texts); save a theme model folder (no pickle) and report
    cross-validated scores."""
    from commentmine import errors
    from commentmine._training._public import train

    table = _read_table(coded)
    pool = None
    if unlabelled is not None:
        extra = _read_table(unlabelled)
        if text_col not in extra.columns:
            raise errors.missing_column(text_col, extra.columns)
        pool = [t for t in extra[text_col].fillna("").astype(str) if t.strip()]
    model = train(
        table,
        codebook,
        text_col=text_col,
        id_col=id_col,
        labels_col=labels_col,
        embedder=embedder,
        seed=seed,
        cv=cv,
        unlabelled=pool,
        tagger_examples=tagger_examples,
    )
    model.save(out)
    s = model.cv_scores_
    info(
        f"{s.get('n_rows', len(table))} rows, {len(model.themes_)} themes; cross-validated "
        f"micro-F1 {s.get('micro_f1', float('nan')):.3f}, macro-F1 "
        f"{s.get('macro_f1', float('nan')):.3f} -> {out}",
        quiet=quiet,
    )
