"""The public functions of :mod:`commentmine.ingest`: read and read_interviews."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._ingest._base import (
    DEFAULT_INTERVIEWER_LABELS,
    INTERVIEW_EXTENSIONS,
    INTERVIEW_METADATA,
    SURVEY_EXTENSIONS,
    PathLikeStr,
    answer_status,
)
from commentmine._ingest._files import (
    _no_survey_options,
    _read_table,
    _read_workbook,
    _stringify_frame,
)
from commentmine._ingest._header import _header_metadata, _split_header
from commentmine._ingest._notes import (
    _declared_interviewers,
    _expand_interview_paths,
    _interview_files_in,
    _interview_lines,
    _speaker_labels,
    _turns,
)
from commentmine._ingest._wide import _as_comments_table, _wide_to_long
from commentmine._tables import (
    COMMENT_COLUMNS,
)


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
