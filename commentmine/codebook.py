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

import csv
import functools
import hashlib
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from commentmine import errors

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


# --- the data ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook.

    Parameters
    ----------
    id : str
        Unique within the codebook; any non-empty text without ``|``, ``;`` or line breaks.
    label : str, default ""
        Human-readable name; empty means :func:`default_label` of the id.
    description : str, default ""
        What the theme covers, in plain language (used for semantic matching).
    keywords : tuple of str, default ()
        Words or phrases matched on lemmas; ``*`` is a wildcard within a word
        (``"commission*"``) or, on its own, any one word (``"in * capacity"``). A ``;``-separated
        string is split.
    exclude : tuple of str, default ()
        Phrases (same syntax) whose presence vetoes the theme for a segment.
    examples : tuple of str, default ()
        Example quotes of the theme.
    parent : str or None, default None
        Id of the parent theme; counts roll up into it.
    threshold : float or None, default None
        Per-theme decision threshold in [0, 1] (None: the tagger's global one).
    meta : dict, default {}
        Free-form data kept as is (not used for tagging).

    Notes
    -----
    A Theme only normalises its inputs (lists to tuples, the default label); it is validated
    when it becomes part of a :class:`Codebook`.
    """

    id: str
    label: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    parent: str | None = None
    threshold: float | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        set_ = functools.partial(object.__setattr__, self)
        if isinstance(self.id, int) and not isinstance(self.id, bool):
            set_("id", str(self.id))
        if isinstance(self.id, str):
            set_("id", self.id.strip())
            if self.label is None or (isinstance(self.label, str) and not self.label.strip()):
                set_("label", default_label(self.id))
        if isinstance(self.label, str):
            set_("label", self.label.strip())
        if self.description is None:
            set_("description", "")
        for name in ("keywords", "exclude"):
            set_(name, _as_tuple(getattr(self, name)))
        if isinstance(self.examples, list | tuple):
            set_("examples", tuple(self.examples))
        elif isinstance(self.examples, str):
            set_("examples", (self.examples,))
        elif self.examples is None:
            set_("examples", ())
        if isinstance(self.parent, str):
            set_("parent", self.parent.strip() or None)
        if isinstance(self.threshold, int) and not isinstance(self.threshold, bool):
            set_("threshold", float(self.threshold))
        if self.meta is None:
            set_("meta", {})

    def keyword_patterns(
        self, *, lemmatize: Lemmatizer | None = None
    ) -> tuple[KeywordPattern, ...]:
        """Compiled matchers for :attr:`keywords` (see :func:`compile_keywords`)."""
        return compile_keywords(self.keywords, lemmatize=lemmatize)

    def exclude_patterns(
        self, *, lemmatize: Lemmatizer | None = None
    ) -> tuple[KeywordPattern, ...]:
        """Compiled matchers for :attr:`exclude` (see :func:`compile_keywords`)."""
        return compile_keywords(self.exclude, lemmatize=lemmatize)

    def to_dict(self) -> dict[str, Any]:
        """The theme as a plain mapping in YAML key order (empty fields left out)."""
        out: dict[str, Any] = {"id": self.id, "label": self.label}
        if self.parent is not None:
            out["parent"] = self.parent
        if self.description:
            out["description"] = self.description
        for name in ("keywords", "exclude", "examples"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.meta:
            out["meta"] = self.meta
        return out


@dataclass(frozen=True)
class Codebook:
    """A named, validated list of themes.

    Parameters
    ----------
    name : str
        Short name (a built-in's file stem, or the YAML ``name``).
    description : str, default ""
        Free text.
    themes : tuple of Theme
        In codebook order; ids are unique.
    meta : dict, default {}
        Free-form data kept as is.

    Raises
    ------
    CodebookError
        ``E101`` listing every problem, when the themes do not form a valid codebook.

    Examples
    --------
    >>> cb = Codebook("demo", themes=(Theme("money"), Theme("grants", parent="money")))
    >>> cb.ids, cb.children("money"), cb.root("grants")
    (('money', 'grants'), ('grants',), 'money')
    """

    name: str
    description: str = ""
    themes: tuple[Theme, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if isinstance(self.themes, list):
            object.__setattr__(self, "themes", tuple(self.themes))
        if self.description is None:
            object.__setattr__(self, "description", "")
        if self.meta is None:
            object.__setattr__(self, "meta", {})
        problems = _check_built(self)
        if problems:
            raise errors.bad_codebook(self.name, problems)

    # -- lookups -------------------------------------------------------------------------

    @cached_property
    def _by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @property
    def ids(self) -> tuple[str, ...]:
        """Theme ids in codebook order."""
        return tuple(t.id for t in self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self._by_id

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id.

        Raises
        ------
        InputError
            ``E402`` when there is no such theme (with the closest id).
        """
        try:
            return self._by_id[theme_id]
        except (KeyError, TypeError):
            raise errors.unknown_theme(str(theme_id), self.ids) from None

    def children(self, theme_id: str) -> tuple[str, ...]:
        """Ids of the direct sub-themes of ``theme_id``, in codebook order."""
        self.theme(theme_id)
        return tuple(t.id for t in self.themes if t.parent == theme_id)

    def root(self, theme_id: str) -> str:
        """The top-most ancestor of ``theme_id`` (itself when it has no parent)."""
        theme = self.theme(theme_id)
        while theme.parent is not None:
            theme = self._by_id[theme.parent]
        return theme.id

    # -- keyword matching ------------------------------------------------------------------

    def keyword_patterns(
        self, *, lemmatize: Lemmatizer | None = None
    ) -> dict[str, tuple[tuple[KeywordPattern, ...], tuple[KeywordPattern, ...]]]:
        """Compiled ``(keywords, exclude)`` matchers per theme id, lemmatised in one batch."""
        phrases = sorted({p for t in self.themes for p in (*t.keywords, *t.exclude)})
        compiled = dict(zip(phrases, compile_keywords(phrases, lemmatize=lemmatize), strict=True))
        return {
            t.id: (
                tuple(compiled[p] for p in t.keywords),
                tuple(compiled[p] for p in t.exclude),
            )
            for t in self.themes
        }

    # -- export ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The codebook as plain data in YAML key order (what :meth:`from_dict` reads)."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.meta:
            out["meta"] = self.meta
        out["themes"] = [t.to_dict() for t in self.themes]
        return out

    def to_yaml(self) -> str:
        """The codebook as YAML: deterministic, UTF-8 text, no aliases; loads back equal."""
        return yaml.dump(
            self.to_dict(),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
            indent=2,
        )

    def sha256(self) -> str:
        """Hex SHA-256 of :meth:`to_yaml` (identifies the codebook a run used)."""
        return hashlib.sha256(self.to_yaml().encode("utf-8")).hexdigest()

    def to_frame(self) -> Any:
        """One row per theme in the spreadsheet layout (list cells ``;``-joined).

        ``meta`` is left out, and an example containing ``;`` would be split when read back.
        """
        import pandas as pd

        rows = [
            {
                "id": t.id,
                "label": t.label,
                "parent": t.parent or "",
                "description": t.description,
                "keywords": "; ".join(t.keywords),
                "exclude": "; ".join(t.exclude),
                "examples": "; ".join(t.examples),
                "threshold": "" if t.threshold is None else t.threshold,
            }
            for t in self.themes
        ]
        columns = ["id", "label", "parent", "description", "keywords", "exclude", "examples"]
        return pd.DataFrame(rows, columns=[*columns, "threshold"])

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<dict>", name: str | None = None) -> Codebook:
        """Build a codebook from YAML-shaped data (``name``, ``description``, ``themes``, ``meta``).

        Parameters
        ----------
        data : mapping
            As :func:`yaml.safe_load` returns it.
        source : str, default "<dict>"
            Named in error messages.
        name : str, optional
            Used when ``data`` has no ``name``.
        """
        return _from_yaml_data(data, _NoLines(), source=source, default_name=name or "codebook")

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "<string>", name: str | None = None) -> Codebook:
        """Build a codebook from YAML text (safe loader only; problems carry line numbers)."""
        data, lines = _parse_yaml(text, source)
        return _from_yaml_data(data, lines, source=source, default_name=name or "codebook")


class _Dumper(yaml.SafeDumper):
    """Safe dumper: no aliases, lists indented under their key."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


# --- keyword matching -------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordPattern:
    """A keyword or phrase compiled for matching against a space-joined lemma string.

    Attributes
    ----------
    phrase : str
        As written in the codebook.
    lemmas : str
        The most likely token sequence, space-joined (the first of :attr:`variants`).
    variants : tuple of str
        Every token sequence that counts as a match, space-joined, the lemma form first. Plain
        words match their lemma or their lower-cased form: with a part-of-speech lemmatiser a
        keyword seen out of context can get another lemma than in a sentence ("funding" alone
        is the verb "fund", in "we lost our funding" the noun "funding"), so both are kept.
        (The default lookup lemmatiser of :mod:`commentmine.segment` ignores context, so there
        the lemma form is what segments hold.) Wildcard words are lower-cased as written, not
        lemmatised, and split at hyphens (``"ring-fenc*"`` -> ``"ring fenc*"``); a token
        containing ``*`` is a wildcard (``*`` alone: any one token).
    regex : re.Pattern
        Matches any variant, whole tokens only.
    """

    phrase: str
    lemmas: str
    variants: tuple[str, ...] = ()
    regex: re.Pattern[str] = field(default=re.compile(r"(?!)"), repr=False, compare=False)

    def search(self, lemmas: str) -> bool:
        """True when the phrase occurs in ``lemmas``."""
        return self.regex.search(lemmas) is not None

    def find(self, lemmas: str) -> list[tuple[int, int]]:
        """Token spans ``[start, end)`` of each (non-overlapping) occurrence in ``lemmas``.

        Token positions index ``lemmas.split()``, so a caller can look at the words before a
        match (negation) or around it.
        """
        spans = []
        for m in self.regex.finditer(lemmas):
            start = len(lemmas[: m.start()].split())
            spans.append((start, start + len(m.group().split())))
        return spans


_NEVER = re.compile(r"(?!)")


def _plain_lemmas(texts: Sequence[str]) -> list[str]:
    """Lower-cased word tokens, space-joined (fallback when spaCy lemmas are unavailable)."""
    return [" ".join(re.findall(r"\w+(?:'\w+)?", str(t).lower())) for t in texts]


def _default_lemmatizer() -> Lemmatizer:
    try:
        from commentmine.segment import lemmatize
    except ModuleNotFoundError as exc:  # pragma: no cover - segment.py is part of the package
        if exc.name != "commentmine.segment":
            raise
        warnings.warn(
            "commentmine.segment is not available; keywords are matched on lower-cased words, "
            "not lemmas",
            CodebookWarning,
            stacklevel=3,
        )
        return _plain_lemmas
    return lemmatize


def _wild_tokens(word: str) -> list[str]:
    """Token patterns of a word containing ``*``, split where the tokenizer splits (hyphens)."""
    return [p for p in re.split(r"[^\w*']+", word.lower()) if p]


def _token_regex(token: str) -> str:
    """Regex of one token pattern: ``*`` is any characters within the token, alone any token."""
    if set(token) == {"*"}:
        return r"\S+"
    return "".join(r"\S*" if c == "*" else re.escape(c) for c in token)


def compile_keywords(
    phrases: Iterable[str], *, lemmatize: Lemmatizer | None = None
) -> tuple[KeywordPattern, ...]:
    """Compile keyword phrases into matchers over lemma strings.

    Each phrase is split into words. Runs of plain words are lemmatised with ``lemmatize``
    (the same function that makes the segments' ``lemmas`` column, so "funding barriers" matches
    "funding barrier" and "barriers to funding" does not). A word containing ``*`` is used as
    written, lower-cased, with ``*`` matching any characters within one token (``commission*``
    matches "commissioner", "commissioning"); a ``*`` standing alone matches any one token.
    Matches are whole tokens: ``fund`` does not match "fundraising", ``fund*`` does.

    Parameters
    ----------
    phrases : iterable of str
        Keywords or phrases as written in a codebook.
    lemmatize : callable, optional
        ``lemmatize(texts) -> list[str]`` of lower-cased, space-joined lemmas. Default:
        :func:`commentmine.segment.lemmatize`.

    Returns
    -------
    tuple of KeywordPattern
        One per phrase, in order.

    Examples
    --------
    >>> simple = lambda texts: [t.lower() for t in texts]
    >>> [p.search("we lost short term funding") for p in
    ...  compile_keywords(["short-term fund*", "grant"], lemmatize=simple)]
    [True, False]
    """
    phrases = tuple(str(p) for p in phrases)
    lem = lemmatize if lemmatize is not None else _default_lemmatizer()
    try:
        return _compile_cached(phrases, lem)
    except TypeError:  # an unhashable lemmatizer: compile without the cache
        return _compile(phrases, lem)


@functools.lru_cache(maxsize=512)
def _compile_cached(phrases: tuple[str, ...], lem: Lemmatizer) -> tuple[KeywordPattern, ...]:
    return _compile(phrases, lem)


def _compile(phrases: tuple[str, ...], lem: Lemmatizer) -> tuple[KeywordPattern, ...]:
    plans: list[list[tuple[str, Any]]] = []
    runs: list[str] = []
    for phrase in phrases:
        plan: list[tuple[str, Any]] = []
        plain: list[str] = []
        for word in phrase.split():
            if "*" in word:
                if plain:
                    plan.append(("run", len(runs)))
                    runs.append(" ".join(plain))
                    plain = []
                plan.append(("wild", word))
            else:
                plain.append(word)
        if plain:
            plan.append(("run", len(runs)))
            runs.append(" ".join(plain))
        plans.append(plan)
    lemma_runs = list(lem(runs)) if runs else []
    if len(lemma_runs) != len(runs):
        raise ValueError(f"lemmatize returned {len(lemma_runs)} strings for {len(runs)} texts")
    out = []
    for phrase, plan in zip(phrases, plans, strict=True):
        parts: list[list[tuple[str, ...]]] = []
        for kind, value in plan:
            if kind == "run":
                parts.append(_run_variants(str(lemma_runs[value]), runs[value]))
            else:
                parts.append([tuple(_wild_tokens(value))])
        variants = _combine(parts)
        if not variants:
            out.append(KeywordPattern(phrase=phrase, lemmas="", variants=(), regex=_NEVER))
            continue
        alternatives = sorted(
            {" +".join(_token_regex(t) for t in v) for v in variants}, key=lambda r: (-len(r), r)
        )
        regex = re.compile(r"(?<!\S)(?:" + "|".join(alternatives) + r")(?!\S)", re.IGNORECASE)
        joined = tuple(" ".join(v) for v in variants)
        out.append(KeywordPattern(phrase=phrase, lemmas=joined[0], variants=joined, regex=regex))
    return tuple(out)


_MAX_VARIANTS = 16


def _run_variants(lemmas: str, words: str) -> list[tuple[str, ...]]:
    """Token sequences a run of plain words may appear as in a lemma string, likeliest first."""
    lemma_tokens = lemmas.lower().split()
    surface = re.findall(r"\w+(?:'\w+)?", words.lower())
    if len(lemma_tokens) != len(surface):  # e.g. an expanded acronym: the two whole forms
        return [v for v in dict.fromkeys([tuple(lemma_tokens), tuple(surface)]) if v]
    options = []
    for lemma, word in zip(lemma_tokens, surface, strict=True):
        options.append(list(dict.fromkeys((lemma, word))))
    return _combine([[(t,) for t in o] for o in options])


def _combine(parts: list[list[tuple[str, ...]]]) -> list[tuple[str, ...]]:
    """Concatenations of one variant per part (first-choice first), at most _MAX_VARIANTS."""
    combos: list[tuple[str, ...]] = [()]
    for options in parts:
        combos = [c + o for c in combos for o in options][:_MAX_VARIANTS]
    return [c for c in dict.fromkeys(combos) if c]


# --- loading ----------------------------------------------------------------------------


def builtin_codebooks() -> tuple[str, ...]:
    """Names of the built-in codebooks (YAML files in ``commentmine/data/codebooks``)."""
    folder = resources.files("commentmine").joinpath("data", "codebooks")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def builtin_text(name: str) -> str:
    """The YAML text (with its comments) of a built-in codebook."""
    if name not in builtin_codebooks():
        raise errors.unknown_codebook(name, builtin_codebooks())
    return (
        resources.files("commentmine")
        .joinpath("data", "codebooks", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )


def load_codebook(
    source: str | os.PathLike[str] | Codebook | Mapping[str, Any],
    *,
    sheet: str | int = 0,
) -> Codebook:
    """Load and validate a codebook.

    Parameters
    ----------
    source : str, path, Codebook or mapping
        A built-in name (see :func:`builtin_codebooks`), a YAML (``.yaml``/``.yml``/``.json``),
        CSV/TSV or XLSX file, YAML text (a string with a line break), a mapping shaped like the
        YAML, or a :class:`Codebook` (returned as is).
    sheet : str or int, default 0
        XLSX sheet name or 0-based index.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        ``E101`` listing every problem (with YAML line or spreadsheet row numbers), ``E102`` when
        ``source`` is neither a file nor a built-in, ``E103`` for a YAML syntax error, ``E104``
        for a YAML tag the safe loader refuses.
    InputError
        ``E002``/``E006``/``E008`` for unreadable files, unsupported types and directories.

    Warns
    -----
    CodebookWarning
        When a spreadsheet has columns that are not used for tagging (kept in ``meta``).
    """
    if isinstance(source, Codebook):
        return source
    if isinstance(source, Mapping):
        return Codebook.from_dict(source)
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return Codebook.from_yaml(source)
    path = Path(source)
    if path.is_dir():
        raise errors.is_directory(path)
    if not path.is_file():
        if isinstance(source, str) and source in builtin_codebooks():
            return Codebook.from_yaml(builtin_text(source), source=source, name=source)
        raise errors.unknown_codebook(str(source), builtin_codebooks())
    suffix = path.suffix.lower()
    if suffix in _YAML_SUFFIXES:
        return Codebook.from_yaml(_read_text(path), source=str(path), name=path.stem)
    if suffix in {".csv", ".tsv"}:
        header, rows = _read_delimited(path, "\t" if suffix == ".tsv" else ",")
    elif suffix in {".xlsx", ".xlsm"}:
        header, rows = _read_xlsx(path, sheet)
    else:
        raise errors.unsupported_format(path, _YAML_SUFFIXES | _TABLE_SUFFIXES)
    return _from_table(header, rows, source=str(path), name=path.stem)


def codebook_from_frame(
    df: Any, *, name: str = "codebook", source: str = "<frame>", description: str = ""
) -> Codebook:
    """Build a codebook from a DataFrame in the spreadsheet layout (one row per theme).

    Rows are numbered as in a spreadsheet whose header is row 1 (the frame's first row is
    row 2). See the module docstring for the columns.
    """
    header = [str(c) for c in df.columns]
    rows = [
        (i + 2, [_cell_text(v) for v in values])
        for i, values in enumerate(df.itertuples(index=False, name=None))
    ]
    return _from_table(header, rows, source=source, name=name, description=description)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in _ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise errors.unreadable_file(path, "not UTF-8 or Windows-1252 text")  # pragma: no cover


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = str(value)
    return (
        "" if text in {"nan", "NaN", "<NA>", "None", "NaT"} and not isinstance(value, str) else text
    )


def _read_delimited(path: Path, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = _read_text(path)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise errors.unreadable_file(path, f"not a valid CSV file ({exc})") from exc
    if not records:
        return [], []
    return records[0], [(i + 2, r) for i, r in enumerate(records[1:])]


def _read_xlsx(path: Path, sheet: str | int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for bad files
        raise errors.unreadable_file(path, f"not a valid XLSX workbook ({exc})") from exc
    try:
        names = wb.sheetnames
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise errors.unreadable_file(path, f"no sheet {sheet}; sheets: {names}")
            ws = wb[names[sheet]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise errors.unreadable_file(path, f"no sheet {sheet!r}; sheets: {names}")
        records = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not records:
        return [], []
    return records[0], [(i + 2, r) for i, r in enumerate(records[1:])]


# --- YAML parsing with line numbers -----------------------------------------------------


class _NoLines:
    """Line lookup for data without a source text (mappings given in Python)."""

    unit = ""

    def top(self, key: str | None = None) -> int | None:
        return None

    def theme(self, index: int, key: str | None = None) -> int | None:
        return None


class _YamlLines(_NoLines):
    """1-based line numbers of top-level keys and of each theme item and its keys."""

    unit = "line"

    def __init__(self, node: yaml.Node | None) -> None:
        self.top_keys: dict[str, int] = {}
        self.items: list[tuple[int, dict[str, int]]] = []
        self.duplicates: list[tuple[int, str, str]] = []
        if not isinstance(node, yaml.MappingNode):
            self.start = node.start_mark.line + 1 if node is not None else 1
            return
        self.start = node.start_mark.line + 1
        self.top_keys = self._keys(node, "the top level")
        for key, value in node.value:
            if key.value == "themes" and isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    keys = (
                        self._keys(item, f"theme #{i + 1}")
                        if isinstance(item, yaml.MappingNode)
                        else {}
                    )
                    self.items.append((item.start_mark.line + 1, keys))

    def _keys(self, node: yaml.MappingNode, where: str) -> dict[str, int]:
        keys: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = key.start_mark.line + 1
            if key.value in keys and key.value != "<<":
                self.duplicates.append((line, where, key.value))
            keys.setdefault(key.value, line)
        return keys

    def top(self, key: str | None = None) -> int | None:
        return self.top_keys.get(key, self.start) if key else self.start

    def theme(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.items):
            return None
        line, keys = self.items[index]
        return keys.get(key, line) if key else line


def _parse_yaml(text: str, source: str) -> tuple[Any, _YamlLines]:
    try:
        # The reader checks every character when it is built: NUL or other control bytes
        # (a binary file named .yaml) raise here, so build it inside the guard.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise errors.yaml_syntax(source, str(exc).replace("\n", " "), None, None) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        found = re.search(r"tag '([^']*)'", str(exc.problem or ""))
        tag = found.group(1) if found else str(exc.problem)
        raise errors.unsafe_yaml_tag(
            source,
            tag.replace("tag:yaml.org,2002:", "!!", 1),
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise errors.yaml_syntax(
            source,
            what,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise errors.yaml_syntax(source, str(exc).replace("\n", " "), None, None) from None
    finally:
        loader.dispose()
    return data, _YamlLines(node)


# --- validation -------------------------------------------------------------------------


class _Problems:
    """Problems collected with a sort position, rendered as ``line 12: ...``."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.items: list[tuple[int, int, str]] = []

    def add(self, where: int | None, message: str) -> None:
        prefix = f"{self.unit} {where}: " if self.unit and where is not None else ""
        self.items.append((where or 0, len(self.items), prefix + message))

    def sorted(self) -> list[str]:
        return [m for _, _, m in sorted(self.items)]

    def __bool__(self) -> bool:
        return bool(self.items)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def _unknown_key(key: Any, valid: Sequence[str]) -> str:
    near = errors.closest(str(key), valid)
    hint = f" (did you mean {near!r}?)" if near else ""
    return f"unknown key {str(key)!r}{hint}; valid keys: {', '.join(valid)}"


def _phrases(
    value: Any,
    name: str,
    what: str,
    add: Callable[[str], None],
    *,
    split_text: bool,
    keywords: bool = False,
) -> tuple[str, ...]:
    """Normalise a list field; report what is wrong through ``add``.

    ``split_text``: a single text is a list (split at ``;``, and for ``keywords`` also at
    ``,``). ``keywords``: a list item holding ``,`` or ``;`` is reported (it would be one
    phrase that never matches).
    """
    if value is None:
        return ()
    if isinstance(value, str):
        if split_text:
            return (
                _split_list(value)
                if keywords
                else tuple(p.strip() for p in value.split(";") if p.strip())
            )
        return (value.strip(),) if value.strip() else ()
    if not isinstance(value, list | tuple):
        add(
            f"{what}: {name} must be a list of text or one ';'-separated text, "
            f"not {_type_name(value)}"
        )
        return ()
    out = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, str):
            add(f"{what}: {name} item {i} is {_type_name(item)}; write it as text (in quotes)")
        elif not item.strip():
            add(f"{what}: {name} item {i} is empty")
        elif keywords and _LIST_SEPARATORS.search(item):
            parts = _split_list(item)
            add(
                f"{what}: {name} item {i} {item.strip()!r} holds several phrases; a keyword "
                f"never contains ',' or ';'. Write them as separate items: "
                f"[{', '.join(parts)}]"
            )
        else:
            out.append(item.strip())
    return tuple(out)


def _check_theme(
    raw: Any,
    index: int,
    line: Callable[[str | None], int | None],
    problems: _Problems,
    *,
    table: bool = False,
) -> dict[str, Any] | None:
    """Validate one theme mapping; return Theme keyword arguments (None if unusable)."""
    if not isinstance(raw, Mapping):
        hint = f"; write '- id: {raw}'" if isinstance(raw, str) else ""
        problems.add(
            line(None),
            f"theme #{index + 1} must be a mapping with at least an 'id', "
            f"not {_type_name(raw)}{hint}",
        )
        return None
    out: dict[str, Any] = {}
    tid = raw.get("id")
    if isinstance(tid, int) and not isinstance(tid, bool):
        tid = str(tid)
    what = f"theme #{index + 1}"
    if tid is None or (isinstance(tid, str) and not tid.strip()):
        problems.add(line("id"), f"{what}: missing or empty id")
        tid = None
    elif not isinstance(tid, str):
        problems.add(line("id"), f"{what}: id must be text, not {_type_name(tid)}")
        tid = None
    else:
        tid = tid.strip()
        what = f"theme {tid!r}"
        bad = [c for c in FORBIDDEN_ID_CHARS if c in tid]
        if bad:
            shown = ", ".join("a line break" if c in "\r\n" else repr(c) for c in bad)
            problems.add(
                line("id"),
                f"{what}: id contains {shown}; ids must not contain '|', ';' or line breaks "
                "(they join theme lists in outputs)",
            )
        if tid.casefold() in RESERVED_IDS:
            problems.add(
                line("id"),
                f"{what}: id {tid!r} is reserved (the tagger uses {', '.join(RESERVED_IDS)}); "
                "choose another id",
            )
    out["id"] = tid
    for key in raw:
        if key not in THEME_KEYS:
            problems.add(line(str(key)), f"{what}: {_unknown_key(key, THEME_KEYS)}")

    def add_at(key: str) -> Callable[[str], None]:
        return lambda message: problems.add(line(key), message)

    for key in ("label", "description"):
        value = raw.get(key)
        if value is None or isinstance(value, str):
            out[key] = (value or "").strip()
        else:
            problems.add(line(key), f"{what}: {key} must be text, not {_type_name(value)}")
    for key in ("keywords", "exclude"):
        out[key] = _phrases(raw.get(key), key, what, add_at(key), split_text=True, keywords=True)
        for phrase in out[key]:
            if not re.search(r"\w", phrase):
                problems.add(line(key), f"{what}: {key} entry {phrase!r} has no letters or digits")
    out["examples"] = _phrases(
        raw.get("examples"), "examples", what, add_at("examples"), split_text=table
    )

    parent = raw.get("parent")
    if isinstance(parent, int) and not isinstance(parent, bool):
        parent = str(parent)
    if parent is None or isinstance(parent, str):
        out["parent"] = (parent or "").strip() or None
    else:
        problems.add(line("parent"), f"{what}: parent must be a theme id, not {_type_name(parent)}")

    threshold = raw.get("threshold")
    if isinstance(threshold, str):
        if not threshold.strip():
            threshold = None
        else:
            try:
                threshold = float(threshold)
            except ValueError:
                problems.add(line("threshold"), f"{what}: threshold {threshold!r} is not a number")
                threshold = None
    if threshold is None:
        out["threshold"] = None
    elif isinstance(threshold, bool) or not isinstance(threshold, int | float):
        problems.add(
            line("threshold"),
            f"{what}: threshold must be a number in [0, 1], not {_type_name(threshold)}",
        )
    elif not 0.0 <= float(threshold) <= 1.0:  # also catches NaN
        problems.add(line("threshold"), f"{what}: threshold {threshold} is outside [0, 1]")
    else:
        out["threshold"] = float(threshold)

    meta = raw.get("meta")
    if meta is None or isinstance(meta, Mapping):
        out["meta"] = dict(meta or {})
    else:
        problems.add(line("meta"), f"{what}: meta must be a mapping, not {_type_name(meta)}")
    return out


def _check_structure(
    items: Sequence[tuple[str | None, str | None, int | None, int | None]], problems: _Problems
) -> None:
    """Duplicate ids, unknown parents and parent cycles.

    ``items`` holds ``(id, parent, where the id is, where the parent is)`` per theme.
    """
    first: dict[str, tuple[str, int | None]] = {}
    unit = problems.unit
    for tid, _, where, _ in items:
        if tid is None:
            continue
        key = tid.casefold()
        if key in first:
            other, at = first[key]
            also = f" at {unit} {at}" if unit and at is not None else ""
            same = "duplicate id" if other == tid else f"id differs only in case from {other!r}"
            problems.add(where, f"theme {tid!r}: {same}{also}; ids must be unique")
        else:
            first[key] = (tid, where)
    ids = [t for t, _, _, _ in items if t is not None]
    id_set = set(ids)
    parents: dict[str, str] = {}
    for tid, parent, _, where in items:
        if tid is None or parent is None:
            continue
        if parent not in id_set:
            near = errors.closest(parent, ids)
            hint = f" (did you mean {near!r}?)" if near else ""
            problems.add(where, f"theme {tid!r}: parent {parent!r} is not a theme id{hint}")
        else:
            parents.setdefault(tid, parent)
    where_of = {t: w for t, _, _, w in reversed(items) if t is not None}
    reported: set[str] = set()
    for start in ids:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in path and node not in reported:
            path.append(node)
            node = parents.get(node)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            reported.update(cycle)
            head = min(cycle, key=ids.index)
            k = cycle.index(head)
            ordered = cycle[k:] + cycle[:k]
            if len(ordered) == 1:
                msg = f"theme {head!r}: is its own parent"
            else:
                msg = f"theme {head!r}: parent cycle {' -> '.join([*ordered, head])}"
            problems.add(where_of.get(head), msg + "; remove one of these parent links")
        reported.update(path)


def _from_yaml_data(data: Any, lines: _NoLines, *, source: str, default_name: str) -> Codebook:
    problems = _Problems(lines.unit)
    if isinstance(lines, _YamlLines):
        for line, where, key in lines.duplicates:
            problems.add(line, f"{where}: key {key!r} appears twice (the last one would win)")
    if data is None:
        problems.add(None, "the codebook is empty; it needs 'name' and a 'themes' list")
        raise errors.bad_codebook(source, problems.sorted())
    if not isinstance(data, Mapping):
        problems.add(
            lines.top(),
            f"the top level must be a mapping with 'name' and 'themes', not {_type_name(data)}",
        )
        raise errors.bad_codebook(source, problems.sorted())
    for key in data:
        if key not in CODEBOOK_KEYS:
            problems.add(lines.top(str(key)), _unknown_key(key, CODEBOOK_KEYS))
    name = data.get("name", default_name)
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)
    if not isinstance(name, str) or not name.strip():
        problems.add(lines.top("name"), f"name must be non-empty text, not {_type_name(name)}")
        name = default_name
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.add(
            lines.top("description"), f"description must be text, not {_type_name(description)}"
        )
        description = ""
    meta = data.get("meta")
    if meta is not None and not isinstance(meta, Mapping):
        problems.add(lines.top("meta"), f"meta must be a mapping, not {_type_name(meta)}")
        meta = {}
    raw_themes = data.get("themes")
    kwargs: list[dict[str, Any] | None] = []
    if raw_themes is None:
        problems.add(lines.top("themes"), "no themes: add a 'themes:' list with at least one theme")
    elif not isinstance(raw_themes, list):
        problems.add(
            lines.top("themes"),
            f"themes must be a list of theme mappings, not {_type_name(raw_themes)}",
        )
    elif not raw_themes:
        problems.add(lines.top("themes"), "no themes: the 'themes' list is empty")
    else:
        for i, raw in enumerate(raw_themes):
            kwargs.append(_check_theme(raw, i, functools.partial(lines.theme, i), problems))
    _check_structure(
        [
            (k["id"], k.get("parent"), lines.theme(i, "id"), lines.theme(i, "parent"))
            for i, k in enumerate(kwargs)
            if k is not None
        ],
        problems,
    )
    if problems:
        raise errors.bad_codebook(source, problems.sorted())
    themes = tuple(Theme(**k) for k in kwargs if k is not None)
    return Codebook(name.strip(), (description or "").strip(), themes, dict(meta or {}))


def _from_table(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    *,
    source: str,
    name: str,
    description: str = "",
) -> Codebook:
    problems = _Problems("row")
    columns: dict[int, str] = {}
    extra: dict[int, str] = {}
    seen: dict[str, str] = {}
    has_id = any(str(h).strip().lower() == "id" for h in header)
    for j, col in enumerate(header):
        title = str(col).strip()
        key = _COLUMN_ALIASES.get(title.lower())
        if key is None or (key == "id" and has_id and title.lower() != "id"):
            if title:  # with both 'id' and 'theme', 'id' is the id and 'theme' goes to meta
                extra[j] = title
            continue
        if key in seen:
            problems.add(1, f"columns {seen[key]!r} and {title!r} both give the theme's {key}")
            continue
        columns[j] = key
        seen[key] = title
    if "id" not in columns.values():
        found = ", ".join(repr(str(c)) for c in header) or "none"
        problems.add(1, f"no 'id' or 'theme' column (columns found: {found})")
        raise errors.bad_codebook(source, problems.sorted())
    if extra:
        warnings.warn(
            f"codebook {source!r}: columns not used for tagging (kept in each theme's meta): "
            + ", ".join(extra.values()),
            CodebookWarning,
            stacklevel=3,
        )
    kwargs: list[tuple[int, dict[str, Any]]] = []
    for index, (rownum, cells) in enumerate(rows):
        cells = [("" if c is None else str(c)) for c in cells]
        if not any(c.strip() for c in cells):
            continue
        raw: dict[str, Any] = {}
        for j, key in columns.items():
            value = cells[j].strip() if j < len(cells) else ""
            raw[key] = value or None
        meta = {extra[j]: cells[j].strip() for j in extra if j < len(cells) and cells[j].strip()}
        if meta:
            raw["meta"] = meta
        checked = _check_theme(raw, index, lambda _k, r=rownum: r, problems, table=True)
        if checked is not None:
            kwargs.append((rownum, checked))
    if not kwargs:
        problems.add(None, "no themes: the sheet has no rows with an id")
    _check_structure([(k["id"], k.get("parent"), r, r) for r, k in kwargs], problems)
    if problems:
        raise errors.bad_codebook(source, problems.sorted())
    return Codebook(name, description, tuple(Theme(**k) for _, k in kwargs))


def _check_built(cb: Codebook) -> list[str]:
    """Validate a Codebook built in Python (no line numbers: themes are named by position)."""
    problems = _Problems("")
    if not isinstance(cb.name, str) or not cb.name.strip():
        problems.add(None, f"name must be non-empty text, not {_type_name(cb.name)}")
    if not isinstance(cb.description, str):
        problems.add(None, f"description must be text, not {_type_name(cb.description)}")
    if not isinstance(cb.meta, Mapping):
        problems.add(None, f"meta must be a mapping, not {_type_name(cb.meta)}")
    if not isinstance(cb.themes, tuple) or not cb.themes:
        problems.add(None, "no themes: a codebook needs at least one theme")
        return problems.sorted()
    items = []
    for i, theme in enumerate(cb.themes):
        if not isinstance(theme, Theme):
            problems.add(None, f"theme #{i + 1} is {_type_name(theme)}, not a Theme")
            continue
        raw = {k: getattr(theme, k) for k in THEME_KEYS}
        checked = _check_theme(raw, i, lambda _k: None, problems)
        if checked is not None:
            items.append((checked["id"], checked.get("parent"), None, None))
    _check_structure(items, problems)
    return problems.sorted()
