"""Quotes that differ in content and stand alone (issue 20 items 8, 10 and 11).

Section 1 chooses ``QuoteOptions.max_shared_words`` (the longest run of words two quotes of a
theme may share) leave-one-corpus-out over the six corpora: for each corpus, the value is
picked on the other five as the strongest filter (smallest run) that costs no quote precision
(macro mean within 0.005 of the filter switched off) and no quotes (within 1%); then scored on
the corpus. A quote is a hit when its comment's human labels hold the theme it illustrates.
Diversity is reported as the mean pairwise cosine of a theme's quotes (default embedder; lower
is more varied) and the share of a theme's quote pairs that share a run of 5 or more words.

Section 2 reads the demo survey's and the bundled interviews' quotes as a reader would: quotes
per theme, quotes per interviewee, how many open leaning on a sentence they do not show ("It
...", "But ...") against how many of the candidate segments do, and the diversity measures.

Tags come from ``commentmine.tag`` with the embedder named in the results (the one quotes use,
``select_embedder(None)``) and are cached in ``--cache``.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_quote_variety.py

Writes benchmarks/results/quote_variety.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import _common as C  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

OUT = C.RESULTS / "quote_variety.md"
GRID: tuple[int | None, ...] = (4, 5, 6, 8, 10, None)
DEMO = C.ROOT / "corpora" / "vcse_pcc_survey.csv"
INTERVIEWS = C.ROOT / "corpora" / "interviews"


_cached_tags = C.cached_tags


def _run(q: pd.DataFrame) -> int:
    """Longest run of words any two quotes of one theme share."""
    from commentmine._quotes._pick import word_runs

    best = 0
    for _t, g in q.groupby("theme"):
        texts = g["text"].tolist()
        for a, b in itertools.combinations(texts, 2):
            k = 1
            while word_runs(a, k) & word_runs(b, k):
                k += 1
            best = max(best, k - 1)
    return best


def diversity(q: pd.DataFrame, emb) -> dict[str, float]:
    """Mean pairwise cosine of a theme's quotes and the share of pairs sharing 5+ words."""
    from commentmine._quotes._pick import unit, word_runs

    cos, pairs, shared = [], 0, 0
    for _t, g in q.groupby("theme"):
        texts = g["text"].tolist()
        if len(texts) < 2:
            continue
        v = unit(np.asarray(emb.embed(texts), dtype=np.float32))
        sim = v @ v.T
        iu = np.triu_indices(len(texts), 1)
        cos.append(float(sim[iu].mean()))
        for a, b in itertools.combinations(texts, 2):
            pairs += 1
            shared += bool(word_runs(a, 5) & word_runs(b, 5))
    return {
        "cos": float(np.mean(cos)) if cos else float("nan"),
        "shared5": shared / pairs if pairs else 0.0,
    }


def section1(corpora: list[str], emb, cache: Path, argkp_groups: int) -> list[str]:
    import commentmine as cm

    res: dict[tuple[str, int | None], dict[str, float]] = {}
    for corpus in corpora:
        tasks = C.load_tasks(corpus)
        if corpus == "argkp":
            tasks = tasks[:argkp_groups]
        tagged = [(t, _cached_tags(t.name, t.comments, t.codebook, emb, cache)) for t in tasks]
        for k in GRID:
            qs = []
            for task, tags in tagged:
                q = cm.quotes(tags, comments=task.comments, codebook=task.codebook, embedder=emb,
                              consent_col=False, redact=False, max_shared_words=k)  # fmt: skip
                hit = [
                    th in task.gold.get(str(c), ())
                    for th, c in zip(q["theme"], q["comment_id"], strict=True)
                ]
                qs.append(q.assign(task=task.name, hit=hit, theme=task.name + "/" + q["theme"]))
            q = pd.concat(qs, ignore_index=True)
            res[corpus, k] = {"quotes": len(q), "precision": float(q["hit"].mean())}
            res[corpus, k] |= diversity(q, emb)
            print(corpus, k, res[corpus, k], flush=True)
    lines = ["## 1. `max_shared_words`, chosen leave-one-corpus-out", ""]
    lines += ["Every value on every corpus (quote precision / quotes / mean pairwise cosine / "
              "share of pairs sharing 5+ words):", ""]  # fmt: skip
    head = "| corpus | " + " | ".join(str(k) for k in GRID) + " |"
    lines += [head, "|" + "---|" * (len(GRID) + 1)]
    for corpus in corpora:
        cells = []
        for k in GRID:
            r = res[corpus, k]
            cells.append(f"{r['precision']:.3f} / {r['quotes']} / {r['cos']:.3f} / "
                         f"{r['shared5']:.3f}")  # fmt: skip
        lines.append(f"| {corpus} | " + " | ".join(cells) + " |")
    lines += ["", "| held-out corpus | chosen on the other five | precision (off -> chosen) | "
              "quotes | mean cosine | pairs sharing 5+ words |", "|---|---|---|---|---|---|"]  # fmt: skip
    chosen_all = []
    for held in corpora:
        rest = [c for c in corpora if c != held]
        p_off = np.mean([res[c, None]["precision"] for c in rest])
        n_off = sum(res[c, None]["quotes"] for c in rest)
        ok = [
            k
            for k in GRID
            if np.mean([res[c, k]["precision"] for c in rest]) >= p_off - 0.005
            and sum(res[c, k]["quotes"] for c in rest) >= 0.99 * n_off
        ]
        k = ok[0]  # GRID runs from the strongest filter to none
        chosen_all.append(k)
        a, b = res[held, None], res[held, k]
        lines.append(
            f"| {held} | {k} | {a['precision']:.3f} -> {b['precision']:.3f} | "
            f"{a['quotes']} -> {b['quotes']} | {a['cos']:.3f} -> {b['cos']:.3f} | "
            f"{a['shared5']:.3f} -> {b['shared5']:.3f} |"
        )
    votes = pd.Series([str(k) for k in chosen_all]).value_counts()
    lines += ["", f"Chosen per fold: {', '.join(str(k) for k in chosen_all)} "
              f"(most often: {votes.index[0]}, {votes.iloc[0]} of {len(chosen_all)} folds).", ""]  # fmt: skip
    return lines


def _leaning(q: pd.DataFrame) -> float:
    from commentmine._quotes._source import leans_back

    return float(q["text"].map(leans_back).mean()) if len(q) else 0.0


def section2(emb, cache: Path) -> list[str]:
    import commentmine as cm
    from commentmine._quotes._source import leans_back

    demo = cm.read(DEMO, id_col="respondent_id")
    notes = cm.read_interviews(INTERVIEWS)
    lines = ["## 2. What a reader sees: the demo survey and the bundled interviews", ""]
    lines += ["| data | setting | quotes | themes | most per respondent | open leaning back "
              "(quotes / candidates) | mean cosine | pairs sharing 5+ words | longest shared "
              "run |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, comments, consent in (
        ("demo survey", demo, "consent_to_quote"),
        ("interviews", notes, False),
    ):
        tags = _cached_tags(f"bench_variety_{name}", comments, "vcse-pcc", emb, cache)
        cand = tags[(tags["theme"] != "uncoded") & (tags["score"] >= 0.6)]
        base = float(cand.drop_duplicates("segment_id")["text"].map(leans_back).mean())
        for setting, kw in (
            ("defaults", {}),
            ("one per respondent, no run check", {"per_respondent": 1, "max_shared_words": None}),
        ):
            q = cm.quotes(tags, comments=comments, codebook="vcse-pcc", embedder=emb,
                          consent_col=consent, **kw)  # fmt: skip
            d = diversity(q, emb)
            most = int(q.groupby(["theme", "respondent_id"]).size().max()) if len(q) else 0
            lines.append(
                f"| {name} | {setting} | {len(q)} | {q['theme'].nunique()} | {most} | "
                f"{_leaning(q):.1%} / {base:.1%} | {d['cos']:.3f} | {d['shared5']:.3f} | "
                f"{_run(q)} |"
            )
    lines += ["", "Quotes that lean back are the ones with no sentence before them in their "
              "comment within `max_words`, kept because too few candidates of the theme stand "
              "alone.", ""]  # fmt: skip
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/commentmine_identity_tags"))
    ap.add_argument("--corpora", default=",".join(C.CORPUS_NAMES))
    ap.add_argument("--argkp-groups", type=int, default=12, help="first N topic x stance groups")
    a = ap.parse_args()
    from commentmine.embed import select_embedder

    a.cache.mkdir(parents=True, exist_ok=True)
    emb = select_embedder(None)
    t0 = time.time()
    lines = ["# Quote variety: near-duplicates, quotes that stand alone, interviewees", ""]
    lines += [f"Machine: {C.machine()}. Command: `PYTHONPATH=. .venv/bin/python "
              f"benchmarks/bench_quote_variety.py --argkp-groups {a.argkp_groups}`. Embedder: "
              f"{getattr(emb, 'name', type(emb).__name__)}; n = 5, min_score 0.6.", ""]  # fmt: skip
    lines += section1(a.corpora.split(","), emb, a.cache, a.argkp_groups)
    lines += section2(emb, a.cache)
    lines += [f"Run time {time.time() - t0:.0f} s (wall, shared machine).", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
