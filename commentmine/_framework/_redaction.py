"""Redaction of the matrix's texts and the log of what was redacted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from commentmine._framework._base import REDACTION_COLUMNS


def redact_texts(
    texts: list[str],
    *,
    level: str | None,
    names: Sequence[str],
    orgs: Sequence[str],
    allow: Sequence[str],
) -> tuple[list[str], list[list[Any]]]:
    """The texts redacted at ``level`` (None: as given) and each text's redactions."""
    if not level or not texts:
        return list(texts), [[] for _ in texts]
    from commentmine._redact._public import apply_spans, find_redactions

    found = find_redactions(
        texts, level=level, names=tuple(names), orgs=tuple(orgs), allow=tuple(allow)
    )
    red = [
        apply_spans(t, [(r.start, r.end, r.placeholder) for r in rs])
        for t, rs in zip(texts, found, strict=True)
    ]
    return red, [list(rs) for rs in found]


def redaction_log(
    segment_ids: list[str], originals: list[str], redacted: list[str], found: list[list[Any]]
) -> pd.DataFrame:
    """One row per redaction in the matrix's segments (:data:`REDACTION_COLUMNS`)."""
    from commentmine._redact._base import placeholder_type

    rows = [
        (sid, r.placeholder, placeholder_type(r.placeholder), r.reason, text[r.start : r.end],
         text, red)
        for sid, text, red, rs in zip(segment_ids, originals, redacted, found, strict=True)
        for r in rs
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=REDACTION_COLUMNS)
