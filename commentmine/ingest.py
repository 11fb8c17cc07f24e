"""Read survey exports and interview notes into the comments table.

This is the first stage of the flow (comments -> segments -> tags -> ...). Two kinds of input
become the same long table, documented in :mod:`commentmine._tables`:

* **Survey exports** (CSV/TSV, XLSX, JSON, JSONL, Parquet): one row per respondent and one column
  per question ("wide"). Each (respondent, free-text column) pair becomes one comment; every
  other column is carried along as metadata.
* **Interview notes** (TXT, Markdown, DOCX, or a folder of them): one comment per speaker turn;
  headings become the ``question``; interviewer turns are kept and flagged.

Nothing is dropped: blank answers get ``status="empty"`` and non-answers such as "N/A" or
"none" get ``status="non_answer"`` (see :data:`NON_ANSWERS`). Every value is read as text, so
numeric or date-like ids survive unchanged.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import math
import re
import string
import zipfile
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._tables import (
    COMMENT_COLUMNS,
    STATUS_EMPTY,
    STATUS_NON_ANSWER,
    STATUS_OK,
)

__all__ = [
    "DEFAULT_INTERVIEWER_LABELS",
    "INTERVIEW_EXTENSIONS",
    "INTERVIEW_METADATA",
    "NON_ANSWERS",
    "SURVEY_EXTENSIONS",
    "answer_status",
    "detect_text_columns",
    "read",
    "read_interviews",
]

PathLikeStr = str | PathLike[str]

#: File types read as survey exports.
SURVEY_EXTENSIONS = frozenset(
    {".csv", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".parquet"}
)
#: File types read as interview notes.
INTERVIEW_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".docx"})
#: Metadata columns read from an interview file's header lines (``""`` when absent).
INTERVIEW_METADATA = ("date", "interviewee", "role", "organisation")

#: Encodings tried, in order, for delimited text files.
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")

#: Answers that say "nothing to say". Matching is case-insensitive and ignores punctuation and
#: extra spaces, so "N/A", "n.a.", "None." and "No comment!" all match. Note that a bare "No"
#: counts as a non-answer: to an open question ("Anything else?") it almost always means
#: "nothing to add". An answer made only of punctuation ("-", "--", ".", "?") is a non-answer too.
NON_ANSWERS = frozenset(
    {
        "na",
        "n a",
        "none",
        "nothing",
        "nil",
        "no",
        "no comment",
        "no comments",
        "no answer",
        "not applicable",
        "dont know",
        "do not know",
        "nothing to add",
        "nothing further",
        "no further comment",
        "no further comments",
    }
)

#: Speaker labels that mark the interviewer (case-insensitive).
DEFAULT_INTERVIEWER_LABELS = frozenset({"q", "interviewer", "int", "i", "facilitator"})

# Domain acronyms and note markers that look like initials but are not speakers.
_NOT_SPEAKERS = frozenset(
    {"pcc", "opcc", "vcse", "vcs", "csp", "nb", "ps", "pps", "faq", "url", "aob", "tbc", "eg"}
)
# Labels accepted as speakers even if they occur once.
_KNOWN_SPEAKERS = frozenset(
    {
        "q",
        "a",
        "i",
        "r",
        "int",
        "interviewer",
        "interviewee",
        "facilitator",
        "moderator",
        "respondent",
        "participant",
        "question",
        "answer",
    }
)

_MAX_ZIP_BYTES = 200 * 1024 * 1024  # total uncompressed size of a DOCX/XLSX
_MAX_ZIP_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB
_MAX_ZIP_MEMBERS = 20_000

_PUNCT = set(string.punctuation) | set("\u2013\u2014\u2026\u2022\u00b7\u2018\u2019\u201c\u201d")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


# --- status ------------------------------------------------------------------------------


def _normalise_answer(text: str) -> str:
    text = text.replace("\u2019", "'").replace("'", "")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


def answer_status(text: object) -> str:
    """Classify one answer as ``"ok"``, ``"empty"`` or ``"non_answer"``.

    Parameters
    ----------
    text : object
        The answer. ``None`` and NaN count as empty.

    Returns
    -------
    str
        ``"empty"`` for blank or whitespace-only text, ``"non_answer"`` for a phrase in
        :data:`NON_ANSWERS` or text made only of punctuation, else ``"ok"``.

    Examples
    --------
    >>> answer_status("  "), answer_status("N/A."), answer_status("No"), answer_status("Yes")
    ('empty', 'non_answer', 'non_answer', 'ok')
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return STATUS_EMPTY
    stripped = str(text).strip()
    if not stripped:
        return STATUS_EMPTY
    if len(stripped) > 40:
        return STATUS_OK
    return _short_status(stripped)


@functools.lru_cache(maxsize=1 << 14)
def _short_status(stripped: str) -> str:
    if all(ch in _PUNCT or ch.isspace() for ch in stripped):
        return STATUS_NON_ANSWER
    return STATUS_NON_ANSWER if _normalise_answer(stripped) in NON_ANSWERS else STATUS_OK


# --- public entry points -----------------------------------------------------------------


def read(
    path: PathLikeStr | pd.DataFrame,
    *,
    text_cols: Sequence[str] | str | None = None,
    id_col: str | None = None,
    respondent_col: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a survey export or interview notes into the comments table.

    Parameters
    ----------
    path : str, path-like or DataFrame
        A survey export (``.csv``, ``.tsv``, ``.xlsx``, ``.xlsm``, ``.json``, ``.jsonl``,
        ``.ndjson``, ``.parquet``), interview notes (``.txt``, ``.md``, ``.docx``), a folder of
        interview notes, or an already loaded wide DataFrame. A table that already has every
        comments-table column (a file written by ``commentmine read``) is returned as it is.
    text_cols : str or sequence of str, optional
        Free-text columns (survey only). ``None`` detects them (long, varied strings) and
        records the choice in ``df.attrs["detected_text_cols"]``.
    id_col : str, optional
        Column holding a unique id per row (survey only); it becomes ``comment_id`` (and, without
        ``respondent_col``, ``respondent_id``). ``None`` numbers rows from 1.
    respondent_col : str, optional
        Column holding the respondent, for files with one row per answer where a respondent
        appears on several rows ("long" format). It becomes ``respondent_id``, so shares are
        counted per respondent; it may repeat. ``None``: each row is its own respondent.
    sheet : str or int, optional
        XLSX sheet name or 0-based index. ``None`` reads the first sheet, or, when that sheet
        lacks the text columns (given or detected), the first sheet that has them; which sheet
        was read is said in ``df.attrs["note"]``.

    Returns
    -------
    pandas.DataFrame
        The comments table: ``comment_id, respondent_id, question, text, source, status,
        speaker, is_interviewer`` followed by every metadata column. Columns of the input that
        clash with those names are carried with an ``_input`` suffix. ``df.attrs["note"]`` is
        set when the input had a header but no rows.

    Raises
    ------
    commentmine.errors.InputError
        E001 missing column or sheet, E002 unreadable file, E003 missing file, E004 empty
        file, E005 duplicate ids, E006 unsupported file type, E007 no free-text column found,
        E008 a folder without interview notes, E009 blank ids, E010 a text column that holds
        numbers or ids.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"id": ["a", "b"], "why": ["Funding is too short-term.", "n/a"]})
    >>> read(wide, text_cols=["why"], id_col="id")[["comment_id", "text", "status"]]
      comment_id                        text      status
    0          a  Funding is too short-term.          ok
    1          b                         n/a  non_answer
    """
    if isinstance(text_cols, str):
        text_cols = [text_cols]
    if isinstance(path, pd.DataFrame):
        wide = _stringify_frame(path)
        return _wide_to_long(
            wide, text_cols=text_cols, id_col=id_col, respondent_col=respondent_col, source=""
        )

    p = Path(path)
    options = {"text_cols": text_cols, "id_col": id_col, "respondent_col": respondent_col}
    if p.is_dir():
        files = _interview_files_in(p)
        if not files:
            raise errors.is_directory(p)
        _no_survey_options(p, **options, sheet=sheet)
        return read_interviews(files)
    if not p.exists():
        raise errors.missing_file(p)
    ext = p.suffix.lower()
    if ext in INTERVIEW_EXTENSIONS:
        _no_survey_options(p, **options, sheet=sheet)
        return read_interviews([p])
    if ext not in SURVEY_EXTENSIONS:
        raise errors.unsupported_format(p, SURVEY_EXTENSIONS | INTERVIEW_EXTENSIONS)
    if sheet is not None and ext not in {".xlsx", ".xlsm"}:
        raise errors.bad_argument(f"--sheet applies to XLSX files only, not {p.name!r}.")

    if ext in {".xlsx", ".xlsm"} and sheet is None:
        wide = _read_workbook(p, text_cols=text_cols, id_col=id_col, respondent_col=respondent_col)
    else:
        wide = _read_table(p, sheet=sheet)
    if text_cols is None and set(COMMENT_COLUMNS) <= set(wide.columns):
        return _as_comments_table(wide, p)
    return _wide_to_long(wide, **options, source=p.name, path=p)


def read_interviews(
    paths: PathLikeStr | Iterable[PathLikeStr],
    *,
    interviewer_labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
) -> pd.DataFrame:
    """Read interview notes (TXT, Markdown, DOCX) into the comments table, one row per turn.

    A line that starts with a speaker label followed by a colon starts a turn: ``Q:``,
    ``A:``, ``Interviewer:``, ``Facilitator:``, initials such as ``JS:``, or a name such as
    ``Sarah Jones:`` (a name-like label that is not one of the usual roles must occur at least
    twice in a file to count, so that ``Note:`` or ``Summary:`` do not start turns). Markdown
    bold labels (``**Q:**``) work too. Lines without a label continue the current turn; text
    before the first label is the file's header (see below), not a turn. Headings (Markdown
    ``#`` lines, also in ``.txt``, and Word ``Heading``/``Title`` paragraphs) set ``question``
    for the turns that follow. Word bullet-list paragraphs are given a ``"- "`` prefix.

    **Header lines are metadata, not speech.** In a file with speaker turns, the lines before
    the first turn (a title, "Interview with Jane Doe, Director, Safe Homes Trust, 12 March
    2024", "Date: ...", "Interviewee: ...") are read for :data:`INTERVIEW_METADATA` and are
    never tagged or quoted; a title heading there ("# Interview with ...") does not become a
    ``question``. In a file without speaker labels, only leading lines that look like a header
    (they open with "Interview", "Notes", "Transcript", ..., are a ``Date:``/``Role:``-style
    field or a bare date) are taken out.

    Parameters
    ----------
    paths : path-like or iterable of path-like
        Files, or folders whose ``.txt``/``.md``/``.docx`` files are read in name order (hidden
        files and Word lock files ``~$...`` are skipped).
    interviewer_labels : iterable of str, default :data:`DEFAULT_INTERVIEWER_LABELS`
        Speaker labels (case-insensitive) whose turns get ``is_interviewer=True``.

    Returns
    -------
    pandas.DataFrame
        The comments table. ``comment_id`` is ``<file stem>:<turn number>`` (from 1),
        ``respondent_id`` the file stem, ``source`` the file name, ``speaker`` the label as
        written, ``text`` the turn after its label (stripped at both ends, otherwise verbatim),
        then the header's metadata: ``date`` (ISO ``YYYY-MM-DD`` when it parses), ``interviewee``,
        ``role`` and ``organisation`` (``""`` when the header does not say), usable in an
        attribution such as ``"{role}"``.

    Raises
    ------
    commentmine.errors.InputError
        E002 unreadable file, E003 missing file, E004 no files / an empty file, E005 two files
        with the same stem, E006 unsupported file type.
    """
    labels = frozenset(str(x).strip().lower() for x in interviewer_labels)
    files = _expand_interview_paths(paths)
    rows: list[dict[str, Any]] = []
    seen: dict[str, Path] = {}
    for f in files:
        if f.stem in seen:
            raise errors.duplicate_ids("file stem", [f"{f.stem} ({seen[f.stem].name}, {f.name})"])
        seen[f.stem] = f
        lines = _interview_lines(f)
        speakers = _speaker_labels(lines)
        file_labels = labels | _declared_interviewers(lines, speakers)
        body, header = _split_header(lines, speakers)
        meta = _header_metadata(header)
        for n, (question, speaker, text) in enumerate(_turns(body, speakers), start=1):
            rows.append(
                {
                    "comment_id": f"{f.stem}:{n}",
                    "respondent_id": f.stem,
                    "question": question,
                    "text": text,
                    "source": f.name,
                    "status": answer_status(text),
                    "speaker": speaker,
                    "is_interviewer": speaker.strip().lower() in file_labels,
                    **meta,
                }
            )
    out = pd.DataFrame(rows, columns=[*COMMENT_COLUMNS, *INTERVIEW_METADATA])
    out["is_interviewer"] = out["is_interviewer"].astype(bool)
    return out


def detect_text_columns(
    df: pd.DataFrame,
    *,
    exclude: Iterable[str] = (),
    min_mean_chars: float = 25.0,
    min_distinct: float = 0.8,
    min_mean_words: float = 4.0,
) -> list[str]:
    """Return the columns of ``df`` that hold free text, in column order.

    A column counts as free text when its answered values (not blank, not a non-answer) are
    long (mean length above ``min_mean_chars`` characters and ``min_mean_words`` words) and
    varied (at least ``min_distinct`` of them distinct), and do not look like ids, emails or
    links (single tokens).

    Parameters
    ----------
    df : pandas.DataFrame
        A wide table whose values are strings.
    exclude : iterable of str
        Columns never chosen (such as the id column).
    min_mean_chars, min_distinct, min_mean_words : float
        Thresholds described above.

    Returns
    -------
    list of str
    """
    skip = {str(c) for c in exclude}
    chosen: list[str] = []
    for col in df.columns:
        if str(col) in skip:
            continue
        values = [str(v).strip() for v in df[col].tolist()]
        status = {v: answer_status(v) for v in set(values)}
        answered = [v for v in values if status[v] == STATUS_OK]
        if not answered:
            continue
        mean_chars = sum(map(len, answered)) / len(answered)
        mean_words = sum(len(v.split()) for v in answered) / len(answered)
        distinct = len(set(answered)) / len(answered)
        if (
            mean_chars > min_mean_chars
            and mean_words >= min_mean_words
            and distinct >= min_distinct
        ):
            chosen.append(str(col))
    return chosen


# --- survey tables -----------------------------------------------------------------------


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


def _read_jsonl(p: Path) -> pd.DataFrame:
    text = _decode(p, p.read_bytes())
    records = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise errors.unreadable_file(p, f"invalid JSON on line {i} ({exc}).") from exc
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


def _as_comments_table(df: pd.DataFrame, p: Path) -> pd.DataFrame:
    """A file written by ``commentmine read``: restore types and check ids."""
    out = df.copy()
    out["is_interviewer"] = (
        out["is_interviewer"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})
    )
    dupes = out["comment_id"][out["comment_id"].duplicated()].unique().tolist()
    if dupes:
        raise errors.duplicate_ids("comment_id", dupes)
    order = COMMENT_COLUMNS + [c for c in out.columns if c not in COMMENT_COLUMNS]
    out = out[order]
    out.attrs["comments_table"] = True
    out.attrs["source_path"] = str(p)
    return out


_NUMBER_LIKE = re.compile(
    r"^[\s\d.,:;/%+\-\u2212()\u00a3$\u20ac#*]*\d[\s\d.,:;/%+\-\u2212()\u00a3$\u20ac#*]*$"
)
_ID_LIKE = re.compile(r"^(?=\S*\d)[\w\-./:#]+$")


#: Fewest answered values from which a column is judged to hold numbers or ids, not text.
MIN_VALUES_TO_JUDGE = 10


def _not_free_text(values: Sequence[str]) -> list[str]:
    """Examples when (nearly) every answered value is a number, a date or an id-like token.

    Returns ``[]`` when the column reads as text: fewer than 95% of its answered values are
    numbers (``12``, ``4.5``, ``£300``, ``03/04/2024``) or single tokens holding a digit
    (``R0001``, ``a1b2-c3``), or it has fewer than :data:`MIN_VALUES_TO_JUDGE` answered values
    (a handful of short answers such as "2" cannot be told from a column of numbers).
    """
    answered = [v.strip() for v in values if answer_status(v) == STATUS_OK]
    if len(answered) < MIN_VALUES_TO_JUDGE:
        return []
    hits = [v for v in answered if _NUMBER_LIKE.match(v) or _ID_LIKE.match(v)]
    if len(hits) < 0.95 * len(answered):
        return []
    return list(dict.fromkeys(hits))[:3]


def _column_values(wide: pd.DataFrame, col: str, *, allow_dupes: bool) -> list[str]:
    """The stripped values of an id-like column; E009 for blanks, E005 for repeats."""
    ids = [str(v).strip() for v in wide[col].tolist()]
    blank = [str(i) for i, v in enumerate(ids, start=2) if not v]
    if blank:
        raise errors.blank_ids(col, blank)
    if not allow_dupes:
        seen: set[str] = set()
        dupes = list(dict.fromkeys(v for v in ids if v in seen or seen.add(v)))
        if dupes:
            raise errors.duplicate_ids(col, dupes, long_hint=True)
    return ids


def _wide_to_long(
    wide: pd.DataFrame,
    *,
    text_cols: Sequence[str] | None,
    id_col: str | None,
    respondent_col: str | None = None,
    source: str,
    path: Path | None = None,
) -> pd.DataFrame:
    columns = [str(c) for c in wide.columns]
    if id_col is not None and id_col not in columns:
        raise errors.missing_column(id_col, columns, what="id column")
    if respondent_col is not None and respondent_col not in columns:
        raise errors.missing_column(respondent_col, columns, what="respondent column")
    keys = [c for c in (id_col, respondent_col) if c is not None]
    detected = text_cols is None
    if text_cols is None:
        text_cols = detect_text_columns(wide, exclude=keys)
        if not text_cols and len(wide):
            raise errors.no_text_columns(columns)
    text_cols = list(dict.fromkeys(str(c) for c in text_cols))
    for col in text_cols:
        if col not in columns:
            raise errors.missing_column(col, columns, what="text column")
    for key, flag in ((id_col, "id column"), (respondent_col, "respondent column")):
        if key is not None and key in text_cols:
            raise errors.bad_argument(f"{key!r} is given as both the {flag} and a text column.")
    if not detected:
        for col in text_cols:
            examples = _not_free_text(wide[col].tolist())
            if examples:
                raise errors.not_free_text(col, examples)

    n = len(wide)
    if id_col is None:
        ids = [str(i) for i in range(1, n + 1)]
    else:
        ids = _column_values(wide, id_col, allow_dupes=False)
    respondents = (
        ids if respondent_col is None else _column_values(wide, respondent_col, allow_dupes=True)
    )

    own = {c for c in (id_col, respondent_col) if c == "respondent_id"}
    meta_cols = [c for c in columns if c not in text_cols and c not in own]
    meta_names = {c: (f"{c}_input" if c in COMMENT_COLUMNS else c) for c in meta_cols}
    several = len(text_cols) > 1

    # Row-major order: row 1's answers (in text_cols order), then row 2's, ...
    k = len(text_cols)
    texts = [v for row in zip(*(wide[c].tolist() for c in text_cols), strict=True) for v in row]
    rids = [rid for rid in respondents for _ in range(k)]
    data: dict[str, list[Any]] = {
        "comment_id": [f"{r}:{c}" for r in ids for c in text_cols]
        if several
        else [i for i in ids for _ in range(k)],
        "respondent_id": rids,
        "question": text_cols * n,
        "text": texts,
        "source": [source] * (n * k),
        "status": [answer_status(t) for t in texts],
        "speaker": [""] * (n * k),
        "is_interviewer": [False] * (n * k),
    }
    meta = {meta_names[c]: [v for v in wide[c].tolist() for _ in range(k)] for c in meta_cols}
    try:
        out = pd.DataFrame({**data, **meta}, columns=[*COMMENT_COLUMNS, *meta])
    except UnicodeEncodeError:  # lone surrogates (a DataFrame given in memory) cannot be Arrow
        out = pd.DataFrame({**data, **meta}, columns=[*COMMENT_COLUMNS, *meta], dtype=object)
    out["is_interviewer"] = out["is_interviewer"].astype(bool)
    if out["comment_id"].duplicated().any():
        dup = out["comment_id"][out["comment_id"].duplicated()].unique().tolist()
        raise errors.duplicate_ids("comment_id", dup)
    if detected:
        out.attrs["detected_text_cols"] = list(text_cols)
    notes = [wide.attrs["note"]] if wide.attrs.get("note") else []
    if n == 0:
        where = f"{path.name!r}" if path is not None else "the table"
        notes.append(f"{where} has a header but no rows: 0 comments.")
    if notes:
        out.attrs["note"] = " ".join(notes)
    return out


# --- interview notes -----------------------------------------------------------------------


def _interview_files_in(folder: Path) -> list[Path]:
    return sorted(
        (
            f
            for f in folder.iterdir()
            if f.is_file()
            and f.suffix.lower() in INTERVIEW_EXTENSIONS
            and not f.name.startswith((".", "~$"))
        ),
        key=lambda f: f.name,
    )


def _expand_interview_paths(paths: PathLikeStr | Iterable[PathLikeStr]) -> list[Path]:
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found = _interview_files_in(p)
            if not found:
                raise errors.empty_input(p, "the folder holds no .txt, .md or .docx files")
            files.extend(found)
        elif not p.exists():
            raise errors.missing_file(p)
        elif p.suffix.lower() not in INTERVIEW_EXTENSIONS:
            raise errors.unsupported_format(p, INTERVIEW_EXTENSIONS)
        else:
            files.append(p)
    if not files:
        raise errors.empty_input("interview notes", "no files were given")
    return files


# One logical line of a notes file: (text, heading or None).
_Line = tuple[str, str | None]

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?"
    r"(?P<label>[A-Z][A-Za-z'\u2019.\-]{0,24}(?: [A-Z][A-Za-z'\u2019.\-]{0,24}){0,2})"
    r"(?:\*\*|__)?\s*:(?:\*\*|__)?(?!//)(?P<rest>.*)$"
)
_DECLARED = re.compile(
    r"\b(?:(?:Interviewer|Facilitator)\s*(?:[:=(\-\u2013]|was|is)|Interviewed by|Notes by)"
    r"\s*([A-Z][A-Za-z]*(?: [A-Z][a-z]+)?)"
)
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,4}\d?$")


def _interview_lines(p: Path) -> list[_Line]:
    if p.stat().st_size == 0:
        raise errors.empty_input(p, "the file has 0 bytes")
    if p.suffix.lower() == ".docx":
        return _docx_lines(p)
    text = _decode(p, p.read_bytes())
    lines: list[_Line] = []
    markdown = p.suffix.lower() in {".md", ".markdown"}
    for raw in text.splitlines():
        m = _MD_HEADING.match(raw)
        if m:
            lines.append(("", m.group(1).strip()))
        elif markdown and _MD_RULE.match(raw):
            continue
        else:
            lines.append((raw, None))
    return lines


def _docx_lines(p: Path) -> list[_Line]:
    check_zip(p, what="DOCX")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(p))
        lines: list[_Line] = []

        def para(par: Paragraph) -> None:
            style = (par.style.name if par.style is not None else "") or ""
            text = par.text
            if style.startswith(("Heading", "Title")) and text.strip():
                lines.append(("", text.strip()))
            elif style.startswith("List") and text.strip():
                lines.append(("- " + text, None))
            else:
                lines.extend((ln, None) for ln in (text.split("\n") if text else [""]))

        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                para(block)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        for par in cell.paragraphs:
                            para(par)
        return lines
    except errors.CommentmineError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many types
        raise errors.unreadable_file(
            p, f"not a readable DOCX ({type(exc).__name__}: {exc})."
        ) from exc


def _label(line: str) -> tuple[str, str] | None:
    """``("JS", " rest of line")`` when the line starts with a label and a colon."""
    m = _LABEL.match(line)
    return (m.group("label").strip(), m.group("rest")) if m else None


def _speaker_labels(lines: list[_Line]) -> set[str]:
    """Labels that start turns in this file (see :func:`read_interviews`)."""
    counts: dict[str, int] = {}
    for text, heading in lines:
        if heading is None:
            hit = _label(text)
            if hit:
                counts[hit[0]] = counts.get(hit[0], 0) + 1
    accepted = set()
    for label, count in counts.items():
        low = label.lower().rstrip(".")
        if low in _NOT_SPEAKERS:
            continue
        if low in _KNOWN_SPEAKERS or _INITIALS.match(label) or count >= 2:
            accepted.add(label)
    # "Interviewee: Jane Doe" once, above everyone else's first turn, is a header field
    first: dict[str, int] = {}
    for i, (text, heading) in enumerate(lines):
        hit = _label(text) if heading is None else None
        if hit and hit[0] in accepted:
            first.setdefault(hit[0], i)
    for label in list(accepted):
        others = [i for lab, i in first.items() if lab != label]
        if (
            label.lower() in _META_KEYS
            and counts[label] == 1
            and others
            and first[label] < min(others)
        ):
            accepted.discard(label)
    return accepted


def _declared_interviewers(lines: list[_Line], speakers: set[str]) -> set[str]:
    """Speaker labels that the preamble declares to be the interviewer ("Interviewer: JS").

    Only lines before the first speaker turn are read, where notes say who is who.
    """
    found = set()
    for text, heading in lines:
        hit = _label(text) if heading is None else None
        if hit and hit[0] in speakers:
            break
        if heading is None:
            for m in _DECLARED.finditer(text):
                name = m.group(1).rstrip(".")
                for candidate in (name, name.split(" ")[0]):
                    if candidate in speakers:
                        found.add(candidate.lower())
                        break
    return found


def _turns(lines: list[_Line], speakers: set[str]) -> list[tuple[str, str, str]]:
    """Split lines into (question, speaker, text) turns."""
    turns: list[tuple[str, str, str]] = []
    question = ""
    speaker: str | None = None  # None: no open turn
    body: list[str] = []

    def close() -> None:
        nonlocal speaker, body
        if speaker is not None:
            text = "\n".join(body).strip()
            if speaker or text:
                turns.append((question, speaker, text))
        speaker, body = None, []

    for text, heading in lines:
        if heading is not None:
            close()
            question = heading
            continue
        hit = _label(text)
        if hit and hit[0] in speakers:
            close()
            speaker, body = hit[0], [hit[1]]
            continue
        if speaker is None:
            if not text.strip():
                continue
            speaker = ""
        body.append(text)
    close()
    return turns


# --- interview header lines -----------------------------------------------------------------

# "Key: value" fields of a header, by the column they fill (None: a field kept out of turns but
# not turned into a column).
_META_FIELDS: dict[str, str | None] = {
    "date": "date",
    "interview date": "date",
    "interviewee": "interviewee",
    "participant": "interviewee",
    "respondent": "interviewee",
    "name": "interviewee",
    "role": "role",
    "job title": "role",
    "position": "role",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "interviewer": None,
    "location": None,
    "format": None,
    "duration": None,
    "time": None,
    "present": None,
    "attendees": None,
    "title": None,
}
_META_KEYS = frozenset(_META_FIELDS)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _MONTH_RE + r"),?\s+(?P<y1>\d{4})"
    r"|(?P<m2>" + _MONTH_RE + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})"
    r"|(?P<d4>\d{1,2})[/.](?P<m4>\d{1,2})[/.](?P<y4>\d{4}))\b",
    re.IGNORECASE,
)
_FIELD_LINE = re.compile(
    r"^\s*(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z ]{1,20}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(?P<value>.*)$"
)
_INLINE_FIELD = re.compile(
    r"\b(?P<key>Interviewee|Role|Organisation|Organization)\s*:\s*(?P<value>[^.;\n]+)"
)
_TITLE = re.compile(
    r"^\s*(?:\*\*)?(?:(?:evaluation\s+)?interview|notes?\b|transcript|round\s*table|"
    r"focus\s+group|meeting\s+notes|call\s+notes)",
    re.IGNORECASE,
)
_INTERVIEW_WITH = re.compile(r"\binterview(?:ed)?\s+with\s+(?P<rest>[^\n]+)", re.IGNORECASE)
_INTERVIEWEE_IS = re.compile(
    r"\binterviewee\s+(?:is|was)\s+(?:the|a|an)\s+(?P<role>[^.(;\n]+)", re.IGNORECASE
)
_TITLE_ROLE = re.compile(r"^\s*interview\s*[:\-\u2013\u2014]\s*(?P<role>.+?)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])\.\s+(?=[A-Z])")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_PERSON = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+)?[A-Z][a-z'\u2019\-]+(?:\s+[A-Z][a-z'\u2019\-]+){1,2}$"
)
_NOT_A_PART = re.compile(r"^(?:by\s|via\s|on\s|in person|online|\(|video|phone|telephone)", re.I)


def _iso_date(m: re.Match[str]) -> str:
    """``YYYY-MM-DD`` for a date match (day first for d/m/y), or the text when it is no date."""
    import datetime

    g = m.groupdict()
    try:
        if g["y1"] or g["y2"]:
            month_text = (g["m1"] or g["m2"]).lower().rstrip(".")
            month = _MONTHS.index(month_text[:3]) + 1
            day, year = int(g["d1"] or g["d2"]), int(g["y1"] or g["y2"])
        elif g["y3"]:
            year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
        else:
            day, month, year = int(g["d4"]), int(g["m4"]), int(g["y4"])
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return m.group().strip()


def _is_header_line(text: str) -> bool:
    """A line that a notes file opens with and nobody said: a title, a field, a bare date."""
    stripped = text.strip()
    if not stripped:
        return False
    if _TITLE.match(stripped):
        return True
    field_ = _FIELD_LINE.match(stripped)
    if field_ and field_.group("key").strip().lower() in _META_KEYS:
        return True
    date = _DATE.search(stripped)
    return bool(date) and len(stripped) <= len(date.group()) + 12


def _split_header(lines: list[_Line], speakers: set[str]) -> tuple[list[_Line], list[str]]:
    """``(body lines, header texts)``: the header lines are taken out of the turns.

    With speaker turns, every text line before the first turn is header, and so is every
    heading there except the last one that is not a title (it names the first topic). Without
    speaker turns, only leading lines that look like a header (:func:`_is_header_line`) are.
    """
    first_turn = next(
        (
            i
            for i, (text, heading) in enumerate(lines)
            if heading is None and (hit := _label(text)) is not None and hit[0] in speakers
        ),
        None,
    )
    header: list[str] = []
    if first_turn is None:
        i = 0
        while i < len(lines):
            text, heading = lines[i]
            if heading is not None and _TITLE.match(heading):
                header.append(heading)
            elif heading is None and not text.strip():
                pass
            elif heading is None and _is_header_line(text):
                header.append(text)
            else:
                break
            i += 1
        return lines[i:], header
    pre = lines[:first_turn]
    topics = [
        i
        for i, (_t, heading) in enumerate(pre)
        if heading is not None and not _TITLE.match(heading)
    ]
    keep = topics[-1] if topics else None
    for i, (text, heading) in enumerate(pre):
        if i != keep:
            header.append(heading if heading is not None else text)
    kept = [pre[keep]] if keep is not None else []
    return kept + lines[first_turn:], [h for h in header if h.strip()]


def _header_metadata(header: list[str]) -> dict[str, str]:
    """:data:`INTERVIEW_METADATA` values read from header lines (``""`` when not found)."""
    found: dict[str, str] = dict.fromkeys(INTERVIEW_METADATA, "")

    def put(key: str | None, value: str) -> None:
        value = " ".join(value.strip().strip(".,;").split())
        if key and value and not found[key]:
            found[key] = value

    for text in header:  # explicit fields first: they win
        field_ = _FIELD_LINE.match(text)
        if field_ and field_.group("key").strip().lower() in _META_KEYS:
            key = _META_FIELDS[field_.group("key").strip().lower()]
            value = field_.group("value")
            if key == "date" and (d := _DATE.search(value)):
                value = _iso_date(d)
            put(key, value)
        for m in _INLINE_FIELD.finditer(text):
            put(_META_FIELDS[m.group("key").lower()], m.group("value"))
    for text in header:
        m = _INTERVIEW_WITH.search(text)
        if m:
            rest = _SENTENCE_END.split(m.group("rest"), maxsplit=1)[0]
            parts = [p.strip().rstrip(".") for p in rest.split(",")]
            parts = [
                p
                for p in parts
                if p and "@" not in p and not _DATE.search(p) and not _NOT_A_PART.match(p)
            ]
            if parts and _PERSON.match(parts[0]):
                put("interviewee", parts.pop(0))
            if parts:
                put("role", _ARTICLE.sub("", parts.pop(0)))
            if parts:
                put("organisation", parts.pop(0))
        m = _INTERVIEWEE_IS.search(text)
        if m:
            put("role", m.group("role"))
        m = _TITLE_ROLE.match(text)
        if m and not text.isupper():
            put("role", _ARTICLE.sub("", m.group("role")))
        d = _DATE.search(text)
        if d:
            put("date", _iso_date(d))
    return found
