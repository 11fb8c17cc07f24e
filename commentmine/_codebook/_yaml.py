"""YAML in and out: the safe dumper, and parsing that keeps the line of every key."""

from __future__ import annotations

import re
from typing import Any

import yaml

from commentmine import errors


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
