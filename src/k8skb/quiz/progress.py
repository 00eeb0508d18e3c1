"""The learner's progress for the terminal quiz: a JSON file of Leitner records by question id.

Flow: ``progress_file()`` finds the file (``$K8SKB_DATA_DIR`` or the user data directory) →
``load_progress`` reads it; a missing file is empty progress, an unreadable or malformed one is
reported (the caller prints the message) and replaced by empty progress, never a crash →
``save_progress`` writes it atomically after each answer. The document has the same shape as the
browser's ``localStorage`` entry: ``{"version": 1, "questions": {id: {box, due, seen, missed}}}``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from k8skb.fileio import write_text_atomic
from k8skb.quiz.schedule import INTERVALS_DAYS, Record

PROGRESS_VERSION = 1


def progress_file() -> Path:
    """The progress file: ``$K8SKB_DATA_DIR/progress.json`` or the platform's user data dir."""
    override = os.environ.get("K8SKB_DATA_DIR")
    base = Path(override) if override else Path(platformdirs.user_data_dir("k8skb", appauthor=False))
    return base / "progress.json"


def _valid_record(value: Any) -> bool:
    if not isinstance(value, dict) or set(value) != {"box", "due", "seen", "missed"}:
        return False
    if not all(isinstance(value[k], int) and not isinstance(value[k], bool) for k in value):
        return False
    return bool(1 <= value["box"] <= len(INTERVALS_DAYS) and value["seen"] >= 0 and value["missed"] >= 0)


def parse_progress(text: str) -> dict[str, Record] | None:
    """Return the records of a progress document, or ``None`` when it is malformed."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("version") != PROGRESS_VERSION:
        return None
    questions = data.get("questions")
    if not isinstance(questions, dict) or not all(_valid_record(v) for v in questions.values()):
        return None
    return {
        str(k): Record(box=v["box"], due=v["due"], seen=v["seen"], missed=v["missed"])
        for k, v in questions.items()
    }


def load_progress(path: Path) -> tuple[dict[str, Record], str | None]:
    """Read progress; return (records, warning). A corrupted file gives empty records and a warning."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{path}: cannot read progress ({exc}); starting afresh"
    records = parse_progress(text)
    if records is None:
        return {}, f"{path}: progress file is corrupted; it has been reset"
    return records, None


def save_progress(path: Path, records: dict[str, Record]) -> str | None:
    """Write progress atomically; return a warning instead of raising when it cannot be written."""
    document = {"version": PROGRESS_VERSION, "questions": records}
    try:
        write_text_atomic(path, json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as exc:
        return f"{path}: cannot save progress ({exc.strerror})"
    return None
