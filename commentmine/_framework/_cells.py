"""Cells: one per case x theme with its evidence and an extractive summary of 1-2 segments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commentmine._framework._base import CELL_COLUMNS, NEAR_DUPLICATE, unit


def summarise_cells(
    t: pd.DataFrame, themes: pd.DataFrame, emb: np.ndarray, summary_weight: float
) -> pd.DataFrame:
    """The cells (:data:`CELL_COLUMNS`), in order of first evidence; sets each evidence row's
    ``centrality`` and ``summary_rank`` in ``t`` (numpy per cell: fast on thousands of
    cells)."""
    labels = dict(zip(themes["theme"], themes["label"], strict=True))
    group_of = dict(zip(themes["theme"], themes["group"], strict=True))
    seg_i = t["_i"].to_numpy()
    scores = t["score"].to_numpy(dtype=float)
    texts_ = t["text"].tolist()
    refs_ = t["ref"].tolist()
    sids_ = t["segment_id"].tolist()
    barred_ = t["_barred"].to_numpy(bool)
    cids_ = t["comment_id"].tolist()
    centrality = np.zeros(len(t))
    rank_ = np.zeros(len(t), dtype=int)
    cells = []
    for (case, theme), idx in t.groupby(["case", "theme"], sort=False).indices.items():
        vec = emb[seg_i[idx]]
        cen, picks = _summary(vec, scores[idx], barred_[idx], summary_weight)
        centrality[idx] = np.round(cen, 4)
        for rank, j in enumerate(picks, start=1):
            rank_[idx[j]] = rank
        chosen = [int(idx[j]) for j in sorted(picks)]
        cells.append(
            {
                "case": case,
                "group": group_of[theme],
                "theme": theme,
                "label": labels.get(theme, theme),
                "n_segments": len(idx),
                "n_comments": len({cids_[k] for k in idx}),
                "summary": "\n".join(f"{texts_[k]} [{refs_[k]}]" for k in chosen),
                "summary_refs": "; ".join(refs_[k] for k in chosen),
                "evidence": "\n".join(f"{texts_[k]} [{refs_[k]}]" for k in idx),
                "segment_ids": "|".join(sids_[k] for k in idx),
            }
        )
    t["centrality"] = centrality
    t["summary_rank"] = rank_
    return pd.DataFrame(cells, columns=CELL_COLUMNS)


def _summary(
    vec: np.ndarray, scores: np.ndarray, barred: np.ndarray, summary_weight: float
) -> tuple[np.ndarray, list[int]]:
    """A cell's centralities and its summary: the positions of its 1-2 surest segments, best
    first (a second one only in a cell of 3+ segments, never a near-duplicate of the first)."""
    centre = unit(vec.mean(axis=0, keepdims=True))[0]
    cen = vec @ centre
    rel = np.round(summary_weight * scores + (1 - summary_weight) * cen, 9)
    rel = np.where(barred, rel - 10.0, rel)  # a do-not-quote segment only if alone
    # best first; ties to the more central, then the earlier in the source
    order = np.lexsort((np.arange(len(vec)), -np.round(cen, 9), -rel))
    picks = [int(order[0])]
    if len(vec) >= 3:
        for j in order[1:]:
            if float(vec[j] @ vec[picks[0]]) < NEAR_DUPLICATE:
                picks.append(int(j))
                break
    return cen, picks


def sort_cells(
    cells: pd.DataFrame, order_case: dict[str, int], themes: pd.DataFrame
) -> pd.DataFrame:
    """The cells in case order, then codebook order of the themes."""
    cells["_c"] = cells["case"].map(order_case)
    theme_order = {tid: i for i, tid in enumerate(themes["theme"])}
    cells["_t"] = cells["theme"].map(theme_order)
    return (
        cells.sort_values(["_c", "_t"], kind="mergesort")
        .drop(columns=["_c", "_t"])
        .reset_index(drop=True)
    )
