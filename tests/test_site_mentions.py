"""Term mentions become links: longest match, word boundaries, first mention only, never misplaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from k8skb.glossary.model import Glossary
from k8skb.glossary.validate import load_glossary
from k8skb.site.finish import CONTENT_END, CONTENT_START, TermLinker
from k8skb.site.mentions import MentionMatcher, build_matcher, link_mentions

FIXTURE = Path(__file__).parent / "site_glossary"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    result = load_glossary(FIXTURE)
    assert result.glossary is not None
    return result.glossary


@pytest.fixture(scope="module")
def ja(glossary: Glossary) -> MentionMatcher:
    return build_matcher(glossary, "ja")


@pytest.fixture(scope="module")
def en(glossary: Glossary) -> MentionMatcher:
    return build_matcher(glossary, "en")


def linked(
    html: str, matcher: MentionMatcher, glossary: Glossary, self_id: str | None = None
) -> list[tuple[str, str]]:
    """Return (link text, href) of every term link the linker adds to ``html``."""
    out = link_mentions(
        html, matcher, lambda t: f"/g/{t}/", lambda t: glossary[t].summary.get(matcher.lang), self_id
    )
    return [(a.text(), a.attributes["href"] or "") for a in LexborHTMLParser(out).css("a.k8skb-term")]


def test_japanese_longest_match_inside_text(ja: MentionMatcher, glossary: Glossary) -> None:
    html = "<p>各ワーカーノードでkubeletが動き、ノードを管理します。</p>"
    assert linked(html, ja, glossary) == [("ワーカーノード", "/g/node/"), ("kubelet", "/g/kubelet/")]


def test_first_mention_only_and_never_self(ja: MentionMatcher, glossary: Glossary) -> None:
    html = "<p>Podはノードで動きます。</p><p>Podとノードとkubelet。</p>"
    assert linked(html, ja, glossary, self_id="kubelet") == [("Pod", "/g/pod/"), ("ノード", "/g/node/")]


def test_not_in_headings_code_links_or_marked_parts(en: MentionMatcher, glossary: Glossary) -> None:
    html = (
        "<h2>Pod</h2><p><code>etcd</code> <a href='x'>kubelet</a></p><pre>Service</pre>"
        "<p class='k8skb-nolink'>Deployment</p><svg><text>Node</text></svg>"
        "<p>Then a Deployment.</p>"
    )
    assert linked(html, en, glossary) == [("Deployment", "/g/deployment/")]


def test_english_word_boundaries_case_and_plural(en: MentionMatcher, glossary: Glossary) -> None:
    html = "<p>Podcasts and kubeletx are not terms, but nodes and Pods are; so is the control plane.</p>"
    assert linked(html, en, glossary) == [
        ("nodes", "/g/node/"),
        ("Pods", "/g/pod/"),
        ("control plane", "/g/control-plane/"),
    ]


def test_tooltip_is_the_escaped_summary(ja: MentionMatcher, glossary: Glossary) -> None:
    out = link_mentions(
        "<p>kube-apiserver &amp; x &lt; y</p>", ja, lambda t: f"../{t}/", lambda t: glossary[t].summary.ja
    )
    anchor = LexborHTMLParser(out).css_first("a.k8skb-term")
    assert anchor.attributes["title"] == glossary["kube-apiserver"].summary.ja
    assert "（a &lt; b &amp; c）" in out  # the summary's < and & stay escaped in the attribute
    assert "&amp; x &lt; y" in out  # the page's own text stays escaped


def test_untouched_html_is_returned_as_is(ja: MentionMatcher, glossary: Glossary) -> None:
    html = "<p>何もない<br>文章</p>"
    assert link_mentions(html, ja, str, str) == html


def test_katakana_names_are_not_cut_out_of_longer_katakana_words(
    ja: MentionMatcher, glossary: Glossary
) -> None:
    html = "<p>セルフクラスター管理、クラスタリング、マネージドノードグループ。でもクラスターは別。</p>"
    assert linked(html, ja, glossary) == [("クラスター", "/g/cluster/")]


def test_katakana_aka_of_latin_kinds_are_not_linked(ja: MentionMatcher, glossary: Glossary) -> None:
    # Japanese prose writes the kind in English; the katakana word means the ordinary word.
    html = "<p>デプロイメントの作業とポッドキャスト、そしてPodとDeployment。</p>"
    assert linked(html, ja, glossary) == [("Pod", "/g/pod/"), ("Deployment", "/g/deployment/")]
    assert "ポッド" not in ja.surfaces and "Pod" in ja.surfaces


def test_a_built_pages_tooltips_show_summaries_as_plain_text() -> None:
    """A summary's inline Markdown (code spans here) is shown without its markup in a ``title``."""
    real = load_glossary(Path(__file__).parent.parent / "glossary").glossary
    assert real is not None
    page = (
        f'<html lang="en"><head></head><body>{CONTENT_START}'
        f"<p>Ask the Cluster DNS.</p>{CONTENT_END}</body></html>"
    )
    out = TermLinker(real).link_page(page, "en/glossary/pod/")
    anchor = LexborHTMLParser(out).css_first("a.k8skb-term")
    assert anchor is not None and anchor.attributes["href"] == "../cluster-dns/"
    summary = real["cluster-dns"].summary.en
    assert "`my-svc.my-namespace.svc.cluster.local`" in summary
    assert anchor.attributes["title"] == summary.replace("`", "")
