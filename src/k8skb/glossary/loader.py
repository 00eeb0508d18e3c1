"""Read YAML files into plain data, keeping a source position for every node.

Flow: bytes (a regular file of bounded size, ``bounded.read_bounded``) → text (UTF-8 or a problem;
no character YAML refuses, no overlong line) → PyYAML node tree (``bounded.compose``: no anchors or
aliases, bounded nesting; syntax errors become problems with line and column) → plain Python data
plus a ``Positions`` map from each node's path to its ``Source``. Duplicate mapping keys, which
PyYAML would silently collapse, are reported here. Nothing in this module raises on bad input:
every failure is returned as a ``Problem``. Lines are counted as an editor shows them
(``lines.LineMap``): the NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR that YAML also takes for line
ends are problems of their own and do not shift the lines after them. ``irregular_files`` reports
the ``*.yaml`` paths of a directory that are not regular files (the listings skip them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from k8skb.glossary.lines import (
    MAX_REPORTED,
    LineMap,
    describe,
    disallowed_characters,
    invisible_separators,
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
    """Parse ``raw`` bytes (shown as ``name`` in problems) into a ``YamlDocument``.

    Every line in a problem or a position is an editor line (``lines.LineMap``).
    """
    positions = Positions(name)
    if len(raw) > MAX_FILE_BYTES:
        return YamlDocument(name, None, positions, [_rejection(name, too_large(len(raw)))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8").removeprefix("\ufeff")  # valid up to the first bad byte
        line, column = LineMap(before).at_offset(len(before))
        msg = f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); save it as UTF-8"
        return YamlDocument(name, None, positions, [Problem(Source(name, line, column), msg)])
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "file is empty")])
    lines = LineMap(text)
    refused = disallowed_characters(text, lines)
    if refused:
        return YamlDocument(name, None, positions, _character_problems(name, refused, _disallowed_message))
    try:
        check_line_lengths(text)
    except RejectedInputError as exc:  # at an editor line already
        return YamlDocument(name, None, positions, [_rejection(name, exc)])
    try:
        node = compose(text)
    except RejectedInputError as exc:  # at a YAML mark
        line, col = lines.position(exc.line - 1, exc.column - 1) if exc.column else (exc.line, exc.column)
        return YamlDocument(name, None, positions, [Problem(Source(name, line, col), exc.message)])
    except yaml.reader.ReaderError as exc:  # not expected: disallowed_characters applies the same rule
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        offset = text.find(char)
        line, col = lines.at_offset(offset) if offset >= 0 else (1, 0)
        msg = f"character {describe(char)} is not allowed in YAML; remove it"
        return YamlDocument(name, None, positions, [Problem(Source(name, line, col), msg)])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = lines.position(mark.line, mark.column) if mark else (1, 0)
        what = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc.context or ""):
            what = "more than one YAML document in the file ('---' separators are not allowed)"
        msg = f"YAML syntax error: {what} (line {line}, column {col})"
        return YamlDocument(
            name,
            None,
            positions,
            [*_separator_problems(name, text, lines), Problem(Source(name, line, col), msg)],
        )
    except yaml.YAMLError as exc:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), f"YAML error: {exc}")])
    except RecursionError:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "YAML is nested too deeply")])
    separators = _separator_problems(name, text, lines)
    if node is None:
        return YamlDocument(name, None, positions, [*separators, Problem(Source(name, 1), "file is empty")])
    builder = _Builder(name, positions, lines)
    try:
        data = builder.build(node, ())
    except RecursionError:
        return YamlDocument(name, None, positions, [Problem(Source(name, 1), "YAML is nested too deeply")])
    return YamlDocument(name, data, positions, [*separators, *builder.problems])


def _disallowed_message(char: str, column: int) -> str:
    return f"character {describe(char)} at column {column} is not allowed in YAML; remove it"


def _separator_message(char: str, column: int) -> str:
    return (
        f"invisible line break {describe(char)} at column {column}: YAML ends the line there, editors "
        "show nothing; replace it with a space or a real line break"
    )


def _separator_problems(name: str, text: str, lines: LineMap) -> list[Problem]:
    """A problem for each NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (invisible in an editor)."""
    return _character_problems(name, invisible_separators(text, lines), _separator_message)


def _character_problems(
    name: str, found: list[tuple[int, int, str]], message: Callable[[str, int], str]
) -> list[Problem]:
    """One problem per character found, the first ``MAX_REPORTED`` of them, then how many more."""
    problems = [
        Problem(Source(name, line, col), message(char, col)) for line, col, char in found[:MAX_REPORTED]
    ]
    if len(found) > MAX_REPORTED:
        line, col, _ = found[MAX_REPORTED]
        more = len(found) - MAX_REPORTED
        problems.append(Problem(Source(name, line, col), f"{more} more such character(s) after this point"))
    return problems


class _Builder:
    """Turns a PyYAML node tree into plain data, recording positions and duplicate keys."""

    def __init__(self, name: str, positions: Positions, lines: LineMap) -> None:
        self.name = name
        self.positions = positions
        self.lines = lines
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._active: set[int] = set()

    def _source(self, node: yaml.Node) -> Source:
        mark = node.start_mark
        if self.lines.same:  # nearly every file: YAML's lines are the editor's
            return Source(self.name, mark.line + 1, mark.column + 1)
        return Source(self.name, *self.lines.position(mark.line, mark.column))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if not path:
            self.positions.set(path, self._source(node))
        value = self._build(node, path)
        self.positions.set_last_line(path, self._last_line(node))
        return value

    def _last_line(self, node: yaml.Node) -> int:
        """The last line a node's own text occupies (a block collection ends with its last child)."""
        seen: set[int] = set()
        while not isinstance(node, yaml.ScalarNode) and node.value and id(node) not in seen:
            seen.add(id(node))
            last = node.value[-1]
            node = last[1] if isinstance(last, tuple) else last
        start, end = node.start_mark, node.end_mark
        return self.lines.last_line((start.line, start.column), (end.line, end.column))

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
