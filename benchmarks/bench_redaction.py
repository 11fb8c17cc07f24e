"""Redaction benchmark -> benchmarks/results/redaction.md.

Part 1, recall: the planted set written for the project (tests/data/redaction_planted.csv; a
development part and a held-out part with other names and sentence frames). A planted item is
caught when every letter and digit of it lies inside a redaction; recall per type and, for
people, per origin group.

Part 2, texts altered: corpora that hold no personal data (NHS, ArgKP, banking77 from
../shared/corpora, and the demo survey without its planted sentences). Share of texts the
default level changes, and the words replaced.

The two floors of commentmine.redact (COMMON_WORD_FLOOR, KNOWN_NAME_FLOOR) are chosen
leave-one-corpus-out over the six development corpora: for each corpus, the pair with the best
planted-dev recall (people, organisations, places) among those whose median share of texts
altered on the other five is <= 1% is picked, then scored on the corpus left out.

    python benchmarks/bench_redaction.py [--n 2000]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
if not CORPORA.exists():
    CORPORA = Path("/work/shared/corpora")
OUT = ROOT / "benchmarks" / "results" / "redaction.md"
R = importlib.import_module("commentmine.redact")

SIX = [
    "nhs_patient_feedback",
    "argkp_arguments",
    "banking77",
    "cfpb_complaints",
    "educator_exam_proctoring",
    "semeval14_restaurants",
]
TARGET3 = ["nhs_patient_feedback", "argkp_arguments", "banking77"]
FLOORS = [-14.0, -15.0, -16.0, -17.0]
KNOWN = [-14.0, -15.0, -16.0, -17.0]


def planted() -> pd.DataFrame:
    return pd.read_csv(ROOT / "tests" / "data" / "redaction_planted.csv", keep_default_na=False)


def demo_without_pii() -> list[str]:
    sys.path.insert(0, str(ROOT / "corpora"))
    import make_survey  # the generator knows its planted sentences

    df = pd.read_csv(ROOT / "corpora" / "vcse_pcc_survey.csv", keep_default_na=False)
    cols = ["engagement_experience", "funding_improvements", "collaboration", "other_comments"]
    out = []
    for col in cols:
        for t in df[col]:
            for pii in make_survey.PII_SENTENCES:
                t = t.replace(pii, "")
            if t.strip():
                out.append(t)
    return out


def caught(text: str, spans: list, found: list) -> bool:
    s, e = spans[0], spans[1]
    return all(
        not text[i].isalnum() or any(r.start <= i < r.end for r in found) for i in range(s, e)
    )


def recall_table(df: pd.DataFrame, found: list[list]) -> dict[str, dict[str, list[int]]]:
    """split -> key (type or person:group) -> [caught, total, typed right]."""
    out: dict[str, dict[str, list[int]]] = collections.defaultdict(
        lambda: collections.defaultdict(lambda: [0, 0, 0])
    )
    want = {"person": "[NAME]", "email": "[EMAIL]", "phone": "[PHONE]", "postcode": "[POSTCODE]"}
    for (split, text, spans), f in zip(
        df[["split", "text", "spans"]].itertuples(index=False), found, strict=True
    ):
        for sp in json.loads(spans):
            ok = caught(text, sp, f)
            right = ok and all(
                r.placeholder == want.get(sp[2], r.placeholder)
                for r in f
                if r.start < sp[1] and sp[0] < r.end
            )
            keys = [sp[2]] + ([f"person: {sp[3]}"] if sp[2] == "person" else [])
            for k in keys:
                cell = out[split][k]
                cell[0] += ok
                cell[1] += 1
                cell[2] += right
    return out


def altered(texts: list[str], found: list[list]) -> tuple[float, collections.Counter]:
    words: collections.Counter = collections.Counter()
    for t, f in zip(texts, found, strict=True):
        for r in f:
            words[(t[r.start : r.end], r.placeholder)] += 1
    return sum(bool(f) for f in found) / max(1, len(texts)), words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="texts per corpus for the LOCO choice")
    args = ap.parse_args()
    t0 = time.time()
    load0 = open("/proc/loadavg").read().split()[:3]

    plant = planted()
    ptexts = plant["text"].tolist()
    ppieces = R._ner_pieces(ptexts)
    dev = plant["split"] == "dev"

    corpora: dict[str, list[str]] = {}
    for name in SIX:
        df = pd.read_csv(CORPORA / f"{name}.csv", keep_default_na=False)
        texts = df["text"].astype(str).tolist()
        corpora[name] = texts if name in TARGET3 else texts[: args.n]
    corpora["demo survey (no planted PII)"] = demo_without_pii()
    pieces = {name: R._ner_pieces(texts) for name, texts in corpora.items()}

    def run(texts, pcs, floor, known, level="names"):
        return R._find_many(
            texts,
            level=level,
            names=(),
            orgs=(),
            ner=True,
            allow=(),
            floor=floor,
            known_floor=known,
            pieces=pcs,
        )

    # --- leave-one-corpus-out choice of the two floors ---
    grid = [(f, k) for f in FLOORS for k in KNOWN]
    alt_grid: dict[tuple[float, float], dict[str, float]] = {}
    rec_grid: dict[tuple[float, float], float] = {}
    for f, k in grid:
        alt_grid[(f, k)] = {
            name: altered(
                corpora[name][: args.n], run(corpora[name][: args.n], pieces[name][: args.n], f, k)
            )[0]
            for name in SIX
        }
        found = run(
            [t for t, d in zip(ptexts, dev, strict=True) if d],
            [p for p, d in zip(ppieces, dev, strict=True) if d],
            f,
            k,
        )
        tab = recall_table(plant[dev], found)["dev"]
        hits = sum(tab[t][0] for t in ("person", "organisation", "place"))
        total = sum(tab[t][1] for t in ("person", "organisation", "place"))
        rec_grid[(f, k)] = hits / total
    loco_rows = []
    for held in SIX:
        ok = []
        for g in grid:
            others = sorted(v for n, v in alt_grid[g].items() if n != held)
            med = others[len(others) // 2]
            if med <= 0.01:
                ok.append(g)
        pool = ok or grid
        best = max(pool, key=lambda g: (rec_grid[g], g[0], g[1]))
        loco_rows.append((held, best, rec_grid[best], alt_grid[best][held]))
    choice = collections.Counter(b for _h, b, _r, _a in loco_rows).most_common(1)[0][0]

    # --- part 1 with the shipped floors ---
    shipped = (R.COMMON_WORD_FLOOR, R.KNOWN_NAME_FLOOR)
    found = run(ptexts, ppieces, *shipped)
    rec = recall_table(plant, found)
    rec_ident = recall_table(plant, run(ptexts, ppieces, *shipped, level="identifiers"))
    misses = [
        (split, text[sp[0] : sp[1]], sp[2], sp[3], R.apply_spans(text, [r[:3] for r in f]))
        for (split, text, spans), f in zip(
            plant[["split", "text", "spans"]].itertuples(index=False), found, strict=True
        )
        for sp in json.loads(spans)
        if not caught(text, sp, f)
    ]

    # --- part 2 ---
    part2 = {}
    for name, texts in corpora.items():
        share, words = altered(texts, run(texts, pieces[name], *shipped))
        part2[name] = (len(texts), share, words)

    elapsed = time.time() - t0
    load1 = open("/proc/loadavg").read().split()[:3]
    L: list[str] = []
    L.append("# Redaction benchmark\n")
    L.append(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; date {dt.date.today().isoformat()}; load average "
        f"{' '.join(load0)} at start, {' '.join(load1)} at end; {elapsed:.0f} s in all.\n"
    )
    L.append(
        "Command: `python benchmarks/bench_redaction.py"
        + (f" --n {args.n}" if args.n != 2000 else "")
        + "`\n"
    )
    L.append(
        f"Shipped floors: COMMON_WORD_FLOOR = {shipped[0]}, KNOWN_NAME_FLOOR = {shipped[1]}. "
        f"Leave-one-corpus-out choice (most frequent over the six folds): {choice}.\n"
    )
    L.append("## 1. Recall on the planted set (written for the project), default level `names`\n")
    L.append(
        "Caught = every letter and digit of the planted item is inside a redaction; "
        "typed = caught with the expected placeholder (`[NAME]` for people, and so on; "
        "address, organisation and place accept any placeholder).\n"
    )
    for split in ("dev", "heldout"):
        L.append(f"### {split}\n")
        L.append("| item | caught | total | recall | typed right | recall at `identifiers` |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for key in sorted(rec[split], key=lambda k: (k.startswith("person:"), k)):
            c, n, r = rec[split][key]
            ci = rec_ident[split][key][0]
            L.append(f"| {key} | {c} | {n} | {c / n:.3f} | {r / n:.3f} | {ci / n:.3f} |")
        L.append("")
    L.append("### Items missed\n")
    if misses:
        L.append("| split | item | type | group | redacted text |")
        L.append("|---|---|---|---|---|")
        for split, item, typ, group, red in misses:
            L.append(f"| {split} | {item} | {typ} | {group} | {red.replace('|', '/')} |")
    else:
        L.append("None.")
    L.append("")
    L.append("## 2. Texts altered where there is no personal data (default level `names`)\n")
    L.append("| corpus | texts | altered | share |")
    L.append("|---|---:|---:|---:|")
    for name, (n, share, _w) in part2.items():
        L.append(f"| {name} | {n} | {round(share * n)} | {100 * share:.2f}% |")
    L.append("")
    for name, (_n, _share, words) in part2.items():
        L.append(
            f"**{name}**, words replaced (count): "
            + (
                ", ".join(
                    f"{w!r} -> {p} ({c})"
                    for (w, p), c in sorted(words.items(), key=lambda x: (-x[1], x[0]))
                )
                or "none"
            )
            + "\n"
        )
    L.append("## 3. Leave-one-corpus-out choice of the floors\n")
    L.append(
        f"Grid: common-word floor {FLOORS} x known-name floor {KNOWN}; per fold, the pair "
        "with the best planted-dev recall on people, organisations and places among those "
        "whose median share altered over the other five corpora (first "
        f"{args.n} texts each) is <= 1%.\n"
    )
    L.append("| corpus left out | chosen (common, known) | dev recall | altered on it |")
    L.append("|---|---|---:|---:|")
    for held, best, r, a in loco_rows:
        L.append(f"| {held} | {best} | {r:.3f} | {100 * a:.2f}% |")
    L.append("")
    L.append("Every grid point (dev recall; share altered per corpus):\n")
    L.append("| common | known | dev recall | " + " | ".join(SIX) + " |")
    L.append("|---|---|---:|" + "---:|" * len(SIX))
    for g in grid:
        L.append(
            f"| {g[0]} | {g[1]} | {rec_grid[g]:.3f} | "
            + " | ".join(f"{100 * alt_grid[g][n]:.2f}%" for n in SIX)
            + " |"
        )
    OUT.write_text("\n".join(L) + "\n", encoding="utf-8")
    print(f"wrote {OUT} in {elapsed:.0f} s")
    del csv


if __name__ == "__main__":
    main()
