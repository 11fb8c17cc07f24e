"""Time `commentmine.read` on the bundled corpus, the dev corpora and a synthetic wide survey.

    .venv/bin/python benchmarks/bench_read.py [--rows 50000]

Prints a table and writes it to benchmarks/results/read.md. Best of 3 runs per input.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import _common as C  # ROOT on sys.path, corpora, machine line
import pandas as pd

import commentmine as cm  # noqa: E402

ROOT = C.ROOT


def _best(fn, repeat: int = 3) -> tuple[float, pd.DataFrame]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    args = ap.parse_args()
    shared = C.CORPORA
    cases = [
        (
            "corpora/vcse_pcc_survey.csv",
            ROOT / "corpora/vcse_pcc_survey.csv",
            {"id_col": "respondent_id"},
        ),
        (
            "corpora/vcse_pcc_survey.xlsx",
            ROOT / "corpora/vcse_pcc_survey.xlsx",
            {"id_col": "respondent_id"},
        ),
        ("corpora/interviews/ (6 files)", ROOT / "corpora/interviews", {}),
    ]
    for name in ("nhs_patient_feedback.csv", "argkp_arguments.csv"):
        if (shared / name).exists():
            cases.append((f"shared/{name}", shared / name, {"id_col": "id"}))
    with tempfile.TemporaryDirectory() as tmp:
        base = pd.read_csv(ROOT / "corpora/vcse_pcc_survey.csv", dtype=str, keep_default_na=False)
        reps = -(-args.rows // len(base))
        big = pd.concat([base] * reps, ignore_index=True).iloc[: args.rows].copy()
        big["respondent_id"] = [f"S{i:07d}" for i in range(len(big))]
        big_path = Path(tmp) / "synthetic.csv"
        big.to_csv(big_path, index=False)
        cases.append(
            (
                f"synthetic wide CSV, {args.rows:,} rows x 4 open questions",
                big_path,
                {
                    "id_col": "respondent_id",
                    # copies of the same 340 answers: too repetitive to be detected as free text
                    "text_cols": [
                        "engagement_experience",
                        "funding_improvements",
                        "collaboration",
                        "other_comments",
                    ],
                },
            )
        )
        rows = []
        for label, path, kw in cases:
            secs, df = _best(lambda p=path, k=kw: cm.read(p, **k))
            rows.append((label, len(df), secs, len(df) / secs))
    header = "| input | comments | seconds (best of 3) | comments/s |\n|---|---:|---:|---:|\n"
    body = "".join(f"| {a} | {b:,} | {c:.3f} | {d:,.0f} |\n" for a, b, c, d in rows)
    machine = (
        f"Machine: {C.host(' (shared)')}, pandas {pd.__version__}, "
        f"{C.today()}. Free-text detection included except for the "
        "synthetic table (text columns named).\n"
    )
    text = "# read: ingest speed\n\n" + machine + "\n" + header + body
    print(text)
    out = C.RESULTS / "read.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
