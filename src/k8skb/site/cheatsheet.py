"""The printable cheat sheet, one per language (``/cheatsheet/``, ``/en/cheatsheet/``).

Generated from the glossary like the other pages: every term's name in both languages and its
one-sentence summary, grouped by category, after the cluster picture and the Service-type lanes.
The whole sheet is one HTML fragment (``pages._Builder``), so its headings are not in the page's
table of contents and term mentions in it are not linked again (``k8skb_autolink: false``); the
term names link to their pages. ``docs/assets/k8skb/cheatsheet.css`` lays it out for the screen and
for A4 paper (two columns, no term split across pages).

``add_cheatsheets`` returns the site's pages with the two sheets added; the plugin registers them
like every other generated page.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from k8skb.glossary.model import Glossary, GlossaryEntry, Relation
from k8skb.glossary.taxonomy import CATEGORIES, LANGUAGES
from k8skb.site.pages import (
    SitePages,
    _Builder,
    _Context,
    cluster_diagram,
    sorted_entries,
    source_label,
    traffic_lanes,
)
from k8skb.site.text import attr, html_text, inline_markdown

UI: Mapping[str, Mapping[str, str]] = {
    "ja": {
        "title": "チートシート",
        "intro": (
            "Kubernetesの基礎用語をまとめた早見表です。ブラウザーの印刷機能で、A4用紙4ページ以内に印刷できます。"
        ),
        "figures": "全体像",
    },
    "en": {
        "title": "Cheat sheet",
        "intro": (
            "Every fundamental Kubernetes term in one place. "
            "Print it from your browser: it fits on at most four A4 pages."
        ),
        "figures": "The big picture",
    },
}
"""The cheat sheet's fixed texts, per language."""


PAGE_RULE = "@page { size: A4; margin: 10mm 10mm 11mm; }"
"""The paper of the printed sheet; in the sheet's own page (a global rule would change every page's)."""


def cheatsheet_path(lang: str) -> str:
    """The docs-relative path of the cheat sheet (served at ``/cheatsheet/``, ``/en/cheatsheet/``)."""
    return f"{lang}/cheatsheet.md"


_UP_TWO = re.compile(r'href="\.\./\.\./')
_UP_ONE = re.compile(r'href="\.\./(?!glossary/)')


def _relink(svg: str) -> str:
    """Make a category page's diagram links (``../../<id>/``, ``../<category>/``) work from the sheet."""
    return _UP_ONE.sub('href="../glossary/category/', _UP_TWO.sub('href="../glossary/', svg))


def _term(entry: GlossaryEntry, lang: str) -> str:
    other = "en" if lang == "ja" else "ja"
    name, other_name = entry.name.get(lang), entry.name.get(other)
    also = (
        f' <span class="k8skb-cs-other" lang="{other}">{html_text(other_name)}</span>'
        if other_name != name
        else ""
    )
    return (
        f'<div class="k8skb-cs-term"><dt><a href="../glossary/{attr(entry.id)}/">{html_text(name)}</a>{also}'
        f"</dt><dd>{inline_markdown(entry.summary.get(lang))}</dd></div>"
    )


def cheatsheet_page(ctx: _Context) -> _Builder:
    """Return the cheat sheet of ``ctx.lang``: title, the two diagrams, then every term by category."""
    glossary, lang = ctx.glossary, ctx.lang
    ui = UI[lang]
    page = _Builder()
    source = source_label(str(glossary.root or "glossary"), 0, ctx.root)
    page.md(f"---\nk8skb_source: {json.dumps(source, ensure_ascii=False)}\nk8skb_autolink: false\n---\n")
    figures = [_relink(svg) for svg in (cluster_diagram(ctx), traffic_lanes(ctx, "service-type")) if svg]
    parts = [
        f"<style>{PAGE_RULE}</style>",
        f'<div class="k8skb-cheatsheet k8skb-nolink" data-pagefind-ignore="all" lang="{lang}">',
        f"<h1>{html_text(ui['title'])}</h1>",
        f'<p class="k8skb-cs-intro">{html_text(ui["intro"])}</p>',
    ]
    if figures:
        parts.append(f'<h2 class="k8skb-cs-figures-title">{html_text(ui["figures"])}</h2>')
        parts += [f'<div class="k8skb-figure k8skb-cs-figure">{svg}</div>' for svg in figures]
    parts.append('<div class="k8skb-cs-terms">')
    for cat in CATEGORIES:
        entries = sorted_entries(glossary, glossary.in_category(cat.id), lang)
        if not entries:
            continue
        parts.append(
            f'<section class="k8skb-cs-category" data-category="{attr(cat.id)}">'
            f'<h2><a href="../glossary/category/{attr(cat.id)}/">{html_text(cat.label.get(lang))}</a></h2>'
            f"<dl>{''.join(_term(e, lang) for e in entries)}</dl></section>"
        )
    parts.append("</div></div>")
    page.html("\n".join(parts) + "\n")
    return page


def add_cheatsheets(
    pages: SitePages, glossary: Glossary, root: Path | None = None, languages: Sequence[str] = LANGUAGES
) -> SitePages:
    """Return ``pages`` with the cheat sheet of every language in ``languages`` added."""
    incoming: dict[str, list[tuple[GlossaryEntry, Relation]]] = defaultdict(list)
    for entry in glossary:
        for rel in entry.relations:
            incoming[rel.target].append((entry, rel))
    markdown, fragments = dict(pages.markdown), dict(pages.fragments)
    for lang in languages:
        ctx = _Context(glossary=glossary, lang=lang, incoming=incoming, root=root)
        path = cheatsheet_path(lang)
        markdown[path], fragments[path] = cheatsheet_page(ctx).page()
    return replace(pages, markdown=markdown, fragments=fragments)
