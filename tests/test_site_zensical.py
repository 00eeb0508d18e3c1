"""The same site from two engines: MkDocs with the k8skb plugin, and Zensical from ``k8skb site generate``.

Both are built once from a copy of the real project; they must offer the same pages, the same
language switcher targets, the same term links and quiz banks, and no broken internal link.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from selectolax.lexbor import LexborHTMLParser

from helpers import REPO, build_with_zensical, copy_project, unavailable, zensical_missing
from k8skb.glossary.validate import load_glossary

pytestmark = pytest.mark.xdist_group("zensical")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(MkDocs site, Zensical site) of the same project."""
    reason = zensical_missing()
    if reason:
        unavailable("the Zensical build", reason)
    project = copy_project(tmp_path_factory.mktemp("project"))
    mkdocs_site = project / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    return mkdocs_site, build_with_zensical(project, tmp_path_factory.mktemp("zensical"))


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def parse(site: Path, page: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / page).read_text(encoding="utf-8"))


def switcher(site: Path, page: str) -> dict[str, str]:
    """Each language of the switcher → the page it leads to (site-relative)."""
    out = {}
    for link in parse(site, page).css("a.md-select__link[hreflang]"):
        href = link.attributes.get("href") or ""
        target = urljoin(f"http://site/{page}", href).removeprefix("http://site/")
        out[str(link.attributes["hreflang"])] = target.removesuffix("index.html")
    return out


def test_both_engines_build_the_same_pages(sites: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = sites
    assert pages(mkdocs_site) - pages(zensical_site) == set()
    assert pages(zensical_site) - pages(mkdocs_site) == set()  # a 404 page per language in both


def test_every_term_page_exists_in_both_languages(sites: tuple[Path, Path]) -> None:
    glossary = load_glossary(REPO / "glossary").glossary
    assert glossary is not None
    built = pages(sites[1])
    for entry in glossary:
        for prefix in ("", "en/"):
            assert f"{prefix}glossary/{entry.id}/index.html" in built, (prefix, entry.id)


def test_the_language_switcher_leads_to_the_same_page(sites: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = sites
    checked = 0
    for page in sorted(pages(mkdocs_site)):
        if page.endswith("404.html"):
            continue
        ours, theirs = switcher(mkdocs_site, page), switcher(zensical_site, page)
        other = "ja" if page.startswith("en/") else "en"
        assert theirs.get(other) == ours[other], page
        checked += 1
    assert checked > 100


def test_term_links_and_quiz_banks_are_the_same(sites: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = sites
    for page in ("glossary/kubelet/index.html", "en/glossary/pod/index.html", "en/index.html"):
        ours = [(a.text(), a.attributes["href"]) for a in parse(mkdocs_site, page).css("a.k8skb-term")]
        theirs = [(a.text(), a.attributes["href"]) for a in parse(zensical_site, page).css("a.k8skb-term")]
        assert ours and ours == theirs, page
    for lang in ("ja", "en"):
        bank = f"assets/quiz/bank.{lang}.json"
        assert (zensical_site / bank).read_bytes() == (mkdocs_site / bank).read_bytes()


def test_the_zensical_site_has_no_broken_internal_link(sites: tuple[Path, Path]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "k8skb", "links", str(sites[1]), "--offline"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
