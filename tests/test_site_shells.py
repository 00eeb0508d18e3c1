"""Page shells (``k8skb.site.shells``): a filled shell equals the template's rendering, or none is used."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from jinja2 import DictLoader, Environment
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from k8skb.site.shells import MarkdownShells, Rendered, ShellRenderer

BASE = (
    "<title>{{ page.title | striptags }} - site</title>"
    "{% if page.meta.k8skb_source %}<meta content='{{ page.meta.k8skb_source | e }}'>{% endif %}"
    "<a href='{{ (page.toc | first).url }}'>skip</a>"
    "<header>{{ page.title }}</header>"
    "{% for alt in k8skb_alternate %}<a href='{{ alt.link | url }}'>{{ alt.name }}</a>{% endfor %}"
    "<nav>{% for item in (page.toc | first).children %}"
    "<a href='{{ item.url }}'>{{ item.title }}</a>{% endfor %}</nav>"
    "{% if '<h1' not in page.content %}<h1>{{ page.title }}</h1>{% endif %}"
    "<main>{{ page.content }}</main>"
)


@dataclass
class FakePage:
    """The attributes of ``mkdocs.structure.pages.Page`` that templates and shells read."""

    url: str
    title: str
    content: str
    toc: TableOfContents
    meta: dict[str, Any] = field(default_factory=dict)
    canonical_url: str | None = None
    edit_url: str | None = None
    previous_page: None = None
    next_page: None = None
    is_homepage: bool = False


def term(
    name: str, sections: tuple[str, ...] = ("description", "references"), title: str | None = None
) -> Page:
    """A term page with an h1 and one h2 per section."""
    head = AnchorLink(title or name, name, 1)
    head.children = [AnchorLink(s, s, 2) for s in sections]
    body = f"<h1 id='{name}'>{title or name}</h1>"
    body += "".join(f"<h2 id='{s}'>{s}</h2><p>{name}</p>" for s in sections)
    return cast(
        Page,
        FakePage(
            url=f"glossary/{name}/",
            title=title or name,
            content=body,
            toc=TableOfContents([head]),
            meta={"k8skb_source": f"glossary/terms.yaml:{len(name)}", "k8skb_term": name},
        ),
    )


def env(template: str) -> Environment:
    from mkdocs.utils.templates import url_filter

    environment = Environment(loader=DictLoader({"main.html": template}))
    environment.filters["url"] = url_filter
    return environment


def context(page: Page) -> dict[str, Any]:
    name = page.url.split("/")[1]
    alternates = [
        {"name": "日本語", "lang": "ja", "link": page.url},
        {"name": "English", "lang": "en", "link": f"en/glossary/{name}/"},
    ]
    return {"page": page, "base_url": "../..", "k8skb_alternate": alternates}


def render_all(template: str, pages: list[Page]) -> tuple[ShellRenderer, list[str], list[str]]:
    environment = env(template)
    shells = ShellRenderer()
    main = environment.get_template("main.html")
    ours = [shells.render(main, context(p), p) for p in pages]
    theirs = [main.render(context(p)) for p in pages]
    return shells, ours, theirs


NAMES = ["pod", "service", "kubelet", "etcd", "node", "deployment"]


def test_pages_after_the_verified_ones_come_from_the_shell_and_equal_the_rendering() -> None:
    shells, ours, theirs = render_all(BASE, [term(n) for n in NAMES])
    assert ours == theirs
    assert shells.filled == len(NAMES) - 2  # two pages verify the shell, the rest are filled
    assert "../../en/glossary/etcd/" in ours[3] and "href='./'" in ours[3]


def test_each_shape_gets_its_own_shell() -> None:
    shapes = [("description",), ("description", "misconceptions")]
    pages = [term(n, shapes[i % 2]) for i, n in enumerate(NAMES)]
    shells, ours, theirs = render_all(BASE, pages)
    assert ours == theirs
    assert len(shells.shells) == 2 and shells.filled == 2


def test_a_value_the_template_shows_outside_the_holes_disables_the_shell() -> None:
    # page.url is not a hole: a shell made from one page would show its URL on every page.
    shells, ours, theirs = render_all(BASE + "<p>{{ page.url }}</p>", [term(n) for n in NAMES])
    assert ours == theirs and shells.filled == 0
    assert "glossary/etcd/" in ours[3]


def test_a_filter_that_changes_a_hole_disables_the_shell() -> None:
    shells, ours, theirs = render_all(BASE + "<p>{{ page.title | upper }}</p>", [term(n) for n in NAMES])
    assert ours == theirs and shells.filled == 0


@pytest.mark.parametrize("title", ["Role & RoleBinding", "a <b>", 'say "hi"', "two  spaces"])
def test_titles_that_filters_would_change_are_rendered_by_the_template(title: str) -> None:
    pages = [term(n) for n in NAMES]
    pages.insert(4, term("odd", title=title))
    shells, ours, theirs = render_all(BASE, pages)
    assert ours == theirs
    assert shells.filled == len(NAMES) - 2  # the odd page was rendered, the others still filled


def test_content_that_looks_like_a_sentinel_is_only_content() -> None:
    shells = ShellRenderer()
    pages = [term(n) for n in NAMES]
    tricky = copy.copy(pages[-1])
    tricky.content = "<h1 id='x'>x</h1>" + shells.token + "title" + shells.token[::-1]
    pages[-1] = tricky
    main = env(BASE).get_template("main.html")
    ours = [shells.render(main, context(p), p) for p in pages]
    assert ours == [main.render(context(p)) for p in pages]


# ---------------------------------------------------------------------------------------- Markdown


def markdown_converter(slugify: Any) -> tuple[Any, Any]:
    """A Markdown converter like the site's and ``convert(text) -> Rendered`` (title from the h1)."""
    import markdown

    md = markdown.Markdown(
        extensions=["toc", "admonition", "attr_list"],
        extension_configs={"toc": {"permalink": True, "slugify": slugify}},
    )

    def ids(tokens: list[dict[str, Any]]) -> list[str]:
        return [i for t in tokens for i in [t["id"], *ids(t["children"])]]

    def convert(text: str) -> Rendered:
        md.reset()
        html = md.convert(text)
        tokens = list(getattr(md, "toc_tokens", []))
        anchors = ids(tokens)
        return Rendered(
            html,
            tokens,
            tokens[0]["name"] if tokens else None,
            frozenset(anchors),
            {OWN: {a: f"#{a}" for a in anchors}} if anchors else {},
        )

    return md, convert


OWN = "own-file"
SECTIONS = "\n\nk8skb-fragment-0\n\n## 説明\n\nk8skb-fragment-1\n\n## 関係\n\nk8skb-fragment-2\n"
TITLES = [
    "kube-apiserver",
    "コントロールプレーン",
    "Control plane",
    "Pod *emphasis*",
    "snake_case",
    "R&D",
    "説明",
    "Node.js",
    "two  spaces",
    "trailing ",
    "Service",
    "ClusterIP",
]


def test_markdown_shells_fill_safe_titles_and_convert_the_rest_alike() -> None:
    from pymdownx.slugs import slugify  # type: ignore[import-untyped]

    lower = slugify(case="lower")
    _, convert = markdown_converter(lower)
    shells = MarkdownShells(lower, "-")
    texts = [f"# {title}{SECTIONS}" for title in TITLES]
    ours = [shells.render(text, convert, OWN) for text in texts]
    theirs = [convert(text) for text in texts]
    assert ours == theirs
    # filled: the safe titles after the two verified pages; never "説明" (its slug is an h2's id)
    assert shells.filled == 4, shells.filled  # Control plane, Node.js, Service, ClusterIP
    assert ours[6].toc_tokens[0]["children"][0]["id"] == "説明_1"


def test_markdown_shells_stand_aside_when_the_slug_keeps_the_case() -> None:
    from markdown.extensions.toc import slugify_unicode

    def keep_case(value: str, separator: str) -> str:
        return value.replace(" ", separator)

    _, convert = markdown_converter(keep_case)
    shells = MarkdownShells(keep_case, "-")
    assert not shells.usable
    texts = [f"# {title}{SECTIONS}" for title in TITLES]
    assert [shells.render(t, convert, OWN) for t in texts] == [convert(t) for t in texts]
    assert shells.filled == 0
    assert MarkdownShells(slugify_unicode, "-").usable
