"""The redaction log beside a report: what was redacted, where and why.

``redactions.csv`` is for anyone who receives the report: one row per redaction with the
segment it falls in, the placeholder, the type and the reason (the pattern, list or model
rule). It holds no original text. ``redactions_CHECK_original_text_not_for_sharing.csv`` is the
analyst's working file: the same rows with the original words and the original and redacted
segment side by side, to check the redactions before the report is shared. Keep it out of
what you send.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any

import pandas as pd

from commentmine._io import atomic_path

LOG_NAME = "redactions.csv"
CHECK_NAME = "redactions_CHECK_original_text_not_for_sharing.csv"
LOG_COLUMNS = ["segment_id", "comment_id", "placeholder", "type", "reason"]
CHECK_COLUMNS = [*LOG_COLUMNS, "original", "original_segment", "redacted_segment"]


def redaction_rows(data: Any) -> pd.DataFrame:
    """One row per redaction in the report's texts, with :data:`CHECK_COLUMNS`."""
    from commentmine._redact._base import placeholder_type

    segs = data.tags.drop_duplicates("segment_id")[["comment_id", "segment_id", "start", "end"]]
    by_comment: dict[str, list[tuple[int, int, str]]] = {}
    for cid, sid, s, e in segs.itertuples(index=False):
        by_comment.setdefault(str(cid), []).append((int(s), int(e), str(sid)))
    rows = []
    for cid in sorted(data.redacted):
        r = data.redacted[cid]
        if not r.spans:
            continue
        lst = sorted(by_comment.get(cid, []))
        starts = [s for s, _e, _sid in lst]
        reasons = r.reasons or ("",) * len(r.spans)
        for (s, e, ph), why in zip(r.spans, reasons, strict=True):
            k = bisect.bisect_right(starts, s) - 1
            if k >= 0 and s < lst[k][1]:
                ss, se, sid = lst[k]
            else:  # between segments: the comment itself
                ss, se, sid = 0, len(r.original), ""
            es, ee = r.expand(ss, se)
            rows.append(
                {
                    "segment_id": sid,
                    "comment_id": cid,
                    "placeholder": ph,
                    "type": placeholder_type(ph),
                    "reason": why,
                    "original": r.original[s:e],
                    "original_segment": r.original[es:ee],
                    "redacted_segment": r.slice(es, ee),
                }
            )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def write_redaction_log(data: Any, out_dir: str | Path) -> dict[str, Path]:
    """Write :data:`LOG_NAME` and :data:`CHECK_NAME` into ``out_dir``; return their paths."""

    out = Path(out_dir)
    paths = {"redactions": out / LOG_NAME, "redactions_check": out / CHECK_NAME}
    return write_log_and_check(redaction_rows(data), LOG_COLUMNS, paths)


def write_log_and_check(
    table: pd.DataFrame, log_columns: list[str], paths: dict[str, Path]
) -> dict[str, Path]:
    """Write ``table`` (every cell guarded against spreadsheet formulas) as the shareable log,
    its ``log_columns`` only, to ``paths["redactions"]``, and whole, with the original text, as
    the analyst's check file to ``paths["redactions_check"]``; return ``paths``."""
    from commentmine.export._sheet import neutralise

    table = table.copy()
    for col in table.columns:
        table[col] = table[col].map(neutralise)
    with atomic_path(paths["redactions"]) as tmp:
        table[log_columns].to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")
    with atomic_path(paths["redactions_check"]) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\r\n")
    return paths


def write_quote_redaction_log(
    quotes: pd.DataFrame,
    comments: pd.DataFrame,
    out_csv: str | Path,
    *,
    redact: bool | str,
    names: Any = (),
    orgs: Any = (),
    allow: Any = (),
) -> dict[str, Path]:
    """The redaction log of a quotes CSV: ``<stem>.redactions.csv`` and the check file."""
    from commentmine._redact._base import placeholder_type
    from commentmine._redacted import redact_by_id, texts_by_id

    cids = sorted(set(quotes["comment_id"].astype(str)))
    red = redact_by_id(
        texts_by_id(comments), cids, names=names, orgs=orgs, enabled=redact, allow=allow
    )
    rows = []
    for q in quotes.itertuples(index=False):
        r = red[str(q.comment_id)]
        qs, qe = int(q.start), int(q.end)
        reasons = r.reasons or ("",) * len(r.spans)
        for (s, e, ph), why in zip(r.spans, reasons, strict=True):
            if s < qe and qs < e:
                rows.append(
                    {
                        "segment_id": str(q.segment_id),
                        "comment_id": str(q.comment_id),
                        "placeholder": ph,
                        "type": placeholder_type(ph),
                        "reason": why,
                        "original": r.original[s:e],
                        "original_segment": r.original[qs:qe],
                        "redacted_segment": str(q.text),
                    }
                )
    out = Path(out_csv)
    paths = {
        "redactions": out.with_name(out.stem + "." + LOG_NAME),
        "redactions_check": out.with_name(out.stem + "." + CHECK_NAME),
    }
    return write_log_and_check(pd.DataFrame(rows, columns=CHECK_COLUMNS), LOG_COLUMNS, paths)
