"""Same input + settings -> same outputs, across two separate processes.

Two runs (two Python processes with DIFFERENT hash seeds, so set/dict-order accidents show)
each run read, tag (segment and comment level), quotes, report (md, html, docx, xlsx, qdpx, csv)
and discover (YAML + assignments) on the same input. CSV, JSON, YAML, Markdown and HTML must be
byte-identical; DOCX/XLSX/QDPX must have identical members (and, since the exporter normalises
its zips, identical bytes). ``SOURCE_DATE_EPOCH`` fixes the manifest time (it is the only
field allowed to differ and is compared with it removed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from _rb import ROOT, SURVEY_CSV, offline_env

DRIVER = """
import sys
from pathlib import Path
from typer.testing import CliRunner
from commentmine.cli import app

import os

src, out = sys.argv[1], Path(".")
os.chdir(sys.argv[2])  # relative output paths: the two runs get identical arguments
runner = CliRunner()
common = ["--id-col", "respondent_id", "--quiet"]
steps = [
    ["read", src, "--out", out / "comments.csv", *common],
    ["tag", src, "-c", "vcse-pcc", "--out", out / "tags.csv", *common],
    ["tag", src, "-c", "vcse-pcc", "--level", "comment", "--out", out / "by_comment.csv",
     *common],
    # quotes and report from the tags table (the analyst's flow; saves two more tagging fits)
    ["quotes", src, "-c", "vcse-pcc", "--tags", out / "tags.csv", "--out", out / "quotes.csv",
     "--by", "region", "--attribution", "{org_type}, {region}", "--consent-col", "consent_to_quote", *common],
    ["report", src, "-c", "vcse-pcc", "--tags", out / "tags.csv", "--out-dir", out / "report",
     "--by", "org_type", "--formats", "md,html,docx,xlsx,qdpx,csv", "--consent-col", "consent_to_quote",
     *common],
    ["discover", src, "--out", out / "draft.yaml", "--assignments", out / "assignments.csv",
     "--codebook", "vcse-pcc", *common],
]
for args in steps:
    res = runner.invoke(app, [str(a) for a in args])
    if res.exit_code != 0:
        sys.stderr.write(f"{args[0]} failed: {res.stderr} {res.exception!r}\\n")
        sys.exit(1)
"""


def _start(src: Path, out: Path, hash_seed: str) -> subprocess.Popen[str]:
    out.mkdir()
    env = offline_env(SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED=hash_seed)
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(src), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _without_time(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("created", None)
    return data


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("determinism")
    comments = pd.read_csv(SURVEY_CSV, dtype=str, keep_default_na=False).iloc[:40]
    src = tmp / "survey.csv"
    comments.to_csv(src, index=False, lineterminator="\r\n")
    a, b = tmp / "a", tmp / "b"
    runs = [_start(src, a, "1"), _start(src, b, "2")]  # two processes, side by side
    for proc in runs:
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err[-3000:]
    return a, b


def _differences(a: Path, b: Path, names: list[str]) -> list[str]:
    import difflib

    different = []
    for name in names:
        pa, pb = a / name, b / name
        assert pa.is_file() and pb.is_file(), name
        if pa.read_bytes() == pb.read_bytes():
            continue
        if name.endswith(".json"):
            if _without_time(pa) == _without_time(pb):
                continue
        elif name.endswith((".docx", ".xlsx", ".qdpx")):
            ma, mb = _zip_members(pa), _zip_members(pb)
            diff = sorted(k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k))
            different.append(f"{name}: members differ: {diff}" if diff else f"{name}: zip bytes")
            continue
        lines = difflib.unified_diff(
            pa.read_text(encoding="utf-8", errors="replace").splitlines(),
            pb.read_text(encoding="utf-8", errors="replace").splitlines(),
            lineterm="",
            n=0,
        )
        different.append(name + ":\n" + "\n".join(list(lines)[:20]))
    return different


@pytest.mark.slow
def test_same_files_written(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    files_a = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    files_b = sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert set(TABLES + REPORT + DISCOVER) <= set(files_a)


TABLES = ["comments.csv", "tags.csv", "by_comment.csv", "quotes.csv", "quotes.manifest.json"]
REPORT = [
    "report/report.md", "report/report.html", "report/report.docx", "report/quotes.xlsx",
    "report/project.qdpx", "report/quotes.csv", "report/manifest.json",
]  # fmt: skip
DISCOVER = ["draft.yaml", "assignments.csv"]


@pytest.mark.slow
def test_read_tag_quotes_identical(two_runs: tuple[Path, Path]) -> None:
    assert _differences(*two_runs, TABLES) == []


@pytest.mark.slow
def test_report_identical(two_runs: tuple[Path, Path]) -> None:
    a, b = two_runs
    assert _differences(a, b, REPORT) == []
    extra = sorted(
        str(p.relative_to(a)) for p in (a / "report").rglob("*") if p.is_file()
    )  # charts under report_files/
    assert _differences(a, b, extra) == []


@pytest.mark.slow
def test_discover_identical(two_runs: tuple[Path, Path]) -> None:
    assert _differences(*two_runs, DISCOVER) == []
