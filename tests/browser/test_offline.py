"""Offline after one visit: the service worker precaches both languages, the quiz banks and search.

In Chromium: load ``/``, wait until the worker controls the page, go offline
(``context.set_offline(True)``), then open a term page in each language, search, and answer a quiz
question. Also the weight the worker and manifests add to a page, and the precache list itself.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from k8skb.site.offline import MANIFEST, WORKER, precache_list

WEIGHT_LIMIT = 10 * 1024
"""Bytes (gzip) the offline support may add to one page: worker, manifest, registration, head tags."""


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def test_the_worker_precaches_every_page_of_both_languages_the_banks_and_search(built_site: Path) -> None:
    source = (built_site / WORKER).read_text(encoding="utf-8")
    listed = json.loads(re.search(r"var FILES = (\[.*?\]);", source).group(1))  # type: ignore[union-attr]
    assert listed == precache_list(built_site)
    for required in (
        "./",
        "en/",
        "glossary/pod/",
        "en/glossary/pod/",
        "quiz/",
        "en/quiz/",
        "cheatsheet/",
        "en/progress/",
        "404.html",
        "assets/quiz/bank.ja.json",
        "assets/quiz/bank.en.json",
        "pagefind/pagefind.js",
        MANIFEST,
        f"en/{MANIFEST}",
    ):
        assert required in listed, required
    pages = {p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert {("./" if p == "." else p + "/") for p in pages} <= set(listed)
    assert any(u.startswith("pagefind/") and u.endswith(".pf_fragment") for u in listed)
    assert all(not urlsplit(u).scheme and not u.startswith("/") for u in listed), "nothing from another host"
    assert not any(u.endswith(".map") or "lunr" in u for u in listed)


def test_the_offline_support_adds_at_most_10_kb_gzip_to_a_page(built_site: Path) -> None:
    page = (built_site / "en" / "glossary" / "pod" / "index.html").read_text(encoding="utf-8")
    tags = re.findall(
        r'<link rel="manifest"[^>]*>|<meta name="theme-color"[^>]*>'
        r'|<script src="[^"]*offline\.js"[^>]*></script>',
        page,
    )
    assert len(tags) == 3, tags
    manifest = json.loads((built_site / "en" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["lang"] == "en" and manifest["start_url"] == "./"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert (built_site / "en" / icon["src"]).resolve().read_bytes().startswith(b"\x89PNG")
    weight = (
        _gz((built_site / WORKER).read_bytes())
        + _gz((built_site / "en" / MANIFEST).read_bytes())
        + _gz((built_site / "assets" / "k8skb" / "offline.js").read_bytes())
        + len("".join(tags).encode())
    )
    print(f"offline support per page: {weight} bytes gzip")
    assert weight <= WEIGHT_LIMIT


@pytest.fixture
def offline_page(browser: Any, site_url: str) -> Iterator[tuple[Any, Any, list[str]]]:
    """A page in its own context, without request routing (it would bypass the worker)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    outside: list[str] = []
    context.on(
        "request",
        lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None) else None,
    )
    page = context.new_page()
    yield context, page, outside
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


def _search(page: Any, query: str) -> list[str]:
    page.click(".md-search__input")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    links: list[str] = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    return links


ANSWER_ANYTHING = """() => {
  const form = document.querySelector('#k8skb-quiz form');
  const radio = form.querySelector('input[type=radio]'); if (radio) radio.checked = true;
  const box = form.querySelector('input[type=checkbox]'); if (box) box.checked = true;
  form.querySelectorAll('select').forEach((s, i) => {
    s.selectedIndex = Math.min(i + 1, s.options.length - 1);
  });
  form.requestSubmit();
}"""


def test_after_one_visit_the_site_works_offline_in_both_languages(
    offline_page: tuple[Any, Any, list[str]], site_url: str
) -> None:
    context, page, _ = offline_page
    page.goto(site_url)
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller", timeout=60000
    )
    page.evaluate("() => navigator.serviceWorker.ready")
    context.set_offline(True)
    assert page.evaluate("() => fetch('/glossary/pod/').then(() => 'online', () => 'offline')") == "online"

    page.goto(site_url + "glossary/pod/")
    assert page.get_attribute("html", "lang") == "ja"
    assert page.inner_text("article h1").startswith("Pod")
    page.goto(site_url + "en/glossary/kubelet/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("article h1").startswith("kubelet")
    assert site_url + "en/glossary/pod/" in _search(page, "ポッド")
    page.goto(site_url + "glossary/")
    assert site_url + "glossary/control-plane/" in _search(page, "プレーン")

    for prefix in ("", "en/"):
        page.goto(f"{site_url}{prefix}quiz/?term=pod&seed=3")
        page.wait_for_selector("#k8skb-quiz[data-state='question']", timeout=15000)
        page.evaluate(ANSWER_ANYTHING)
        page.wait_for_selector(".k8skb-quiz-feedback[data-correct]", timeout=5000)
    page.goto(site_url + "en/progress/")
    page.wait_for_selector("#k8skb-progress[data-state='ready']")
    assert (
        page.text_content("tfoot td[data-group='learning']") != "0"
        or page.text_content("tfoot td[data-group='mastered']") != "0"
    ), "the answers given offline count"
