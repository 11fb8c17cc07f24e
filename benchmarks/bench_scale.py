"""Scale: throughput and peak memory of every stage against input size, streaming and Dask.

Usage (from the repository root)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python benchmarks/bench_scale.py
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000,10000 --steps read,segment,tag
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --steps tag_stream --merge

Inputs: the ``text`` of ``../shared/corpora/nhs_patient_feedback.csv`` and
``semeval14_restaurants.csv`` pooled and resampled with replacement (seed 0) to N comments,
written as CSV (``id, corpus, text``) in a temporary folder. Resampling repeats texts: the
embedding cache is switched off (``cache=False``) in every run so repeats are embedded again
(discover and quotes rows before 2026-11-29 14:00 UTC used the default, cached embedder, on an
empty cache), but the static model's and the segmenter's in-process memos still see repeated
words.

Every (step, size) runs in a fresh subprocess; the child times its own step (wall seconds,
after imports and any prerequisite work, which is timed separately) and reports its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: imports, prerequisites and the step).

Steps
    read          ``commentmine.read`` of the whole CSV (1M: the chunked reader, streamed).
    segment       ``commentmine.segment`` of the comments table.
    embed         the bundled static model on every segment text (no cache).
    tag           ``commentmine.tag`` end to end (read -> segment -> embed -> tag), in memory.
    tag_stream    ``commentmine.scale.tag_file`` end to end (two passes, chunks of 20,000 rows,
                  CSV written), the path ``commentmine tag`` takes for big inputs.
    discover      ``commentmine.discover`` on the comments (all segments) below 100k; from
                  100k the path ``commentmine discover --engine dask`` takes,
                  ``scale.discover_dask``: discovery on a seeded 20,000-segment sample, every
                  other segment assigned to the nearest theme centroid on a LocalCluster of 2
                  single-threaded workers (start-up not timed; worker peaks in the note).
    quotes        ``commentmine.quotes`` (5 per theme) on the tags of ``tag`` (in memory).
    minilm        ``tag`` with ``select_embedder("minilm", cache=False)`` (1k and 10k only;
                  larger sizes are extrapolated linearly from 10k and marked so).
    bertopic      BERTopic's default pipeline (full MiniLM, UMAP, HDBSCAN) on the comments.
    dask1, dask2  ``scale.tag_dask`` of the CSV on a LocalCluster of 1 / 2 single-threaded
                  worker processes, chunks of ``min(20000, max(250, N // 16))`` rows, at most
                  a window of ``max(8, 4 x workers)`` chunks on the cluster at once: the client
                  scans the file (ids and the fit sample, as tag_stream's fit pass; only the
                  first chunks of the window are shipped and kept), the tagger is fitted (the
                  client with one worker, a worker with two) while the workers segment the
                  kept chunks and match keywords and embed their segments, the rest of the
                  file is read again; the workers segment, match, embed,
                  tag and encode the rows the client writes. Cluster start-up is not timed;
                  the client row's peak RSS excludes the workers (listed in the note). The
                  note also gives CPU seconds of the client and of the workers during the run
                  (``time.process_time`` / ``getrusage`` deltas) and the load average at the
                  end: on a shared machine wall times mislead, CPU seconds much less so.

Results: ``benchmarks/results/scale.md``, ``scale.json`` and ``scale.png`` (time and memory
against size; ``--results DIR`` writes them elsewhere, for trial runs). Every row records the
load average at its start and ``others``, the share of the machine's CPU that other processes
used while it ran: numbers from a loaded machine are upper bounds on time. Each row also
records its date and commit.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "benchmarks" / "results"
ALL_STEPS = [
    "read",
    "segment",
    "embed",
    "tag",
    "tag_stream",
    "discover",
    "quotes",
    "minilm",
    "bertopic",
    "dask1",
    "dask2",
]
# Sizes each step is run at by default (others are skipped as out of reach on 2 cores).
REACH = {
    "read": 1_000_000,
    "segment": 1_000_000,
    "embed": 1_000_000,
    "tag": 1_000_000,
    "tag_stream": 1_000_000,
    "discover": 1_000_000,
    "quotes": 1_000_000,
    "minilm": 10_000,
    "bertopic": 100_000,  # 606 s and 2.0 GB at 100k here; 1M would take hours (not run)
    "dask1": 100_000,
    "dask2": 100_000,
}
CODEBOOK = "vcse-pcc"
# From this size discover runs as `commentmine discover --engine dask` does: scale.discover_dask
# (discovery on a seeded sample of segments, the rest assigned on a 2-worker LocalCluster).
DISCOVER_DASK_FROM = 100_000
DISCOVER_SAMPLE = 20_000
FIT_ON = ["auto"]  # --dask-fit-on, handed to the child runs


# --------------------------------------------------------------------------- data


def make_corpus(n: int, path: Path, seed: int = 0) -> Path:
    import numpy as np
    import pandas as pd

    frames = []
    for name in ("nhs_patient_feedback.csv", "semeval14_restaurants.csv"):
        df = pd.read_csv(CORPORA / name, dtype=str, keep_default_na=False)
        frames.append(pd.DataFrame({"corpus": name.split("_")[0], "text": df["text"]}))
    pool = pd.concat(frames, ignore_index=True)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(pool), size=n)
    out = pool.iloc[pick].reset_index(drop=True)
    out.insert(0, "id", [f"c{i:07d}" for i in range(n)])
    out.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- child side


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    """A Dask worker's peak RSS (run on each worker): ``VmHWM`` of its own address space.

    Not ``ru_maxrss``: Linux keeps that across fork and exec, so a worker started by a client
    holding a large table would report the client's memory as its own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_mb()


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process (run on each Dask worker)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(step: str, csv: Path, n: int, out: Path) -> None:
    import commentmine as cm

    res: dict = {"step": step, "n": n}
    t0 = time.perf_counter()
    read_kw = {"text_cols": ["text"], "id_col": "id"}
    if step == "read":
        if n > 200_000:
            from commentmine.scale import iter_comments

            rows = sum(len(c) for c in iter_comments(csv, chunk_rows=20000, **read_kw))
            res["note"] = "chunked reader (streamed)"
        else:
            rows = len(cm.read(csv, **read_kw))
        res["seconds"] = time.perf_counter() - t0
        res["rows"] = rows
    elif step == "discover" and n >= DISCOVER_DASK_FROM:
        import distributed

        from commentmine.embed import select_embedder
        from commentmine.scale import discover_dask

        comments = cm.read(csv, **read_kw)
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
        cpu0 = client.run(_cpu_seconds)
        c0 = time.process_time()
        t1 = time.perf_counter()  # cluster start-up not counted
        found = discover_dask(
            comments,
            fit_sample=DISCOVER_SAMPLE,
            seed=0,
            embedder=select_embedder(None, cache=False),
            scheduler=client,
            progress=False,
        )
        res["seconds"] = time.perf_counter() - t1
        res["prereq_seconds"] = t1 - t0
        res["themes"] = len(found.themes)
        client_cpu = time.process_time() - c0
        cpu1 = client.run(_cpu_seconds)
        workers_cpu = sum(cpu1[w] - cpu0[w] for w in cpu1)
        peaks = client.run(_worker_peak_mb)
        res["worker_peak_mb"] = sorted(round(v) for v in peaks.values())
        res["note"] = (
            f"scale.discover_dask: discovery on a {DISCOVER_SAMPLE:,}-segment sample, the "
            f"other {len(found.assignments) - DISCOVER_SAMPLE:,} segments assigned on 2 workers; "
            f"{res['themes']} themes; worker peak RSS MB {res['worker_peak_mb']} (client row); "
            f"CPU s client {client_cpu:.1f}, workers {workers_cpu:.1f}"
        )
        client.close()
        cluster.close()
    elif step in ("segment", "embed", "discover", "bertopic"):
        comments = cm.read(csv, **read_kw)
        t1 = time.perf_counter()
        if step == "bertopic":
            from bertopic import BERTopic
            from sentence_transformers import SentenceTransformer

            from commentmine.embed._st import minilm_dir

            model = SentenceTransformer(str(minilm_dir()), device="cpu")
            texts = comments.loc[comments["status"] == "ok", "text"].tolist()
            t1 = time.perf_counter()
            BERTopic(embedding_model=model).fit_transform(texts)
        elif step == "discover":
            from commentmine.embed import select_embedder

            found = cm.discover(comments, seed=0, embedder=select_embedder(None, cache=False))
            res["themes"] = len(found.themes)
        else:
            segs = cm.segment(comments)
            res["segments"] = len(segs)
            if step == "embed":
                from commentmine.embed import select_embedder

                emb = select_embedder(None, cache=False)
                emb.embed(["warm up"])
                t1 = time.perf_counter()
                emb.embed(segs["text"].tolist())
        res["prereq_seconds"] = t1 - t0
        res["seconds"] = time.perf_counter() - t1
    elif step in ("tag", "minilm", "quotes"):
        from commentmine.embed import select_embedder

        emb = select_embedder("minilm" if step == "minilm" else None, cache=False)
        tags = cm.tag(cm.read(csv, **read_kw), CODEBOOK, embedder=emb)
        t1 = time.perf_counter()
        res["rows_out"] = len(tags)
        if step == "quotes":
            q = cm.quotes(tags, n=5, embedder=emb)
            res["quotes"] = len(q)
            res["prereq_seconds"] = t1 - t0
            res["seconds"] = time.perf_counter() - t1
        else:
            res["seconds"] = t1 - t0
    elif step == "tag_stream":
        from commentmine.embed import select_embedder
        from commentmine.scale import tag_file

        info = tag_file(
            csv,
            out.with_suffix(".tags.csv"),
            CODEBOOK,
            embedder=select_embedder(None, cache=False),
            progress=False,
            **read_kw,
        )
        res["seconds"] = time.perf_counter() - t0
        res["timings"] = info["timings"]
        res["rows_out"] = info["rows_out"]
        out.with_suffix(".tags.csv").unlink()
    elif step in ("dask1", "dask2"):
        import distributed

        from commentmine.embed import select_embedder
        from commentmine.scale import tag_dask

        cluster = distributed.LocalCluster(
            n_workers=int(step[-1]), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
        cpu0 = client.run(_cpu_seconds)
        c0 = time.process_time()
        t0 = time.perf_counter()  # cluster start-up not counted
        fit_on = os.environ.get("COMMENTMINE_BENCH_FIT_ON", "auto")
        info = tag_dask(
            csv,
            CODEBOOK,
            embedder=select_embedder(None, cache=False),
            scheduler=client,
            fit_on=fit_on,
            chunk_rows=min(20000, max(250, n // 16)),  # >= 16 tasks to share out
            output_path=out.with_suffix(".tags.csv"),
            progress=False,
            **read_kw,
        )
        res["seconds"] = time.perf_counter() - t0
        client_cpu = time.process_time() - c0
        cpu1 = client.run(_cpu_seconds)
        res["cpu"] = {
            "client": round(client_cpu, 2),
            "workers": round(sum(cpu1[w] - cpu0[w] for w in cpu1), 2),
            "client_phases": info.get("client_cpu", {}),
        }
        res["load_end"] = round(os.getloadavg()[0], 1)
        workers = client.run(_worker_peak_mb)
        res["worker_peak_mb"] = sorted(round(v) for v in workers.values())
        win = info.get("window", {})  # the run's window (tag_dask's summary)
        res["window"] = dict(win)
        res["note"] = (
            f"fit on {info.get('fit_on', 'client')}"
            + ("" if fit_on == "auto" else f" (--dask-fit-on {fit_on})")
            + (
                f"; window {win['window']} chunks of {win['chunks']} ({win['held']} kept from "
                "the scan)"
                if win
                else ""
            )
            + f"; worker peak RSS MB {res['worker_peak_mb']} (client row); CPU s client "
            f"{res['cpu']['client']:.1f}, workers {res['cpu']['workers']:.1f}; "
            f"load at end {res['load_end']:.1f}"
        )
        client.close()
        cluster.close()
        res["timings"] = info["timings"]
        res["rows_out"] = info["rows_out"]
        out.with_suffix(".tags.csv").unlink()
    else:
        raise SystemExit(f"unknown step {step}")
    res["peak_mb"] = _peak_mb()
    out.write_text(json.dumps(res))


# --------------------------------------------------------------------------- parent side


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy (Linux ``/proc/stat``; None elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal: everything but idle and iowait
    return (sum(f[:3]) + sum(f[5:8])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def spawn(step: str, csv: Path, n: int, tmp: Path, timeout: float) -> dict:
    out = tmp / f"{step}-{n}.json"
    env = {
        **os.environ,
        "COMMENTMINE_BENCH_FIT_ON": FIT_ON[0],
        "COMMENTMINE_CACHE": str(tmp / "cache"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    load = os.getloadavg()[0]
    busy0, kids0 = _busy_seconds(), _children_cpu()
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", step, str(csv), str(n), str(out)],
            env=env,
            cwd=ROOT,
            timeout=timeout,
            capture_output=True,
            text=True,
        )
    except subprocess.TimeoutExpired:
        return {"step": step, "n": n, "error": f"timeout after {timeout:.0f} s", "load": load}
    if proc.returncode != 0:
        lines = (proc.stderr or "").strip().splitlines()
        errs = [ln for ln in lines if re.match(r"^[\w.]*(Error|Exception|Interrupt)\b", ln)]
        why = (errs or lines or ["?"])[-1][:200]
        return {"step": step, "n": n, "error": f"exit {proc.returncode}: {why}", "load": load}
    res = json.loads(out.read_text())
    res["wall_total"] = time.perf_counter() - t0
    res["load"] = load
    busy1 = _busy_seconds()
    if busy0 is not None and busy1 is not None:
        # CPU the rest of the machine used while this run went on (the run's own processes,
        # Dask workers included, are subtracted): a better measure of contention than the load
        # average at start, which still holds the previous run of this benchmark.
        others = max(0.0, (busy1 - busy0) - (_children_cpu() - kids0))
        res["others_share"] = others / (res["wall_total"] * (os.cpu_count() or 1))
    res["comments_per_s"] = n / res["seconds"] if res["seconds"] > 0 else None
    return res


def _median_run(runs: list[dict]) -> dict:
    """The run with the median time (the lower middle of an even count), its note listing
    every run's seconds; a failed run is kept only if all failed."""
    ok = sorted((r for r in runs if "error" not in r), key=lambda r: r["seconds"])
    if not ok:
        return runs[-1]
    res = dict(ok[(len(ok) - 1) // 2])
    if len(runs) > 1:
        times = ", ".join(f"{r['seconds']:.1f}" for r in ok)
        failed = len(runs) - len(ok)
        extra = f", {failed} failed" if failed else ""
        note = f"median of {len(runs)} runs ({times} s{extra})"
        res["note"] = note + ("; " + res["note"] if res.get("note") else "")
    return res


def machine() -> dict:
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_at_start": [round(x, 1) for x in os.getloadavg()],
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def _fmt_n(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def render(rows: list[dict], runs: list[dict]) -> str:
    lines = [
        "# Scale: throughput and peak memory against size",
        "",
        "Produced by `benchmarks/bench_scale.py` (see its docstring for what each step times).",
        "Each row is one fresh subprocess; `load` is the 1-minute load average when it started.",
        "",
    ]
    for r in runs:
        lines.append(
            f"- run {r['date']}: {r['machine']}, {r['cores']} cores, Python {r['python']}, "
            f"commit {r['commit']}, load average at start {r['load_at_start']}, "
            f"sizes {r['sizes']}, steps {r['steps']}"
        )
    lines += [
        "",
        "Runs with a load average above the core count shared the CPUs with other work: their",
        "times are upper bounds (a quiet machine is faster), and their ratios (Dask speed-up)",
        "are unreliable. The load average at start also still holds the previous run of this",
        "benchmark (rows run back to back start at 1-2 on an otherwise idle machine); `others`",
        "(rows since 2026-11-29 15:00 UTC) is the better measure: the share of the machine's CPU",
        "that other processes used while the row ran (its own processes, Dask workers",
        "included, subtracted; from /proc/stat).",
        "",
        "| step | comments | seconds | comments/s | peak RSS MB | load | others | run (UTC) | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    order = {s: i for i, s in enumerate(ALL_STEPS)}
    for r in sorted(rows, key=lambda r: (order.get(r["step"], 99), r["n"])):
        when = _run_of(r, runs)
        if "error" in r:
            lines.append(
                f"| {r['step']} | {r['n']:,} | - | - | - | {r.get('load', 0):.1f} | - | {when} | "
                f"failed: {r['error']} |"
            )
            continue
        note = r.get("note", "")
        if r.get("extrapolated"):
            note = "extrapolated linearly from 10k (not run)"
        if "timings" in r:
            t = r["timings"]
            keys = [
                k
                for k in (
                    "read_fit",
                    "fit",
                    "warmup",
                    "read",
                    "sample",
                    "segment",
                    "embed",
                    "tag",
                    "write",
                    "apply",
                )
                if k in t
            ]
            note = (note + "; " if note else "") + ", ".join(f"{k} {t[k]:.1f}" for k in keys)
        if "prereq_seconds" in r:
            note = (note + "; " if note else "") + f"prerequisites {r['prereq_seconds']:.1f} s"
        peak = "-" if r.get("extrapolated") else f"{r['peak_mb']:.0f}"
        load = "-" if r.get("extrapolated") else f"{r['load']:.1f}"
        others = f"{100 * r['others_share']:.0f}%" if "others_share" in r else "-"
        lines.append(
            f"| {r['step']} | {r['n']:,} | {r['seconds']:.1f} | {r['comments_per_s']:,.0f} | "
            f"{peak} | {load} | {others} | {when} | {note} |"
        )
    lines += [
        "",
        "## Notes",
        "",
        "- Sizes run per step: read, segment, embed, tag, tag_stream, discover and quotes up",
        "  to 1M; Dask up to 100k, and at 1M with `--force` (one run each); BERTopic up to",
        "  100k (606 s and 2.0 GB there; 1M, at least ten times that, was not run); MiniLM up",
        "  to 10k. MiniLM rows above 10k are",
        "  extrapolated linearly from the 10k run and marked so; they were not run.",
        "- discover below 100k is `commentmine.discover` on every segment, in memory; from 100k",
        "  it is `scale.discover_dask`, what `commentmine discover --engine dask` runs and the",
        "  path for a big input: discovery on a seeded 20,000-segment sample (the same work at",
        "  100k and 1M), every other segment assigned to the nearest theme centroid on a",
        "  LocalCluster of 2 workers (start-up not timed; the client segments the whole input",
        "  first). Its per-comment time therefore falls with size.",
        "- BERTopic is its default pipeline (full MiniLM embeddings, UMAP, HDBSCAN) run here,",
        "  not numbers reused from bench_discovery.",
        "- `tag` (in memory) fits on at most 20,000 segments (seeded sample), so its fixed cost",
        "  (imports, the models, the fit) dominates at 1k-10k; it scores in chunks of 50,000",
        "  segments. `tag_stream` reads the file twice (fit pass, apply pass). `quotes` times",
        "  `quotes()` alone; its prerequisite is the in-memory `tag`.",
        "- Resampled corpora repeat texts: in-call memos (segmenter, keyword matcher) see",
        "  repeats (every size draws from the same ~10,000 texts of the two corpora); the",
        "  embedding cache is off in every run.",
        "- The `run` column gives each row's date and commit. Code changes of 2026-11-29:",
        "  `quotes()` rebuilt comment texts with one pandas group per comment until 5d7d59a",
        "  (quotes 100k took 136.5 s, load 1.8); `Tagger.predict` built its features through",
        "  COO + hstack until 8a3107c (100k segments scored in 10.1 s before, 6.0 s after;",
        "  tag 100k took 22.0 s, tag_stream 1M 368.9 s at load 3.5); `discover_dask` found",
        "  comment themes with one pandas group per comment until cbd8b70 (over 10 min at 1M).",
        "  Rows run before a change (see the run column) measured the slower code.",
        "- Dask at 100k varies from run to run and from hour to hour on this machine even",
        "  when quiet (others 0-2%; the CPU seconds of the same work vary as much): commits",
        "  doing the same work (ee2550e to f031c24: code moved, one-worker fix) gave 1 worker",
        "  26.9 s / 2 workers 18.2 s (1.48x, medians of 5, 2026-11-29",
        "  18:35), 20.9 / 15.0 s (1.40x, medians of 7, 19:18) and 23.8 / 15.8 s (1.50x,",
        "  medians of 5, 20:06, `bench_dask_fit_on.py`). The 1-worker default fits the tagger",
        "  on the client, whose CPU works beside the worker's (1.2-1.3 cores in all); with the",
        "  fit on a worker in both runs the same 20:06 rounds give 26.8 / 15.8 s, 1.69x",
        "  (`results/dask_fit_on.md`).",
        "- Worker peak RSS is each worker's `VmHWM` since 2026-11-29 20:04 UTC. Rows before",
        "  used `ru_maxrss`, which Linux carries over fork and exec: a worker started by a",
        "  client already holding the input reported the client's memory as its own (discover",
        "  1M: 1,075 MB then, 192-196 MB now, which also ships its assignment slices in a",
        "  window since ae44fe9).",
        *_load_note(rows),
        "- Dask rows hold at most a window of chunks on the cluster (the note gives it): they",
        "  scan the file once (`read`: ids and the fit sample, by the client since 2026-11-29",
        "  17:00 UTC, on the workers before; the first chunks are kept), fit while the workers",
        "  segment the kept chunks and match and embed their segments (the part of tagging",
        "  that needs no fitted tagger; since 17:10 UTC), then read the rest again within the",
        "  window (`apply`: everything after the fit). The note says where the tagger was",
        "  fitted (`fit_on` auto: the client with one worker, a worker with two). Peak RSS of",
        "  the client row excludes the workers (their peaks are in the note), as do the client",
        "  CPU seconds. With `--repeat N` a row is the median of N runs (all listed).",
    ]
    lines += ["", "## Targets", ""]
    lines += targets(rows)
    lines += ["", "![time and memory against size](scale.png)", ""]
    return "\n".join(lines)


def _load_note(rows: list[dict]) -> list[str]:
    """Which rows shared the 2 cores with other work: ``others`` above 25% (half a core), or,
    for rows from before ``others`` was recorded, a load average above 1 at start."""
    order = {s: i for i, s in enumerate(ALL_STEPS)}
    real = [
        r
        for r in sorted(rows, key=lambda r: (order.get(r["step"], 99), r["n"]))
        if not r.get("extrapolated") and "error" not in r
    ]
    busy = [
        f"{r['step']} {_fmt_n(r['n'])} ({100 * r['others_share']:.0f}%)"
        for r in real
        if r.get("others_share", 0) > 0.25
    ]
    unknown = [
        f"{r['step']} {_fmt_n(r['n'])} ({r['load']:.1f})"
        for r in real
        if "others_share" not in r and r["load"] > 1.0
    ]
    out = []
    if busy:
        out += textwrap.wrap(
            "- Rows during which other processes used over a quarter of the CPU (times are "
            "upper bounds): " + ", ".join(busy) + ".",
            width=92,
            subsequent_indent="  ",
        )
    if unknown:
        out += textwrap.wrap(
            "- Rows from before `others` was recorded that started at a load average above 1 "
            "(another job may have shared the cores; times are upper bounds): "
            + ", ".join(unknown)
            + ".",
            width=92,
            subsequent_indent="  ",
        )
    if not out:
        out = ["- No row shared the CPUs with other work (`others` at most 25% everywhere)."]
    return out


def _run_of(row: dict, runs: list[dict]) -> str:
    """When a row ran (``MM-DD HH:MM``, with the commit): recorded on rows since 2026-11-29
    14:00 UTC; for older rows, the last run that listed its step and size."""
    if row.get("extrapolated"):
        return "-"
    date, commit = row.get("run"), row.get("commit")
    if date is None:
        for run in reversed(runs):
            if row["step"] in run["steps"] and row["n"] in run["sizes"]:
                date, commit = run["date"], run["commit"]
                break
    return f"{date[5:16]} {commit}" if date else "?"


def _get(rows: list[dict], step: str, n: int) -> dict | None:
    for r in rows:
        if r["step"] == step and r["n"] == n and "error" not in r and not r.get("extrapolated"):
            return r
    return None


def targets(rows: list[dict]) -> list[str]:
    out = []
    t = _get(rows, "tag", 100_000) or _get(rows, "tag_stream", 100_000)
    out.append(
        "- 100,000 comments tagged end to end in <= 60 s (bundled model): "
        + (f"{t['seconds']:.1f} s ({t['step']}, load {t['load']:.1f})" if t else "not run")
    )
    m = _get(rows, "tag_stream", 1_000_000)
    out.append(
        "- peak memory <= 2 GB at 1M comments streamed: "
        + (
            f"{m['peak_mb']:.0f} MB in {m['seconds']:.0f} s (load {m['load']:.1f})"
            if m
            else "not run"
        )
    )
    for step in ("tag", "tag_stream"):
        pts = sorted(
            (r["n"], r["seconds"])
            for r in rows
            if r["step"] == step and "error" not in r and not r.get("extrapolated")
        )
        if len(pts) >= 2:
            per = ", ".join(f"{_fmt_n(n)} {1e6 * s / n:.0f} us" for n, s in pts)
            out.append(f"- time per comment ({step}; linear growth keeps it flat): {per}")
    lin = []
    for step in ALL_STEPS:
        a, b = _get(rows, step, 100_000), _get(rows, step, 1_000_000)
        if a and b:
            ratio = (b["seconds"] / b["n"]) / (a["seconds"] / a["n"])
            lin.append(f"{step} {ratio:.2f} (load {a['load']:.1f} / {b['load']:.1f})")
    if lin:
        out.append(
            "- time per comment at 1M over at 100k (1.00 = linear; below 1: fixed costs "
            "spread over more comments, repeated texts met again by the in-call memos, and "
            "discover's fixed 20k-segment sample): " + ", ".join(lin)
        )
    for n in sorted({r["n"] for r in rows}):
        a, b = _get(rows, "dask1", n), _get(rows, "dask2", n)
        if a and b:
            out.append(
                f"- Dask 2 workers vs 1 at {_fmt_n(n)}: {a['seconds'] / b['seconds']:.2f}x "
                f"(target >= 1.6x; apply phase {a['timings']['apply'] / b['timings']['apply']:.2f}x;"
                f" load {a['load']:.1f} / {b['load']:.1f})"
            )
    return out


def extrapolate(rows: list[dict]) -> list[dict]:
    rows = [r for r in rows if not r.get("extrapolated")]
    base = _get(rows, "minilm", 10_000)
    if base:
        for n in (100_000, 1_000_000):
            rows.append(
                {
                    "step": "minilm",
                    "n": n,
                    "seconds": base["seconds"] * n / base["n"],
                    "comments_per_s": base["comments_per_s"],
                    "extrapolated": True,
                }
            )
    return rows


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    ax1.set_prop_cycle(color=plt.cm.tab20.colors[::2] + plt.cm.tab20.colors[1::2])
    for step in ALL_STEPS:
        pts = sorted(
            (r["n"], r["seconds"], r.get("peak_mb"), r.get("extrapolated", False))
            for r in rows
            if r["step"] == step and "error" not in r
        )
        if not pts:
            continue
        real = [p for p in pts if not p[3]]
        ext = [p for p in pts if p[3]]
        line = ax1.plot([p[0] for p in real], [p[1] for p in real], "o-", label=step)[0]
        if ext:
            ax1.plot(
                [real[-1][0]] + [p[0] for p in ext],
                [real[-1][1]] + [p[1] for p in ext],
                "--",
                color=line.get_color(),
                label=f"{step} (extrapolated)",
            )
        ax2.plot(
            [p[0] for p in real], [p[2] for p in real], "o-", label=step, color=line.get_color()
        )
    ax1.set(
        xscale="log", yscale="log", xlabel="comments", ylabel="seconds", title="time against size"
    )
    ax2.set(
        xscale="log",
        yscale="log",
        xlabel="comments",
        ylabel="peak RSS (MB)",
        title="peak memory against size",
    )
    ax2.axhline(2048, color="grey", lw=0.8, ls=":")
    ax1.grid(True, which="both", alpha=0.3)
    ax2.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument(
        "--sizes",
        default="1000,10000,100000,1000000",
        help="comma-separated sizes (default 1k,10k,100k,1M)",
    )
    ap.add_argument("--steps", default=",".join(ALL_STEPS), help="comma-separated steps")
    ap.add_argument("--force", action="store_true", help="run steps beyond their default reach")
    ap.add_argument(
        "--merge",
        action="store_true",
        help="keep earlier results in scale.json (replacing re-run step x size)",
    )
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every step this many times (in alternating rounds) and keep the median run",
    )
    ap.add_argument(
        "--dask-fit-on",
        choices=["auto", "client", "worker"],
        default="auto",
        help="where dask1/dask2 fit the tagger (tag_dask's fit_on; default auto: the client "
        "with one worker, a worker with two)",
    )
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite scale.md and scale.png from scale.json, run nothing",
    )
    ap.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="folder of scale.json/.md/.png (default benchmarks/results; another one for trial "
        "runs that must not touch the recorded results)",
    )
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        step, csv, n, out = args.child
        child(step, Path(csv), int(n), Path(out))
        return 0

    results = args.results
    if args.render_only:
        data = json.loads((results / "scale.json").read_text())
        (results / "scale.md").write_text(render(data["rows"], data["runs"]), encoding="utf-8")
        plot(data["rows"], results / "scale.png")
        return 0
    FIT_ON[0] = args.dask_fit_on
    sizes = [int(s) for s in args.sizes.split(",") if s]
    steps = [s for s in args.steps.split(",") if s]
    results.mkdir(parents=True, exist_ok=True)
    store = results / "scale.json"
    old = (
        json.loads(store.read_text())
        if (args.merge and store.exists())
        else {"runs": [], "rows": []}
    )
    run = {**machine(), "sizes": sizes, "steps": steps}
    if args.repeat > 1:
        run["steps"] = run["steps"] + [f"(median of {args.repeat})"]
    if args.dask_fit_on != "auto":
        run["steps"] = run["steps"] + [f"(dask fit on {args.dask_fit_on})"]
    print(f"machine: {run}", flush=True)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for n in sizes:
            csv = make_corpus(n, tmp / f"comments_{n}.csv")
            runs_of: dict[str, list[dict]] = {}
            for _ in range(max(1, args.repeat)):  # rounds: steps alternate under drifting load
                for step in steps:
                    if n > REACH.get(step, 0) and not args.force:
                        continue
                    res = spawn(step, csv, n, tmp, args.timeout)
                    runs_of.setdefault(step, []).append(res)
                    if "error" in res:
                        print(f"{step:>10} {n:>9,}  FAILED {res['error']}", flush=True)
                    else:
                        print(
                            f"{step:>10} {n:>9,}  {res['seconds']:8.1f} s  "
                            f"{res['comments_per_s']:9,.0f}/s  {res['peak_mb']:7.0f} MB  "
                            f"load {res['load']:.1f}",
                            flush=True,
                        )
            for runs_ in runs_of.values():
                rows.append({**_median_run(runs_), "run": run["date"], "commit": run["commit"]})
            csv.unlink()
    done = {(r["step"], r["n"]) for r in rows}
    merged = [r for r in old["rows"] if (r["step"], r["n"]) not in done] + rows
    merged = extrapolate(merged)
    runs = old["runs"] + [run]
    store.write_text(json.dumps({"runs": runs, "rows": merged}, indent=1))
    (results / "scale.md").write_text(render(merged, runs), encoding="utf-8")
    plot(merged, results / "scale.png")
    print((results / "scale.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
