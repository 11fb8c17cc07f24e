"""Survey files: decoding, delimiters, workbooks, JSON, JSONL and Parquet read into wide tables of text."""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._ingest._base import _MAX_ZIP_BYTES, _MAX_ZIP_MEMBERS, _MAX_ZIP_RATIO, ENCODINGS
from commentmine._ingest._wide import detect_text_columns
from commentmine._tables import (
    COMMENT_COLUMNS,
)


def _no_survey_options(
    p: Path, *, text_cols: object, id_col: object, respondent_col: object, sheet: object
) -> None:
    given = [
        name
        for name, value in (
            ("--text-col", text_cols),
            ("--id-col", id_col),
            ("--respondent-col", respondent_col),
            ("--sheet", sheet),
        )
        if value is not None
    ]
    if given:
        raise errors.bad_argument(
            f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to survey exports; "
            f"{p.name!r} is interview notes. Leave {'it' if len(given) == 1 else 'them'} out."
        )


def _read_table(p: Path, *, sheet: str | int | None) -> pd.DataFrame:
    """Read one survey file into a wide DataFrame of strings (NaN -> "")."""
    ext = p.suffix.lower()
    if p.stat().st_size == 0:
        raise errors.empty_input(p, "the file has 0 bytes")
    if ext in {".csv", ".tsv"}:
        df = _read_delimited(p, tab=ext == ".tsv")
    elif ext in {".xlsx", ".xlsm"}:
        df = _read_xlsx(p, sheet)
    elif ext == ".json":
        df = _read_json(p)
    elif ext in {".jsonl", ".ndjson"}:
        df = _read_jsonl(p)
    else:
        df = _read_parquet(p)
    return _stringify_frame(df)


def _utf16(data: bytes) -> str | None:
    """The encoding of UTF-16 text (Excel's "Unicode text" export), or None.

    With a byte-order mark, that decides; without one, text whose first 4 KB has a zero in
    every other byte (and almost nowhere else) is taken for BOM-less UTF-16 ASCII-range text.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            return enc
    return None


def _decode(p: Path, data: bytes) -> str:
    enc16 = _utf16(data)
    if enc16 is not None:
        try:
            return _no_surrogates(data.decode(enc16))
        except UnicodeDecodeError as exc:
            raise errors.unreadable_file(
                p,
                f"it looks like UTF-16 text but byte {exc.start} is not valid UTF-16. "
                "Export it again as UTF-8 CSV.",
            ) from exc
    if b"\x00" in data[:65536]:
        kind = "a zip archive (an XLSX saved as .csv?)" if data[:2] == b"PK" else "binary data"
        raise errors.unreadable_file(
            p, f"it holds {kind}, not delimited text. Export it again as UTF-8 CSV."
        )
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig")
    first_error: UnicodeDecodeError | None = None
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    bad = data[first_error.start : first_error.start + 1]
    raise errors.unreadable_file(
        p,
        f"its bytes are not valid in any supported encoding ({', '.join(ENCODINGS)}, or "
        "UTF-16 with a byte-order mark); "
        f"first bad byte 0x{bad.hex()} at offset {first_error.start}. "
        "Save it again as UTF-8 CSV.",
    )


def _header_fields(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim)))
    except (csv.Error, StopIteration):
        return 0


def _sniff_delimiter(text: str) -> str:
    candidates = ",;\t|"
    sample = text[:65536]
    first_line = sample.split("\n", 1)[0].rstrip("\r")
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        delim = ","
    # The sniffer votes over whole lines of text and can be swayed by commas inside answers;
    # the header decides when the sniffed delimiter does not split it.
    counts = {d: _header_fields(first_line, d) for d in candidates}
    best = max(candidates, key=lambda d: (counts[d], d == ","))
    if counts.get(delim, 0) <= 1 and counts[best] > 1:
        delim = best
    return delim


def _read_delimited(p: Path, *, tab: bool) -> pd.DataFrame:
    text = _decode(p, p.read_bytes())
    if not text.strip():
        raise errors.empty_input(p, "the file holds only blank lines")
    delim = "\t" if tab else _sniff_delimiter(text)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delim,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise errors.empty_input(p, "no header row was found") from exc
    except pd.errors.ParserError as exc:
        why = str(exc).strip().splitlines()[0]
        hint = (
            ' A quote (") is opened and never closed.'
            if "EOF inside string" in why or "EOF" in why
            else " Check the delimiter and quoting."
        )
        raise errors.unreadable_file(p, f"malformed delimited text ({why}).{hint}") from exc


def check_zip(p: Path, *, what: str) -> None:
    """Refuse a DOCX/XLSX container that is corrupt, unsafe or a decompression bomb.

    Raises E002 when the zip cannot be opened, a member name is absolute or climbs out with
    ``..``, there are too many members, the total uncompressed size exceeds 200 MB, or a large
    member is compressed more than 200 to 1.
    """
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise errors.unreadable_file(
            p, f"not a valid {what} file (truncated or corrupt zip container: {exc})."
        ) from exc
    if len(infos) > _MAX_ZIP_MEMBERS:
        raise errors.unreadable_file(p, f"the {what} container has {len(infos)} members.")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise errors.unreadable_file(p, f"unsafe member path {info.filename!r} in the {what}.")
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > _MAX_ZIP_RATIO * max(
            info.compress_size, 1
        ):
            raise errors.unreadable_file(
                p, f"member {info.filename!r} expands more than {_MAX_ZIP_RATIO}x (zip bomb?)."
            )
    if total > _MAX_ZIP_BYTES:
        raise errors.unreadable_file(
            p, f"the {what} expands to {total:,} bytes (limit {_MAX_ZIP_BYTES:,})."
        )


def _sheet_names(p: Path) -> list[str]:
    check_zip(p, what="XLSX")
    try:
        import openpyxl

        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    except Exception as exc:  # noqa: BLE001 - any parser failure is an unreadable file
        raise errors.unreadable_file(
            p, f"not a readable XLSX ({type(exc).__name__}: {exc})."
        ) from exc


def _read_sheet(p: Path, name: str) -> pd.DataFrame:
    try:
        df = pd.read_excel(p, sheet_name=name, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001
        raise errors.unreadable_file(
            p, f"not a readable XLSX ({type(exc).__name__}: {exc})."
        ) from exc
    if df.columns.size == 0:
        raise errors.empty_input(p, f"sheet {name!r} is empty")
    return df


def _read_xlsx(p: Path, sheet: str | int | None) -> pd.DataFrame:
    names = _sheet_names(p)
    if sheet is None:
        target = names[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise errors.missing_sheet(str(sheet), names)
        target = names[sheet]
    else:
        if sheet not in names:
            raise errors.missing_sheet(sheet, names)
        target = sheet
    return _read_sheet(p, target)


def _read_workbook(
    p: Path,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    respondent_col: str | None,
) -> pd.DataFrame:
    """The first sheet that holds the text columns (given or detected), as strings.

    A workbook often opens with a notes or cover sheet: when the first sheet lacks the given
    text, id or respondent column, or no free-text column is detected in it, the next sheets
    are tried in order. The sheet read is named in ``attrs["note"]`` when it is not the
    first. When no sheet fits, the error lists every sheet with its columns.
    """
    names = _sheet_names(p)
    needed = [c for c in (*(text_cols or ()), id_col, respondent_col) if c is not None]
    tried: list[tuple[str, list[str]]] = []
    for i, name in enumerate(names):
        try:
            df = _stringify_frame(_read_sheet(p, name))
        except errors.InputError:
            if len(names) == 1:
                raise
            tried.append((name, []))
            continue
        cols = [str(c) for c in df.columns]
        fits = all(c in cols for c in needed) and (
            text_cols is not None
            or set(COMMENT_COLUMNS) <= set(cols)
            or not len(df)
            or bool(detect_text_columns(df, exclude=[c for c in needed if c]))
        )
        if fits or len(names) == 1:
            if i > 0:
                before = ", ".join(repr(n) for n, _ in tried)
                what = "the columns given" if needed else "free text"
                df.attrs["note"] = (
                    f"read sheet {name!r} of {p.name!r}, the first with {what} ({before} "
                    f"{'has' if i == 1 else 'have'} none); name another with --sheet."
                )
            return df
        tried.append((name, cols))
    missing = [c for c in needed if not any(c in cols for _, cols in tried)]
    if missing or text_cols is not None:
        raise errors.missing_in_sheets(missing or needed, tried)
    raise errors.no_text_columns([], sheets=tried)


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays from Parquet
        return json.dumps(value.tolist(), ensure_ascii=False, default=str)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _records_frame(p: Path, records: list[Any]) -> pd.DataFrame:
    columns: dict[str, None] = {}
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise errors.unreadable_file(
                p, f"record {i} is a {type(rec).__name__}, expected an object of fields."
            )
        for key in rec:
            columns.setdefault(str(key), None)
    cols = list(columns)
    # A JSON escape such as "\ud800" decodes to a lone surrogate, which no UTF-8 output can
    # hold: it becomes U+FFFD (the replacement character), like an undecodable byte would.
    data = {c: [_no_surrogates(_cell(rec.get(c))) for rec in records] for c in cols}
    return pd.DataFrame(data, columns=cols, dtype=object)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _read_json(p: Path) -> pd.DataFrame:
    text = _decode(p, p.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.unreadable_file(p, f"invalid JSON ({exc}).") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise errors.unreadable_file(
                p, "expected a list of records (or an object holding one such list)."
            )
        data = lists[0]
    if not isinstance(data, list):
        raise errors.unreadable_file(p, "expected a list of records.")
    return _records_frame(p, data)


def _jsonl_values(p: Path, lines: Iterable[str]) -> Iterator[Any]:
    """The JSON value of each non-blank line of ``p`` (E002 names the first invalid line)."""
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise errors.unreadable_file(p, f"invalid JSON on line {i} ({exc}).") from exc


def _read_jsonl(p: Path) -> pd.DataFrame:
    text = _decode(p, p.read_bytes())
    records = list(_jsonl_values(p, text.splitlines()))
    if not records:
        raise errors.empty_input(p, "no JSON records were found")
    return _records_frame(p, records)


def _read_parquet(p: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(p)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types
        raise errors.unreadable_file(
            p, f"not a readable Parquet file ({type(exc).__name__}: {exc})."
        ) from exc


def _stringify_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every column name and value as a string; missing values as ""."""

    def column(values: list[Any]) -> list[str]:
        if all(type(v) is str for v in values):  # the usual case: read as text already
            return values
        return [_cell(v) for v in values]

    out = pd.DataFrame(
        {str(c): column(df.iloc[:, i].tolist()) for i, c in enumerate(df.columns)},
        columns=[str(c) for c in df.columns],
        dtype=object,
    )
    out.attrs.update(df.attrs)
    return out
