"""The runnable scripts in examples/ (one per kind of user) run and say what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


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


def test_analyst_counts_by_group_and_writes_a_report(tmp_path: Path) -> None:
    out_dir = tmp_path / "analyst"
    text = _run("analyst.py", "--out", str(out_dir), tmp_path=tmp_path)
    assert "funding_barriers" in text
    for name in ("report.md", "report.html", "report.docx", "manifest.json"):
        assert (out_dir / name).stat().st_size > 0, name


def test_researcher_drafts_a_codebook_from_new_comments(tmp_path: Path) -> None:
    out_dir = tmp_path / "researcher"
    text = _run("researcher.py", "--out", str(out_dir), tmp_path=tmp_path)
    assert "emergent" in text
    from commentmine.codebook import load_codebook

    drafts = list(out_dir.glob("*.yaml"))
    assert drafts and len(load_codebook(drafts[0]).themes) >= 4  # a valid draft codebook


def test_report_writer_pulls_attributed_quotes(tmp_path: Path) -> None:
    text = _run("report_writer.py", "--theme", "funding_barriers", "--n", "2", tmp_path=tmp_path)
    assert "## funding_barriers" in text
    quotes = [line for line in text.splitlines() if line.strip().startswith('"')]
    attributions = [line for line in text.splitlines() if line.strip().startswith("- ")]
    assert 1 <= len(quotes) <= 2 and len(attributions) == len(quotes)
