"""``commentmine framework``: the evaluator's framework matrix (cases x themes) as files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from commentmine._cli.report import (
    AllowOpt,
    ConsentOpt,
    ModelOpt,
    NameOpt,
    NoConsentOpt,
    NoRedactOpt,
    OptCodebookOpt,
    OrgOpt,
    RedactLevelOpt,
    TagsOpt,
    _codebook_and_model,
    _consent,
    _redact_level,
    _tags_for,
)

CaseColOpt = Annotated[
    str | None,
    typer.Option(
        "--case-col",
        help="Column that defines the cases (rows of the matrix), e.g. organisation or role. "
        "Default: respondent_id (one case per survey respondent or interview file).",
    ),
]
ViewsOpt = Annotated[
    str,
    typer.Option(
        "--views",
        help="Views per theme without sub-themes: a number (default 3, fewer for small "
        "themes), 'silhouette' (2-4, chosen per theme) or 'polarity' (two positions seeded by "
        "the sentiment lexicon).",
    ),
]


@command("framework")
def framework_cmd(
    input: InputArg,
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Folder to write into.")],
    codebook: OptCodebookOpt = None,
    model: ModelOpt = None,
    case_col: CaseColOpt = None,
    consent_col: ConsentOpt = None,
    no_consent_col: NoConsentOpt = False,
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    formats: Annotated[
        str, typer.Option("--formats", help="Comma-separated: xlsx, docx, html, qdpx.")
    ] = "xlsx,docx,html,qdpx",
    views: ViewsOpt = "3",
    tags: TagsOpt = None,
    title: Annotated[str, typer.Option("--title", help="Appendix title.")] = "Framework matrix",
    embedder: EmbedderOpt = None,
    redact: NoRedactOpt = True,
    redact_level: RedactLevelOpt = "names",
    name: NameOpt = None,
    org: OrgOpt = None,
    allow: AllowOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write a framework matrix: one row per case, one column per theme, with the evidence.

    Tags INPUT with the codebook or a trained --model (or reads --tags), then writes
    framework.xlsx (a summary matrix, one sheet per theme group with every case's verbatim,
    redacted evidence and references, the range of views, the cases' metadata),
    framework_appendix.docx / .html (the range of views and the summaries) and framework.qdpx
    (REFI-QDA: the same cases and codes) into --out-dir, with framework_manifest.json and,
    when redacting, framework_redactions.csv (no original text) beside the analyst's
    framework_redactions_CHECK_original_text_not_for_sharing.csv. Interviewer turns are never
    evidence.
    """
    from commentmine import errors
    from commentmine._framework._public import framework
    from commentmine._quotes._public import check_consent
    from commentmine.export import FRAMEWORK_FORMATS, write_framework

    fmts = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    for f in fmts:
        if f not in FRAMEWORK_FORMATS:
            raise errors.unknown_format(f, FRAMEWORK_FORMATS)
    n_views: str | int = views.strip().lower()
    if str(n_views).isdigit():
        n_views = int(n_views)
        if not 1 <= n_views <= 10:
            raise errors.bad_argument(f"--views {views}: give a number from 1 to 10.")
    elif n_views not in ("silhouette", "polarity"):
        raise errors.bad_argument(f"--views {views!r}: give a number, 'silhouette' or 'polarity'.")
    consent = _consent(consent_col, no_consent_col)
    level = _redact_level(redact, redact_level)
    cb, tm = _codebook_and_model(codebook, model, embedder)
    comments = read_input(
        input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
    )
    if case_col is not None and case_col not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(case_col, usable + ["respondent_id"], what="--case-col column")
    consent = check_consent(comments, consent)  # before any tagging
    if consent is not None and consent not in comments.columns:
        usable = [c for c in map(str, comments.columns) if c not in errors.TABLE_COLUMNS]
        raise errors.missing_column(consent, usable, what="--consent-col column")
    tag_table, _warnings = _tags_for(comments, cb, tags, embedder, quiet, tm)
    fw = framework(
        tag_table,
        comments,
        cb,
        case_col=case_col,
        redact=level,
        names=tuple(name or ()),
        orgs=tuple(org or ()),
        allow=tuple(allow or ()),
        embedder=embedder,
        n_views=n_views,
        consent_col=False if consent is None else consent,
    )
    inputs = [input] if input.is_file() else sorted(p for p in input.iterdir() if p.is_file())
    paths = write_framework(
        fw,
        out_dir,
        formats=fmts,
        title=title,
        inputs=inputs + ([tags] if tags else []),
    )
    info(
        f"{len(fw.cases):,} cases x {fw.cells['theme'].nunique():,} themes, "
        f"{len(fw.cells):,} cells, {len(fw.views):,} views",
        quiet=quiet,
    )
    for fmt, path in paths.items():
        info(f"{fmt:>8}: {path}", quiet=quiet)
