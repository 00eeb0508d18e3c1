"""The terminal quiz wraps Japanese well: hanging indents, breaks between characters, kinsoku rules.

Rendered with rich's Console at a fixed width (60 and 110 columns) on every real question, as the
terminal quiz shows it (the question panel and the feedback after a wrong answer); and the tables
(``k8skb quiz --progress``, ``k8skb stats``) at 40, 60 and 80 columns: their cells wrap the same way.
"""

from __future__ import annotations

import io
import re
from functools import cache
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from helpers import REPO
from k8skb.glossary.validate import load_glossary
from k8skb.quiz.bank import all_questions, build_bank
from k8skb.quiz.terminal import feedback, render
from k8skb.quiz.wrapping import (
    NO_LINE_END,
    NO_LINE_START,
    break_lines,
    can_break_before,
    fit_widths,
    hanging_lines,
    unbreakable_width,
)


def test_a_line_never_starts_with_closing_punctuation_or_small_kana() -> None:
    assert break_lines("あいうえお、かきくけこ", 10) == ["あいうえ", "お、かきく", "けこ"]
    assert break_lines("コンテナのレプリカ数", 10) == ["コンテナの", "レプリカ数"]
    assert break_lines("あいうえっと", 8) == ["あいう", "えっと"]
    assert break_lines("ああああー", 8) == ["あああ", "あー"]


def test_a_line_never_ends_with_an_opening_bracket() -> None:
    assert break_lines("あいう「えお」", 8) == ["あいう", "「えお」"]


def test_latin_words_stay_whole_and_japanese_follows_them_on_the_line() -> None:
    assert break_lines("Docker Engineに組み込まれた", 14) == ["Docker Engine", "に組み込まれた"]
    assert break_lines("Docker Engineに組み込まれた", 17) == ["Docker Engineに組", "み込まれた"]
    assert break_lines("a Kubernetes cluster", 12) == ["a Kubernetes", "cluster"]
    assert break_lines("supercalifragilistic", 8) == ["supercal", "ifragili", "stic"], "too long: folded"


def test_a_numbered_line_hangs_its_continuation_under_the_text() -> None:
    assert hanging_lines("  1. あいうえおかきくけこさしすせそ", 20) == [
        "  1. あいうえおかき",
        "     くけこさしすせ",
        "     そ",
    ]
    assert hanging_lines("  b) Service", 20) == ["  b) Service"]
    assert hanging_lines("✘ 不正解です。 正解: 3. Docker Engineに組み込まれた", 24) == [
        "✘ 不正解です。 正解: 3.",
        "  Docker Engineに組み込",
        "  まれた",
    ]


def test_the_narrowest_width_that_folds_nothing() -> None:
    for text in (
        "プラットフォームとほかのオーケストレーター",
        "Platforms and other orchestrators",
        "コンポーネント",
    ):
        narrowest = unbreakable_width(text)
        assert not _folds(text, break_lines(text, narrowest))
        assert _folds(text, break_lines(text, narrowest - 1))
    assert unbreakable_width("オーケストレーター") == 4 and unbreakable_width("a (「b」)") == 7


def test_columns_shrink_widest_first_and_fold_words_last() -> None:
    assert fit_widths([30, 8, 6], [[10, 4, 2]], 50) == [30, 8, 6], "everything fits"
    assert fit_widths([30, 8, 6], [[10, 4, 2]], 30) == [16, 8, 6], "the widest gives up cells first"
    assert fit_widths([30, 8, 6], [[10, 4, 2]], 20) == [10, 5, 5], "down to a level, not below a word"
    assert fit_widths([30, 8, 6], [[10, 8, 6], [10, 2, 2]], 20) == [10, 5, 5], "headers fold first"
    assert fit_widths([30, 8, 6], [[10, 8, 6], [10, 2, 2]], 8) == [4, 2, 2], "then every word"


@cache
def _bank(lang: str) -> dict[str, Any]:
    glossary = load_glossary(REPO / "glossary").glossary
    assert glossary is not None
    questions, _ = all_questions(glossary, REPO / "quiz", 0)
    return dict(build_bank(glossary, questions, lang))


def _screen(lang: str, width: int) -> list[list[str]]:
    """Every question as the terminal shows it at ``width`` columns: its lines, panel and feedback."""
    bank = _bank(lang)
    categories = {c["id"]: c["label"] for c in bank["categories"]}
    screens = []
    for question in bank["questions"]:
        console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)
        console.print(render(question, 1, 10, bank["ui"], categories))
        console.print(feedback(question, False, bank["ui"], bank["terms"], None))
        assert isinstance(console.file, io.StringIO)
        screens.append(console.file.getvalue().splitlines())
    return screens


def _inside(line: str) -> str:
    """A line without the panel's side borders."""
    return line[2:-2] if line.startswith("│ ") and line.endswith(" │") else line


MARKER_ONLY = re.compile(r"^ +(\d+\.|[a-z]\))\s*$")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [60, 110])
def test_every_real_question_fits_and_wraps_well(lang: str, width: int) -> None:
    screens = _screen(lang, width)
    assert len(screens) > 50
    wrapped_choices = 0
    for lines in screens:
        for number, line in enumerate(lines):
            text = _inside(line)
            assert cell_len(line) <= width, line
            assert not MARKER_ONLY.match(text), "a marker alone on its line:\n" + "\n".join(lines)
            stripped = text.strip()
            if stripped:
                assert stripped[0] not in NO_LINE_START, f"kinsoku: line starts with {stripped[0]!r}: {line}"
                assert stripped[-1] not in NO_LINE_END, f"kinsoku: line ends with {stripped[-1]!r}: {line}"
            choice = re.match(r"^(  \d+\. )\S", text)
            if choice and lines[number + 1].startswith("│ "):
                following = _inside(lines[number + 1])
                if following.strip() and not re.match(r"^  (\d+\.|[a-z]\)) ", following):
                    wrapped_choices += 1
                    hang = " " * len(choice.group(1))
                    assert following.startswith(hang) and following[len(hang)] != " ", (
                        "a wrapped choice continues under its text:\n" + "\n".join(lines)
                    )
    if width == 60:
        assert wrapped_choices > 20, "long choices wrap at 60 columns"


def test_japanese_is_broken_between_characters_not_only_at_spaces() -> None:
    screen = "\n".join("\n".join(_inside(line) for line in lines) for lines in _screen("ja", 60))
    assert re.search(r"Docker Engineに組み込まれている、Docker自身の", screen)
    assert re.search(r"Docker Swarm\(Swarmモード\)はDocker Engineに組み込まれた", screen)
    assert "\nEngineに組み込まれ" not in screen


def _table(output: str) -> dict[str, list[list[list[str]]]]:
    """A rich table as printed: per section (header, body, footer), its rows, each a list of cells,
    each the lines of that cell (padding removed); a body row starts where its last cell has text."""
    sections: dict[str, list[list[list[str]]]] = {"header": [], "body": [], "footer": []}
    section = ""
    for line in output.splitlines():
        if line.startswith(("┏", "┡", "├", "└")):
            section = {"┏": "header", "┡": "body", "├": "footer", "└": ""}[line[0]]
            continue
        if not section or not line.startswith(("│", "┃")):
            continue
        cells = [cell[1:-1] for cell in re.split(r"[│┃]", line)[1:-1]]
        rows = sections[section]
        if not rows or (section == "body" and cells[-1].strip()):
            rows.append([[] for _ in cells])
        for lines, cell in zip(rows[-1], cells, strict=True):
            lines.append(cell)
    return sections


def _folds(text: str, lines: list[str]) -> list[str]:
    """The lines of ``text`` that end inside a word (where ``can_break_before`` forbids a break)."""
    folded, position = [], 0
    for number, line in enumerate(lines):
        while text[position] == " ":
            position += 1
        assert text.startswith(line, position), (text, lines)
        if number and not can_break_before(text, position):
            folded.append(lines[number - 1])
        position += len(line)
    return folded


def _check_cells(output: str, width: int, expected: list[list[str]], *, whole_words: bool) -> None:
    """Every line fits ``width``; nothing is cut with an ellipsis; each cell holds its text of
    ``expected`` (header, body rows, footer in order) broken as ``break_lines`` breaks it, and with
    ``whole_words`` never inside a word (a Latin word, or Japanese where kinsoku forbids it)."""
    assert "…" not in output, output
    assert all(cell_len(line) <= width for line in output.splitlines()), output
    table = _table(output)
    rows = [row for section in ("header", "body", "footer") for row in table[section]]
    assert len(rows) == len(expected), output
    for row, texts in zip(rows, expected, strict=True):
        for lines, text in zip(row, texts, strict=True):
            column = cell_len(lines[0])
            shown = [line.strip() for line in lines if line.strip()]
            assert shown == break_lines(text, column), f"{text!r} at {column} columns:\n{output}"
            if whole_words:
                assert not _folds(text, shown), f"{text!r} folded at {column} columns:\n{output}"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [40, 60, 80])
def test_quiz_progress_table_wraps_like_the_quiz(
    run_cli: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, lang: str, width: int
) -> None:
    from k8skb.glossary.taxonomy import CATEGORIES
    from k8skb.quiz.mastery import GROUPS, WORDS

    monkeypatch.setenv("K8SKB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("quiz", "--progress", "--lang", lang, "--glossary", str(REPO / "glossary"))
    assert result.code == 0, result.output
    glossary = load_glossary(REPO / "glossary").glossary
    assert glossary is not None
    counts = {c.id: len(glossary.in_category(c.id)) for c in CATEGORIES}
    words = WORDS[lang]
    expected = [
        [words["category"], *(words[g] for g in GROUPS)],
        *([getattr(c.label, lang), "0", "0", str(counts[c.id]), "0"] for c in CATEGORIES),
        [words["total"], "0", "0", str(sum(counts.values())), "0"],
    ]
    _check_cells(result.out, width, expected, whole_words=width >= 60)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_stats_tables_wrap_like_the_quiz(run_cli: Any, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    from k8skb.glossary.stats import glossary_stats
    from k8skb.glossary.taxonomy import CATEGORIES

    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("stats", "--glossary", str(REPO / "glossary"))
    assert result.code == 0, result.output
    glossary = load_glossary(REPO / "glossary").glossary
    assert glossary is not None
    stats = glossary_stats(glossary)
    by_category = result.out[: result.out.index("per language")]
    _check_cells(
        by_category,
        width,
        [
            ["category", "terms"],
            *([f"{c.id} ({c.label.ja} / {c.label.en})", str(stats.per_category[c.id])] for c in CATEGORIES),
        ],
        whole_words=True,
    )
    per_language = result.out[result.out.index("per language") :].split("\nwithout")[0]
    keys = list(next(iter(stats.per_language.values())))
    _check_cells(
        per_language,
        width,
        [["lang", *keys], *([lang, *(str(v) for v in c.values())] for lang, c in stats.per_language.items())],
        whole_words=width >= 80,
    )
