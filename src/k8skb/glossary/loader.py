"""Read YAML files into plain data, keeping a source position for every node.

Flow: bytes (a regular file of bounded size, ``bounded.read_bounded``) → text (UTF-8 or a problem;
no overlong line) → PyYAML node tree (``bounded.compose``: no anchors or aliases, bounded nesting;
syntax errors become problems with line and column) → plain Python data plus a ``Positions`` map
from each node's path to its ``Source``. Duplicate mapping keys, which PyYAML would silently
collapse, are reported here. Nothing in this module raises on bad input: every failure is returned
as a ``Problem``. ``irregular_files`` reports the ``*.yaml`` paths of a directory that are not
regular files (the listings skip them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from k8skb.glossary.bounded import (
    MAX_FILE_BYTES,
    RejectedInputError,
    check_line_lengths,
    check_regular,
    compose,
    read_bounded,
    too_large,
)
from k8skb.glossary.model import Source

_STR_TAG = "tag:yaml.org,2002:str"

PathKey = tuple[str | int, ...]
"""The path of a node inside a document: mapping keys and list indexes from the root."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """A problem found in an input file, as a value (turned into a message at the edge)."""

    source: Source
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.source}: {prefix}{self.message}"


class Positions:
    """Where each node of a document starts: path → ``Source``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._map: dict[PathKey, Source] = {}
        self._last_line: dict[PathKey, int] = {}

    def set(self, key: PathKey, source: Source) -> None:
        """Record the position of the node at ``key``."""
        self._map[key] = source

    def set_last_line(self, key: PathKey, line: int) -> None:
        """Record the last line the value at ``key`` occupies."""
        self._last_line[key] = line

    def lines(self, key: Iterable[str | int]) -> range:
        """Return the lines (1-based, inclusive range) the value at ``key`` occupies."""
        parts = tuple(key)
        first = self.of(parts).line
        return range(first, max(first, self._last_line.get(parts, first)) + 1)

    def of(self, key: Iterable[str | int]) -> Source:
        """Return the position of ``key``, or of its nearest recorded ancestor."""
        parts = tuple(key)
        while parts:
            if parts in self._map:
                return self._map[parts]
            parts = parts[:-1]
        return self._map.get((), Source(self.path, 1))


@dataclass(slots=True)
class YamlDocument:
    """The outcome of reading one YAML file: data (``None`` when unreadable), positions, problems."""

    path: str
    data: Any
    positions: Positions
    problems: list[Problem]


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it is inside it, else as given.

    Only the folder is resolved: a symbolic link is shown by its own name (its target may be
    missing, or a loop).
    """
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside; or a loop (RuntimeError before 3.13)
        return str(path)


def read_yaml(path: Path, shown_as: str | None = None) -> YamlDocument:
    """Read ``path`` as one YAML document; never raises for bad content."""
    name = shown_as or display_path(path)
    positions = Positions(name)
    try:
        raw = read_bounded(path)
    except RejectedInputError as exc:
        return YamlDocument(name, None, positions, [_rejection(name, exc)])
    return parse_yaml(raw, name)


def irregular_files(directory: Path, pattern: str = "*.yaml") -> list[Problem]:
    """Report each path of ``directory`` matching ``pattern`` that is not a regular file.

    FIFOs, devices, directories, dangling symbolic links and link loops are left out of the file
    listings (which keep only regular files), so without this they would be skipped in silence.
    Only ``stat`` is called: a FIFO is never opened.
    """
    problems = []
    for path in sorted(directory.glob(pattern)):
        try:
            check_regular(path)
        except RejectedInputError as exc:
            problems.append(_rejection(display_path(path), exc))
    return problems


def _rejection(name: str, exc: RejectedInputError) -> Problem:
    return Problem(Source(name, exc.line, exc.column), exc.message)


def parse_yaml(raw: bytes, name: str) -> YamlDocument:
    """Parse ``raw`` bytes (shown as ``name`` in problems) into a ``YamlDocument``."""
    positions = Positions(name)
    if len(raw) > MAX_FILE_BYTES:
        return YamlDocument(name, None, positions, [_rejection(name, too_large(len(raw)))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); save it as UTF-8"
        return YamlDocument(name, None, positions, [Problem(Source(name, line, column), msg)])
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "file is empty")])
    try:
        check_line_lengths(text)
        node = compose(text)
    except RejectedInputError as exc:
        return YamlDocument(name, None, positions, [_rejection(name, exc)])
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        msg = f"character {exc.character!r} is not allowed in YAML (line {line}); remove it"
        return YamlDocument(name, None, positions, [Problem(Source(name, line), msg)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 0)
        what = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc.context or ""):
            what = "more than one YAML document in the file ('---' separators are not allowed)"
        msg = f"YAML syntax error: {what} (line {line}, column {col})"
        return YamlDocument(name, None, positions, [Problem(Source(name, line, col), msg)])
    except yaml.YAMLError as exc:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), f"YAML error: {exc}")])
    except RecursionError:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "YAML is nested too deeply")])
    if node is None:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "file is empty")])
    builder = _Builder(name, positions)
    try:
        data = builder.build(node, ())
    except RecursionError:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "YAML is nested too deeply")])
    return YamlDocument(name, data, positions, builder.problems)


class _Builder:
    """Turns a PyYAML node tree into plain data, recording positions and duplicate keys."""

    def __init__(self, name: str, positions: Positions) -> None:
        self.name = name
        self.positions = positions
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._active: set[int] = set()

    def _source(self, node: yaml.Node) -> Source:
        return Source(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if not path:
            self.positions.set(path, self._source(node))
        value = self._build(node, path)
        self.positions.set_last_line(path, self._last_line(node))
        return value

    @staticmethod
    def _last_line(node: yaml.Node) -> int:
        """The last line a node's own text occupies (a block collection ends with its last child)."""
        seen: set[int] = set()
        while not isinstance(node, yaml.ScalarNode) and node.value and id(node) not in seen:
            seen.add(id(node))
            last = node.value[-1]
            node = last[1] if isinstance(last, tuple) else last
        end = node.end_mark
        return max(node.start_mark.line + 1, end.line + (1 if end.column else 0))

    def _build(self, node: yaml.Node, path: PathKey) -> Any:
        if id(node) in self._active:
            self.problems.append(Problem(self._source(node), "recursive YAML alias is not allowed"))
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, child in enumerate(node.value):
                    self.positions.set((*path, index), self._source(child))
                    items.append(self.build(child, (*path, index)))
                return items
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
        finally:
            self._active.discard(id(node))
        return None

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Source] = {}
        for key_node, value_node in node.value:
            key_source = self._source(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(key_source, "a mapping key must be a plain value, not a list or mapping")
                )
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in first_seen:
                self.problems.append(
                    Problem(
                        key_source,
                        f"duplicate key '{key}' (first at line {first_seen[key].line}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            first_seen[key] = key_source
            self.positions.set((*path, key), key_source)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:  # most values: no need for the constructor
            return node.value
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError) as exc:
            self.problems.append(Problem(self._source(node), f"cannot read value {node.value!r}: {exc}"))
            return node.value
