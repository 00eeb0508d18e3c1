"""The progress page, one per language (``/progress/``, ``/en/progress/``).

The page is a shell generated from the glossary: its title, an introduction, and a JSON data island
(``<script type="application/json" id="k8skb-progress-data">``) with the categories, their terms
(id and name, in the page's language), the words of ``quiz.mastery.WORDS`` and the mastered box.
``docs/assets/k8skb/progress.js`` reads it, the question bank (which question tests which term) and
the quiz's review store in ``localStorage``, and draws the figures; the terminal's
``k8skb quiz --progress`` computes the same figures (``quiz.mastery``) from its own store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from k8skb.glossary.model import Glossary
from k8skb.glossary.taxonomy import CATEGORIES, LANGUAGES
from k8skb.quiz.mastery import MASTERED_BOX, WORDS
from k8skb.site.pages import SitePages, sorted_entries, source_label
from k8skb.site.text import attr, html_text, md_inline


def progress_path(lang: str) -> str:
    """The docs-relative path of the progress page (served at ``/progress/``, ``/en/progress/``)."""
    return f"{lang}/progress.md"


def script_json(data: object) -> str:
    """``data`` as JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` can close or open a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def progress_data(glossary: Glossary, lang: str) -> dict[str, object]:
    """What ``progress.js`` needs besides the bank: categories with their terms, words, mastered box."""
    categories = [
        {
            "id": cat.id,
            "label": cat.label.get(lang),
            "terms": [
                {"id": e.id, "name": e.name.get(lang)}
                for e in sorted_entries(glossary, glossary.in_category(cat.id), lang)
            ],
        }
        for cat in CATEGORIES
        if glossary.in_category(cat.id)
    ]
    return {"lang": lang, "masteredBox": MASTERED_BOX, "words": dict(WORDS[lang]), "categories": categories}


def progress_markdown(glossary: Glossary, lang: str, root: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """Return the progress page of ``lang``: Markdown with one placeholder, and its HTML fragment."""
    words = WORDS[lang]
    data = script_json(progress_data(glossary, lang))
    assets = "../assets/" if lang == LANGUAGES[0] else "../../assets/"  # shared, at the site root
    source = source_label(str(glossary.root or "glossary"), 0, root)
    markdown = (
        f"---\nk8skb_source: {json.dumps(source, ensure_ascii=False)}\nk8skb_autolink: false\n---\n\n"
        f"# {md_inline(words['title'])}\n\nk8skb-fragment-0\n"
    )
    fragment = (
        f"<p>{html_text(words['intro'])}</p>\n"
        f'<p class="k8skb-progress-legend">{html_text(words["legend"])}</p>\n'
        f'<link rel="stylesheet" href="{assets}k8skb/progress.css">\n'
        f'<script type="application/json" id="k8skb-progress-data">{data}</script>\n'
        f'<div id="k8skb-progress" class="k8skb-nolink" data-pagefind-ignore="all" data-root="../" '
        f'data-lang="{attr(lang)}">'
        f"<noscript>{html_text(words['noscript'])}</noscript></div>\n"
        f'<script src="{assets}k8skb/progress.js"></script>\n'
    )
    return markdown, (fragment,)


def add_progress_pages(
    pages: SitePages, glossary: Glossary, root: Path | None = None, languages: Sequence[str] = LANGUAGES
) -> SitePages:
    """Return ``pages`` with the progress page of every language in ``languages`` added."""
    markdown, fragments = dict(pages.markdown), dict(pages.fragments)
    for lang in languages:
        markdown[progress_path(lang)], fragments[progress_path(lang)] = progress_markdown(
            glossary, lang, root
        )
    return replace(pages, markdown=markdown, fragments=fragments)
