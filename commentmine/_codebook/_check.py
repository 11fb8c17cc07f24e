"""Validation: every problem of a theme and of the parent structure, collected at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from commentmine import errors
from commentmine._codebook._base import (
    _LIST_SEPARATORS,
    FORBIDDEN_ID_CHARS,
    RESERVED_IDS,
    THEME_KEYS,
    _split_list,
)


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
