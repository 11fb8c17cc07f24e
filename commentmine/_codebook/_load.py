"""Loading: built-in names, YAML files, CSV/TSV/XLSX spreadsheets and data frames."""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from commentmine import errors
from commentmine._codebook._base import _ENCODINGS, _TABLE_SUFFIXES, _YAML_SUFFIXES
from commentmine._codebook._model import Codebook, _from_table


def builtin_codebooks() -> tuple[str, ...]:
    """Names of the built-in codebooks (YAML files in ``commentmine/data/codebooks``)."""
    folder = resources.files("commentmine").joinpath("data", "codebooks")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def builtin_text(name: str) -> str:
    """The YAML text (with its comments) of a built-in codebook."""
    if name not in builtin_codebooks():
        raise errors.unknown_codebook(name, builtin_codebooks())
    return (
        resources.files("commentmine")
        .joinpath("data", "codebooks", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


def load_codebook(
    source: str | os.PathLike[str] | Codebook | Mapping[str, Any],
    *,
    sheet: str | int = 0,
) -> Codebook:
    """Load and validate a codebook.

    Parameters
    ----------
    source : str, path, Codebook or mapping
        A built-in name (see :func:`builtin_codebooks`), a YAML (``.yaml``/``.yml``/``.json``),
        CSV/TSV or XLSX file, YAML text (a string with a line break), a mapping shaped like the
        YAML, or a :class:`Codebook` (returned as is).
    sheet : str or int, default 0
        XLSX sheet name or 0-based index.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        ``E101`` listing every problem (with YAML line or spreadsheet row numbers), ``E102`` when
        ``source`` is neither a file nor a built-in, ``E103`` for a YAML syntax error, ``E104``
        for a YAML tag the safe loader refuses.
    InputError
        ``E002``/``E006``/``E008`` for unreadable files, unsupported types and directories.

    Warns
    -----
    CodebookWarning
        When a spreadsheet has columns that are not used for tagging (kept in ``meta``).
    """
    if isinstance(source, Codebook):
        return source
    if isinstance(source, Mapping):
        return Codebook.from_dict(source)
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return Codebook.from_yaml(source)
    path = Path(source)
    if path.is_dir():
        raise errors.is_directory(path)
    if not path.is_file():
        if isinstance(source, str) and source in builtin_codebooks():
            return Codebook.from_yaml(builtin_text(source), source=source, name=source)
        raise errors.unknown_codebook(str(source), builtin_codebooks())
    suffix = path.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        return Codebook.from_yaml(_read_text(path), source=str(path), name=path.stem)
    if suffix in {".csv", ".tsv"}:
        header, rows = _read_delimited(path, "\t" if suffix == ".tsv" else ",")
    elif suffix in {".xlsx", ".xlsm"}:
        header, rows = _read_xlsx(path, sheet)
    else:
        raise errors.unsupported_format(path, _YAML_SUFFIXES | _TABLE_SUFFIXES)
    return _from_table(header, rows, source=str(path), name=path.stem)


def codebook_from_frame(
    df: Any, *, name: str = "codebook", source: str = "<frame>", description: str = ""
) -> Codebook:
    """Build a codebook from a DataFrame in the spreadsheet layout (one row per theme).

    Rows are numbered as in a spreadsheet whose header is row 1 (the frame's first row is
    row 2). See the module docstring for the columns.
    """
    header = [str(c) for c in df.columns]
    rows = [
        (i + 2, [_cell_text(v) for v in values])
        for i, values in enumerate(df.itertuples(index=False, name=None))
    ]
    return _from_table(header, rows, source=source, name=name, description=description)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in _ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise errors.unreadable_file(path, "not UTF-8 or Windows-1252 text")  # pragma: no cover


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = str(value)
    return (
        "" if text in {"nan", "NaN", "<NA>", "None", "NaT"} and not isinstance(value, str) else text
    )


def _read_delimited(path: Path, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = _read_text(path)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise errors.unreadable_file(path, f"not a valid CSV file ({exc})") from exc
    if not records:
        return [], []
    return records[0], [(i + 2, r) for i, r in enumerate(records[1:])]


def _read_xlsx(path: Path, sheet: str | int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for bad files
        raise errors.unreadable_file(path, f"not a valid XLSX workbook ({exc})") from exc
    try:
        names = wb.sheetnames
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise errors.unreadable_file(path, f"no sheet {sheet}; sheets: {names}")
            ws = wb[names[sheet]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise errors.unreadable_file(path, f"no sheet {sheet!r}; sheets: {names}")
        records = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not records:
        return [], []
    return records[0], [(i + 2, r) for i, r in enumerate(records[1:])]
