"""What the review modules share: the sheet's columns, the decisions, score bands, intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

REVIEW_COLUMNS = [
    "segment_id",
    "comment_id",
    "text",
    "theme",
    "score",
    "band",
    "decision",
    "correct_theme",
    "notes",
]

#: Columns of a prevalence review sheet (``review_sample(..., unit="respondent")``).
COMMENT_REVIEW_COLUMNS = [
    "respondent_id",
    "comment_id",
    "text",
    "theme",
    "decision",
    "correct_theme",
    "notes",
]

DECISIONS = ("accept", "reject", "correct-theme")

_RESPONDENTS = "respondent"  # the design band of a prevalence review

BANDS = ("low", "mid", "high")

_Z95 = 1.959963984540054
#: Columns of :func:`~commentmine.review.corrected_prevalence`'s table.
CORRECTED_COLUMNS = [
    "theme",
    "respondents",
    "base",
    "share",
    "precision",
    "recall",
    "corrected_share",
    "ci_low",
    "ci_high",
]


def _bands(scores: np.ndarray) -> np.ndarray:
    """Score thirds by rank (ties broken by position): 0 low, 1 mid, 2 high."""
    n = len(scores)
    order = np.argsort(scores, kind="stable")
    band = np.empty(n, dtype=int)
    band[order] = (np.arange(n) * 3) // max(n, 1)
    return band


def _is_respondent_review(review: pd.DataFrame) -> bool:
    return "respondent_id" in review.columns and "segment_id" not in review.columns


def wilson(k: float, n: float, *, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n`` (``(nan, nan)`` when ``n == 0``).

    The same interval as :func:`commentmine.stats.wilson_interval`, which computes it.
    """
    from commentmine.stats import wilson_interval

    return wilson_interval(k, n, z=z)


def _pct(x: np.ndarray) -> list[float]:
    x = x[np.isfinite(x)]
    if not len(x):
        return [float("nan"), float("nan")]
    return [float(np.quantile(x, 0.025)), float(np.quantile(x, 0.975))]
