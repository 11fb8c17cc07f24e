"""The stages point one way: the import-linter contract in pyproject.toml holds, and it has teeth."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp  # the dev extra's import-linter brings it: missing, these tests fail
import importlinter  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def _lint(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
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
    ingest.write_text(
        ingest.read_text(encoding="utf-8") + "\nimport commentmine._tagging._public\n", "utf-8"
    )
    res = _lint(tmp_path, tmp_path / "pyproject.toml")
    assert res.returncode != 0
    assert "commentmine.ingest is not allowed to import commentmine._tagging" in res.stdout


def test_no_import_cycle_between_modules() -> None:
    graph = grimp.build_graph("commentmine", exclude_type_checking_imports=True)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if module.count(".") and imported.count("."):
                a, b = module.split(".")[1], imported.split(".")[1]
                if a != b:
                    edges.setdefault(a, set()).add(b)
    cycles = []
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_the_package_function_tag_dispatches_and_survives_its_module_import() -> None:
    """``commentmine.tag`` is the dispatcher (Dask frames, trained models) even after the core
    module of the same name is imported; the core refuses a Dask frame with a pointer to it."""
    code = (
        "import commentmine as cm, commentmine._tagging._public, commentmine._redact._public\n"
        "from commentmine._tagging._public import tag as core\n"
        "assert cm.tag.__module__ == 'commentmine._api', cm.tag\n"
        "assert callable(cm.redact) and core is not cm.tag\n"
        "class Frame: pass\n"
        "Frame.__module__ = 'dask.dataframe'\n"
        "try:\n"
        "    core(Frame(), 'vcse-pcc')\n"
        "except Exception as exc:\n"
        "    assert 'call commentmine.tag' in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('the core stage took a Dask frame')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr[-2000:]
