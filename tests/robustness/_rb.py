"""Shared helpers of the robustness suite: CLI runners, a tiny codebook, a survey with PII.

The suite proves cross-cutting promises (every comment counted, no traceback on bad input,
nothing private leaves, same input -> same output, no half-written file). Expensive parts are
marked ``slow``; everything runs offline.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CORPORA = ROOT / "corpora"
SURVEY_CSV = CORPORA / "vcse_pcc_survey.csv"
SURVEY_XLSX = CORPORA / "vcse_pcc_survey.xlsx"
INTERVIEWS = CORPORA / "interviews"

#: A tiny codebook written inline, so tagging tests need no built-in.
TINY_CODEBOOK_YAML = """\
name: tiny
description: A two-theme codebook for robustness tests.
themes:
  - id: money
    label: Money
    description: Funding, grants and contracts, and the cost of bidding for them.
    keywords: [fund*, grant, contract, money]
    examples: ["The grants are too small and too short."]
  - id: people
    label: People
    description: Staff, volunteers and the time they have to engage.
    keywords: [staff, volunteer*, capacity]
    examples: ["We do not have the staff to bid."]
"""

#: Personal data seeded into the PII survey: none of it may reach a reader-facing output.
SEEDED_PII = (
    "Margaret Thornbury",
    "Thornbury",
    "Desmond Okonkwo-Hale",
    "Okonkwo",
    "margaret.thornbury@example.org",
    "d.okonkwo@charity-mail.co.uk",
    "07700 900123",
    "07700900123",
    "020 7946 0958",
    "+44 161 496 0000",
    "CF10 3AT",
)

_PII_SENTENCES = [
    "Our bid writer Margaret Thornbury spent three weeks on a grant that lasted one year.",
    "Please contact margaret.thornbury@example.org or call 07700 900123 about the funding.",
    "Desmond Okonkwo-Hale from our board met the PCC but nothing changed in the contract.",
    "Email d.okonkwo@charity-mail.co.uk, phone 020 7946 0958, office at CF10 3AT.",
    "The volunteers are exhausted; ring +44 161 496 0000 and ask for Margaret Thornbury.",
    "We do not have the staff to bid; Desmond Okonkwo-Hale does it in his own time.",
]
_PLAIN_SENTENCES = [
    "Funding is short term and the grants are tiny, so we cannot plan ahead.",
    "The commissioning process favours large providers with bid teams.",
    "We rely on volunteers and have no paid staff to write bids.",
    "Small pots of money with heavy reporting are not worth the effort.",
    "Staff capacity is the main barrier; we are stretched thin.",
    "Contracts are short and renewals come late, so staff leave.",
]


def pii_survey(path: Path, n: int = 36) -> Path:
    """Write a small wide survey (CSV) whose answers carry names, emails and phone numbers."""
    rows = []
    for i in range(n):
        text = _PLAIN_SENTENCES[i % len(_PLAIN_SENTENCES)]
        if i % 2 == 0:
            text = f"{text} {_PII_SENTENCES[(i // 2) % len(_PII_SENTENCES)]}"
        rows.append(
            {
                "id": f"r{i:03d}",
                "org_type": ["small charity", "network"][i % 2],
                "region": ["Wales", "North East", "London"][i % 3],
                "answer": text,
            }
        )
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path


def tiny_codebook(tmp: Path) -> Path:
    path = tmp / "tiny.yaml"
    path.write_text(TINY_CODEBOOK_YAML, encoding="utf-8")
    return path


_runner = CliRunner()


def cli(*args: object):
    """Run ``commentmine ARGS`` in-process (fast); returns click's Result."""
    from commentmine.cli import app

    return _runner.invoke(app, [str(a) for a in args])


def cli_commands() -> set[str]:
    """Names of the commands registered on the CLI (some owners add theirs late)."""
    import typer.main

    from commentmine.cli import app

    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def offline_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        MPLBACKEND="Agg",
        PYTHONHASHSEED="0",
    )
    env.pop("COMMENTMINE_DEBUG", None)
    env.update(extra)
    return env


def run_subprocess(
    args: Sequence[object], *, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m commentmine ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "commentmine", *[str(a) for a in args]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env or offline_env(),
        timeout=timeout,
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
