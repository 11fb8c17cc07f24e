"""Framework-matrix outputs: ``framework.xlsx``, a Word/HTML appendix and a REFI-QDA project.

Made from a :class:`commentmine.Framework`. Every text in them is the framework's,
so it is redacted when the framework was made with ``redact=True`` (the default). Times come
from the run manifest (``SOURCE_DATE_EPOCH`` fixes them), so the same input gives the same
bytes.
"""

from __future__ import annotations

import copy
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from commentmine import errors
from commentmine._io import atomic_path, write_text_atomic
from commentmine.export._manifest import build_manifest, manifest_time, write_manifest
from commentmine.export._sheet import LINE_PT, manifest_rows, neutralise, save_workbook
from commentmine.export._zip import normalise_zip

FRAMEWORK_FORMATS = ("xlsx", "docx", "html", "qdpx")
FRAMEWORK_FILES = {
    "xlsx": "framework.xlsx",
    "docx": "framework_appendix.docx",
    "html": "framework_appendix.html",
    "qdpx": "framework.qdpx",
}
DEFAULT_FRAMEWORK_TITLE = "Framework matrix"
#: Excel holds at most 32,767 characters in a cell; longer evidence is cut with a pointer.
CELL_LIMIT = 32_000
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

#: Column widths (characters) of the framework sheets.
WIDTHS = {"case": 28, "summary": 48, "evidence": 70, "views": 36}


def write_framework(
    fw: Any,
    out_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = FRAMEWORK_FORMATS,
    title: str = DEFAULT_FRAMEWORK_TITLE,
    inputs: Sequence[str | os.PathLike[str]] = (),
    manifest: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write a framework matrix's outputs into ``out_dir``, with ``framework_manifest.json``.

    Parameters
    ----------
    fw : Framework
        From :func:`commentmine.framework`.
    out_dir : path
        Folder to write into (created if needed).
    formats : sequence of str, default ("xlsx", "docx", "html", "qdpx")
        ``xlsx`` (framework.xlsx: an ``about`` sheet, the summary ``matrix``, one sheet per
        theme group with each cell's summary and evidence, ``views``, ``cases``,
        ``evidence``), ``docx`` / ``html`` (framework_appendix: the range of views and the
        summaries per theme group), ``qdpx`` (framework.qdpx: REFI-QDA with the framework's
        cases, the themes and the views as codes).
    title : str
        Title of the appendix and the QDA project.
    inputs : sequence of path
        Input files to hash into the manifest.
    manifest : dict, optional
        From :func:`commentmine.export.build_manifest` (default: built here).

    Returns
    -------
    dict of str -> Path
        Format -> file written, plus ``"manifest"``.
    """
    fmts = [str(f).strip().lower() for f in formats]
    for f in fmts:
        if f not in FRAMEWORK_FORMATS:
            raise errors.unknown_format(f, FRAMEWORK_FORMATS)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise errors.bad_argument(f"--out-dir {str(out)!r} exists and is not a folder")
    if manifest is None:
        manifest = build_manifest(
            comments=fw.comments,
            codebook=fw.codebook,
            inputs=inputs,
            model={"name": fw.settings.get("embedder")},
            parameters={"command": "framework", **fw.settings},
        )
    writers = {
        "xlsx": to_framework_xlsx,
        "docx": to_framework_docx,
        "html": to_framework_html,
        "qdpx": to_framework_qdpx,
    }
    written: dict[str, Path] = {}
    for f in dict.fromkeys(fmts):
        written[f] = writers[f](fw, out / FRAMEWORK_FILES[f], manifest=manifest, title=title)
    if fw.settings.get("redact"):
        written.update(_write_redactions(fw, out))
    written["manifest"] = write_manifest(out / "framework_manifest.json", manifest, outputs=written)
    return written


# --- tables shown to readers ----------------------------------------------------------------


def _cut(text: str, n_segments: int) -> str:
    if len(text) <= CELL_LIMIT:
        return text
    head = text[:CELL_LIMIT].rsplit("\n", 1)[0]
    shown = head.count("\n") + 1
    return f"{head}\n... ({n_segments - shown} more segments: see the evidence sheet)"


def _bullets(text: str) -> str:
    """One segment per line, each after a bullet (the cell's segments stand apart)."""
    return "\n".join(f"\u2022 {line}" for line in text.split("\n") if line)


def sheet_name(label: str, taken: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, no ``[]:*?/\\``), unique in ``taken``.

    >>> sheet_name("Collaboration vs competition: a very long label", set())
    'Collaboration vs competition a '
    """
    base = _SHEET_BAD.sub(" ", str(label)).strip()[:31] or "theme"
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(name.lower())
    return name


def group_sheet(fw: Any, group: str) -> pd.DataFrame:
    """One theme group as a sheet: a row per case, a summary and an evidence column per theme,
    and the views the case holds."""
    themes = fw.themes[fw.themes["group"] == group]
    cells = {
        (r["case"], r["theme"]): r for r in fw.cells[fw.cells["group"] == group].to_dict("records")
    }
    ev = fw.evidence[fw.evidence["group"] == group]
    vname = {
        v: f"{lab} ({pol})"
        for v, lab, pol in zip(
            fw.views["view"], fw.views["label"], fw.views["polarity"], strict=True
        )
    }
    held: dict[str, list[str]] = {}
    for case, view in zip(ev["case"], ev["view"], strict=True):
        views = held.setdefault(case, [])
        if view not in views:
            views.append(view)
    rows = []
    for case in fw.cases["case"]:
        row: dict[str, Any] = {"case": case}
        for tid, label in zip(themes["theme"], themes["label"], strict=True):
            c = cells.get((case, tid))
            row[f"{label}: summary"] = _bullets(str(c["summary"])) if c else ""
            row[f"{label}: evidence"] = (
                _bullets(_cut(str(c["evidence"]), int(c["n_segments"]))) if c else ""
            )
        row["views held"] = "\n".join(vname[v] for v in fw.views["view"] if v in held.get(case, []))
        rows.append(row)
    return pd.DataFrame(rows)


def summary_sheet(fw: Any) -> pd.DataFrame:
    """Cases x themes, each cell the case's summary on the theme."""
    wide = fw.matrix("summary")
    labels = dict(zip(fw.themes["theme"], fw.themes["label"], strict=True))
    out = wide.reset_index()
    out.columns = ["case"] + [labels.get(c, c) for c in wide.columns]
    return out


def about_rows(fw: Any, manifest: dict[str, Any]) -> pd.DataFrame:
    s = fw.settings
    red = (
        "Redacted: names, e-mails, phone numbers, addresses, organisations and places are "
        "replaced by [NAME], [EMAIL], ... placeholders."
        if s.get("redact", True)
        else "NOT redacted (made with redaction off): check before sharing."
    )
    rows = [
        (
            "what",
            "A framework matrix (Ritchie and Spencer): one row per case, one column per "
            "theme, each cell holding the case's evidence on the theme.",
        ),
        (
            "cases",
            f"One per value of '{fw.case_col}' ({len(fw.cases)} cases). "
            "Interviewer turns are never evidence.",
        ),
        (
            "cells",
            "Summary: the 1-2 segments of the cell surest to be about the theme (highest tag "
            "score; among equal scores the most central to the cell), verbatim. Evidence: every "
            "tagged segment of the case on the theme, verbatim, in source order.",
        ),
        (
            "references",
            "[file, turn N, start-end]: the interview file, the speaker turn and the "
            "character offsets of the segment in the ORIGINAL turn (survey answers: the comment id "
            "instead of the turn).",
        ),
        (
            "views",
            "Per theme group: its sub-themes where the codebook has them, else clusters of its "
            f"segments (setting: {fw.settings.get('n_views')}), named by their most distinctive "
            "words. Polarity from the VADER sentiment lexicon: positive / negative / mixed / "
            "neutral; machine-made, check it against the evidence. A case can hold more than "
            "one view.",
        ),
        ("redaction", red),
        (
            "sheets",
            "matrix (summaries), one sheet per theme group (summary + evidence per theme, "
            "views held), views, cases (metadata), evidence (one row per segment), settings.",
        ),
        ("created", str(manifest.get("created", ""))),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


# --- xlsx ----------------------------------------------------------------------------------


def _width(col: str) -> int:
    c = col.lower()
    if c == "case":
        return WIDTHS["case"]
    if c.endswith(": summary"):
        return WIDTHS["summary"]
    if c.endswith(": evidence") or c in ("evidence", "text", "quote", "value"):
        return WIDTHS["evidence"]
    if c in ("views held", "cases", "label", "summary"):
        return WIDTHS["views"]
    return 0


def _write_sheet(wb: Any, name: str, df: pd.DataFrame, *, wrap_all: bool = False) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=name)
    ws.append([neutralise(str(c)) for c in df.columns])
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = wrap
    widths = []
    for i, col in enumerate(df.columns):
        w = _width(str(col))
        if not w:
            vals = [len(str(col))] + [len(str(v)) for v in df.iloc[:200, i]]
            w = min(40, max(8, max(vals) + 2))
        widths.append(w)
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    style = None
    for r, row in enumerate(df.itertuples(index=False), start=2):
        lines = 1
        for i, v in enumerate(row):
            v = None if v is None or (isinstance(v, float) and math.isnan(v)) else v
            if hasattr(v, "item"):
                v = v.item()
            if isinstance(v, str):
                v = neutralise(v)
            cell = ws.cell(row=r, column=i + 1, value=v)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula
                per = max(1, widths[i] - 2)
                lines = max(lines, sum(math.ceil(max(1, len(p)) / per) for p in v.split("\n")))
            if style is None:
                cell.alignment = wrap
                style = cell._style
            else:
                # the same style on every data cell: copying openpyxl's style array is ~10x
                # faster than registering the alignment again for each of 100,000 cells
                cell._style = copy.copy(style)
        if lines > 1:
            ws.row_dimensions[r].height = LINE_PT * min(lines, 26)
    ws.freeze_panes = "B2" if df.columns[:1].tolist() == ["case"] else "A2"
    # printing: landscape, as wide as the page, the header row repeated on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def to_framework_xlsx(
    fw: Any, path: str | os.PathLike[str], *, manifest: dict[str, Any], title: str = ""
) -> Path:
    """Write ``framework.xlsx``: what evaluators open.

    Sheets: ``about`` (how to read it), ``matrix`` (cases x themes, each cell the case's
    summary with references), one sheet per theme group (per theme a summary and an evidence
    column, and the views the case holds), ``views`` (the range of views with polarity, the
    cases holding each and a quote), ``cases`` (case metadata), ``evidence`` (one row per
    segment) and ``settings``. Cells wrap, rows are tall enough to show them, the case
    column is frozen. Text that a spreadsheet would run as a formula is neutralised.

    Parameters
    ----------
    fw : Framework
    path : path
        The ``.xlsx`` file (written atomically; same input -> same bytes).
    manifest : dict
        Its ``created`` time stamps the file.
    title : str
        Unused (the workbook has no title page); kept for a common signature.

    Returns
    -------
    Path
    """
    from openpyxl import Workbook

    del title
    when = manifest_time(manifest).replace(tzinfo=None)
    wb = Workbook()
    wb.remove(wb.active)
    taken = {"about", "matrix", "views", "cases", "evidence", "settings"}
    _write_sheet(wb, "about", about_rows(fw, manifest))
    _write_sheet(wb, "matrix", summary_sheet(fw))
    for group in fw.groups:
        _write_sheet(wb, sheet_name(fw.group_label(group), taken), group_sheet(fw, group))
    views = fw.views.copy()
    views.insert(1, "group_label", views["group"].map(fw.group_label))
    _write_sheet(wb, "views", views)
    _write_sheet(wb, "cases", fw.cases)
    _write_sheet(wb, "evidence", fw.evidence)
    _write_sheet(wb, "settings", pd.DataFrame(manifest_rows(manifest), columns=["key", "value"]))
    return save_workbook(wb, path, when)


# --- appendix (docx / html) -------------------------------------------------------------------


def appendix_context(fw: Any, title: str) -> dict[str, Any]:
    """What the Word and HTML appendices show, per theme group."""
    groups = []
    for group in fw.groups:
        v = fw.views[fw.views["group"] == group]
        themes = fw.themes[fw.themes["group"] == group]
        cells = fw.cells[fw.cells["group"] == group]
        rows = []
        for case in fw.cases["case"]:
            c = cells[cells["case"] == case]
            if c.empty:
                continue
            rows.append(
                {
                    "case": case,
                    "themes": [
                        {
                            "label": str(r.label),
                            "n": int(r.n_segments),
                            "summary": str(r.summary).split("\n"),
                        }
                        for r in c.itertuples(index=False)
                    ],
                }
            )
        groups.append(
            {
                "label": fw.group_label(group),
                "anchor": re.sub(r"[^a-z0-9]+", "-", group.lower()).strip("-") or "theme",
                "paragraph": fw.range_of_views(group),
                "sub_themes": len(themes) > 1,
                "views": [
                    {
                        "label": str(r.label),
                        "polarity": str(r.polarity),
                        "n_cases": int(r.n_cases),
                        "cases": str(r.cases),
                        "n_segments": int(r.n_segments),
                        "quote": " ".join(str(r.quote).split()),
                        "quote_case": str(r.quote_case),
                        "quote_ref": str(r.quote_ref),
                    }
                    for r in v.itertuples(index=False)
                ],
                "cases": rows,
            }
        )
    n = len(fw.cases)
    return {
        "title": title,
        "intro": (
            f"{n} case{'s' * (n != 1)} (one per '{fw.case_col}'), {fw.cells['theme'].nunique()} "
            "themes. For each theme group: the range of views across the cases (the number of "
            "cases holding each view and one quote per view), then each case's summary: the "
            "one or two segments of its evidence surest to be about the theme, verbatim, with "
            "references [file, turn, character offsets]. Every segment is in framework.xlsx."
        ),
        "redacted": bool(fw.settings.get("redact", True)),
        "groups": groups,
    }


def to_framework_html(
    fw: Any, path: str | os.PathLike[str], *, manifest: dict[str, Any], title: str
) -> Path:
    """Write the appendix as one self-contained HTML file."""
    from commentmine.export._text import _env

    ctx = appendix_context(fw, title)
    ctx["created"] = manifest.get("created", "")
    ctx["version"] = manifest.get("version", "")
    html = _env(True).get_template("framework.html.j2").render(**ctx)
    write_text_atomic(path, html)
    return Path(path)


def to_framework_docx(
    fw: Any, path: str | os.PathLike[str], *, manifest: dict[str, Any], title: str
) -> Path:
    """Write the appendix as a Word document (A4, the report's margins)."""
    from docx.shared import Pt

    from commentmine.export._docx import _table, new_document

    when = manifest_time(manifest).replace(tzinfo=None)
    ctx = appendix_context(fw, title)
    doc, text_width_in = new_document("A4", title, when)
    doc.add_heading(title, level=0)
    doc.add_paragraph(ctx["intro"])
    for g in ctx["groups"]:
        doc.add_heading(g["label"], level=1)
        doc.add_paragraph(g["paragraph"])
        if g["views"]:
            _table(
                doc,
                ("View", "Polarity", "Cases", "Segments"),
                [
                    [v["label"], v["polarity"], str(v["n_cases"]), str(v["n_segments"])]
                    for v in g["views"]
                ],
                text_width_in,
            )
            for v in (v for v in g["views"] if v["quote"]):
                p = doc.add_paragraph(style="Quote")
                p.add_run(f"\u201c{v['quote']}\u201d")
                a = doc.add_paragraph()
                a.add_run(
                    f"\u2014 {v['quote_case']}, {v['label']} [{v['quote_ref']}]"
                ).font.size = Pt(9)
        for row in g["cases"]:
            doc.add_heading(row["case"], level=2)
            for th in row["themes"]:
                p = doc.add_paragraph()
                if g["sub_themes"]:
                    p.add_run(f"{th['label']} ").bold = True
                p.add_run(f"({th['n']} segment{'s' * (th['n'] != 1)})").italic = True
                for line in th["summary"]:
                    doc.add_paragraph(line, style="List Bullet")
    foot = doc.add_paragraph(
        f"Made with commentmine {manifest.get('version', '')} on {manifest.get('created', '')}. "
        + ("Quotes are redacted." if ctx["redacted"] else "Redaction was switched off.")
    )
    foot.runs[0].font.size = Pt(8)
    target = Path(path)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
        normalise_zip(tmp, when)
    return target


# --- REFI-QDA ----------------------------------------------------------------------------------


def qda_parts(
    fw: Any,
) -> tuple[pd.DataFrame, list[dict[str, Any]], dict[str, list[tuple[str, str, str]]]]:
    """The codings (theme and view rows), the cases and the view codes of the QDA project."""
    ev = fw.evidence
    cols = ["comment_id", "segment_id", "start", "end", "theme", "score"]
    themed = ev.drop_duplicates(["segment_id", "theme"])[cols]
    clustered = set(fw.views.loc[fw.views["kind"] == "cluster", "view"])
    vrows = ev[ev["view"].isin(clustered)].drop_duplicates(["segment_id", "view"])
    viewed = vrows[["comment_id", "segment_id", "start", "end", "view", "score"]].rename(
        columns={"view": "theme"}
    )
    codings = pd.concat([themed, viewed], ignore_index=True)
    sub_codes: dict[str, list[tuple[str, str, str]]] = {}
    for r in fw.views[fw.views["kind"] == "cluster"].itertuples(index=False):
        sub_codes.setdefault(str(r.group), []).append(
            (
                str(r.view),
                str(r.label),
                f"A view within {fw.group_label(str(r.group))}, found by "
                f"clustering its segments ({r.polarity}; {r.n_cases} case{'s' * (r.n_cases != 1)}).",
            )
        )
    comments = fw.comments
    resp = dict(
        zip(comments["comment_id"].astype(str), comments["respondent_id"].astype(str), strict=True)
    )
    # a case owns a whole source when every evidence segment of that source is its own
    src_cases: dict[str, set[str]] = {}
    for cid, case in zip(ev["comment_id"], ev["case"], strict=True):
        src_cases.setdefault(resp.get(cid, cid), set()).add(case)
    meta_cols = [c for c in fw.cases.columns if c not in ("case", "n_comments", "n_segments")]
    cases = []
    for rec in fw.cases.to_dict("records"):
        case = rec["case"]
        mine = ev[ev["case"] == case]
        own = sorted({resp.get(c, c) for c in mine["comment_id"]})
        whole = [s for s in own if src_cases.get(s) == {case}]
        part = mine[~mine["comment_id"].map(lambda c: resp.get(c, c)).isin(whole)]
        cases.append(
            {
                "name": str(case),
                "values": {c: str(rec.get(c, "") or "") for c in meta_cols},
                "sources": whole,
                "selections": list(
                    dict.fromkeys(zip(part["segment_id"], part["theme"], strict=True))
                ),
            }
        )
    return codings, cases, sub_codes


def to_framework_qdpx(
    fw: Any, path: str | os.PathLike[str], *, manifest: dict[str, Any], title: str
) -> Path:
    """Write a REFI-QDA project with the framework's cases, codes and codings.

    Codes: the codebook's themes (with their sub-themes) and, under each theme group that was
    clustered, one code per view. Cases: one per framework case, with the case metadata as
    variables and a reference to each source it owns (or to its coded selections where a
    source is shared between cases). Sources are the redacted comments (interviewer turns
    included, uncoded). In NVivo, a framework matrix on these cases and codes gives the same
    rows and columns.
    """
    from commentmine._redacted import redact_texts
    from commentmine._tables import STATUS_OK
    from commentmine.export._qdpx import to_qdpx

    comments = fw.comments.copy()
    comments["comment_id"] = comments["comment_id"].astype(str)
    ok = comments
    if "status" in ok.columns:
        ok = ok[ok["status"].astype(str) == STATUS_OK]
    red = dict(
        zip(
            ok["comment_id"],
            redact_texts(
                ok["text"].fillna("").astype(str).tolist(),
                enabled=bool(fw.settings.get("redact", True)),
            ),
            strict=True,
        )
    )
    codings, cases, sub_codes = qda_parts(fw)
    data = SimpleNamespace(
        title=title,
        codebook=fw.codebook,
        comments=comments,
        tags=codings,
        redacted=red,
        manifest=manifest,
        by=None,
    )
    return to_qdpx(data, path, cases=cases, sub_codes=sub_codes)  # type: ignore[arg-type]


#: The framework's redaction log (no original text) and the analyst's check file beside it.
FRAMEWORK_LOG_NAME = "framework_redactions.csv"
FRAMEWORK_CHECK_NAME = "framework_redactions_CHECK_original_text_not_for_sharing.csv"


def _write_redactions(fw: Any, out: Path) -> dict[str, Path]:
    """Write the matrix's redaction log and the analyst's check file (as beside a report)."""
    from commentmine._framework._public import REDACTION_COLUMNS
    from commentmine.export._redaction_log import write_log_and_check

    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "redactions": out / FRAMEWORK_LOG_NAME,
        "redactions_check": out / FRAMEWORK_CHECK_NAME,
    }
    table = fw.redactions.reindex(columns=REDACTION_COLUMNS)
    return write_log_and_check(table, REDACTION_COLUMNS[:4], paths)
