"""Write the small real input files that the reader tests use (deterministic).

    .venv/bin/python tests/data/make_data.py

Every file here is tiny and invented for the tests. Good files hold the same four-respondent
survey (:data:`ROWS`) in each format, so tests can check that every reader gives the same table.
Bad files each break one thing (see the table at the end of :func:`main`).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = ["id", "org_type", "region", "funding", "engagement"]
ROWS = [
    [
        "007",
        "charity",
        "Wales",
        "Funding is too short-term: twelve months at most, so we can’t keep staff. "
        "A £10,000 pot is not enough.",
        "We met the PCC once, at a hustings.",
    ],
    [
        "008",
        "CIC",
        "North East",
        "N/A",
        "Never had any contact with the OPCC at all, despite several emails.",
    ],
    [
        "2024-03-01",
        "community group",
        "London",
        "",
        "The Commissioner's office is helpful, but meetings are always in the city centre.",
    ],
    [
        "010",
        "network",
        "South West",
        "- Multi-year grants for small charities\n- Simpler forms\n- Feedback on bids",
        "No",
    ],
]

INTERVIEW_TXT = """\
Notes of interview, 4 March 2024. Interviewer: JS.

# Funding
Q: How is your work funded?
A: Mostly annual grants from the OPCC.
We never know until March whether it continues.

Q: What would help?
A: Three-year funding.

# Partnership
JS: Do you work with others?
KP: All the time, through the local forum.
"""

INTERVIEW_MD = """\
# Interview with a network lead

Recorded 5 March 2024.

## Engagement

**Interviewer:** How often do you meet the PCC?

**Sarah Jones:** Twice a year, at the VCSE forum.
- Agendas are set by the OPCC
- Little time for questions

## Next steps

**Interviewer:** Anything else?

**Sarah Jones:** n/a
"""

INTERVIEW_DOCX = [
    ("Title", "Interview: OPCC staff"),
    ("Heading 1", "Commissioning"),
    (None, "Interviewer: How do you commission services?"),
    (None, "Dan Okafor: Through grants and contracts."),
    ("List Bullet", "Grants up to £10,000"),
    ("List Bullet", "Contracts for victims' services"),
    ("Heading 1", "Sector voice"),
    (None, "Interviewer: Who is not heard?"),
    (None, "Dan Okafor: Small rural groups."),
]

FIXED = datetime.datetime(2024, 4, 1, 9, 0, 0)


def _normalise_zip(path: Path) -> None:
    """Fixed member timestamps and core-property dates, so the bytes never change."""
    with zipfile.ZipFile(path) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>2024-04-01T09:00:00Z\g<3>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    path.write_bytes(out.getvalue())


def _csv_text(delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(ROWS)
    return buf.getvalue()


def _xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    meta = wb.active
    meta.title = "about"
    meta.append(["note"])
    meta.append(["Test survey written for commentmine."])
    ws = wb.create_sheet("responses")
    ws.append(COLUMNS)
    for row in ROWS:
        ws.append(row)
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)
    _normalise_zip(path)


def _docx(path: Path) -> None:
    import docx

    doc = docx.Document()
    for style, text in INTERVIEW_DOCX:
        if style == "Title":
            doc.add_heading(text, level=0)
        elif style and style.startswith("Heading"):
            doc.add_heading(text, level=int(style.split()[-1]))
        else:
            doc.add_paragraph(text, style=style)
    doc.core_properties.created = FIXED
    doc.core_properties.modified = FIXED
    doc.core_properties.revision = 1
    doc.save(str(path))
    _normalise_zip(path)


def main() -> None:
    records = [dict(zip(COLUMNS, row, strict=True)) for row in ROWS]
    # Good survey files: the same table in every format and encoding.
    (HERE / "survey_utf8.csv").write_bytes(_csv_text().encode("utf-8"))
    (HERE / "survey_utf8_sig.csv").write_bytes(_csv_text().encode("utf-8-sig"))
    (HERE / "survey_cp1252.csv").write_bytes(_csv_text().encode("cp1252"))
    (HERE / "survey_semicolon.csv").write_bytes(_csv_text(";").encode("utf-8"))
    (HERE / "survey_tab.csv").write_bytes(_csv_text("\t").encode("utf-8"))
    # Excel's "Unicode text" export: UTF-16 little-endian with a byte-order mark, tab-delimited.
    (HERE / "survey_utf16.csv").write_bytes(
        codecs.BOM_UTF16_LE + _csv_text("\t").encode("utf-16-le")
    )
    (HERE / "survey.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "survey.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    _xlsx(HERE / "survey_two_sheets.xlsx")
    import pandas as pd

    frame = pd.DataFrame(records)
    frame["score"] = pd.array([1, None, 3, 4], dtype="Int64")  # typed column with a gap
    frame.to_parquet(HERE / "survey.parquet", index=False, engine="pyarrow")
    # Odd but valid.
    (HERE / "header_only.csv").write_bytes(",".join(COLUMNS).encode() + b"\r\n")
    dupes = _csv_text() + "008,charity,Wales,Again a long answer about funding pots,Again\r\n"
    (HERE / "duplicate_ids.csv").write_bytes(dupes.encode("utf-8"))
    # Interview notes.
    (HERE / "interview.txt").write_text(INTERVIEW_TXT, encoding="utf-8", newline="\n")
    (HERE / "interview.md").write_text(INTERVIEW_MD, encoding="utf-8", newline="\n")
    _docx(HERE / "interview.docx")
    # Bad files, one fault each.
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 4)
    (HERE / "bad_encoding.csv").write_bytes(
        b"id,answer\r\n1,caf\xc3\xa9 is fine\r\n2,bytes \x81\x8d\x9d fit no encoding\r\n"
    )
    (HERE / "unclosed_quote.csv").write_bytes(
        b'id,answer\r\n1,"This answer opens a quote and never closes it\r\n2,next row\r\n'
    )
    xlsx = (HERE / "survey_two_sheets.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(xlsx[: len(xlsx) // 2])
    docx_bytes = (HERE / "interview.docx").read_bytes()
    (HERE / "truncated.docx").write_bytes(docx_bytes[: len(docx_bytes) // 2])


if __name__ == "__main__":
    main()
