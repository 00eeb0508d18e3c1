"""Read glossary and quiz YAML within fixed bounds, so no file can stall a load.

Flow: ``check_regular`` stats the path (a FIFO, device, directory, dangling symbolic link or link
loop is refused before anything is opened, so a FIFO never blocks) → ``read_bounded`` opens it,
checks the opened file is still a regular file and reads at most ``MAX_FILE_BYTES + 1`` bytes →
``check_line_lengths`` refuses a line longer than ``MAX_LINE_CHARS`` → ``compose`` builds PyYAML's
node tree from the parser's events in a loop (no recursion), refusing anchors, aliases and
collections nested deeper than ``MAX_DEPTH`` at the event that breaks the rule. The glossary and
quiz formats need none of these, and an alias is what lets a small file expand exponentially (the
"billion laughs" shape). Every refusal is an ``RejectedInputError`` carrying a 1-based line and column;
``loader`` turns it into a ``file:line: message`` problem.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from k8skb.glossary.lines import EDITOR_BREAK

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest glossary or quiz file read (5 MiB); the largest real file is under 100 kB."""

MAX_LINE_CHARS = 10_000
"""The longest line accepted, in characters; real lines stay under 1,200."""

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings accepted; the formats need about five levels."""

_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about 10x faster); marks and errors are the same."""

_NO_BLOCK = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""Open flags: never wait on a file swapped for a FIFO after the check (where the flag exists)."""


class RejectedInputError(Exception):
    """A file refused before or while parsing: a message and the 1-based line and column it concerns."""

    def __init__(self, message: str, *, line: int = 1, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _kind(mode: int) -> str:
    """Name the kind of a non-regular file for a message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: Path) -> int:
    """Return the size of ``path`` if it is (or links to) a regular file; else raise ``RejectedInputError``.

    Only ``stat`` is called: nothing is opened, so a FIFO cannot block.
    """
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RejectedInputError("symbolic link loop; replace it with a regular file") from None
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            raise RejectedInputError("symbolic link to a missing file; remove it or fix its target") from None
        raise RejectedInputError(f"cannot read file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise RejectedInputError(
            f"{_kind(info.st_mode)}, not a regular file; glossary and quiz files must be files"
        )
    return info.st_size


def too_large(size: int) -> RejectedInputError:
    """The refusal of a file of ``size`` bytes, over ``MAX_FILE_BYTES``."""
    return RejectedInputError(
        f"file is {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,} bytes (5 MiB); split it"
    )


def read_bounded(path: Path) -> bytes:
    """Return the bytes of the regular file ``path``, at most ``MAX_FILE_BYTES``.

    Raises ``RejectedInputError`` for anything else: a non-regular file, a larger one, a read error.
    """
    size = check_regular(path)
    if size > MAX_FILE_BYTES:
        raise too_large(size)
    try:
        fd = os.open(path, os.O_RDONLY | _NO_BLOCK)
    except OSError as exc:
        raise RejectedInputError(f"cannot read file: {exc.strerror}") from None
    with open(fd, "rb", closefd=True) as handle:  # noqa: PTH123 (an already opened descriptor)
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):  # swapped since the check
            raise RejectedInputError(
                f"{_kind(mode)}, not a regular file; glossary and quiz files must be files"
            )
        try:
            raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise RejectedInputError(f"cannot read file: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:  # grew since the check
        raise too_large(len(raw))
    return raw


def check_line_lengths(text: str) -> None:
    """Raise ``RejectedInputError`` at the first line of ``text`` longer than ``MAX_LINE_CHARS``.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as an editor counts them.
    """
    if len(text) <= MAX_LINE_CHARS:
        return
    lines = EDITOR_BREAK.split(text) if "\r" in text else text.split("\n")
    if max(map(len, lines)) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise RejectedInputError(
                f"line is {len(line):,} characters long, more than the limit of {MAX_LINE_CHARS:,}; "
                "break it into shorter lines",
                line=number,
                column=MAX_LINE_CHARS + 1,
            )


def _rejected(message: str, mark: Any) -> RejectedInputError:
    """A refusal at ``mark`` (a PyYAML or libyaml mark, 0-based)."""
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 0)
    return RejectedInputError(message, line=line, column=column)


def compose(text: str) -> yaml.Node | None:
    """Parse ``text`` into one node tree (``None`` when it holds no document), within the bounds.

    Raises ``RejectedInputError`` for an anchor, an alias or nesting deeper than ``MAX_DEPTH``, and
    PyYAML's ``YAMLError`` for a syntax error or a second document.
    """
    loader: Any = _FastLoader(text)  # PyYAML's stubs leave the event methods untyped
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        root = _compose_document(loader.get_event, loader.resolve)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                root.start_mark,
                "but found another document",
                loader.get_event().start_mark,
            )
        return root
    finally:
        loader.dispose()


def _compose_document(next_event: Callable[[], Any], resolve: Callable[..., str]) -> yaml.Node:
    """Compose the nodes of one document from its events, in a loop (PyYAML's composer recurses).

    Events are dispatched on their exact type (the parser makes no subclasses): faster than a
    chain of ``isinstance`` checks on the hot path of every load.
    """
    open_nodes: list[Any] = []  # the collections being filled, outermost first
    pending_keys: list[yaml.Node | None] = []  # per open mapping: the key still waiting for its value
    while True:
        event = next_event()
        kind = type(event)
        node: yaml.Node
        if kind is _SCALAR:
            if event.anchor is not None:
                raise _anchor(event)
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            if not open_nodes:
                return node
        elif kind is _SEQUENCE_END or kind is _MAPPING_END:
            done = open_nodes.pop()
            pending_keys.pop()
            done.end_mark = event.end_mark
            if not open_nodes:
                return done  # type: ignore[no-any-return]
            continue
        elif kind is _SEQUENCE_START or kind is _MAPPING_START:
            if event.anchor is not None:
                raise _anchor(event)
            if len(open_nodes) >= MAX_DEPTH:
                raise _rejected(
                    f"YAML is nested more than {MAX_DEPTH} levels deep; flatten it", event.start_mark
                )
            node_kind = yaml.SequenceNode if kind is _SEQUENCE_START else yaml.MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(node_kind, None, event.implicit)
            node = node_kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        elif kind is _ALIAS:
            message = f"YAML alias '*{event.anchor}' is not allowed; write the value out in full"
            raise _rejected(message, event.start_mark)
        else:  # the parser sends nothing else inside a document
            raise _rejected(f"unexpected YAML event {kind.__name__}", event.start_mark)
        if open_nodes:
            parent = open_nodes[-1]
            if type(parent) is yaml.SequenceNode:
                parent.value.append(node)
            elif pending_keys[-1] is None:
                pending_keys[-1] = node
            else:
                parent.value.append((pending_keys[-1], node))
                pending_keys[-1] = None
        if kind is not _SCALAR:
            open_nodes.append(node)
            pending_keys.append(None)


_SCALAR = yaml.ScalarEvent
_ALIAS = yaml.AliasEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent


def _anchor(event: Any) -> RejectedInputError:
    message = (
        f"YAML anchor '&{event.anchor}' is not allowed; glossary and quiz files use no anchors or aliases"
    )
    return _rejected(message, event.start_mark)
