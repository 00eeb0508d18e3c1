"""A hostile glossary file under ``mkdocs build`` and ``mkdocs serve``: an error, never a hang.

``build`` must end with exit != 0, the file:line message and no traceback. ``serve`` must print the
error, keep the previous build (no reload is announced to the open page) and rebuild on the next
good save. Timeouts are hang guards, not speed assertions.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from test_bounded_input import _laughs
from test_site_plugin import make_project

ENV = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
BUILD_GUARD = 120
"""Seconds a build may take before it counts as hung (a clean build of the small project takes a few)."""

LAUGHS_ERROR = "glossary/laughs.yaml:2: YAML anchor '&a0' is not allowed"


def test_mkdocs_build_stops_at_the_billion_laughs_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "glossary" / "laughs.yaml").write_text(_laughs(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=BUILD_GUARD,
        check=False,
        env=ENV,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert LAUGHS_ERROR in output, output
    assert "Traceback" not in output


def _save(path: Path, text: str) -> None:
    """Save ``text`` the way editors do: write a file beside the folder, then rename it into place."""
    draft = path.parent.parent / f".{path.name}.draft"
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)


class _Serve:
    """``mkdocs serve`` on a free local port, its log lines gathered by a reader thread."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=ENV,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = BUILD_GUARD) -> list[str]:
        """Wait for a log line containing ``text``; return the lines read meanwhile (it included)."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "mkdocs serve exited:\n" + "".join(self.log)
                continue
            seen.append(line)
            self.log.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no {text!r} within {timeout} s; log:\n" + "".join(self.log))

    def drain(self, seconds: float) -> list[str]:
        """Return the log lines printed during the next ``seconds``."""
        deadline = time.monotonic() + seconds
        seen: list[str] = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen.append(self.lines.get(timeout=left))
            except queue.Empty:
                break
        self.log.extend(seen)
        return seen

    def get(self, path: str) -> str:
        """Return the text served at ``path``."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=BUILD_GUARD) as reply:
            return str(reply.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_mkdocs_serve_prints_the_error_keeps_the_old_build_and_rebuilds_on_a_good_save(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path)
    terms = project / "glossary" / "terms.yaml"
    server = _Serve(project)
    try:
        server.wait_for("Serving on http://")
        first = server.get("/glossary/")
        epoch = re.search(r"livereload\((\d+),", first)
        assert epoch, "no livereload script on the page"

        bad = project / "glossary" / "laughs.yaml"
        _save(bad, _laughs())
        after_bad = server.wait_for("An error happened during the rebuild")
        after_bad += server.drain(seconds=2)
        text = "".join(after_bad)
        assert LAUGHS_ERROR in text, text
        assert "Traceback" not in text, text
        assert "Reloading browsers" not in text  # the open page is not reloaded: it keeps the previous build

        bad.unlink()
        old = "A set of machines made of a control plane and nodes."
        _save(terms, terms.read_text(encoding="utf-8").replace(old, "A fleet of machines rebuilt here."))
        after_good = "".join(server.wait_for("Reloading browsers"))
        assert "Traceback" not in after_good, after_good
        page = server.get("/en/glossary/")
        assert "A fleet of machines rebuilt here." in page
        new_epoch = re.search(r"livereload\((\d+),", page)
        assert new_epoch and int(new_epoch[1]) > int(epoch[1])
    finally:
        server.stop()
