"""What every part of a codebook shares: its keys, reserved ids, the default label, list cells."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

#: Keys a theme mapping may have (YAML) / columns a spreadsheet codebook may use.
THEME_KEYS = (
    "id",
    "label",
    "description",
    "keywords",
    "exclude",
    "examples",
    "parent",
    "threshold",
    "meta",
)
#: Top-level keys of a YAML codebook.
CODEBOOK_KEYS = ("name", "description", "themes", "meta")
#: Ids the pipeline uses itself; a theme may not take them (compared ignoring case).
RESERVED_IDS = ("uncoded", "outlier")
#: Characters an id may not contain: ``|`` and ``;`` join theme lists in outputs and cells.
FORBIDDEN_ID_CHARS = ("|", ";", "\n", "\r")

_YAML_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm"})
_ENCODINGS = ("utf-8-sig", "cp1252")
# spreadsheet header (lower-cased) -> theme key
_COLUMN_ALIASES = {
    "id": "id",
    "theme": "id",
    "label": "label",
    "description": "description",
    "keywords": "keywords",
    "keyword": "keywords",
    "exclude": "exclude",
    "excludes": "exclude",
    "exclusion": "exclude",
    "exclusions": "exclude",
    "examples": "examples",
    "example": "examples",
    "parent": "parent",
    "threshold": "threshold",
}

Lemmatizer = Callable[[Sequence[str]], list[str]]


class CodebookWarning(UserWarning):
    """A note about a codebook that is usable as it is (e.g. spreadsheet columns not used)."""


def default_label(theme_id: str) -> str:
    """The label a theme gets when it has none: underscores to spaces, first letter upper.

    >>> default_label("funding_barriers")
    'Funding barriers'
    """
    text = " ".join(str(theme_id).replace("_", " ").split())
    return text[:1].upper() + text[1:]


# --- list cells -------------------------------------------------------------------------


_LIST_SEPARATORS = re.compile(r"[;,]")


def _split_list(text: str) -> tuple[str, ...]:
    """A keyword list written as one text: ``"grant, tender; bid*"`` -> three phrases.

    Keywords are matched on words, so a comma or semicolon can only separate phrases.
    """
    return tuple(p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip())


def _as_tuple(value: Any) -> Any:
    if isinstance(value, str):
        return _split_list(value)
    if isinstance(value, list | tuple):
        return tuple(value)
    return () if value is None else value
