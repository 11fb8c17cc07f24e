"""Word report (python-docx) with the same content as the Markdown/HTML report."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from commentmine._io import atomic_path
from commentmine.export._data import ReportData
from commentmine.export._manifest import manifest_time
from commentmine.export._text import _context, footer
from commentmine.export._zip import normalise_zip

#: Page size (width, height) in millimetres, by :attr:`ReportData.paper`.
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_MM = 25.4
#: Width of one character of 11 pt body text, and a cell's left + right padding, in inches:
#: generous (a wide serif such as DejaVu Serif, or bold), so numbers and headers never wrap.
_CHAR_IN = 0.1
_PAD_IN = 0.3


def new_document(paper: str, title: str, when: Any) -> tuple[Any, float]:
    """An empty Word document on ``paper`` with the report's margins, its properties stamped
    with the run's time (naive ``when``), and the width of its text in inches."""
    import docx
    from docx.shared import Mm

    doc = docx.Document()
    width_mm, height_mm = PAPER_MM[paper]
    for section in doc.sections:
        section.page_width, section.page_height = Mm(width_mm), Mm(height_mm)
        section.left_margin = section.right_margin = Mm(MARGIN_MM)
        section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = "commentmine"
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    return doc, (width_mm - 2 * MARGIN_MM) / 25.4


def _fit_columns(table: Any, rows: list[list[str]], text_width_in: float) -> None:
    """Column widths that fit the content: numbers get what they need, the first column the rest.

    Widths are set on the grid and on every cell (Word reads the cells, LibreOffice the
    grid). A first column whose text is longer than the room left wraps; the table is never
    wider than the text.
    """
    from docx.shared import Inches

    ncols = len(rows[0])
    need = [
        max(len(line) for r in rows for line in (str(r[i]) or " ").split("\n")) * _CHAR_IN + _PAD_IN
        for i in range(ncols)
    ]
    rest = sum(need[1:])
    first = max(1.2, min(need[0], text_width_in - rest))
    widths = [first, *need[1:]]
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Inches(w)
        for cell in table.columns[i].cells:
            cell.width = Inches(w)


def _table(doc: Any, heads: Sequence[str], rows: list[list[str]], text_width_in: float) -> Any:
    """A grid table: bold header, numbers (every column after the first) right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, cell in enumerate(table.rows[0].cells):
        if i:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = value
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _fit_columns(table, [list(heads), *rows], text_width_in)
    _keep_together(table)
    return table


def _keep_together(table: Any) -> None:
    """Repeat the header row on a new page and keep a short table on one page.

    Every row but the last keeps with the next one, so Word and LibreOffice move a table that
    does not fit to the next page instead of leaving its header behind.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    header.append(flag)
    if len(table.rows) > 30:  # a long table may break; its header repeats
        return
    for row in table.rows[:-1]:
        for cell in row.cells:
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = True


def to_docx(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write the report as a Word document.

    Headings, overview table, one section per theme (prevalence sentence, chart, group
    table, quotes with attributions). The page is A4, or US Letter for a locale of a region
    that uses it (``locale="en-US"``; see :func:`commentmine.export.report`), with 2.54 cm
    margins; table columns are sized to their content and charts span the text width. Core
    properties and zip entry times come from the manifest's ``created`` time, so the same run
    gives the same bytes.

    Parameters
    ----------
    data : ReportData
        From :func:`commentmine.export.prepare`.
    path : path
        The ``.docx`` file to write (atomically).

    Returns
    -------
    Path
    """
    from docx.shared import Inches, Pt

    when = manifest_time(data.manifest)
    ctx = _context(data, {})
    doc, text_width_in = new_document(data.paper, data.title, when.replace(tzinfo=None))
    props = doc.core_properties
    props.comments = f"commentmine {data.manifest.get('version', '')}"

    doc.add_heading(data.title, level=0)
    doc.add_paragraph(ctx["intro"])
    doc.add_heading("Overview", level=1)
    _table(
        doc,
        ("Theme", "Respondents", "Share (95% CI)", "Base"),
        [
            [
                ("    " if row["level"] == 2 else "") + row["label"],
                str(row["respondents"]),
                row["share_text"],
                str(row["base"]),
            ]
            for row in data.overview
        ],
        text_width_in,
    )
    doc.add_paragraph(ctx["base_note"] + " Indented sub-themes roll up into their theme.")

    for s in data.sections:
        doc.add_heading(s.label, level=s.level + 0)
        if s.description:
            p = doc.add_paragraph()
            run = p.add_run(s.description)
            run.italic = True
        doc.add_paragraph(s.sentence)
        if s.chart_png:
            doc.add_picture(io.BytesIO(s.chart_png), width=Inches(text_width_in))
        if s.groups:
            _table(
                doc,
                (data.by or "group", "Respondents", "Base", "Share (95% CI)"),
                [
                    [str(g["group"]), str(g["respondents"]), str(g["base"]), g["share_text"]]
                    for g in s.groups
                ],
                text_width_in,
            )
            if s.group_test:
                doc.add_paragraph(
                    f"{s.group_test} Cells under {data.min_cell} respondents are suppressed."
                )
        if s.views_text:
            p = doc.add_paragraph()
            p.add_run("Range of views. ").bold = True
            p.add_run(s.views_text)
            for v in s.views:
                doc.add_paragraph(style="Quote").add_run(f"\u201c{v['text']}\u201d")
                a = doc.add_paragraph()
                a.add_run(f"\u2014 {v['attribution']} ({v['view']})").font.size = Pt(9)
        for q in s.quotes:
            p = doc.add_paragraph(style="Quote")
            p.add_run(f"\u201c{q['text']}\u201d")
            a = doc.add_paragraph()
            side = f" ({q['side']})" if q["side"] else ""
            run = a.add_run(f"\u2014 {q['attribution']}{side}")
            run.font.size = Pt(9)
    doc.add_paragraph(footer(data)).runs[0].font.size = Pt(8)

    target = Path(path)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
        normalise_zip(tmp, when)
    return target
