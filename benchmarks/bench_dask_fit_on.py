"""Dask 2 workers vs 1, with the Tagger fitted in the same place in both runs.

``bench_scale.py``'s dask1/dask2 rows use ``tag_dask``'s default ``fit_on="auto"``: with one
worker the Tagger is fitted on the client, beside the worker, so "1 worker" uses part of the
second core too; with two it is fitted on a worker. This script runs the same tagging (the same
resampled corpus, the same child runs as ``bench_scale.py``) with ``fit_on`` held fixed, in
alternating rounds so that drifting load falls on every configuration alike, and writes
``results/dask_fit_on.md``:

- ``auto``: the default (client with one worker, a worker with two);
- ``worker``: fitted on a worker in both runs (the workers do all the work; the client reads,
  coordinates and writes);
- ``client``: fitted on the client in both runs.

Usage::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_dask_fit_on.py --size 100000 --repeat 5

Each run is one fresh subprocess (cluster start-up not timed); a cell is the median of the
rounds, all runs listed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale as bs  # noqa: E402

CONFIGS = [("dask1", "client"), ("dask1", "worker"), ("dask2", "worker"), ("dask2", "client")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000, help="comments (default 100k)")
    ap.add_argument("--repeat", type=int, default=5, help="alternating rounds (default 5)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    ap.add_argument("--out", type=Path, default=bs.RESULTS / "dask_fit_on.md")
    args = ap.parse_args(argv)
    run = bs.machine()
    print(f"machine: {run}", flush=True)
    times: dict[tuple[str, str], list[float]] = {c: [] for c in CONFIGS}
    cpu: dict[tuple[str, str], list[tuple[float, float]]] = {c: [] for c in CONFIGS}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        csv = bs.make_corpus(args.size, tmp / f"comments_{args.size}.csv")
        for _ in range(max(1, args.repeat)):
            for step, fit_on in CONFIGS:
                bs.FIT_ON[0] = fit_on
                res = bs.spawn(step, csv, args.size, tmp, args.timeout)
                if "error" in res:
                    raise SystemExit(f"{step} fit_on={fit_on}: {res['error']}")
                times[(step, fit_on)].append(res["seconds"])
                cpu[(step, fit_on)].append((res["cpu"]["client"], res["cpu"]["workers"]))
                print(
                    f"{step} fit_on={fit_on:<6} {res['seconds']:6.1f} s  load {res['load']:.1f}  "
                    f"others {res.get('others_share', 0):.0%}",
                    flush=True,
                )

    def med(c: tuple[str, str]) -> float:
        return statistics.median(times[c])

    def cell(c: tuple[str, str]) -> str:
        runs = ", ".join(f"{t:.1f}" for t in sorted(times[c]))
        cl = statistics.median(x for x, _ in cpu[c])
        wk = statistics.median(y for _, y in cpu[c])
        return f"{med(c):.1f} s ({runs}; CPU s client {cl:.1f}, workers {wk:.1f})"

    pairs = {
        "auto (default)": (("dask1", "client"), ("dask2", "worker")),
        "fitted on a worker in both": (("dask1", "worker"), ("dask2", "worker")),
        "fitted on the client in both": (("dask1", "client"), ("dask2", "client")),
    }
    lines = [
        "# Dask 2 workers vs 1, by where the Tagger is fitted",
        "",
        "Produced by `benchmarks/bench_dask_fit_on.py` (see its docstring). "
        f"Run {run['date']}: {run['machine']}, {run['cores']} cores, Python {run['python']}, "
        f"commit {run['commit']}, load average at start {run['load_at_start']}; "
        f"{args.size:,} comments, median of {args.repeat} alternating rounds.",
        "",
        "| fit_on | 1 worker | 2 workers | 2 vs 1 |",
        "| --- | --- | --- | ---: |",
    ]
    for name, (one, two) in pairs.items():
        lines.append(f"| {name} | {cell(one)} | {cell(two)} | {med(one) / med(two):.2f}x |")
    lines += [
        "",
        "`auto` is what `tag_dask` and `commentmine tag --engine dask` do. With one worker it",
        "fits on the client, whose CPU then works beside the worker's; the other rows hold the",
        "place of the fit fixed, so the two runs differ only in the number of workers.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
