"""Search: index the built site with Pagefind (static, offline, one index per ``<html lang>``).

Flow: after MkDocs (and mkdocs-static-i18n) wrote every language into the site directory, the
plugin calls ``index_site`` → ``python -m pagefind --site DIR`` writes ``DIR/pagefind/`` → the
browser-side ``assets/k8skb/search.js`` (wired into Material's search box) loads only the
chunks a query needs, from the index of the page's language.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PAGEFIND_TIMEOUT = 600
"""Seconds one indexing run may take before it is reported as failed."""


def pagefind_command(site_dir: Path) -> list[str]:
    """Return the command that indexes ``site_dir`` (the bundle goes to ``site_dir/pagefind``)."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]


def index_site(site_dir: Path) -> str | None:
    """Index ``site_dir`` with Pagefind; return ``None`` on success, else what went wrong."""
    try:
        proc = subprocess.run(
            pagefind_command(site_dir), capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"pagefind could not run: {exc}"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        return f"pagefind failed (exit {proc.returncode}): {' '.join(detail[-3:])}"
    return None
