"""Interview header lines: the title, date and "Key: value" fields before the first turn."""

from __future__ import annotations

import re

from commentmine._ingest._base import _META_FIELDS, _META_KEYS, INTERVIEW_METADATA
from commentmine._ingest._notes import _label, _Line

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
