"""Fuzz target for the readers: arbitrary bytes as every supported file type.

The only acceptable outcomes of ``commentmine.read`` are a DataFrame or a
:class:`~commentmine.errors.CommentmineError`; any other exception is a bug. Inputs are raw
bytes and mutations (flips, truncations, splices) of the real files in ``tests/data``, so the
zip containers of DOCX/XLSX are reached too.

Time-bounded: ``COMMENTMINE_FUZZ_SECONDS`` (default 40) is split over the file types; each
type also stops at ``COMMENTMINE_FUZZ_EXAMPLES`` examples (default 200). Run longer locally:

    COMMENTMINE_FUZZ_SECONDS=600 COMMENTMINE_FUZZ_EXAMPLES=5000 \
        .venv/bin/pytest tests/robustness/test_fuzz_readers.py -q
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest
from _rb import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentmine.errors import CommentmineError
from commentmine.ingest import read

BUDGET = float(os.environ.get("COMMENTMINE_FUZZ_SECONDS", "40"))
EXAMPLES = int(os.environ.get("COMMENTMINE_FUZZ_EXAMPLES", "200"))
#: Always tried, whatever the time budget (a loaded machine may spend it on the first one).
MIN_EXAMPLES = 20

SEEDS = {
    ".csv": ["survey_utf8.csv", "survey_semicolon.csv", "unclosed_quote.csv"],
    ".json": ["survey.json"],
    ".jsonl": ["survey.jsonl"],
    ".txt": ["interview.txt"],
    ".md": ["interview.md"],
    ".docx": ["interview.docx"],
    ".xlsx": ["survey_two_sheets.xlsx"],
}
EXTS = list(SEEDS)


@st.composite
def _mutated(draw: st.DrawFn, ext: str) -> bytes:
    data = bytearray((DATA / draw(st.sampled_from(SEEDS[ext]))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "splice"]))
        n = len(data)
        if n == 0:
            break
        i = draw(st.integers(0, n - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 256))]
        else:
            j = draw(st.integers(0, n - 1))
            data[i:i] = data[j : j + draw(st.integers(1, 512))]
    return bytes(data)


def _inputs(ext: str) -> st.SearchStrategy[bytes]:
    text_like = st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))
    return st.one_of(st.binary(max_size=2048), text_like, _mutated(ext))


def _check(path: Path) -> None:
    try:
        df = read(path)
    except CommentmineError:
        return
    assert isinstance(df, pd.DataFrame)
    assert df["comment_id"].is_unique
    assert set(df["status"]) <= {"ok", "empty", "non_answer"}


@pytest.mark.parametrize("ext", EXTS)
def test_fuzz_read(tmp_path_factory: pytest.TempPathFactory, ext: str) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz{ext.replace('.', '_')}")
    deadline = time.monotonic() + BUDGET / len(EXTS)
    count = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=_inputs(ext))
    def fuzz(data: bytes) -> None:
        nonlocal count
        if count >= MIN_EXAMPLES and time.monotonic() > deadline:
            return  # time budget spent: the remaining examples are no-ops
        count += 1
        path = folder / f"input{ext}"
        path.write_bytes(data)
        _check(path)

    fuzz()
    assert count > 0
