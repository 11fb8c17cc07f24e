"""Granularity of discovery's themes on the six corpora, chosen leave-one-corpus-out (issue 16).

Usage (from the repository root; ``HF_HUB_OFFLINE=1``)::

    .venv/bin/python benchmarks/tune_discovery_granularity.py capture   # once: cluster inputs
    .venv/bin/python benchmarks/tune_discovery_granularity.py sweep     # designs x settings, LOCO

``capture`` runs :func:`commentmine.discover` (seed 0: below ``_WARD_LIMIT`` segments
the clustering does not use the seed) on every problem of ``bench_discovery_six`` and keeps what
its cluster model is given (the embeddings after the spread names are taken out, the segments'
comment ids, the content-empty segments) in a pickle in the temporary directory (not tracked). ``sweep`` re-clusters those inputs
with each candidate setting of each design, scores the comments' majority theme against the
primary gold level (mean over a corpus's problems), and chooses a setting for each corpus on
the other five. Objective per corpus (what issue 16's target counts): the number of metrics
(NMI, ARI) at or above BERTopic's defaults with outliers reduced, plus a tie-break of
``0.1 x`` the mean relative gain (capped at +-1). Settings that give a corpus more than
``MAX_THEMES`` themes or more than 5% outliers are scored -inf on it. The labels are not
computed here: they do not move the clusters. Settings: ``neighbours`` (kNN smoothing before
the Ward tree), ``split_spread`` (split a theme less coherent than that share of the median
theme), ``min_themes`` (an integer, or ``"c<x>"``: at least ``max(2, round(x * sqrt(n)))``
themes, a floor from the corpus size); the rest are discover()'s defaults before this tune
(no smoothing, no split, ``min_themes=4``).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import pickle
import shlex
import sys
import tempfile
import time
from pathlib import Path

import _common as C  # ROOT on sys.path, machine line
import bench_discovery_six as six
import numpy as np

ROOT = C.ROOT

from commentmine._io import write_text_atomic  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "commentmine_granularity_cache.pkl"  # not tracked
OUT = six.RESULTS / "discovery_granularity_loco.md"
SEEDS = (0,)  # the clustering uses the seed only above _WARD_LIMIT segments
MAX_THEMES = 30


class _Stop(Exception):
    pass


def capture(datasets: list[str], options: dict, path: Path = CACHE) -> None:
    """Keep each problem's cluster input (per seed) by stopping discover() at its labels."""
    import importlib

    disc = importlib.import_module("commentmine._discover")
    bt = importlib.import_module("commentmine._discover._bertopic")
    _content = importlib.import_module("commentmine._discover._content")

    seen: dict = {}
    real_fit, real_describe = bt.fit_bertopic, disc._describe

    def fit(phrase_docs, vectors, embed_fn, clusterer, seeds, top_n=40):
        seen["vectors"] = np.asarray(vectors, dtype=np.float32)
        seen["clusterer"] = clusterer
        return clusterer.fit(vectors).labels_, {}

    def describe(segments, source, texts, vectors, labels, *a, **k):
        seen["comment_ids"] = segments["comment_id"].astype(str).tolist()
        seen["empty"] = np.array([not c.strip() for c in _content.strip_boilerplate(texts, ())])
        seen["labels"] = np.asarray(labels)
        raise _Stop

    bt.fit_bertopic, disc._describe = fit, describe
    data = pickle.loads(path.read_bytes()) if path.exists() else {}
    try:
        for dataset in datasets:
            for p in six.load_problems(dataset):
                for seed in SEEDS:
                    t0 = time.perf_counter()
                    seen.clear()
                    with contextlib.suppress(_Stop):
                        disc.discover(
                            six.comments_table(p["ids"], p["texts"]), seed=seed, **options
                        )
                    data[(dataset, p["name"], seed)] = {
                        "vectors": seen["vectors"],
                        "comment_ids": seen["comment_ids"],
                        "empty": seen["empty"],
                        "labels": seen["labels"],
                        "ids": p["ids"],
                        "gold": p["gold"][next(iter(p["gold"]))],
                    }
                    print(f"{dataset} {p['name']} seed {seed}: {time.perf_counter() - t0:.0f} s")
            path.write_bytes(pickle.dumps(data))
    finally:
        bt.fit_bertopic, disc._describe = real_fit, real_describe


def comment_themes(item: dict, labels: np.ndarray) -> list[str]:
    """The comments' majority theme as discover() gives it (outliers only when all are)."""
    import pandas as pd

    from commentmine._discover import _comment_majority

    theme = [f"t{int(t):03d}" if t >= 0 else "outlier" for t in labels]
    ass = pd.DataFrame(
        {"comment_id": item["comment_ids"], "segment_id": range(len(labels)), "theme": theme}
    )
    maj = _comment_majority(ass)
    by_id = dict(zip(maj.comment_id, maj.theme, strict=True))
    return [by_id.get(i, "outlier") for i in item["ids"]]


def cluster(item: dict, seed: int, setting: dict) -> np.ndarray:
    """discover()'s cluster model on a captured input, its defaults but for ``setting``.

    ``setting``: see the module docstring.
    """
    import importlib
    import math

    cl = importlib.import_module("commentmine._discover._cluster")
    X = item["vectors"]
    n = len(X)
    mts = max(3, math.ceil(0.01 * n))
    k_max = min(MAX_THEMES, max(2, math.isqrt(n)), max(2, n // mts))
    floor = setting.get("min_themes", 4)
    if isinstance(floor, str):
        floor = max(2, round(float(floor[1:]) * math.sqrt(n)))
    model = cl._WardClusterer(
        n_clusters=None,
        k_min=min(floor, k_max),
        k_max=k_max,
        min_size=mts,
        outlier_similarity=0.2,
        merge_similarity=0.9,
        seed=seed,
        neighbours=int(setting.get("neighbours", 0)),
        split_spread=float(setting.get("split_spread", 0.0)),
        judge_raw=bool(setting.get("judge_raw", True)),
    )
    return np.where(item["empty"], -1, model.fit(X).labels_)


def bertopic_refs() -> dict[str, dict]:
    """BERTopic's defaults, outliers reduced, at each corpus's primary level."""
    bt = six._load_json().get("bertopic", {})
    return {d: e["levels"][f"{PRIMARY[d]} (reduced)"] for d, e in bt.items()}


#: Each corpus's primary gold level (the first of ``bench_discovery_six.load_problems``).
PRIMARY = {
    "nhs": "categories",
    "argkp": "key points",
    "restaurants": "aspects",
    "cfpb": "product",
    "banking77": "intent",
    "educator": "codes",
}


MARGIN = 0.005


def objective(sc: dict, ref: dict) -> float:
    """Metrics at or above BERTopic's (+ MARGIN), tie-broken by 0.1 x mean relative gain."""
    if sc["outliers"] > 0.05 or sc["themes"] > MAX_THEMES:
        return -math.inf
    wins = (sc["nmi"] >= ref["nmi"] + MARGIN) + (sc["ari"] >= ref["ari"] + MARGIN)
    gain = [np.clip((sc[m] - ref[m]) / max(abs(ref[m]), 0.02), -1.0, 1.0) for m in ("nmi", "ari")]
    return wins + 0.1 * float(np.mean(gain))


def score(data: dict, dataset: str, setting: dict) -> dict:
    """Mean NMI, ARI, outliers and themes over the corpus's problems (seed 0)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    vals = []
    for key, item in data.items():
        if key[0] != dataset:
            continue
        pred = comment_themes(item, cluster(item, key[2], setting))
        vals.append(
            {
                "nmi": normalized_mutual_info_score(item["gold"], pred),
                "ari": adjusted_rand_score(item["gold"], pred),
                "outliers": sum(p == "outlier" for p in pred) / len(pred),
                "themes": len(set(pred) - {"outlier"}),
            }
        )
    return {m: float(np.mean([v[m] for v in vals])) for m in vals[0]}


def sweep(grid: dict | list, datasets: list[str], out: Path) -> None:
    data = pickle.loads(CACHE.read_bytes())
    refs = bertopic_refs()
    settings = (
        grid
        if isinstance(grid, list)
        else [dict(zip(grid, v, strict=True)) for v in itertools.product(*grid.values())]
    )
    table: dict[str, dict[str, dict]] = {}
    for st in settings:
        key = json.dumps(st, sort_keys=True)
        t0 = time.perf_counter()
        for d in datasets:
            table.setdefault(key, {})[d] = score(data, d, st)
        row = " ".join(
            f"{d} {table[key][d]['nmi']:.3f}/{table[key][d]['ari']:.3f}"
            f"({table[key][d]['themes']:.0f})"
            for d in datasets
        )
        print(f"{key}: {row} ({time.perf_counter() - t0:.0f} s)", flush=True)

    def mean_obj(key: str, on: list[str]) -> float:
        return sum(objective(table[key][o], refs[o]) for o in on) / len(on)

    cmd = shlex.join(
        [".venv/bin/python", "benchmarks/tune_discovery_granularity.py", *sys.argv[1:]]
    )
    lines = [
        "# Leave-one-corpus-out choice of discovery's granularity and smoothing (issue 16)",
        "",
        f"Command: `{cmd}`, "
        f"{C.utc_now()}, load "
        f"{os.getloadavg()[0]:.1f}. " + " ".join((__doc__ or "").split("\n\n")[3].split()),
        "",
        "BERTopic (outliers reduced): "
        + "; ".join(f"{d} {refs[d]['nmi']:.3f} / {refs[d]['ari']:.3f}" for d in datasets)
        + ".",
        "",
        "| setting | " + " | ".join(datasets) + " | corpora won (NMI and ARI) |",
        "| --- | " + " | ".join("---" for _ in datasets) + " | ---: |",
    ]
    for key, row in table.items():
        won = sum(objective(row[d], refs[d]) >= 2 for d in datasets)
        cells = [
            f"{row[d]['nmi']:.3f} / {row[d]['ari']:.3f} ({row[d]['themes']:.0f})" for d in datasets
        ]
        lines.append(f"| `{key}` | " + " | ".join(cells) + f" | {won} |")
    lines += [
        "",
        "| held-out corpus | chosen on the other five | NMI / ARI there | both won |",
        "| --- | --- | --- | --- |",
    ]
    won = 0
    for d in datasets:
        others = [o for o in datasets if o != d]
        best = max(table, key=lambda k: mean_obj(k, others))
        sc = table[best][d]
        ok = objective(sc, refs[d]) >= 2
        won += ok
        lines.append(
            f"| {d} | `{best}` | {sc['nmi']:.3f} / {sc['ari']:.3f} | {'yes' if ok else 'no'} |"
        )
    overall = max(table, key=lambda k: mean_obj(k, datasets))
    lines += [
        "",
        f"Held out: both metrics won on {won} of {len(datasets)}. On all six: `{overall}`.",
    ]
    write_text_atomic(out, "\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("--datasets", nargs="+", default=list(six.DATASETS))
    cap.add_argument("--options", default="{}")
    cap.add_argument("--cache", default=str(CACHE))
    sw = sub.add_parser("sweep")
    sw.add_argument("--grid", required=True, help="JSON: option -> list of values")
    sw.add_argument("--datasets", nargs="+", default=list(six.DATASETS))
    sw.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    if args.cmd == "sweep":
        sweep(json.loads(args.grid), args.datasets, Path(args.out))
    if args.cmd == "capture":
        capture(args.datasets, json.loads(args.options), Path(args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
