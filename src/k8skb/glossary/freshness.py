"""Translation freshness per entry and per text, from git history.

kubernetes/website tracks whether a translation is current per file; here every text is a pair
(``ja``, ``en``) in one entry, so git can say more precisely when one side changed after the other.
Flow: ``git blame`` each glossary file once (time of the last commit touching each line; uncommitted
lines count as now) → for every localized text, the latest change of its ``ja`` lines and of its
``en`` lines → report the side that is older when the other changed later. Texts whose two sides
share a line (``{ja: …, en: …}``) cannot be told apart and are skipped. Commits listed in
``glossary/.translation-ignore-revs`` (a deliberate one-language change) are looked through.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from k8skb.glossary.loader import PathKey, Positions, read_yaml
from k8skb.glossary.model import Source


@dataclass(frozen=True, slots=True, kw_only=True)
class LineChange:
    """The last change of a line: the commit (``None`` when not committed yet) and its time."""

    commit: str | None
    timestamp: int

    @property
    def when(self) -> str:
        """The change's date (UTC), or 'uncommitted'."""
        if self.commit is None:
            return "uncommitted"
        return datetime.fromtimestamp(self.timestamp, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True, slots=True, kw_only=True)
class StaleText:
    """A text whose ``stale_lang`` side was last changed before the other side."""

    source: Source
    term_id: str
    field: str
    stale_lang: str
    stale: LineChange
    newer: LineChange

    def __str__(self) -> str:
        fresh = "en" if self.stale_lang == "ja" else "ja"
        return (
            f"{self.source}: {self.term_id} {self.field}: {fresh} changed ({self.newer.when}) after "
            f"{self.stale_lang} ({self.stale.when}); check the {self.stale_lang} text"
        )


IGNORE_REVS = ".translation-ignore-revs"
"""A file beside the glossary listing commits (one hash a line, ``#`` comments) that changed one
language on purpose, e.g. a typo fix; freshness looks through them, as ``git blame --ignore-revs-file``."""


def blame(path: Path) -> dict[int, LineChange] | None:
    """Return the last change of every line of ``path``, or ``None`` when git cannot tell."""
    ignore = path.parent / IGNORE_REVS
    extra = ["--ignore-revs-file", str(ignore.resolve())] if ignore.is_file() else []
    try:
        proc = subprocess.run(
            ["git", "blame", "--line-porcelain", *extra, "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:
        return None
    if proc.returncode != 0:
        return None
    return parse_blame(proc.stdout, now=int(time.time()))


def parse_blame(output: str, now: int) -> dict[int, LineChange]:
    """Parse ``git blame --line-porcelain`` output into line → last change."""
    changes: dict[int, LineChange] = {}
    commit: str | None = None
    line = 0
    stamp = now
    for row in output.splitlines():
        if row.startswith("\t"):
            changes[line] = LineChange(commit=commit, timestamp=stamp if commit else now)
            continue
        head = row.split(" ")
        if len(head) >= 3 and len(head[0]) == 40 and head[1].isdigit() and head[2].isdigit():
            commit = None if set(head[0]) == {"0"} else head[0]
            line = int(head[2])
        elif head[0] == "committer-time" and len(head) == 2 and head[1].isdigit():
            stamp = int(head[1])
    return changes


def _texts(value: Any, path: PathKey) -> Iterator[PathKey]:
    """Yield the path of every ``{ja, en}`` text inside ``value``."""
    if isinstance(value, dict):
        if set(value) == {"ja", "en"} and all(isinstance(v, str) for v in value.values()):
            yield path
            return
        for key, child in value.items():
            yield from _texts(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, (*path, index))


def _latest(lines: range, changes: dict[int, LineChange]) -> LineChange | None:
    known = [changes[n] for n in lines if n in changes]
    return max(known, key=lambda c: c.timestamp) if known else None


def _field(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def stale_texts_in_file(data: Any, positions: Positions, changes: dict[int, LineChange]) -> list[StaleText]:
    """Compare the two sides of every text of one file's entries."""
    found: list[StaleText] = []
    if not isinstance(data, list):
        return found
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            continue
        for path in _texts(entry, (index,)):
            ja_lines, en_lines = positions.lines((*path, "ja")), positions.lines((*path, "en"))
            if set(ja_lines) & set(en_lines):
                continue
            ja, en = _latest(ja_lines, changes), _latest(en_lines, changes)
            if ja is None or en is None or ja.commit == en.commit or ja.timestamp == en.timestamp:
                continue
            stale_lang, stale, newer = ("ja", ja, en) if ja.timestamp < en.timestamp else ("en", en, ja)
            where = positions.of((*path, stale_lang))
            found.append(
                StaleText(
                    source=where,
                    term_id=str(entry.get("id", "?")),
                    field=_field(path[1:]),
                    stale_lang=stale_lang,
                    stale=stale,
                    newer=newer,
                )
            )
    return found


def stale_texts(directory: Path) -> tuple[list[StaleText], list[str]]:
    """Return every possibly stale translation in the glossary files, and notes on files git cannot blame."""
    found: list[StaleText] = []
    notes: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        doc = read_yaml(path)
        changes = blame(path)
        if changes is None:
            notes.append(f"{doc.path}: not in a git repository (or not committed yet); freshness unknown")
            continue
        found.extend(stale_texts_in_file(doc.data, doc.positions, changes))
    return found, notes
