"""Shared test set-up: offline, the dev corpora's location, small helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture
def data_dir() -> Path:
    """Folder of small real input files used by reader tests."""
    return DATA


@pytest.fixture
def shared_corpora() -> Path:
    """The dev corpora (../shared/corpora); slow tests skip when it is absent."""
    if not SHARED_CORPORA.exists():
        pytest.skip("../shared/corpora is not present")
    return SHARED_CORPORA


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test session uses its own embedding cache, never the user's."""
    monkeypatch.setenv("COMMENTMINE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
