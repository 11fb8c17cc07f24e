"""``commentmine codebook validate|show|init``: check, list and start codebooks."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from commentmine._cli._app import EXIT_USAGE, app, guarded

codebook_app = typer.Typer(
    name="codebook",
    help="Check, list and start codebooks (YAML, CSV/XLSX or a built-in name such as vcse-pcc).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(codebook_app, name="codebook")

SourceArg = Annotated[
    str,
    typer.Argument(
        help="Codebook file (YAML, CSV, XLSX) or built-in name (e.g. vcse-pcc).",
        metavar="PATH_OR_NAME",
    ),
]

TEMPLATE = """\
# A commentmine codebook. Check it with:  commentmine codebook validate {filename}
#
# name          short name of the codebook (required)
# description   optional free text
# meta          optional mapping; anything under it is kept as is and not checked
# themes        a list of themes, each a mapping with these keys (only `id` is required):
#   id            unique; any text without '|' or ';' (spaces are fine). `uncoded` and
#                 `outlier` are reserved.
#   label         human-readable name (default: the id, '_' as spaces, first letter capital)
#   description   what the theme covers, in one to three plain sentences
#   keywords      words or phrases, matched on lemmas ("barriers" also matches "barrier");
#                 `*` is a wildcard inside a word ("tender*": tender, tendering, tendered) or,
#                 on its own, any one word ("in * capacity")
#   exclude       phrases whose presence vetoes the theme for a sentence
#   examples      a few short quotes that show the theme
#   parent        id of a parent theme: sub-themes are reported by name, counted in the parent
#   threshold     optional number in [0, 1]: this theme's decision threshold
#   meta          optional mapping, kept as is
#
# A spreadsheet works too: one row per theme, columns id (or theme), label, description,
# keywords, exclude, examples, parent, threshold; separate list items with ';'.
name: my-codebook
description: Themes of the open questions in our member survey.
meta:
  owner: research team

themes:
  - id: funding
    label: Funding
    description: >-
      Getting money for the work: grants, contracts and tenders, the size and length of
      funding, and the effort bidding takes.
    keywords: [grant, contract*, tender*, short-term fund*, bid*]
    exclude: [Charity Commission]
    examples:
      - The tender took three weeks to write for a one-year contract.
      - Small grants have all but disappeared.

  - id: partnership
    label: Partnership working
    description: Organisations working together through networks, consortia and joint bids.
    keywords: [partnership, collaborat*, consorti*, network*, joint bid*]
    examples:
      - Our consortium let five small charities bid together.

  - id: partnership_strain
    label: Strain in partnerships
    parent: partnership
    description: Partners competing for the same funding, or partnerships that fall apart.
    keywords: [compete, same pot of money, rival*]
    threshold: 0.6
    examples:
      - We are asked to collaborate with the charities we bid against.
"""


@contextmanager
def _notes() -> Iterator[None]:
    """Show codebook notes (CodebookWarning) as ``note:`` lines on stderr."""
    from commentmine.codebook import CodebookWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CodebookWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, CodebookWarning):
                    typer.echo(f"note: {w.message}", err=True)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _plain_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sub(name: str, fn: Callable[..., Any], help_text: str) -> None:
    codebook_app.command(name, help=help_text)(guarded(fn))


def validate_cmd(source: SourceArg) -> None:
    from commentmine.codebook import load_codebook
    from commentmine.errors import CodebookError

    try:
        with _notes():
            cb = load_codebook(source)
    except CodebookError as exc:
        if not exc.problems:
            raise
        for problem in exc.problems:
            typer.echo(problem)
        n = len(exc.problems)
        typer.echo(
            f"commentmine: error: [{exc.code}] codebook {source!r}: {n} problem{'s' * (n != 1)}",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE) from None
    subs = sum(t.parent is not None for t in cb.themes)
    extra = f", {subs} sub-theme{'s' * (subs != 1)}" if subs else ""
    typer.echo(f"ok: {len(cb)} themes{extra} ({cb.name})")


def show_cmd(
    source: SourceArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (id, parent, label and counts), yaml (the whole codebook) or csv "
            "(spreadsheet layout).",
        ),
    ] = "table",
) -> None:
    from commentmine import errors
    from commentmine.codebook import load_codebook

    formats = ("table", "yaml", "csv")
    if fmt not in formats:
        raise errors.bad_argument(f"--format must be one of {', '.join(formats)}, not {fmt!r}")
    with _notes():
        cb = load_codebook(source)
    if fmt == "yaml":
        typer.echo(cb.to_yaml(), nl=False)
        return
    if fmt == "csv":
        typer.echo(cb.to_frame().to_csv(index=False, lineterminator="\n"), nl=False)
        return
    headers = ["id", "parent", "label", "keywords", "exclude", "examples"]
    rows = [
        [
            t.id,
            t.parent or "",
            _short(t.label),
            str(len(t.keywords)),
            str(len(t.exclude)),
            str(len(t.examples)),
        ]
        for t in cb.themes
    ]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{cb.name}: {len(cb)} themes")
        for h in headers:
            table.add_column(h, justify="right" if h in headers[3:] else "left")
        for r in rows:
            table.add_row(*r)
        Console().print(table)
    else:
        typer.echo(f"{cb.name}: {len(cb)} themes")
        typer.echo(_plain_table(headers, rows))


def init_cmd(
    out: Annotated[Path, typer.Argument(help="The YAML file to write.", metavar="OUT.yaml")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from this codebook (file or built-in name) instead of the template.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    from commentmine import errors
    from commentmine._io import write_text_atomic
    from commentmine.codebook import builtin_codebooks, builtin_text, load_codebook

    if out.is_dir():
        raise errors.is_directory(out)
    if out.exists() and not force:
        raise errors.refuse_overwrite(out)
    if source is None:
        text = TEMPLATE.format(filename=out.name)
    else:
        with _notes():
            cb = load_codebook(source)
        is_file = Path(source).is_file()
        text = builtin_text(source) if source in builtin_codebooks() and not is_file else None
        if text is None:
            text = f"# Codebook written from {source} by 'commentmine codebook init'.\n" + (
                cb.to_yaml()
            )
    write_text_atomic(out, text)
    typer.echo(f"wrote {out}", err=True)


_sub(
    "validate",
    validate_cmd,
    "Check a codebook; print 'ok: N themes' or every problem, one per line (exit 2).",
)
_sub("show", show_cmd, "List a codebook's themes, or print it as YAML or CSV.")
_sub(
    "init",
    init_cmd,
    "Write a commented codebook template (or a copy of --from) to OUT.yaml; never overwrites "
    "without --force.",
)
