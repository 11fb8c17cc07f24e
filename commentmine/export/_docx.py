"""Word report (python-docx) with the same content as the Markdown/HTML report."""

from __future__ import annotations

import io
import os
from pathlib import Path

from commentmine._io import atomic_path
from commentmine.export._data import ReportData
from commentmine.export._manifest import manifest_time
from commentmine.export._text import _context, footer
from commentmine.export._zip import normalise_zip


def to_docx(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Write the report as a Word document.

    Headings, overview table, one section per theme (prevalence sentence, chart, group
    table, quotes with attributions). Core properties and zip entry times come from the
    manifest's ``created`` time, so the same run gives the same bytes.

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
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    when = manifest_time(data.manifest)
    ctx = _context(data, {})
    doc = docx.Document()
    props = doc.core_properties
    props.title = data.title
    props.author = "commentmine"
    props.last_modified_by = "commentmine"
    props.created = when.replace(tzinfo=None)
    props.modified = when.replace(tzinfo=None)
    props.last_printed = when.replace(tzinfo=None)
    props.revision = 1
    props.comments = f"commentmine {data.manifest.get('version', '')}"

    doc.add_heading(data.title, level=0)
    doc.add_paragraph(ctx["intro"])
    doc.add_heading("Overview", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Theme", "Respondents", "Share (95% CI)", "Base"), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in data.overview:
        cells = table.add_row().cells
        cells[0].text = ("    " if row["level"] == 2 else "") + row["label"]
        cells[1].text = str(row["respondents"])
        cells[2].text = row["share_text"]
        cells[3].text = str(row["base"])
        for c in cells[1:]:
            c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(
        f"Share = respondents who raised the theme out of the {data.base} respondents who "
        "answered (the base); indented sub-themes roll up into their theme."
    )

    for s in data.sections:
        doc.add_heading(s.label, level=s.level + 0)
        if s.description:
            p = doc.add_paragraph()
            run = p.add_run(s.description)
            run.italic = True
        doc.add_paragraph(s.sentence)
        if s.chart_png:
            doc.add_picture(io.BytesIO(s.chart_png), width=Inches(5.5))
        if s.groups:
            gt = doc.add_table(rows=1, cols=4)
            gt.style = "Table Grid"
            heads = (data.by or "group", "Respondents", "Base", "Share (95% CI)")
            for cell, text in zip(gt.rows[0].cells, heads, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for g in s.groups:
                cells = gt.add_row().cells
                for c, v in zip(
                    cells, (g["group"], g["respondents"], g["base"], g["share_text"]), strict=True
                ):
                    c.text = str(v)
            if s.group_test:
                doc.add_paragraph(
                    f"{s.group_test} Cells under {data.min_cell} respondents are suppressed."
                )
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
