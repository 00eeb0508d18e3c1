"""The terminal quiz wraps Japanese well: hanging indents, breaks between characters, kinsoku rules.

Rendered with rich's Console at a fixed width (60 and 110 columns) on every real question, as the
terminal quiz shows it (the question panel and the feedback after a wrong answer).
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
from k8skb.quiz.wrapping import NO_LINE_END, NO_LINE_START, break_lines, hanging_lines


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
