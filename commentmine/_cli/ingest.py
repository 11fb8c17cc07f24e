"""``commentmine read`` and ``commentmine segment``: the first two stages as commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import (
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

#: Table formats written by :func:`write_table`, by file extension.
TABLE_FORMATS = (".csv", ".parquet", ".jsonl")

RedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact/--no-redact",
        help="Replace names, emails, phone numbers ... in the text before writing "
        "(working tables keep the source text by default).",
    ),
]


def write_table(df: Any, path: Path) -> None:
    """Write a table atomically as CSV, Parquet or JSONL, chosen by ``path``'s extension.

    CSV is UTF-8 with CRLF line ends (RFC 4180) and no index; JSONL is one UTF-8 object per
    line.
    Raises E301 for any other extension.
    """
    from commentmine import errors
    from commentmine._io import atomic_path

    ext = path.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise errors.bad_argument(
            f"cannot write {path.name!r}: --out must end in {', '.join(TABLE_FORMATS)}."
        )
    with atomic_path(path) as tmp:
        if ext == ".csv":
            # CRLF line ends (RFC 4180): the csv writer then quotes every field holding "\r" or
            # "\n"; with "\n" alone a bare "\r" inside a comment would split its row on reading.
            df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")
        elif ext == ".parquet":
            df.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            df.to_json(tmp, orient="records", lines=True, force_ascii=False)


def _check_out(out: Path) -> None:
    from commentmine import errors

    if out.is_dir():
        raise errors.is_directory(out)
    if out.suffix.lower() not in TABLE_FORMATS:
        raise errors.bad_argument(
            f"cannot write {out.name!r}: --out must end in {', '.join(TABLE_FORMATS)}."
        )


def _redact_comments(comments: Any) -> Any:
    from commentmine._redact._public import redact

    comments = comments.copy()
    ok = comments["status"] == "ok"
    comments.loc[ok, "text"] = [redact(t) for t in comments.loc[ok, "text"]]
    return comments


def comments_summary(comments: Any) -> str:
    """One line: comments, respondents and counts by status."""
    counts = comments["status"].value_counts()
    by_status = ", ".join(f"{s} {int(counts.get(s, 0)):,}" for s in ("ok", "empty", "non_answer"))
    n_resp = comments["respondent_id"].nunique()
    return (
        f"{len(comments):,} comments from {n_resp:,} respondent{'s' * (n_resp != 1)} ({by_status})"
    )


@command("read")
def read_cmd(
    input: InputArg,
    out: OutOpt,
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    redact: RedactOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Read a survey export or interview notes into the comments table.

    One row per (respondent, free-text question) or per interview speaker turn, with
    comment_id, respondent_id, question, text, source, status (ok / empty / non_answer),
    speaker, is_interviewer and every metadata column. --out may end in .csv, .parquet or
    .jsonl.
    """
    _check_out(out)
    comments = read_input(
        input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
    )
    if redact:
        comments = _redact_comments(comments)
    write_table(comments, out)
    info(f"read {comments_summary(comments)} -> {out}", quiet=quiet)


@command("segment")
def segment_cmd(
    input: InputArg,
    out: OutOpt,
    text_col: TextColOpt = None,
    id_col: IdColOpt = None,
    respondent_col: RespondentColOpt = None,
    sheet: SheetOpt = None,
    include_interviewer: Annotated[
        bool,
        typer.Option(
            "--include-interviewer/--exclude-interviewer",
            help="Keep or leave out interviewer turns (default: keep).",
        ),
    ] = True,
    redact: RedactOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Split comments into sentences, bullets and lines: the segments table.

    INPUT is a survey export, interview notes or a comments table written by
    `commentmine read`. Each segment keeps its character offsets into the comment text, its
    lemmas (acronyms expanded for matching) and every metadata column. --out may end in .csv,
    .parquet or .jsonl.
    """
    _check_out(out)
    from commentmine._segment import segment

    comments = read_input(
        input, text_col, id_col, sheet, respondent_col=respondent_col, quiet=quiet
    )
    if redact:
        comments = _redact_comments(comments)
    segments = segment(comments, include_interviewer=include_interviewer)
    write_table(segments, out)
    info(
        f"segmented {comments_summary(comments)} into {len(segments):,} segments -> {out}",
        quiet=quiet,
    )
