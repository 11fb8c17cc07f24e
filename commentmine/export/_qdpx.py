"""REFI-QDA project export (``.qdpx``): sources, codes with hierarchy, codings.

A ``.qdpx`` is a zip of ``project.qde`` (XML in namespace ``urn:QDA-XML:project:1.0``) and
``Sources/``. One plain-text source per respondent (or interview file) holds the REDACTED text
of their answered comments; every coding is a ``PlainTextSelection`` whose start/end positions
(characters) point into that redacted text, mapped from the segment offsets through the
redaction spans. GUIDs are uuid5 of stable ids, dates come from the run manifest, so the same
run gives the same bytes. NVivo, ATLAS.ti, MAXQDA and QualCoder import it.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

import pandas as pd

from commentmine._io import atomic_path
from commentmine._tables import UNCODED
from commentmine.export._data import ReportData, _truthy
from commentmine.export._manifest import manifest_time
from commentmine.export._zip import write_zip

NS = "urn:QDA-XML:project:1.0"
_NS_UUID = uuid.UUID("6f1c1c3e-8a51-5a2c-9d7e-636f6d6d656e")  # commentmine namespace
_PALETTE = [
    "#3b6ea5",
    "#d9822b",
    "#5a9e4b",
    "#b5443b",
    "#7d5ba6",
    "#8c6d31",
    "#c9559a",
    "#6b6b6b",
    "#a8a83a",
    "#2f9ea8",
]


def guid(*parts: object) -> str:
    """Deterministic GUID for an object of the project."""
    return str(uuid.uuid5(_NS_UUID, "\x1f".join(str(p) for p in parts)))


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """XML-escape text and drop characters XML 1.0 cannot hold."""
    return _escape(_XML_BAD.sub("", str(text)))


def _attr(name: str, value: object) -> str:
    return f" {name}={quoteattr(_XML_BAD.sub('', str(value)))}"


def build_sources(data: ReportData) -> list[dict[str, Any]]:
    """Per respondent: the redacted source text and where each comment starts in it."""
    comments = data.comments
    red = data.redacted
    sources: dict[str, dict[str, Any]] = {}
    multi_q = "question" in comments.columns and comments["question"].astype(str).nunique() > 1
    for rec in comments.itertuples(index=False):
        cid = str(rec.comment_id)
        if cid not in red:
            continue
        rid = str(rec.respondent_id)
        src = sources.setdefault(rid, {"respondent": rid, "parts": [], "offsets": {}, "len": 0})
        head = ""
        question = str(getattr(rec, "question", "") or "")
        speaker = str(getattr(rec, "speaker", "") or "")
        if multi_q and question and question != src.get("last_q"):
            head += f"[{question}]\n"
            src["last_q"] = question
        if speaker:
            head += f"{speaker}: "
        sep = "\n\n" if src["parts"] else ""
        start = src["len"] + len(sep) + len(head)
        piece = sep + head + red[cid].text
        src["parts"].append(piece)
        src["offsets"][cid] = start
        src["len"] += len(piece)
    out = []
    for rid in sorted(sources):
        s = sources[rid]
        s["text"] = "".join(s["parts"])
        out.append(s)
    return out


def project_xml(
    data: ReportData,
    *,
    cases: list[dict[str, Any]] | None = None,
    sub_codes: dict[str, list[tuple[str, str, str]]] | None = None,
) -> tuple[str, list[tuple[str, str]]]:
    """The ``project.qde`` XML and the (file name, text) of every source.

    ``cases`` replaces the one-case-per-respondent default: each ``{"name", "values"
    (variable -> value), "sources" (respondent ids), "selections" ((segment_id, theme)
    pairs)}``. ``sub_codes`` adds child codes ``(id, label, description)`` under a top-level
    theme (the framework's views).
    """
    when = manifest_time(data.manifest).strftime("%Y-%m-%dT%H:%M:%SZ")
    user = guid("user", "commentmine")
    lines = ['<?xml version="1.0" encoding="utf-8"?>']
    lines.append(
        f'<Project xmlns="{NS}"'
        + _attr("name", data.title)
        + _attr("origin", f"commentmine {data.manifest.get('version', '')}")
        + _attr("creatingUserGUID", user)
        + _attr("creationDateTime", when)
        + _attr("modifyingUserGUID", user)
        + _attr("modifiedDateTime", when)
        + ">"
    )
    lines.append(f"<Users><User{_attr('guid', user)}{_attr('name', 'commentmine')}/></Users>")
    code_guid = _codes_xml(data, sub_codes or {}, lines)
    sources = build_sources(data)
    _cases_xml(data, sources, cases, lines)
    files = _sources_xml(data, sources, code_guid, user, when, lines)
    lines.append(f"<Description>{escape(_description(data))}</Description>")
    lines.append("</Project>")
    return "\n".join(lines) + "\n", files


def _codes_xml(
    data: ReportData, sub_codes: dict[str, list[tuple[str, str, str]]], lines: list[str]
) -> dict[str, str]:
    """The ``<CodeBook>``: the codebook with hierarchy, plus themes found only in the tags
    (appended to ``lines``). Returns each code's GUID by theme id."""
    extra_ids = {k[0] for kids in sub_codes.values() for k in kids}
    cb = data.codebook
    code_guid: dict[str, str] = {}
    themes_in_tags = sorted(
        set(data.tags["theme"].astype(str))
        - {UNCODED}
        - (set(cb.ids) if cb is not None else set())
        - extra_ids
    )
    lines.append("<CodeBook><Codes>")
    colour = 0

    def code(tid: str, label: str, desc: str, kids: list[tuple[str, str, str]]) -> None:
        nonlocal colour
        g = guid("code", tid)
        code_guid[tid] = g
        col = _PALETTE[colour % len(_PALETTE)]
        colour += 1
        lines.append(
            f"<Code{_attr('guid', g)}{_attr('name', label)}"
            f"{_attr('isCodable', 'true')}{_attr('color', col)}>"
        )
        if desc:
            lines.append(f"<Description>{escape(desc)}</Description>")
        for k in kids:
            code(*k, [])
        lines.append("</Code>")

    if cb is not None:
        for t in cb.themes:
            if t.parent is None:
                kids = [(k, cb.theme(k).label, cb.theme(k).description) for k in cb.children(t.id)]
                code(t.id, t.label, t.description, kids + sub_codes.get(t.id, []))
    for tid in themes_in_tags:
        code(tid, tid, "", sub_codes.get(tid, []))
    lines.append("</Codes></CodeBook>")
    return code_guid


def _cases_xml(
    data: ReportData,
    sources: list[dict[str, Any]],
    cases: list[dict[str, Any]] | None,
    lines: list[str],
) -> None:
    """``<Variables>`` and ``<Cases>``: the respondent metadata the report uses (by column,
    template fields), one case per respondent, or the ``cases`` given (appended to
    ``lines``)."""
    var_cols = [c for c in _variable_columns(data) if c in data.comments.columns]
    first = data.comments.drop_duplicates("respondent_id")
    var_values = {
        c: dict(
            zip(
                first["respondent_id"].astype(str),
                ("" if pd.isna(v) else str(v) for v in first[c]),
                strict=True,
            )
        )
        for c in var_cols
    }
    if cases is not None:
        var_cols = list(dict.fromkeys(v for case in cases for v in case["values"]))
    if var_cols:
        lines.append("<Variables>")
        for c in var_cols:
            lines.append(
                f"<Variable{_attr('guid', guid('variable', c))}{_attr('name', c)}"
                f"{_attr('typeOfVariable', 'Text')}/>"
            )
        lines.append("</Variables>")
    if cases is not None and cases:
        lines.append("<Cases>")
        for case in cases:
            lines.append(
                f"<Case{_attr('guid', guid('case', case['name']))}{_attr('name', case['name'])}>"
            )
            for c in var_cols:
                lines.append(
                    f"<VariableValue><VariableRef{_attr('targetGUID', guid('variable', c))}/>"
                    f"<TextValue>{escape(case['values'].get(c, ''))}</TextValue></VariableValue>"
                )
            for rid in case["sources"]:
                lines.append(f"<SourceRef{_attr('targetGUID', guid('source', rid))}/>")
            for sid, tid in case["selections"]:
                lines.append(f"<SelectionRef{_attr('targetGUID', guid('selection', sid, tid))}/>")
            lines.append("</Case>")
        lines.append("</Cases>")
    elif sources and cases is None:
        lines.append("<Cases>")
        for s in sources:
            rid = s["respondent"]
            lines.append(f"<Case{_attr('guid', guid('case', rid))}{_attr('name', rid)}>")
            for c in var_cols:
                v = var_values[c].get(rid, "")
                lines.append(
                    f"<VariableValue><VariableRef{_attr('targetGUID', guid('variable', c))}/>"
                    f"<TextValue>{escape(v)}</TextValue></VariableValue>"
                )
            lines.append(f"<SourceRef{_attr('targetGUID', guid('source', rid))}/>")
            lines.append("</Case>")
        lines.append("</Cases>")


def _sources_xml(
    data: ReportData,
    sources: list[dict[str, Any]],
    code_guid: dict[str, str],
    user: str,
    when: str,
    lines: list[str],
) -> list[tuple[str, str]]:
    """``<Sources>``: each source with its selections and codings (appended to ``lines``).
    Returns the (file name, text) of every source."""
    tags = data.tags
    tags = tags[tags["theme"].astype(str) != UNCODED]
    if "is_interviewer" in tags.columns:
        tags = tags[~tags["is_interviewer"].map(_truthy)]
    by_comment: dict[str, list[tuple[int, int, str, str, float]]] = {}
    for cid, sid, st, en, tid, score in zip(
        tags["comment_id"].astype(str),
        tags["segment_id"].astype(str),
        tags["start"].astype(int),
        tags["end"].astype(int),
        tags["theme"].astype(str),
        tags["score"].astype(float),
        strict=True,
    ):
        by_comment.setdefault(cid, []).append((int(st), int(en), tid, sid, float(score)))
    files: list[tuple[str, str]] = []
    if sources:
        lines.append("<Sources>")
    for s in sources:
        rid = s["respondent"]
        sg = guid("source", rid)
        fname = f"{sg}.txt"
        files.append((fname, s["text"]))
        lines.append(
            f"<TextSource{_attr('guid', sg)}{_attr('name', rid)}"
            f"{_attr('plainTextPath', 'internal://' + fname)}"
            f"{_attr('creatingUser', user)}{_attr('creationDateTime', when)}>"
        )
        for cid, base in s["offsets"].items():
            g = by_comment.get(cid)
            if g is None:
                continue
            r = data.redacted[cid]
            for st0, en0, tid, sid, score in sorted(g):
                if tid not in code_guid:
                    continue
                st, en = r.expand(st0, en0)
                a = base + r.map(st, side="start")
                b = base + r.map(en, side="end")
                sel = guid("selection", sid, tid)
                lines.append(
                    f"<PlainTextSelection{_attr('guid', sel)}"
                    f"{_attr('name', sid)}"
                    f"{_attr('startPosition', a)}{_attr('endPosition', b)}"
                    f"{_attr('creatingUser', user)}{_attr('creationDateTime', when)}>"
                    f"<Description>{escape(f'{tid} score={score:.3f}')}</Description>"
                    f"<Coding{_attr('guid', guid('coding', sid, tid))}"
                    f"{_attr('creatingUser', user)}{_attr('creationDateTime', when)}>"
                    f"<CodeRef{_attr('targetGUID', code_guid[tid])}/></Coding>"
                    "</PlainTextSelection>"
                )
        lines.append("</TextSource>")
    if sources:
        lines.append("</Sources>")
    return files


def _variable_columns(data: ReportData) -> list[str]:
    import string

    cols: list[str] = []
    if data.by:
        cols.append(data.by)
    tpl = (data.manifest.get("parameters") or {}).get("attribution")
    if tpl:
        for _lit, fname, _s, _c in string.Formatter().parse(str(tpl)):
            if fname and fname not in cols:
                cols.append(fname)
    return cols


def _description(data: ReportData) -> str:
    m = data.manifest
    cb = m.get("codebook") or {}
    return (
        f"Machine coding by commentmine {m.get('version', '')} with codebook "
        f"{cb.get('name', '')} (sha256 {cb.get('sha256', '')}). Source texts are redacted; "
        "each coding's description holds the theme id and the tagger's score."
    )


def to_qdpx(data: ReportData, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Write a REFI-QDA project (``.qdpx``) for review in a QDA tool.

    Parameters
    ----------
    data : ReportData
        From :func:`commentmine.export.prepare`.
    path : path
        The ``.qdpx`` file (written atomically).
    **kwargs
        ``cases`` and ``sub_codes`` of :func:`project_xml`.

    Returns
    -------
    Path
    """
    xml, files = project_xml(data, **kwargs)
    when = manifest_time(data.manifest)
    entries = [("project.qde", xml.encode("utf-8"))]
    entries += [(f"Sources/{name}", text.encode("utf-8")) for name, text in files]
    target = Path(path)
    with atomic_path(target) as tmp:
        write_zip(tmp, entries, when)
    return target
