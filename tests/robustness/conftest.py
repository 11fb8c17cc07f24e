"""Fixtures of the robustness suite (helpers live in ``_rb.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _rb import tiny_codebook


@pytest.fixture
def tiny_cb(tmp_path: Path) -> Path:
    """The inline two-theme codebook written to a YAML file."""
    return tiny_codebook(tmp_path)
