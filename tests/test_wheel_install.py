"""The wheel, installed like a library: built from this repository, installed into a fresh venv
outside it (from the package registries, the README's two lines), then run there.

Slow: it installs the core dependencies (with uv when the test's environment has it, as the
Makefile does: a warm cache makes that seconds; else pip) and runs the CLI on the bundled survey.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from commentmine._extras import BERTOPIC_REQUIREMENT

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
STATIC = "commentmine/_models/minilm-l6-static-256/"
#: The target of issue 18 for the core install's venv.
MAX_VENV_MB = 1300

pytestmark = pytest.mark.slow


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: int = 900) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, (
        f"{' '.join(map(str, cmd))}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    )
    return out.stdout + out.stderr


def _source_copy(dest: Path) -> Path:
    """The repository's files (tracked and new, not ignored), so the build writes nothing here."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        files = [f for f in listed.split("\0") if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:  # not a git checkout: copy the tree less the usual clutter
        ignore = shutil.ignore_patterns(
            ".git", ".venv", "out", "build", "*.egg-info", "__pycache__"
        )
        shutil.copytree(ROOT, dest, ignore=ignore)
        return dest
    for f in files:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dest / f)
    return dest


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would point the venv back at the repository."""
    drop = {
        "PYTHONPATH",
        "VIRTUAL_ENV",
        "COMMENTMINE_MODEL_DIR",
        "PYTHONHOME",
        "PIP_REQUIRE_VIRTUALENV",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", MPLBACKEND="Agg", **extra)
    return env


def _du_mb(path: Path) -> float:
    total = 0
    seen: set[tuple[int, int]] = set()
    for root, _dirs, names in os.walk(path):
        for name in names:
            st = os.lstat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total / 1e6


def test_wheel_installs_without_torch_and_runs_tag_discover_report(tmp_path: Path) -> None:
    assert not tmp_path.resolve().is_relative_to(ROOT)
    env = _clean_env()

    # 1. build the wheel from a copy of the repository
    src = _source_copy(tmp_path / "src")
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(src),
        ],
        cwd=tmp_path,
        env=env,
    )
    (wheel,) = dist.glob("commentmine-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ("model.safetensors", "tokenizer.json", "config.json", "LICENSE"):
        assert STATIC + f in names, f
    assert any(n.endswith("licenses/models/LICENSE-Apache-2.0.txt") for n in names)
    _run(
        [
            sys.executable,
            "-c",
            "import sys; from setuptools import build_meta as b; b.build_sdist(sys.argv[1])",
            str(dist),
        ],
        cwd=src,
        env=env,
    )
    (sdist,) = dist.glob("commentmine-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = {m.split("/", 1)[-1] for m in tar.getnames()}
    assert STATIC + "model.safetensors" in members and "models/LICENSE-Apache-2.0.txt" in members

    # 2. a fresh venv outside the repository; the README's two lines (uv or pip)
    venv = tmp_path / "venv"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv:
        _run([uv, "venv", "-q", "--python", sys.executable, str(venv)], cwd=tmp_path, env=env)
        install = [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")]
    else:
        _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env)
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    _run([*install, str(wheel)], cwd=tmp_path, env=env)
    _run([*install, "--no-deps", BERTOPIC_REQUIREMENT], cwd=tmp_path, env=env)
    py, cli = venv / "bin" / "python", venv / "bin" / "commentmine"

    # 3. the core install: commentmine from the venv, no torch, the model inside the package
    probe = _run(
        [
            str(py),
            "-c",
            "import importlib.util, commentmine\n"
            "from commentmine.embed._static import bundled_model_dir\n"
            "print(commentmine.__file__)\nprint(bundled_model_dir())\n"
            "print(*[m for m in ('torch', 'sentence_transformers', 'umap', 'hdbscan')"
            " if importlib.util.find_spec(m)])",
        ],
        cwd=tmp_path,
        env=env,
    ).splitlines()
    assert Path(probe[0]).is_relative_to(venv) and Path(probe[1]).is_relative_to(venv)
    assert probe[2].strip() == "", f"heavy packages in the core install: {probe[2]}"
    no_torch = subprocess.run([str(py), "-c", "import torch"], capture_output=True, env=env)
    assert no_torch.returncode != 0

    # 4. tag, discover and report on a copy of the bundled survey, outside the repository
    work = tmp_path / "work"
    work.mkdir()
    survey = shutil.copy(SURVEY, work / "survey.csv")
    common = [survey, "--id-col", "respondent_id"]
    _run(
        [
            str(cli),
            "tag",
            *common,
            "--codebook",
            "vcse-pcc",
            "--level",
            "comment",
            "--out",
            "tags.csv",
            "--quiet",
        ],
        cwd=work,
        env=env,
    )
    _run(
        [
            str(cli),
            "discover",
            *common,
            "--codebook",
            "vcse-pcc",
            "--seed",
            "0",
            "--out",
            "themes.yaml",
            "--assignments",
            "assignments.csv",
            "--quiet",
        ],
        cwd=work,
        env=env,
    )
    _run(
        [
            str(cli),
            "report",
            *common,
            "--codebook",
            "vcse-pcc",
            "--by",
            "org_size",
            "--formats",
            "md,html,xlsx",
            "--consent-col",
            "consent_to_quote",
            "--out-dir",
            "report",
            "--quiet",
        ],
        cwd=work,
        env=env,
    )
    tags = (work / "tags.csv").read_text(encoding="utf-8").splitlines()
    assert tags[0].startswith("comment_id") and len(tags) > 1000
    assert "themes:" in (work / "themes.yaml").read_text(encoding="utf-8")
    assert len((work / "assignments.csv").read_text(encoding="utf-8").splitlines()) > 100
    assert "funding" in (work / "report" / "report.md").read_text(encoding="utf-8").lower()

    # 5. the size target of the core install
    size = _du_mb(venv)
    print(f"core venv: {size:.0f} MB, wheel: {wheel.stat().st_size / 1e6:.1f} MB")
    assert size <= MAX_VENV_MB
