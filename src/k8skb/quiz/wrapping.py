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

``WrappedTable`` is a rich table whose cells are ``Wrapped``: rich draws it, with column widths
chosen here (``fit_widths``) because rich's own choice ignores how narrow a column may get without
folding a word, and its text cells would wrap at spaces only and cut with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.table import Table
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
        """Yield one unwrapped ``Text`` per output line, each fitting ``options.max_width``.

        A right or centre justification asked for (by a table column) is applied to each line.
        """
        for text in _texts(self.lines, options.max_width):
            if options.justify in ("right", "center"):
                text.align(options.justify, options.max_width)
            yield text


def _texts(lines: Iterable[tuple[str, str]], width: int) -> Iterable[Text]:
    for line, style in lines:
        for part in hanging_lines(line, width):
            yield Text(part, style=style, no_wrap=True, overflow="ignore")


def unbreakable_width(text: str) -> int:
    """The width of the widest piece of ``text`` that ``break_lines`` never breaks (a word, a kinsoku pair).

    ``break_lines(text, unbreakable_width(text))`` folds nothing; any narrower width folds something.
    """
    widest = 0
    for line in text.split("\n"):
        start = 0
        for index in range(1, len(line) + 1):
            if index == len(line) or can_break_before(line, index):
                widest = max(widest, cell_len(line[start:index].strip(" ")))
                start = index
    return widest


def fit_widths(wanted: Sequence[int], floors: Sequence[Sequence[int]], available: int) -> list[int]:
    """Widths for columns sharing ``available`` cells: each its ``wanted`` width when they all fit.

    Otherwise the widest columns give up cells first, down to a common level, but none below its
    width in the first of ``floors`` (e.g. the widest word of the column: no word folded) while that
    fits; when it does not, the levelling goes on from there down to the next floor (e.g. the widest
    word of the rows alone: a header folds before a figure does), and last down to 2 cells (a wide
    character). Cells left over from the levelling go to the columns that want most.
    """
    caps = list(wanted)
    for tier in [*floors, [2] * len(caps)]:
        floor = [min(f, c) for f, c in zip(tier, caps, strict=True)]
        if sum(floor) <= available:
            return _level(caps, floor, available)
        caps = floor
    return caps


def _level(caps: list[int], floors: list[int], available: int) -> list[int]:
    """``max(floor, min(cap, level))`` for the highest level that fits, plus the cells left over."""

    def at(level: int) -> list[int]:
        return [max(floor, min(cap, level)) for cap, floor in zip(caps, floors, strict=True)]

    low, high = 0, max(caps, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if sum(at(middle)) <= available else (low, middle - 1)
    widths = at(low)
    spare = available - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: -caps[i]):
        if spare and widths[index] < caps[index]:
            widths[index] += 1
            spare -= 1
    return widths


@dataclass(frozen=True, slots=True, kw_only=True)
class WrappedTable:
    """A table of plain texts drawn by rich; every cell wraps like ``Wrapped`` and is never cut.

    At render time the columns get ``fit_widths`` of the width offered; below about three columns per
    table column the lines are cropped by the terminal.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footers: tuple[str, ...] | None = None
    justify: tuple[JustifyMethod, ...] = ()
    """Per column; columns without an entry are left-aligned."""
    title_justify: JustifyMethod = "center"

    def table(self, width: int) -> Table:
        """The rich table fitting ``width`` columns (borders and padding included)."""
        columns = [self.headers, *self.rows, *([self.footers] if self.footers else [])]
        texts = list(zip(*columns, strict=True))
        wanted = [max(cell_len(line) for text in column for line in text.split("\n")) for column in texts]
        words = [max(unbreakable_width(text) for text in column) for column in texts]
        row_words = [
            max((unbreakable_width(row[i]) for row in self.rows), default=0) for i in range(len(texts))
        ]
        borders_and_padding = 3 * len(self.headers) + 1
        widths = fit_widths(wanted, [words, row_words], width - borders_and_padding)
        table = Table(
            title=Text(self.title), title_justify=self.title_justify, show_footer=self.footers is not None
        )
        for index, header in enumerate(self.headers):
            table.add_column(
                _cell(header),
                footer=_cell(self.footers[index]) if self.footers else "",
                justify=self.justify[index] if index < len(self.justify) else "left",
                width=widths[index],
            )
        for row in self.rows:
            table.add_row(*(_cell(text) for text in row))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the table fitting ``options.max_width``."""
        yield self.table(options.max_width)


def _cell(text: str) -> Wrapped:
    return Wrapped(lines=tuple((line, "") for line in text.split("\n")))
