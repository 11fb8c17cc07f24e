"""How much the bundled survey's answers repeat each other, against real survey answers.

    .venv/bin/python benchmarks/bench_corpus_diversity.py [--survey CSV] [--also CSV] [--no-write]

For the answered comments of ``corpora/vcse_pcc_survey.csv`` (every free-text column) and, as
the yardstick of how real respondents write, an equally large seeded sample of each real
survey corpus in ``../shared/corpora`` (NHS patient feedback, educators on exam proctoring),
it measures on lower-cased word tokens:

* the longest word sequence (n-gram) that two different answers share, and the sequence;
* the share of answers that share an 8-gram (and a 6-gram) with another answer;
* the most repeated 8-grams and 6-grams.

Writes ``benchmarks/results/corpus_diversity.md``. Its "also" rows are the survey as it was
before issue 20 and before its item 12 (templates, then 6-word repeats avoided), measured with
``--also``::

    git show 1d85ab5:corpora/vcse_pcc_survey.csv > /tmp/vcse_pcc_survey_before_issue20.csv
    git show b9b64c5:corpora/vcse_pcc_survey.csv > /tmp/vcse_pcc_survey_before_item12.csv
    .venv/bin/python benchmarks/bench_corpus_diversity.py \
        --also /tmp/vcse_pcc_survey_before_item12.csv --also /tmp/vcse_pcc_survey_before_issue20.csv
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import _common as C  # ROOT on sys.path, corpora, machine line

import commentmine as cm  # noqa: E402

ROOT = C.ROOT
SHARED = C.CORPORA
#: Real free-text survey answers (CFPB complaints are left out: many are form letters).
REAL = [
    ("NHS patient feedback", "nhs_patient_feedback.csv"),
    ("educators on exam proctoring", "educator_exam_proctoring.csv"),
]
SEED = 0
_WORD = re.compile(r"[a-z0-9£'’]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _grams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def shared_counts(docs: list[list[str]], n: int) -> dict[tuple[str, ...], set[int]]:
    """n-gram -> the answers holding it, for n-grams in two or more answers."""
    where: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, toks in enumerate(docs):
        for g in _grams(toks, n):
            where[g].add(i)
    return {g: ids for g, ids in where.items() if len(ids) > 1}


def diversity(texts: list[str]) -> dict[str, object]:
    docs = [words(t) for t in texts]
    longest, example = 0, ""
    n = 3
    live = list(range(len(docs)))  # answers that still share an (n-1)-gram
    while live:
        sub = [docs[i] for i in live]
        found = shared_counts(sub, n)
        if not found:
            break
        longest = n
        example = " ".join(max(found, key=lambda g: (len(found[g]), g)))
        live = sorted({live[i] for ids in found.values() for i in ids})
        n += 1
    s8 = shared_counts(docs, 8)
    s6 = shared_counts(docs, 6)
    with8 = set().union(*s8.values()) if s8 else set()
    with6 = set().union(*s6.values()) if s6 else set()
    top = sorted(s8.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:5]
    top6 = sorted(s6.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:3]
    return {
        "answers": len(texts),
        "mean words": sum(map(len, docs)) / max(1, len(docs)),
        "distinct texts": len(set(texts)) / max(1, len(texts)),
        "longest shared": longest,
        "longest example": example,
        "share 8": len(with8) / max(1, len(texts)),
        "share 6": len(with6) / max(1, len(texts)),
        "top 8-grams": [(" ".join(g), len(ids)) for g, ids in top],
        "top 6-grams": [(" ".join(g), len(ids)) for g, ids in top6],
    }


def bundled_answers(path: Path) -> list[str]:
    comments = cm.read(path, id_col="respondent_id")
    return comments.loc[comments["status"] == "ok", "text"].astype(str).tolist()


def real_answers(name: str, k: int) -> list[str] | None:
    path = SHARED / name
    if not path.exists():
        return None
    comments = cm.read(path, id_col="id", text_cols="text")
    texts = comments.loc[comments["status"] == "ok", "text"].astype(str).tolist()
    return random.Random(SEED).sample(texts, min(k, len(texts)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--survey", type=Path, default=ROOT / "corpora" / "vcse_pcc_survey.csv")
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--no-real", action="store_true", help="skip the real corpora")
    ap.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        help="another survey CSV of the same layout to measure (e.g. an earlier version)",
    )
    args = ap.parse_args()
    ours = bundled_answers(args.survey)
    rows = [(f"bundled survey ({args.survey.name})", diversity(ours))]
    for other in args.also:
        rows.append((f"also: {other.name}", diversity(bundled_answers(other))))
    for label, name in [] if args.no_real else REAL:
        texts = real_answers(name, len(ours))
        if texts is not None:
            rows.append((f"{label}, {len(texts)} sampled (seed {SEED})", diversity(texts)))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Answer diversity of the bundled survey, against real survey answers",
        "",
        f"`{' '.join(['.venv/bin/python', *sys.argv])}` on {platform.machine()}, Python "
        f"{platform.python_version()}, {C.utc_now()}, load {load:.2f}.",
        "",
        "Answered comments (status ok) of every free-text column; real corpora sampled to the "
        "same number of answers. Words are lower-cased tokens.",
        "",
        "| corpus | answers | mean words | distinct | longest shared n-gram | "
        "answers sharing an 8-gram | answers sharing a 6-gram |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, d in rows:
        lines.append(
            f"| {label} | {d['answers']} | {d['mean words']:.1f} | {d['distinct texts']:.1%} | "
            f"{d['longest shared']} | {d['share 8']:.1%} | {d['share 6']:.1%} |"
        )
    lines += [
        "",
        "Longest shared sequence, most repeated 8-grams and 6-grams (answers holding them):",
        "",
    ]
    for label, d in rows:
        longest = " ".join(str(d["longest example"]).split()[:40])
        lines.append(f"- **{label}**: longest \u201c{longest}\u201d")
        for gram, count in d["top 8-grams"]:
            lines.append(f"  - {count} \u00d7 \u201c{gram}\u201d")
        six = "; ".join(f"{count} \u00d7 \u201c{gram}\u201d" for gram, count in d["top 6-grams"])
        lines.append(f"  - 6-grams: {six or 'none'}")
    text = "\n".join(lines) + "\n"
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / "corpus_diversity.md"
        out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
