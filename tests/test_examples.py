"""The runnable scripts in examples/ (one per kind of user) run and say what they promise."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def _run(script: str, *args: str, tmp_path: Path) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COMMENTMINE_CACHE": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_examples_use_the_public_api_only(script: Path) -> None:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    private = [
        name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
        if name.startswith("commentmine.") and any(p.startswith("_") for p in name.split("."))
    ]
    assert not private, f"{script.name} imports private modules: {private}"


@pytest.mark.slow
def test_analyst_counts_by_group_and_writes_a_report(tmp_path: Path) -> None:
    out_dir = tmp_path / "analyst"
    text = _run("analyst.py", "--out", str(out_dir), tmp_path=tmp_path)
    assert "funding_barriers" in text
    assert re.search(r"funding_barriers +\d+ of \d+ +\d+% \(\d+%-\d+%\)", text), text
    assert not re.search(r"\d\.\d{4,}", text), "numbers are printed formatted, not raw floats"
    for name in ("report.md", "report.html", "report.docx", "manifest.json"):
        assert (out_dir / name).stat().st_size > 0, name


@pytest.mark.slow
def test_researcher_drafts_a_codebook_from_new_comments(tmp_path: Path) -> None:
    out_dir = tmp_path / "researcher"
    text = _run("researcher.py", "--out", str(out_dir), tmp_path=tmp_path)
    assert "emergent" in text
    from commentmine.codebook import load_codebook

    drafts = list(out_dir.glob("*.yaml"))
    assert drafts and len(load_codebook(drafts[0]).themes) >= 4  # a valid draft codebook


@pytest.mark.slow
def test_report_writer_pulls_attributed_quotes(tmp_path: Path) -> None:
    text = _run("report_writer.py", "--theme", "funding_barriers", "--n", "2", tmp_path=tmp_path)
    assert "## funding_barriers" in text
    quotes = [line for line in text.splitlines() if line.strip().startswith('"')]
    attributions = [line for line in text.splitlines() if line.strip().startswith("- ")]
    assert 1 <= len(quotes) <= 2 and len(attributions) == len(quotes)
