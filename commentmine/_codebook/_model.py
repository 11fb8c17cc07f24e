"""The Theme and Codebook classes, and codebooks built from YAML data or spreadsheet rows."""

from __future__ import annotations

import functools
import hashlib
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from commentmine import errors
from commentmine._codebook._base import (
    _COLUMN_ALIASES,
    CODEBOOK_KEYS,
    THEME_KEYS,
    CodebookWarning,
    Lemmatizer,
    _as_tuple,
    default_label,
)
from commentmine._codebook._check import (
    _check_structure,
    _check_theme,
    _Problems,
    _type_name,
    _unknown_key,
)
from commentmine._codebook._keywords import KeywordPattern, compile_keywords
from commentmine._codebook._yaml import _Dumper, _NoLines, _parse_yaml, _YamlLines


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
