"""Test helpers shared by the test modules (import as ``from helpers import ...``)."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliResult:
    """What one CLI run produced."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """Standard output and standard error together."""
        return self.out + self.err


PROJECT_PARTS = ("docs", "overrides", "glossary", "quiz", "mkdocs.yml")
"""What a build of the real site needs from the repository."""


def copy_project(dest: Path) -> Path:
    """Copy the real project (pages, overrides, glossary, quiz, mkdocs.yml) into ``dest``."""
    import shutil

    for name in PROJECT_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy(source, dest / name)
    return dest


def unavailable(what: str, reason: str) -> NoReturn:
    """Skip the test because ``what`` cannot run here, or fail it under ``CI=true`` (CI never skips)."""
    import os

    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} cannot run in CI: {reason}")
    pytest.skip(reason)


def zensical_missing() -> str | None:
    """Why the Zensical build cannot run here (``None`` when it can)."""
    import shutil
    import sys

    if shutil.which("zensical-i18n", path=str(Path(sys.executable).parent)) is None:
        return "zensical-i18n is not installed (pip install -e '.[zensical]')"
    return None


def build_with_zensical(project: Path, out: Path) -> Path:
    """``make site-zensical``'s steps for ``project`` into ``out``; return the built site folder."""
    import shutil
    import subprocess
    import sys

    k8skb = [sys.executable, "-m", "k8skb"]
    engine = shutil.which("zensical-i18n", path=str(Path(sys.executable).parent))
    assert engine is not None
    steps = [
        (
            [*k8skb, "site", "generate", str(out), "--project", str(project), "--glossary", "glossary"],
            project,
        ),
        ([engine, "build", "--strict"], out),
        ([*k8skb, "site", "finish", str(out / "site"), "--glossary", "glossary", "--no-search"], project),
    ]
    for command, cwd in steps:
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, f"{command}: {proc.stdout}\n{proc.stderr}"
    return out / "site"


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on 127.0.0.1 in a thread; return (server, base URL ending in '/').

    Requests are not logged, and a connection the browser drops mid-download (a page that moved
    on) is not printed as an error.
    """

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
