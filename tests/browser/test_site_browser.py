"""The built site in Chromium: language switcher, tooltips, search in both languages, diagrams.

Uses the real site (built once per session by ``built_site``); every page blocks and reports any
request that leaves 127.0.0.1 (the ``page`` fixture fails the test then).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"


def search(page: Any, query: str) -> list[str]:
    """Type ``query`` into the header search box and return the result links (absolute URLs)."""
    page.click(".md-search__input")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")  # fill() alone fires no key event
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    links: list[str] = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    return links


def test_language_switch_lands_on_the_same_term(page: Any, site_url: str) -> None:
    page.goto(site_url + "glossary/kube-apiserver/")
    assert page.get_attribute("html", "lang") == "ja"
    page.locator(".md-select").first.hover()
    page.click("a.md-select__link[hreflang='en']")
    page.wait_for_url("**/en/glossary/kube-apiserver/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("article h1").startswith("kube-apiserver")
    page.locator(".md-select").first.hover()
    page.click("a.md-select__link[hreflang='ja']")
    page.wait_for_url(site_url + "glossary/kube-apiserver/")
    assert page.get_attribute("html", "lang") == "ja"


def test_hovering_a_term_link_shows_its_summary(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/glossary/kubelet/")
    link = page.locator("article .k8skb-description a.k8skb-term").first
    title = link.get_attribute("title") or ""
    assert title
    link.hover()
    tooltip = page.locator(".md-tooltip2__inner, .md-tooltip__inner").filter(has_text=title[:30])
    tooltip.first.wait_for(state="visible", timeout=5000)


def test_search_finds_a_word_inside_a_japanese_compound_ja_only(page: Any, site_url: str) -> None:
    page.goto(site_url + "glossary/")
    links = search(page, "プレーン")
    assert site_url + "glossary/control-plane/" in links
    assert not any("/en/" in link for link in links)


JAPANESE_NAMES = [
    pytest.param("イングレス", "ingress", 1, id="ingress-aka-shown-on-the-page"),
    pytest.param("コンテナオーケストレーション", "container-orchestration", 1, id="orchestration-title"),
    pytest.param("オーケストレーション", "container-orchestration", 1, id="word-inside-the-compound-title"),
    pytest.param("スタートアッププローブ", "startup-probe", 1, id="startup-probe-aka"),
    pytest.param("レプリケーションコントローラー", "replicationcontroller", 1, id="rc-aka"),
    pytest.param("アグリゲーションレイヤー", "api-aggregation", 1, id="api-aggregation-aka"),
    pytest.param("ラベルセレクター", "selector", 1, id="selector-aka"),
    pytest.param("レプリカセット", "replicaset", 1, id="replicaset-aka"),
    pytest.param("ポッド", "pod", 1, id="pod-aka"),
    # inside the compound コントロールプレーン; the category page of that name may come first
    pytest.param("プレーン", "control-plane", 2, id="word-inside-a-compound-name"),
]


@pytest.mark.parametrize(("query", "term", "within"), JAPANESE_NAMES)
def test_search_puts_the_term_named_in_japanese_first(
    page: Any, site_url: str, query: str, term: str, within: int
) -> None:
    """Pagefind cuts a Japanese query with the browser's Intl.Segmenter, not as it cut the pages."""
    page.goto(site_url + "glossary/")
    links = search(page, query)
    assert site_url + f"glossary/{term}/" in links[:within], links


def test_search_in_english_finds_a_term_by_its_japanese_aka(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/")
    links = search(page, "ポッド")
    assert site_url + "en/glossary/pod/" in links
    assert all(link.startswith(site_url + "en/") for link in links)


def test_search_in_japanese_finds_an_english_word(page: Any, site_url: str) -> None:
    page.goto(site_url)
    links = search(page, "scheduler")
    assert site_url + "glossary/kube-scheduler/" in links


def test_diagram_is_visible_and_its_boxes_link_to_terms(page: Any, site_url: str) -> None:
    page.goto(site_url + "glossary/category/architecture/")
    svg = page.locator("svg.k8skb-diagram").first
    svg.wait_for(state="visible")
    hrefs = svg.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "../../kubelet/" in hrefs and "../../kube-apiserver/" in hrefs
    svg.locator("a.k8skb-box").filter(has_text="kubelet").first.click()
    page.wait_for_url("**/glossary/kubelet/")


def test_tag_filter_hides_other_terms(page: Any, site_url: str) -> None:
    page.goto(site_url + "en/glossary/")
    total = page.locator(".k8skb-termlist li:visible").count()
    page.click("[data-k8skb-tagfilter] button[data-tag='networking']")
    shown = page.locator(".k8skb-termlist li:visible")
    assert 0 < shown.count() < total
    tags = shown.evaluate_all("els => els.map(e => e.dataset.tags)")
    assert all("networking" in (t or "").split() for t in tags)


def test_screenshots_of_a_term_page_in_both_languages(page: Any, site_url: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for lang, prefix in (("ja", ""), ("en", "en/")):
        page.goto(f"{site_url}{prefix}glossary/kube-apiserver/")
        page.locator("svg.k8skb-diagram").first.wait_for(state="visible")
        target = SCREENSHOTS / f"term-{lang}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000


def test_pages_request_nothing_that_is_missing(page: Any, site_url: str) -> None:
    """No 404 on load: Material used to fetch <twin page>/sitemap.xml for the language switcher."""
    failed: list[str] = []
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for url in ("glossary/kubelet/", "en/glossary/deployment/", "glossary/category/service-type/", "en/"):
        page.goto(site_url + url)
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert not [u for u in requested if "sitemap.xml" in u]
    assert page.locator("a.md-select__link[hreflang='ja']").get_attribute("href") == "../"  # en/ → the root
