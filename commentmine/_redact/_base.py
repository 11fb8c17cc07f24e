"""What every part of redaction shares: levels, placeholders, the Redaction record, checks."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from commentmine import errors

Span = tuple[int, int, str]


LEVELS: tuple[str, ...] = ("identifiers", "names", "strict")

DEFAULT_LEVEL = "names"


#: Placeholder -> the type written in the redaction log.
PLACEHOLDER_TYPES: dict[str, str] = {
    "[EMAIL]": "email",
    "[URL]": "web address",
    "[PHONE]": "phone",
    "[POSTCODE]": "postcode",
    "[ADDRESS]": "street address",
    "[NAME]": "person",
    "[ORG]": "organisation",
    "[PLACE]": "place",
}


def placeholder_type(placeholder: str) -> str:
    """The type a redaction log writes for ``placeholder`` ("[NAME]" -> "person")."""
    return PLACEHOLDER_TYPES.get(placeholder, placeholder.strip("[]").lower())


class Redaction(NamedTuple):
    """One redaction: ``text[start:end]`` becomes ``placeholder``, for ``reason``."""

    start: int
    end: int
    placeholder: str
    reason: str


_EDGE_PUNCT = " \t\r\n.,;:!?()[]{}\"'\u2018\u2019\u201c\u201d-\u2013\u2014"


def _phrase_pattern(phrase: str) -> str:
    words = phrase.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


def _check_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    except TypeError:
        raise errors.bad_argument(f"{what} must be a list of strings, got {value!r}.") from None


def _check_level(level: Any) -> str:
    if isinstance(level, str) and level.strip().lower() in LEVELS:
        return level.strip().lower()
    raise errors.unknown_redaction_level(level, LEVELS)


def _as_str(text: Any) -> str:
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    return str(text)
