"""Before/after identity check for restructures: the tagging outputs, byte for byte.

A restructure (moving code, splitting classes, renaming private helpers) must not change any
output. This script tags fixed inputs with the current code, writes each output as CSV (and
each table's ``attrs`` as JSON), and keeps the SHA-256 of every file:

* the demo survey (``corpora/vcse_pcc_survey.csv``, ``--id-col respondent_id``, codebook
  ``vcse-pcc``) and the interview notes folder ``corpora/interviews/``, segment and comment
  level, through :func:`commentmine.tag`;
* the six development corpora of ``benchmarks/_common.py``: every task, its first
  ``CAP[corpus]`` comments (ArgKP: every topic x stance group, 20 comments each; educator:
  each question, 100), segment and comment level;
* each of the above with the default embedder and with ``"static"``;
* the CLI on the demo (``commentmine tag --level comment``, default embedder) and its
  streaming path (``--stream --fast``);
* a trained theme model (:func:`commentmine.train` on 200 coded restaurant comments of the
  train split, 300 more as unlabelled texts; the default, static, embedder): its tags of 300
  test comments (both levels), its cross-validated scores, the files of its saved folder
  (``weights.npz`` as the name, dtype, shape and bytes of each array, in file order, since a
  zip member records the time it was written), and the tags of the model loaded back from it.

Embeddings are not taken from an earlier run: ``COMMENTMINE_CACHE`` points at a fresh temporary
folder (the library's default behaviour on a fresh machine).

Usage (from the repository root, with ``PYTHONPATH=$PWD``)::

    python benchmarks/check_identity.py --record   # write benchmarks/results/identity.json
    python benchmarks/check_identity.py            # compare with it; exit 1 on a difference

``--out DIR`` keeps the outputs (default: a temporary folder, deleted) so that a difference
can be looked at; ``--only PREFIX`` runs the cases whose name starts with it (check mode only).
A check writes ``benchmarks/results/identity.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

ROOT = C.ROOT
RECORD = C.RESULTS / "identity.json"
REPORT = C.RESULTS / "identity.md"
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
INTERVIEWS = ROOT / "corpora" / "interviews"
EMBEDDERS = ("default", "static")
#: Comments per task, by corpus (every task of each corpus is run).
CAP = {"nhs": 300, "restaurants": 300, "argkp": 20, "cfpb": 100, "banking77": 300, "educator": 100}


def _versions() -> dict[str, str]:
    import onnxruntime
    import sklearn
    import spacy

    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "onnxruntime": onnxruntime.__version__,
    }


def _csv_bytes(df: pd.DataFrame) -> bytes:
    text = df.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8", "surrogatepass")


def _attrs_bytes(df: pd.DataFrame) -> bytes:
    return (json.dumps(df.attrs, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode()


def _npz_digest(path: Path) -> bytes:
    """Name, dtype, shape and bytes of each array of an ``.npz`` file, in file order."""
    h = hashlib.sha256()
    with np.load(path, allow_pickle=False) as z:
        for name in z.files:
            a = z[name]
            h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
            h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest().encode()


class Run:
    """Collects ``case name -> sha256`` and keeps the files under ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.hashes: dict[str, str] = {}
        self.seconds: dict[str, float] = {}

    def put(self, name: str, data: bytes) -> None:
        self.hashes[name] = hashlib.sha256(data).hexdigest()
        path = self.out / re.sub(r"[^A-Za-z0-9._/-]+", "_", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def table(self, name: str, df: pd.DataFrame) -> None:
        self.put(f"{name}.csv", _csv_bytes(df))
        self.put(f"{name}.attrs.json", _attrs_bytes(df))


def _embedder(name: str):
    return None if name == "default" else name


def tag_cases(run: Run, wanted: Callable[[str], bool]) -> None:
    import commentmine as cm

    inputs = [
        ("demo", lambda: cm.read(SURVEY, id_col="respondent_id"), "vcse-pcc"),
        ("interviews", lambda: cm.read(INTERVIEWS), "vcse-pcc"),
    ]
    for corpus in C.CORPUS_NAMES:
        for task in C.load_tasks(corpus):
            comments = task.comments.head(CAP[corpus]).reset_index(drop=True)
            inputs.append((f"{corpus}/{task.name}", lambda c=comments: c, task.codebook))
    for name, load, codebook in inputs:
        for emb in EMBEDDERS:
            case = f"tag/{name}/{emb}"
            if not wanted(case):
                continue
            t0 = time.perf_counter()
            comments = load()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                seg = cm.tag(comments, codebook, embedder=_embedder(emb))
                com = cm.tag(comments, codebook, embedder=_embedder(emb), level="comment")
            run.table(f"{case}/segment", seg)
            run.table(f"{case}/comment", com)
            run.seconds[case] = time.perf_counter() - t0
            print(f"{case}: {len(seg)} tag rows, {run.seconds[case]:.1f}s", flush=True)


def cli_cases(run: Run, wanted: Callable[[str], bool]) -> None:
    runs = {
        "cli/demo-comment": ["--level", "comment"],
        "cli/demo-stream-fast": ["--stream", "--fast"],
    }
    for case, extra in runs.items():
        if not wanted(case):
            continue
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "tags.csv"
            cmd = [sys.executable, "-m", "commentmine", "tag", str(SURVEY), "--id-col"]
            cmd += ["respondent_id", "--codebook", "vcse-pcc", "--out", str(out), "--quiet"]
            subprocess.run(cmd + ["--no-cache", *extra], check=True, cwd=ROOT)
            run.put(f"{case}/tags.csv", out.read_bytes())
        run.seconds[case] = time.perf_counter() - t0
        print(f"{case}: {run.seconds[case]:.1f}s", flush=True)


def model_cases(run: Run, wanted: Callable[[str], bool]) -> None:
    if not wanted("model/"):
        return
    from commentmine._training._public import load_theme_model, train

    t0 = time.perf_counter()
    (task,) = C.load_tasks("restaurants")
    com = task.comments
    train_rows = com[~com["comment_id"].astype(str).isin(task.heldout)].reset_index(drop=True)
    test = com[com["comment_id"].astype(str).isin(task.heldout)].head(300).reset_index(drop=True)
    coded = train_rows.head(200).copy()
    coded["labels"] = ["|".join(sorted(task.gold[str(i)])) for i in coded["comment_id"]]
    pool = train_rows["text"].iloc[200:500].astype(str).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = train(coded, task.codebook, unlabelled=pool)
        run.put("model/cv_scores.json", json.dumps(model.cv_scores_, sort_keys=True).encode())
        run.table("model/tags/segment", model.tag(test))
        run.table("model/tags/comment", model.tag(test, level="comment"))
        folder = run.out / "model" / "folder"
        model.save(folder)
        for path in sorted(folder.iterdir()):
            data = _npz_digest(path) if path.suffix == ".npz" else path.read_bytes()
            run.put(f"model/saved/{path.name}", data)
        loaded = load_theme_model(folder)
        run.table("model/loaded/segment", loaded.tag(test))
        run.table("model/loaded/comment", loaded.tag(test, level="comment"))
    run.seconds["model"] = time.perf_counter() - t0
    print(f"model: {run.seconds['model']:.1f}s", flush=True)


_commit = C.commit_note


def _write_report(result: dict, seconds: float, command: str) -> None:
    lines = [
        "# Identity check: tagging outputs before and after a restructure",
        "",
        f"Machine: {C.machine()}. Command: `{command}`. Code: {_commit()}, compared with the "
        f"record made at {result['recorded_at']}. Took {seconds:.0f} s.",
        "",
        f"Outputs compared: {result['n']}; identical: {result['same']}; different: "
        f"{len(result['differ'])}; missing: {len(result['missing'])}; new: {len(result['new'])}.",
        "",
    ]
    if result["versions_differ"]:
        lines += ["Library versions differ from the record's: " + result["versions_differ"], ""]
    for title, key in (("Different", "differ"), ("Missing", "missing"), ("New", "new")):
        if result[key]:
            lines += [f"## {title}", "", *[f"- `{n}`" for n in result[key]], ""]
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--record", action="store_true", help="write the record instead of checking")
    ap.add_argument("--out", type=Path, help="keep the outputs in this folder")
    ap.add_argument("--only", default="", help="run only the cases starting with this prefix")
    args = ap.parse_args()
    if args.record and args.only:
        ap.error("--only is for checks; a record runs every case")
    t0 = time.perf_counter()
    out = args.out or Path(tempfile.mkdtemp(prefix="identity-"))
    cache = tempfile.mkdtemp(prefix="identity-cache-")
    os.environ["COMMENTMINE_CACHE"] = cache
    run = Run(out)

    def wanted(case: str) -> bool:
        return case.startswith(args.only) or args.only.startswith(case)

    try:
        tag_cases(run, wanted)
        cli_cases(run, wanted)
        model_cases(run, wanted)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    seconds = time.perf_counter() - t0
    if args.record:
        record = {
            "recorded_at": _commit(),
            "versions": _versions(),
            "outputs": dict(sorted(run.hashes.items())),
        }
        RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {len(run.hashes)} outputs in {seconds:.0f}s -> {RECORD}")
        return 0
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    old = {k: v for k, v in record["outputs"].items() if wanted(k)}
    new = run.hashes
    vers = _versions()
    result = {
        "recorded_at": record["recorded_at"],
        "n": len(set(old) | set(new)),
        "same": sum(old.get(k) == v for k, v in new.items()),
        "differ": sorted(k for k in new if k in old and old[k] != new[k]),
        "missing": sorted(set(old) - set(new)),
        "new": sorted(set(new) - set(old)),
        "versions_differ": ", ".join(
            f"{k} {record['versions'].get(k)} -> {v}"
            for k, v in vers.items()
            if record["versions"].get(k) != v
        ),
    }
    command = "python benchmarks/check_identity.py" + (f" --only {args.only}" if args.only else "")
    if not args.only:
        _write_report(result, seconds, command)
    ok = not (result["differ"] or result["missing"] or result["new"])
    print(
        f"{'IDENTICAL' if ok else 'DIFFERENT'}: {result['same']} of {result['n']} outputs the same"
        f" ({seconds:.0f}s)"
    )
    for key in ("differ", "missing", "new"):
        for name in result[key]:
            print(f"  {key}: {name}")
    if result["versions_differ"]:
        print(f"  versions differ: {result['versions_differ']}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
