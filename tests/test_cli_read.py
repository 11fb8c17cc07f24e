"""`commentmine read`: outputs, the summary line, and every error as one line + exit 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from commentmine.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".jsonl"])
def test_read_writes_every_format(tmp_path: Path, data_dir: Path, ext: str) -> None:
    out = tmp_path / f"comments{ext}"
    res = _run("read", data_dir / "survey_utf8.csv", "--id-col", "id", "--out", out)
    assert res.exit_code == 0, res.stderr
    assert "8 comments from 4 respondents (ok 5, empty 1, non_answer 2)" in res.stderr
    assert "free-text columns detected: funding, engagement" in res.stderr
    if ext == ".csv":
        df = pd.read_csv(out, dtype=str, keep_default_na=False)
    elif ext == ".parquet":
        df = pd.read_parquet(out)
    else:
        df = pd.read_json(out, lines=True, dtype=False)
    assert df["comment_id"].tolist()[:2] == ["007:funding", "007:engagement"]
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_read_is_byte_identical_across_runs(tmp_path: Path, data_dir: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        assert _run("read", data_dir / "interview.docx", "--out", out).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_read_text_col_and_sheet(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "c.csv"
    res = _run(
        "read",
        data_dir / "survey_two_sheets.xlsx",
        "--sheet",
        "1",
        "--text-col",
        "engagement",
        "--text-col",
        "funding",
        "--id-col",
        "id",
        "--out",
        out,
    )
    assert res.exit_code == 0, res.stderr
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["comment_id"].tolist()[:2] == ["007:engagement", "007:funding"]
    assert "detected" not in res.stderr


def test_read_header_only_is_a_note_and_exit_0(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "c.csv"
    res = _run("read", data_dir / "header_only.csv", "--out", out)
    assert res.exit_code == 0
    assert "note:" in res.stderr and "header but no rows" in res.stderr
    assert pd.read_csv(out).empty


def test_read_interview_folder_and_then_the_comments_table(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "one.md").write_bytes((data_dir / "interview.md").read_bytes())
    (folder / "two.txt").write_bytes((data_dir / "interview.txt").read_bytes())
    out = tmp_path / "turns.csv"
    res = _run("read", folder, "--out", out)
    assert res.exit_code == 0
    assert "10 comments from 2 respondents" in res.stderr  # header lines are not turns
    again = tmp_path / "again.csv"
    assert _run("read", out, "--out", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["empty.csv"], "E004"),
        (["binary.csv"], "E002"),
        (["bad_encoding.csv"], "E002"),
        (["unclosed_quote.csv"], "E002"),
        (["truncated.xlsx"], "E002"),
        (["truncated.docx"], "E002"),
        (["missing.csv"], "E003"),
        (["survey_utf8.csv", "--text-col", "fundng"], "E001"),
        (["survey_utf8.csv", "--id-col", "ID"], "E001"),
        (["survey_two_sheets.xlsx", "--sheet", "nope"], "E001"),
        (["duplicate_ids.csv", "--id-col", "id"], "E005"),
        (["interview.txt", "--id-col", "id"], "E301"),
        (["make_data.py"], "E006"),
    ],
)
def test_read_errors_are_one_line_exit_2(
    tmp_path: Path, data_dir: Path, args: list[str], code: str
) -> None:
    out = tmp_path / "comments.csv"
    res = _run("read", data_dir / args[0], *args[1:], "--out", out)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"commentmine: error: [{code}]")
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


def test_read_errors_for_folders(tmp_path: Path) -> None:
    (tmp_path / "only.csv").write_text("a\n1\n")
    res = _run("read", tmp_path, "--out", tmp_path / "out" / "c.csv")
    assert res.exit_code == 2 and "[E008]" in res.stderr
    res = _run("read", tmp_path / "only.csv", "--text-col", "a", "--out", tmp_path)
    assert res.exit_code == 2 and "[E008]" in res.stderr
    res = _run("read", tmp_path / "only.csv", "--text-col", "a", "--out", tmp_path / "c.xlsx")
    assert res.exit_code == 2 and "[E301]" in res.stderr and ".csv, .parquet, .jsonl" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["only.csv"]


def test_existing_output_survives_a_failed_run(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "comments.csv"
    out.write_text("previous\n")
    res = _run("read", data_dir / "truncated.xlsx", "--out", out)
    assert res.exit_code == 2
    assert out.read_text() == "previous\n"


def test_help() -> None:
    for cmd in ("read", "segment"):
        res = _run(cmd, "--help")
        assert res.exit_code == 0 and "--out" in res.output and "--text-col" in res.output


def test_read_as_a_subprocess(tmp_path: Path, data_dir: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "c.csv"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "commentmine",
            "read",
            str(data_dir / "binary.csv"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "[E002]" in proc.stderr
    assert not out.exists()


def test_csv_output_keeps_carriage_returns(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "1", "a": "old Mac line\\rbreak and a long answer"}\n'
        '{"id": "2", "a": "windows\\r\\nline and a long answer too"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "c.csv"
    assert _run("read", src, "--id-col", "id", "--text-col", "a", "--out", out).exit_code == 0
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back["text"].tolist() == [
        "old Mac line\rbreak and a long answer",
        "windows\r\nline and a long answer too",
    ]


def test_segment_command_reads_like_read(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "segments.csv"
    res = _run("segment", data_dir / "interview.md", "--exclude-interviewer", "--out", out)
    assert res.exit_code == 0, res.stderr
    seg = pd.read_csv(out, dtype=str, keep_default_na=False)
    # the one answered non-interviewer turn (the header line is metadata, the last answer n/a)
    assert set(seg["comment_id"]) == {"interview:2"}
    assert seg["segment_id"].iloc[0] == "interview:2#1"
    res = _run("segment", data_dir / "binary.csv", "--out", tmp_path / "s2.csv")
    assert res.exit_code == 2 and "[E002]" in res.stderr and not (tmp_path / "s2.csv").exists()
