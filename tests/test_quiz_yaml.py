"""Validation of hand-written quiz files: every problem names its file and line."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from k8skb.glossary import Glossary, load_glossary
from k8skb.quiz.handwritten import load_quiz_dir
from k8skb.quiz.validate import validate_quiz_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quiz"

GOOD = """\
- id: good-one
  kind: single
  terms: [kubelet]
  prompt: {ja: 問題, en: Question}
  choices:
    - {ja: 一, en: One}
    - {ja: 二, en: Two}
  answer: 2
  explanation: {ja: 説明, en: Explanation}
"""


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    result = load_glossary(FIXTURES / "glossary")
    assert result.glossary is not None
    return result.glossary


@pytest.fixture
def quiz_dir(tmp_path: Path) -> Callable[..., Path]:
    def write(**files: str) -> Path:
        directory = tmp_path / "quiz"
        directory.mkdir(exist_ok=True)
        for name, text in files.items():
            (directory / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        return directory

    return write


def messages(directory: Path, glossary: Glossary | None) -> list[str]:
    problems, _count = validate_quiz_dir(directory, glossary)
    return [str(p) for p in problems]


def test_a_valid_file_has_no_problems(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    directory = quiz_dir(a=GOOD)
    assert validate_quiz_dir(directory, glossary) == ([], 1)
    question = load_quiz_dir(directory, glossary).questions[0]
    assert question.category == "node" and question.origin == "handwritten"
    assert question.choices[question.answer].en == "Two"  # type: ignore[index]


def test_answer_index_out_of_range(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(quiz_dir(a=GOOD.replace("answer: 2", "answer: 3")), glossary)
    assert any(m.startswith("quiz/a.yaml:8:") or "a.yaml:8:" in m for m in found), found
    assert any("answer 3 is out of range" in m for m in found)


def test_answer_zero_is_out_of_range_too(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(quiz_dir(a=GOOD.replace("answer: 2", "answer: 0")), glossary)
    assert any("a.yaml:8:" in m and "out of range" in m for m in found), found


def test_unknown_term_id_with_suggestion(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(quiz_dir(a=GOOD.replace("terms: [kubelet]", "terms: [kubelett]")), glossary)
    assert any("a.yaml:3:" in m and "unknown term id 'kubelett'" in m and "kubelet" in m for m in found), (
        found
    )


def test_unknown_terms_are_not_checked_without_a_glossary(quiz_dir: Callable[..., Path]) -> None:
    assert messages(quiz_dir(a=GOOD.replace("terms: [kubelet]", "terms: [nope]")), None) == []


def test_duplicate_id_across_files(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(quiz_dir(a=GOOD, b="# another file\n" + GOOD), glossary)
    assert any(
        "b.yaml:2:" in m and "duplicate question id 'good-one'" in m and "a.yaml:1" in m for m in found
    ), found


def test_missing_english(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(
        quiz_dir(a=GOOD.replace("prompt: {ja: 問題, en: Question}", "prompt: {ja: 問題}")), glossary
    )
    assert any("a.yaml:4:" in m and "missing 'en'" in m for m in found), found


def test_duplicate_choices_raw_html_and_duplicate_keys(
    quiz_dir: Callable[..., Path], glossary: Glossary
) -> None:
    text = GOOD.replace("{ja: 二, en: Two}", "{ja: 一, en: <b>One</b>}").replace(
        "  answer: 2\n", "  answer: 2\n  answer: 1\n"
    )
    found = messages(quiz_dir(a=text), glossary)
    assert any("a.yaml:7:" in m and "raw HTML '<b>'" in m for m in found), found
    assert any("a.yaml:9:" in m and "duplicate key 'answer'" in m for m in found), found
    repeat = messages(quiz_dir(a=GOOD.replace("{ja: 二, en: Two}", "{ja: 一, en: Two}")), glossary)
    assert any("a.yaml:7:" in m and "repeats choice 1" in m and "(ja)" in m for m in repeat), repeat


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("kind: single", "kind: essay", 2, "unknown kind 'essay'"),
        ("id: good-one", "id: Good One", 1, "not a lowercase slug"),
        ("  answer: 2\n", "  answer: [1, 2]\n", 8, "answer must be a choice number"),
        ("  answer: 2\n", "  answer: 2\n  colour: red\n", 9, "unknown field 'colour'"),
        ("  terms: [kubelet]\n", "", 1, "missing field 'terms'"),
        ("kind: single", "kind: truefalse", 5, "field 'choices' is not used by kind 'truefalse'"),
    ],
)
def test_other_mistakes_are_reported_at_their_line(
    quiz_dir: Callable[..., Path], glossary: Glossary, old: str, new: str, line: int, fragment: str
) -> None:
    found = messages(quiz_dir(a=GOOD.replace(old, new)), glossary)
    assert any(f"a.yaml:{line}:" in m and fragment in m for m in found), found


def test_matching_and_ordering_shapes(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    text = """\
    - id: m
      kind: matching
      terms: [pod]
      prompt: {ja: 問, en: Q}
      pairs:
        - {left: {ja: a, en: a}}
      explanation: {ja: 説, en: E}
    - id: o
      kind: ordering
      terms: [pod]
      prompt: {ja: 問, en: Q}
      choices: [{ja: 一, en: one}, {ja: 二, en: two}]
      answer: 1
      explanation: {ja: 説, en: E}
    """
    found = messages(quiz_dir(a=text), glossary)
    assert any("a.yaml:5:" in m and "needs 'pairs'" in m for m in found), found
    assert any("a.yaml:13:" in m and "'answer' is not used by kind 'ordering'" in m for m in found), found


def test_syntax_error_and_wrong_top_level(quiz_dir: Callable[..., Path], glossary: Glossary) -> None:
    found = messages(quiz_dir(a="- id: [unclosed\n", b="id: not-a-list\n"), glossary)
    assert any("a.yaml:" in m and "YAML syntax error" in m for m in found), found
    assert any("b.yaml:1:" in m and "must be a list" in m for m in found), found


def test_the_fixture_quiz_file_is_valid(glossary: Glossary) -> None:
    assert validate_quiz_dir(FIXTURES / "quiz", glossary) == ([], 5)


def test_validate_command_reports_quiz_problems(
    quiz_dir: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    directory = quiz_dir(a=GOOD.replace("answer: 2", "answer: 9"))
    result = run_cli("validate", "--glossary", str(FIXTURES / "glossary"), "--quiz", str(directory))
    assert result.code == 1  # type: ignore[attr-defined]
    assert "a.yaml:8: answer 9 is out of range" in result.out  # type: ignore[attr-defined]
