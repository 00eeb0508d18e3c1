"""Browser test fixtures: build the site once, serve it on 127.0.0.1, drive Debian's Chromium.

Without Chromium (or the playwright package) the browser tests skip, except under ``CI=true``
where they fail: CI must never pass by skipping them. Every page records the requests it makes;
a request to any host other than 127.0.0.1 is blocked and fails the test at teardown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from helpers import serve_directory, unavailable

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("K8SKB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests and keep them on one xdist worker (they share one built site)."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _unavailable() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable; skip (or fail under CI=true) when it is missing."""
    reason = _unavailable()
    if reason:
        unavailable("browser tests", reason)
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real site once per session (``mkdocs build --strict``) and return its directory."""
    out = tmp_path_factory.mktemp("site")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}")
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port) and return its base URL, ending in '/'."""
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """URLs of requests that tried to leave 127.0.0.1 during the test."""
    return []


@pytest.fixture
def page(browser: Any, outside_requests: list[str]) -> Iterator[Any]:
    """A fresh page (new context: empty storage) that blocks and records requests to other hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    def guard(route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    yield pg
    context.close()
    assert not outside_requests, f"requests left 127.0.0.1: {outside_requests}"
