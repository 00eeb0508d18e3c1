"""The page generator, diagrams and escaping: pure functions over a small fixture glossary."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data
from selectolax.lexbor import LexborHTMLParser, LexborNode

from k8skb.glossary.model import Glossary, LocalizedText, Misconception
from k8skb.glossary.validate import load_glossary
from k8skb.site import diagrams
from k8skb.site.pages import generate_pages, sorted_entries, traffic_path
from k8skb.site.text import md_inline, render_markdown

FIXTURE = Path(__file__).parent / "site_glossary"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    result = load_glossary(FIXTURE)
    assert result.glossary is not None, [str(p) for p in result.problems]
    return result.glossary


@pytest.fixture(scope="module")
def pages(glossary: Glossary) -> dict[str, str]:
    return generate_pages(glossary, FIXTURE.parent.parent)


def render(page: str) -> str:
    """Render generated Markdown the way the site does (same extensions, front matter stripped)."""
    body, _meta = get_data(page)
    md = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "tables", "toc"])
    return str(md.convert(body))


def test_every_term_category_and_index_in_both_languages(glossary: Glossary, pages: dict[str, str]) -> None:
    for lang in ("ja", "en"):
        for entry in glossary:
            assert f"{lang}/glossary/{entry.id}.md" in pages
        assert f"{lang}/glossary/index.md" in pages
        assert f"{lang}/glossary/category/resource.md" in pages


def test_term_page_content_ja(pages: dict[str, str]) -> None:
    page = pages["ja/glossary/control-plane.md"]
    _body, meta = get_data(page)
    assert meta["k8skb_source"] == "tests/site_glossary/terms.yaml:13"
    assert meta["k8skb_term"] == "control-plane"
    assert "プレーン" in meta["k8skb_search_names"].split()  # what Pagefind matches a cut-up query on
    assert "k8skb_search_names" not in get_data(pages["en/glossary/control-plane.md"])[1]
    html = render(page)
    tree = LexborHTMLParser(html)
    assert tree.css_first("h1").text() == "コントロールプレーン"
    assert "英語名: Control plane" in tree.css_first(".k8skb-names").text()
    warning = tree.css_first(".admonition.warning")
    assert warning.css_first(".admonition-title").text() == "よくある誤解"
    assert "コントロールプレーンが止まるとPodも止まる。" in warning.text()
    rows = [li.text() for li in tree.css(".k8skb-relations li")]
    assert "構成要素として属する: クラスター" in rows  # outgoing, taxonomy label
    assert any(r.startswith("構成要素: ") and "kube-apiserver" in r for r in rows)  # incoming, inverse label
    quiz = tree.css_first("a.k8skb-quiz-link")
    assert quiz.attributes["href"] == "../../quiz/?term=control-plane"


def test_term_page_other_names_in_both_scripts(pages: dict[str, str]) -> None:
    names_en = LexborHTMLParser(render(pages["en/glossary/pod.md"])).css_first(".k8skb-names").text()
    assert "ポッド" in names_en and "pods" in names_en and "Japanese: Pod" in names_en


def test_references_page_language_first(pages: dict[str, str]) -> None:
    ja = [
        a.attributes["hreflang"]
        for a in LexborHTMLParser(render(pages["ja/glossary/cluster.md"])).css(".k8skb-references a")
    ]
    en = [
        a.attributes["hreflang"]
        for a in LexborHTMLParser(render(pages["en/glossary/cluster.md"])).css(".k8skb-references a")
    ]
    assert ja == ["ja", "en"]
    assert en == ["en", "ja"]


def test_index_sorted_by_reading_in_japanese_and_by_name_in_english(
    glossary: Glossary, pages: dict[str, str]
) -> None:
    resources = glossary.in_category("resource")
    assert [e.id for e in sorted_entries(glossary, resources, "ja")] == [
        "service",
        "deployment",
        "pod",
        "replicaset",
    ]
    assert [e.id for e in sorted_entries(glossary, resources, "en")] == [
        "deployment",
        "pod",
        "replicaset",
        "service",
    ]
    tree = LexborHTMLParser(render(pages["ja/glossary/index.md"]))
    listed = [a.text() for a in tree.css('ul[data-category="resource"] a')]
    assert listed == ["Service", "Deployment", "Pod", "ReplicaSet"]
    assert (
        tree.css_first('ul[data-category="resource"] li').attributes["data-tags"] == "networking core-object"
    )
    assert tree.css_first("[data-k8skb-tagfilter]") is not None


def test_resource_category_diagram_follows_manages(pages: dict[str, str]) -> None:
    tree = LexborHTMLParser(render(pages["en/glossary/category/resource.md"]))
    svg = tree.css_first("svg.k8skb-diagram")
    hrefs = [a.attributes["href"] for a in svg.css("a")]
    assert hrefs == ["../../deployment/", "../../replicaset/", "../../pod/"]
    assert len(svg.css("path.k8skb-edge")) == 2
    assert svg.css_first("title").text() == "How the Resources relate"


def test_cluster_picture_has_control_plane_and_nodes_with_arrows(pages: dict[str, str]) -> None:
    svg = LexborHTMLParser(render(pages["ja/glossary/category/node.md"])).css_first("svg.k8skb-diagram")
    labels = [t.text() for t in svg.css("a.k8skb-box text")]
    assert labels.count("kubelet") == 2 and labels.count("kube-apiserver") == 1
    groups = [t.text() for t in svg.css("a.k8skb-group-label text")]
    assert groups == ["クラスター", "コントロールプレーン", "ノード 1", "ノード 2"]
    assert len(svg.css("path.k8skb-edge")) == 4  # kubelet and kube-proxy → kube-apiserver, on two nodes
    assert all(a.attributes.get("href") for a in svg.css("a"))


def _lanes(svg: LexborNode) -> dict[str, list[str]]:
    """Each lane of a lanes diagram: its boxes left to right, a term as its href, a plain box as its text."""
    lanes: dict[str, list[str]] = {}
    for lane in svg.css("g.k8skb-lane"):
        boxes = [b for b in lane.iter() if b.tag in ("a", "g")]
        lanes[lane.attributes["data-lane"] or ""] = [
            b.attributes["href"] or "" if b.tag == "a" else " ".join(t.text() for t in b.css("tspan"))
            for b in boxes
        ]
    return lanes


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_service_type_diagram_has_one_traffic_lane_per_type(pages: dict[str, str], lang: str) -> None:
    svg = LexborHTMLParser(render(pages[f"{lang}/glossary/category/service-type.md"])).css_first(
        "svg.k8skb-diagram"
    )
    inside, outside, external = {
        "ja": (
            "クライアント (クラスター内)",
            "クライアント (クラスター外)",
            "クラスター外のホスト名 (DNSのCNAME)",
        ),
        "en": ("client (in the cluster)", "client (outside)", "external hostname (DNS CNAME)"),
    }[lang]
    assert _lanes(svg) == {
        "clusterip": [inside, "../../clusterip/", "../../pod/"],
        "nodeport": [outside, "../../nodeport/", "../../clusterip/", "../../pod/"],
        "loadbalancer": [outside, "../../loadbalancer/", "../../nodeport/", "../../clusterip/", "../../pod/"],
        "externalname": [inside, "../../externalname/", external],
    }
    for lane in svg.css("g.k8skb-lane"):  # one arrow between each two neighbouring boxes
        assert len(lane.css("path.k8skb-edge")) == len(lane.css("a.k8skb-box, g.k8skb-plain")) - 1
    for box in svg.css("a.k8skb-box"):  # every term box links to the page of the term it names
        term = (box.attributes["href"] or "").strip("./")
        assert box.css_first("text").text().casefold() == term
    assert (
        svg.css("g.k8skb-plain a") == [] and svg.css("g.k8skb-plain rect")[0].attributes["stroke-dasharray"]
    )
    assert (
        svg.css_first("title").text()
        == {
            "ja": "Serviceのタイプごとに、通信がPodに届くまでの経路",
            "en": "How traffic reaches Pods through each Service type",
        }[lang]
    )
    assert svg.html is not None and len(svg.html) < 20_000


def test_service_type_diagram_has_a_lane_for_each_entry_point_that_exposes_services() -> None:
    real = load_glossary(FIXTURE.parent.parent / "glossary").glossary
    assert real is not None
    page = generate_pages(real, FIXTURE.parent.parent)["en/glossary/category/service-type.md"]
    lanes = _lanes(LexborHTMLParser(render(page)).css_first("svg.k8skb-diagram"))
    # Ingress and Gateway API are networking terms that expose Services: client, entry point, Service, Pod
    for entry_point in ("ingress", "gateway-api"):
        assert lanes[entry_point] == [
            "client (outside)",
            f"../../{entry_point}/",
            "../../service/",
            "../../pod/",
        ]
    assert {"clusterip", "nodeport", "loadbalancer", "externalname"} < set(lanes)


def test_traffic_path_follows_uses_then_exposes(glossary: Glossary) -> None:
    path = traffic_path(glossary, glossary["loadbalancer"])
    assert [e.id for e in path.types] == ["loadbalancer", "nodeport", "clusterip"]
    assert path.backend is not None and path.backend.id == "pod" and path.from_outside
    external = traffic_path(glossary, glossary["externalname"])
    assert [e.id for e in external.types] == ["externalname"]
    assert external.backend is None and not external.from_outside
    clusterip = glossary["clusterip"]
    back = replace(clusterip.relations[0], type="uses", target="nodeport")
    looped = replace(clusterip, relations=(*clusterip.relations, back))  # a uses-cycle ends, no loop
    cyclic = Glossary(
        entries=tuple(looped if e.id == "clusterip" else e for e in glossary), root=glossary.root
    )
    assert [e.id for e in traffic_path(cyclic, cyclic["nodeport"]).types] == ["nodeport", "clusterip"]


def test_lanes_svg_escapes_text_and_links_only_term_boxes() -> None:
    svg = diagrams.lanes_svg(
        [
            (
                "a&b",
                [
                    diagrams.Box(slot="c", label="client <x>\nline & 2", href=""),
                    diagrams.Box(slot="t", label="T<&>", href="../t/?q=1&r=2", tooltip='say "hi"'),
                ],
            ),
            (
                "z",
                [
                    diagrams.Box(slot="t", label="T<&>", href="../t/?q=1&r=2"),
                    diagrams.Box(slot="e", label="E", href=""),
                ],
            ),
        ],
        "T & <t>",
        "u",
    )
    assert "T&lt;&amp;&gt;" in svg and "client &lt;x&gt;" in svg and "line &amp; 2" in svg
    assert "T &amp; &lt;t&gt;" in svg and 'data-lane="a&amp;b"' in svg and "say &quot;hi&quot;" in svg
    assert 'href="../t/?q=1&amp;r=2"' in svg and len(re.findall(r"<a href=", svg)) == 2
    tree = LexborHTMLParser(svg)
    assert tree.css("script, b, x") == []
    xs = {  # the shared slot keeps one column: T sits at the same x in both lanes
        float(r.attributes["x"] or 0) for r in tree.css("a.k8skb-box rect")
    }
    assert len(xs) == 1


def _hostile(glossary: Glossary) -> Glossary:
    entry = glossary["pod"]
    evil = replace(
        entry,
        misconceptions=(
            Misconception(
                wrong=LocalizedText(ja="<script>w</script> `<i>`", en="<script>w</script>"),
                right=LocalizedText(ja="<b>r</b>", en="<b>r</b>"),
                source=entry.source,
            ),
        ),
        name=LocalizedText(ja="Pod <b>&amp;", en="Pod <b>&"),
        summary=LocalizedText(
            ja='<script>alert("ja")</script> & 1 < 2', en='<script>alert("en")</script> & "q"'
        ),
        description=LocalizedText(
            ja="<script>alert(1)</script> **ok** & `<i>`", en="<img src=x onerror=alert(1)> a & b"
        ),
    )
    return Glossary(entries=tuple(evil if e.id == "pod" else e for e in glossary), root=glossary.root)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hostile_text_is_escaped_on_every_generated_page(glossary: Glossary, lang: str) -> None:
    pages = generate_pages(_hostile(glossary))
    for path, page in pages.items():
        if not path.startswith(lang):
            continue
        tree = LexborHTMLParser(render(page))
        assert tree.css("script") == [], path
        assert tree.css("img") == [], path
        assert tree.css("b") == [], path
    term = LexborHTMLParser(render(pages[f"{lang}/glossary/pod.md"]))
    assert term.css_first(".k8skb-summary").text().startswith("<script>alert(")
    assert "<b>r</b>" in term.css_first(".admonition.warning").text()
    shown = {"ja": "<script>alert(1)</script>", "en": "<img src=x onerror=alert(1)>"}[lang]
    assert shown in term.css_first(".k8skb-description").text()
    assert term.css_first("h1").text().startswith("Pod <b>&")
    replicaset = LexborHTMLParser(render(pages[f"{lang}/glossary/replicaset.md"]))
    link = next(a for a in replicaset.css(".k8skb-relations a") if a.attributes["href"] == "../pod/")
    assert link.attributes["title"].startswith("<script>")  # shown as text in the tooltip
    assert link.text().startswith("Pod <b>&")


def test_markdown_helpers_escape() -> None:
    assert md_inline("a *b* [c](d) <e> &") == r"a \*b\* \[c\]\(d\) &lt;e&gt; &amp;"
    out = render_markdown("x <script>y</script> `<b>` **z**")
    assert "<script>" not in out and "&lt;script&gt;" in out and "<strong>z</strong>" in out


def test_diagram_text_is_escaped_and_every_box_links() -> None:
    boxes = [
        [diagrams.Box(slot="a", label="A<&>", href="../a/", tooltip='say "hi" <x>')],
        [diagrams.Box(slot="b", label="B", href="../b/?q=1&r=2")],
    ]
    svg = diagrams.columns_svg(
        boxes, [diagrams.Arrow(source="a", target="b", label="uses <it>")], "T & <t>", "d"
    )
    assert "A&lt;&amp;&gt;" in svg and "&lt;it&gt;" in svg and "T &amp; &lt;t&gt;" in svg
    assert 'href="../b/?q=1&amp;r=2"' in svg
    assert len(re.findall(r"<a href=", svg)) == 2


def test_layer_columns_orders_chains_and_survives_cycles() -> None:
    assert diagrams.layer_columns(["c", "b", "a"], [("a", "b"), ("b", "c")]) == [["a"], ["b"], ["c"]]
    assert sum(len(c) for c in diagrams.layer_columns(["a", "b"], [("a", "b"), ("b", "a")])) == 2


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_misconceptions_render_inline_markdown_and_code_is_never_linked(
    glossary: Glossary, lang: str
) -> None:
    from k8skb.site.mentions import build_matcher, link_mentions

    html = render(generate_pages(glossary)[f"{lang}/glossary/kubelet.md"])
    linked = link_mentions(html, build_matcher(glossary, lang), lambda t: f"/{t}/", lambda t: t, "kubelet")
    warning = LexborHTMLParser(linked).css_first(".admonition.warning")
    assert warning.css_first(".admonition-title").text() in ("よくある誤解", "Common mistake")
    assert [c.text() for c in warning.css("code")] == ["kube-proxy", "kube-proxy"]
    assert "`" not in warning.text()
    assert warning.css_first("em") is not None
    assert warning.css("code a") == []  # never a link inside code


def test_inline_markdown_keeps_one_paragraph_and_escapes_html() -> None:
    from k8skb.site.text import inline_markdown, inline_text

    assert inline_markdown("`kubectl logs`や`kubectl exec`") == (
        "<code>kubectl logs</code>や<code>kubectl exec</code>"
    )
    assert inline_markdown("- a\n# b <i>") == "- a # b &lt;i&gt;"
    assert inline_text("`a` *b* <c> & d") == "a b <c> & d"


def test_placeholders_render_exactly_like_inline_html(glossary: Glossary) -> None:
    from k8skb.site.pages import fill_fragments, generate_site

    site = generate_site(glossary)
    assert any(site.fragments.values())
    for path, page in site.markdown.items():
        filled = fill_fragments(render(page), site.fragments[path])
        assert "k8skb-fragment-" not in filled, path
        normal = re.compile(r">\s+<")
        assert normal.sub("><", filled) == normal.sub("><", render(site.inline(path))), path


def test_generated_markdown_holds_no_raw_html_blocks(glossary: Glossary) -> None:
    from k8skb.site.pages import generate_site

    for path, page in generate_site(glossary).markdown.items():
        body, _meta = get_data(page)
        assert not re.search(r"^<", body, re.M), path  # Python-Markdown never parses our HTML


def _label_rects(svg: str) -> list[tuple[float, float, float, float]]:
    """The boxes (x, y, w, h) of the edge labels of ``svg``, from their tspans and estimated widths."""
    rects = []
    for label in LexborHTMLParser(svg).css("text.k8skb-edge-label"):
        spans = label.css("tspan")
        w = max(diagrams.text_width(s.text(), diagrams.LABEL_SIZE) for s in spans)
        x = float(spans[0].attributes["x"] or 0)
        top = float(spans[0].attributes["y"] or 0) - diagrams.LABEL_LINE / 2
        rects.append((x - w / 2, top, w, len(spans) * diagrams.LABEL_LINE))
    return rects


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_term_diagram_merges_two_relations_to_one_target_and_labels_do_not_overlap(
    glossary: Glossary, lang: str
) -> None:
    entry = glossary["kubelet"]
    twice = replace(entry, relations=(*entry.relations, replace(entry.relations[0], type="runs-on")))
    pages = generate_pages(
        Glossary(entries=tuple(twice if e.id == "kubelet" else e for e in glossary), root=glossary.root)
    )
    svg = LexborHTMLParser(render(pages[f"{lang}/glossary/kubelet.md"])).css_first("svg.k8skb-diagram")
    assert svg is not None and svg.html is not None
    to_node = [t for t in svg.css("text.k8skb-edge-label") if len(t.css("tspan")) == 2]
    assert len(to_node) == 1  # one arrow to the node, both labels on it, one per line
    assert len(svg.css("path.k8skb-edge")) == len(svg.css("text.k8skb-edge-label"))
    rects = _label_rects(svg.html)
    assert not [(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :] if _overlap(a, b)]
    assert all(a.attributes.get("href") for a in svg.css("a"))
    assert len(svg.css("a.k8skb-box rect")) == len(svg.css("rect")) == 3  # every box is a link


def test_long_labels_widen_the_gap_and_skipping_arrows_run_below_the_boxes() -> None:
    columns = [
        [diagrams.Box(slot="a", label="A", href="../a/"), diagrams.Box(slot="b", label="B", href="../b/")],
        [diagrams.Box(slot="c", label="C", href="../c/")],
        [diagrams.Box(slot="d", label="D", href="../d/")],
    ]
    long = "構成要素として属する長いラベル"
    arrows = [
        diagrams.Arrow(source="a", target="c", label=long),
        diagrams.Arrow(source="c", target="d", label="x"),
        diagrams.Arrow(source="a", target="d", label="skips"),
    ]
    svg = diagrams.columns_svg(columns, arrows, "t", "u")
    tree = LexborHTMLParser(svg)
    rects = {t.text(): r for t, r in zip(tree.css("text.k8skb-edge-label"), _label_rects(svg), strict=True)}
    boxes = [
        (
            float(r.attributes["x"] or 0),
            float(r.attributes["y"] or 0),
            float(r.attributes["width"] or 0),
            36.0,
        )
        for r in tree.css("a.k8skb-box rect")
    ]
    assert not [(t, b) for t, r in rects.items() for b in boxes if _overlap(r, b)]  # no label on a box
    lowest_box = max(b[1] + b[3] for b in boxes)
    assert rects["skips"][1] > lowest_box  # the arrow skipping a column runs in a lane below the boxes


def test_a_category_page_names_the_yaml_file_of_its_first_entry(
    glossary: Glossary, pages: dict[str, str]
) -> None:
    _body, meta = get_data(pages["en/glossary/category/resource.md"])
    first = min(glossary.in_category("resource"), key=lambda e: (e.source.path, e.source.line))
    assert meta["k8skb_source"] == f"tests/site_glossary/terms.yaml:{first.source.line}"
    _body, meta = get_data(pages["en/glossary/index.md"])
    assert meta["k8skb_source"] == "tests/site_glossary"  # the index draws on every file
