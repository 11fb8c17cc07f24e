"""``commentmine quotes`` and ``commentmine report``: the last two stages as commands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import (
    EmbedderOpt,
    IdColOpt,
    InputArg,
    QuietOpt,
    RespondentColOpt,
    SheetOpt,
    TextColOpt,
    command,
    info,
    read_input,
)
from commentmine._cli._options import with_options
from commentmine._quotes._options import QuoteOptions

NOpt = Annotated[int, typer.Option("--n", "-n", help="Quotes per theme.", min=1)]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Metadata column to spread quotes and break numbers down by."),
]
PerRespondentOpt = Annotated[
    int | None,
    typer.Option(
        "--per-respondent",
        help="Most quotes per theme from one respondent, each from a different turn. "
        "Default: 1, but up to --n for an interviewee (interview notes), spread evenly.",
        min=1,
    ),
]
MaxWordsOpt = Annotated[
    int, typer.Option("--max-words", help="Longest quote, in words (cut at a sentence end).", min=1)
]
MinScoreOpt = Annotated[
    float,
    typer.Option(
        "--min-score",
        help="Quote only segments tagged with at least this score (0.5 is the tagging "
        "threshold); a theme with fewer confident segments gets fewer quotes. 0 quotes any tag.",
        min=0.0,
        max=1.0,
    ),
]
AttributionOpt = Annotated[
    str | None,
    typer.Option(
        "--attribution",
        help='Attribution template from metadata columns, e.g. "{org_type}, {region}". '
        "Generalised when fewer than --min-cell respondents share it.",
    ),
]
ConsentOpt = Annotated[
    str | None,
    typer.Option(
        "--consent-col",
        help="Column marking respondents who must not be quoted (no/false/0/'do not quote'); "
        "they are still counted.",
    ),
]
NoConsentOpt = Annotated[
    bool,
    typer.Option(
        "--no-consent-col",
        help="Quote everyone, knowingly, even though a column looks like consent to quote "
        "(without --consent-col or this flag, such a column stops the run: E406).",
    ),
]
RedactLevelOpt = Annotated[
    str,
    typer.Option(
        "--redact-level",
        help="identifiers (contact details and people's names), names (default: also local "
        "organisations and small places) or strict (every named entity).",
    ),
]
AllowOpt = Annotated[
    list[str] | None,
    typer.Option("--allow", help="A phrase never to redact (repeatable); adds to the allow-list."),
]
TagsOpt = Annotated[
    Path | None,
    typer.Option(
        "--tags",
        help="Use this (edited) tags table (CSV/XLSX/Parquet/JSONL) instead of tagging INPUT, "
        "so an analyst's corrections win.",
    ),
]
ThemeOpt = Annotated[
    list[str] | None, typer.Option("--theme", help="Only this theme (repeat for several).")
]
NoRedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact/--no-redact",
        help="Redact names, emails, phones, addresses (default: on), with a redaction log "
        "beside the output.",
    ),
]


def _consent(consent_col: str | None, no_consent_col: bool) -> str | bool | None:
    if consent_col and no_consent_col:
        from commentmine import errors

        raise errors.bad_argument("give --consent-col or --no-consent-col, not both.")
    return False if no_consent_col else consent_col


def _redact_level(redact: bool, level: str) -> bool | str:
    from commentmine._redacted import resolve_level

    return resolve_level(level) if redact else False


NameOpt = Annotated[
    list[str] | None, typer.Option("--name", help="A person's name to redact (repeatable).")
]
OrgOpt = Annotated[
    list[str] | None, typer.Option("--org", help="An organisation name to redact (repeatable).")
]
MinCellOpt = Annotated[
    int,
    typer.Option("--min-cell", help="Disclosure control: smallest group shown.", min=1),
]

OptCodebookOpt = Annotated[
    str | None,
    typer.Option(
        "--codebook", "-c", help="Codebook file (YAML/CSV/XLSX) or built-in name (or --model)."
    ),
]
ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Theme model folder from 'commentmine train': tag INPUT with it (replaces "
        "--codebook: the model carries its own). Its tags are the better quotes' source.",
    ),
]

#: Columns of the ``quotes`` command's CSV: those of :func:`commentmine.quotes` but the segment
#: id (``score`` is the tag score of the quoted segment, as in the library and the XLSX).
QUOTE_CSV_COLUMNS = [
    "theme",
    "rank",
    "comment_id",
    "start",
    "end",
    "text",
    "attribution",
    "score",
]


def read_tags(path: Path) -> Any:
    """Read a tags table written by ``commentmine tag`` (and perhaps edited by hand)."""
    import pandas as pd

    from commentmine import errors

    if not path.exists():
        raise errors.missing_file(path)
    ext = path.suffix.lower()
    try:
        if ext == ".csv":
            df = pd.read_csv(path, keep_default_na=False, dtype=str)
        elif ext in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, dtype=str).fillna("")
        elif ext == ".parquet":
            df = pd.read_parquet(path)
        elif ext in (".jsonl", ".json"):
            df = pd.read_json(path, lines=ext == ".jsonl", dtype=False)
        else:
            raise errors.unsupported_format(path, [".csv", ".xlsx", ".parquet", ".jsonl"])
    except (ValueError, OSError) as exc:
        raise errors.unreadable_file(path, str(exc)) from exc
    missing = [c for c in ("comment_id", "segment_id", "start", "end", "theme") if c not in df]
    if missing:
        raise errors.not_tags_table(missing, df.columns)
    df = df.copy()
    df["theme"] = df["theme"].astype(str).str.strip()
    df = df[df["theme"] != ""]
    for col in ("start", "end"):
        df[col] = pd.to_numeric(df[col], errors="raise").astype(int)
    if "score" not in df.columns:
        df["score"] = 1.0
    df["score"] = pd.to_numeric(df["score"], errors="coerce").fillna(1.0).astype(float)
    if "text" not in df.columns:
        df["text"] = ""
    return df.reset_index(drop=True)


def check_columns(
    comments: Any, *, attribution: str | None, by: str | None, consent_col: str | None
) -> None:
    """Fail before tagging when --attribution, --by or --consent-col names a missing column.

    Tagging a large file takes a while; a typo in a column name should not cost that wait.
    Only metadata columns that hold some value are offered in the message.
    """
    import string

    from commentmine import errors

    columns = [str(c) for c in comments.columns]
    filled = [
        c
        for c in columns
        if comments[c].astype(str).str.strip().ne("").any() and c != "is_interviewer"
    ]
    if attribution:
        try:
            fields = [f for _l, f, _s, _c in string.Formatter().parse(attribution) if f]
        except ValueError as exc:
            raise errors.bad_argument(
                f"--attribution {attribution!r} is not a template ({exc}); write fields as "
                "'{column}', e.g. \"{org_type}, {region}\"."
            ) from exc
        missing = [f for f in fields if f not in columns]
        if missing:
            raise errors.bad_template(attribution, missing, filled)
    for col, what in ((by, "--by column"), (consent_col, "--consent-col column")):
        if col is not None and col not in columns:
            usable = [c for c in filled if c not in errors.TABLE_COLUMNS]
            raise errors.missing_column(col, usable, what=what)


def _codebook_and_model(
    codebook: str | None, model: Path | None, embedder: str | None
) -> tuple[Any, Any]:
    """The codebook to quote and report against, and the theme model when ``--model`` is given."""
    from commentmine import errors
    from commentmine.codebook import load_codebook

    if model is not None:
        if codebook:
            raise errors.bad_argument(
                "give --codebook or --model, not both (the model carries its own codebook)."
            )
        from commentmine._training._public import load_theme_model

        tm = load_theme_model(model, embedder=embedder)
        return tm.codebook_, tm
    if not codebook:
        raise errors.bad_argument("give --codebook (or --model, a trained theme model).")
    return load_codebook(codebook), None


def _tags_for(
    comments: Any,
    codebook: Any,
    tags_path: Path | None,
    embedder: str | None,
    quiet: bool,
    model: Any = None,
) -> tuple[Any, tuple[str, ...]]:
    """The tags of a run, and the codebook tagger's warnings about them (none for read or
    model tags)."""
    if tags_path is not None:
        tags = read_tags(tags_path)
        known = set(comments["comment_id"].astype(str))
        stray = sorted(set(tags["comment_id"].astype(str)) - known)
        if stray:
            from commentmine import errors

            raise errors.bad_argument(
                f"--tags names {len(stray)} comment id(s) not in INPUT (e.g. {stray[0]!r}); "
                "give the same INPUT, --text-col and --id-col the tags were made from."
            )
        # carry respondent metadata from INPUT for attribution/grouping
        texts = dict(zip(comments["comment_id"].astype(str), comments["text"], strict=True))
        bad = [
            r.segment_id
            for r in tags.itertuples(index=False)
            if r.text and str(texts.get(str(r.comment_id), ""))[r.start : r.end] != r.text
        ]
        if bad:
            from commentmine import errors

            raise errors.bad_argument(
                f"--tags offsets do not match INPUT for {len(bad)} segment(s) (e.g. {bad[0]!r}); "
                "edit the theme column only, not start/end/text."
            )
        info(f"using {len(tags):,} tag rows from {tags_path}", quiet=quiet)
        return tags, ()
    if model is not None:
        tags = model.tag(comments)
        info(f"tagged {tags['segment_id'].nunique():,} segments with the model", quiet=quiet)
        return tags, ()
    from commentmine._tagging._public import tag_run

    run = tag_run(comments, codebook, embedder=embedder)
    info(f"tagged {run.table['segment_id'].nunique():,} segments", quiet=quiet)
    return run.table, run.warnings


@dataclass(frozen=True)
class Source:
    """Where a command's tags come from: INPUT read as every command reads it, tagged with
    the codebook or a theme model, or an (edited) tags table."""

    input: Path
    codebook: str | None
    model: Path | None
    text_col: list[str] | None
    id_col: str | None
    respondent_col: str | None
    sheet: str | None
    tags: Path | None
    embedder: str | None
    quiet: bool

    def inputs(self) -> list[Path]:
        """The files the output depends on (hashed into the manifest)."""
        return (
            [self.input]
            + ([self.tags] if self.tags else [])
            + ([self.model / "weights.npz"] if self.model else [])
        )


def source_options(
    input: InputArg,
    codebook: OptCodebookOpt = None,
    model: ModelOpt = None,
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    tags: TagsOpt = None,
    embedder: EmbedderOpt = None,
    quiet: QuietOpt = False,
) -> Source:
    """The input options of ``quotes`` and ``report``."""
    return Source(
        input, codebook, model, text_col, id_col, respondent_col, sheet, tags, embedder, quiet
    )


def quote_options(
    n: NOpt = QuoteOptions.n,
    by: ByOpt = None,
    per_respondent: PerRespondentOpt = None,
    max_words: MaxWordsOpt = QuoteOptions.max_words,
    min_score: MinScoreOpt = QuoteOptions.min_score,
    attribution: AttributionOpt = None,
    consent_col: ConsentOpt = None,
    no_consent_col: NoConsentOpt = False,
    redact: NoRedactOpt = True,
    redact_level: RedactLevelOpt = "names",
    name: NameOpt = None,
    org: OrgOpt = None,
    allow: AllowOpt = None,
    min_cell: MinCellOpt = QuoteOptions.min_cell,
) -> QuoteOptions:
    """The quote options of ``quotes`` and ``report``, as the library's QuoteOptions."""
    return QuoteOptions(
        n=n,
        by=by,
        per_respondent=per_respondent,
        max_words=max_words,
        min_score=min_score,
        attribution=attribution,
        consent_col=_consent(consent_col, no_consent_col),
        min_cell=min_cell,
        redact=_redact_level(redact, redact_level),
        names=tuple(name or ()),
        orgs=tuple(org or ()),
        allow=tuple(allow or ()),
    )


def _read_and_tag(src: Source, quoting: QuoteOptions) -> tuple[Any, Any, Any, tuple[str, ...]]:
    """Comments, codebook, tags and the tagger's warnings of a run; column names are checked
    before tagging."""
    cb, tm = _codebook_and_model(src.codebook, src.model, src.embedder)
    comments = read_input(
        src.input,
        src.text_col,
        src.id_col,
        src.sheet,
        respondent_col=src.respondent_col,
        quiet=src.quiet,
    )
    consent = quoting.consent_col
    check_columns(
        comments,
        attribution=quoting.attribution,
        by=quoting.by,
        consent_col=consent if isinstance(consent, str) else None,
    )
    if consent is None:  # fail before tagging when a consent column is there but unnamed
        from commentmine._quotes._public import check_consent

        check_consent(comments, None)
    tags, warnings = _tags_for(comments, cb, src.tags, src.embedder, src.quiet, tm)
    return comments, cb, tags, warnings


@command("quotes")
@with_options(src=source_options, quoting=quote_options)
def quotes_cmd(
    src: Source,
    quoting: QuoteOptions,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output CSV of quotes.")],
    theme: ThemeOpt = None,
) -> None:
    """Pick representative, varied, redacted quotes per theme and write them as CSV.

    Tags INPUT with the codebook or a trained --model (or reads --tags), then per theme ranks
    segments by score and centrality, picks with diversity (one per respondent, spread over
    --by groups, both sides of a theme with sub-themes), trims to whole sentences and redacts.
    Writes theme, rank, comment_id, start, end, text, attribution, plus a manifest and the
    redaction log (OUT.redactions.csv, and a check file with the original text for the
    analyst only) beside the file.
    """
    from commentmine import errors
    from commentmine._io import atomic_path
    from commentmine._quotes._public import quotes
    from commentmine.embed import select_embedder
    from commentmine.export import build_manifest, neutralise, write_manifest

    if out.is_dir():
        raise errors.is_directory(out)
    if out.suffix.lower() != ".csv":
        raise errors.bad_argument(f"cannot write {out.name!r}: --out must end in .csv")
    comments, cb, tag_table, _warnings = _read_and_tag(src, quoting)
    q = quotes(
        tag_table,
        cb,
        theme=theme or None,
        comments=comments,
        embedder=src.embedder,
        options=quoting,
    )
    table = q[QUOTE_CSV_COLUMNS].copy()
    for col in ("theme", "comment_id", "text", "attribution"):
        table[col] = table[col].map(neutralise)
    with atomic_path(out) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")
    outputs = {"csv": out}
    if quoting.redact:
        from commentmine.export._redaction_log import write_quote_redaction_log

        outputs.update(
            write_quote_redaction_log(
                q,
                comments,
                out,
                redact=quoting.redact,
                names=quoting.names,
                orgs=quoting.orgs,
                allow=quoting.allow,
            )
        )
    manifest = build_manifest(
        model=select_embedder(src.embedder),
        tags=tag_table,
        comments=comments,
        codebook=cb,
        inputs=src.inputs(),
        parameters={
            "command": "quotes",
            "n": quoting.n,
            "by": quoting.by,
            "per_respondent": quoting.per_respondent,
            "max_words": quoting.max_words,
            "min_score": quoting.min_score,
            "attribution": quoting.attribution,
            "consent_col": quoting.consent_col,
            "theme": theme,
            "embedder": src.embedder,
            "redact": quoting.redact,
            "min_cell": quoting.min_cell,
            "tags": str(src.tags) if src.tags else None,
            "model": str(src.model) if src.model else None,
        },
    )
    write_manifest(out.with_name(out.stem + ".manifest.json"), manifest, outputs=outputs)
    info(f"{len(q):,} quotes for {q['theme'].nunique():,} themes -> {out}", quiet=src.quiet)


@command("report")
@with_options(src=source_options, quoting=quote_options)
def report_cmd(
    src: Source,
    quoting: QuoteOptions,
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Folder to write into.")],
    formats: Annotated[
        str,
        typer.Option("--formats", help="Comma-separated: md, html, docx, xlsx, qdpx, csv."),
    ] = "md,html,docx,xlsx,qdpx",
    title: Annotated[str, typer.Option("--title", help="Report title.")] = (
        "Themes in the comments"
    ),
    locale: Annotated[
        str,
        typer.Option(
            "--locale",
            help="Readers' locale: sets the Word report's paper (A4; US Letter for en-US, "
            "en-CA, ...).",
        ),
    ] = "en-GB",
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            help="A filled-in review sheet (review-sample --unit respondent): the shares "
            "shown are corrected for the tagging error it measures.",
        ),
    ] = None,
    views: Annotated[
        bool,
        typer.Option(
            "--views",
            help="Add each theme's range of views (cases per view, one quote per view; see "
            "'commentmine framework'; the cases are the respondents or interview files).",
        ),
    ] = False,
) -> None:
    """Write the report: Markdown, self-contained HTML, Word, Excel and a REFI-QDA project.

    Tags INPUT with the codebook or a trained --model (or reads --tags), then writes report.md
    (+ report_files/), report.html, report.docx, quotes.xlsx, project.qdpx (and quotes.csv
    with --formats csv) into --out-dir with manifest.json beside them. Every format is
    redacted by default, with redactions.csv (the log) and a check file holding the original
    text for the analyst only.
    """
    from commentmine.export import ReportOptions, report

    opts = ReportOptions(  # a bad --locale or --formats fails before tagging
        quoting=quoting,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        title=title,
        locale=locale,
    )
    review_sheet = None
    if review is not None:  # a bad review sheet fails before tagging
        from commentmine.review import read_review

        review_sheet = read_review(review)
    comments, cb, tag_table, tag_warnings = _read_and_tag(src, quoting)
    fw = None
    if views:
        from commentmine._framework._public import framework

        fw = framework(
            tag_table,
            comments,
            cb,
            redact=bool(quoting.redact),
            names=quoting.names,
            orgs=quoting.orgs,
            embedder=src.embedder,
        )
    paths = report(
        tag_table,
        comments,
        cb,
        out_dir,
        embedder=src.embedder,
        inputs=src.inputs() + ([review] if review else []),
        review=review_sheet,
        options=opts,
        framework=fw,
    )
    if not src.quiet:
        _print_theme_table(tag_table, comments, cb, review_sheet)
    for line in tag_warnings:
        typer.echo(f"warning: {line}", err=True)
    for fmt, path in paths.items():
        info(f"{fmt:>8}: {path}", quiet=src.quiet)


def _print_theme_table(tags: Any, comments: Any, codebook: Any, review: Any = None) -> None:
    """The overview on stdout: each theme's respondents and share with its 95% interval
    (corrected by the review when one is given), then what the shares are."""
    from commentmine.export._data import MACHINE_ESTIMATE, _corrected
    from commentmine.stats import prevalence

    prev = prevalence(tags, comments, codebook)
    note = MACHINE_ESTIMATE
    if review is not None:
        prev, note = _corrected(prev, review)
    rows = [("theme", "respondents", "share (95% CI)", "base")]
    for r in prev.itertuples(index=False):
        name = f"  {r.theme}" if r.parent else str(r.theme)
        share = f"{r.share:.0%} ({r.ci_low:.0%}-{r.ci_high:.0%})"
        rows.append((name, str(r.respondents), share, str(r.base)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        typer.echo(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    typer.echo(f"note: {note}", err=True)
