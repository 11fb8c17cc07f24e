"""Segmentation throughput: `commentmine.segment` on the NHS patient-feedback corpus, resampled.

    .venv/bin/python benchmarks/bench_segment.py [--rows 100000] [--repeat 1]

Rows are drawn with replacement (seed 0) from ../shared/corpora/nhs_patient_feedback.csv
(6,205 comments). Two inputs:

* ``resampled``: as drawn, so each text appears ~16 times; identical blocks are segmented once
  (the cache inside one call), as happens with real "None." / "Nothing." answers.
* ``unique``: every comment gets a distinct three-word suffix (from 50 common words) so
  nothing is shared: the worst case for the cache.

Also times a one-off 10 MB comment. Wall-clock seconds of the whole `segment()` call (table
in, table out), the spaCy pipeline already loaded (its one-off load time is printed apart).
Prints a table and writes benchmarks/results/segment_speed.md.
"""

from __future__ import annotations

import argparse
import os
import time

import _common as C  # ROOT on sys.path, corpora, machine line
import pandas as pd

from commentmine._segment import _load, segment  # noqa: E402


def _machine() -> str:
    return (
        f"{C.host(' (shared with other jobs)')}, {C.today()}, load average at the end "
        f"{os.getloadavg()[0]:.1f}"
    )


def _time(fn, repeat: int) -> tuple[tuple[float, float], object]:
    """Best (wall seconds, CPU seconds of this process) over ``repeat`` runs."""
    best, out = (float("inf"), float("inf")), None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, (time.perf_counter() - t, time.process_time() - c))
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    src = C.CORPORA / "nhs_patient_feedback.csv"
    nhs = pd.read_csv(src, dtype=str, keep_default_na=False)
    base = nhs.sample(n=args.rows, replace=True, random_state=0).reset_index(drop=True)
    comments = pd.DataFrame(
        {
            "comment_id": [f"c{i}" for i in range(len(base))],
            "respondent_id": [f"c{i}" for i in range(len(base))],
            "question": base["question"],
            "text": base["text"],
            "source": "nhs_patient_feedback.csv",
            "status": ["ok" if t.strip() else "empty" for t in base["text"]],
            "speaker": "",
            "is_interviewer": False,
            "trust": base["trust"],
            "service_type": base["service_type"],
        }
    )
    # a distinct three-word suffix per comment, from 50 common words: no text repeats, and
    # no new vocabulary (unique numbers would add 100,000 new lexemes, which real text doesn't)
    words = (  # noqa: SIM905
        "the staff were very kind and helpful but waiting time was long for my appointment "
        "nurse doctor care hospital service good poor team thank you so much always again "
        "home transport clean friendly rude ward felt safe help need more clear information "
        "parking food quick slow bed visit phone letter"
    ).split()
    assert len(words) == 50
    unique = comments.copy()
    unique["text"] = [
        f"{t} {words[i % 50]} {words[i // 50 % 50]} {words[i // 2500 % 50]}."
        for i, t in enumerate(comments["text"])
    ]

    t = time.perf_counter()
    _load("blank")
    load_s = time.perf_counter() - t

    rows = []
    for name, df in (("resampled", comments), ("unique", unique)):
        secs, segs = _time(lambda df=df: segment(df), args.repeat)
        chars = int(df["text"].str.len().sum())
        rows.append((name, len(df), len(segs), chars, secs))
    # reference: spaCy alone (tokenizer + sentencizer) on the same unique texts, no table
    nlp = _load("blank").nlp
    texts = unique["text"].tolist()
    secs, n_sents = _time(
        lambda: sum(
            1 for d in nlp.pipe(texts, batch_size=1000, disable=["lemmatizer"]) for _ in d.sents
        ),
        args.repeat,
    )
    rows.append(("unique, spaCy nlp.pipe alone", len(texts), n_sents, chars, secs))
    huge = "Funding is short term and small. We bid every year!\n" * 200_000
    secs, segs = _time(lambda: segment([huge]), 1)
    rows.append(("one 10 MB comment", 1, len(segs), len(huge), secs))

    lines = [
        "# Segmentation throughput",
        "",
        f"Machine: {_machine()}.",
        f"Command: `.venv/bin/python benchmarks/bench_segment.py --rows {args.rows} "
        f"--repeat {args.repeat}` (best of {args.repeat}).",
        f"Pipeline: default (spacy.blank('en') + sentencizer + lookup lemmas); one-off load "
        f"{load_s:.1f} s, not included below.",
        "",
        "| input | comments | segments | characters | wall s | CPU s | comments/s (wall) "
        "| MB/s (wall) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n, nseg, chars, (secs, cpu) in rows:
        lines.append(
            f"| {name} | {n:,} | {nseg:,} | {chars:,} | {secs:.1f} | {cpu:.1f} "
            f"| {n / secs:,.0f} | {chars / secs / 1e6:.2f} |"
        )
    lines += [
        "",
        "`resampled`: NHS comments drawn with replacement (seed 0); repeated texts are "
        "segmented once per call. `unique`: each comment gets a distinct "
        "three-word suffix (from 50 common words) so no text repeats (worst case for the "
        "cache). `spaCy nlp.pipe alone`: tokenizer + sentencizer on the unique texts, no "
        "offsets, lemmas or table (the floor). Single process; CPU s is this process's CPU "
        "time, close to the wall time on an idle machine (wall > CPU means other jobs shared "
        "the cores). The 10 MB comment is one text of 200,000 lines.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = C.RESULTS / "segment_speed.md"
    from commentmine._io import write_text_atomic

    write_text_atomic(out, text)


if __name__ == "__main__":
    main()
