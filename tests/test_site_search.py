"""Pagefind under ``mkdocs serve``: the last bundle comes back at once, the new one follows in a thread."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from k8skb.site.search import BackgroundIndexer, name_words


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


def test_a_rebuild_never_gets_a_bundle_half_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild that comes while the worker replaces the kept bundle waits for the whole new one."""
    site = tmp_path / "site"
    indexer = BackgroundIndexer()
    try:
        write_site(site, ["alpha"])
        assert indexer.index_now(site) is None
        replacing, resume = threading.Event(), threading.Event()
        real_copytree = shutil.copytree

        def slow_copytree(src: Path, dst: Path, *args: Any, **kwargs: Any) -> object:
            if Path(dst).name == "bundle":  # the worker keeps a new bundle: the old one is gone by now
                replacing.set()
                assert resume.wait(60)
            return real_copytree(src, dst, *args, **kwargs)

        monkeypatch.setattr(shutil, "copytree", slow_copytree)
        write_site(site, ["alpha", "beta"])
        indexer.refresh(site)  # starts the worker, which re-indexes and then replaces the kept bundle
        assert replacing.wait(120)
        write_site(site, ["alpha", "beta", "gamma"])  # the next rebuild, mid-replacement
        rebuild = threading.Thread(target=indexer.refresh, args=(site,))
        rebuild.start()
        rebuild.join(0.5)
        resume.set()
        rebuild.join(60)
        assert (site / "pagefind" / "pagefind.js").is_file()  # searchable, with a complete bundle
        assert page_count(site) >= 2
        indexer.wait(120)
        assert indexer.last_problem is None
    finally:
        monkeypatch.undo()
        indexer.close()


def test_name_words_start_every_piece_a_japanese_name_may_be_cut_into() -> None:
    # Intl.Segmenter cuts イングレス into イング + レス: both start a word here
    assert name_words(["Ingress", "イングレス"]) == "Ingress イングレス グレス レス ス"
    # no word of the page starts with ン or ー: a piece starting there must stay unmatched
    assert "ン" not in name_words(["プレーン"]).split()
    assert name_words(["コントロールプレーン"]).split()[:2] == ["コントロールプレーン", "トロールプレーン"]
    # words split at punctuation; ASCII words are not cut; a word that begins another one goes
    assert name_words(["コンテナランタイムインターフェース(CRI)"]).split()[-2:] == ["ス", "CRI"]
    both = name_words(["Kubernetes APIサーバー", "kube-proxy"])
    assert both == "Kubernetes APIサーバー サーバー バー proxy"
