"""The stages point one way: the import-linter contract in pyproject.toml holds, and it has teeth."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("importlinter")
    env = dict(os.environ, PYTHONPATH=str(cwd))
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--config", str(config), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_layers_contract_is_kept() -> None:
    res = _lint(ROOT, ROOT / "pyproject.toml")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "1 kept, 0 broken" in res.stdout


def test_an_import_against_the_direction_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the package where ingest (the bottom) imports tag (above it) must fail."""
    shutil.copytree(
        ROOT / "commentmine",
        tmp_path / "commentmine",
        ignore=shutil.ignore_patterns("_models", "data", "__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    ingest = tmp_path / "commentmine" / "ingest.py"
    ingest.write_text(ingest.read_text(encoding="utf-8") + "\nimport commentmine.tag\n", "utf-8")
    res = _lint(tmp_path, tmp_path / "pyproject.toml")
    assert res.returncode != 0
    assert "commentmine.ingest is not allowed to import commentmine.tag" in res.stdout
