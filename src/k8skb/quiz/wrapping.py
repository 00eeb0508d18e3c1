"""Line breaking for the terminal quiz that suits Japanese as well as English.

Rich wraps text at spaces only, so a Japanese sentence (no spaces) is one long "word": it is pushed
to the next line whole, leaving "1." or "Docker" alone, then folded at an arbitrary character. Here a
line may break at a space, or between two characters when either is wide (CJK), except where
Japanese line-breaking rules (kinsoku shori) forbid it: no line starts with closing punctuation,
small kana or a prolonged sound mark (``、。）」ーっ`` …) and none ends with an opening bracket
(``（「`` …). Latin words are never split unless a word alone is wider than the line.

A line that starts with a list marker (``  1. ``, ``a) ``, ``- ``, ``✘ ``) gets a hanging indent: its
continuation lines start under the text, not under the marker.

``Wrapped`` is a rich renderable doing this at render time with the width rich offers (inside a
panel too), so the same output fits 60 columns and 110 columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

NO_LINE_START: Final = frozenset(
    "、。，．,.)）]］｝〕〉》」』】〙〗〟’”»・：；:;!！?？‼⁇⁈⁉…‥ー〜ゝゞ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
"""Characters that must not begin a line (closing brackets and punctuation, small kana, ー)."""

NO_LINE_END: Final = frozenset("(（[［｛〔〈《「『【〘〖〝‘“«")
"""Characters that must not end a line (opening brackets and quotes)."""

MARKER: Final = re.compile(r"^( *(?:\d+\.|[a-z]\)|[-•✔✘]) +)(?=\S)")
"""A list marker at the start of a line; the continuation lines are indented by its width."""

MIN_HANGING_WIDTH: Final = 12
"""Below this many columns for the text, a marker's line is wrapped without a hanging indent."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def can_break_before(text: str, index: int) -> bool:
    """Whether a line may start at ``text[index]`` (``0 < index < len(text)``)."""
    before, char = text[index - 1], text[index]
    if char == " ":
        return False
    if before == " ":
        return True
    if char in NO_LINE_START or before in NO_LINE_END:
        return False
    return _wide(before) or _wide(char)


def break_lines(text: str, width: int) -> list[str]:
    """Break one paragraph (no newlines) into lines of at most ``width`` cells (greedy, kinsoku-aware).

    Spaces at a break are dropped. A unit wider than the line (a very long Latin word) is folded.
    """
    width = max(width, 2)
    lines: list[str] = []
    start = 0
    while start < len(text):
        used = 0
        last_break = 0
        index = start
        while index < len(text):
            char = text[index]
            if index > start and can_break_before(text, index):
                last_break = index
            if char != " " and used + cell_len(char) > width:
                break
            used += cell_len(char)
            index += 1
        if index == len(text):
            lines.append(text[start:].rstrip(" "))
            break
        end = last_break if last_break > start else max(index, start + 1)
        lines.append(text[start:end].rstrip(" "))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    return lines or [""]


def hanging_lines(line: str, width: int) -> list[str]:
    """Wrap one line to ``width``; a line starting with a list marker gets a hanging indent."""
    marker = MARKER.match(line)
    indent = cell_len(marker.group(1)) if marker else 0
    if indent and width - indent < MIN_HANGING_WIDTH:
        indent = 0
    if not indent:
        return break_lines(line, width)
    assert marker is not None
    first, *rest = break_lines(line[len(marker.group(1)) :], width - indent)
    return [marker.group(1) + first, *(" " * indent + part for part in rest)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Wrapped:
    """Lines of text, each with a rich style, wrapped by ``hanging_lines`` to the width being rendered.

    The text is never parsed as markup, so glossary content cannot inject styles.
    """

    lines: tuple[tuple[str, str], ...]
    """(text, style) pairs; a text containing newlines is split into lines of the same style."""

    @classmethod
    def of(cls, *parts: tuple[str, str]) -> Wrapped:
        """Build from (text, style) pairs, splitting every text at its newlines."""
        return cls(lines=tuple((line, style) for text, style in parts for line in text.split("\n")))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield one unwrapped ``Text`` per output line, each fitting ``options.max_width``."""
        yield from _texts(self.lines, options.max_width)


def _texts(lines: Iterable[tuple[str, str]], width: int) -> Iterable[Text]:
    for line, style in lines:
        for part in hanging_lines(line, width):
            yield Text(part, style=style, no_wrap=True, overflow="ignore")
