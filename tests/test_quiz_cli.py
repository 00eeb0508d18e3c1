"""``k8skb quiz`` with piped answers, ``k8skb quiz export``, and the progress file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from k8skb.quiz.answers import parse_answer, typed_answer
from k8skb.quiz.model import BankQuestion
from k8skb.quiz.schedule import select_questions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quiz"
SOURCES = ("--glossary", str(FIXTURES / "glossary"), "--quiz", str(FIXTURES / "quiz"))

Run = Callable[..., Any]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test's progress file in its own directory."""
    directory = tmp_path / "data"
    monkeypatch.setenv("K8SKB_DATA_DIR", str(directory))
    return directory


def export(run_cli: Run, tmp_path: Path, lang: str) -> dict[str, Any]:
    out = tmp_path / f"bank.{lang}.json"
    result = run_cli("quiz", "export", "--lang", lang, "--out", str(out), *SOURCES)
    assert result.code == 0, result.output
    bank: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return bank


def planned(bank: dict[str, Any], count: int, seed: int, category: str | None = None) -> list[BankQuestion]:
    """The questions the CLI will ask with empty progress (the selection is deterministic for a seed)."""
    pool = [q for q in bank["questions"] if category is None or q["category"] == category]
    return select_questions(pool, {}, 0, count, seed)


def wrong_answer(q: BankQuestion) -> str:
    """A readable but wrong answer line."""
    answer = q["answer"]
    if isinstance(answer, bool):
        return "f" if answer else "t"
    if isinstance(answer, int):
        return str((answer + 1) % len(q["choices"]) + 1)
    if q["kind"] == "multiple":
        return ",".join(str(i + 1) for i in range(len(q["choices"])) if i not in answer)
    return typed_answer({**q, "answer": list(reversed(answer))})  # type: ignore[typeddict-item]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_right_answers_score_full_marks(run_cli: Run, tmp_path: Path, lang: str) -> None:
    bank = export(run_cli, tmp_path, lang)
    questions = planned(bank, 10, seed=11)
    assert {q["kind"] for q in questions} == {"single", "multiple", "truefalse", "ordering", "matching"}
    answers = "\n".join(typed_answer(q) for q in questions) + "\n"
    result = run_cli("quiz", "--lang", lang, "--count", "10", "--seed", "11", *SOURCES, stdin=answers)
    assert result.code == 0, result.output
    assert result.out.rstrip().splitlines()[-1] == "Score: 10/10"
    assert "Traceback" not in result.output


def test_wrong_answers_lose_points_and_are_listed_for_review(run_cli: Run, tmp_path: Path) -> None:
    bank = export(run_cli, tmp_path, "en")
    questions = planned(bank, 6, seed=3)
    lines = [typed_answer(q) if i % 2 == 0 else wrong_answer(q) for i, q in enumerate(questions)]
    for q, line in zip(questions, lines, strict=True):
        assert parse_answer(q, line) is not None, (q["kind"], line)
    result = run_cli(
        "quiz", "--lang", "en", "--count", "6", "--seed", "3", *SOURCES, stdin="\n".join(lines) + "\n"
    )
    assert result.out.rstrip().splitlines()[-1] == "Score: 3/6"
    for i, q in enumerate(questions):
        assert (f"[{q['id']}]" in result.out) == (i % 2 == 1)


def test_input_ending_early_counts_the_rest_as_wrong(run_cli: Run, tmp_path: Path) -> None:
    bank = export(run_cli, tmp_path, "en")
    questions = planned(bank, 5, seed=8)
    stdin = typed_answer(questions[0]) + "\n" + typed_answer(questions[1]) + "\n"
    result = run_cli("quiz", "--lang", "en", "--count", "5", "--seed", "8", *SOURCES, stdin=stdin)
    assert result.code == 0
    assert result.out.rstrip().splitlines()[-1] == "Score: 2/5"
    assert run_cli("quiz", "--count", "3", *SOURCES, stdin="").out.rstrip().splitlines()[-1] == "Score: 0/3"


def test_unreadable_answers_count_as_wrong_without_stopping(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("quiz", "--lang", "en", "--count", "3", "--seed", "1", *SOURCES, stdin="zzz\n\n99\n")
    assert result.out.rstrip().splitlines()[-1] == "Score: 0/3"
    assert "could not read that answer" in result.out


def test_category_filter(run_cli: Run, tmp_path: Path) -> None:
    bank = export(run_cli, tmp_path, "ja")
    questions = planned(bank, 4, seed=2, category="service-type")
    assert questions and all(q["category"] == "service-type" for q in questions)
    stdin = "\n".join(typed_answer(q) for q in questions) + "\n"
    args = ("quiz", "--category", "service-type", "--count", "4", "--seed", "2", *SOURCES)
    result = run_cli(*args, stdin=stdin)
    assert result.out.rstrip().splitlines()[-1] == f"Score: {len(questions)}/{len(questions)}"


def test_progress_is_saved_and_review_asks_the_missed_questions(
    run_cli: Run, tmp_path: Path, data_dir: Path
) -> None:
    bank = export(run_cli, tmp_path, "en")
    questions = planned(bank, 4, seed=5)
    lines = [
        typed_answer(questions[0]),
        wrong_answer(questions[1]),
        typed_answer(questions[2]),
        wrong_answer(questions[3]),
    ]
    run_cli("quiz", "--lang", "en", "--count", "4", "--seed", "5", *SOURCES, stdin="\n".join(lines) + "\n")
    saved = json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))
    boxes = {qid: r["box"] for qid, r in saved["questions"].items()}
    assert boxes == {
        questions[0]["id"]: 2,
        questions[1]["id"]: 1,
        questions[2]["id"]: 2,
        questions[3]["id"]: 1,
    }
    due = max(r["due"] for r in saved["questions"].values() if r["box"] == 1)  # the missed ones are due
    review = select_questions(bank["questions"], saved["questions"], due, 10, 9, review_only=True)
    assert {q["id"] for q in review} == {questions[1]["id"], questions[3]["id"]}
    stdin = "\n".join(typed_answer(q) for q in review) + "\n"
    result = run_cli("quiz", "--lang", "en", "--review", "--seed", "9", *SOURCES, stdin=stdin)
    assert result.out.rstrip().splitlines()[-1] == "Score: 2/2"
    again = run_cli("quiz", "--lang", "en", "--review", *SOURCES, stdin="")
    assert "Nothing is due" in again.out and again.out.rstrip().splitlines()[-1] == "Score: 0/0"


def test_progress_is_shared_between_languages(run_cli: Run, tmp_path: Path, data_dir: Path) -> None:
    bank = export(run_cli, tmp_path, "ja")
    q = planned(bank, 1, seed=4)[0]
    run_cli("quiz", "--lang", "ja", "--count", "1", "--seed", "4", *SOURCES, stdin=wrong_answer(q) + "\n")
    result = run_cli(
        "quiz", "--lang", "en", "--review", "--seed", "4", *SOURCES, stdin=typed_answer(q) + "\n"
    )
    assert result.out.rstrip().splitlines()[-1] == "Score: 1/1"


@pytest.mark.parametrize(
    "content", [b"{broken", b"\xff\xfe\x00", b'{"version": 1, "questions": {"x": {"box": 0}}}']
)
def test_a_corrupted_progress_file_is_kept_aside_and_a_new_one_started(
    run_cli: Run, data_dir: Path, content: bytes
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "progress.json").write_bytes(content)
    result = run_cli("quiz", "--lang", "en", "--count", "2", "--seed", "1", *SOURCES, stdin="1\n1\n")
    assert result.code == 0
    assert "Traceback" not in result.output
    assert result.out.rstrip().splitlines()[-1].startswith("Score: ")
    (backup,) = data_dir.glob("progress.json.corrupt-*")
    assert backup.read_bytes() == content
    assert str(backup) in result.err.replace("\n", "")
    assert json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))["version"] == 1


FIVE = {f"gen:q{i}": {"box": 3, "due": 0, "seen": 2, "missed": 1} for i in range(5)}
"""Five records, the history a trailing comma must not throw away."""


@pytest.mark.parametrize(("lang", "words"), [("ja", "壊れて"), ("en", "corrupted")])
def test_a_learners_history_survives_a_trailing_comma_in_every_run(
    run_cli: Run, data_dir: Path, lang: str, words: str
) -> None:
    data_dir.mkdir(parents=True)
    progress = data_dir / "progress.json"
    texts = []
    for run in range(2):
        text = json.dumps({"version": 1, "questions": FIVE}, indent=1)[:-2] + f",{run}\n}}"
        progress.write_text(text, encoding="utf-8")
        texts.append(text)
        result = run_cli("quiz", "--lang", lang, "--count", "1", "--seed", "1", *SOURCES, stdin="1\n")
        assert result.code == 0, result.output
        assert words in result.err and ("リセット" in result.err) is False, result.err
        assert len(json.loads(progress.read_text(encoding="utf-8"))["questions"]) == 1
    backups = sorted(data_dir.glob("progress.json.corrupt-*"))
    assert sorted(b.read_text(encoding="utf-8") for b in backups) == sorted(texts), "no backup overwritten"
    assert any(str(backup) in result.err.replace("\n", "") for backup in backups), result.err


@pytest.mark.parametrize(("lang", "words"), [("ja", "フォルダー"), ("en", "folder")])
def test_a_folder_in_place_of_the_progress_file_stops_the_quiz_and_changes_nothing(
    run_cli: Run, data_dir: Path, lang: str, words: str
) -> None:
    (data_dir / "progress.json").mkdir(parents=True)
    (data_dir / "progress.json" / "keep.txt").write_text("mine", encoding="utf-8")
    for extra in ((), ("--progress",)):
        result = run_cli("quiz", "--lang", lang, "--count", "1", *extra, *SOURCES, stdin="1\n")
        assert result.code == 1, result.output
        assert words in result.err and str(data_dir / "progress.json") in result.err.replace("\n", "")
        assert not re.search(r"reset|リセット|corrupt|壊れ", result.err), result.err
        assert "Traceback" not in result.output and "Score:" not in result.out
    assert [p.name for p in data_dir.iterdir()] == ["progress.json"]
    assert (data_dir / "progress.json" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_export_to_stdout_and_errors(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("quiz", "export", "--lang", "en", "--out", "-", *SOURCES)
    assert result.code == 0 and json.loads(result.out)["lang"] == "en"
    bad = tmp_path / "badquiz"
    bad.mkdir()
    (bad / "x.yaml").write_text("- id: x\n  kind: single\n", encoding="utf-8")
    failed = run_cli(
        "quiz", "export", "--out", str(tmp_path / "o.json"), "--glossary", SOURCES[1], "--quiz", str(bad)
    )
    assert failed.code == 1 and "x.yaml:1:" in failed.err and not (tmp_path / "o.json").exists()
    missing = run_cli("quiz", "--glossary", str(tmp_path / "nowhere"), stdin="")
    assert missing.code == 1 and "does not exist" in missing.err


def test_usage_errors_exit_2(run_cli: Run) -> None:
    assert run_cli("quiz", "--count", "0", *SOURCES).code == 2
    assert run_cli("quiz", "--lang", "fr", *SOURCES).code == 2
    assert run_cli("quiz", "export", "--lang", "en").code == 2  # --out is required


def test_a_count_that_is_not_a_number_is_explained(run_cli: Run) -> None:
    for value, words in (("abc", "expected a whole number, got 'abc'"), ("0", "must be at least 1")):
        result = run_cli("quiz", "--count", value, *SOURCES)
        assert result.code == 2
        last = result.err.splitlines()[-1]
        assert last == f"k8skb quiz: error: argument --count: {words}", last


def test_markup_in_questions_is_printed_literally(run_cli: Run, tmp_path: Path) -> None:
    quiz = tmp_path / "q"
    quiz.mkdir()
    (quiz / "m.yaml").write_text(
        "- id: markup\n  kind: truefalse\n  terms: [pod]\n"
        "  prompt: {ja: '[bold red]x[/] です', en: '[bold red]x[/] is'}\n"
        "  answer: true\n  explanation: {ja: '[link]y', en: '[link]y'}\n",
        encoding="utf-8",
    )
    args = ("quiz", "--lang", "en", "--category", "resource", "--count", "30", "--seed", "1")
    result = run_cli(*args, "--glossary", SOURCES[1], "--quiz", str(quiz), stdin="")
    assert "[bold red]x[/] is" in result.out
