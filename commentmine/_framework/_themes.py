"""Theme groups: the codebook, a group's sub-themes and the themes table in codebook order."""

from __future__ import annotations

from typing import Any

import pandas as pd


def as_codebook(codebook: Any) -> Any:
    """A Codebook from a Codebook, a file or a built-in name (None stays None)."""
    if codebook is None:
        return None
    if hasattr(codebook, "themes") and hasattr(codebook, "root"):
        return codebook
    from commentmine.codebook import load_codebook

    return load_codebook(codebook)


def children(cb: Any, tid: str) -> list[str]:
    """The sub-themes of ``tid`` in the codebook (none without a codebook)."""
    if cb is None or tid not in set(cb.ids):
        return []
    return list(cb.children(tid))


def theme_table(found: list[str], cb: Any) -> pd.DataFrame:
    """Themes with evidence (plus the parents of sub-themes with evidence), codebook order."""
    rows = []
    known = set(cb.ids) if cb is not None else set()
    found_set = set(found)
    if cb is not None:
        for th in cb.themes:
            if th.id not in found_set:
                continue
            root = cb.root(th.id)
            rows.append(
                {
                    "theme": th.id,
                    "label": str(th.label or th.id),
                    "group": root,
                    "group_label": str(cb.theme(root).label or root),
                    "level": 1 if th.parent is None else 2,
                }
            )
    for tid in sorted(found_set - known):
        rows.append({"theme": tid, "label": tid, "group": tid, "group_label": tid, "level": 1})
    df = pd.DataFrame(rows, columns=["theme", "label", "group", "group_label", "level"])
    # group order: the order of the groups' roots in the codebook, then the rest
    group_pos = {g: i for i, g in enumerate(dict.fromkeys(df["group"]))}
    if cb is not None:
        group_pos = {g: i for i, g in enumerate(cb.ids)}
        for g in df["group"]:
            group_pos.setdefault(g, len(group_pos))
    df["_g"] = df["group"].map(group_pos)
    return df.sort_values("_g", kind="mergesort").drop(columns="_g").reset_index(drop=True)
