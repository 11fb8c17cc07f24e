"""Precision, recall and corrected prevalence from a reviewed sample."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from commentmine import errors
from commentmine._review._base import (
    BANDS,
    CORRECTED_COLUMNS,
    _bands,
    _is_respondent_review,
    _pct,
    wilson,
)
from commentmine._review._respondents import _corrected_by_respondents, _respondent_metrics
from commentmine._review._sheet import read_review
from commentmine._tables import UNCODED


def _populations(review: pd.DataFrame, tags: pd.DataFrame | None) -> pd.DataFrame:
    """theme, band, population: from the tags table if given, else the design sheet."""
    if tags is not None:
        frame = tags[["segment_id", "theme", "score"]].copy()
        frame["theme"] = frame["theme"].astype(str)
        frame["score"] = pd.to_numeric(frame["score"], errors="coerce").fillna(0.0)
        frame = frame.sort_values(["theme", "segment_id"], kind="stable", ignore_index=True)
        rows = []
        for theme, grp in frame[frame["theme"] != UNCODED].groupby("theme", sort=True):
            band = _bands(grp["score"].to_numpy())
            for b in range(3):
                rows.append(
                    {"theme": theme, "band": BANDS[b], "population": int((band == b).sum())}
                )
        n_unc = frame.loc[frame["theme"] == UNCODED, "segment_id"].nunique()
        rows.append({"theme": UNCODED, "band": "uncoded", "population": n_unc})
        return pd.DataFrame(rows)
    design = review.attrs.get("design")
    if isinstance(design, pd.DataFrame):
        return design[["theme", "band", "population"]]
    # no design: each reviewed row stands for itself
    counts = review.groupby(["theme", "band"]).size().reset_index(name="population")
    return counts


def _theme_stats(review: pd.DataFrame, pops: pd.DataFrame) -> dict[str, dict[str, Any]]:
    done = review[review["decision"] != ""]
    pop = {(t, b): float(n) for t, b, n in pops.itertuples(index=False)}
    unc_rows = done[done["theme"] == UNCODED]
    n_unc = len(unc_rows)
    n_unc_pop = pop.get((UNCODED, "uncoded"), float(n_unc))
    missed_counts: dict[str, int] = {}
    for ct in unc_rows.loc[unc_rows["decision"] == "correct-theme", "correct_theme"]:
        for t in {x.strip() for x in str(ct).split("|") if x.strip()}:
            missed_counts[t] = missed_counts.get(t, 0) + 1
    tagged_themes = sorted({t for t, b in pop if t != UNCODED} | set(done["theme"]) - {UNCODED})
    out: dict[str, dict[str, Any]] = {}
    for t in tagged_themes:
        rows = done[done["theme"] == t]
        bands = []
        for b in BANDS:
            br = rows[rows["band"] == b]
            bands.append(
                (pop.get((t, b), float(len(br))), len(br), int((br["decision"] == "accept").sum()))
            )
        n_pop = sum(b[0] for b in bands)
        covered = [b for b in bands if b[1] > 0]
        cov_pop = sum(b[0] for b in covered)
        prec = sum(b[0] * b[2] / b[1] for b in covered) / cov_pop if cov_pop > 0 else float("nan")
        out[t] = {
            "tagged": n_pop,
            "bands": bands,
            "reviewed": int(len(rows)),
            "accepted": int((rows["decision"] == "accept").sum()),
            "precision": prec,
            "missed_in_sample": missed_counts.get(t, 0),
        }
    for t in sorted(set(missed_counts) - set(out)):
        out[t] = {
            "tagged": 0.0,
            "bands": [],
            "reviewed": 0,
            "accepted": 0,
            "precision": float("nan"),
            "missed_in_sample": missed_counts[t],
        }
    for s in out.values():
        miss_rate = s["missed_in_sample"] / n_unc if n_unc else float("nan")
        missed = miss_rate * n_unc_pop if n_unc else float("nan")
        tp = s["precision"] * s["tagged"] if s["tagged"] else 0.0
        s["missed_est"] = missed
        s["recall"] = tp / (tp + missed) if (tp + missed) > 0 else float("nan")
        s["n_uncoded_reviewed"] = n_unc
        s["n_uncoded"] = n_unc_pop
    return out


def _draws(
    s: Mapping[str, Any], rng: np.random.Generator, n_sim: int
) -> tuple[np.ndarray, np.ndarray]:
    """Simulated precision and recall of one theme (Jeffreys posteriors per stratum)."""
    covered = [b for b in s["bands"] if b[1] > 0]
    cov_pop = sum(b[0] for b in covered)
    if cov_pop > 0:
        prec = sum(b[0] * rng.beta(b[2] + 0.5, b[1] - b[2] + 0.5, n_sim) for b in covered) / cov_pop
    else:
        prec = np.full(n_sim, np.nan)
    n_u = s["n_uncoded_reviewed"]
    if n_u:
        k = s["missed_in_sample"]
        missed = rng.beta(k + 0.5, n_u - k + 0.5, n_sim) * s["n_uncoded"]
        tp = prec * s["tagged"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rec = tp / (tp + missed)
    else:
        rec = np.full(n_sim, np.nan)
    return prec, rec


def review_metrics(
    review: pd.DataFrame | str | Path,
    *,
    tags: pd.DataFrame | None = None,
    n_sim: int = 4000,
    seed: int = 0,
) -> dict[str, Any]:
    """Precision and recall per theme estimated from a reviewed sample.

    Parameters
    ----------
    review : DataFrame or path
        The result of :func:`read_review` (or the path of the filled-in sheet).
    tags : DataFrame, optional
        The tags table the sample came from; gives the strata populations (default: the sheet's
        ``design`` sheet).
    n_sim : int, default 4000
        Parametric bootstrap draws for the recall interval.
    seed : int, default 0
        Random seed.

    Returns
    -------
    dict
        ``per_theme``: {theme: {reviewed, accepted, tagged, precision, precision_ci, recall,
        recall_ci, missed_est}}; ``uncoded``: {reviewed, population, with_missed_theme,
        miss_rate, miss_rate_ci}; ``reviewed``: rows with a decision; ``precision``: pooled
        accept share of tagged rows reviewed, with ``precision_ci``.
    """
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    if _is_respondent_review(review):
        return _respondent_metrics(review)
    stats = _theme_stats(review, _populations(review, tags))
    rng = np.random.default_rng(seed)
    per: dict[str, Any] = {}
    for t, s in stats.items():
        _prec_draws, rec_draws = _draws(s, rng, n_sim)
        lo, hi = (
            wilson(s["precision"] * s["reviewed"], s["reviewed"])
            if s["reviewed"]
            else (float("nan"), float("nan"))
        )
        per[t] = {
            "reviewed": s["reviewed"],
            "accepted": s["accepted"],
            "tagged": int(s["tagged"]),
            "precision": s["precision"],
            "precision_ci": [lo, hi],
            "recall": s["recall"],
            "recall_ci": _pct(rec_draws),
            "missed_est": s["missed_est"],
        }
    done = review[review["decision"] != ""]
    tagged = done[done["theme"] != UNCODED]
    unc = done[done["theme"] == UNCODED]
    k_unc = int((unc["decision"] != "accept").sum())
    k_acc = int((tagged["decision"] == "accept").sum())
    pops = _populations(review, tags)
    unc_pop = pops.loc[pops["theme"] == UNCODED, "population"]
    return {
        "reviewed": int(len(done)),
        "precision": k_acc / len(tagged) if len(tagged) else float("nan"),
        "precision_ci": list(wilson(k_acc, len(tagged))),
        "per_theme": per,
        "uncoded": {
            "reviewed": int(len(unc)),
            "population": int(unc_pop.iloc[0]) if len(unc_pop) else int(len(unc)),
            "with_missed_theme": k_unc,
            "miss_rate": k_unc / len(unc) if len(unc) else float("nan"),
            "miss_rate_ci": list(wilson(k_unc, len(unc))),
        },
        "n_sim": n_sim,
        "seed": seed,
    }


def training_rows(review: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Turn reviewed rows into coded examples for :func:`commentmine.train`.

    Per reviewed segment: ``labels`` = the themes accepted on it plus those named in
    ``correct_theme``, ``|``-joined; a segment whose every row was rejected (or an ``uncoded`` row
    accepted) becomes an example with no theme. ``reject`` on an ``uncoded`` row (some theme, not
    named) gives no usable label and is left out.

    Returns
    -------
    DataFrame
        Columns ``segment_id``, ``comment_id``, ``text``, ``labels``.
    """
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    done = review[review["decision"] != ""]
    rows = []
    for sid, grp in done.groupby("segment_id", sort=True):
        themes: set[str] = set()
        usable = False
        for theme, decision, correct in zip(
            grp["theme"], grp["decision"], grp["correct_theme"], strict=True
        ):
            named = {t.strip() for t in str(correct).split("|") if t.strip()}
            if decision == "accept":
                usable = True
                if theme != UNCODED:
                    themes.add(theme)
            elif decision == "correct-theme":
                usable = usable or bool(named)
                themes |= named
            elif theme != UNCODED:  # reject of a tagged theme: a negative for it
                usable = True
        if usable:
            first = grp.iloc[0]
            rows.append((sid, first["comment_id"], first["text"], "|".join(sorted(themes))))
    return pd.DataFrame(rows, columns=["segment_id", "comment_id", "text", "labels"])


def corrected_prevalence(
    prevalence: pd.DataFrame | Mapping[str, tuple[int, int]],
    review: pd.DataFrame | str | Path,
    *,
    tags: pd.DataFrame | None = None,
    n_sim: int = 4000,
    seed: int = 0,
) -> pd.DataFrame:
    """Each theme's share of respondents, corrected for the precision and recall measured.

    With a prevalence review (``review_sample(..., unit="respondent")``) the share is estimated
    by post-stratification on the machine's decision (see the module docs); with a segment
    review, by correcting the share for the precision and recall measured on segments.

    Parameters
    ----------
    prevalence : DataFrame or mapping
        ``commentmine.prevalence``'s table (``theme``, ``respondents``, ``base``; its
        ``parent`` column, when present, rolls sub-themes into their parent) or
        ``{theme: (respondents, base)}``.
    review : DataFrame or path
        The reviewed sample (:func:`read_review`).
    tags : DataFrame, optional
        The tags table the sample came from (strata populations; default: the design sheet).
    n_sim : int, default 4000
        Parametric bootstrap draws.
    seed : int, default 0
        Random seed.

    Returns
    -------
    DataFrame
        ``theme``, ``respondents``, ``base``, ``share``, ``precision``, ``recall``,
        ``corrected_share``, ``ci_low``, ``ci_high`` (the interval carries the sampling error of
        the share and of the measured precision and recall; NaN where the theme was not
        reviewed or no uncoded segments were reviewed).
    """
    if isinstance(prevalence, Mapping):
        prev = pd.DataFrame(
            [(t, int(k), int(n)) for t, (k, n) in prevalence.items()],
            columns=["theme", "respondents", "base"],
        )
    else:
        for c in ("theme", "respondents", "base"):
            if c not in prevalence.columns:
                raise errors.missing_column(c, prevalence.columns, what="prevalence column")
        prev = prevalence[["theme", "respondents", "base"]].copy()
    if not isinstance(review, pd.DataFrame):
        review = read_review(review)
    if _is_respondent_review(review):
        return _corrected_by_respondents(prevalence, prev, review, n_sim=n_sim, seed=seed)
    stats = _theme_stats(review, _populations(review, tags))
    rng = np.random.default_rng(seed)
    rows = []
    for theme, k, n in prev.itertuples(index=False):
        k, n = int(k), int(n)
        share = k / n if n else float("nan")
        s = stats.get(str(theme))
        if s is None or not n:
            rows.append((theme, k, n, share, np.nan, np.nan, np.nan, np.nan, np.nan))
            continue
        prec_d, rec_d = _draws(s, rng, n_sim)
        q = rng.beta(k + 0.5, n - k + 0.5, n_sim)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.clip(q * prec_d / rec_d, 0.0, 1.0)
            point = share * s["precision"] / s["recall"] if s["recall"] else np.nan
        point = float(np.clip(point, 0.0, 1.0)) if np.isfinite(point) else float("nan")
        lo, hi = _pct(corr)
        rows.append((theme, k, n, share, s["precision"], s["recall"], point, lo, hi))
    return pd.DataFrame(
        rows,
        columns=CORRECTED_COLUMNS,
    )
