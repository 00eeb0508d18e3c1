"""The real site: build it (``mkdocs build --strict``) and check that it has no broken internal link.

Skips while the repository has no ``mkdocs.yml``; fails when the build itself fails.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session into a temporary directory."""
    if not (REPO / "mkdocs.yml").is_file():
        pytest.skip("no mkdocs.yml yet")
    out = tmp_path_factory.mktemp("links-real-site")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return out


@pytest.mark.xdist_group("links-real-site")
def test_real_site_has_no_broken_internal_links(run_cli: Callable[..., Any], real_site: Path) -> None:
    result = run_cli("links", str(real_site), "--offline", cwd=REPO)
    assert result.code == 0, result.output
    assert (real_site / "index.html").is_file() and (real_site / "en" / "index.html").is_file()
