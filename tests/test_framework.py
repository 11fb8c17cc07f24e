"""framework(): cases x themes matrix, verbatim redacted evidence, views, outputs, CLI."""

from __future__ import annotations

import zipfile
from pathlib import Path

import _fixtures_report as F
import pandas as pd
import pytest

import commentmine as cm
from commentmine._framework._public import (
    choose_views,
    polarity_scores,
    polarity_views,
    view_polarity,
)
from commentmine.errors import CommentmineError
from commentmine.export import write_framework

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "schemas" / "refi-qda-project-1.0.xsd"
EPOCH = "1767225600"

# Two tiny interviews: an interviewer who says theme words, a name and an e-mail to redact.
NOTES = {
    "lead_north.txt": (
        "Interview with the network lead, 6 March 2024.\n\n"
        "Q: Tell me about funding, grants and partnership working in the network.\n\n"
        "A: Funding is short-term and the grants are tiny. We bid for a tender every spring.\n"
        "Our partnership with two other charities is strong and we share training.\n\n"
        "Q: Anything about competition?\n\n"
        "A: Competing for the same contracts damages trust. Email jo.bloggs@example.org "
        "for the tender papers.\n"
    ),
    "charity_ceo.txt": (
        "Interview with a charity CEO, 12 March 2024.\n\n"
        "Interviewer: How is funding going, and the grants and tenders?\n\n"
        "RM: Funding cuts mean we live off our reserves. The grant pots are tiny.\n"
        "A consortium bid with partners helped us win a contract.\n\n"
        "Interviewer: And rivals?\n\n"
        "RM: The competitive tender pitted us against our closest partner.\n"
    ),
}


@pytest.fixture(scope="module")
def interviews(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("notes")
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return cm.read(folder)


def _tags(comments: pd.DataFrame, *, interviewer_too: bool = True) -> pd.DataFrame:
    """The keyword stand-in tagger; by default it also tags interviewer turns (a bad tagger)."""
    c = comments.copy()
    if interviewer_too:
        c["is_interviewer"] = False  # the tags claim the interviewer turns are answers
    return F.tags(c)


def _fw(comments: pd.DataFrame, **kw):
    kw.setdefault("embedder", F.HashEmbedder())
    return cm.framework(_tags(comments), comments, F.codebook(), **kw)


def test_every_cell_is_verbatim_from_its_source(interviews):
    fw = _fw(interviews, redact=False)
    text = dict(zip(interviews["comment_id"], interviews["text"], strict=True))
    assert len(fw.evidence) > 0
    for r in fw.evidence.itertuples(index=False):
        assert r.text == text[r.comment_id][r.start : r.end]
        assert r.text.strip()
        assert r.ref == (f"{r.source}, turn {r.comment_id.rsplit(':', 1)[1]}, {r.start}-{r.end}")
    # every line of a cell's evidence and summary is one evidence segment with its reference
    lines = {f"{r.text} [{r.ref}]" for r in fw.evidence.itertuples(index=False)}
    for c in fw.cells.itertuples(index=False):
        ev = c.evidence.split("\n")
        assert set(ev) <= lines and len(ev) == c.n_segments
        summary = c.summary.split("\n")
        assert set(summary) <= set(ev)
        assert len(summary) == (1 if c.n_segments <= 2 else 2)


def test_interviewer_turns_are_never_evidence(interviews):
    fw = _fw(interviews, redact=False)
    asked = interviews.loc[interviews["is_interviewer"], "comment_id"]
    assert len(asked) == 4
    assert not set(fw.evidence["comment_id"]) & set(asked)
    questions = interviews.loc[interviews["is_interviewer"], "text"].tolist()
    blob = "\n".join(fw.cells["evidence"]) + "\n".join(fw.views["quote"])
    for q in questions:
        assert q not in blob
    # the interviewer's words did carry themes in the tags: they were dropped, not missed
    assert set(_tags(interviews)["comment_id"]) & set(asked)


def test_redaction_applies_to_every_text(interviews, tmp_path, monkeypatch):
    from commentmine._redact._public import redact_many

    fw = _fw(interviews)
    text = dict(zip(interviews["comment_id"], interviews["text"], strict=True))
    originals = [text[r.comment_id][r.start : r.end] for r in fw.evidence.itertuples()]
    assert fw.evidence["text"].tolist() == redact_many(originals)
    assert any("[EMAIL]" in t for t in fw.evidence["text"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    paths = write_framework(fw, tmp_path)
    for fmt in ("xlsx", "docx", "qdpx"):
        with zipfile.ZipFile(paths[fmt]) as z:
            blob = b"".join(z.read(n) for n in z.namelist())
        assert b"jo.bloggs" not in blob, fmt
    assert "jo.bloggs" not in paths["html"].read_text(encoding="utf-8")
    # the log says where and why, without the original; the analyst's check file has it
    log = pd.read_csv(paths["redactions"], keep_default_na=False)
    assert list(log.columns) == ["segment_id", "placeholder", "type", "reason"]
    assert (
        "[EMAIL]" in set(log["placeholder"]) and "jo.bloggs" not in paths["redactions"].read_text()
    )
    check = pd.read_csv(paths["redactions_check"], keep_default_na=False)
    assert "jo.bloggs@example.org" in set(check["original"]) and len(check) == len(log)
    assert "CHECK_original_text_not_for_sharing" in paths["redactions_check"].name
    unredacted = _fw(interviews, redact=False)
    assert any("jo.bloggs@example.org" in t for t in unredacted.evidence["text"])
    assert unredacted.redactions.empty
    assert "redactions" not in write_framework(unredacted, tmp_path / "plain")


def test_do_not_quote_respondents_count_but_are_never_shown():
    comments = F.comments()
    fw = cm.framework(
        F.tags(comments), comments, F.codebook(), embedder=F.HashEmbedder(), consent_col="consent"
    )
    barred = {"r04", "r08"}  # consent "no" and "do not quote"
    ev = fw.evidence[fw.evidence["case"].isin(barred)]
    assert len(ev) and set(ev["text"]) == {"[not for quotation]"}
    blob = "\n".join(fw.cells["evidence"]) + "\n".join(fw.cells["summary"])
    for cid in ("r04:experience", "r08:experience"):
        assert comments.set_index("comment_id").loc[cid, "text"].split(".")[0] not in blob
    assert not set(fw.views["quote_case"]) & barred
    assert set(fw.cases["case"]) >= barred  # still counted
    with pytest.raises(CommentmineError, match="E001"):
        cm.framework(F.tags(comments), comments, F.codebook(), consent_col="concent")
    # a column that looks like consent is never ignored silently
    with pytest.raises(CommentmineError, match=r"\[E406\].*'consent'"):
        cm.framework(F.tags(comments), comments, F.codebook(), embedder=F.HashEmbedder())
    everyone = cm.framework(
        F.tags(comments), comments, F.codebook(), embedder=F.HashEmbedder(), consent_col=False
    )
    assert "[not for quotation]" not in set(everyone.evidence["text"])


def test_redaction_level_reaches_the_matrix():
    comments = F.comments().drop(columns="consent")
    comments.loc[0, "text"] = "Funding from Sarah Patel at the Kent Community Foundation helped."
    kw = {"embedder": F.HashEmbedder()}
    strict = cm.framework(F.tags(comments), comments, F.codebook(), redact="strict", **kw)
    ids = cm.framework(F.tags(comments), comments, F.codebook(), redact="identifiers", **kw)
    first = comments.loc[0, "comment_id"]
    s_text = " ".join(strict.evidence.loc[strict.evidence["comment_id"] == first, "text"])
    i_text = " ".join(ids.evidence.loc[ids.evidence["comment_id"] == first, "text"])
    assert "Sarah Patel" not in s_text and "Sarah Patel" not in i_text
    assert "Kent" not in s_text and "Kent Community Foundation" in i_text
    assert strict.settings["redact"] == "strict" and ids.settings["redact"] == "identifiers"


def test_cases_default_to_interviews_and_follow_case_col(interviews):
    fw = _fw(interviews, redact=False)
    assert fw.case_col == "respondent_id"
    assert fw.cases["case"].tolist() == ["charity_ceo", "lead_north"]
    assert set(fw.cells["case"]) == {"charity_ceo", "lead_north"}
    assert "date" in fw.cases.columns and fw.cases["date"].tolist() == ["2024-03-12", "2024-03-06"]
    by_speaker = _fw(interviews, redact=False, case_col="speaker")
    assert set(by_speaker.cases["case"]) == {"A", "RM"}
    wide = fw.matrix("n_segments")
    assert wide.loc["lead_north"].sum() == len(fw.evidence[fw.evidence["case"] == "lead_north"])
    with pytest.raises(CommentmineError, match=r"E001.*case-col.*organisaton"):
        _fw(interviews, case_col="organisaton")


def test_views_are_sub_themes_with_case_counts(interviews):
    fw = _fw(interviews, redact=False)
    v = fw.views[fw.views["group"] == "collab_comp"].set_index("view")
    assert list(v.index) == ["collaboration", "competition"]
    assert set(v["kind"]) == {"sub-theme"}
    for vid, row in v.iterrows():
        holders = sorted(set(fw.evidence.loc[fw.evidence["view"] == vid, "case"]))
        assert row["n_cases"] == len(holders)
        assert row["cases"] == "; ".join(holders)
        assert row["quote"] in set(fw.evidence.loc[fw.evidence["view"] == vid, "text"])
    para = fw.range_of_views("collab_comp")
    assert para.startswith("2 cases gave evidence on Collaboration vs competition.")
    assert "A case can hold more than one view." in para


def test_themes_without_sub_themes_are_clustered(interviews):
    big = pd.concat(
        [interviews.assign(comment_id=interviews["comment_id"] + f"-{i}") for i in range(4)],
        ignore_index=True,
    )
    big = big.assign(respondent_id=big["respondent_id"] + big.index.map(lambda i: f"{i % 3}"))
    fw = cm.framework(_tags(big), big, F.codebook(), embedder=F.HashEmbedder(), n_views=2)
    v = fw.views[fw.views["group"] == "funding"]
    assert v["view"].tolist() == ["funding:1", "funding:2"]
    assert set(v["kind"]) == {"cluster"}
    assert v["n_segments"].iloc[0] >= v["n_segments"].iloc[1]
    ev = fw.evidence[fw.evidence["group"] == "funding"]
    assert set(ev["view"]) == {"funding:1", "funding:2"}
    # the same segment text always lands in the same view
    assert ev.groupby("text")["view"].nunique().max() == 1


def test_choose_views_rule():
    import numpy as np

    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3] * 5
    x = np.vstack([c + rng.normal(0, 0.3, (20, 8)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = choose_views(x, "silhouette")
    assert len(set(labels)) == 3
    assert (choose_views(x, "silhouette") == labels).all()
    assert len(set(choose_views(x, 2))) == 2
    assert set(choose_views(x[:4], "silhouette")) == {0}  # too few to cluster
    with pytest.raises(CommentmineError, match="E301"):
        choose_views(x, "elbow")


def test_polarity_views_follow_the_seeds_into_words_without_sentiment():
    import numpy as np

    rng = np.random.default_rng(1)
    side = np.repeat([1, 0], 30)
    x = np.where(side[:, None] == 1, 1.0, -1.0) * np.eye(6)[0] + rng.normal(0, 0.4, (60, 6))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    sentiment = np.where(side == 1, 0.6, -0.6)
    sentiment[::3] = 0.0  # a third carry no sentiment word: placed by their embedding
    got = polarity_views(x, sentiment)
    assert (got == side).mean() > 0.9
    from sklearn.metrics import adjusted_rand_score

    views = choose_views(x, "polarity", sentiment=sentiment)
    assert adjusted_rand_score(got, views) == 1.0  # the same split, renumbered largest first
    assert np.bincount(views)[0] >= np.bincount(views)[1]
    assert set(polarity_views(x, np.zeros(60))) == {0}  # no seeds: one view
    with pytest.raises(CommentmineError, match="E301"):
        choose_views(x, "polarity")


def test_polarity():
    s = polarity_scores(["The PCC has been really supportive.", "We had no access at all."])
    assert s[0] > 0.05 and s[1] < -0.05
    assert view_polarity(["positive", "positive", "negative"]) == "positive"
    assert view_polarity(["negative", "negative", "neutral"]) == "negative"
    assert view_polarity(["positive", "negative"]) == "mixed"
    assert view_polarity(["neutral", "neutral"]) == "neutral"


def test_outputs_are_byte_identical_and_readable(interviews, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    a = write_framework(_fw(interviews), tmp_path / "a")
    b = write_framework(_fw(interviews), tmp_path / "b")
    assert set(a) == {"xlsx", "docx", "html", "qdpx", "redactions", "redactions_check", "manifest"}
    for fmt in a:
        assert a[fmt].read_bytes() == b[fmt].read_bytes(), fmt

    from openpyxl import load_workbook

    wb = load_workbook(a["xlsx"])
    assert wb.sheetnames[:2] == ["about", "matrix"]
    assert {"Funding barriers", "Collaboration vs competition", "views", "cases"} <= set(
        wb.sheetnames
    )
    ws = wb["Funding barriers"]
    heads = [c.value for c in ws[1]]
    assert heads[:3] == ["case", "Funding barriers: summary", "Funding barriers: evidence"]
    cell = ws.cell(row=2, column=3)
    assert cell.alignment.wrap_text and cell.value.startswith("\u2022 ")
    assert "turn" in cell.value and "[" in cell.value
    assert [c.value for c in wb["cases"][1]][:2] == ["case", "n_comments"]


def test_qdpx_carries_the_framework_cases_and_codes(interviews, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    fw = _fw(interviews)
    path = write_framework(fw, tmp_path, formats=("qdpx",))["qdpx"]
    with zipfile.ZipFile(path) as z:
        xml = z.read("project.qde").decode("utf-8")
    if SCHEMA.exists():
        import xmlschema

        xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    for name in fw.cases["case"]:
        assert '<Case guid="' in xml and f'name="{name}"' in xml
    for label in ("Funding barriers", "Collaboration", "Competition"):
        assert f'name="{label}"' in xml
    assert xml.count("<Case ") == len(fw.cases)
    assert xml.count("<PlainTextSelection ") == len(
        fw.evidence.drop_duplicates(["segment_id", "theme"])
    ) + len(
        fw.evidence[fw.evidence["view"].str.contains(":")].drop_duplicates(["segment_id", "view"])
    )


def test_report_gains_a_range_of_views_paragraph(interviews, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    fw = _fw(interviews)
    paths = cm.report(
        _tags(interviews),
        interviews,
        F.codebook(),
        tmp_path,
        formats=("md", "html", "docx"),
        embedder=F.HashEmbedder(),
        framework=fw,
        min_cell=1,  # two cases: shown here; under the default 5 a section is suppressed
    )
    md = paths["md"].read_text(encoding="utf-8")
    assert "**Range of views.** 2 cases gave evidence on Collaboration vs competition." in md
    for quote in fw.views["quote"]:
        assert quote.split()[0] in md
    plain = cm.report(
        _tags(interviews),
        interviews,
        F.codebook(),
        tmp_path / "plain",
        formats=("md",),
        embedder=F.HashEmbedder(),
    )
    assert "Range of views" not in plain["md"].read_text(encoding="utf-8")


def test_cli_bad_case_col_is_one_line_and_writes_nothing(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "commentmine",
            "framework",
            str(ROOT / "corpora" / "interviews"),
            "--codebook",
            "vcse-pcc",
            "--case-col",
            "organisaton",
            "--out-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "[E001]" in proc.stderr and "organisation" in proc.stderr
    assert not out.exists()


@pytest.mark.slow
def test_cli_on_the_bundled_interviews(tmp_path):
    """The demo's command: real tagger, real redaction, the bundled notes."""
    from typer.testing import CliRunner

    from commentmine.cli import app

    res = CliRunner().invoke(
        app,
        [
            "framework",
            str(ROOT / "corpora" / "interviews"),
            "--codebook",
            "vcse-pcc",
            "--out-dir",
            str(tmp_path),
            "-q",
        ],
    )
    assert res.exit_code == 0, res.output
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "framework.xlsx")
    comments = cm.read(ROOT / "corpora" / "interviews")
    asked = "\n".join(comments.loc[comments["is_interviewer"], "text"])
    ev = pd.DataFrame(wb["evidence"].values)
    ev.columns = ev.iloc[0]
    ev = ev.iloc[1:]
    from commentmine._redact._public import redact_many

    text = dict(zip(comments["comment_id"], comments["text"], strict=True))
    assert len(ev) > 50
    sources = [
        text[c][int(a) : int(b)]
        for c, a, b in zip(ev["comment_id"], ev["start"], ev["end"], strict=True)
    ]
    assert ev["text"].tolist() == redact_many(sources)  # verbatim, then redacted
    interviewer_ids = set(comments.loc[comments["is_interviewer"], "comment_id"])
    assert not set(ev["comment_id"]) & interviewer_ids
    cells = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    # a speaker label that is a name, and the e-mail of an interview's header lines
    assert "Hannah Price" in set(comments["speaker"])
    assert "Hannah Price" not in cells and "[NAME]" in set(ev["speaker"])
    assert "gareth.morgan@" not in cells
    assert not any(q in cells for q in asked.split("\n") if len(q) > 40)
