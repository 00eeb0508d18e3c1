"""Search: index the built site with Pagefind (static, offline, one index per ``<html lang>``).

Flow: after MkDocs (and mkdocs-static-i18n) wrote every language into the site directory, the
plugin calls ``index_site`` → ``python -m pagefind --site DIR`` writes ``DIR/pagefind/`` → the
browser-side ``assets/k8skb/search.js`` (wired into Material's search box) loads only the
chunks a query needs, from the index of the page's language.

Pagefind reads only ``data-pagefind-body``, but parses every byte of every page, and Material's
header, nav and footer are most of a page. So, during ``mkdocs build``, the plugin hands each page's
content (same URL and ``<html lang>``) to a ``ShadowSite``, which writes it into a RAM-backed copy
of the site, one tree per language, and runs the Pagefind command on a language's tree as soon as
i18n moves on to the next language (at a lower CPU priority, while MkDocs renders), and on the last
one at the end; the runs share ``DIR/pagefind`` and their ``pagefind-entry.json`` are merged.
``mkdocs build`` always indexes before it returns. ``mkdocs serve`` indexes its
first build with the command; after a rebuild (which wiped the site directory) a
``BackgroundIndexer`` puts the last bundle back at once and re-indexes in a thread, so the browser
reloads without waiting for Pagefind (about a second for the real site): search results may lag
one rebuild in serve, never in build.
"""

from __future__ import annotations

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

from k8skb.fileio import write_bytes, write_text_atomic

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


def _work_dir(kind: str) -> Path:
    """A new private folder for ``kind`` in the fast temporary directory, named after this process.

    Folders of the same kind left by processes that no longer run (``mkdocs serve`` stopped by
    SIGTERM skips the clean-up at exit) are removed first, so they never pile up in RAM.
    """
    parent = Path(_fast_tmp() or tempfile.gettempdir())
    prefix = f"k8skb-{kind}-"
    with contextlib.suppress(OSError):
        for old in parent.glob(f"{prefix}*"):
            pid = old.name[len(prefix) :].partition("-")[0]
            if pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def _running(pid: int) -> bool:
    """True when a process ``pid`` exists (``os.kill`` with signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True


class BackgroundIndexer:
    """Indexing for ``mkdocs serve``: restore the last bundle at once, re-index in a thread."""

    def __init__(self) -> None:
        self._cache = _work_dir("pagefind")
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


class ShadowSite:
    """What Pagefind indexes of the built site: each page's content and language, at the page's URL.

    Each page's content is written, in a minimal document with its ``<html lang>``, to a RAM-backed
    copy of the site, one tree per language. ``flush`` (the plugin calls it when i18n starts
    building the next language) starts the Pagefind command on the finished languages, at a lower
    CPU priority, while MkDocs renders the next one; ``index`` starts it on the rest and waits.
    Every run writes its bundle into the RAM-backed folder too, and a thread copies it into
    ``site_dir/pagefind`` as soon as the run ends (files all runs write, such as ``pagefind.js``,
    are the same for every language and copied once); ``index`` merges the languages into one
    ``pagefind-entry.json`` (each run writes its own). Measured at 2,000 terms, right after a site
    was deleted: Pagefind creating its 2,000 fragment files on this VM's ext4 from several threads
    spent 2.4-3.6 s of system CPU on the folder's lock, 0.9 s in RAM; the copy takes 0.1-0.2 s.
    Pagefind's service mode (pages streamed over a pipe) parsed on one thread and took more CPU
    from the build than these runs, which parse on every core.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.root = _work_dir("shadow")
        self.pages = 0
        self._site = f"{site_dir.absolute()}{os.sep}"  # pages' paths are compared as strings
        self._open: set[str] = set()  # languages still taking pages
        self._started: list[tuple[str, subprocess.Popen[bytes], threading.Thread]] = []
        self._done: set[str] = set()
        self._lock = threading.Lock()  # guards what the collecting threads record and copy
        self._problems: list[str] = []
        self._languages: dict[str, Any] = {}  # every finished run's languages (pagefind-entry.json)
        self._entry: dict[str, Any] = {}  # the last finished run's pagefind-entry.json
        self._write_failure: str | None = None

    def add(self, dest: Path | str, lang: str, title: str, content: str) -> None:
        """Add the page written to ``dest`` (inside ``site_dir``) with its rendered ``content``."""
        dest = os.fspath(dest)  # MkDocs gives absolute paths: no pathlib parsing (50 µs a page)
        if not dest.startswith(self._site):
            dest = str(Path(dest).absolute())
            if not dest.startswith(self._site):
                return  # written outside the site: not part of the search
        rel = dest[len(self._site) :]
        if lang in self._done:
            url = "/" + rel.replace(os.sep, "/")
            self._problems.append(f"{url}: a {lang} page came after the {lang} search index was written")
            return
        page = (
            f'<!doctype html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><div data-pagefind-body>{content}</div>"
            "</body></html>"
        )
        self.pages += 1
        self._open.add(lang)
        target = f"{self._tree(lang)}{os.sep}{rel}"
        try:  # RAM-backed, so this costs the rendering thread little (0.1 s for 4,000 pages)
            write_bytes(target, page.encode("utf-8"))
        except OSError as exc:
            if self._write_failure is None:
                self._write_failure = f"could not write a page for the search index: {exc}"

    def _tree(self, lang: str) -> Path:
        return self.root / f"lang-{lang}"

    @property
    def _output(self) -> Path:
        return self.site_dir / "pagefind"

    def flush(self) -> None:
        """Start indexing the languages added so far (no more pages for them), at a lower priority."""
        for lang in sorted(self._open):
            self._done.add(lang)
            self._start(lang, background=True)
        self._open.clear()

    def _start(self, lang: str, background: bool) -> None:
        if self._write_failure is not None:
            return  # no run over a half-written language
        output = self.root / f"bundle-{lang}"
        command = pagefind_command(self._tree(lang), output)
        nice = shutil.which("nice") if background else None
        try:
            proc = subprocess.Popen(
                [nice, "-n", "10", *command] if nice else command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            with self._lock:
                self._problems.append(f"pagefind could not run: {exc}")
            return
        thread = threading.Thread(
            target=self._collect, args=(lang, proc, output), name=f"k8skb-pagefind-{lang}", daemon=True
        )
        thread.start()
        with self._lock:
            self._started.append((lang, proc, thread))

    def _collect(self, lang: str, proc: subprocess.Popen[bytes], output: Path) -> None:
        """Wait for the run of ``lang``; copy its bundle into the site and note its languages."""
        try:
            _, stderr = proc.communicate(timeout=PAGEFIND_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            with self._lock:
                self._problems.append(f"pagefind took more than {PAGEFIND_TIMEOUT} s for {lang}")
            return
        with self._lock:
            if proc.returncode != 0:
                detail = stderr.decode("utf-8", "replace").strip().splitlines()
                self._problems.append(f"pagefind failed (exit {proc.returncode}): {' '.join(detail[-3:])}")
                return
            try:
                entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
                _copy_missing(output, self._output)
            except (OSError, ValueError) as exc:
                self._problems.append(f"could not put the {lang} search index into {self._output}: {exc}")
                return
            self._languages.update(entry.get("languages") or {})
            self._entry = entry

    def index(self) -> str | None:
        """Index the languages not indexed yet; return ``None`` on success, else the problem."""
        for lang in sorted(self._open):
            self._done.add(lang)
            self._start(lang, background=False)
        self._open.clear()
        for _, _, thread in self._started:
            thread.join()
        self._started.clear()
        if self._write_failure is not None:
            return self._write_failure
        if self._problems:
            return self._problems[0]
        if len(self._languages) > 1:
            self._entry["languages"] = self._languages
            write_text_atomic(
                self._output / "pagefind-entry.json",
                json.dumps(self._entry, ensure_ascii=False, separators=(",", ":")),
            )
        return None

    def close(self) -> None:
        """Stop unfinished runs; remove the shadow pages and the bundles in RAM."""
        for _, proc, thread in self._started:
            proc.kill()
            thread.join()
        self._started.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _copy_missing(source: Path, target: Path) -> None:
    """Copy every file of ``source`` that ``target`` lacks into it (same paths).

    The files a run shares with the others (pagefind.js, the UI, the worker) are the same for every
    language; the others are named per language, so nothing of another run is replaced.
    """
    for folder, _, names in os.walk(source):
        here = Path(folder)
        there = target / here.relative_to(source)
        there.mkdir(parents=True, exist_ok=True)
        for name in names:
            if not (there / name).exists():
                shutil.copyfile(here / name, there / name)
