"""What a new user trips over on the command line: one-line messages, empty files, long data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from commentmine.cli import app

runner = CliRunner()


def _run(*args: object):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _one_line_error(res, code: str | None = None) -> str:
    assert res.exit_code == 2, res.output
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("commentmine: error: ")]
    assert len(errors) == 1 and res.stderr.strip().endswith(errors[0]), res.stderr
    assert "Usage:" not in res.stderr and "Traceback" not in res.output
    if code:
        assert f"[{code}]" in errors[0]
    return errors[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["read", "x.csv"], "Missing option '--out' / '-o'. See 'commentmine read --help'."),
        (["reed", "x.csv"], "No such command 'reed'. Did you mean 'read'?"),
        (["read", "x.csv", "--out", "o.csv", "--bogus"], "No such option: --bogus"),
        (["codebook", "validate"], "Missing argument 'PATH_OR_NAME'"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], says: str) -> None:
    line = _one_line_error(runner.invoke(app, args, prog_name="commentmine"))
    assert says in line


def test_header_only_tag_by_comment_writes_an_empty_table(tmp_path: Path) -> None:
    src = tmp_path / "header_only.csv"
    src.write_text("id,answer\r\n", encoding="utf-8")
    out = tmp_path / "tags.csv"
    res = _run("tag", src, "--codebook", "vcse-pcc", "--level", "comment", "--out", out)
    assert res.exit_code == 0, res.output
    assert "0 comments" in res.stderr
    assert "free-text columns detected: \n" not in res.stderr + "\n"
    assert not any(line.rstrip().endswith("detected:") for line in res.stderr.splitlines())
    table = pd.read_csv(out)
    assert table.empty and list(table.columns[:4]) == ["comment_id", "status", "themes", "scores"]


def test_discover_on_an_empty_file_does_not_blame_uncoded_only(tmp_path: Path) -> None:
    src = tmp_path / "header_only.csv"
    src.write_text("id,answer\r\n", encoding="utf-8")
    line = _one_line_error(_run("discover", src, "--out", tmp_path / "d.yaml"), "E501")
    assert "--uncoded-only" not in line and "got 0" in line


def test_attribution_error_lists_metadata_columns_only(tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    pd.DataFrame(
        {
            "rid": ["a", "b"],
            "org_type": ["charity", "CIC"],
            "region": ["Wales", "London"],
            "answer": ["Funding is far too short-term for us.", "The PCC never visits us."],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "q.csv"
    line = _one_line_error(
        _run(
            "quotes", src, "--id-col", "rid", "--codebook", "vcse-pcc",
            "--attribution", "{org_typ}, {region}", "--out", out,
        ),
        "E403",
    )  # fmt: skip
    assert "Did you mean {org_type}?" in line
    for internal in ("segment_id", "evidence", "comment_id", "respondent_id", "'text'", "status"):
        assert internal not in line
    assert "'org_type', 'region'" in line and not out.exists()


LONG_ANSWERS = [
    ("r1", "funding", "Grants are far too short-term for us to plan or keep staff."),
    ("r1", "engagement", "Our PCC has never visited the project in six years."),
    ("r1", "other", "The tendering paperwork is the same for small grants as for contracts."),
    ("r2", "funding", "Commissioning favours the big national providers every time."),
    ("r2", "engagement", "The OPCC team is helpful and answers emails quickly."),
    ("r3", "funding", "Multi-year funding would let us keep our good staff."),
    ("r3", "engagement", "We were never consulted on the Police and Crime Plan."),
]


def test_long_format_report_counts_respondents(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    pd.DataFrame(
        [(f"A{i}", r, q, t) for i, (r, q, t) in enumerate(LONG_ANSWERS, 1)],
        columns=["answer_id", "respondent", "question_id", "answer"],
    ).to_csv(src, index=False)
    out = tmp_path / "report"
    res = _run(
        "report", src, "--id-col", "respondent", "--text-col", "answer", "--codebook",
        "vcse-pcc", "--formats", "md", "--out-dir", out,
    )  # fmt: skip
    assert "--respondent-col" in _one_line_error(res, "E005")
    res = _run(
        "report", src, "--id-col", "answer_id", "--respondent-col", "respondent",
        "--text-col", "answer", "--codebook", "vcse-pcc", "--formats", "md", "--out-dir", out,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "3 respondents answered; 7 comments were read." in text
    assert all(int(row.split()[-1]) == 3 for row in res.stdout.splitlines()[1:])  # every base


def test_respondent_col_on_the_streamed_path_is_refused_not_ignored(tmp_path: Path) -> None:
    src = tmp_path / "long.csv"
    pd.DataFrame(
        [(f"A{i}", r, t) for i, (r, _q, t) in enumerate(LONG_ANSWERS, 1)],
        columns=["answer_id", "respondent", "answer"],
    ).to_csv(src, index=False)
    line = _one_line_error(
        _run(
            "tag", src, "--respondent-col", "respondent", "--text-col", "answer",
            "--codebook", "vcse-pcc", "--stream", "--out", tmp_path / "t.csv",
        ),
        "E301",
    )  # fmt: skip
    assert "--respondent-col is not available with --stream" in line
    assert not (tmp_path / "t.csv").exists()
