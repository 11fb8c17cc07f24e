"""Constants of the framework matrix (re-exported by :func:`commentmine.framework`) and small
helpers shared by its parts."""

from __future__ import annotations

from typing import Any

import numpy as np

#: A segment is positive when its VADER compound score is at least this (and above 0), negative
#: when at most minus this (and below 0), else neutral. Chosen leave-one-corpus-out on the three
#: dev corpora with polarity or stance labels: 0 (the sign) won every fold, by 0.1-1 point
#: over VADER's usual 0.05 (benchmarks/bench_framework.py -> benchmarks/results/framework.md).
POLARITY_CUT = 0.0
#: A view is positive (negative) when its positive members outnumber its negative ones by at
#: least this share of its polar members ((pos - neg) / (pos + neg) >= margin); a view with polar
#: members on both sides and a smaller lean is "mixed"; one with none is "neutral".
VIEW_MARGIN = 0.2
#: How many views a theme group without sub-themes is cut into: an int fixes it (fewer when the
#: group is small, see :func:`choose_views`); ``"silhouette"`` takes the number in 2..4 with the
#: best silhouette (cosine), the smallest on ties. 3 was chosen leave-one-corpus-out (picked,
#: with :data:`POLARITY_WEIGHT` 1, in 4 of 6 folds; the silhouette rule in none).
N_VIEWS_RULE: str | int = 3
#: Weight of the VADER score beside the unit embedding when clustering views
#: (:func:`view_features`); chosen with :data:`N_VIEWS_RULE` leave-one-corpus-out over 0, 1, 2
#: (benchmarks/results/framework.md): 1 lifts views-vs-human-labels ARI on NHS, restaurants,
#: ArgKP and CFPB and lowers it on banking77 and the educator survey.
POLARITY_WEIGHT = 1.0
#: Summary ranking: ``w x tag score + (1 - w) x centrality`` (cosine to the cell's centroid),
#: ties by centrality, then source order. Chosen leave-one-corpus-out over 0, 0.25 .. 1 on the
#: six dev corpora (benchmarks/results/framework.md): 1 was picked in 5 of 6 folds (0.75 in the
#: sixth); centrality alone picked the least precise summaries. With 1, centrality decides
#: among equal scores (an analyst's hand-made tags, all scored 1).
SUMMARY_WEIGHT = 1.0
#: Fewer distinct segments than this in a theme group: one view, not clustered.
MIN_SEGMENTS_TO_CLUSTER = 6
#: A fixed number of views is lowered so that views hold this many segments on average.
MIN_VIEW_SIZE = 3
#: Clustering cost grows with the square of the segments: above this many, the views are
#: fitted on an evenly spaced subset and the rest join the nearest view.
MAX_CLUSTERED = 2000
#: What a do-not-quote respondent's segment reads (``consent_col``).
NOT_FOR_QUOTATION = "[not for quotation]"
#: Columns of :attr:`Framework.redactions` (the last three hold original text: analyst only).
REDACTION_COLUMNS = [
    "segment_id",
    "placeholder",
    "type",
    "reason",
    "original",
    "original_segment",
    "redacted_segment",
]
#: Two summary segments whose cosine reaches this are near-duplicates: the second is dropped.
NEAR_DUPLICATE = 0.95

EVIDENCE_COLUMNS = [
    "case",
    "group",
    "theme",
    "view",
    "segment_id",
    "comment_id",
    "source",
    "turn",
    "speaker",
    "question",
    "start",
    "end",
    "ref",
    "text",
    "score",
    "sentiment",
    "polarity",
    "centrality",
    "summary_rank",
]
CELL_COLUMNS = [
    "case",
    "group",
    "theme",
    "label",
    "n_segments",
    "n_comments",
    "summary",
    "summary_refs",
    "evidence",
    "segment_ids",
]
VIEW_COLUMNS = [
    "group",
    "view",
    "label",
    "kind",
    "polarity",
    "positive",
    "negative",
    "n_segments",
    "n_cases",
    "cases",
    "quote",
    "quote_case",
    "quote_ref",
    "quote_segment",
]


#: Polarity-seeded views: the segments in the top and bottom this share by VADER score (a score
#: of 0 is never a seed) train the classifier that splits the theme in two. Set by looking at
#: ArgKP (0.1-0.45 all within 0.02 ARI there), not leave-one-corpus-out.
SEED_SHARE = 0.3

REQUIRED_TAGS = ("comment_id", "segment_id", "start", "end", "theme")


def unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are)."""
    x = np.asarray(x, dtype=np.float64)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n == 0, 1.0, n)


def truthy(v: Any) -> bool:
    """A flag cell read as a bool ("true", "1", "yes" ...)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return str(v).strip().lower() in {"true", "1", "yes", "y", "t"}
