"""The learner's progress for the terminal quiz: a JSON file of Leitner records by question id.

Flow: ``progress_file()`` finds the file (``$K8SKB_DATA_DIR`` or the user data directory) →
``load_progress`` reads it → ``save_progress`` writes it atomically after each answer. The document
has the same shape as the browser's ``localStorage`` entry:
``{"version": 1, "questions": {id: {box, due, seen, missed}}}``.

What ``load_progress`` does with a file it cannot use (the learner's history is never thrown away):

- missing: empty progress, no message;
- corrupt (not UTF-8, not JSON, not the shape above): the file is moved aside to
  ``progress.json.corrupt-YYYYMMDD-HHMMSS`` (``-2``, ``-3``… when that name is taken; an earlier
  backup is never overwritten), progress starts empty, and the message says where the copy is;
- not a regular file (a folder, a pipe), unreadable (permissions), or corrupt but impossible to move
  aside: ``ProgressError``, nothing is changed. The quiz stops before asking anything rather than
  playing a session it could not record: the learner would lose exactly the answers the progress
  file exists to keep, ``--review`` would wrongly find nothing due, and the cause is one the learner
  has to fix anyway (the message says what it is).

Messages are in the interface language (``MESSAGES``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any, Final

import platformdirs

from k8skb.fileio import write_text_atomic
from k8skb.quiz.schedule import INTERVALS_DAYS, Record

PROGRESS_VERSION = 1

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "ja": {
        "corrupt": (
            "保存されていた学習記録が壊れていて、読み込めませんでした。"
            "元のファイルを {backup} に残し、新しい学習記録を始めます。"
        ),
        "folder": (
            "学習記録を読み込めません。{path} がファイルではなく、フォルダーになっています。"
            "何も変更していません。このフォルダーを移動するか、"
            "環境変数 K8SKB_DATA_DIR で別の保存先を指定してから、もう一度実行してください。"
        ),
        "not_a_file": (
            "学習記録を読み込めません。{path} が通常のファイルではありません。"
            "何も変更していません。これを移動するか、"
            "環境変数 K8SKB_DATA_DIR で別の保存先を指定してから、もう一度実行してください。"
        ),
        "unreadable": "学習記録 {path} を読み込めません（{reason}）。何も変更していません。",
        "no_backup": (
            "保存されていた学習記録 {path} が壊れていますが、控えを残せませんでした（{reason}）。"
            "記録を失わないよう、何も変更せずに終了します。"
        ),
    },
    "en": {
        "corrupt": (
            "Your saved progress was corrupted and could not be read. The file was kept as {backup}; "
            "a new progress record is started."
        ),
        "folder": (
            "Cannot read your saved progress: {path} is a folder, not a file. Nothing was changed. "
            "Move the folder away, or choose another place with the K8SKB_DATA_DIR environment "
            "variable, and run again."
        ),
        "not_a_file": (
            "Cannot read your saved progress: {path} is not a regular file. Nothing was changed. "
            "Move it away, or choose another place with the K8SKB_DATA_DIR environment variable, "
            "and run again."
        ),
        "unreadable": "Cannot read your saved progress {path} ({reason}). Nothing was changed.",
        "no_backup": (
            "Your saved progress {path} is corrupted, and a copy of it could not be kept ({reason}). "
            "To lose nothing, nothing was changed and the quiz stops."
        ),
    },
}
"""What ``load_progress`` says, by interface language."""


class ProgressError(Exception):
    """The progress file cannot be used and was left as it is; ``str()`` is the message for the learner."""


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


def load_progress(
    path: Path, lang: str = "en", now: dt.datetime | None = None
) -> tuple[dict[str, Record], str | None]:
    """Read progress; return (records, notice). See the module docstring for each kind of bad file.

    A corrupt file is moved aside (named with ``now``, local time by default) and gives empty
    records and a notice naming the copy; a file that cannot be read raises ``ProgressError``.
    """
    words = MESSAGES[lang]
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise ProgressError(words["unreadable"].format(path=path, reason=_reason(exc))) from exc
    if stat.S_ISDIR(mode):
        raise ProgressError(words["folder"].format(path=path))
    if not stat.S_ISREG(mode):
        raise ProgressError(words["not_a_file"].format(path=path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise ProgressError(words["unreadable"].format(path=path, reason=_reason(exc))) from exc
    try:
        records = parse_progress(data.decode("utf-8"))
    except UnicodeDecodeError:
        records = None
    if records is not None:
        return records, None
    try:
        backup = keep_aside(path, now or dt.datetime.now().astimezone())
    except OSError as exc:
        raise ProgressError(words["no_backup"].format(path=path, reason=_reason(exc))) from exc
    return {}, words["corrupt"].format(backup=backup)


def keep_aside(path: Path, now: dt.datetime) -> Path:
    """Move ``path`` to ``<name>.corrupt-YYYYMMDD-HHMMSS`` beside it (``-2``… if taken); return the new path.

    An existing file is never overwritten: a hard link fails when the name is taken, then the original
    name is removed. Where hard links are not supported, the file is renamed to a name checked to be
    free.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    attempt = 0
    while True:
        attempt += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}" + (f"-{attempt}" if attempt > 1 else ""))
        if backup.exists() or backup.is_symlink():
            continue
        try:
            os.link(path, backup)
        except FileExistsError:
            continue
        except OSError:
            path.rename(backup)
            return backup
        try:
            path.unlink()
        except OSError:
            backup.unlink(missing_ok=True)
            raise
        return backup


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def save_progress(path: Path, records: dict[str, Record]) -> str | None:
    """Write progress atomically; return a warning instead of raising when it cannot be written."""
    document = {"version": PROGRESS_VERSION, "questions": records}
    try:
        write_text_atomic(path, json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n")
    except OSError as exc:
        return f"{path}: cannot save progress ({exc.strerror})"
    return None
