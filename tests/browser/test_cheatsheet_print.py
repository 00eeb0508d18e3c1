"""The cheat sheet in Chromium: linked from the nav, printed to A4 PDF on at most 4 pages, no term split.

The PDF is read back with pypdf: its page count, and the text of every page (NFKC-normalized, letters
and digits only, since the PDF's text layer maps some glyphs to compatibility characters), in which
every term's summary must be found whole on one page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
MAX_PAGES = 4


def _as_extracted(letters: str) -> re.Pattern[str]:
    """A pattern for ``letters`` as PDF text extraction may return them: the font maps some kanji
    (長 in 長く) to a CJK radical code point as well, and pypdf may pick that one."""
    return re.compile(
        "".join(f"(?:{c}|[\u2e80-\u2fdf])" if "\u4e00" <= c <= "\u9fff" else re.escape(c) for c in letters)
    )


def _letters(text: str) -> str:
    return "".join(re.findall(r"[\w\u2e80-\u2fdf]", unicodedata.normalize("NFKC", text)))


@pytest.mark.parametrize(("lang", "prefix"), [("ja", ""), ("en", "en/")])
def test_the_cheat_sheet_prints_on_at_most_four_a4_pages_without_splitting_a_term(
    page: Any, site_url: str, built_site: Path, lang: str, prefix: str
) -> None:
    from pypdf import PdfReader

    page.goto(f"{site_url}{prefix}")
    nav = page.locator("nav.md-nav--primary a[href$='cheatsheet/']")
    assert nav.count() >= 1, "the cheat sheet is linked from the navigation"
    nav.first.click()
    page.wait_for_url(f"{site_url}{prefix}cheatsheet/")
    assert page.get_attribute("html", "lang") == lang
    terms = page.eval_on_selector_all(
        ".k8skb-cs-term",
        "els => els.map(e => [e.querySelector('dt a').textContent, e.querySelector('dd').textContent])",
    )
    glossary = json.loads((built_site / "assets" / "quiz" / f"bank.{lang}.json").read_text(encoding="utf-8"))[
        "terms"
    ]
    assert sorted(name for name, _ in terms) == sorted(glossary.values())
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"cheatsheet-{lang}.pdf").write_bytes(pdf)
    reader = PdfReader(BytesIO(pdf))
    assert 1 <= len(reader.pages) <= MAX_PAGES, f"{len(reader.pages)} pages"
    width_mm = float(reader.pages[0].mediabox.width) * 25.4 / 72
    assert round(width_mm) == 210, "A4"
    pages = [_letters(p.extract_text()) for p in reader.pages]
    for name, summary in terms:
        whole = _as_extracted(_letters(summary))
        holders = [n for n, text in enumerate(pages) if whole.search(text)]
        assert holders, f"{name}: summary not found whole on any page (split across pages?)"
        assert _letters(name) in pages[holders[0]], f"{name}: name and summary on different pages"
