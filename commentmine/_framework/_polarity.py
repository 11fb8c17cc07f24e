"""Polarity: VADER compound scores, a segment's polarity and a view's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from commentmine import errors
from commentmine._framework._base import POLARITY_CUT, VIEW_MARGIN


def polarity_scores(texts: Sequence[str]) -> np.ndarray:
    """VADER compound sentiment of each text, in [-1, 1].

    VADER (Hutto and Gilbert, 2014) is a lexicon and rules for short social-media text; the
    ``vaderSentiment`` package ships its lexicon, so nothing is downloaded.

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    ndarray of float, shape (n,)

    Examples
    --------
    >>> from commentmine._framework._public import polarity_scores
    >>> polarity_scores(["The PCC has been really supportive.", "We had no access at all."])
    array([ 0.4754, -0.296 ])
    """
    analyzer = _vader()
    return np.array(
        [float(analyzer.polarity_scores(str(t))["compound"]) for t in texts], dtype=float
    )


def _vader() -> Any:
    global _VADER
    if _VADER is None:
        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise errors.missing_extra(
                "the framework's polarity", "vaderSentiment", "vaderSentiment"
            ) from exc
        _VADER = SentimentIntensityAnalyzer()
    return _VADER


_VADER: Any = None


def segment_polarity(sentiment: np.ndarray, cut: float = POLARITY_CUT) -> np.ndarray:
    """``positive`` / ``negative`` / ``neutral`` from compound scores and the cut-off (a score
    of exactly 0, VADER's "no sentiment word", is neutral whatever the cut-off)."""
    sentiment = np.asarray(sentiment, dtype=float)
    out = np.full(len(sentiment), "neutral", dtype=object)
    out[(sentiment >= cut) & (sentiment > 0)] = "positive"
    out[(sentiment <= -cut) & (sentiment < 0)] = "negative"
    return out


def view_polarity(polarities: Sequence[str], margin: float = VIEW_MARGIN) -> str:
    """A view's polarity from its segments' polarities (see :data:`VIEW_MARGIN`).

    >>> view_polarity(["positive", "positive", "negative"]), view_polarity(["neutral"])
    ('positive', 'neutral')
    """
    pos = sum(p == "positive" for p in polarities)
    neg = sum(p == "negative" for p in polarities)
    if pos + neg == 0:
        return "neutral"
    lean = (pos - neg) / (pos + neg)
    if lean >= margin:
        return "positive"
    if lean <= -margin:
        return "negative"
    return "mixed"
