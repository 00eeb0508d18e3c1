"""Writing output files: atomically (a temporary file beside the target, renamed into place) or in a child."""

from __future__ import annotations

import contextlib
import os
import queue
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


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


_WRITER = r"""
import os, struct, sys
read, out, failure = sys.stdin.buffer.read, sys.stdout, None
while True:
    head = read(9)
    if len(head) < 9:
        break
    kind, size, length = struct.unpack("<BII", head)
    path, data = os.fsdecode(read(size)), read(length)
    if kind == 1:
        out.write(("ok" if failure is None else "failed " + failure) + "\n")
        out.flush()
        failure = None
        continue
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        if failure is None:
            failure = " ".join(f"{path}: {exc}".split())
"""
"""The writer process: frames of (kind, path, data) on stdin; kind 1 asks for "ok" or the first failure."""

_PIPE_BYTES = 1 << 20
"""The pipe to the writer holds this much (Linux ``F_SETPIPE_SZ``)."""

_BATCH_BYTES = 1 << 20
"""Pages are handed to the feeding thread in batches of about this size (one system call each)."""

_QUEUED_BATCHES = 64
"""At most this many batches wait for the writer; then rendering waits (memory stays bounded)."""


class BackgroundWriter:
    """Writes files in a child process, so that rendering goes on while the disk works.

    ``write`` hands ``data`` for ``path`` to the writer (the parent directory is created);
    ``finish`` waits until everything handed over is written and returns the first failure as
    ``"path: error"`` (``None`` when all were written). Threads did this before, but a thread
    writing files needs the GIL back after every system call, and the rendering thread kept it:
    at 2,000 terms the writes fell seconds behind and the search indexing waited for them. Here
    the child is a small separate interpreter (no fork of the build's large heap); pages are
    joined into batches of about 1 MB, and one thread puts each batch into the pipe with one
    system call, so it needs the GIL once per batch, and rendering does not wait when the disk is
    slow (this VM's disk after a site was deleted) until 64 batches are queued.
    """

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WRITER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in, self._out = self._proc.stdin, self._proc.stdout
        with contextlib.suppress(ImportError, OSError, AttributeError):  # Linux only; a hint elsewhere
            import fcntl

            fcntl.fcntl(self._in.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(_QUEUED_BATCHES)
        self._pipe_broken = False
        self._broken: str | None = None
        self._feeder = threading.Thread(target=self._feed, name="k8skb-writer-feed", daemon=True)
        self._feeder.start()

    def write(self, path: str | Path, data: bytes) -> None:
        """Hand writing ``data`` to ``path`` to the writer."""
        name = os.fsencode(path)
        self._batch += (struct.pack("<BII", 0, len(name), len(data)), name, data)
        self._batch_bytes += len(name) + len(data) + 9
        if self._batch_bytes >= _BATCH_BYTES:
            self._hand_over()

    def finish(self) -> str | None:
        """Wait for every write handed over so far; return the first failure, or ``None``."""
        self._batch.append(struct.pack("<BII", 1, 0, 0))
        self._hand_over()
        if self._broken is None:
            reply = self._out.readline().decode("utf-8", "replace").strip()
            if reply != "ok":
                return reply.removeprefix("failed ") if reply.startswith("failed ") else self._died()
        return self._broken

    def close(self) -> None:
        """Let the writer finish what it was handed, then stop it."""
        self._hand_over()
        if self._feeder.is_alive():
            self._queue.put(None)
            self._feeder.join()
        if self._proc.returncode is None:
            self._proc.communicate()  # closes its input: it writes what is left and exits

    def _hand_over(self) -> None:
        if self._broken is not None:  # nothing reads the queue any more
            self._batch.clear()
        if self._batch:
            self._queue.put(b"".join(self._batch))
            self._batch.clear()
            self._batch_bytes = 0

    def _feed(self) -> None:
        """The feeding thread: each batch into the pipe (after a broken pipe, batches are dropped)."""
        fd = self._in.fileno()
        while (chunk := self._queue.get()) is not None:
            view = memoryview(chunk)
            while view and not self._pipe_broken:
                try:
                    view = view[os.write(fd, view) :]
                except OSError:
                    self._pipe_broken = True  # the writer died: finish() reports it

    def _died(self) -> str:
        if self._broken is None:
            self._proc.kill()
            self._queue.put(None)
            self._feeder.join()
            _, stderr = self._proc.communicate()
            detail = " ".join(stderr.decode("utf-8", "replace").split())[-300:]
            self._broken = f"the page writer stopped (exit {self._proc.returncode}) {detail}".strip()
        return self._broken


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
