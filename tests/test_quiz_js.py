"""quiz.js and the Python quiz share one schedule: run quiz.js under node and compare (skip without node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from k8skb.glossary import load_glossary
from k8skb.quiz.answers import is_correct
from k8skb.quiz.bank import all_questions, build_bank
from k8skb.quiz.schedule import Record, review, select_questions

HERE = Path(__file__).resolve().parent
QUIZ_JS = HERE.parent / "docs" / "assets" / "quiz.js"
FIXTURES = HERE / "fixtures" / "quiz"

SCRIPT = """
const lib = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {
  selections: input.cases.map(c =>
    lib.selectQuestions(input.questions, input.progress, c.now, c.count, c.seed, c.review).map(q => q.id)),
  reviews: input.reviews.map(r => lib.review(r.record, r.correct, r.now, input.intervals)),
  correct: input.questions.map(q => lib.isCorrect(q, q.answer)),
};
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if not found:
        pytest.skip("node is not installed")
    return found


def test_quiz_js_selects_and_schedules_exactly_like_python(node: str, tmp_path: Path) -> None:
    glossary = load_glossary(FIXTURES / "glossary").glossary
    assert glossary is not None
    questions, _ = all_questions(glossary, FIXTURES / "quiz", 0)
    bank = build_bank(glossary, questions, "en")
    qs = bank["questions"]
    day = 86_400_000
    progress = {
        qs[0]["id"]: Record(box=1, due=5 * day, seen=2, missed=2),
        qs[3]["id"]: Record(box=3, due=9 * day, seen=3, missed=0),
        qs[7]["id"]: Record(box=2, due=1 * day, seen=1, missed=0),
    }
    cases = [
        {"now": 6 * day, "count": c, "seed": s, "review": r}
        for s in (0, 1, 42, 2**32 - 1)
        for c in (1, 5, 10, 500)
        for r in (False, True)
    ]
    reviews = [
        {"record": rec, "correct": ok, "now": 123456789}
        for rec in (
            None,
            progress[qs[0]["id"]],
            progress[qs[3]["id"]],
            Record(box=5, due=0, seen=9, missed=1),
        )
        for ok in (True, False)
    ]
    payload = {
        "questions": qs,
        "progress": progress,
        "cases": cases,
        "reviews": reviews,
        "intervals": bank["leitner"]["intervals_days"],
    }
    script = tmp_path / "drift.js"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run(
        [node, str(script), str(QUIZ_JS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = json.loads(proc.stdout)
    expected = [
        [q["id"] for q in select_questions(qs, progress, c["now"], c["count"], c["seed"], c["review"])]  # type: ignore[arg-type]
        for c in cases
    ]
    assert out["selections"] == expected
    assert out["reviews"] == [review(r["record"], r["correct"], r["now"]) for r in reviews]  # type: ignore[arg-type]
    assert out["correct"] == [is_correct(q, q["answer"]) for q in qs] == [True] * len(qs)


SPANS = """
const lib = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.map((t) => lib.spans(t))));
"""


def test_quiz_js_finds_code_spans_as_commonmark_does(node: str, tmp_path: Path) -> None:
    """spans() gives [text, code, text, …]: a run of n backticks closes only with a run of n, an
    unpaired one stays literal, one space is stripped from both ends, a line break is a space."""
    cases = {
        "Run `helm rollback` now": ["Run ", "helm rollback", " now"],
        "no code": ["no code"],
        "a lone ` stays": ["a lone ` stays"],
        "``a ` b`` c": ["", "a ` b", " c"],
        "` padded `": ["", "padded", ""],
        "`a`b`c`": ["", "a", "b", "c", ""],
        "`<b>x</b>`": ["", "<b>x</b>", ""],
        "``` open `` x": ["``` open `` x"],
        "a `line\nbreak` b": ["a ", "line break", " b"],
        "ends with `": ["ends with `"],
    }
    script = tmp_path / "spans.js"
    script.write_text(SPANS, encoding="utf-8")
    proc = subprocess.run(
        [node, str(script), str(QUIZ_JS)],
        input=json.dumps(list(cases)),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(proc.stdout) == list(cases.values())
