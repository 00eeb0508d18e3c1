"""The registry of question kinds: it covers every kind the formats know, and each entry works end to end."""

from __future__ import annotations

import re
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO
from k8skb.glossary import Glossary, load_glossary
from k8skb.quiz.answers import format_answer, is_correct, parse_answer, typed_answer
from k8skb.quiz.bank import all_questions, build_bank
from k8skb.quiz.handwritten import FIELDS, load_quiz_dir
from k8skb.quiz.kinds import KIND, KINDS, REGISTRY
from k8skb.quiz.model import BankQuestion
from k8skb.quiz.words import FROM_KINDS, UI

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quiz"


@cache
def fixture_glossary() -> Glossary:
    result = load_glossary(FIXTURES / "glossary")
    assert result.glossary is not None
    return result.glossary


@cache
def fixture_bank(lang: str) -> dict[str, Any]:
    questions, problems = all_questions(fixture_glossary(), FIXTURES / "quiz", seed=3)
    assert not problems
    return build_bank(fixture_glossary(), questions, lang)


def test_the_registry_covers_every_kind_of_the_hand_written_format() -> None:
    text = (REPO / "quiz" / "FORMAT.md").read_text(encoding="utf-8")
    listed = re.search(r"kind: \S+\s+# ([a-z |]+)", text)
    assert listed is not None
    in_comment = [k.strip() for k in listed.group(1).split("|")]
    in_table = re.findall(r"^\| `([a-z]+)` \|", text, flags=re.MULTILINE)
    assert in_comment == in_table == list(KINDS)


def test_the_registry_covers_every_kind_the_site_quiz_renders() -> None:
    script = (REPO / "docs" / "assets" / "quiz.js").read_text(encoding="utf-8")
    assert set(re.findall(r"""kind === "([a-z]+)\"""", script)) == set(KINDS)


def test_the_bank_lists_every_registered_kind_and_only_those() -> None:
    bank = fixture_bank("en")
    assert bank["kinds"] == list(KINDS) == [kind.name for kind in REGISTRY]
    assert {q["kind"] for q in bank["questions"]} == set(KINDS)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_kind_brings_its_hint_and_prompt_words(lang: str) -> None:
    ui = UI[lang]
    assert FROM_KINDS not in ui.values()
    for kind in REGISTRY:
        assert ui[f"{kind.name}_hint"] == kind.hint.get(lang) != ""
        assert ui[f"prompt_{kind.name}"] == kind.prompt.get(lang) != ""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_answer_typed_as_shown_is_read_back_as_correct(lang: str) -> None:
    for question in fixture_bank(lang)["questions"]:
        typed = typed_answer(question)
        assert is_correct(question, parse_answer(question, typed)), (question["id"], typed)
        assert format_answer(question, UI[lang])


def test_a_wrong_or_unreadable_answer_is_not_correct() -> None:
    for question in fixture_bank("ja")["questions"]:
        assert not is_correct(question, None)
        assert parse_answer(question, "zz") is None
        if question["kind"] == "truefalse":
            flipped: BankQuestion = {**question, "answer": not question["answer"]}
            assert not is_correct(question, parse_answer(question, typed_answer(flipped)))


def test_hand_written_fields_are_the_shared_ones_plus_each_kinds_own() -> None:
    assert {"choices", "answer", "pairs", "shuffle"} <= FIELDS
    for kind in REGISTRY:
        assert kind.fields <= FIELDS


def test_a_field_of_another_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        textwrap.dedent(
            """\
            - id: tf-with-pairs
              kind: truefalse
              terms: [kubelet]
              prompt: {ja: 文, en: Statement}
              answer: true
              pairs: []
              explanation: {ja: 説明, en: Explanation}
            """
        ),
        encoding="utf-8",
    )
    problems = load_quiz_dir(tmp_path, fixture_glossary()).problems
    assert [p.message for p in problems] == [
        "field 'pairs' is not used by kind 'truefalse' (question 'tf-with-pairs')"
    ]


def test_the_cli_help_lists_one_answer_format_per_kind(run_cli: Any) -> None:
    result = run_cli("quiz", "--help")
    assert result.code == 0
    for kind in REGISTRY:
        assert f"  {kind.label:<16} {kind.example}" in result.output


def test_kinds_are_looked_up_by_their_own_name() -> None:
    assert all(KIND[kind.name] is kind for kind in REGISTRY)
    assert len(KIND) == len(REGISTRY)
