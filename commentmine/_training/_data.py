"""Coded examples as a theme model reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd


def split_labels(values: pd.Series) -> list[list[str]]:
    """Theme ids per cell of a ``|``-joined labels column (``uncoded`` and blanks dropped)."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append([])
            continue
        parts = [p.strip() for p in str(v).split("|")]
        out.append([p for p in parts if p and p.lower() != "uncoded"])
    return out
