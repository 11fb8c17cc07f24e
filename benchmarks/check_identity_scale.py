"""Before/after identity check of the scale restructure (issue 19): every output, byte for byte.

Runs :mod:`commentmine.scale` over fixed inputs and keeps the SHA-256 of every output:

* :func:`~commentmine.scale.tag_file` on the demo survey (``corpora/vcse_pcc_survey.csv``,
  codebook ``vcse-pcc``, text columns detected) and on the first ``N_NHS`` rows of the NHS
  corpus (``../shared/corpora``, its codebook as ``benchmarks/_common.py`` builds it) written
  as CSV, JSONL and Parquet: CSV/JSONL/Parquet outputs, both levels, whole and sampled fits;
* :func:`~commentmine.scale.tag_dask` on a local threaded cluster of two workers: files
  (output written, or the table returned), Dask DataFrames of a wide table and of a comments
  table, fitted on a worker and on the client, narrow windows;
* :func:`~commentmine.scale.discover_dask` on the demo's comments (pandas and Dask);
* the CLI: ``commentmine tag --stream``/``--chunk-rows``/``--engine dask`` (output file and
  the manifest's data and parameters) and ``commentmine discover --engine dask``;
* error messages (ids repeated across chunks, bad options), the public names and signatures.

Each run's summary is compared on its counts (``accounting``, ``rows_out``, ``chunks``,
``comments``, ``fit_*``, ``text_cols``, ``themes``, ``codebook``), not its timings. All but one
case use the bundled static embedder; ``cli/demo-stream-default`` uses the default one.
Embeddings are not taken from an earlier run (``COMMENTMINE_CACHE`` is a fresh folder).

Usage (from the repository root, with ``PYTHONPATH=$PWD``)::

    python benchmarks/check_identity_scale.py --record   # write benchmarks/results/identity_scale.json
    python benchmarks/check_identity_scale.py --check    # compare with it; exit 1 on a difference

``--only PREFIX`` runs the cases whose name starts with it (with ``--check``). A full check
writes its result to ``benchmarks/results/identity_scale_check.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

ROOT = C.ROOT
RECORD = C.RESULTS / "identity_scale.json"
CHECKED = C.RESULTS / "identity_scale_check.json"  # the last full check's result
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
N_NHS = 3000
TMP: list[Path] = [Path("/nonexistent")]  # this run's temporary folder
SUMMARY_KEYS = (
    "accounting",
    "rows_out",
    "chunks",
    "comments",
    "fit_comments",
    "fit_segments",
    "fit_on",
    "text_cols",
    "themes",
    "codebook",
)


class Run:
    def __init__(self, wanted: Callable[[str], bool]) -> None:
        self.hashes: dict[str, str] = {}
        self.wanted = wanted

    def put(self, name: str, data: bytes | str | Any) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, bytes):
            data = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr).encode()
        self.hashes[name] = hashlib.sha256(data).hexdigest()

    def file(self, name: str, path: Path) -> None:
        self.put(name, path.read_bytes())

    def summary(self, name: str, info: dict[str, Any]) -> None:
        self.put(name, {k: info[k] for k in SUMMARY_KEYS if k in info})

    def table(self, name: str, df: pd.DataFrame) -> None:
        self.put(name, df.to_csv(index=False, lineterminator="\r\n"))
        attrs = {k: df.attrs.get(k) for k in ("accounting", "codebook", "themes")}
        self.put(name + ".attrs", attrs)


def _error(fn: Callable[[], Any]) -> str:
    """The error ``fn`` raises, with this run's folder (``TMP``) replaced by ``<tmp>``."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001
        text = f"{type(exc).__name__}: {getattr(exc, 'code', '')} {exc}"
        return text.replace(str(TMP[0]), "<tmp>")
    return "no error"


def _inputs(tmp: Path) -> dict[str, Any]:
    """The NHS rows as CSV, JSONL and Parquet, and its codebook (object and YAML file)."""
    raw = pd.read_csv(C.CORPORA / "nhs_patient_feedback.csv", keep_default_na=False, dtype=str)
    raw = raw.head(N_NHS)[["id", "text", "trust", "service_type"]]
    paths = {"csv": tmp / "nhs.csv", "jsonl": tmp / "nhs.jsonl", "parquet": tmp / "nhs.parquet"}
    raw.to_csv(paths["csv"], index=False)
    raw.to_json(paths["jsonl"], orient="records", lines=True, force_ascii=False)
    raw.to_parquet(paths["parquet"], index=False)
    cbf = pd.read_csv(C.CORPORA / "nhs_patient_feedback_codebook.csv", keep_default_na=False)
    cb = C._codebook("nhs-fft-v6", cbf[cbf["theme"] != "Not assigned"], label_col=None)
    yaml = tmp / "nhs.yaml"
    yaml.write_text(cb.to_yaml(), encoding="utf-8")
    return {"nhs": paths, "raw": raw, "cb": cb, "cb_yaml": yaml}


def tag_file_cases(run: Run, tmp: Path, inp: dict[str, Any]) -> None:
    from commentmine import scale

    demo = dict(id_col="respondent_id", embedder="static", progress=False)
    nhs = dict(text_cols=["text"], id_col="id", embedder="static", progress=False)
    cases = [
        ("demo-seg-csv", SURVEY, "vcse-pcc", "o.csv", dict(demo, chunk_rows=97)),
        (
            "demo-com-jsonl-sampled",
            SURVEY,
            "vcse-pcc",
            "o.jsonl",
            dict(demo, level="comment", chunk_rows=200, fit_sample=150),
        ),
        ("demo-seg-parquet", SURVEY, "vcse-pcc", "o.parquet", dict(demo, chunk_rows=300)),
        (
            "nhs-seg-csv",
            inp["nhs"]["csv"],
            inp["cb"],
            "o.csv",
            dict(nhs, chunk_rows=700, fit_sample=1200),
        ),
        (
            "nhs-com-parquet-in",
            inp["nhs"]["parquet"],
            inp["cb"],
            "o.csv",
            dict(nhs, chunk_rows=1000, level="comment"),
        ),
        (
            "nhs-seg-jsonl",
            inp["nhs"]["jsonl"],
            inp["cb"],
            "o.jsonl",
            dict(nhs, chunk_rows=1500, threshold=0.6, seed=3),
        ),
    ]
    for name, src, cb, out_name, kw in cases:
        case = f"tag_file/{name}"
        if not run.wanted(case):
            continue
        t0 = time.perf_counter()
        out = tmp / case.replace("/", "_") / out_name
        out.parent.mkdir(parents=True)
        info = scale.tag_file(src, out, cb, **kw)
        run.file(f"{case}/output", out)
        run.summary(f"{case}/summary", info)
        print(f"{case}: {info['rows_out']} rows, {time.perf_counter() - t0:.1f}s", flush=True)
    if run.wanted("tag_file/errors"):
        dup = inp["raw"].copy()
        dup.loc[2500, "id"] = dup.loc[10, "id"]
        dup.to_csv(tmp / "dup.csv", index=False)
        run.put(
            "tag_file/errors",
            [
                _error(lambda: scale.tag_file(tmp / "dup.csv", tmp / "d.csv", inp["cb"], **nhs)),
                _error(lambda: scale.tag_file(SURVEY, tmp / "d.xlsx", "vcse-pcc")),
                _error(lambda: scale.tag_file(SURVEY, tmp / "d.csv", "vcse-pcc", fit_sample=0)),
                _error(lambda: scale.tag_file(SURVEY, tmp / "d.csv", "vcse-pcc", level="x")),
                _error(lambda: scale.tag_file(tmp / "none.csv", tmp / "d.csv", "vcse-pcc")),
                (tmp / "d.csv").exists(),
            ],
        )


def tag_dask_cases(run: Run, tmp: Path, inp: dict[str, Any], client: Any) -> None:
    import dask.dataframe as dd

    import commentmine as cm
    from commentmine import scale

    demo = dict(id_col="respondent_id", embedder="static", progress=False, scheduler=client)
    nhs = dict(embedder="static", progress=False, scheduler=client)
    wide = inp["raw"]
    comments = cm.read(wide, text_cols=["text"], id_col="id")
    file_cases = [
        ("demo-file-worker-csv", SURVEY, "vcse-pcc", "o.csv", dict(demo, chunk_rows=150)),
        ("demo-file-client-table", SURVEY, "vcse-pcc", None, dict(demo, fit_on="client")),
        (
            "nhs-file-com-jsonl-window3",
            inp["nhs"]["csv"],
            inp["cb"],
            "o.jsonl",
            dict(
                nhs,
                text_cols="text",
                id_col="id",
                level="comment",
                window=3,
                chunk_rows=500,
                fit_sample=1000,
            ),
        ),  # fmt: skip
        (
            "nhs-wide-frame-com",
            lambda: dd.from_pandas(wide, npartitions=4),
            inp["cb"],
            None,
            dict(nhs, text_cols=["text"], id_col="id", level="comment"),
        ),
        (
            "nhs-wide-frame-rownumbers-seg",
            lambda: dd.from_pandas(wide[["text", "trust"]], npartitions=5),
            inp["cb"],
            None,
            dict(nhs, fit_on="worker", fit_sample=700),
        ),
        (
            "nhs-comments-frame-parquet",
            lambda: dd.from_pandas(comments, npartitions=3),
            inp["cb"],
            "o.parquet",
            dict(nhs, window=2),
        ),
    ]
    for name, src, cb, out_name, kw in file_cases:
        case = f"tag_dask/{name}"
        if not run.wanted(case):
            continue
        t0 = time.perf_counter()
        data = src() if callable(src) else src
        if out_name is None:
            table = scale.tag_dask(data, cb, **kw)
            run.table(f"{case}/table", table)
            rows = len(table)
        else:
            out = tmp / case.replace("/", "_") / out_name
            out.parent.mkdir(parents=True)
            info = scale.tag_dask(data, cb, output_path=out, **kw)
            run.file(f"{case}/output", out)
            run.summary(f"{case}/summary", info)
            rows = info["rows_out"]
        print(f"{case}: {rows} rows, {time.perf_counter() - t0:.1f}s", flush=True)
    if run.wanted("tag_dask/errors"):
        dup = wide.copy()
        dup.loc[2500, "id"] = dup.loc[10, "id"]
        run.put(
            "tag_dask/errors",
            [
                _error(
                    lambda: scale.tag_dask(
                        dd.from_pandas(dup, npartitions=3),
                        inp["cb"],
                        text_cols=["text"],
                        id_col="id",
                        **nhs,
                    )
                ),
                _error(lambda: scale.tag_dask(SURVEY, "vcse-pcc", window=0)),
                _error(lambda: scale.tag_dask(SURVEY, "vcse-pcc", fit_on="gpu")),
                _error(lambda: scale.tag_dask([1, 2], "vcse-pcc")),
                _error(lambda: scale.discover_dask(wide, scheduler=client)),
                _error(lambda: scale.discover_dask(comments, uncoded_only=True)),
            ],
        )
    if run.wanted("discover_dask"):
        t0 = time.perf_counter()
        demo_comments = cm.read(SURVEY, id_col="respondent_id")
        opts = dict(scheduler=client, embedder="static", n_themes=6, progress=False)
        for name, data, kw in (
            ("pandas", demo_comments, dict(fit_sample=600, chunk_rows=400)),
            ("dask", dd.from_pandas(demo_comments, npartitions=3), dict(fit_sample=600)),
        ):
            found = scale.discover_dask(data, **kw, **opts)
            run.table(f"discover_dask/{name}/assignments", found.assignments)
            run.table(f"discover_dask/{name}/comment_assignments", found.comment_assignments)
            run.table(f"discover_dask/{name}/themes", found.themes)
            run.put(f"discover_dask/{name}/codebook", found.codebook.to_yaml())
        print(f"discover_dask: {time.perf_counter() - t0:.1f}s", flush=True)


def cli_cases(run: Run, tmp: Path, inp: dict[str, Any]) -> None:
    demo = [str(SURVEY), "--id-col", "respondent_id", "--codebook", "vcse-pcc"]
    nhs = [str(inp["nhs"]["csv"]), "--text-col", "text", "--id-col", "id"]
    nhs += ["--codebook", str(inp["cb_yaml"])]
    runs = {
        "cli/demo-stream-fast-comment": (demo + ["--stream", "--fast", "--level", "comment"], ".csv"),
        "cli/nhs-chunk-rows-fast": (nhs + ["--chunk-rows", "800", "--fast"], ".jsonl"),
        "cli/demo-dask-fast": (demo + ["--engine", "dask", "--workers", "2", "--fast"], ".csv"),
        "cli/demo-stream-default": (demo + ["--stream", "--chunk-rows", "400"], ".csv"),
    }  # fmt: skip
    for case, (args, ext) in runs.items():
        if not run.wanted(case):
            continue
        t0 = time.perf_counter()
        folder = tmp / case.replace("/", "_")
        folder.mkdir()
        out = folder / f"tags{ext}"
        cmd = [sys.executable, "-m", "commentmine", "tag", *args, "--out", str(out), "--quiet"]
        subprocess.run(cmd + ["--no-cache"], check=True, cwd=ROOT)
        run.file(f"{case}/output", out)
        manifest = json.loads((folder / "tags.manifest.json").read_text(encoding="utf-8"))
        params = {k: v for k, v in manifest.get("parameters", {}).items() if k != "codebook"}
        run.put(f"{case}/manifest", {"data": manifest.get("data"), "parameters": params})
        print(f"{case}: {time.perf_counter() - t0:.1f}s", flush=True)
    case = "cli/discover-dask-fast"
    if run.wanted(case):
        t0 = time.perf_counter()
        folder = tmp / "discover"
        folder.mkdir()
        cmd = [sys.executable, "-m", "commentmine", "discover", str(SURVEY), "--id-col"]
        cmd += ["respondent_id", "--fast", "--engine", "dask", "--workers", "2", "--fit-sample"]
        cmd += ["500", "--n-themes", "5", "--assignments", str(folder / "a.csv"), "--out"]
        cmd += [str(folder / "d.yaml"), "--quiet"]
        subprocess.run(cmd, check=True, cwd=ROOT)
        run.file(f"{case}/assignments", folder / "a.csv")
        run.file(f"{case}/codebook", folder / "d.yaml")
        print(f"{case}: {time.perf_counter() - t0:.1f}s", flush=True)


def api_cases(run: Run) -> None:
    from commentmine import scale

    names = sorted(scale.__all__)
    sigs = {
        n: str(inspect.signature(getattr(scale, n))) for n in names if callable(getattr(scale, n))
    }
    consts = {
        n: repr(sorted(v) if isinstance(v, frozenset) else v)
        for n in ("STREAM_THRESHOLD_BYTES", "STREAM_FORMATS", "OUTPUT_FORMATS")
        for v in [getattr(scale, n)]
    }
    run.put("api/names", names)
    run.put("api/signatures", sigs)
    run.put("api/constants", consts)


_commit = C.commit_note


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", action="store_true", help="write the record")
    mode.add_argument("--check", action="store_true", help="compare with the record")
    ap.add_argument("--only", default="", help="run only the cases starting with this prefix")
    args = ap.parse_args()
    if args.record and args.only:
        ap.error("--only is for checks; a record runs every case")
    import distributed

    t0 = time.perf_counter()
    tmp = TMP[0] = Path(tempfile.mkdtemp(prefix="identity-scale-"))
    os.environ["COMMENTMINE_CACHE"] = str(tmp / "cache")

    def wanted(case: str) -> bool:
        return case.startswith(args.only) or args.only.startswith(case)

    run = Run(wanted)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inp = _inputs(tmp)
            api_cases(run)
            tag_file_cases(run, tmp, inp)
            with (
                distributed.LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                tag_dask_cases(run, tmp, inp, client)
            cli_cases(run, tmp, inp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    seconds = time.perf_counter() - t0
    if args.record:
        record = {"recorded_at": _commit(), "outputs": dict(sorted(run.hashes.items()))}
        RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {len(run.hashes)} outputs in {seconds:.0f}s -> {RECORD}")
        return 0
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    old = {k: v for k, v in record["outputs"].items() if wanted(k)}
    new = run.hashes
    same = sum(old.get(k) == v for k, v in new.items())
    n = len(set(old) | set(new))
    ok = same == n
    print(
        f"{'IDENTICAL' if ok else 'DIFFERENT'}: {same} of {n} outputs the same as the record "
        f"made at {record['recorded_at']} (code {_commit()}, {seconds:.0f}s)"
    )
    differ = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    for k in differ:
        print(f"  {'differ' if k in old and k in new else 'missing/new'}: {k}")
    if not args.only:
        result = {
            "recorded_at": record["recorded_at"],
            "checked_at": _commit(),
            "machine": C.machine(),
            "seconds": round(seconds),
            "outputs": n,
            "identical": same,
            "differ": differ,
        }
        CHECKED.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
