"""Tagging on data it was not tuned on: leave-one-corpus-out defaults on the six dev corpora.

Usage (from the repository root)::

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_calibration.py          # everything
    .venv/bin/python benchmarks/bench_calibration.py --corpora cfpb,educator   # a quick look

What it does, all zero-shot (codebook labels and descriptions only; gold labels only score):

1. **Grid.** Every corpus (``benchmarks/_common.py``: NHS, restaurants, ArgKP per topic x
   stance group, CFPB, banking77 test split, the educator survey per question) is tagged with
   every candidate setting of the tagger's decisions and embedder (:data:`EMBEDDERS` x
   :data:`DECISIONS`: the bundled static model or MiniLM run by onnxruntime). The Tagger is
   fitted once per task and embedder; the decision settings only change ``predict``.
2. **Leave one corpus out.** For each corpus, the setting with the best mean objective on the
   *other five* is picked and scored on it. The default shipped is the setting with the best
   mean objective over all six; the table says how many of the six folds picked it.
   Objective per corpus: ``macro-F1 - 0.5 |ln(themes per comment / people's)| - 0.01 x
   prevalence error (points)``: a 10% error in the number of themes per comment costs about as
   much as 0.05 of F1, and so do 5 points of prevalence error.
3. **Baselines, same run.** MiniLM (sentence-transformers) cosine of each whole comment to
   "label: description", top-1; a logistic regression on MiniLM embeddings of 20 labelled
   comments per theme (at most half of a theme's rows; scored on the other rows; 3 seeds).
4. **Quote precision at n = 5**: ``commentmine.quotes`` on the default's tags (and the top 5
   comments per theme by score for the baselines); a quote is a hit when its comment carries
   the theme by the human labels.
5. **Review-corrected prevalence** (CFPB and NHS): a simple random sample of 200 respondents
   (``review_sample(unit="respondent")``) "reviewed" with the human labels standing in for the
   reviewer, then ``corrected_prevalence``; repeated over 20 seeds: how often the 95% interval
   covers the human share, and the mean absolute error.

Metrics are at comment level (a comment's themes are the union of its segments' tags):
macro-F1 over themes with gold support, themes per tagged comment beside the people's, the
prevalence error (mean |predicted - human share| over themes, in points, shares within each
task), the worst predicted/human ratio among themes people gave to >= 2% of comments.

Writes ``benchmarks/results/calibration.md`` and ``calibration_grid.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import _common as C  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

OUT = C.RESULTS / "calibration.md"

#: Candidate settings: the embedder, then every combination of the decision settings. The first
#: full run (2026-12-04, 22:17 UTC) also tried fallback 0.3: within 0.003 of 0.45 on the mean
#: objective everywhere, so it was dropped to make room for floor_on_best. Run 3 (2026-12-05)
#: adds max_similarity and lower relative values, and keeps to what run 2 left in contention: the
#: static embedder's best mean objective was 0.325 against MiniLM's 0.366 (and --fast stays an
#: option, not the default); long_comment=6 and floor_on_best=False were never picked by a fold
#: and their best settings scored 0.005 below the best (results/calibration_grid.json at b9b64c5).
EMBEDDERS = ("minilm-onnx",)
DECISIONS = {
    "long_comment": (3, None),
    "relative": (0.6, 0.7, 0.75, 0.85),
    "fallback": (0.45,),
    "whole_comment": (0.0, 0.5),
    "floor_on_best": (True,),
    "max_similarity": (None, 0.7, 0.6, 0.5),
}
TARGETS = {"card": 0.30, "worst": 2.0, "mae": 5.0}


def grid() -> list[dict]:
    keys = list(DECISIONS)
    return [
        {"embedder": e, **dict(zip(keys, vals, strict=True))}
        for e in EMBEDDERS
        for vals in itertools.product(*(DECISIONS[k] for k in keys))
    ]


def objective(m: dict) -> float:
    ratio = m["card"] / m["card_gold"] if m["card_gold"] and m["card"] else 1e-3
    return m["macro"] - 0.5 * abs(math.log(ratio)) - 0.01 * m["prev_mae"]


def key(setting: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in setting.items())


# --------------------------------------------------------------------------------- tagging


def _embedder(name: str):
    from commentmine.embed import select_embedder

    return select_embedder(None if name == "static" else name)


def _segments(task) -> pd.DataFrame:
    from commentmine._segment import segment

    return segment(task.comments, include_interviewer=True)


def _sets(tags: pd.DataFrame) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for cid, th in zip(tags["comment_id"].astype(str), tags["theme"], strict=True):
        if th != "uncoded":
            out.setdefault(cid, set()).add(th)
    return out


def run_grid(corpora: list[str], settings: list[dict]) -> dict[str, dict[str, dict]]:
    """{corpus: {setting key: metrics}} for every setting."""
    from commentmine._tagging._public import Tagger

    results: dict[str, dict[str, dict]] = {}
    for corpus in corpora:
        t0 = time.perf_counter()
        tasks = C.load_tasks(corpus)
        segs = [_segments(t) for t in tasks]
        preds: dict[str, list] = {key(s): [] for s in settings}
        for emb_name in EMBEDDERS:
            emb = _embedder(emb_name)
            mine = [s for s in settings if s["embedder"] == emb_name]
            for task, sg in zip(tasks, segs, strict=True):
                tagger = Tagger(task.codebook, embedder=emb).fit(sg)
                prepared = tagger.prepare(sg)
                for s in mine:
                    for name, value in s.items():
                        if name != "embedder":
                            setattr(tagger, name, value)
                    found = _sets(tagger.predict(sg, prepared=prepared))
                    preds[key(s)].append(
                        (
                            [task.gold[i] for i in task.ids],
                            [found.get(i, set()) for i in task.ids],
                            list(task.codebook.ids),
                        )
                    )
        results[corpus] = {k: C.comment_metrics(v) for k, v in preds.items()}
        print(f"[{corpus}] {len(settings)} settings in {time.perf_counter() - t0:.0f}s", flush=True)
    return results


def loco(results: dict[str, dict[str, dict]]) -> tuple[dict[str, str], str, dict[str, int]]:
    """(setting picked for each held-out corpus, the default, folds that picked each key)."""
    corpora = list(results)
    keys = list(results[corpora[0]])

    def mean_obj(k: str, on: list[str]) -> float:
        return float(np.mean([objective(results[c][k]) for c in on]))

    picks = {}
    for c in corpora:
        others = [o for o in corpora if o != c] or [c]
        picks[c] = max(keys, key=lambda k, o=others: (mean_obj(k, o), -keys.index(k)))
    default = max(keys, key=lambda k: (mean_obj(k, corpora), -keys.index(k)))
    votes: dict[str, int] = {}
    for k in picks.values():
        votes[k] = votes.get(k, 0) + 1
    return picks, default, votes


# ------------------------------------------------------------------------------- baselines


def baselines(corpora: list[str]) -> dict[str, dict[str, dict]]:
    from sklearn.linear_model import LogisticRegression

    emb = _embedder("minilm")
    out: dict[str, dict[str, dict]] = {}
    for corpus in corpora:
        cos_parts, lr_parts = [], {r: [] for r in range(3)}
        cos_quotes = []
        for task in C.load_tasks(corpus):
            ids = task.ids
            themes = list(task.codebook.ids)
            V = np.asarray(emb.embed(task.comments["text"].astype(str).tolist()))
            A = np.asarray(
                emb.embed(
                    [
                        f"{t.label}: {t.description}" if t.description else t.label
                        for t in task.codebook.themes
                    ]
                )
            )
            S = V @ A.T
            top = S.argmax(axis=1)
            cos_parts.append(([task.gold[i] for i in ids], [{themes[k]} for k in top], themes))
            for k, t in enumerate(themes):  # the 5 comments tagged t that score highest
                rows = np.flatnonzero(top == k)
                best = rows[np.argsort(-S[rows, k], kind="stable")][:5]
                cos_quotes += [t in task.gold[ids[r]] for r in best]
            for rep in range(3):
                rng = np.random.default_rng(rep)
                train: set[int] = set()
                for t in themes:
                    cand = [j for j, i in enumerate(ids) if t in task.gold[i] and j not in train]
                    take = min(20, len(cand) // 2)
                    if take:
                        train |= set(rng.choice(cand, size=take, replace=False).tolist())
                tr = sorted(train)
                ev = [j for j in range(len(ids)) if j not in train]
                P = np.zeros((len(ids), len(themes)))
                for kk, t in enumerate(themes):
                    y = np.array([t in task.gold[ids[j]] for j in tr])
                    if y.sum() == 0 or y.all():
                        continue
                    clf = LogisticRegression(C=1.0, max_iter=1000).fit(V[tr], y)
                    P[:, kk] = clf.predict_proba(V)[:, 1]
                pred = [
                    {themes[k] for k in np.flatnonzero(P[j] >= 0.5)}
                    | {themes[int(np.argmax(P[j]))]}
                    for j in ev
                ]
                lr_parts[rep].append(([task.gold[ids[j]] for j in ev], pred, themes))
        lr = [C.comment_metrics(lr_parts[r]) for r in range(3)]
        cos = C.comment_metrics(cos_parts)
        cos["quote_precision"] = float(np.mean(cos_quotes)) if cos_quotes else float("nan")
        out[corpus] = {
            "cosine": cos,
            "lr20": {k: float(np.mean([m[k] for m in lr])) for k in lr[0]},
        }
        print(f"[{corpus}] baselines: cosine {cos['macro']:.3f}", flush=True)
    return out


# ------------------------------------------------------------------- the default, in full


def default_run(corpora: list[str], setting: dict, *, review_seeds: int = 20) -> dict:
    """Quote precision, held-out rows and review-corrected prevalence for one setting."""
    import commentmine as cm

    opts = {k: v for k, v in setting.items() if k != "embedder"}
    emb = _embedder(setting["embedder"])
    out: dict = {}
    for corpus in corpora:
        hits = []
        held = []
        review_rows = []
        for task in C.load_tasks(corpus):
            tags = cm.tag(task.comments, task.codebook, embedder=emb, **opts)
            q = cm.quotes(tags, comments=task.comments, codebook=task.codebook, n=5, redact=False)
            hits += [
                t in task.gold.get(cid, set())
                for cid, t in zip(q["comment_id"], q["theme"], strict=True)
            ]
            found = _sets(tags)
            if task.heldout:
                ids = [i for i in task.ids if i in task.heldout]
                held.append(
                    (
                        [task.gold[i] for i in ids],
                        [found.get(i, set()) for i in ids],
                        list(task.codebook.ids),
                    )
                )
            if corpus in ("cfpb", "nhs"):
                review_rows += _review_check(task, tags, review_seeds)
        out[corpus] = {
            "quote_precision": float(np.mean(hits)) if hits else float("nan"),
            "quotes": len(hits),
        }
        if held:
            out[corpus]["heldout"] = C.comment_metrics(held)
        if review_rows:
            r = pd.DataFrame(review_rows)
            out[corpus]["review"] = {
                "seeds": review_seeds,
                "coverage": float(r["covered"].mean()),
                "coverage_min_seed": float(r.groupby("seed")["covered"].mean().min()),
                "mae_points": float(100 * r["abs_err"].mean()),
                "mae_points_worst_seed": float(100 * r.groupby("seed")["abs_err"].mean().max()),
                "machine_mae_points": float(100 * r["machine_err"].mean()),
            }
        print(
            f"[{corpus}] default: quote precision {out[corpus]['quote_precision']:.3f}", flush=True
        )
    return out


def _review_check(task, tags: pd.DataFrame, seeds: int) -> list[dict]:
    """Review 200 random respondents with the gold labels; per seed and theme: covered?"""
    import commentmine as cm
    from commentmine.review import corrected_prevalence, review_sample

    prev = cm.prevalence(tags, task.comments, codebook=task.codebook)
    answered = set(tags["comment_id"].astype(str))
    base = len(answered)
    rows = []
    for seed in range(seeds):
        sample = review_sample(tags, unit="respondent", n=200, comments=task.comments, seed=seed)
        done = sample.copy()
        done["decision"] = "correct-theme"
        done["correct_theme"] = ["|".join(sorted(task.gold[c])) for c in done["comment_id"]]
        corr = corrected_prevalence(prev, done, seed=seed)
        for theme, share, lo, hi, est in zip(
            corr["theme"],
            corr["share"],
            corr["ci_low"],
            corr["ci_high"],
            corr["corrected_share"],
            strict=True,
        ):
            true = sum(theme in task.gold[i] for i in answered) / base
            rows.append(
                {
                    "seed": seed,
                    "theme": theme,
                    "covered": bool(lo - 1e-12 <= true <= hi + 1e-12),
                    "abs_err": abs(est - true),
                    "machine_err": abs(share - true),
                }
            )
    return rows


# ---------------------------------------------------------------------------------- report


def _fmt(m: dict, keys=("macro", "micro", "card", "prev_mae", "worst_ratio")) -> list[str]:
    out = []
    for k in keys:
        v = m.get(k, float("nan"))
        if k == "card":
            out.append(f"{v:.2f} ({m['card_gold']:.2f})")
        elif k == "prev_mae":
            out.append(f"{v:.1f}")
        elif k == "worst_ratio":
            out.append("-" if v != v else f"{v:.1f}x ({int(m['over2x'])}/{int(m['n_2pct'])} >2x)")
        else:
            out.append(f"{v:.3f}")
    return out


def write(results, picks, default, votes, base, full, info, corpora) -> str:
    lines = [
        "# Tagging on corpora it was not tuned on: leave-one-corpus-out",
        "",
        f"Machine: {info}.",
        "",
        "Command: `HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_calibration.py`",
        "",
        (__doc__ or "").split("Writes")[0].replace("Usage (from", "Run (from").strip(),
        "",
        "## Held-out scores: each corpus with the setting picked on the other five",
        "",
        "| corpus | picked on the other five | macro-F1 | micro-F1 | themes/comment (people) "
        "| prevalence error, points | worst ratio (themes >2x) | quote precision @5 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in corpora:
        m = results[c][picks[c]]
        qp = (
            full.get(c, {}).get("quote_precision", float("nan"))
            if picks[c] == default
            else float("nan")
        )
        qs = f"{qp:.3f}" if qp == qp else "(default only)"
        lines.append(f"| {c} | {picks[c]} | " + " | ".join(_fmt(m)) + f" | {qs} |")
    lines += [
        "",
        f"**Default shipped:** `{default}` (picked by {votes.get(default, 0)} of "
        f"{len(corpora)} folds; best mean objective over all six).",
        "",
        "## The default and the baselines, every corpus",
        "",
        "| corpus | method | macro-F1 | micro-F1 | themes/comment (people) | prevalence error "
        "| worst ratio | quote precision @5 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in corpora:
        m = results[c][default]
        qp = full.get(c, {}).get("quote_precision", float("nan"))
        lines.append(f"| {c} | ours (default) | " + " | ".join(_fmt(m)) + f" | {qp:.3f} |")
        if c in base:
            b = base[c]["cosine"]
            lines.append(
                f"| {c} | MiniLM cosine top-1 | "
                + " | ".join(_fmt(b))
                + f" | {b['quote_precision']:.3f} |"
            )
            b = base[c]["lr20"]
            lines.append(f"| {c} | LR, 20 labelled/theme | " + " | ".join(_fmt(b)) + " | - |")
    held = [c for c in corpora if "heldout" in full.get(c, {})]
    if held:
        lines += [
            "",
            "## Rows kept out of every earlier tuning (NHS seeded half, restaurants test split)",
            "",
            "| corpus | macro-F1 | micro-F1 | themes/comment (people) | prevalence error | worst ratio |",
            "|---|---|---|---|---|---|",
        ]
        for c in held:
            lines.append(f"| {c} held-out | " + " | ".join(_fmt(full[c]["heldout"])) + " |")
    rev = [c for c in corpora if "review" in full.get(c, {})]
    if rev:
        lines += [
            "",
            "## Shares corrected with a review of 200 random respondents",
            "",
            "Human labels stand in for the reviewer; each seed draws another sample.",
            "",
            "| corpus | seeds | 95% interval covers the human share (mean; worst seed) "
            "| error of corrected share, points (mean; worst seed) | error of machine share |",
            "|---|---|---|---|---|",
        ]
        for c in rev:
            r = full[c]["review"]
            lines.append(
                f"| {c} | {r['seeds']} | {r['coverage']:.1%}; {r['coverage_min_seed']:.1%} | "
                f"{r['mae_points']:.2f}; {r['mae_points_worst_seed']:.2f} | "
                f"{r['machine_mae_points']:.2f} |"
            )
    lines += ["", "## Every setting (mean objective over the six corpora)", ""]
    keys = list(results[corpora[0]])
    ranked = sorted(keys, key=lambda k: -np.mean([objective(results[c][k]) for c in corpora]))
    lines += [
        "| setting | mean objective | "
        + " | ".join(f"{c} macro / card / prev" for c in corpora)
        + " |"
    ]
    lines += ["|---|---|" + "---|" * len(corpora)]
    for k in ranked:
        lines.append(
            f"| {k} | {np.mean([objective(results[c][k]) for c in corpora]):.3f} | "
            + " | ".join(
                f"{results[c][k]['macro']:.3f} / {results[c][k]['card']:.2f} / "
                f"{results[c][k]['prev_mae']:.1f}"
                for c in corpora
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--corpora", default=",".join(C.CORPUS_NAMES))
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--review-seeds", type=int, default=20)
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args(argv)
    corpora = [c for c in a.corpora.split(",") if c]
    info = C.machine()
    print(info, flush=True)
    settings = grid()
    results = run_grid(corpora, settings)
    picks, default, votes = loco(results)
    setting = next(s for s in settings if key(s) == default)
    full = default_run(corpora, setting, review_seeds=a.review_seeds)
    base = {} if a.no_baselines else baselines(corpora)
    from commentmine._io import write_text_atomic

    write_text_atomic(
        C.RESULTS / "calibration_grid.json",
        json.dumps(
            {"results": results, "picks": picks, "default": default}, indent=1, sort_keys=True
        ),
    )
    C.write_result(a.out, write(results, picks, default, votes, base, full, info, corpora))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
