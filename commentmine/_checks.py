"""Signs that a tagging looks unreliable, as one-line warnings.

Zero-shot tags can be wrong in ways no score shows. These checks look at the output as a whole
and say, in one line each, when it looks like the failures seen on corpora the defaults were
not chosen on (``benchmarks/results/calibration.md``):

* **Many themes per comment**: tagged comments carry more than ``MAX_THEMES_PER_COMMENT`` (2)
  themes on average. People coding survey answers give 1-1.5.
* **A theme everywhere**: one theme on more than ``MAX_SHARE`` (40%) of the answered comments,
  in a codebook of ``MIN_THEMES_FOR_SHARE`` (5) or more themes: usually a theme whose wording
  matches anything, not a finding.
* **Undecided scores**: more than half of the tags score within ``NEAR`` (0.05) of their
  threshold: the tagger could hardly tell.

Every warning ends by pointing to the review step, which measures the error instead of
guessing it.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from commentmine._tables import UNCODED

MAX_THEMES_PER_COMMENT = 2.0
MAX_SHARE = 0.40
MIN_THEMES_FOR_SHARE = 5
NEAR = 0.05
_REVIEW = (
    "check a sample before publishing shares: commentmine review-sample tags.csv --unit "
    "respondent --out review.xlsx, then report --tags tags.csv --review review.xlsx"
)


class TaggingWarning(UserWarning):
    """The tags look unreliable (see :mod:`commentmine._checks`)."""


def tagging_warnings(
    tags: pd.DataFrame, themes: Sequence[str], thresholds: Sequence[float] | None = None
) -> list[str]:
    """The warnings that apply to a segment-level tags table (one line each).

    Parameters
    ----------
    tags : DataFrame
        Segment-level tags (``comment_id``, ``theme``, ``score``).
    themes : sequence of str
        The scored themes (the codebook's leaves).
    thresholds : sequence of float, optional
        Each theme's decision point on the score (default 0.5).
    """
    out: list[str] = []
    if not len(tags):
        return out
    real = tags[tags["theme"] != UNCODED]
    n_comments = tags["comment_id"].nunique()
    if len(real):
        per = real.drop_duplicates(["comment_id", "theme"]).groupby("comment_id").size()
        mean = float(per.mean())
        if mean > MAX_THEMES_PER_COMMENT:
            out.append(
                f"tagged comments carry {mean:.1f} themes each on average (people coding "
                f"answers give 1-1.5): shares are likely overstated; {_REVIEW}"
            )
        if len(themes) >= MIN_THEMES_FOR_SHARE and n_comments:
            share = real.drop_duplicates(["comment_id", "theme"])["theme"].value_counts()
            share = share / n_comments
            wide = share[share > MAX_SHARE]
            for theme, s in wide.items():
                out.append(
                    f"theme '{theme}' is on {s:.0%} of the comments: its wording may match "
                    f"almost anything; {_REVIEW}"
                )
        th = dict(
            zip(themes, thresholds if thresholds is not None else [0.5] * len(themes), strict=True)
        )
        cut = real["theme"].map(th).fillna(0.5).to_numpy(dtype=float)
        near = np.abs(real["score"].to_numpy(dtype=float) - cut) <= NEAR
        if near.mean() > 0.5:
            out.append(
                f"{near.mean():.0%} of the tags score within {NEAR} of their threshold: the "
                f"tagger could hardly tell; {_REVIEW}"
            )
    return out


def warn(messages: Sequence[str]) -> None:
    """Issue each message as a :class:`TaggingWarning`, pointing at the first caller outside
    the package (the user's line, however many of the library's own calls lie between)."""
    level = _first_outside_level()
    for m in messages:
        warnings.warn(m, TaggingWarning, stacklevel=level)


def _first_outside_level() -> int:
    """``stacklevel`` for ``warnings.warn`` called from :func:`warn` that names the innermost
    frame whose code is not in this package."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe(2)  # warn's caller
    level = 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back
        level += 1
    return level
