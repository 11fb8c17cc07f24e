"""The analyst's script: survey export in, themes counted by group, a report out.

Run from the project root:  .venv/bin/python examples/analyst.py [--out out/analyst]

Reads the bundled survey, tags every answer with the built-in ``vcse-pcc`` codebook, prints how
often each theme came up (share of respondents who answered, with a 95% interval), a cross-tab by
organisation size, and writes a Markdown + HTML + Word report with quotes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import commentmine as cm

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
QUESTIONS = ["engagement_experience", "funding_improvements", "collaboration", "other_comments"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "analyst")
    args = parser.parse_args()

    comments = cm.read(SURVEY, id_col="respondent_id", text_cols=QUESTIONS)
    tags = cm.tag(comments, "vcse-pcc")

    prevalence = cm.prevalence(tags, comments, "vcse-pcc")
    print("Share of respondents who answered, with a 95% interval:")
    for row in prevalence.itertuples(index=False):
        name = f"  {row.theme}" if row.parent else row.theme
        print(
            f"  {name:<28} {row.respondents:>4} of {row.base:<4} "
            f"{row.share:>4.0%} ({row.ci_low:.0%}-{row.ci_high:.0%})"
        )

    by_size = cm.crosstab(tags, comments, "vcse-pcc", by="org_size")
    print("\nBy organisation size (cells under 5 respondents suppressed):")
    for theme, rows in by_size.groupby("theme", sort=False):
        cells = ", ".join(
            f"{r.group} <5" if r.suppressed else f"{r.group} {r.share:.0%}"
            for r in rows.itertuples(index=False)
        )
        p = rows["p_value"].iloc[0]
        test = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        print(f"  {theme:<28} {cells}; {test}")

    written = cm.report(
        tags,
        comments,
        "vcse-pcc",
        args.out,
        formats=("md", "html", "docx"),
        by="org_size",
        attribution="{org_type}, {region}",
        consent_col="consent_to_quote",
        inputs=[SURVEY],
    )
    for kind, path in sorted(written.items()):
        print(f"{kind:>8}: {path}")


if __name__ == "__main__":
    main()
