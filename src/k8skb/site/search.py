"""Search: index the built site with Pagefind (static, offline, one index per ``<html lang>``).

Flow: after MkDocs (and mkdocs-static-i18n) wrote every language into the site directory, the
plugin calls ``index_site`` → ``python -m pagefind --site DIR`` writes ``DIR/pagefind/`` → the
browser-side ``assets/k8skb/search.js`` (wired into Material's search box) loads only the
chunks a query needs, from the index of the page's language.

``mkdocs build`` always indexes before it returns. ``mkdocs serve`` indexes its first build and
waits; after a rebuild (which wiped the site directory) a ``BackgroundIndexer`` puts the last
index back at once and re-indexes in a thread, so the browser reloads without waiting for
Pagefind: search results may lag one rebuild in serve, never in build.

Japanese (``name_words``): Pagefind splits Japanese pages into words with its own dictionary
(Lindera) when indexing, but splits a query with the browser's ``Intl.Segmenter`` (ICU), and a
result must contain a word starting with every piece of the query. The two disagree on katakana
loanwords: ICU cuts イングレス into イング + レス, none of the page's words starts with レス, and
the term's own page is not found; ICU keeps レプリカセット whole where the page has レプリカ and
セット, and only pages saying レプリカ are found. So a Japanese term page carries its names in the
metadata field ``names`` (``<meta data-pagefind-meta="names[content]">``, searched like the
title): each word of each name, and the rest of the word from (almost) every Japanese letter on, so
any piece a query is cut into starts one of them. Pagefind indexes metadata words as written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterable
from pathlib import Path

PAGEFIND_TIMEOUT = 600
"""Seconds one indexing run may take before it is reported as failed."""

EXCLUDE_SELECTORS = (".headerlink",)
"""What Pagefind leaves out of every page (the heading permalinks' pilcrow)."""


_WORD = re.compile(r"[^\W_]+")
_NO_TAIL_START = frozenset("ンんー")


def name_words(names: Iterable[str]) -> str:
    """Return the ``names`` metadata for a Japanese term page: what any split of its names starts.

    Every word of every name (letters and digits), and every tail of a word that starts at a
    non-ASCII letter (``イングレス`` → ``イングレス グレス レス ス``; ``Podネットワーク`` also gives
    ``ネットワーク``, …), space-separated. No tail starts at ン or ー: no indexed word starts with
    them, so a query piece that does (ICU cuts プレーン into プレー + ン) matches nothing and
    Pagefind leaves it out; such a tail would make the piece required, and hide every page that
    has the word only in its text (コントロールプレーン: 32 pages found → 4). A word that begins
    another one is left out: Pagefind matches the start of words, so the longer one finds it, and
    would otherwise count both in the score (a page would rank by how many of its names share a
    tail, not by the match).
    """
    tails: dict[str, None] = {}
    for name in names:
        for word in _WORD.findall(name):
            for i, char in enumerate(word):
                if i == 0 or (char.isalpha() and not char.isascii() and char not in _NO_TAIL_START):
                    tails[word[i:]] = None
    folded = [tail.casefold() for tail in tails]
    kept = [
        tail
        for tail, low in zip(tails, folded, strict=True)
        if not any(other != low and other.startswith(low) for other in folded)
    ]
    return " ".join(kept)


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


class BackgroundIndexer:
    """Indexing for ``mkdocs serve``: restore the last bundle at once, re-index in a thread."""

    def __init__(self) -> None:
        self._cache = Path(tempfile.mkdtemp(prefix="k8skb-pagefind-"))
        weakref.finalize(self, shutil.rmtree, self._cache, True)  # also at interpreter exit
        self._lock = threading.Lock()  # guards _pending and _thread
        self._bundle_lock = threading.Lock()  # the kept bundle is never read while being replaced
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
        with self._bundle_lock:
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
        with self._bundle_lock:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(bundle, target)
