"""Per-theme logistic regressions of a theme model and their thresholds, chosen by
cross-validation on the coded rows (see :func:`commentmine.train`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse


def best_threshold(p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Threshold on ``p`` maximising F1 for labels ``y`` (midpoint between candidates).

    ``w`` weights the rows (importance weights; default 1 each).
    """
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order].astype(np.float64)
    ws = np.ones(len(ps)) if w is None else np.asarray(w, dtype=np.float64)[order]
    tp = np.cumsum(ys * ws)
    k = np.cumsum(ws)
    f1 = 2 * tp / (k + (ys * ws).sum())
    # only cut between distinct values
    valid = np.r_[ps[1:] < ps[:-1], True]
    f1 = np.where(valid, f1, -1)
    i = int(np.argmax(f1))
    if f1[i] <= 0:
        return 0.5
    nxt = ps[i + 1] if i + 1 < len(ps) else ps[i] - 1e-3
    return float(np.clip((ps[i] + nxt) / 2, 1e-6, 1 - 1e-6))


def shift_weights(
    oof: np.ndarray, y: np.ndarray, pu: np.ndarray, *, min_gap: float = 0.2
) -> tuple[np.ndarray | None, float | None]:
    """Importance weights that give the coded rows the unlabelled pool's share of a theme.

    Coded examples picked per theme ("20 of each") over-represent rare themes, so a threshold
    maximising F1 on them over-tags those themes on real data (label shift). The pool's share
    is estimated by probabilistic adjusted classify-and-count (Bella et al. 2010): ``(mean(pu)
    - m0) / (m1 - m0)``, with ``m1`` / ``m0`` the mean out-of-fold probability of the coded
    positives / negatives. Positives are then weighted ``pi / pi_coded`` and negatives
    ``(1 - pi) / (1 - pi_coded)``. Returns ``(None, None)`` when the classifier separates the
    coded rows too weakly (``m1 - m0 < min_gap``) for the estimate to mean anything.
    """
    pos = y == 1
    if not pos.any() or pos.all() or not len(pu):
        return None, None
    m1, m0 = float(oof[pos].mean()), float(oof[~pos].mean())
    if m1 - m0 < min_gap:
        return None, None
    lo = 0.5 / len(pu)
    pi = float(np.clip((float(np.mean(pu)) - m0) / (m1 - m0), lo, 1.0 - lo))
    pc = float(pos.mean())
    return np.where(pos, pi / pc, (1.0 - pi) / (1.0 - pc)), pi


def rescale(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Map each column's threshold ``t`` to 0.5, keeping [0, 1] monotone."""
    t = np.clip(t, 1e-9, 1 - 1e-9)
    s = np.where(p < t, 0.5 * p / t, 0.5 + 0.5 * (p - t) / (1.0 - t))
    return np.clip(s, 0.0, 1.0)


def f1s(Y: np.ndarray, P: np.ndarray) -> tuple[float, float]:
    tp = (Y & P).sum(0).astype(float)
    fp = (~Y & P).sum(0).astype(float)
    fn = (Y & ~P).sum(0).astype(float)
    den = 2 * tp + fp + fn
    per = np.divide(2 * tp, den, out=np.zeros_like(den), where=den > 0)
    micro_den = den.sum()
    micro = float(2 * tp.sum() / micro_den) if micro_den > 0 else 0.0
    present = Y.sum(0) > 0
    macro = float(per[present].mean()) if present.any() else 0.0
    return micro, macro


@dataclass(frozen=True)
class ClassifierSettings:
    """The :class:`~commentmine.ThemeModel` parameters its per-theme fits use."""

    cv: int
    seed: int
    C: float
    threshold_prior: float
    pseudo_weight: float
    self_train: bool
    prior_shift: bool


def fit_theme(
    X: sparse.csr_matrix,
    y: np.ndarray,
    Xu: sparse.csr_matrix | None,
    settings: ClassifierSettings,
) -> tuple[np.ndarray, float, float, np.ndarray, float | None]:
    """One theme: (coef, intercept, threshold, out-of-fold probabilities, pool share)."""
    from sklearn.model_selection import StratifiedKFold

    s = settings
    n_pos = int(y.sum())
    folds = min(int(s.cv), n_pos, len(y) - n_pos)
    oof = np.full(len(y), np.nan)
    splits = []
    if folds >= 2:
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=int(s.seed))
        splits = list(skf.split(np.zeros(len(y)), y))
    oof1 = np.zeros(len(y))
    pu_fold = []
    self_train = bool(s.self_train) and Xu is not None
    for tr, te in splits:
        clf = fit_lr(X[tr], y[tr], s)
        oof1[te] = clf.predict_proba(X[te])[:, 1]
        if self_train:
            pu_fold.append(clf.predict_proba(Xu)[:, 1])
    clf = fit_lr(X, y, s)
    w, share = None, None
    if splits and Xu is not None and s.prior_shift:
        w, share = shift_weights(oof1, y, clf.predict_proba(Xu)[:, 1])
    thr1 = shrink(best_threshold(oof1, y, w), n_pos, s.threshold_prior) if splits else 0.5
    if not self_train:
        return clf.coef_[0], float(clf.intercept_[0]), thr1, oof1 if splits else oof, share
    # self-training: pseudo-labels from the first classifier, per fold and overall
    yu = (clf.predict_proba(Xu)[:, 1] >= thr1).astype(int)
    for (tr, te), pu in zip(splits, pu_fold, strict=True):
        c2 = fit_lr(X[tr], y[tr], s, Xu, (pu >= thr1).astype(int))
        oof[te] = c2.predict_proba(X[te])[:, 1]
    thr = shrink(best_threshold(oof, y, w), n_pos, s.threshold_prior) if splits else 0.5
    c2 = fit_lr(X, y, s, Xu, yu)
    return c2.coef_[0], float(c2.intercept_[0]), thr, oof if splits else oof1, share


def shrink(thr: float, n_pos: int, prior: float) -> float:
    """Pull a cross-validated threshold towards 0.5 when the theme has few examples
    (``threshold_prior``: 0.5 as if seen on ``prior`` extra examples)."""
    m = float(prior)
    return float((n_pos * thr + m * 0.5) / (n_pos + m))


def fit_lr(
    X: sparse.csr_matrix,
    y: np.ndarray,
    settings: ClassifierSettings,
    Xu: sparse.csr_matrix | None = None,
    yu: np.ndarray | None = None,
) -> Any:
    """A class-weighted L2 logistic regression on the coded rows (and, with ``Xu`` / ``yu``,
    pseudo-labelled rows of weight ``pseudo_weight``)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(
        C=float(settings.C),
        class_weight="balanced",
        solver="liblinear",
        max_iter=500,
        random_state=int(settings.seed),
    )
    if Xu is None or yu is None or yu.sum() == 0:
        clf.fit(X, y)
        return clf
    w = np.r_[np.ones(len(y)), np.full(len(yu), float(settings.pseudo_weight))]
    # class weights computed on the coded rows only (the pseudo-labels follow them)
    pos = max(int(y.sum()), 1)
    neg = max(len(y) - int(y.sum()), 1)
    yy = np.r_[y, yu]
    w = w * np.where(yy == 1, len(y) / (2 * pos), len(y) / (2 * neg))
    clf.set_params(class_weight=None)
    clf.fit(sparse.vstack([X, Xu], format="csr"), yy, sample_weight=w)
    return clf
