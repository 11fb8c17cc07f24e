"""The report writer's script: a few short, anonymised, attributed quotes per theme.

Run from the project root:  .venv/bin/python examples/report_writer.py [--theme funding_barriers]

Tags the bundled survey, then pulls quotes for one theme (or every theme): typical, varied, at
most one per respondent, spread across regions, redacted, attributed by role, never from a
respondent who declined to be quoted.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import commentmine as cm

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", default=None, help="theme id (default: every theme)")
    parser.add_argument("--n", type=int, default=3)
    args = parser.parse_args()

    comments = cm.read(
        SURVEY,
        id_col="respondent_id",
        text_cols=["engagement_experience", "funding_improvements", "collaboration"],
    )
    tags = cm.tag(comments, codebook="vcse-pcc")
    picked = cm.quotes(
        tags,
        theme=args.theme,
        n=args.n,
        by="region",
        attribution="{org_type}, {region}",
        consent_col="consent_to_quote",
        comments=comments,
        codebook="vcse-pcc",
    )
    for theme, group in picked.groupby("theme", sort=False):
        print(f"\n## {theme}")
        for row in group.itertuples():
            print(
                textwrap.fill(
                    f'"{row.text}"', width=88, initial_indent="  ", subsequent_indent="   "
                )
            )
            print(f"     - {row.attribution}")


if __name__ == "__main__":
    main()
