"""The bundled survey (corpora/): answers that vary like real ones, with its planted test data."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "corpora" / "vcse_pcc_survey.csv"
OPEN = ["engagement_experience", "funding_improvements", "collaboration", "other_comments"]
_WORD = re.compile(r"[a-z0-9£'’]+")


def _rows() -> list[dict[str, str]]:
    with SURVEY.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _answers() -> list[str]:
    return [r[q] for r in _rows() for q in OPEN if len(_WORD.findall(r[q].lower())) > 3]


def _sharing(texts: list[str], n: int) -> set[int]:
    """Indexes of the answers that share an n-word sequence with another answer."""
    where: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        for k in range(len(words) - n + 1):
            where[tuple(words[k : k + n])].add(i)
    return {i for ids in where.values() if len(ids) > 1 for i in ids}


def test_answers_do_not_repeat_each_other() -> None:
    texts = _answers()
    assert len(texts) > 900
    # real survey answers (benchmarks/results/corpus_diversity.md): 0.2-1.9% share an 8-gram,
    # 1.6-4.4% a 6-gram; before issue 20 item 12 the bundled survey had 67.6% sharing a 6-gram
    assert len(_sharing(texts, 8)) / len(texts) <= 0.01
    assert len(_sharing(texts, 6)) / len(texts) <= 0.05
    assert not _sharing(texts, 10), "no two answers share a 10-word run"
    assert len(set(texts)) == len(texts)


def test_planted_test_data_is_kept() -> None:
    rows = _rows()
    text = "\n".join(r[q] for r in rows for q in OPEN)
    for planted in (
        "sarah.jones@example.org",
        "01632 960123",
        "Mark Whitfield",
        "d.okafor@safesteps.example.org.uk",
        "07700 900456",
        "14 Mill Lane, Leeds LS6 2AB",
        "Tom Evans",
        "Hannah Price",
    ):
        assert text.count(planted) == 1, planted
    assert {r["consent_to_quote"] for r in rows} == {"yes", "no"}
    assert [r["respondent_id"] for r in rows] == [f"R{i:04d}" for i in range(1, 341)]


@pytest.mark.slow
def test_generator_is_seeded_and_byte_identical(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "corpora" / "make_survey.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    for name in ("vcse_pcc_survey.csv", "vcse_pcc_survey.xlsx"):
        assert (tmp_path / name).read_bytes() == (ROOT / "corpora" / name).read_bytes(), name
