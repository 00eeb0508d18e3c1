"""Progress by term (``quiz.mastery``) and ``k8skb quiz --progress``: mastered, learning, never seen, due."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import FIXTURES, CliResult
from k8skb.quiz.mastery import category_progress, end_of_today_ms
from k8skb.quiz.model import BankQuestion
from k8skb.quiz.schedule import Record

DAY = 86_400_000


def _q(qid: str, *terms: str) -> BankQuestion:
    return BankQuestion(id=qid, terms=list(terms))  # type: ignore[typeddict-item]


def test_a_term_is_mastered_only_when_every_answered_question_is_in_box_4_or_higher() -> None:
    questions = [_q("q1", "pod"), _q("q2", "pod", "node"), _q("q3", "node"), _q("q4", "service")]
    records = {
        "q1": Record(box=5, due=10 * DAY, seen=4, missed=0),
        "q2": Record(box=4, due=10 * DAY, seen=3, missed=0),
        "q3": Record(box=2, due=DAY - 1, seen=1, missed=0),
    }
    (row,) = category_progress([("cat", ["pod", "node", "service", "kubelet"])], questions, records, DAY)
    assert row.mastered == ("pod",)
    assert row.learning == ("node",)
    assert row.unseen == ("service", "kubelet")
    assert row.due == ("node",)
    (later,) = category_progress([("cat", ["pod", "node"])], questions, records, 11 * DAY)
    assert later.due == ("pod", "node")


def test_the_end_of_today_is_the_next_local_midnight() -> None:
    tz = dt.timezone(dt.timedelta(hours=9))
    now = dt.datetime(2026, 3, 1, 23, 59, tzinfo=tz)
    assert end_of_today_ms(now) == int(dt.datetime(2026, 3, 2, tzinfo=tz).timestamp() * 1000)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("K8SKB_DATA_DIR", str(directory))
    return directory


SOURCES = ("--glossary", str(FIXTURES / "glossary" / "valid"), "--quiz", str(FIXTURES / "quiz"))


@pytest.mark.parametrize(("lang", "header"), [("ja", "習得済み"), ("en", "Mastered")])
def test_quiz_progress_prints_the_figures_of_the_store(
    run_cli: Callable[..., CliResult], tmp_path: Path, data_dir: Path, lang: str, header: str
) -> None:
    out = tmp_path / "bank.json"
    assert run_cli("quiz", "export", "--lang", lang, "--out", str(out), *SOURCES).code == 0
    bank = json.loads(out.read_text(encoding="utf-8"))
    pod = [q["id"] for q in bank["questions"] if q["terms"] == ["pod"]]
    assert pod
    data_dir.mkdir()
    records = {qid: {"box": 5, "due": 2**50, "seen": 4, "missed": 0} for qid in pod}
    (data_dir / "progress.json").write_text(
        json.dumps({"version": 1, "questions": records}), encoding="utf-8"
    )
    result = run_cli("quiz", "--progress", "--lang", lang, *SOURCES)
    assert result.code == 0, result.output
    assert header in result.out
    rows = {
        cells[0]: cells[1:]
        for line in result.out.splitlines()
        if (cells := [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]) and len(cells) == 5
    }
    resource = bank["categories"][[c["id"] for c in bank["categories"]].index("resource")]["label"]
    assert rows[resource] == ["1", "0", "0", "0"], rows
    total = "合計" if lang == "ja" else "Total"
    assert rows[total][:1] == ["1"] and rows[total][3] == "0"
    assert "Score:" not in result.out, "--progress asks nothing"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_quiz_progress_shows_only_the_chosen_category(
    run_cli: Callable[..., CliResult], data_dir: Path, lang: str
) -> None:
    every = run_cli("quiz", "--progress", "--lang", lang, *SOURCES)
    result = run_cli("quiz", "--progress", "--lang", lang, "--category", "resource", *SOURCES)
    assert every.code == 0 and result.code == 0, result.output
    labels = {"ja": ("リソース", "アーキテクチャ"), "en": ("Resources", "Architecture")}[lang]
    assert all(label in every.out for label in labels), every.out
    assert labels[0] in result.out and labels[1] not in result.out, result.out
    total = "合計" if lang == "ja" else "Total"
    (footer,) = [line for line in result.out.splitlines() if total in line]
    assert [c.strip() for c in footer.split("│")[2:-1]] == ["0", "0", "1", "0"], result.out
