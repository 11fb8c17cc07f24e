"""References: where a segment is (source file, interview turn or question, offsets)."""

from __future__ import annotations

import pandas as pd


def turn(comment_id: str, speaker: str) -> str:
    """The interview turn number from ``<file stem>:<turn>`` ("" for survey answers)."""
    if not speaker:
        return ""
    tail = comment_id.rsplit(":", 1)[-1]
    return tail if tail.isdigit() else ""


def ref(source: str, turn: str, comment_id: str, question: str, start: int, end: int) -> str:
    """A segment's reference: "file, turn 6, 0-16" (a survey answer: its comment id)."""
    where = f"turn {turn}" if turn else comment_id
    head = f"{source}, " if source else ""
    return f"{head}{where}, {start}-{end}"


def col(meta: pd.DataFrame, name: str) -> list[str]:
    """A metadata column as strings ("" for a missing column or value)."""
    if name not in meta.columns:
        return [""] * len(meta)
    return ["" if pd.isna(v) else str(v) for v in meta[name]]


def turn_order(comment_id: str) -> int:
    """The turn number of ``<file stem>:<turn>`` as an int (0 when there is none)."""
    tail = comment_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
