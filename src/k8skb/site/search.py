"""Search: index the built site with Pagefind (static, offline, one index per ``<html lang>``).

Flow: after MkDocs (and mkdocs-static-i18n) wrote every language into the site directory, the
plugin calls ``index_site`` → ``python -m pagefind --site DIR`` writes ``DIR/pagefind/`` → the
browser-side ``assets/k8skb/search.js`` (wired into Material's search box) loads only the
chunks a query needs, from the index of the page's language.

Pagefind reads only ``data-pagefind-body``, but parses every byte of every page, and Material's
header, nav and footer are most of a page. So, during ``mkdocs build``, the plugin hands each page's
content (same URL and ``<html lang>``) to a ``ShadowSite``, which streams it to ``pagefind --service``
(one index per language; Pagefind parses on the other core while MkDocs renders) and has Pagefind
write a language's index as soon as i18n moves on to the next language: writing ~2,000 files per
language is most of Pagefind's time, and it now overlaps the next language's rendering. Without
service mode, the shadow pages are written to a temporary directory and indexed by the Pagefind
command at the end. ``mkdocs build`` always indexes before it returns. ``mkdocs serve`` indexes its
first build with the command; after a rebuild (which wiped the site directory) a
``BackgroundIndexer`` puts the last bundle back at once and re-indexes in a thread, so the browser
reloads without waiting for Pagefind (about a second for the real site): search results may lag
one rebuild in serve, never in build.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

PAGEFIND_TIMEOUT = 600
"""Seconds one indexing run may take before it is reported as failed."""

EXCLUDE_SELECTORS = (".headerlink",)
"""What Pagefind leaves out of every page (the heading permalinks' pilcrow)."""


def pagefind_command(site_dir: Path, output: Path | None = None) -> list[str]:
    """Return the command indexing ``site_dir`` into ``output`` (by default ``site_dir/pagefind``)."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        *(arg for selector in EXCLUDE_SELECTORS for arg in ("--exclude-selectors", selector)),
        "--silent",
    ]
    if output is not None:
        command += ["--output-path", str(output)]
    return command


def index_site(site_dir: Path, output: Path | None = None, background: bool = False) -> str | None:
    """Index ``site_dir`` with Pagefind; return ``None`` on success, else what went wrong.

    ``background`` runs Pagefind at a lower CPU priority (serve: the next rebuild goes first).
    """
    command = pagefind_command(site_dir, output)
    nice = shutil.which("nice") if background else None
    try:
        proc = subprocess.run(
            [nice, "-n", "10", *command] if nice else command,
            capture_output=True,
            text=True,
            timeout=PAGEFIND_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"pagefind could not run: {exc}"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        return f"pagefind failed (exit {proc.returncode}): {' '.join(detail[-3:])}"
    return None


def _fast_tmp() -> str | None:
    """A RAM-backed temporary directory when there is one (creating 4,000 files on disk took 2.7 s)."""
    shm = Path("/dev/shm")
    try:
        return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None
    except OSError:
        return None


class BackgroundIndexer:
    """Indexing for ``mkdocs serve``: restore the last bundle at once, re-index in a thread."""

    def __init__(self) -> None:
        self._cache = Path(tempfile.mkdtemp(prefix="k8skb-pagefind-", dir=_fast_tmp()))
        weakref.finalize(self, shutil.rmtree, self._cache, True)  # also at interpreter exit
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pending: Path | None = None
        self.last_problem: str | None = None
        self.runs = 0

    @property
    def has_bundle(self) -> bool:
        """True once one indexing run succeeded (there is a bundle to restore)."""
        return (self._cache / "bundle" / "pagefind.js").is_file()

    def index_now(self, site_dir: Path) -> str | None:
        """Index ``site_dir`` and wait (the first serve build); keep a copy of the bundle."""
        problem = index_site(site_dir)
        if problem is None:
            self._keep(site_dir / "pagefind")
        return problem

    def refresh(self, site_dir: Path) -> None:
        """Put the last bundle into ``site_dir/pagefind`` now; re-index ``site_dir`` in the background."""
        if self.has_bundle:
            shutil.copytree(self._cache / "bundle", site_dir / "pagefind", dirs_exist_ok=True)
        with self._lock:
            self._pending = site_dir
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="k8skb-pagefind", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the background indexing to finish (tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def close(self) -> None:
        """Wait for a running indexing, then remove the kept bundle."""
        self.wait(PAGEFIND_TIMEOUT)
        shutil.rmtree(self._cache, ignore_errors=True)

    def _work(self) -> None:
        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None:
                    return
            staging = self._cache / "staging"
            shutil.rmtree(staging, ignore_errors=True)
            self.last_problem = index_site(site_dir, staging, background=True)
            self.runs += 1
            if self.last_problem is None and (staging / "pagefind.js").is_file():
                self._keep(staging)
                if self._pending is None and site_dir.is_dir():
                    shutil.copytree(staging, site_dir / "pagefind", dirs_exist_ok=True)

    def _keep(self, bundle: Path) -> None:
        target = self._cache / "bundle"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(bundle, target)


class PagefindService:
    """Pagefind's service mode (``pagefind --service``): pages are sent as they are rendered.

    Pagefind parses each page in its own process while MkDocs renders the next ones (the second
    core), so only building and writing the index is left for the end of the build, and no shadow
    file is written. The protocol is Pagefind's own (its Python and Node wrappers use it):
    base64-encoded JSON messages, each followed by a comma, on stdin; replies the same way on stdout,
    drained by a reader thread so that the pipe never fills.
    """

    def __init__(self, executable: Path) -> None:
        self._proc = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._next_id = 0
        self._replies: dict[int, dict[str, object]] = {}
        self._errors: list[str] = []
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="k8skb-pagefind-service", daemon=True)
        self._reader.start()
        try:
            self.new_index()
        except OSError:
            self.close()
            raise

    def new_index(self) -> int:
        """Create an index and return its id (``OSError`` when the service cannot)."""
        reply = self._request({"type": "NewIndex", "config": {"exclude_selectors": list(EXCLUDE_SELECTORS)}})
        index_id = reply.get("index_id") if reply else None
        if not isinstance(index_id, int):
            raise OSError(f"pagefind --service did not create an index: {self.problem() or reply}")
        return index_id

    @classmethod
    def start(cls) -> PagefindService | None:
        """Start the service, or return ``None`` when Pagefind's binary cannot run that way."""
        try:
            from pagefind.service import get_executable
        except ImportError:
            return None
        try:
            executable = get_executable()
            return cls(executable) if executable is not None else None
        except (OSError, ValueError):
            return None

    def add(self, index_id: int, url: str, page: str) -> None:
        """Send one page (``url`` as the search result links to it; ``page`` a whole HTML document)."""
        self._send({"type": "AddFile", "index_id": index_id, "url": url, "file_contents": page})

    def start_write(self, index_id: int, output: Path) -> int:
        """Ask for the index to be written into ``output``; return the request to ``wait`` for."""
        message_id = self._send({"type": "WriteFiles", "index_id": index_id, "output_path": str(output)})
        self._flush()
        return message_id

    def wait(self, message_id: int, timeout: float = PAGEFIND_TIMEOUT) -> str | None:
        """Wait for the reply to ``start_write``; return ``None`` on success, else what went wrong."""
        with self._arrived:
            self._arrived.wait_for(
                lambda: message_id in self._replies or not self._reader.is_alive(), timeout
            )
            reply = self._replies.pop(message_id, None)
        problem = self.problem()
        if problem is None and (reply is None or reply.get("type") != "WriteFiles"):
            problem = f"pagefind --service did not write the index: {reply}"
        return problem

    def problem(self) -> str | None:
        """The first error Pagefind reported (a page it could not read, a failed write), if any."""
        return f"pagefind failed: {self._errors[0]}" if self._errors else None

    def close(self) -> None:
        """Stop the service."""
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(5)

    def _send(self, payload: dict[str, object]) -> int:
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(base64.b64encode(message) + b",")
        except OSError as exc:  # the service died; the reader thread saw why, or this says it
            self._errors.append(f"pagefind --service stopped: {exc}")
        return self._next_id

    def _flush(self) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.flush()
        except OSError as exc:
            self._errors.append(f"pagefind --service stopped: {exc}")

    def _request(self, payload: dict[str, object], timeout: float = 30) -> dict[str, object] | None:
        message_id = self._send(payload)
        self._flush()
        with self._arrived:
            self._arrived.wait_for(
                lambda: message_id in self._replies or not self._reader.is_alive(), timeout
            )
            return self._replies.pop(message_id, None)

    def _read(self) -> None:
        stdout = self._proc.stdout
        assert stdout is not None
        buffer = b""
        while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                self._receive(message)
        with self._arrived:
            self._arrived.notify_all()

    def _receive(self, message: bytes) -> None:
        try:
            reply = json.loads(base64.b64decode(message))
        except ValueError:
            return  # not a message (Pagefind logs nothing on stdout in service mode)
        payload = reply.get("payload") if isinstance(reply, dict) else None
        if not isinstance(payload, dict):
            return
        if payload.get("type") == "Error":
            self._errors.append(str(payload.get("message")))
        message_id = reply.get("message_id")
        if payload.get("type") in ("NewIndex", "WriteFiles", "Error") and isinstance(message_id, int):
            with self._arrived:
                self._replies[message_id] = payload
                self._arrived.notify_all()


class ShadowSite:
    """What Pagefind indexes of the built site: each page's content and language, at the page's URL.

    Pages go to a ``PagefindService``, one index per language, as they come; ``flush`` (the plugin
    calls it when i18n starts building the next language) has Pagefind write the finished languages'
    indexes while MkDocs renders on: writing some 2,000 files per language is most of Pagefind's time.
    Without the service, the pages are written as a copy of the site holding just that, which
    ``index`` hands to the Pagefind command.
    """

    def __init__(self, site_dir: Path, stream: bool = True) -> None:
        self.site_dir = site_dir
        self.service = PagefindService.start() if stream else None
        self.root = Path(tempfile.mkdtemp(prefix="k8skb-shadow-", dir=_fast_tmp()))
        self.pages = 0
        self._site = site_dir.absolute()
        self._dirs: set[Path] = set()
        self._indexes: dict[str, int] = {}  # language → the service's index still taking pages
        self._writes: list[tuple[str, int]] = []  # (language, write request), in order
        self._problems: list[str] = []

    def add(self, dest: Path | str, lang: str, title: str, content: str) -> None:
        """Add the page written to ``dest`` (inside ``site_dir``) with its rendered ``content``."""
        try:
            rel = Path(dest).absolute().relative_to(self._site)  # no resolve(): one syscall per part
        except ValueError:
            return  # written outside the site: not part of the search
        page = (
            f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><div data-pagefind-body>{content}</div>"
            "</body></html>"
        )
        self.pages += 1
        if self.service is not None:
            url = "/" + rel.as_posix()
            self._add_to_service(
                lang, url.removesuffix("index.html") if url.endswith("/index.html") else url, page
            )
            return
        target = self.root / rel
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        target.write_text(page, encoding="utf-8")

    def _add_to_service(self, lang: str, url: str, page: str) -> None:
        assert self.service is not None
        index_id = self._indexes.get(lang)
        if index_id is None:
            if any(lang == written for written, _ in self._writes):
                self._problems.append(f"{url}: a {lang} page came after the {lang} search index was written")
                return
            try:
                index_id = self._indexes[lang] = self.service.new_index()
            except OSError as exc:
                self._problems.append(str(exc))
                return
        self.service.add(index_id, url, page)

    def flush(self) -> None:
        """Have Pagefind start writing the indexes of the languages added so far (no more pages for them)."""
        if self.service is None:
            return
        for lang, index_id in self._indexes.items():
            self._writes.append((lang, self.service.start_write(index_id, self._output)))
        self._indexes.clear()

    @property
    def _output(self) -> Path:
        return self.site_dir / "pagefind"

    def index(self) -> str | None:
        """Index the shadow pages into ``site_dir/pagefind``; return ``None`` on success, else the problem."""
        if self.service is None:
            return index_site(self.root, self._output)
        self.flush()
        languages: dict[str, Any] = {}
        entry: dict[str, Any] = {}
        for _lang, message_id in self._writes:
            # Each write replaces pagefind-entry.json with its own languages: keep them all.
            problem = self._problems[0] if self._problems else self.service.wait(message_id)
            if problem is not None:
                return problem
            entry = json.loads((self._output / "pagefind-entry.json").read_text(encoding="utf-8"))
            languages.update(entry.get("languages") or {})
        if self._problems:
            return self._problems[0]
        if len(self._writes) > 1:
            entry["languages"] = languages
            (self._output / "pagefind-entry.json").write_text(
                json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
            )
        return None

    def close(self) -> None:
        """Stop the service; remove the shadow pages."""
        if self.service is not None:
            self.service.close()
        shutil.rmtree(self.root, ignore_errors=True)
