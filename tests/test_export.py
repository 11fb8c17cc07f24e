"""report(): Markdown/HTML/DOCX/XLSX/CSV/QDPX content, schema validity, safety, determinism."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import _fixtures_report as F
import pandas as pd
import pytest
import xmlschema  # a dev dependency: missing, the schema test fails

from commentmine.errors import CommentmineError
from commentmine.export import neutralise, report

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "refi-qda-project-1.0.xsd"
ALL = ("md", "html", "docx", "xlsx", "qdpx", "csv")
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _report(out: Path, comments=None, **kw):
    c = F.comments() if comments is None else comments
    t = F.tags(c)
    kw.setdefault("formats", ALL)
    kw.setdefault("by", "org_type")
    kw.setdefault("attribution", "{org_type}, {region}")
    kw.setdefault("consent_col", "consent")
    return report(t, c, F.codebook(), out, embedder=F.HashEmbedder(), **kw), c, t


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path_factory.mktemp("report")
    paths, c, t = _report(out)
    mp.undo()
    return paths, c, t


def test_report_writes_every_format_and_manifest(built):
    paths, _c, _t = built
    assert set(paths) == {*ALL, "manifest", "redactions", "redactions_check"}
    names = {p.name for p in paths.values()}
    assert {
        "report.md",
        "report.html",
        "report.docx",
        "quotes.xlsx",
        "project.qdpx",
        "quotes.csv",
        "manifest.json",
        "redactions.csv",
        "redactions_CHECK_original_text_not_for_sharing.csv",
    } == names
    man = json.loads(paths["manifest"].read_text())
    assert man["created"] == "2026-01-01T00:00:00Z"
    assert man["codebook"]["sha256"] == F.codebook().sha256()
    assert man["parameters"]["by"] == "org_type"
    assert man["model"]["name"] == "hash-bow-64"
    assert set(man["outputs"]) == names - {"manifest.json"}


def test_markdown_overview_sections_quotes(built):
    paths, _c, _t = built
    md = paths["md"].read_text()
    assert md.index("## Overview") < md.index("## Funding barriers")
    assert (
        "9 of 12 respondents who answered (75%, 95% CI 47–91%; machine estimate) raised "
        "funding barriers." in md
    )
    assert "their tagging error has not been measured" in md
    assert "> “Commissioning is slow" in md
    assert "— large charity, North East" in md
    assert "(report_files/funding.png)" in md
    assert (paths["md"].parent / "report_files" / "funding.png").read_bytes()[:4] == b"\x89PNG"
    # do-not-quote respondents (r04, r08) never appear; the interviewer never does
    assert "live off our reserves" not in md and "bruising" not in md
    assert "tell me about funding" not in md
    assert "@" not in md  # the email in r01 is never shown
    # the footer names the embedder that ranked the quotes as that, not as the tagging model
    # (the tags came from elsewhere; before, the demo's MiniLM-tagged report said "model static")
    assert "quotes ranked with hash-bow-64." in md and "; model " not in md


def test_html_is_self_contained(built):
    paths, _c, _t = built
    html = paths["html"].read_text()
    assert "<h2>Funding barriers</h2>" in html
    assert 'src="data:image/png;base64,' in html
    assert "http://" not in html and "https://" not in html  # nothing fetched
    assert "<script" not in html


def test_docx_content(built):
    import docx

    paths, _c, _t = built
    d = docx.Document(str(paths["docx"]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Funding barriers" in text
    assert "9 of 12 respondents who answered" in text
    assert "Commissioning is slow" in text and "— large charity, North East" in text
    assert "bruising" not in text and "@" not in text
    assert len(d.inline_shapes) == 5  # one chart per theme
    assert d.tables[0].rows[1].cells[0].text == "Funding barriers"
    assert d.core_properties.created.year == 2026


def test_xlsx_content_and_suppression(built):
    import openpyxl

    paths, _c, _t = built
    wb = openpyxl.load_workbook(paths["xlsx"])
    assert wb.sheetnames[:3] == ["quotes", "segments", "prevalence"]
    seg = list(wb["segments"].iter_rows(values_only=True))
    head = seg[0]
    rows = [dict(zip(head, r, strict=True)) for r in seg[1:]]
    assert {"theme", "score", "attribution", "text"} <= set(head)
    assert all("@" not in (r["text"] or "") for r in rows)
    barred = [r for r in rows if r["respondent_id"] == "r08"]
    assert barred and all(r["text"] == "[not for quotation]" for r in barred)
    assert not any(r["comment_id"].startswith("int1") for r in rows)
    grp = list(wb["by org_type"].iter_rows(values_only=True))
    gh = grp[0]
    cells = [dict(zip(gh, r, strict=True)) for r in grp[1:]]
    small = [r for r in cells if r["theme"] == "funding" and r["org_type"] == "small charity"]
    assert small[0]["respondents"] == "<5" and small[0]["share"] is None


def test_formula_injection_neutralised(tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    c = F.comments()
    evil = '=HYPERLINK("http://evil.example","click") funding grants are short.'
    c.loc[c["respondent_id"] == "r11", "text"] = evil
    c.loc[c["respondent_id"] == "r12", "text"] = "+1 more for funding bids and grants here."
    paths, _c, _t = _report(tmp_path, comments=c, formats=("xlsx", "csv"))
    wb = openpyxl.load_workbook(paths["xlsx"])
    values = [
        cell for ws in wb for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)
    ]
    assert not [v for v in values if v.data_type == "f"]
    assert not [v for v in values if v.value.startswith(("=", "+", "-", "@"))]
    assert any(v.value.startswith("'=HYPERLINK") for v in values)
    csv = pd.read_csv(paths["csv"], keep_default_na=False)
    assert not csv["text"].str.match(r"^[=+\-@]").any()
    assert neutralise("-1") == "'-1" and neutralise("@x") == "'@x" and neutralise(5) == 5


def test_qdpx_valid_and_codings_point_into_redacted_sources(built):
    if not SCHEMA.exists():
        pytest.skip("../shared/schemas/refi-qda-project-1.0.xsd not present")
    paths, c, t = built
    with zipfile.ZipFile(paths["qdpx"]) as zf:
        xml = zf.read("project.qde").decode("utf-8")
        sources = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("Sources/")}
    schema = xmlschema.XMLSchema(str(SCHEMA))
    schema.validate(xml)
    data = schema.to_dict(xml)
    # code hierarchy: the parent carries its two children
    codes = {cd["@name"]: cd for cd in data["CodeBook"]["Codes"]["Code"]}
    assert [k["@name"] for k in codes["Collaboration vs competition"]["Code"]] == [
        "Collaboration",
        "Competition",
    ]
    guid_to_name = {codes[n]["@guid"]: n for n in codes}
    for k in codes["Collaboration vs competition"]["Code"]:
        guid_to_name[k["@guid"]] = k["@name"]
    assert all("@" not in s for s in sources.values())
    seen = 0
    for src in data["Sources"]["TextSource"]:
        text = sources["Sources/" + src["@plainTextPath"].removeprefix("internal://")]
        for sel in src.get("PlainTextSelection", []):
            chunk = text[sel["@startPosition"] : sel["@endPosition"]]
            seg = t[t["segment_id"] == sel["@name"]].iloc[0]
            theme = guid_to_name[sel["Coding"][0]["CodeRef"]["@targetGUID"]]
            assert theme in {"Funding barriers", "Collaboration", "Competition"}
            if "@" not in seg["text"] and "example" not in seg["text"]:
                assert chunk == seg["text"]
            seen += 1
    # every non-uncoded, non-interviewer tag row became a coding
    expected = t[(t["theme"] != "uncoded") & ~t["is_interviewer"]]
    assert seen == len(expected)
    r01 = next(s for s in sources.values() if "short-term" in s and "Contact me" in s)
    assert "jo.bloggs" not in r01 and "example.org" not in r01


def test_two_runs_are_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    a, _c, _t = _report(tmp_path / "a")
    b, _c, _t = _report(tmp_path / "b")
    for fmt in ALL:
        assert a[fmt].read_bytes() == b[fmt].read_bytes(), fmt
    assert a["manifest"].read_bytes() == b["manifest"].read_bytes()
    for png in (tmp_path / "a" / "report_files").iterdir():
        assert png.read_bytes() == (tmp_path / "b" / "report_files" / png.name).read_bytes()


def test_unknown_format_and_not_a_tags_table(tmp_path):
    with pytest.raises(CommentmineError, match="E404"):
        _report(tmp_path, formats=("pdf",))
    c = F.comments()
    with pytest.raises(CommentmineError, match="E405"):
        report(c, c, F.codebook(), tmp_path, formats=("md",))


def _survey_csv(tmp_path: Path) -> Path:
    rows = [
        {
            "respondent_id": rid,
            "org_type": org,
            "region": region,
            "consent": consent,
            "experience": text,
        }
        for rid, org, region, consent, text in F.ROWS
    ]
    path = tmp_path / "survey.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_cli_quotes_with_edited_tags_and_report(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from commentmine.cli import app
    from commentmine.ingest import read

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    survey = _survey_csv(tmp_path)
    comments = read(survey, id_col="respondent_id", text_cols=["experience"])
    tags = F.tags(comments)
    # the analyst recodes r06's second sentence ("We could not bid in time.") as capacity
    sid = tags.loc[tags["text"] == "We could not bid in time.", "segment_id"].iloc[0]
    tags.loc[tags["segment_id"] == sid, "theme"] = "capacity"
    tags_csv = tmp_path / "tags.csv"
    tags.to_csv(tags_csv, index=False)
    cb = tmp_path / "cb.yaml"
    cb.write_text(F.codebook().to_yaml())
    out = tmp_path / "quotes.csv"
    base = [
        str(survey),
        "--text-col",
        "experience",
        "--id-col",
        "respondent_id",
        "--codebook",
        str(cb),
        "--tags",
        str(tags_csv),
        "--embedder",
        "tfidf",
    ]
    res = CliRunner().invoke(
        app,
        [
            "quotes",
            *base,
            "--n",
            "2",
            "--by",
            "org_type",
            "--consent-col",
            "consent",
            "--attribution",
            "{org_type}, {region}",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    q = pd.read_csv(out, keep_default_na=False)
    assert list(q.columns) == [
        "theme", "rank", "comment_id", "start", "end", "text", "attribution", "score"
    ]  # fmt: skip
    # the score column is the library's (issue 20 item 20): the tag score of the quoted segment
    from commentmine._quotes._public import quotes

    lib = quotes(tags, comments=comments, codebook=F.codebook(), n=2, by="org_type",
                 consent_col="consent", embedder="tfidf")  # fmt: skip
    assert q["text"].tolist() == lib["text"].tolist()
    assert q["score"].tolist() == lib["score"].tolist()
    assert all(0.6 <= s <= 1 for s in q["score"])
    assert "capacity" in set(q["theme"])  # the analyst's correction wins
    assert "r08" not in set(q["comment_id"])  # do not quote
    assert (tmp_path / "quotes.manifest.json").exists()
    res = CliRunner().invoke(
        app,
        [
            "report",
            *base,
            "--out-dir",
            str(tmp_path / "rep"),
            "--formats",
            "md,qdpx",
            "--by",
            "org_type",
            "--consent-col",
            "consent",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "rep" / "report.md").exists() and (
        tmp_path / "rep" / "project.qdpx"
    ).exists()
    assert (tmp_path / "rep" / "manifest.json").exists()
    # a tags table that does not belong to INPUT is refused with one line
    bad = tags.assign(start=tags["start"] + 1)
    bad.to_csv(tags_csv, index=False)
    res = CliRunner().invoke(app, ["quotes", *base, "--no-consent-col", "--out", str(out)])
    assert res.exit_code == 2 and "E301" in res.output


def test_a_review_sample_corrects_the_shares_the_report_shows(tmp_path):
    from commentmine.review import review_sample

    c = F.comments()
    t = F.tags(c)
    sample = review_sample(t, unit="respondent", n=50, comments=c, seed=0)
    # the reviewer finds that nobody really raised funding barriers
    done = sample.assign(
        decision="correct-theme",
        correct_theme=[
            "|".join(x for x in th.split("|") if x not in ("funding", "uncoded"))
            for th in sample["theme"]
        ],
    )
    paths = report(
        t,
        c,
        F.codebook(),
        tmp_path,
        formats=("md", "xlsx"),
        embedder=F.HashEmbedder(),
        consent_col="consent",
        review=done,
    )
    md = paths["md"].read_text()
    assert "corrected by a review of 12 randomly drawn respondents" in md
    assert "machine's estimates" not in md
    import openpyxl

    ws = openpyxl.load_workbook(paths["xlsx"])["prevalence"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("theme")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    funding = rows["funding"]
    assert funding[head.index("share")] < 0.1 < funding[head.index("machine_share")]


def test_report_options_object_and_keywords_write_the_same_report(tmp_path, monkeypatch):
    from commentmine._quotes._public import QuoteOptions
    from commentmine.export import ReportOptions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    c = F.comments()
    t = F.tags(c)
    kw = {"embedder": F.HashEmbedder()}
    a = report(t, c, F.codebook(), tmp_path / "a", formats=("md", "csv"), n=2, by="org_type",
               consent_col="consent", title="T", **kw)  # fmt: skip
    opts = ReportOptions(
        quoting=QuoteOptions(n=2, by="org_type", consent_col="consent"),
        formats=("md", "csv"),
        title="T",
    )
    b = report(t, c, F.codebook(), tmp_path / "b", options=opts, **kw)
    for name in ("md", "csv", "manifest"):
        assert a[name].read_bytes() == b[name].read_bytes(), name
    with pytest.raises(CommentmineError, match="E404"):
        ReportOptions(formats=("pdf",))
    with pytest.raises(TypeError, match="min_group_size"):
        report(t, c, F.codebook(), tmp_path / "c", min_group_size=3, **kw)


def test_report_min_cell_also_generalises_the_quotes_attributions(tmp_path):
    # 6 respondents are small charities in Wales: shown at min_cell 5, generalised at 7
    c = F.comments()
    t = F.tags(c)
    kw = {"embedder": F.HashEmbedder(), "attribution": "{org_type}, {region}"}
    kw |= {"consent_col": False, "formats": ("csv",)}
    five = report(t, c, F.codebook(), tmp_path / "five", **kw)
    seven = report(t, c, F.codebook(), tmp_path / "seven", min_cell=7, **kw)
    assert "small charity, Wales" in five["csv"].read_text(encoding="utf-8")
    assert "small charity, Wales" not in seven["csv"].read_text(encoding="utf-8")


def test_cli_quotes_and_report_take_the_same_quote_options(tmp_path):
    import inspect

    from typer.main import get_command
    from typer.testing import CliRunner

    from commentmine._cli.report import quote_options, source_options
    from commentmine.cli import app

    declared = {*inspect.signature(quote_options).parameters}
    declared |= {*inspect.signature(source_options).parameters}
    cmd = get_command(app)
    for name in ("quotes", "report"):
        assert declared <= {p.name for p in cmd.commands[name].params}, name
    # the options object is built, and checked, before INPUT is read or tagged
    survey = _survey_csv(tmp_path)
    base = [str(survey), "--codebook", "missing.yaml", "--no-consent-col"]
    for args in (
        ["quotes", *base, "--n", "0", "--out", str(tmp_path / "q.csv")],
        ["report", *base, "--formats", "md,pdf", "--out-dir", str(tmp_path / "r")],
        ["report", *base, "--consent-col", "consent", "--out-dir", str(tmp_path / "r")],
    ):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2 and "E102" not in res.output, res.output
    assert not (tmp_path / "r").exists() and not (tmp_path / "q.csv").exists()
