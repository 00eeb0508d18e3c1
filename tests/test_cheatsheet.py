"""The cheat sheet page: every term in both languages, grouped by category, escaped, links that resolve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from k8skb.glossary.model import Glossary, LocalizedText
from k8skb.glossary.taxonomy import CATEGORIES
from k8skb.glossary.validate import load_glossary
from k8skb.site.cheatsheet import add_cheatsheets, cheatsheet_path
from k8skb.site.pages import generate_site

FIXTURE = Path(__file__).parent / "site_glossary"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    result = load_glossary(FIXTURE)
    assert result.glossary is not None
    return result.glossary


def _sheet(glossary: Glossary, lang: str) -> LexborHTMLParser:
    site = add_cheatsheets(generate_site(glossary), glossary)
    assert site.markdown[cheatsheet_path(lang)].startswith("---\n")
    assert "k8skb_autolink: false" in site.markdown[cheatsheet_path(lang)]
    (fragment,) = site.fragments[cheatsheet_path(lang)]
    return LexborHTMLParser(fragment)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_term_with_both_names_and_its_summary_by_category(glossary: Glossary, lang: str) -> None:
    sheet = _sheet(glossary, lang)
    other = "en" if lang == "ja" else "ja"
    sections = sheet.css("section.k8skb-cs-category")
    order = [c.id for c in CATEGORIES]
    shown = [s.attributes["data-category"] for s in sections]
    assert shown == sorted(shown, key=order.index)
    terms = {a.attributes["href"]: a for a in sheet.css(".k8skb-cs-term dt a")}
    assert set(terms) == {f"../glossary/{e.id}/" for e in glossary}
    for entry in glossary:
        item = terms[f"../glossary/{entry.id}/"].parent.parent
        assert item.css_first("dt a").text() == entry.name.get(lang)
        if entry.name.get(other) != entry.name.get(lang):
            assert item.css_first(".k8skb-cs-other").text() == entry.name.get(other)
        assert item.css_first("dd").text().strip()
    assert sheet.css("svg.k8skb-diagram"), "the cluster picture and the Service-type lanes"
    hrefs = [a.attributes["href"] for a in sheet.css("a")]
    assert all(re.fullmatch(r"\.\./glossary/([a-z0-9-]+/|category/[a-z-]+/)", h or "") for h in hrefs), hrefs


def test_glossary_text_is_escaped(glossary: Glossary) -> None:
    pod = glossary["pod"]
    evil = type(pod)(
        **{
            **{f: getattr(pod, f) for f in pod.__dataclass_fields__},
            "name": LocalizedText(ja="Pod <b>&", en="Pod <img src=x>"),
            "summary": LocalizedText(ja="<script>alert(1)</script>", en="<i>x</i> & y"),
        }
    )
    hostile = Glossary(entries=tuple(evil if e.id == "pod" else e for e in glossary), root=glossary.root)
    for lang in ("ja", "en"):
        sheet = _sheet(hostile, lang)
        assert not sheet.css("script") and not sheet.css("b") and not sheet.css("img") and not sheet.css("i")
    assert "<script>alert(1)</script>" in _sheet(hostile, "ja").body.text()
