"""The steps of :func:`commentmine.framework`, in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from commentmine._framework._base import EVIDENCE_COLUMNS
from commentmine._framework._cases import (
    answered_comments,
    case_order,
    case_table,
    prepare_comments,
)
from commentmine._framework._cells import sort_cells, summarise_cells
from commentmine._framework._evidence import (
    annotate_segments,
    get_embedder,
    locate_evidence,
    select_evidence,
)
from commentmine._framework._themes import as_codebook, theme_table
from commentmine._framework._views import group_views


def build(
    tags: pd.DataFrame,
    comments: pd.DataFrame,
    codebook: Any,
    *,
    case_col: str | None,
    redact: bool | str,
    names: Sequence[str],
    orgs: Sequence[str],
    allow: Sequence[str],
    embedder: Any,
    n_views: str | int,
    polarity_cut: float,
    view_margin: float,
    summary_weight: float,
    min_score: float,
    polarity_weight: float,
    consent_col: str | bool | None,
) -> dict[str, Any]:
    """The Framework's fields from checked tables (see :func:`commentmine.framework`)."""
    cb = as_codebook(codebook)
    comments, case_col, level, consent_col = prepare_comments(
        comments, case_col, redact, consent_col
    )
    answered, by_id, case_of = answered_comments(comments, case_col)
    t = select_evidence(tags, by_id, case_of, min_score)
    themes = theme_table(t["theme"].unique().tolist(), cb)
    t = locate_evidence(t, themes, by_id, case_of)
    t, emb, redactions = annotate_segments(
        t,
        comments,
        by_id,
        redact_kw={"level": level, "names": names, "orgs": orgs, "allow": allow},
        consent_col=consent_col,
        embedder=embedder,
        polarity_cut=polarity_cut,
    )
    cells = summarise_cells(t, themes, emb, summary_weight)
    views = group_views(t, themes, cb, emb, n_views, view_margin, polarity_weight)
    order = case_order(answered, case_col, case_of)
    settings = {
        "case_col": case_col,
        "redact": level or False,
        "n_views": n_views,
        "polarity_cut": polarity_cut,
        "view_margin": view_margin,
        "summary_weight": summary_weight,
        "min_score": min_score,
        "polarity_weight": polarity_weight,
        "consent_col": consent_col,
        "embedder": getattr(get_embedder(embedder), "name", str(embedder)),
        "polarity_lexicon": "VADER (vaderSentiment 3.3.2 lexicon)",
    }
    return {
        "cells": sort_cells(cells, order, themes),
        "evidence": t[EVIDENCE_COLUMNS].reset_index(drop=True),
        "views": views,
        "cases": case_table(answered, case_col, case_of, t, order, bool(level)),
        "themes": themes,
        "case_col": case_col,
        "codebook": cb,
        "settings": settings,
        "comments": comments,
        "redactions": redactions,
    }
