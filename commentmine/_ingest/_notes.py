"""Interview notes: lines of TXT, Markdown and DOCX files, speaker labels and turns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

from commentmine import errors
from commentmine._ingest._base import (
    _KNOWN_SPEAKERS,
    _META_KEYS,
    _NOT_SPEAKERS,
    INTERVIEW_EXTENSIONS,
    PathLikeStr,
)
from commentmine._ingest._files import _decode, check_zip


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
