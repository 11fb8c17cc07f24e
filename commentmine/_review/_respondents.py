"""Estimates from a prevalence review (a simple random sample of respondents)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from commentmine._review._base import CORRECTED_COLUMNS, _pct, wilson
from commentmine._tables import UNCODED


def _split_themes(value: Any) -> set[str]:
    return {t.strip() for t in str(value).split("|") if t.strip() and t.strip() != UNCODED}


def _respondent_truth(review: pd.DataFrame) -> list[tuple[set[str], set[str]]]:
    """(machine themes, true themes) per fully reviewed respondent of a prevalence review.

    A respondent any of whose answers is blank or ``reject`` is left out (their true set is
    not known).
    """
    out = []
    for _rid, grp in review.groupby("respondent_id", sort=True):
        machine: set[str] = set()
        truth: set[str] = set()
        known = True
        for theme, decision, correct in zip(
            grp["theme"], grp["decision"], grp["correct_theme"], strict=True
        ):
            mine = _split_themes(theme)
            machine |= mine
            if decision == "accept":
                truth |= mine
            elif decision == "correct-theme":
                truth |= _split_themes(correct)
            else:
                known = False
        if known:
            out.append((machine, truth))
    return out


def _poststratified(
    people: list[tuple[set[str], set[str]]],
    theme: str,
    members: set[str],
    tagged: int,
    base: int,
    rng: np.random.Generator,
    n_sim: int,
) -> dict[str, Any]:
    """Share of ``theme`` (any of ``members``: the theme and its sub-themes) by
    post-stratification on the machine's decision (see the module docs)."""
    hit = [(bool(m & members), bool(t & members)) for m, t in people]
    n1 = sum(1 for m, _ in hit if m)
    k1 = sum(1 for m, t in hit if m and t)
    n0 = len(hit) - n1
    k0 = sum(1 for m, t in hit if not m and t)
    w1 = tagged / base if base else float("nan")
    w0 = 1.0 - w1

    def point(k: int, n: int) -> float:  # the sample share; the Jeffreys mean when empty
        return k / n if n else 0.5

    ppv, miss = point(k1, n1), point(k0, n0)
    share = w1 * ppv + w0 * miss
    # The interval carries both errors: the tagging error measured on the review (the rates
    # within each stratum) and the sampling error of the respondents themselves (the tagged
    # share, drawn as the machine's Wilson interval treats it), so a review never makes a share
    # look surer than the respondents can make it.
    w1_draws = rng.beta(tagged + 0.5, base - tagged + 0.5, n_sim) if base else np.full(n_sim, w1)
    draws = w1_draws * rng.beta(k1 + 0.5, n1 - k1 + 0.5, n_sim) + (1.0 - w1_draws) * rng.beta(
        k0 + 0.5, n0 - k0 + 0.5, n_sim
    )
    lo, hi = _pct(draws)
    return {
        "reviewed": len(hit),
        "tagged_reviewed": n1,
        "tagged_right": k1,
        "untagged_reviewed": n0,
        "untagged_with_theme": k0,
        "precision": k1 / n1 if n1 else float("nan"),
        "recall": (w1 * ppv / share) if share > 0 else float("nan"),
        "corrected_share": float(np.clip(share, 0.0, 1.0)),
        "ci": [max(0.0, lo), min(1.0, hi)],
    }


def _theme_members(themes: list[str], parents: Mapping[str, str]) -> dict[str, set[str]]:
    """Each theme with its descendants (a respondent with a sub-theme has its parent)."""
    out = {t: {t} for t in themes}
    for child, parent in parents.items():
        node = parent
        seen: set[str] = set()
        while node and node not in seen:
            seen.add(node)
            out.setdefault(node, {node}).add(child)
            node = parents.get(node, "")
    return out


def _respondent_metrics(review: pd.DataFrame) -> dict[str, Any]:
    """Precision and recall per theme from a prevalence review (a simple random sample of
    respondents, so the sample's own shares estimate them)."""
    people = _respondent_truth(review)
    themes = sorted(set().union(*(m | t for m, t in people))) if people else []
    per: dict[str, Any] = {}
    for t in themes:
        tp = sum(1 for m, g in people if t in m and t in g)
        tagged = sum(1 for m, _ in people if t in m)
        true = sum(1 for _, g in people if t in g)
        per[t] = {
            "reviewed": len(people),
            "tagged": tagged,
            "accepted": tp,
            "precision": tp / tagged if tagged else float("nan"),
            "precision_ci": list(wilson(tp, tagged)),
            "recall": tp / true if true else float("nan"),
            "recall_ci": list(wilson(tp, true)),
            "machine_share": tagged / len(people),
            "reviewed_share": true / len(people),
        }
    exact = sum(1 for m, g in people if m == g)
    return {
        "unit": "respondent",
        "reviewed": len(people),
        "exactly_right": exact,
        "precision": exact / len(people) if people else float("nan"),
        "precision_ci": list(wilson(exact, len(people))),
        "per_theme": per,
    }


def _corrected_by_respondents(
    prevalence: Any, prev: pd.DataFrame, review: pd.DataFrame, *, n_sim: int, seed: int
) -> pd.DataFrame:
    parents: dict[str, str] = {}
    if isinstance(prevalence, pd.DataFrame) and "parent" in prevalence.columns:
        parents = {
            str(t): str(p)
            for t, p in zip(prevalence["theme"], prevalence["parent"], strict=True)
            if str(p) not in ("", "nan", "None")
        }
    members = _theme_members([str(t) for t in prev["theme"]], parents)
    people = _respondent_truth(review)
    rng = np.random.default_rng(seed)
    rows = []
    for theme, k, n in prev.itertuples(index=False):
        k, n = int(k), int(n)
        share = k / n if n else float("nan")
        if not n or not people:
            rows.append((theme, k, n, share, np.nan, np.nan, np.nan, np.nan, np.nan))
            continue
        est = _poststratified(people, str(theme), members[str(theme)], k, n, rng, n_sim)
        rows.append(
            (
                theme,
                k,
                n,
                share,
                est["precision"],
                est["recall"],
                est["corrected_share"],
                est["ci"][0],
                est["ci"][1],
            )
        )
    out = pd.DataFrame(
        rows,
        columns=CORRECTED_COLUMNS,
    )
    out.attrs["reviewed_respondents"] = len(people)
    return out
