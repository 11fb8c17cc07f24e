"""Discovery's outputs on the demo survey and small subsets of the dev corpora, written to a
folder, so that two versions of commentmine can be compared file by file (a restructure must
change nothing).

    PYTHONPATH=OLD .venv/bin/python benchmarks/discover_identity.py --out /tmp/old
    PYTHONPATH=NEW .venv/bin/python benchmarks/discover_identity.py --out /tmp/new
    diff -r /tmp/old /tmp/new && echo identical

``commentmine`` is imported from ``PYTHONPATH`` before ``_common`` puts this checkout on the
path, so the version compared is the one ``PYTHONPATH`` names (``digest.txt`` says which).
Each case runs :func:`commentmine.discover` with the default embedder and with the bundled
static one (``--fast``) and writes ``themes.csv``, ``assignments.csv``,
``comment_assignments.csv`` and ``themes.yaml``; the CLI case runs ``commentmine discover``
on the demo survey as ``make demo`` does and keeps its YAML, assignments and printed summary.
``digest.txt`` holds every file's SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# before _common (which puts this checkout first on sys.path): the PYTHONPATH version
cm = importlib.import_module("commentmine")

import _common as C  # noqa: E402

SURVEY = C.ROOT / "corpora" / "vcse_pcc_survey.csv"
EMBEDDERS = {"default": None, "static": "static"}


def _cases() -> dict[str, tuple]:
    """name -> (comments, keyword arguments of ``discover()``), small enough to run in minutes."""
    demo = cm.read(SURVEY, id_col="respondent_id")
    nhs = C.load_tasks("nhs")[0]
    rest = C.load_tasks("restaurants")[0]
    edu = C.load_tasks("educator")[0]
    cfpb = C.load_tasks("cfpb")[0]
    return {
        "demo": (demo, {"codebook": "vcse-pcc", "seed": 0}),
        "nhs300": (nhs.comments.iloc[:300], {"codebook": nhs.codebook, "seed": 1}),
        "restaurants300_k6_lexical": (
            rest.comments.iloc[:300],
            {"n_themes": 6, "lexical_weight": 0.2, "stop_phrases": ("restaurant",)},
        ),
        "educator_uncoded": (
            edu.comments,
            {"codebook": edu.codebook, "uncoded_only": True, "redact": False},
        ),
        "cfpb60_comments": (cfpb.comments.iloc[:60], {"codebook": cfpb.codebook, "n_quotes": 2}),
    }


def _write(folder: Path, found) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in (
        ("themes.csv", found.themes),
        ("assignments.csv", found.assignments),
        ("comment_assignments.csv", found.comment_assignments),
    ):
        path = folder / name
        frame.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    path = folder / "themes.yaml"
    path.write_text(found.codebook.to_yaml(), encoding="utf-8")
    return [*paths, path]


def _cli(folder: Path, fast: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    root = Path(cm.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1", "COLUMNS": "200"}
    cmd = [
        sys.executable,
        "-m",
        "commentmine",
        "discover",
        str(SURVEY),
        "--id-col",
        "respondent_id",
        "--codebook",
        "vcse-pcc",
        "--seed",
        "0",
        "--out",
        str(folder / "themes.yaml"),
        "--assignments",
        str(folder / "assignments.csv"),
    ] + (["--fast"] if fast else [])
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    summary = folder / "summary.txt"
    summary.write_text(run.stdout + run.stderr.replace(str(folder), "OUT"), encoding="utf-8")
    return [folder / "themes.yaml", folder / "assignments.csv", summary]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    ap.add_argument("--no-cli", action="store_true")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    digest = []

    def note(paths: list[Path]) -> None:
        for path in paths:
            h = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.append(f"{h}  {path.relative_to(a.out)}")
            print(digest[-1], flush=True)

    cases = _cases()
    wanted = [c for c in a.cases.split(",") if c] or list(cases)
    for case in wanted:
        comments, kw = cases[case]
        for emb_name, emb in EMBEDDERS.items():
            found = cm.discover(comments, embedder=emb, **kw)
            note(_write(a.out / f"{case}__{emb_name}", found))
    if not a.no_cli:
        for fast in (False, True):
            note(_cli(a.out / f"cli_demo__{'static' if fast else 'default'}", fast))
    where = Path(cm.__file__).resolve().parents[1]
    (a.out / "digest.txt").write_text("\n".join(digest) + "\n", encoding="utf-8")
    print(f"commentmine from {where}", flush=True)


if __name__ == "__main__":
    main()
