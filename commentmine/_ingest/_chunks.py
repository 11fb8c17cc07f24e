"""Chunked reading: a survey export read a chunk at a time, as wide tables or comments tables.

What :mod:`commentmine.scale` streams. Each chunk is read as :func:`commentmine.read` reads
the whole file (same text values, ids, statuses and metadata), one chunk in memory at a time.
"""

from __future__ import annotations

import codecs
import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import _tables as T
from commentmine import errors
from commentmine._ingest._api import read
from commentmine._ingest._base import ENCODINGS
from commentmine._ingest._files import (
    _jsonl_values,
    _records_frame,
    _sniff_delimiter,
    _stringify_frame,
)
from commentmine._ingest._wide import _as_comments_table

#: Input types the chunked readers handle.
STREAM_FORMATS = frozenset({".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"})

_ROW = "\x00commentmine_row"  # temporary id column for row-numbered inputs


def _check_input(p: Path) -> str:
    if p.is_dir():
        raise errors.is_directory(p)
    if not p.exists():
        raise errors.missing_file(p)
    ext = p.suffix.lower()
    if ext not in STREAM_FORMATS:
        raise errors.unsupported_format(p, STREAM_FORMATS)
    if p.stat().st_size == 0:
        raise errors.empty_input(p, "the file has 0 bytes")
    return ext


def _text_encoding(p: Path) -> str:
    """The encoding :func:`commentmine.read` would pick, found without loading the file."""
    with open(p, "rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head:
        kind = "a zip archive (an XLSX saved as .csv?)" if head[:2] == b"PK" else "binary data"
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            kind = "UTF-16 text"
        raise errors.unreadable_file(
            p, f"it holds {kind}, not delimited text. Export it again as UTF-8 CSV."
        )
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for enc in ENCODINGS:
        dec = codecs.getincrementaldecoder(enc)()
        try:
            with open(p, "rb") as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 22), b""):
                    dec.decode(block)
            dec.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            continue
    raise errors.unreadable_file(
        p,
        f"its bytes are not valid in any supported encoding ({', '.join(ENCODINGS)}). "
        "Save it again as UTF-8 CSV.",
    )


@functools.lru_cache(maxsize=4)
def _sniffed(head: str) -> str:
    """The delimiter of a delimited file whose first 64 KiB are ``head``: sniffed once per
    content (a file read twice, by the fit and the apply pass, is not sniffed twice)."""
    return _sniff_delimiter(head)


def _csv_chunks(p: Path, chunk_rows: int, *, tab: bool) -> Iterator[pd.DataFrame]:
    enc = _text_encoding(p)
    with open(p, encoding=enc, newline="") as fh:
        head = fh.read(65536)
    if not head.strip():
        raise errors.empty_input(p, "the file holds only blank lines")
    delim = "\t" if tab else _sniffed(head)
    try:
        reader = pd.read_csv(
            p,
            sep=delim,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            encoding=enc,
            chunksize=int(chunk_rows),
        )
        with reader:
            yield from reader
    except pd.errors.EmptyDataError as exc:
        raise errors.empty_input(p, "no header row was found") from exc
    except pd.errors.ParserError as exc:
        why = str(exc).strip().splitlines()[0]
        raise errors.unreadable_file(
            p, f"malformed delimited text ({why}). Check the delimiter and quoting."
        ) from exc


def _jsonl_keys(p: Path, enc: str) -> list[str]:
    keys: dict[str, None] = {}
    with open(p, encoding=enc) as fh:
        for rec in _jsonl_values(p, fh):
            if isinstance(rec, dict):
                for k in rec:
                    keys.setdefault(str(k), None)
    return list(keys)


def _jsonl_chunks(
    p: Path, chunk_rows: int, columns: Sequence[str] | None
) -> Iterator[pd.DataFrame]:
    enc = _text_encoding(p)
    cols = list(columns) if columns is not None else _jsonl_keys(p, enc)
    records: list[Any] = []
    seen_any = False
    with open(p, encoding=enc) as fh:
        for rec in _jsonl_values(p, fh):
            records.append(rec)
            if len(records) >= chunk_rows:
                seen_any = True
                yield _records_frame(p, records).reindex(columns=cols, fill_value="")
                records = []
    if records or not seen_any:
        if not records:
            raise errors.empty_input(p, "no JSON records were found")
        yield _records_frame(p, records).reindex(columns=cols, fill_value="")


def _parquet_chunks(p: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(p)
        schema = pf.schema_arrow
        batches = pf.iter_batches(batch_size=int(chunk_rows))
        first = True
        for batch in batches:
            first = False
            yield pa.Table.from_batches([batch], schema=schema).to_pandas()
        if first:
            yield schema.empty_table().to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise errors.unreadable_file(
            p, f"not a readable Parquet file ({type(exc).__name__}: {exc})."
        ) from exc


def iter_wide_chunks(
    path: str | os.PathLike[str],
    *,
    chunk_rows: int = 20000,
    columns: Sequence[str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield a survey export as wide DataFrames of strings, ``chunk_rows`` rows at a time.

    A generator: nothing is read until it is iterated, and only one chunk is in memory.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson`` or ``.parquet`` file.
    chunk_rows : int, default 20000
        Input rows per chunk.
    columns : sequence of str, optional
        JSONL only: the column set (default: a first pass collects every key in file order,
        as :func:`commentmine.read` does).

    Yields
    ------
    pandas.DataFrame
        Every value a string, missing values ``""`` (as :func:`commentmine.read` reads them).
    """
    if int(chunk_rows) < 1:
        raise errors.bad_argument(f"chunk_rows must be >= 1, got {chunk_rows!r}.")
    p = Path(path)
    ext = _check_input(p)
    if ext in (".csv", ".tsv"):
        raw = _csv_chunks(p, int(chunk_rows), tab=ext == ".tsv")
    elif ext == ".parquet":
        raw = _parquet_chunks(p, int(chunk_rows))
    else:
        raw = _jsonl_chunks(p, int(chunk_rows), columns)
    for chunk in raw:
        yield _stringify_frame(chunk)


def _to_comments(
    wide: pd.DataFrame,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    offset: int,
    source: str,
) -> pd.DataFrame:
    """One wide chunk -> comments table rows, ids numbered from ``offset + 1`` if no id column."""
    if text_cols is None and set(T.COMMENT_COLUMNS) <= set(wide.columns):
        out = _as_comments_table(wide, Path(source))
        out.attrs.pop("source_path", None)
        return out
    if id_col is None:
        wide = wide.copy()
        wide[_ROW] = [str(i) for i in range(offset + 1, offset + len(wide) + 1)]
        out = read(wide, text_cols=text_cols, id_col=_ROW).drop(columns=[_ROW])
    else:
        out = read(wide, text_cols=text_cols, id_col=id_col)
    out["source"] = source
    return out


def iter_comments(
    path: str | os.PathLike[str],
    *,
    text_cols: Sequence[str] | str | None = None,
    id_col: str | None = None,
    chunk_rows: int = 20000,
    columns: Sequence[str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield the comments table of a survey export chunk by chunk (a generator).

    Each chunk equals the matching rows of :func:`commentmine.read` on the whole file (same
    ids, row numbers continue across chunks, same statuses and metadata). Ids are checked
    within a chunk only; :func:`tag_file` checks them across chunks.

    Parameters
    ----------
    path : str or path-like
        ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson`` or ``.parquet``.
    text_cols : str or sequence of str, optional
        Free-text columns. ``None`` detects them on the first chunk (recorded in that chunk's
        ``attrs["detected_text_cols"]``) and uses the same columns for the rest.
    id_col : str, optional
        Respondent id column; ``None`` numbers rows from 1.
    chunk_rows : int, default 20000
        Input rows per chunk.
    columns : sequence of str, optional
        JSONL only: the full column set, when already known.

    Yields
    ------
    pandas.DataFrame
        Comments table rows (see :mod:`commentmine._tables`).
    """
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    p = Path(path)
    cols = list(text_cols) if text_cols is not None else None
    offset = 0
    for wide in iter_wide_chunks(p, chunk_rows=chunk_rows, columns=columns):
        out = _to_comments(wide, text_cols=cols, id_col=id_col, offset=offset, source=p.name)
        if cols is None and "detected_text_cols" in out.attrs:
            cols = list(out.attrs["detected_text_cols"])
        offset += len(wide)
        yield out
