"""Report polish a reader notices: p-values, small bases, charts, Word page and tables, Excel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import _fixtures_report as F
import pandas as pd
import pytest

from commentmine.export import paper_for, report
from commentmine.export._chart import bar_chart, wrap_label
from commentmine.export._data import p_value_text
from commentmine.export._sheet import manifest_rows


def _contrast_comments() -> pd.DataFrame:
    """40 small charities all on funding, 40 large ones never: a difference with p < 0.001."""
    rows = []
    for i in range(80):
        small = i < 40
        rows.append(
            {
                "comment_id": f"c{i:02d}",
                "respondent_id": f"r{i:02d}",
                "question": "experience",
                "text": "Funding pots are tiny and short-term."
                if small
                else "The weather was lovely on the day.",
                "source": "s.csv",
                "status": "ok",
                "speaker": "",
                "is_interviewer": False,
                "org_type": "small charity" if small else "large charity",
                "region": "Wales",
                "consent": "yes",
            }
        )
    return pd.DataFrame(rows)


def test_p_values_below_0001_are_written_as_such(tmp_path: Path) -> None:
    assert p_value_text(1e-9) == "p < 0.001" and p_value_text(0.0004999) == "p < 0.001"
    assert p_value_text(0.001) == "p = 0.001" and p_value_text(0.04567) == "p = 0.046"
    c = _contrast_comments()
    paths = report(
        F.tags(c), c, F.codebook(), tmp_path, by="org_type", formats=("md", "html", "docx"),
        embedder=F.HashEmbedder(), consent_col="consent",
    )  # fmt: skip
    md = paths["md"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    assert "chi-square test, p \\< 0.001." in md  # "<" escaped for Markdown
    assert "chi-square test, p &lt; 0.001." in html
    assert "p = 0.000" not in md and "p = 0.000" not in html


def test_html_share_cells_do_not_wrap_and_charts_span_the_page(tmp_path: Path) -> None:
    c = F.comments()
    paths = report(
        F.tags(c), c, F.codebook(), tmp_path, by="org_type", formats=("html",),
        embedder=F.HashEmbedder(), consent_col="consent",
    )  # fmt: skip
    html = paths["html"].read_text(encoding="utf-8")
    num_rule = next(line for line in html.splitlines() if line.startswith("td.num, th.num"))
    assert "white-space: nowrap" in num_rule
    assert "figure img { display: block; width: 100%;" in html
    assert '<td class="num">75% (47–91%)</td>' in html


def test_chart_labels_wrap_instead_of_being_cut() -> None:
    a = "Representation and diversity of the sector: small grassroots groups"
    b = "Representation and diversity of the sector: large national charities"
    wa, wb = wrap_label(a), wrap_label(b)
    assert wa != wb and "\u2026" not in wa + wb
    assert wa.replace("\n", " ") == a and wb.replace("\n", " ") == b
    assert max(len(line) for line in wa.splitlines()) <= 34
    # only text beyond three full lines is shortened
    assert wrap_label("word " * 40).endswith("\u2026") and wrap_label("word " * 40).count("\n") == 2
    png = bar_chart([a, b], [0.4, 0.6], [0.3, 0.5], [0.5, 0.7], title="Representation")
    width = int.from_bytes(png[16:20], "big")
    assert png[:4] == b"\x89PNG" and width == 1152  # full text width at 144 dpi


def _tiny_base_comments() -> pd.DataFrame:
    c = F.comments()
    keep = c[c["respondent_id"].isin(["r01", "r02"])].copy()
    return keep.reset_index(drop=True)


def test_tiny_bases_are_suppressed_like_group_cells(tmp_path: Path) -> None:
    import openpyxl

    c = _tiny_base_comments()
    paths = report(
        F.tags(c), c, F.codebook(), tmp_path, formats=("md", "html", "xlsx"), min_cell=5,
        embedder=F.HashEmbedder(), consent_col="consent",
    )  # fmt: skip
    md = paths["md"].read_text(encoding="utf-8")
    assert " of 2 respondents" not in md and "(50%" not in md and "(100%" not in md
    assert "| <5 | suppressed | <5 |" in md
    assert "Fewer than 5 respondents answered, so no count or share is shown" in md
    assert "fewer than 5 answered, so counts and shares are suppressed" in md
    assert "![" not in md  # no chart of suppressed shares
    html = paths["html"].read_text(encoding="utf-8")
    assert '<td class="num">suppressed</td>' in html and "2 of 2" not in html
    wb = openpyxl.load_workbook(paths["xlsx"])
    rows = list(wb["prevalence"].iter_rows(values_only=True))
    head = rows[0]
    funding = dict(zip(head, rows[1], strict=True))
    assert funding["respondents"] == "<5" and funding["share"] is None and funding["suppressed"]


def test_docx_page_follows_the_locale_and_columns_fit(tmp_path: Path) -> None:
    import docx
    from docx.shared import Mm

    assert paper_for("en-GB") == "A4" and paper_for("en-US") == "Letter"
    c = F.comments()
    t = F.tags(c)
    gb = report(t, c, F.codebook(), tmp_path / "gb", by="org_type", formats=("docx",),
                embedder=F.HashEmbedder(), consent_col="consent")  # fmt: skip
    us = report(t, c, F.codebook(), tmp_path / "us", by="org_type", formats=("docx",),
                embedder=F.HashEmbedder(), locale="en-US", consent_col="consent")  # fmt: skip
    doc = docx.Document(str(gb["docx"]))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
    letter = docx.Document(str(us["docx"])).sections[0]
    assert abs(letter.page_width - Mm(215.9)) < Mm(0.5)
    text_width = sec.page_width - sec.left_margin - sec.right_margin
    overview = doc.tables[0]
    widths = [overview.columns[i].width for i in range(4)]
    assert len(set(widths)) > 1, "columns sized to content, not all equal"
    assert widths[3] < widths[2] < widths[0]  # Base < Share (95% CI) < Theme
    assert sum(widths) <= text_width + Mm(1)
    assert all(cell.width == widths[i] for row in overview.rows for i, cell in enumerate(row.cells))
    # the header row repeats on a new page and a short table keeps together
    assert overview.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert overview.rows[1].cells[0].paragraphs[0].paragraph_format.keep_with_next
    # the chart spans the text width
    assert abs(doc.inline_shapes[0].width - text_width) < Mm(1)


def test_xlsx_percentages_readable_manifest_and_wrapped_quotes(tmp_path: Path) -> None:
    import openpyxl

    c = F.comments()
    paths = report(
        F.tags(c), c, F.codebook(), tmp_path, by="org_type", formats=("xlsx",),
        embedder=F.HashEmbedder(), consent_col="consent",
    )  # fmt: skip
    wb = openpyxl.load_workbook(paths["xlsx"])
    prev = wb["prevalence"]
    head = [cell.value for cell in prev[1]]
    share = prev.cell(row=2, column=head.index("share") + 1)
    assert share.number_format == "0.0%" and 0 < share.value < 1
    quotes = wb["quotes"]
    qhead = [cell.value for cell in quotes[1]]
    text_cell = quotes.cell(row=2, column=qhead.index("text") + 1)
    assert text_cell.alignment.wrap_text
    assert quotes.cell(row=2, column=qhead.index("score") + 1).number_format == "0.000"
    man = {k: v for k, v in wb["manifest"].iter_rows(min_row=2, values_only=True)}
    assert man["codebook.name"] == "test" and man["parameters.by"] == "org_type"
    assert not any(isinstance(v, str) and v.startswith("{") for v in man.values())
    assert manifest_rows({"a": {"b": [1, {"c": None}]}}) == [("a.b.1", 1), ("a.b.2.c", "")]
    with zipfile.ZipFile(paths["xlsx"]) as zf:
        assert b"0.0%" in zf.read("xl/styles.xml")


def test_bad_locale_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from commentmine.cli import app

    res = CliRunner().invoke(
        app, ["report", "x.csv", "--codebook", "vcse-pcc", "--locale", "english!", "-o", "o"]
    )
    assert res.exit_code == 2 and "E301" in res.stderr and "locale 'english!'" in res.stderr


@pytest.mark.parametrize("locale", ["en-GB", "cy-GB", "de", "en_AU"])
def test_a4_locales(locale: str) -> None:
    assert paper_for(locale) == "A4"
