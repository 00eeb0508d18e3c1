"""Accessible names and structure of the generated HTML: diagrams, tables, the tag filter."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.utils.meta import get_data
from selectolax.lexbor import LexborHTMLParser

from k8skb.glossary.model import Glossary
from k8skb.glossary.validate import load_glossary
from k8skb.site import diagrams
from k8skb.site.pages import generate_pages

FIXTURE = Path(__file__).parent / "site_glossary"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = load_glossary(FIXTURE)
    assert result.glossary is not None
    glossary: Glossary = result.glossary
    return generate_pages(glossary, FIXTURE.parent.parent)


def render(page: str) -> LexborHTMLParser:
    body, _meta = get_data(page)
    md = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "tables", "toc"])
    return LexborHTMLParser(str(md.convert(body)))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_diagram_is_a_named_group_and_every_link_in_it_is_named_by_its_label(
    pages: dict[str, str], lang: str
) -> None:
    seen = 0
    for path, page in pages.items():
        if not path.startswith(lang):
            continue
        for svg in render(page).css("svg.k8skb-diagram"):
            seen += 1
            assert svg.attributes["role"] == "group"
            title = svg.css_first(f"title#{svg.attributes['aria-labelledby']}")
            assert title is not None and title.text().strip(), path
            for link in svg.css("a"):
                label = " ".join(t.text() for t in link.css("text"))
                assert link.attributes.get("aria-label") == label, (path, label)
                assert link.css_first("title").text().strip()  # the summary: the link's description
    assert seen >= 4


def test_the_box_of_the_current_term_says_so(pages: dict[str, str]) -> None:
    svg = render(pages["en/glossary/replicaset.md"]).css_first("svg.k8skb-diagram")
    current = svg.css("a[aria-current=page]")
    assert [a.attributes["aria-label"] for a in current] == ["ReplicaSet"]
    assert current[0].attributes["href"] == "./"


def test_box_names_are_escaped() -> None:
    boxes = [[diagrams.Box(slot="a", label='A "q" <&>', href="../a/", tooltip="t")]]
    svg = diagrams.columns_svg(boxes, [], "T", "d")
    assert 'aria-label="A &quot;q&quot; &lt;&amp;&gt;"' in svg


@pytest.mark.parametrize(("lang", "headers"), [("ja", ["用語", "概要"]), ("en", ["Term", "Summary"])])
def test_category_table_has_column_headers(pages: dict[str, str], lang: str, headers: list[str]) -> None:
    table = render(pages[f"{lang}/glossary/category/resource.md"]).css_first("table")
    ths = table.css("thead th")
    assert [th.text() for th in ths] == headers
    assert all(th.attributes.get("scope") == "col" for th in ths)


@pytest.mark.parametrize(("lang", "status"), [("ja", "{n}語を表示中"), ("en", "{n} terms shown")])
def test_tag_filter_is_a_labelled_group_with_a_status_line(
    pages: dict[str, str], lang: str, status: str
) -> None:
    tree = render(pages[f"{lang}/glossary/index.md"])
    bar = tree.css_first("[data-k8skb-tagfilter]")
    assert bar.attributes["role"] == "group"
    label = tree.css_first(f"#{bar.attributes['aria-labelledby']}")
    assert label is not None and label.text().strip()
    assert all(b.attributes.get("aria-pressed") in ("true", "false") for b in bar.css("button"))
    line = bar.css_first("[data-k8skb-filter-status]")
    assert line.attributes["role"] == "status" and line.attributes["data-template"] == status
