"""Pagefind under ``mkdocs serve``: the last bundle comes back at once, the new one follows in a thread."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from k8skb.site.search import BackgroundIndexer


def write_site(site: Path, words: list[str]) -> None:
    """Write one small page per word (``<html lang>`` and ``data-pagefind-body``, as the site has)."""
    shutil.rmtree(site, ignore_errors=True)
    for word in words:
        page = site / word / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="en"><head><title>{word}</title></head>'
            f"<body><main data-pagefind-body><h1>{word}</h1><p>{word} text</p></main></body></html>",
            encoding="utf-8",
        )


def page_count(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(lang["page_count"]) for lang in entry["languages"].values())


def test_rebuild_restores_the_last_bundle_then_reindexes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    indexer = BackgroundIndexer()
    try:
        write_site(site, ["alpha", "beta"])
        assert indexer.index_now(site) is None
        assert page_count(site) == 2 and indexer.has_bundle
        write_site(site, ["alpha", "beta", "gamma"])  # a rebuild wipes the site directory
        indexer.refresh(site)
        assert (site / "pagefind" / "pagefind.js").is_file()  # searchable right away (one rebuild behind)
        indexer.wait(120)
        assert indexer.last_problem is None and indexer.runs == 1
        assert page_count(site) == 3
    finally:
        indexer.close()
    assert not indexer.has_bundle
