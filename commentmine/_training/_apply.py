""":func:`commentmine.tag` with ``model=``: a trained theme model instead of the codebook
tagger (the arguments that do not apply to one are refused)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def tag_with_model(
    comments: pd.DataFrame,
    model: Any,
    *,
    codebook: Any,
    embedder: Any,
    level: str,
    include_interviewer: bool,
    threshold: float | None,
    options: dict[str, Any],
) -> pd.DataFrame:
    """:func:`tag` with a trained :class:`commentmine.ThemeModel` (object or folder)."""
    from commentmine._training._model import ThemeModel
    from commentmine._training._persist import load
    from commentmine.errors import bad_argument

    if codebook is not None:
        raise bad_argument(
            "give codebook or model, not both: a trained model carries its own codebook."
        )
    if threshold is not None or options:
        given = ["threshold"] * (threshold is not None) + sorted(options)
        raise bad_argument(
            f"{', '.join(given)} do not apply to a trained model, which has its own "
            "per-theme thresholds; drop them or tag with a codebook."
        )
    if not isinstance(comments, pd.DataFrame):
        raise bad_argument(
            f"a trained model tags a pandas DataFrame, got {type(comments).__name__}."
        )
    if isinstance(model, ThemeModel):
        if embedder is not None:
            raise bad_argument(
                "embedder applies to a model folder; a ThemeModel object keeps its own."
            )
        tm = model
    else:
        tm = load(model, embedder=embedder, model_class=ThemeModel)
    return tm.tag(comments, level=level, include_interviewer=include_interviewer)
