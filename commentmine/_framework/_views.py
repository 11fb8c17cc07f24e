"""Views per theme group: sub-themes where the codebook has them, else clusters of the group's
segments; their labels, polarity, holders and quote; and the wording of the range of views."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._framework._base import (
    MAX_CLUSTERED,
    MIN_SEGMENTS_TO_CLUSTER,
    MIN_VIEW_SIZE,
    N_VIEWS_RULE,
    SEED_SHARE,
    VIEW_COLUMNS,
    unit,
)
from commentmine._framework._polarity import view_polarity
from commentmine._framework._themes import children


def choose_views(
    x: np.ndarray,
    rule: str | int = N_VIEWS_RULE,
    *,
    k_range: tuple[int, int] = (2, 4),
    sentiment: np.ndarray | None = None,
) -> np.ndarray:
    """Cluster unit vectors into views; returns a label per row (0-based, largest view first).

    Ward agglomerative clustering (deterministic: no random start). ``rule`` is an int (that
    many views, fewer when there are under :data:`MIN_VIEW_SIZE` rows per view),
    ``"silhouette"`` (the number in ``k_range`` with the best cosine silhouette; the smallest
    on ties) or ``"polarity"`` (two views seeded by the lexicon, see :func:`polarity_views`;
    needs ``sentiment``). Rows beyond :data:`MAX_CLUSTERED` join the nearest view fitted on an
    evenly spaced subset.
    """
    if rule == "polarity":
        if sentiment is None:
            raise errors.bad_argument("n_views='polarity' needs the segments' sentiment.")
        if len(x) < MIN_SEGMENTS_TO_CLUSTER:
            return np.zeros(len(x), dtype=int)
        return _largest_first(polarity_views(x, sentiment))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(x)
    if n < MIN_SEGMENTS_TO_CLUSTER:
        return np.zeros(n, dtype=int)
    fit_idx = np.arange(n)
    if n > MAX_CLUSTERED:
        fit_idx = np.unique(np.linspace(0, n - 1, MAX_CLUSTERED).round().astype(int))
    xf = x[fit_idx]
    if isinstance(rule, (int, np.integer)) and not isinstance(rule, bool):
        # at least MIN_VIEW_SIZE segments per view on average (not data-driven: every group
        # in the dev corpora has 20+ segments; this only keeps small themes from splintering)
        ks = [max(1, min(int(rule), len(xf) // MIN_VIEW_SIZE))]
    elif rule == "silhouette":
        ks = list(range(k_range[0], min(k_range[1], len(xf) - 1) + 1))
    else:
        raise errors.bad_argument(f"n_views={rule!r}: give an int, 'silhouette' or 'polarity'.")
    tree = AgglomerativeClustering(n_clusters=ks[0], linkage="ward", compute_full_tree=True)
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        labels = tree.set_params(n_clusters=k).fit_predict(xf) if k > 1 else np.zeros(len(xf))
        if len(ks) == 1:
            best = (0.0, labels)
            break
        s = float(silhouette_score(xf, labels, metric="cosine")) if k > 1 else -1.0
        if best is None or s > best[0] + 1e-12:
            best = (s, labels)
    assert best is not None
    fitted = np.asarray(best[1], dtype=int)
    labels = np.empty(n, dtype=int)
    labels[fit_idx] = fitted
    if len(fit_idx) < n:
        cent = unit(np.stack([xf[fitted == c].mean(axis=0) for c in range(fitted.max() + 1)]))
        rest = np.setdiff1d(np.arange(n), fit_idx)
        labels[rest] = np.argmax(x[rest] @ cent.T, axis=1)
    return _largest_first(labels)


def _largest_first(labels: np.ndarray) -> np.ndarray:
    """Renumber views: the largest first, ties by first appearance."""
    labels = np.asarray(labels, dtype=int)
    sizes = np.bincount(labels)
    first = {c: int(np.argmax(labels == c)) for c in range(len(sizes))}
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], first[c]))
    remap = {c: i for i, c in enumerate(order)}
    return np.array([remap[c] for c in labels], dtype=int)


def polarity_views(x: np.ndarray, sentiment: np.ndarray) -> np.ndarray:
    """Two views of a theme, seeded by the lexicon and spread by the embeddings.

    The most positive and the most negative segments by VADER (:data:`SEED_SHARE` each, score
    0 excluded) train a logistic regression on the embeddings (balanced classes, C = 1); every
    segment then goes to the side of its decision function (> 0: the positive side). Segments
    without a sentiment word join the side whose wording they share, so the two views are the
    positions taken rather than the words of feeling. Deterministic (lbfgs, no random start);
    one view when the seeds lack a side.

    Returns
    -------
    ndarray of int
        1 for the positive side, 0 for the other.
    """
    from sklearn.linear_model import LogisticRegression

    s = np.asarray(sentiment, dtype=float)
    lo, hi = np.quantile(s, [SEED_SHARE, 1 - SEED_SHARE])
    seed = ((s <= lo) | (s >= hi)) & (s != 0)
    side = s[seed] >= hi
    if side.all() or not side.any():
        return np.zeros(len(x), dtype=int)
    clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    clf.fit(x[seed], side)
    return (clf.decision_function(x) > 0).astype(int)


def view_features(x: np.ndarray, sentiment: np.ndarray, weight: float) -> np.ndarray:
    """What views are clustered on: the unit embeddings, plus the VADER score times
    ``weight`` as one more column (rows re-normalised), so that views also split by polarity.
    ``weight=0`` gives the embeddings alone."""
    if not weight:
        return x
    f = np.hstack([x, weight * np.asarray(sentiment, dtype=np.float64)[:, None]])
    return unit(f)


def _view_terms(texts: list[str], labels: np.ndarray, n_terms: int = 3) -> list[list[str]]:
    """The most distinctive words of each view (class-based TF-IDF, as BERTopic labels)."""
    from sklearn.feature_extraction.text import CountVectorizer

    k = int(labels.max()) + 1 if len(labels) else 0
    docs = [" ".join(t for t, c in zip(texts, labels, strict=True) if c == v) for v in range(k)]
    try:
        cv = CountVectorizer(
            stop_words="english",
            token_pattern=r"(?u)\b[A-Za-z][A-Za-z-]{2,}\b(?!')",
            lowercase=True,
        )
        counts = cv.fit_transform(docs).toarray().astype(float)
    except ValueError:  # only stop words
        return [[] for _ in range(k)]
    vocab = np.array(cv.get_feature_names_out())
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg = counts.sum() / max(k, 1)
    idf = np.log(1.0 + avg / np.maximum(counts.sum(axis=0), 1.0))
    score = tf * idf
    out = []
    for v in range(k):
        order = np.lexsort((vocab, -score[v]))
        out.append([str(vocab[i]) for i in order[:n_terms] if counts[v, i] > 0])
    return out


def group_views(
    t: pd.DataFrame,
    themes: pd.DataFrame,
    cb: Any,
    emb: np.ndarray,
    n_views: str | int,
    margin: float,
    polarity_weight: float,
) -> pd.DataFrame:
    """The views of every theme group (:data:`VIEW_COLUMNS`); sets each evidence row's ``view``
    in ``t``."""
    labels = dict(zip(themes["theme"], themes["label"], strict=True))
    t["view"] = ""
    view_rows = []
    for group in themes["group"].drop_duplicates():
        g = t[t["group"] == group]
        if g.empty:
            continue
        kids = children(cb, group)
        if kids and set(g["theme"]) - {group}:
            view_rows += _sub_theme_views(t, g, group, kids, labels, emb, margin)
        else:
            view_rows += _cluster_views(t, g, group, labels, emb, n_views, margin, polarity_weight)
    return pd.DataFrame(view_rows, columns=VIEW_COLUMNS)


def _sub_theme_views(
    t: pd.DataFrame,
    g: pd.DataFrame,
    group: str,
    kids: list[str],
    labels: dict[str, str],
    emb: np.ndarray,
    margin: float,
) -> list[dict[str, Any]]:
    rows = []
    order = [k for k in kids if k in set(g["theme"])]
    if group in set(g["theme"]):
        order.append(group)  # tags on the parent itself: its general view
    for tid in order:
        part = g[g["theme"] == tid]
        t.loc[part.index, "view"] = tid
        label = labels.get(tid, tid) if tid != group else f"{labels.get(tid, tid)} (general)"
        rows.append(_view_row(part, group, tid, label, "sub-theme", emb, margin))
    return rows


def _cluster_views(
    t: pd.DataFrame,
    g: pd.DataFrame,
    group: str,
    labels: dict[str, str],
    emb: np.ndarray,
    n_views: str | int,
    margin: float,
    polarity_weight: float = 0.0,
) -> list[dict[str, Any]]:
    distinct = g.drop_duplicates("segment_id")
    x = view_features(
        emb[distinct["_i"].to_numpy()], distinct["sentiment"].to_numpy(float), polarity_weight
    )
    if n_views == "polarity":
        x = emb[distinct["_i"].to_numpy()]  # the lexicon seeds the split: no score column
    lab = choose_views(x, n_views, sentiment=distinct["sentiment"].to_numpy(float))
    k = int(lab.max()) + 1 if len(lab) else 1
    terms = _view_terms(distinct["original"].tolist(), lab) if k > 1 else [[]]
    view_of = dict(zip(distinct["segment_id"], lab, strict=True))
    rows = []
    for v in range(k):
        vid = f"{group}:{v + 1}" if k > 1 else group
        members = g[g["segment_id"].map(view_of) == v]
        t.loc[members.index, "view"] = vid
        if k > 1:
            words = ", ".join(terms[v]) if terms[v] else "other"
            label = f"View {v + 1}: {words}"
            kind = "cluster"
        else:
            label = f"{labels.get(group, group)} (one view)"
            kind = "all"
        rows.append(_view_row(members, group, vid, label, kind, emb, margin))
    return rows


def _view_row(
    part: pd.DataFrame,
    group: str,
    vid: str,
    label: str,
    kind: str,
    emb: np.ndarray,
    margin: float,
) -> dict[str, Any]:
    distinct = part.drop_duplicates("segment_id")
    vec = emb[distinct["_i"].to_numpy()]
    centre = unit(vec.mean(axis=0, keepdims=True))[0]
    cen = vec @ centre
    rel = 0.5 * distinct["score"].to_numpy(dtype=float) + 0.5 * cen
    rel = np.where(distinct["_barred"].to_numpy(bool), -np.inf, rel)  # never quote a refusal
    best = min(range(len(distinct)), key=lambda j: (-round(float(rel[j]), 9), j))
    quotable = not bool(distinct["_barred"].iloc[best])
    pol = distinct["polarity"].tolist()
    n = max(len(pol), 1)
    cases = sorted(set(part["case"]), key=str)
    return {
        "group": group,
        "view": vid,
        "label": label,
        "kind": kind,
        "polarity": view_polarity(pol, margin),
        "positive": round(sum(p == "positive" for p in pol) / n, 3),
        "negative": round(sum(p == "negative" for p in pol) / n, 3),
        "n_segments": len(distinct),
        "n_cases": len(cases),
        "cases": "; ".join(cases),
        "quote": distinct["text"].iloc[best] if quotable else "",
        "quote_case": distinct["case"].iloc[best] if quotable else "",
        "quote_ref": distinct["ref"].iloc[best] if quotable else "",
        "quote_segment": distinct["segment_id"].iloc[best] if quotable else "",
    }


def view_phrase(label: str) -> str:
    """ "View 2: pots, short-term" -> "view 2 (pots, short-term)"; a sub-theme's label as is."""
    m = re.match(r"View (\d+): (.*)$", label)
    if m:
        return f"view {m.group(1)} ({m.group(2)})"
    return _lower(label)


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def polar_phrase(polarity: str) -> str:
    """A view's polarity as the range-of-views paragraph words it."""
    return {
        "positive": "mostly positive",
        "negative": "mostly negative",
        "mixed": "mixed",
        "neutral": "neutral",
    }.get(polarity, polarity)
