"""Pagefind under ``mkdocs serve``: the last bundle comes back at once, the new one follows in a thread."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

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


def test_shadow_site_indexes_page_contents_into_the_real_site(tmp_path: Path) -> None:
    from k8skb.site.search import ShadowSite

    site = tmp_path / "site"
    shadow = ShadowSite(site)
    try:
        shadow.add(site / "glossary" / "pod" / "index.html", "ja", "Pod", "<h1>Pod</h1><p>ポッド</p>")
        shadow.add(site / "en" / "glossary" / "pod" / "index.html", "en", "Pod", "<h1>Pod</h1><p>pods</p>")
        shadow.add(tmp_path / "elsewhere" / "index.html", "en", "x", "<p>x</p>")  # outside the site: ignored
        assert shadow.pages == 2
        assert shadow.index() is None
    finally:
        shadow.close()
    assert not shadow.root.exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: int(v["page_count"]) for lang, v in entry["languages"].items()} == {"ja": 1, "en": 1}
    assert not (site / "glossary").exists()  # only the bundle is written into the site


def test_shadow_site_indexes_a_finished_language_early_and_merges_the_entry(tmp_path: Path) -> None:
    from k8skb.site.search import ShadowSite

    site = tmp_path / "site"
    shadow = ShadowSite(site)
    try:
        shadow.add(site / "glossary" / "pod" / "index.html", "ja", "Pod", "<p>ポッド</p>")
        shadow.add(site / "glossary" / "node" / "index.html", "ja", "Node", "<p>ノード</p>")
        shadow.flush()  # i18n moves on to English: the Japanese index is being built meanwhile
        assert [run[0] for run in shadow._started] == ["ja"]  # before any English page came
        shadow.add(site / "en" / "glossary" / "pod" / "index.html", "en", "Pod", "<p>pods</p>")
        assert (shadow.root / "lang-en" / "en" / "glossary" / "pod" / "index.html").is_file()
        assert shadow.index() is None
        late = ShadowSite(tmp_path / "late")
        try:
            late.add(tmp_path / "late" / "a" / "index.html", "ja", "a", "<p>a</p>")
            late.flush()
            late.add(tmp_path / "late" / "b" / "index.html", "ja", "b", "<p>b</p>")
            assert "came after the ja search index was written" in (late.index() or "")
        finally:
            late.close()
    finally:
        shadow.close()
    assert not shadow.root.exists()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: int(v["page_count"]) for lang, v in entry["languages"].items()} == {"ja": 2, "en": 1}
    names = {p.name for p in (site / "pagefind" / "index").iterdir()}
    assert any(n.startswith("ja_") for n in names) and any(n.startswith("en_") for n in names)
    assert not (site / "glossary").exists()  # only the bundle is written into the site
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]  # the runs' bundles were copied in
    assert (site / "pagefind" / "wasm.en.pagefind").is_file()


def test_shadow_site_reports_a_bundle_it_cannot_put_into_the_site(tmp_path: Path) -> None:
    from k8skb.site.search import ShadowSite

    site = tmp_path / "site"
    site.mkdir()
    (site / "pagefind").write_text("a file where the bundle's folder goes", encoding="utf-8")
    shadow = ShadowSite(site)
    try:
        shadow.add(site / "glossary" / "pod" / "index.html", "ja", "Pod", "<p>ポッド</p>")
        problem = shadow.index()
    finally:
        shadow.close()
    assert problem is not None and "could not put the ja search index into" in problem
    assert not shadow.root.exists()


def test_shadow_site_reports_a_failed_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from k8skb.site import search

    def failing(site_dir: Path, output: Path | None = None) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.exit('no index today')"]

    monkeypatch.setattr(search, "pagefind_command", failing)
    site = tmp_path / "site"
    shadow = search.ShadowSite(site)
    try:
        shadow.add(site / "glossary" / "pod" / "index.html", "ja", "Pod", "<p>ポッド</p>")
        shadow.flush()
        shadow.add(site / "en" / "glossary" / "pod" / "index.html", "en", "Pod", "<p>pods</p>")
        problem = shadow.index()
    finally:
        shadow.close()
    assert problem == "pagefind failed (exit 1): no index today"
    assert not (site / "pagefind").exists()


def test_work_folders_of_processes_that_ended_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from k8skb.site import search

    monkeypatch.setattr(search, "_fast_tmp", lambda: str(tmp_path))
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = tmp_path / f"k8skb-pagefind-{ended.stdout.strip()}-abc"
    (dead / "bundle").mkdir(parents=True)
    alive = tmp_path / f"k8skb-pagefind-{os.getppid()}-def"  # the test runner's parent still runs
    alive.mkdir()
    other = tmp_path / "k8skb-shadow-1-ghi"  # another kind is left to its own kind
    other.mkdir()
    made = search._work_dir("pagefind")
    assert made.name.startswith(f"k8skb-pagefind-{os.getpid()}-") and made.is_dir()
    assert not dead.exists() and alive.exists() and other.exists()


def test_shadow_site_reports_a_page_it_could_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from k8skb.site import search

    def full_disk(path: str, data: bytes) -> None:
        raise OSError(28, "No space left on device", path)

    monkeypatch.setattr(search, "write_bytes", full_disk)
    site = tmp_path / "site"
    shadow = search.ShadowSite(site)
    try:
        shadow.add(site / "glossary" / "pod" / "index.html", "ja", "Pod", "<p>ポッド</p>")
        shadow.flush()
        problem = shadow.index()
        assert shadow._started == []  # no run indexed a half-written language
    finally:
        shadow.close()
    assert problem is not None and problem.startswith("could not write a page for the search index")
    assert "No space left on device" in problem
    assert not (site / "pagefind").exists()
