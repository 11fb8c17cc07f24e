"""Where the scaled paths write: the output formats, rows encoded for them, the append writer."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors

#: Output types the streaming writer appends to.
OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")


def check_output(output_path: str | os.PathLike[str]) -> tuple[Path, str]:
    """The output path and its (lower-case) suffix; E301 unless CSV/JSONL/Parquet."""
    out = Path(output_path)
    if out.is_dir():
        raise errors.is_directory(out)
    ext = out.suffix.lower()
    if ext not in OUTPUT_FORMATS:
        raise errors.bad_argument(
            f"cannot stream to {out.name!r}: the output must end in {', '.join(OUTPUT_FORMATS)}."
        )
    return out, ext


def encode_rows(df: pd.DataFrame, ext: str | None, *, header: bool) -> Any:
    """Rows as they are appended to an output: CSV text (CRLF; ``header`` first), JSONL text,
    or the frame itself (Parquet, or no output file)."""
    if ext == ".csv":
        return df.to_csv(None, index=False, header=header, lineterminator="\r\n")
    if ext == ".jsonl":
        if not len(df):
            return ""
        buf = io.StringIO()
        df.to_json(buf, orient="records", lines=True, force_ascii=False)
        text = buf.getvalue()
        return text if text.endswith("\n") else text + "\n"
    return df


class AppendWriter:
    """Append tables to one open file as CSV (CRLF), JSONL or Parquet, header/schema once."""

    def __init__(self, path: Path, ext: str) -> None:
        self.path, self.ext = path, ext
        self.rows = 0
        self._first = True
        self._fh: Any = None
        self._pq: Any = None
        self._empty: pd.DataFrame | None = None
        if ext in (".csv", ".jsonl"):
            self._fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def write(self, df: pd.DataFrame) -> None:
        self.write_encoded(encode_rows(df, self.ext, header=self._first), len(df))

    def write_encoded(self, payload: Any, rows: int) -> None:
        """Append rows already encoded by :func:`encode_rows` (text, or a frame for Parquet)."""
        if self.ext in (".csv", ".jsonl"):
            if payload:
                self._fh.write(payload)
        else:
            df = payload
            if not len(df):
                if self._empty is None:
                    self._empty = df
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(df, preserve_index=False)
                if self._pq is None:
                    self._pq = pq.ParquetWriter(self.path, table.schema)
                else:
                    table = table.cast(self._pq.schema)
                self._pq.write_table(table)
        self._first = False
        self.rows += int(rows)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        if self.ext == ".parquet":
            if self._pq is not None:
                self._pq.close()
            elif self._empty is not None:
                self._empty.to_parquet(self.path, index=False, engine="pyarrow")

    def abort(self) -> None:
        try:
            if self._fh is not None:
                self._fh.close()
            if self._pq is not None:
                self._pq.close()
        except Exception:  # noqa: BLE001 - the temporary file is removed anyway
            pass


@contextlib.contextmanager
def appending(out: Path, ext: str) -> Iterator[AppendWriter]:
    """An :class:`AppendWriter` on a temporary file beside ``out``, renamed onto it when the
    block succeeds (:func:`commentmine._io.atomic_path`): a failed run leaves no output."""
    from commentmine._io import atomic_path

    with atomic_path(out) as tmp:
        writer = AppendWriter(tmp, ext)
        try:
            yield writer
            writer.close()
        except BaseException:
            writer.abort()
            raise
