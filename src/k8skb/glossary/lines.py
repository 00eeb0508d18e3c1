"""Line numbers as an editor shows them, for positions that YAML counts differently.

YAML 1.1 (PyYAML and libyaml alike) ends a line at ``\\n``, ``\\r\\n`` and ``\\r``, and also at NEL
(U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). Editors, ``git`` and ``grep``
show those three as characters inside a line (most show nothing at all), so a position taken from a
YAML mark lands one line further down for every such character above it. Every ``file:line`` the
loader reports is an *editor* line: lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only; columns count
characters from 1. The three extra separators are reported as problems of their own
(``invisible_separators``), since a reader cannot see them.

libyaml's reader errors give a byte offset into the UTF-8 text rather than a character offset,
so the loader never uses that offset: ``disallowed_characters`` finds the characters YAML refuses
itself, with the same rule as both readers.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

EDITOR_BREAK = re.compile(r"\r\n|\r|\n")
"""A line end as editors count it."""

YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""A line end as YAML 1.1 counts it (PyYAML's and libyaml's scanners)."""

YAML_ONLY_BREAKS = "\x85\u2028\u2029"
"""The line ends YAML counts and editors do not."""

DISALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character YAML 1.1 does not accept in a stream (the readers' printable set, inverted)."""

_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BACKSPACE",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}

MAX_REPORTED = 10
"""At most this many problems are reported per file for the characters below (the rest are counted)."""


def describe(char: str) -> str:
    """Name a character for a message: ``U+0000 (NUL)``."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "control character"
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


class LineMap:
    """Converts YAML's 0-based (line, column) marks of one text into editor positions (1-based)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.same = not any(ch in text for ch in YAML_ONLY_BREAKS)
        """True when YAML and an editor count the same lines (nearly every file): no work to do."""
        self._yaml_starts: list[int] | None = None
        self._editor_starts: list[int] | None = None

    def _editor(self) -> list[int]:
        if self._editor_starts is None:
            self._editor_starts = [0, *(m.end() for m in EDITOR_BREAK.finditer(self.text))]
        return self._editor_starts

    def _yaml(self) -> list[int]:
        if self._yaml_starts is None:
            self._yaml_starts = [0, *(m.end() for m in YAML_BREAK.finditer(self.text))]
        return self._yaml_starts

    def at_offset(self, offset: int) -> tuple[int, int]:
        """The editor (line, column), both 1-based, of the character at ``offset``."""
        starts = self._editor()
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of YAML's 0-based ``line`` and ``column``."""
        starts = self._yaml()
        return starts[min(max(line, 0), len(starts) - 1)] + max(column, 0)

    def position(self, line: int, column: int) -> tuple[int, int]:
        """The editor (line, column), both 1-based, of YAML's 0-based ``line`` and ``column``."""
        if self.same:
            return line + 1, column + 1
        return self.at_offset(self.offset(line, column))

    def last_line(self, start: tuple[int, int], end: tuple[int, int]) -> int:
        """The last editor line (1-based) a span of YAML marks occupies (``end`` is exclusive)."""
        if self.same:
            return max(start[0] + 1, end[0] + (1 if end[1] else 0))
        first = self.offset(*start)
        return self.at_offset(max(first, self.offset(*end) - 1))[0]


def _found(text: str, pattern: re.Pattern[str], lines: LineMap) -> Iterator[tuple[int, int, str]]:
    for match in pattern.finditer(text):
        line, column = lines.at_offset(match.start())
        yield line, column, match.group()


def disallowed_characters(text: str, lines: LineMap) -> list[tuple[int, int, str]]:
    """Every character of ``text`` that YAML refuses: (editor line, column, character)."""
    if DISALLOWED.search(text) is None:
        return []
    return list(_found(text, DISALLOWED, lines))


def invisible_separators(text: str, lines: LineMap) -> list[tuple[int, int, str]]:
    """Every NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR of ``text``: (editor line, column, character)."""
    if lines.same:
        return []
    return list(_found(text, re.compile(f"[{YAML_ONLY_BREAKS}]"), lines))
