"""The typer app, shared options and the error boundary of the CLI.

Command modules import ``app`` from here and decorate their functions with ``@command``, which
turns any :class:`~commentmine.errors.CommentmineError` into one line on stderr and exit 2
(never a traceback). Heavy imports happen inside command bodies, so ``--help`` is instant.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

try:  # typer vendors its own click (typer._click); older releases use click itself
    from typer._click import exceptions as _click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as _click_exc  # type: ignore[no-redef]


class _OneLineUsageError(_click_exc.ClickException):
    """A usage error shown as one line on stderr (exit 2), like every other CLI error."""

    exit_code = 2

    def __init__(self, error: Any) -> None:
        super().__init__(error.format_message())
        ctx = error.ctx
        self.help_hint = f" See '{ctx.command_path} --help'." if ctx is not None else ""

    def show(self, file: Any = None) -> None:
        message = " ".join(self.format_message().split())
        end = "" if message.endswith((".", "?", "!")) else "."
        typer.echo(f"commentmine: error: {message}{end}{self.help_hint}", err=True)


class _Group(TyperGroup):
    """Typer's group with click's three-line usage errors turned into one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _click_exc.UsageError as exc:
            raise _OneLineUsageError(exc) from exc

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _click_exc.UsageError as exc:
            raise _OneLineUsageError(exc) from exc


app = typer.Typer(
    name="commentmine",
    cls=_Group,
    help="Mine free-text comments offline: read, segment, tag with a codebook, discover "
    "themes, pull quotes, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print one line to stderr and exit with ``code``."""
    typer.echo(f"commentmine: error: {message}", err=True)
    raise typer.Exit(code)


def guarded(fn: F) -> F:
    """Wrap a command so library errors become one line and exit 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import warnings

        from commentmine._checks import TaggingWarning
        from commentmine.errors import CommentmineError

        try:
            with warnings.catch_warnings():
                # commands print these themselves, as one 'warning:' line each
                warnings.simplefilter("ignore", TaggingWarning)
                return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except CommentmineError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted; no output was written", 130)
        except (OSError, ValueError, UnicodeError) as exc:
            if os.environ.get("COMMENTMINE_DEBUG"):
                raise
            fail(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
            if os.environ.get("COMMENTMINE_DEBUG"):
                raise
            fail(f"unexpected {type(exc).__name__}: {exc} (set COMMENTMINE_DEBUG=1 for details)", 1)

    return wrapper  # type: ignore[return-value]


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """``app.command`` + :func:`guarded`."""

    def deco(fn: F) -> F:
        app.command(*args, **kwargs)(guarded(fn))
        return fn

    return deco


def info(message: str, *, quiet: bool = False) -> None:
    """Print a progress/summary line to stderr unless quiet."""
    if not quiet:
        typer.echo(message, err=True)


# --- shared option types ---------------------------------------------------------------

InputArg = Annotated[
    Path,
    typer.Argument(
        help="Survey export (CSV/XLSX/JSON/JSONL/Parquet) or "
        "interview notes (TXT/MD/DOCX, or a folder of them)."
    ),
]
TextColOpt = Annotated[
    list[str] | None,
    typer.Option("--text-col", help="Free-text column (repeat for several). Omit to detect."),
]
IdColOpt = Annotated[
    str | None,
    typer.Option(
        "--id-col",
        help="Column with a unique id per row (default: row number). It is also the "
        "respondent unless --respondent-col is given.",
    ),
]
RespondentColOpt = Annotated[
    str | None,
    typer.Option(
        "--respondent-col",
        help="Column naming the respondent when a file has one row per answer (it may "
        "repeat); shares are counted per respondent.",
    ),
]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name or 0-based index.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output file.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")]
CodebookOpt = Annotated[
    str,
    typer.Option("--codebook", "-c", help="Codebook file (YAML/CSV/XLSX) or built-in name."),
]
EmbedderOpt = Annotated[
    str | None,
    typer.Option(
        "--embedder",
        help="Embedding backend name or model folder (default: minilm-onnx, full MiniLM "
        "through onnxruntime; 'static' is the bundled static model).",
    ),
]
FastOpt = Annotated[
    bool,
    typer.Option(
        "--fast",
        help="Embed with the bundled static model: about ten times faster, less accurate "
        "(same as --embedder static).",
    ),
]


def embedder_choice(embedder: str | None, fast: bool) -> str | None:
    """``--embedder`` and ``--fast`` as one embedder spec (None: the library's default)."""
    if fast and embedder is not None:
        from commentmine import errors

        raise errors.bad_argument("give --fast or --embedder, not both.")
    if fast:
        from commentmine.embed import FAST_EMBEDDER

        return FAST_EMBEDDER
    return embedder


def read_input(
    path: Path,
    text_col: list[str] | None,
    id_col: str | None,
    sheet: str | None = None,
    *,
    respondent_col: str | None = None,
    quiet: bool = False,
) -> Any:
    """Read INPUT the same way in every command; say which text columns were detected."""
    from commentmine.ingest import read

    sheet_arg: str | int | None = sheet
    if sheet is not None and sheet.isdigit():
        sheet_arg = int(sheet)
    comments = read(
        path,
        text_cols=text_col or None,
        id_col=id_col,
        respondent_col=respondent_col,
        sheet=sheet_arg,
    )
    detected = comments.attrs.get("detected_text_cols")
    if not text_col and detected:
        info(f"free-text columns detected: {', '.join(detected)}", quiet=quiet)
    if "note" in comments.attrs:
        info(f"note: {comments.attrs['note']}", quiet=quiet)
    return comments


def stdout_is_tty() -> bool:
    return sys.stderr.isatty()
