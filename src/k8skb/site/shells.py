"""Render the many term pages of a build from one verified page shell per page shape.

At 2,000 terms, Material's templates rendered 4,000 term pages one by one (navigation, header,
footer, every partial), ~7 s of the build, although those pages differ only in a few values: the
title, the content, the source meta, the table of contents' first anchor, the language switcher's
link, and the canonical/edit URLs. Term pages are not in the navigation and share one directory
depth, so everything else in their HTML is identical.

Flow of ``ShellRenderer.render`` for one page:
1. The page's *values* (title, content, …) and its *shape* (template, directory, metadata, table of
   contents apart from its first anchor, alternates) are read. A page whose values would be changed
   by the templates' filters (HTML escaping, ``striptags``) is rendered normally.
2. First page of a shape: the template renders a copy of the page whose values are sentinels; the
   output, cut at the sentinels, is the shell (literal parts and named holes).
3. The shell is trusted only after filling it gave exactly the normal rendering for the first two
   pages of the shape (so a value the template shows that is not a hole, such as the page URL, or a
   filter that changes a sentinel, disables the shell for that shape). Later pages are the shell
   filled with their values: a string join instead of a template rendering.
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template
from markupsafe import Markup, escape
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import normalize_url

VARYING_META = frozenset({"k8skb_source", "k8skb_term", "template"})
"""Metadata keys whose values are holes (or not shown): they do not make a new shape."""
VERIFY_PAGES = 2
"""How many pages of a shape must render identically from the shell before it is trusted."""


@dataclass(slots=True)
class _Shell:
    parts: tuple[str, ...]
    holes: tuple[str, ...]
    verified: int = 0
    disabled: bool = False

    def fill(self, values: Mapping[str, str]) -> str | None:
        """The shell with every hole replaced by its value; None when a value is missing."""
        out = [self.parts[0]]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            value = values.get(hole)
            if value is None:
                return None
            out.append(value)
            out.append(part)
        return "".join(out)


def _plain(value: object) -> bool:
    """True for a string that HTML escaping and ``striptags`` leave exactly as it is."""
    return isinstance(value, str) and str(escape(value)) == value and Markup(value).striptags() == value


class ShellRenderer:
    """Renders pages through verified shells; one instance per Jinja environment (per build)."""

    def __init__(self) -> None:
        self.token = f"k8skb{secrets.token_hex(8)}"
        self.shells: dict[tuple[object, ...], _Shell] = {}
        self.filled = 0
        self.rendered = 0

    def render(self, template: Template, context: Mapping[str, Any], page: Page) -> str:
        """Return the HTML of ``page`` (``template`` rendered with ``context``), from a shell if one fits."""
        values = self._values(page, context)
        if values is None:
            return self._full(template, context)
        key = self._shape(template, page, context)
        shell = self.shells.get(key)
        if shell is None:
            shell = self.shells[key] = self._probe(template, context, page)
        if shell.disabled:
            return self._full(template, context)
        if shell.verified >= VERIFY_PAGES:
            filled = shell.fill(values)
            if filled is not None:
                self.filled += 1
                return filled
        output = self._full(template, context)
        if shell.fill(values) == output:
            shell.verified += 1
        else:
            shell.disabled = True
        return output

    def _full(self, template: Template, context: Mapping[str, Any]) -> str:
        self.rendered += 1
        return template.render(context)

    # ------------------------------------------------------------ values and shape

    def _values(self, page: Page, context: Mapping[str, Any]) -> dict[str, str] | None:
        """The page's hole values, or None when one of them is not a plain string."""
        if not isinstance(page.content, str):
            return None
        values: dict[str, str] = {"content": page.content}
        plain: dict[str, object] = {"title": page.title}
        if "k8skb_source" in page.meta:
            plain["source"] = page.meta["k8skb_source"]
        first = _first_anchor(page.toc)
        if first is not None:
            plain["toc-id"], plain["toc-title"] = first.id, first.title
        for name in ("canonical_url", "edit_url"):
            url = getattr(page, name, None)
            if url is not None:
                plain[name] = url
        for index, alternate in enumerate(_alternates(context)):
            link = alternate.get("link")
            if not isinstance(link, str):
                return None
            plain[f"alt{index}"] = normalize_url(link, page, str(context.get("base_url", "")))
        if not all(_plain(value) for value in plain.values()):
            return None
        values.update({name: str(value) for name, value in plain.items()})
        return values

    def _shape(self, template: Template, page: Page, context: Mapping[str, Any]) -> tuple[object, ...]:
        """What must be equal for two pages to share a shell."""
        directory = page.url.rstrip("/").rpartition("/")[0]
        meta = repr(sorted((k, repr(v)) for k, v in page.meta.items() if k not in VARYING_META))
        toc = list(page.toc)
        head = toc[0] if toc else None
        toc_shape = repr(
            [
                (head.level, [_anchor_shape(child) for child in head.children]) if head else None,
                [_anchor_shape(item) for item in toc[1:]],
            ]
        )
        alternates = repr([(a.get("lang"), a.get("name")) for a in _alternates(context)])
        return (
            template.name,
            directory,
            meta,
            toc_shape,
            alternates,
            page.previous_page is None,
            page.next_page is None,
            page.canonical_url is None,
            page.edit_url is None,
            page.is_homepage,
            "<h1" in str(page.content),
        )

    # ------------------------------------------------------------ the shell

    def _sentinel(self, name: str) -> str:
        return f"{self.token}{name.replace('-', '')}{self.token[::-1]}"

    def _probe(self, template: Template, context: Mapping[str, Any], page: Page) -> _Shell:
        """Render the page with sentinel values and cut the output into parts and holes."""
        probe = copy.copy(page)
        sentinels: dict[str, str] = {}

        def hole(name: str, text: str | None = None) -> str:
            sentinels[text or self._sentinel(name)] = name
            return text or self._sentinel(name)

        # Material adds an <h1> of the title when the content has none: the sentinel keeps that fact.
        has_h1 = "<h1" in str(page.content)
        probe.content = hole("content", ("<h1>" if has_h1 else "") + self._sentinel("content"))
        probe.title = hole("title")  # a weak_property: assignable on instances
        probe.meta = dict(page.meta)
        if "k8skb_source" in page.meta:
            probe.meta["k8skb_source"] = hole("source")
        first = _first_anchor(page.toc)
        if first is not None:
            anchor = copy.copy(first)
            anchor.id, anchor.title = hole("toc-id"), hole("toc-title")
            probe.toc = TableOfContents([anchor, *list(page.toc)[1:]])
        for name in ("canonical_url", "edit_url"):
            if getattr(page, name, None) is not None:
                setattr(probe, name, hole(name))
        probe_context = dict(context)
        probe_context["page"] = probe
        alternates = _alternates(context)
        if alternates:
            key = "k8skb_alternate" if context.get("k8skb_alternate") else None
            replaced = [
                {**alternate, "link": hole(f"alt{i}", "/" + self._sentinel(f"alt{i}"))}
                for i, alternate in enumerate(alternates)
            ]
            if key is None:
                return _Shell((), (), disabled=True)  # alternates only in config.extra: not ours to swap
            probe_context[key] = replaced
        output = template.render(probe_context)
        self.rendered += 1
        pattern = re.compile("|".join(re.escape(s) for s in sorted(sentinels, key=len, reverse=True)))
        parts: list[str] = []
        holes: list[str] = []
        position = 0
        for match in pattern.finditer(output):
            parts.append(output[position : match.start()])
            holes.append(sentinels[match.group(0)])
            position = match.end()
        parts.append(output[position:])
        if self.token in "".join(parts):
            return _Shell((), (), disabled=True)  # a sentinel changed by a filter: not a hole we can fill
        return _Shell(tuple(parts), tuple(holes))


def _first_anchor(toc: TableOfContents | list[AnchorLink]) -> AnchorLink | None:
    for item in toc:
        return item
    return None


def _anchor_shape(anchor: AnchorLink) -> tuple[object, ...]:
    return (anchor.level, anchor.id, anchor.title, [_anchor_shape(child) for child in anchor.children])


def _alternates(context: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    alternates = context.get("k8skb_alternate")
    if not alternates:
        config = context.get("config")
        extra = getattr(config, "extra", None) if config is not None else None
        alternates = getattr(extra, "alternate", None) if extra is not None else None
    return list(alternates or [])


# ---------------------------------------------------------------------------------------- Markdown


@dataclass(slots=True)
class Rendered:
    """What rendering a page's Markdown gives MkDocs (``Page.render``)."""

    content: str
    toc_tokens: list[dict[str, Any]]
    title: str | None
    anchor_ids: frozenset[str]
    links_to_anchors: dict[Any, dict[str, str]]


SAFE_TITLE = re.compile(r"[^\W_](?:[^\W_]|[-./・ー]|(?<! ) (?! ))*")
"""Titles no Markdown inline syntax, escaping or whitespace folding can change: words, digits, single
spaces and ``- . / ・``."""


@dataclass(slots=True)
class _MarkdownShell:
    rendered: Rendered | None
    other_ids: frozenset[str] = frozenset()
    own_links: dict[str, str] | None = None  # the page's links to its own anchors (permalinks)
    verified: int = 0


class MarkdownShells:
    """Renders term pages' Markdown from one verified rendering per page shape.

    A generated term page's Markdown is its title as ``# title`` and the same headings and fragment
    placeholders as every other term page of its language, yet Python-Markdown cost ~1 ms a page.
    The shape is the Markdown with the title line blanked; the shell is the rendering of that
    Markdown with a sentinel title (upper case) whose slug (lower case) marks the heading's id. A
    page is filled from the shell when its title is ``SAFE_TITLE``, its slug clashes with no other
    id of the page, and the first two pages of the shape rendered exactly as the fill.
    """

    def __init__(self, slugify: Any, separator: str) -> None:
        self.slugify = slugify
        self.separator = separator
        token = secrets.token_hex(8)
        self.text = f"KSHELL{token.upper()}TITLE"
        self.slug = str(slugify(self.text, separator))
        self.usable = self.slug != self.text and self.slug.isalnum() and self.text not in self.slug
        self.shells: dict[str, _MarkdownShell] = {}
        self.filled = 0

    def render(self, markdown_text: str, convert: Any, own: object) -> Rendered:
        """Render ``markdown_text`` with ``convert(text) -> Rendered``, or fill a verified shell.

        ``own`` is the page's key in ``links_to_anchors`` (its ``File``): permalinks link there.
        """
        match = re.search(r"^# (.+)$", markdown_text, flags=re.MULTILINE)
        title = match.group(1) if match else ""
        if not (self.usable and match and SAFE_TITLE.fullmatch(title) and title == title.strip()):
            return convert(markdown_text)  # type: ignore[no-any-return]
        slug = str(self.slugify(title, self.separator))
        key = markdown_text[: match.start(1)] + "\0" + markdown_text[match.end(1) :]
        shell = self.shells.get(key)
        if shell is None:
            probe = convert(key.replace("\0", self.text, 1))
            shell = self.shells[key] = self._check(probe, own)
        if shell.rendered is None or not slug or slug in shell.other_ids:
            return convert(markdown_text)  # type: ignore[no-any-return]
        filled = self._fill(shell, title, slug, own)
        if shell.verified >= VERIFY_PAGES:
            self.filled += 1
            return filled
        rendered: Rendered = convert(markdown_text)
        if rendered == filled:
            shell.verified += 1
        else:
            shell.rendered = None
        return rendered

    def _check(self, probe: Rendered, own: object) -> _MarkdownShell:
        """The probe as a shell, unusable when it links elsewhere than to its own anchors."""
        links = probe.links_to_anchors
        if probe.title != self.text or self.slug not in probe.anchor_ids or set(links) - {own}:
            return _MarkdownShell(None)
        return _MarkdownShell(probe, probe.anchor_ids - {self.slug}, links.get(own))

    def _fill(self, template: _MarkdownShell, title: str, slug: str, own: object) -> Rendered:
        shell, links = template.rendered, template.own_links
        assert shell is not None

        def swap(text: str) -> str:
            return text.replace(self.text, title).replace(self.slug, slug)

        def value(key: str, item: Any) -> Any:
            if key == "children":
                return tokens(item)
            return swap(item) if isinstance(item, str) else item

        def tokens(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: value(k, v) for k, v in t.items()} for t in items]

        return Rendered(
            swap(shell.content),
            tokens(shell.toc_tokens),
            title,
            frozenset(swap(i) for i in shell.anchor_ids),
            {} if links is None else {own: {swap(k): swap(v) for k, v in links.items()}},
        )
