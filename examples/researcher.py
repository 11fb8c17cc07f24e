"""The researcher's script: new comments, no codebook yet -> a draft codebook to edit.

Run from the project root:  .venv/bin/python examples/researcher.py [--out out/researcher]

Discovers themes in the bundled interview notes and survey answers with no codebook at all,
writes the draft codebook as YAML (edit it, then tag with it), and shows that the draft tags the
same comments as is. Same input and seed give the same themes, byte for byte.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import commentmine as cm

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "researcher")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    survey = cm.read(
        ROOT / "corpora" / "vcse_pcc_survey.csv",
        id_col="respondent_id",
        text_cols=["collaboration", "other_comments"],
    )
    interviews = cm.read(ROOT / "corpora" / "interviews")
    answers = interviews[~interviews["is_interviewer"]]
    comments = pd.concat([survey, answers], ignore_index=True)

    found = cm.discover(comments, seed=args.seed)
    print(found.themes[["id", "label", "size", "status"]].to_string(index=False))
    print(f"outliers: {found.outlier_share:.1%}")

    args.out.mkdir(parents=True, exist_ok=True)
    draft = args.out / "draft_codebook.yaml"
    draft.write_text(found.codebook.to_yaml(), encoding="utf-8")
    print(f"draft codebook: {draft}")

    # The draft is a valid codebook: tag the comments with it as it is.
    tagged = cm.tag(comments, codebook=draft, level="comment")
    print(tagged["status"].value_counts().to_string())


if __name__ == "__main__":
    main()
