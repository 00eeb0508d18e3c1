"""Writing output files safely: to a temporary file beside the target, then renamed into place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` to ``target`` so that readers never see a half-written file.

    ``"-"`` writes to standard output. The parent directory is created when missing.
    """
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file private (0600); give it the mode a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BackgroundWriter:
    """Writes files on worker threads so that rendering goes on while the disk works.

    ``write`` queues ``data`` for ``path`` (the parent directory is created); ``finish`` waits for
    every queued write and returns the first failure as ``"path: error"`` (``None`` when all were
    written). The kernel does the work of a write without the GIL, so on a slow disk (4,000 term
    pages took 3–7 s of a build to write) the writes overlap the next pages' rendering.
    """

    def __init__(self, workers: int = 2) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="k8skb-write")
        self._pending: list[tuple[str, Any]] = []

    def write(self, path: str | Path, data: bytes) -> None:
        """Queue writing ``data`` to ``path``."""
        target = os.fspath(path)
        self._pending.append((target, self._pool.submit(write_bytes, target, data)))

    def finish(self) -> str | None:
        """Wait for every queued write; return the first failure, or ``None``."""
        problem = None
        for path, future in self._pending:
            error = future.exception()
            if error is not None and problem is None:
                problem = f"{path}: {error}"
        self._pending.clear()
        return problem

    def close(self) -> None:
        """Wait for the queued writes and stop the worker threads."""
        self._pool.shutdown(wait=True)


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path``, creating its folder when missing.

    Few Python steps between the system calls (no pathlib): on a writer thread, every step holds the
    GIL that the rendering thread is waiting for.
    """
    try:
        handle = open(path, "wb")  # noqa: PTH123, SIM115 (no pathlib here; closed below)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)  # noqa: PTH103, PTH120
        handle = open(path, "wb")  # noqa: PTH123, SIM115
    with handle:
        handle.write(data)
