"""Spreadsheet cells: the formula-injection guard shared by the exports and the review sheets."""

from __future__ import annotations

import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Characters XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, LF and CR.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would run as a formula with an apostrophe.

    Cells starting with ``=``, ``+``, ``-``, ``@`` (or a tab/CR/LF) become ``'=...``, the
    usual defence against CSV/formula injection. Control characters that XML cannot hold
    become U+FFFD. Numbers and other values pass through.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("plain"), neutralise(-3)
    ('plain', -3)
    """
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("\ufffd", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value
