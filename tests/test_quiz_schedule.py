"""Leitner scheduling, the shared random generator, question selection and the progress file."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8skb.quiz.progress import ProgressError, load_progress, parse_progress, save_progress
from k8skb.quiz.schedule import DAY_MS, INTERVALS_DAYS, Record, mulberry32, review, select_questions


def test_a_miss_goes_to_box_one_and_is_due_at_once() -> None:
    record = Record(box=4, due=0, seen=3, missed=0)
    after = review(record, False, 1000)
    assert after == Record(box=1, due=1000, seen=4, missed=1)


def test_correct_answers_climb_the_boxes_and_wait_longer() -> None:
    record = None
    waits = []
    for _ in range(6):
        record = review(record, True, 0)
        waits.append(record["due"] // DAY_MS)
    assert waits == [1, 3, 7, 14, 14, 14]
    assert record is not None and record["box"] == len(INTERVALS_DAYS)


def test_mulberry32_matches_the_reference_sequence() -> None:
    # First outputs of quiz.js's mulberry32 (measured in chromium and node).
    rng = mulberry32(1)
    assert [rng() for _ in range(3)] == [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]
    rng = mulberry32(4294967295)
    assert [rng() for _ in range(3)] == [0.8964226141106337, 0.189478256739676, 0.7156526781618595]


def question(i: int, kind: str) -> dict[str, object]:
    return {"id": f"q{i}", "kind": kind}


POOL = [question(i, kind) for i, kind in enumerate(["single"] * 6 + ["ordering"] * 2 + ["matching"] * 2)]


def test_selection_mixes_kinds_and_is_reproducible() -> None:
    picked = select_questions(POOL, {}, 0, 3, seed=5)
    assert sorted(str(q["kind"]) for q in picked) == ["matching", "ordering", "single"]
    assert picked == select_questions(POOL, {}, 0, 3, seed=5)


def test_due_questions_come_first_and_review_asks_only_them() -> None:
    now = 10 * DAY_MS
    progress = {
        "q0": Record(box=1, due=now, seen=1, missed=1),
        "q1": Record(box=5, due=now + DAY_MS, seen=5, missed=0),
    }
    for seed in range(20):
        picked = select_questions(POOL, progress, now, 10, seed)
        singles = [q["id"] for q in picked if q["kind"] == "single"]
        assert picked[0]["id"] == "q0" and singles[-1] == "q1"
    assert [q["id"] for q in select_questions(POOL, progress, now, 10, 1, review_only=True)] == ["q0"]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 15))
def test_selection_never_repeats_and_respects_count(seed: int, count: int) -> None:
    picked = select_questions(POOL, {}, 0, count, seed)
    ids = [q["id"] for q in picked]
    assert len(ids) == min(count, len(POOL)) and len(set(ids)) == len(ids)


def test_progress_round_trip_and_corruption(tmp_path: Path) -> None:
    path = tmp_path / "p" / "progress.json"
    assert load_progress(path) == ({}, None)
    records = {"gen:x": Record(box=2, due=5, seen=1, missed=0)}
    assert save_progress(path, records) is None
    assert load_progress(path) == (records, None)
    for bad in (
        "{not json",
        "[]",
        '{"version": 1, "questions": {"a": {"box": 9, "due": 0, "seen": 0, "missed": 0}}}',
        '{"version": 2, "questions": {}}',
        '{"version": 1, "questions": {"a": {"box": true}}}',
    ):
        path.write_text(bad, encoding="utf-8")
        loaded, warning = load_progress(path)
        assert loaded == {} and warning and "corrupted" in warning and not path.exists()
    assert parse_progress(json.dumps({"version": 1, "questions": {}})) == {}
    path.write_bytes(b"\xff\xfe")
    assert load_progress(path)[0] == {}


def test_a_corrupt_file_is_moved_aside_without_ever_overwriting_an_earlier_backup(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    now = dt.datetime(2026, 3, 1, 9, 5, 7)
    for n in range(3):
        path.write_text(f"{{broken {n}", encoding="utf-8")
        records, notice = load_progress(path, "ja", now)
        assert records == {} and notice and "壊れて" in notice and "リセット" not in notice
    names = [
        "progress.json.corrupt-20260301-090507",
        *(f"progress.json.corrupt-20260301-090507-{n}" for n in (2, 3)),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert [(tmp_path / name).read_text(encoding="utf-8") for name in names] == [
        f"{{broken {n}" for n in range(3)
    ]
    assert notice is not None and str(tmp_path / names[-1]) in notice


def test_a_corrupt_file_that_cannot_be_moved_aside_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.json"
    path.write_text("{broken", encoding="utf-8")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(ProgressError, match="Permission denied") as raised:
        load_progress(path, "en")
    assert "nothing was changed" in str(raised.value)
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]
    assert path.read_text(encoding="utf-8") == "{broken"


def test_a_folder_or_a_pipe_is_not_read_and_not_called_corrupt(tmp_path: Path) -> None:
    folder = tmp_path / "progress.json"
    folder.mkdir()
    with pytest.raises(ProgressError, match="is a folder") as raised:
        load_progress(folder, "en")
    assert "corrupt" not in str(raised.value) and "reset" not in str(raised.value)
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe" / "progress.json"
        pipe.parent.mkdir()
        os.mkfifo(pipe)
        with pytest.raises(ProgressError, match="通常のファイルではありません"):
            load_progress(pipe, "ja")  # would block forever if it were read
