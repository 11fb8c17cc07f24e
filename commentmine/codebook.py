"""Codebooks: the themes a tagger looks for, validated with every problem reported at once.

A codebook is a name, an optional description and a list of themes. A theme has an ``id``,
a ``label``, a plain-language ``description``, ``keywords`` (words or phrases, matched on
lemmas, ``*`` wildcards allowed), ``exclude`` phrases (their presence vetoes the theme for a
segment), example quotes, an optional ``parent`` (sub-themes roll up into it) and an optional
per-theme ``threshold``. Anything under a theme's or the codebook's ``meta:`` is kept as is.

Codebooks come from three places, all through :func:`load_codebook`:

* a **built-in** name (``"vcse-pcc"``): a YAML file in ``commentmine/data/codebooks/``;
* a **YAML** file (read with the safe loader only; problems are reported with line numbers)::

      name: my-codebook
      description: Optional, free text.
      themes:
        - id: funding_barriers
          label: Funding barriers
          description: Rules and money that keep small charities from funding.
          keywords: [commissioning, tender*, short-term fund*]
          exclude: [no barrier]
          examples: ["The tender paperwork alone took us three weeks."]
        - id: collaboration
          parent: collaboration_competition
          threshold: 0.4

* a **CSV/XLSX** spreadsheet, one row per theme: columns ``id`` (or ``theme``), ``label``,
  ``description``, ``keywords``, ``exclude``, ``examples``, ``parent``, ``threshold``; header
  names are matched ignoring case (``keyword``/``example``/``exclusions`` are accepted too);
  list cells are separated by ``;`` (keyword cells also by ``,``). Only ``id``/``theme`` is required. Other columns are not
  used for tagging: their non-empty values are kept in each theme's ``meta`` and a
  :class:`CodebookWarning` notes which columns those were. Problems are reported by spreadsheet
  row number (the header is row 1).

Validation (:func:`errors.bad_codebook`, ``E101``) reports every problem at once: unknown keys
(listing the valid ones), missing or empty ids, ids containing ``|``, ``;`` or a line break,
ids that repeat (ignoring case), reserved ids (``uncoded``, ``outlier``), a parent that is not a
theme id, parent cycles, wrong types, thresholds outside [0, 1] and a keyword list item that holds
several phrases (``[grant, "tender, bid*"]``). Keywords written as one text
(``keywords: grant, tender, bid*``) are split at commas and semicolons.

>>> from commentmine.codebook import load_codebook
>>> cb = load_codebook("vcse-pcc")
>>> cb.root("competition")
'collaboration_competition'
"""

from __future__ import annotations

from commentmine._codebook._base import (
    CODEBOOK_KEYS,
    RESERVED_IDS,
    THEME_KEYS,
    CodebookWarning,
    default_label,
)
from commentmine._codebook._base import (
    FORBIDDEN_ID_CHARS as FORBIDDEN_ID_CHARS,
)
from commentmine._codebook._keywords import KeywordPattern, compile_keywords
from commentmine._codebook._load import (
    builtin_codebooks,
    builtin_text,
    codebook_from_frame,
    load_codebook,
)
from commentmine._codebook._model import Codebook, Theme

__all__ = [
    "CODEBOOK_KEYS",
    "RESERVED_IDS",
    "THEME_KEYS",
    "Codebook",
    "CodebookWarning",
    "KeywordPattern",
    "Theme",
    "builtin_codebooks",
    "builtin_text",
    "codebook_from_frame",
    "compile_keywords",
    "default_label",
    "load_codebook",
]

# the public classes say where to import them from (help(), pickles, reprs of the class)
for _cls in (Codebook, CodebookWarning, KeywordPattern, Theme):
    _cls.__module__ = __name__
del _cls
