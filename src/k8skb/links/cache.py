"""A cache of successful external checks, so a re-run only asks again about what expired or failed.

Flow: ``load`` reads the JSON file (a missing or unreadable file is an empty cache) → the external
check skips every target with a fresh entry → ``record`` stores new successes → ``save`` writes
the file atomically. Failures are never stored: they are checked again on every run.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from k8skb.fileio import write_text_atomic
from k8skb.links.types import Outcome, Severity

CACHE_VERSION = 1
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str) -> float:
    """Parse a duration such as ``90``, ``30s``, ``15m``, ``12h``, ``1d``, ``2w`` into seconds.

    Raises ``ValueError`` on anything else (the CLI turns it into a usage error).
    """
    match = _AGE.match(text)
    if not match:
        raise ValueError(f"invalid duration {text!r} (use e.g. 30s, 15m, 12h, 1d)")
    return float(match.group(1)) * _UNIT[match.group(2)]


@dataclass(slots=True)
class LinkCache:
    """Fresh successful outcomes by target URL, with the time each was checked."""

    max_age: float
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    now: float = field(default_factory=time.time)
    dropped: int = 0
    """How many entries of the file were unusable (and left out)."""

    def get(self, target: str) -> Outcome | None:
        """Return the cached outcome of ``target`` when it is younger than ``max_age``."""
        entry = self.entries.get(target)
        if entry is None or self.now - float(entry.get("checked", 0)) > self.max_age:
            return None
        severity = Severity.WARNING if entry.get("severity") == "warning" else Severity.ERROR
        return Outcome(
            ok=True,
            message=str(entry.get("message", "")),
            detail=str(entry.get("detail", "ok")),
            severity=severity,
            status=int(entry.get("status", 0)),
            final_url=entry.get("final_url"),
        )

    def record(self, target: str, outcome: Outcome) -> None:
        """Remember ``outcome`` for ``target`` if it is a success (failures are never cached)."""
        if not outcome.ok:
            self.entries.pop(target, None)
            return
        self.entries[target] = {
            "checked": self.now,
            "status": outcome.status,
            "message": outcome.message,
            "detail": outcome.detail,
            "severity": outcome.severity.value,
            "final_url": outcome.final_url,
        }


def load(path: Path, max_age: float) -> LinkCache:
    """Read the cache file; a missing, unreadable or foreign file gives an empty cache.

    An entry that is not what ``record`` writes is left out and counted in ``dropped``.
    """
    cache = LinkCache(max_age)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return cache
    if (
        isinstance(data, dict)
        and data.get("version") == CACHE_VERSION
        and isinstance(data.get("entries"), dict)
    ):
        for url, entry in data["entries"].items():
            if _valid(entry):
                cache.entries[url] = entry
            else:
                cache.dropped += 1
    return cache


def _valid(entry: object) -> bool:
    """True when ``entry`` has the fields and types ``record`` writes."""
    if not isinstance(entry, dict):
        return False
    number = (int, float)
    return (
        isinstance(entry.get("checked"), number)
        and not isinstance(entry.get("checked"), bool)
        and isinstance(entry.get("status", 0), int)
        and isinstance(entry.get("message", ""), str)
        and isinstance(entry.get("detail", "ok"), str)
        and isinstance(entry.get("final_url"), str | None)
    )


def save(path: Path, cache: LinkCache) -> None:
    """Write the cache file atomically (one line of compact JSON), dropping entries older than ``max_age``."""
    fresh = {
        k: v for k, v in cache.entries.items() if cache.now - float(v.get("checked", 0)) <= cache.max_age
    }
    document = {"version": CACHE_VERSION, "entries": dict(sorted(fresh.items()))}
    write_text_atomic(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
