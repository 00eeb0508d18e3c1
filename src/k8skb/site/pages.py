"""Generate the glossary's pages, both languages, as Markdown: a pure function of the ``Glossary``.

Flow: ``generate_site(glossary)`` → for each language: one page per term (``<lang>/glossary/<id>.md``),
the glossary index (``<lang>/glossary/index.md``) and one overview page per category
(``<lang>/glossary/category/<category>.md``) → ``SitePages``: ``{docs-relative path: markdown}`` plus,
per page, the HTML fragments its Markdown refers to by placeholder. The MkDocs plugin hands the
Markdown to MkDocs and puts the fragments back into the rendered HTML (``fill_fragments``), so
Python-Markdown never parses the big HTML blocks (its raw-HTML handling was the build's hot spot);
``generate_pages`` returns the same pages with the HTML inline (plain Markdown, as one would write it).

Plain glossary text is escaped for Markdown (``md_inline``) or HTML (``html_text``/``attr``);
descriptions, summaries and misconceptions are Markdown rendered here with raw HTML off. Structured
parts (names line, relation lists, tables, diagrams, misconception boxes) are HTML fragments, so their
escaping does not depend on Markdown rules; the parts that should not get automatic term links carry
the ``k8skb-nolink`` class.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from k8skb.glossary.model import Glossary, GlossaryEntry, Relation
from k8skb.glossary.taxonomy import CATEGORIES, LANGUAGES, TAGS, category, relation_type
from k8skb.site import diagrams
from k8skb.site.diagrams import Arrow, Box, ClusterPicture, Group
from k8skb.site.search import name_words
from k8skb.site.text import attr, html_text, inline_markdown, inline_text, md_inline, render_markdown

UI: Mapping[str, Mapping[str, str]] = {
    "ja": {
        "other_name": "英語名",
        "aka": "別名",
        "category": "カテゴリー",
        "tags": "タグ",
        "description": "説明",
        "mistake": "よくある誤解",
        "wrong": "誤解",
        "right": "正しくは",
        "relations": "関係",
        "related": "関連項目",
        "references": "参考資料",
        "ref_ja": "日本語",
        "ref_en": "英語",
        "quiz": "理解度チェック",
        "quiz_link": "この用語のクイズに挑戦する",
        "diagram": "{name}と関係する用語の図",
        "glossary": "用語集",
        "glossary_intro": "Kubernetesの基礎用語をカテゴリー別に並べています。タグで絞り込めます。",
        "filter": "タグで絞り込む",
        "filter_status": "{n}語を表示中",
        "all": "すべて",
        "term": "用語",
        "summary": "概要",
        "overview": "カテゴリーの概要と図",
        "cluster_diagram": "クラスターの構成図: コントロールプレーンとノードのコンポーネント",
        "category_diagram": "{label}の関係図",
        "service_paths": "Serviceのタイプごとに、通信がPodに届くまでの経路",
        "entry_paths": "Serviceのタイプごとと、Serviceの前に立つ入口から、通信がPodに届くまでの経路",
        "client_inside": "クライアント\n(クラスター内)",
        "client_outside": "クライアント\n(クラスター外)",
        "external_host": "クラスター外のホスト名\n(DNSのCNAME)",
        "node_n": "{name} {n}",
        "sep": "、",
    },
    "en": {
        "other_name": "Japanese",
        "aka": "Also known as",
        "category": "Category",
        "tags": "Tags",
        "description": "Description",
        "mistake": "Common mistake",
        "wrong": "Wrong",
        "right": "Right",
        "relations": "Relations",
        "related": "See also",
        "references": "References",
        "ref_ja": "Japanese",
        "ref_en": "English",
        "quiz": "Test yourself",
        "quiz_link": "Take the quiz on this term",
        "diagram": "Terms related to {name}",
        "glossary": "Glossary",
        "glossary_intro": "The fundamental terms of Kubernetes, by category. Filter them by tag.",
        "filter": "Filter by tag",
        "filter_status": "{n} terms shown",
        "all": "All",
        "term": "Term",
        "summary": "Summary",
        "overview": "Category overview and diagram",
        "cluster_diagram": "A cluster: control plane and node components",
        "category_diagram": "How the {label} relate",
        "service_paths": "How traffic reaches Pods through each Service type",
        "entry_paths": "How traffic reaches Pods through Service types and the entry points in front of them",
        "client_inside": "client\n(in the cluster)",
        "client_outside": "client\n(outside)",
        "external_host": "external hostname\n(DNS CNAME)",
        "node_n": "{name} {n}",
        "sep": ", ",
    },
}
"""Every fixed text of the generated pages, per language."""

CLUSTER_CATEGORIES = frozenset({"architecture", "control-plane", "node"})
"""Categories whose overview page shows the cluster picture."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Context:
    """What every page of one language needs: the glossary, the language, the incoming-relation index."""

    glossary: Glossary
    lang: str
    incoming: Mapping[str, Sequence[tuple[GlossaryEntry, Relation]]]
    root: Path | None

    def ui(self, key: str) -> str:
        return UI[self.lang][key]


def term_path(lang: str, term_id: str) -> str:
    """The docs-relative path of a term page (served at ``/glossary/<id>/``, ``/en/glossary/<id>/``)."""
    return f"{lang}/glossary/{term_id}.md"


def category_path(lang: str, category_id: str) -> str:
    """The docs-relative path of a category overview page."""
    return f"{lang}/glossary/category/{category_id}.md"


def index_path(lang: str) -> str:
    """The docs-relative path of the glossary index page."""
    return f"{lang}/glossary/index.md"


FRAGMENT = "k8skb-fragment-{n}"
"""The placeholder paragraph standing for HTML fragment ``n`` of a page, in its Markdown."""

_FRAGMENT_HTML = re.compile(r"<p>k8skb-fragment-(\d+)</p>")


@dataclass(slots=True)
class _Builder:
    """The parts of one page: Markdown, and HTML fragments that stand as placeholder paragraphs."""

    parts: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)

    def md(self, text: str) -> None:
        self.parts.append(text)

    def html(self, block: str) -> None:
        """Add an HTML block (one or more complete elements) that Markdown must not touch."""
        self.parts.append(FRAGMENT.format(n=len(self.fragments)) + "\n")
        self.fragments.append(block)

    def page(self) -> tuple[str, tuple[str, ...]]:
        return "\n".join(self.parts), tuple(self.fragments)


@dataclass(frozen=True, slots=True, kw_only=True)
class SitePages:
    """Every generated page: its Markdown (with placeholders) and the HTML fragments it refers to."""

    markdown: dict[str, str]
    fragments: dict[str, tuple[str, ...]]

    def inline(self, path: str, adapt: Callable[[str], str] | None = None) -> str:
        """Return the page at ``path`` as plain Markdown, its HTML fragments written in as raw HTML.

        ``adapt`` rewrites each fragment first (``generate.source_relative`` for Zensical's links).
        """
        fragments = self.fragments.get(path, ())
        return re.sub(
            r"^k8skb-fragment-(\d+)$",
            lambda m: (adapt or str)(fragments[int(m.group(1))].rstrip("\n")),
            self.markdown[path],
            flags=re.M,
        )


def fill_fragments(html: str, fragments: Sequence[str]) -> str:
    """Return rendered ``html`` with each placeholder paragraph replaced by its HTML fragment."""
    if not fragments:
        return html
    return _FRAGMENT_HTML.sub(lambda m: fragments[int(m.group(1))].rstrip("\n"), html)


def generate_site(
    glossary: Glossary, root: Path | None = None, languages: Sequence[str] = LANGUAGES
) -> SitePages:
    """Return every generated page of ``languages`` as Markdown with placeholders plus HTML fragments.

    ``root`` (the project directory) makes the ``k8skb:source`` file names relative to it.
    """
    incoming: dict[str, list[tuple[GlossaryEntry, Relation]]] = defaultdict(list)
    for entry in glossary:
        for rel in entry.relations:
            incoming[rel.target].append((entry, rel))
    markdown: dict[str, str] = {}
    fragments: dict[str, tuple[str, ...]] = {}
    for lang in languages:
        ctx = _Context(glossary=glossary, lang=lang, incoming=incoming, root=root)
        built = [(term_path(lang, e.id), term_page(ctx, e)) for e in glossary]
        built.append((index_path(lang), index_page(ctx)))
        built += [(category_path(lang, cat.id), category_page(ctx, cat.id)) for cat in CATEGORIES]
        for path, builder in built:
            markdown[path], fragments[path] = builder.page()
    return SitePages(markdown=markdown, fragments=fragments)


def generate_pages(glossary: Glossary, root: Path | None = None) -> dict[str, str]:
    """Return every generated page, both languages, as plain Markdown: ``{docs-relative path: markdown}``."""
    site = generate_site(glossary, root)
    return {path: site.inline(path) for path in site.markdown}


def source_label(path: str, line: int, root: Path | None) -> str:
    """Return ``path:line`` with ``path`` relative to ``root`` when it lies inside it."""
    shown = path
    if root is not None:
        try:
            shown = Path(path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = path
    return f"{shown}:{line}" if line else shown


def _front_matter(**meta: str) -> str:
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _link(entry: GlossaryEntry, lang: str, href: str) -> str:
    title = attr(inline_text(entry.summary.get(lang)))
    return f'<a href="{attr(href)}" title="{title}">{html_text(entry.name.get(lang))}</a>'


# ---------------------------------------------------------------- term page


def term_page(ctx: _Context, entry: GlossaryEntry) -> _Builder:
    """Return one term's page in ``ctx.lang``: Markdown headings, everything else HTML fragments."""
    lang = ctx.lang
    page = _Builder()
    search = {"k8skb_search_names": name_words((entry.name.ja, *entry.aka.ja))} if lang == "ja" else {}
    page.md(
        _front_matter(
            k8skb_source=source_label(entry.source.path, entry.source.line, ctx.root),
            k8skb_term=entry.id,
            **search,
        )
    )
    page.md(f"# {md_inline(entry.name.get(lang))}\n")
    page.html(
        _names_line(ctx, entry)
        + f'<p class="k8skb-summary"><strong>{inline_markdown(entry.summary.get(lang))}</strong></p>\n'
        + _meta_line(ctx, entry)
    )
    page.md(f"## {md_inline(ctx.ui('description'))}\n")
    description = render_markdown(entry.description.get(lang))
    misconceptions = "".join(
        _misconception(ctx, m.wrong.get(lang), m.right.get(lang)) for m in entry.misconceptions
    )
    page.html(f'<div class="k8skb-description">\n{description}\n</div>\n{misconceptions}')
    relations = _relations(ctx, entry)
    if relations:
        page.md(f"## {md_inline(ctx.ui('relations'))}\n")
        page.html(relations)
    if entry.references:
        page.md(f"## {md_inline(ctx.ui('references'))}\n")
        page.html(_references(ctx, entry))
    page.md(f"## {md_inline(ctx.ui('quiz'))}\n")
    quiz_href = f"../../quiz/?term={entry.id}"
    page.html(
        f'<p class="k8skb-nolink"><a class="md-button k8skb-quiz-link" href="{attr(quiz_href)}">'
        f"{html_text(ctx.ui('quiz_link'))}</a></p>\n"
    )
    return page


def _names_line(ctx: _Context, entry: GlossaryEntry) -> str:
    other = "en" if ctx.lang == "ja" else "ja"
    aka = tuple(dict.fromkeys((*entry.aka.get(ctx.lang), *entry.aka.get(other))))
    items = [
        f'<span class="k8skb-other-name" lang="{other}">{html_text(ctx.ui("other_name"))}: '
        f"{html_text(entry.name.get(other))}</span>"
    ]
    if aka:
        names = ctx.ui("sep").join(html_text(a) for a in aka)
        items.append(f'<span class="k8skb-aka">{html_text(ctx.ui("aka"))}: {names}</span>')
    return f'<p class="k8skb-names k8skb-nolink">{" · ".join(items)}</p>\n'


def _meta_line(ctx: _Context, entry: GlossaryEntry) -> str:
    cat = category(entry.category)
    cat_link = f'<a href="../category/{attr(cat.id)}/">{html_text(cat.label.get(ctx.lang))}</a>'
    out = f'<p class="k8skb-meta k8skb-nolink">{html_text(ctx.ui("category"))}: {cat_link}'
    if entry.tags:
        tags = " ".join(
            f'<span class="k8skb-tag">{html_text(TAGS[t].get(ctx.lang) if t in TAGS else t)}</span>'
            for t in entry.tags
        )
        out += f" · {html_text(ctx.ui('tags'))}: {tags}"
    return out + "</p>\n"


def _misconception(ctx: _Context, wrong: str, right: str) -> str:
    """A warning admonition (the HTML ``admonition`` renders) with the texts as inline Markdown."""
    return (
        '<div class="admonition warning">\n'
        f'<p class="admonition-title">{html_text(ctx.ui("mistake"))}</p>\n'
        f"<p><strong>{html_text(ctx.ui('wrong'))}:</strong> {inline_markdown(wrong)}</p>\n"
        f"<p><strong>{html_text(ctx.ui('right'))}:</strong> {inline_markdown(right)}</p>\n"
        "</div>\n"
    )


def _relations(ctx: _Context, entry: GlossaryEntry) -> str:
    glossary, lang = ctx.glossary, ctx.lang
    rows: list[str] = []
    outgoing: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for rel in entry.relations:
        target = glossary.get(rel.target)
        if target is not None:
            outgoing[rel.type].append(target)
    for type_id, targets in outgoing.items():
        label = relation_type(type_id).label.get(lang)
        rows.append(_relation_row(ctx, label, targets, "k8skb-out"))
    incoming: dict[str, list[GlossaryEntry]] = defaultdict(list)
    for source, rel in ctx.incoming.get(entry.id, ()):
        incoming[rel.type].append(source)
    for type_id, sources in incoming.items():
        label = relation_type(type_id).inverse.get(lang)
        rows.append(_relation_row(ctx, label, sources, "k8skb-in"))
    related = [e for e in (glossary.get(r) for r in entry.related) if e is not None]
    if related:
        rows.append(_relation_row(ctx, ctx.ui("related"), related, "k8skb-related"))
    if not rows:
        return ""
    diagram = term_diagram(ctx, entry)
    figure = (
        f'<div class="k8skb-figure k8skb-nolink" data-pagefind-ignore>{diagram}</div>\n' if diagram else ""
    )
    return figure + '<ul class="k8skb-relations k8skb-nolink">\n' + "\n".join(rows) + "\n</ul>\n"


def _relation_row(ctx: _Context, label: str, entries: Sequence[GlossaryEntry], css: str) -> str:
    links = ctx.ui("sep").join(_link(e, ctx.lang, f"../{e.id}/") for e in entries)
    return f'<li class="{css}"><span class="k8skb-rel">{html_text(label)}</span>: {links}</li>'


def _references(ctx: _Context, entry: GlossaryEntry) -> str:
    ordered = sorted(entry.references, key=lambda r: r.lang != ctx.lang)
    items = []
    for ref in ordered:
        lang_label = ctx.ui("ref_ja") if ref.lang == "ja" else ctx.ui("ref_en")
        items.append(
            f'<li><a href="{attr(ref.url)}" hreflang="{attr(ref.lang)}">'
            f"{html_text(ref.title.get(ctx.lang))}</a> "
            f'<span class="k8skb-ref-lang">({html_text(lang_label)})</span></li>'
        )
    return '<ul class="k8skb-references k8skb-nolink">\n' + "\n".join(items) + "\n</ul>\n"


def _box(ctx: _Context, entry: GlossaryEntry, slot: str, href: str, current: bool = False) -> Box:
    return Box(
        slot=slot,
        label=entry.name.get(ctx.lang),
        href=href,
        tooltip=inline_text(entry.summary.get(ctx.lang)),
        current=current,
    )


def term_diagram(ctx: _Context, entry: GlossaryEntry) -> str:
    """Return the SVG of a term's relations: sources on the left, the term, targets on the right."""
    glossary, lang = ctx.glossary, ctx.lang
    left: dict[str, Box] = {}
    right: dict[str, Box] = {}
    arrows: list[Arrow] = []
    for source, rel in ctx.incoming.get(entry.id, ()):
        left.setdefault(source.id, _box(ctx, source, f"in:{source.id}", f"../{source.id}/"))
        arrows.append(
            Arrow(source=f"in:{source.id}", target="self", label=relation_type(rel.type).label.get(lang))
        )
    for rel in entry.relations:
        target = glossary.get(rel.target)
        if target is None:
            continue
        right.setdefault(target.id, _box(ctx, target, f"out:{target.id}", f"../{target.id}/"))
        arrows.append(
            Arrow(source="self", target=f"out:{target.id}", label=relation_type(rel.type).label.get(lang))
        )
    if not arrows:
        return ""
    me = _box(ctx, entry, "self", "./", current=True)
    title = ctx.ui("diagram").format(name=entry.name.get(lang))
    return diagrams.columns_svg(
        [list(left.values()), [me], list(right.values())], arrows, title, f"d-{entry.id}"
    )


# ---------------------------------------------------------------- glossary index


def sorted_entries(glossary: Glossary, entries: Sequence[GlossaryEntry], lang: str) -> list[GlossaryEntry]:
    """Sort ``entries`` for ``lang``: Japanese by kana ``reading``, English by name (case-insensitive)."""
    if lang == "ja":
        return sorted(entries, key=lambda e: (e.reading, e.name.ja, e.id))
    return sorted(entries, key=lambda e: (e.name.en.casefold(), e.id))


def index_page(ctx: _Context) -> _Builder:
    """Return the glossary index: every term by category, with a tag filter."""
    glossary, lang = ctx.glossary, ctx.lang
    used_tags = [t for t in TAGS if any(t in e.tags for e in glossary)]
    buttons = [
        f'<button type="button" class="md-button" data-tag="" aria-pressed="true">'
        f"{html_text(ctx.ui('all'))}</button>"
    ]
    buttons += [
        f'<button type="button" class="md-button" data-tag="{attr(t)}" aria-pressed="false">'
        f"{html_text(TAGS[t].get(lang))}</button>"
        for t in used_tags
    ]
    page = _Builder()
    page.md(_front_matter(k8skb_source=source_label(str(glossary.root or "glossary"), 0, ctx.root)))
    page.md(f"# {md_inline(ctx.ui('glossary'))}\n")
    page.html(
        f"<p>{html_text(ctx.ui('glossary_intro'))}</p>\n"
        f'<div class="k8skb-tagfilter k8skb-nolink" data-k8skb-tagfilter hidden role="group" '
        f'aria-labelledby="k8skb-filter-label">'
        f'<span class="k8skb-filter-label" id="k8skb-filter-label">{html_text(ctx.ui("filter"))}:</span> '
        f"{' '.join(buttons)}"
        f'<p class="k8skb-sr-only" role="status" data-k8skb-filter-status '
        f'data-template="{attr(ctx.ui("filter_status"))}"></p></div>\n'
    )
    for cat in CATEGORIES:
        entries = glossary.in_category(cat.id)
        if not entries:
            continue
        page.md(f"## {md_inline(cat.label.get(lang))}\n")
        items = [
            f'<li data-tags="{attr(" ".join(e.tags))}">{_link(e, lang, f"{e.id}/")}'
            f' — <span class="k8skb-summary-inline">{inline_markdown(e.summary.get(lang))}</span></li>'
            for e in sorted_entries(glossary, entries, lang)
        ]
        page.html(
            f'<ul class="k8skb-termlist k8skb-nolink" data-category="{attr(cat.id)}">\n'
            + "\n".join(items)
            + "\n</ul>\n"
            f'<p class="k8skb-catlink k8skb-nolink"><a href="category/{attr(cat.id)}/">'
            f"{html_text(ctx.ui('overview'))} →</a></p>\n"
        )
    return page


# ---------------------------------------------------------------- category pages


def category_page(ctx: _Context, category_id: str) -> _Builder:
    """Return one category's overview: blurb, diagram, table of its terms."""
    glossary, lang = ctx.glossary, ctx.lang
    cat = category(category_id)
    entries = sorted_entries(glossary, glossary.in_category(category_id), lang)
    page = _Builder()
    first = min(glossary.in_category(category_id), key=lambda e: (e.source.path, e.source.line), default=None)
    source = (first.source.path, first.source.line) if first else (str(glossary.root or "glossary"), 0)
    page.md(_front_matter(k8skb_source=source_label(*source, ctx.root)))  # a problem here: edit that file
    page.md(f"# {md_inline(cat.label.get(lang))}\n")
    diagram = category_diagram(ctx, category_id)
    figure = (
        f'<div class="k8skb-figure k8skb-nolink" data-pagefind-ignore>{diagram}</div>\n' if diagram else ""
    )
    rows = [
        f"<tr><td>{_link(e, lang, f'../../{e.id}/')}</td><td>{inline_markdown(e.summary.get(lang))}</td></tr>"
        for e in entries
    ]
    page.html(
        f"<p>{html_text(cat.blurb.get(lang))}</p>\n"
        + figure
        + f'<div class="k8skb-nolink">\n<table>\n<thead><tr><th scope="col">{html_text(ctx.ui("term"))}</th>'
        f'<th scope="col">{html_text(ctx.ui("summary"))}</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>\n"
    )
    return page


def category_diagram(ctx: _Context, category_id: str) -> str:
    """Return the SVG of a category page: the cluster picture, or the relations among its terms."""
    if category_id in CLUSTER_CATEGORIES:
        return cluster_diagram(ctx)
    if category_id == "resource":
        return relation_dag(ctx, category_id, {"resource"}, {"manages"})
    if category_id == "service-type":
        return traffic_lanes(ctx, category_id)
    return relation_dag(ctx, category_id, {category_id}, None)


def _members(glossary: Glossary, group_id: str, fallback_category: str) -> list[GlossaryEntry]:
    """The terms that are ``part-of`` ``group_id``; when there are none, the terms of a category."""
    parts = [e for e in glossary if any(r.type == "part-of" and r.target == group_id for r in e.relations)]
    return parts or list(glossary.in_category(fallback_category))


def cluster_diagram(ctx: _Context) -> str:
    """Return the cluster picture: control plane box with its components, two nodes with theirs."""
    glossary, lang = ctx.glossary, ctx.lang
    cp_members = _members(glossary, "control-plane", "control-plane")
    node_members = _members(glossary, "node", "node")
    if not cp_members and not node_members:
        return ""

    def frame(term_id: str, fallback_cat: str) -> tuple[str, str, str]:
        entry = glossary.get(term_id)
        if entry is None:
            return category(fallback_cat).label.get(lang), f"../{fallback_cat}/", ""
        return entry.name.get(lang), f"../../{entry.id}/", inline_text(entry.summary.get(lang))

    cp_label, cp_href, cp_tip = frame("control-plane", "control-plane")
    control_plane = Group(
        label=cp_label,
        href=cp_href,
        members=tuple(_box(ctx, e, f"cp:{e.id}", f"../../{e.id}/") for e in cp_members),
        tooltip=cp_tip,
    )
    node_label, node_href, node_tip = frame("node", "node")
    nodes = tuple(
        Group(
            label=UI[lang]["node_n"].format(name=node_label, n=n),
            href=node_href,
            members=tuple(_box(ctx, e, f"n{n}:{e.id}", f"../../{e.id}/") for e in node_members),
            tooltip=node_tip,
        )
        for n in (1, 2)
    )
    cp_ids = {e.id for e in cp_members}
    arrows = tuple(
        Arrow(source=f"n{n}:{e.id}", target=f"cp:{r.target}", label=relation_type(r.type).label.get(lang))
        for n in (1, 2)
        for e in node_members
        for r in e.relations
        if r.target in cp_ids
    )
    cl_label, cl_href, cl_tip = frame("cluster", "architecture")
    picture = ClusterPicture(
        label=cl_label, href=cl_href, control_plane=control_plane, nodes=nodes, arrows=arrows, tooltip=cl_tip
    )
    return diagrams.cluster_svg(picture, ctx.ui("cluster_diagram"), "cluster")


@dataclass(frozen=True, slots=True, kw_only=True)
class TrafficPath:
    """The way a request sent to a Service type goes: the types it passes, then where it lands."""

    types: tuple[GlossaryEntry, ...]
    backend: GlossaryEntry | None
    from_outside: bool


def traffic_path(glossary: Glossary, entry: GlossaryEntry) -> TrafficPath:
    """Return the way a request sent to ``entry`` (a Service type) goes, derived from relations.

    From ``entry``, ``uses`` relations to terms of the same category are followed (LoadBalancer →
    NodePort → ClusterIP); the last of them hands the request to what it ``exposes`` or ``selects``
    (ClusterIP → Pod). A type with nothing of that kind reaches no Pod, and the path ends there
    (ExternalName). A type that ``uses`` another one is built to open it to the outside, so its
    requests come from outside the cluster; the others are reached from inside it.
    """
    hops = [entry]
    while True:
        following = next(
            (
                target
                for rel in hops[-1].relations
                if rel.type == "uses"
                and (target := glossary.get(rel.target)) is not None
                and target.category == entry.category
                and target not in hops
            ),
            None,
        )
        if following is None:
            break
        hops.append(following)
    backend = next(
        (
            target
            for rel in hops[-1].relations
            if rel.type in ("exposes", "selects") and (target := glossary.get(rel.target)) is not None
        ),
        None,
    )
    return TrafficPath(types=tuple(hops), backend=backend, from_outside=len(hops) > 1)


def traffic_lanes(ctx: _Context, category_id: str) -> str:
    """Return the SVG of how a request reaches Pods through each type of ``category_id``, one lane each.

    A lane: the client (inside or outside the cluster), then the hops of ``traffic_path``; a lane that
    reaches no Pod ends in an external hostname. Clients and that hostname are plain boxes. A term of
    another category that ``exposes`` what the types are ``instance-of`` (Ingress and Gateway API expose
    Services) gets a lane too: outside client, that term, the Service, then what the Service exposes.
    """
    glossary = ctx.glossary
    lanes: list[tuple[str, list[Box]]] = []
    for entry in glossary.in_category(category_id):
        path = traffic_path(glossary, entry)
        client = ctx.ui("client_outside" if path.from_outside else "client_inside")
        boxes = [Box(slot=f"client:{entry.id}", label=client, href="")]
        boxes += [_box(ctx, hop, hop.id, f"../../{hop.id}/") for hop in path.types]
        if path.backend is not None:
            boxes.append(_box(ctx, path.backend, path.backend.id, f"../../{path.backend.id}/"))
        else:
            boxes.append(Box(slot=f"end:{entry.id}", label=ctx.ui("external_host"), href=""))
        lanes.append((entry.id, boxes))
    # entry points of other categories that expose what these types are kinds of (Ingress → Service → Pod)
    kinds = {
        r.target for e in glossary.in_category(category_id) for r in e.relations if r.type == "instance-of"
    }
    for entry in glossary:
        front = next(
            (glossary.get(r.target) for r in entry.relations if r.type == "exposes" and r.target in kinds),
            None,
        )
        if entry.category == category_id or front is None:
            continue
        backend = next(
            (
                glossary.get(r.target)
                for r in front.relations
                if r.type in ("exposes", "selects") and r.target in glossary
            ),
            None,
        )
        hops = [entry, front, *([backend] if backend is not None else [])]
        boxes = [Box(slot=f"client:{entry.id}", label=ctx.ui("client_outside"), href="")]
        boxes += [_box(ctx, hop, hop.id, f"../../{hop.id}/") for hop in hops]
        lanes.append((entry.id, boxes))
    types = len(glossary.in_category(category_id))
    title = ctx.ui("service_paths" if len(lanes) == types else "entry_paths")
    return diagrams.lanes_svg(lanes, title, f"cat-{category_id}")


def relation_dag(ctx: _Context, category_id: str, categories: set[str], types: set[str] | None) -> str:
    """Return a left-to-right diagram of the relations (of ``types``) from ``category_id``'s terms.

    Targets in ``categories`` are followed, so a chain such as Deployment → ReplicaSet → Pod appears
    whole.
    """
    glossary, lang = ctx.glossary, ctx.lang
    seeds = [e.id for e in glossary.in_category(category_id)]
    keys: list[str] = []
    edges: list[tuple[str, str, str]] = []
    queue = list(seeds)
    while queue:
        term_id = queue.pop(0)
        if term_id in keys:
            continue
        keys.append(term_id)
        for rel in glossary[term_id].relations:
            target = glossary.get(rel.target)
            if (
                target is None
                or (types is not None and rel.type not in types)
                or target.category not in categories
            ):
                continue
            edges.append((term_id, target.id, relation_type(rel.type).label.get(lang)))
            queue.append(target.id)
    linked = {s for s, _, _ in edges} | {t for _, t, _ in edges}
    keys = [k for k in keys if k in linked]
    if not edges:
        return ""
    columns = diagrams.layer_columns(keys, [(s, t) for s, t, _ in edges])
    boxes = [[_box(ctx, glossary[k], k, f"../../{k}/") for k in column] for column in columns]
    arrows = [Arrow(source=s, target=t, label=label) for s, t, label in edges]
    title = ctx.ui("category_diagram").format(label=category(category_id).label.get(lang))
    return diagrams.columns_svg(boxes, arrows, title, f"cat-{category_id}")
