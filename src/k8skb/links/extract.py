"""Extract links and anchors from HTML pages.

Flow: ``parse_page`` reads one page with selectolax (lexbor, a real HTML5 parser) and returns a
``PageData``: every ``href``/``src``/``srcset`` value in document order, every anchor the page
offers (``id`` on any element, ``name`` on ``<a>``), and the glossary source from the
``<meta name="k8skb:source">`` of generated pages. Positions are not computed here: the parser does
not give them, and most links are fine. ``locate`` finds line:column afterwards, only for the pages
that have a problem, with a light tag scanner over the raw text.
"""

from __future__ import annotations

import bisect
import html
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

LINK_ATTRIBUTES = ("href", "src", "srcset", "poster")
SKIPPED_RELS = frozenset({"preconnect", "dns-prefetch"})
"""``<link rel>`` values that name an origin, not a resource: nothing to fetch, nothing to check."""
SOURCE_META = "k8skb:source"
MAX_PAGE_BYTES = 20 * 2**20
"""A page larger than this is reported, not parsed (the parser's memory grows many times the page)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageData:
    """What one page links to and which anchors it offers."""

    path: str
    links: tuple[tuple[str, str], ...] = ()
    anchors: frozenset[str] = frozenset()
    origin: str | None = None
    base: str | None = None
    error: str | None = None


@dataclass(slots=True)
class _Collected:
    links: list[tuple[str, str]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


def srcset_urls(value: str) -> list[str]:
    """Return the URLs of a ``srcset`` value (``a.png 1x, b.png 2x`` → ``[a.png, b.png]``).

    Follows the HTML parsing rule: a URL is a run of non-space characters; trailing commas end it.
    """
    urls = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        stripped = url.rstrip(",")
        if stripped:
            urls.append(stripped)
        if url != stripped:  # the URL ended with a comma: no descriptors follow
            continue
        while pos < end and value[pos] != ",":  # skip descriptors up to the next candidate
            if value[pos] == "(":
                close = value.find(")", pos)
                pos = end if close < 0 else close
            pos += 1
    return urls


def parse_html(path: str, text: str) -> PageData:
    """Parse ``text`` (the page at site-relative ``path``) into its links, anchors and origin."""
    tree = LexborHTMLParser(text)
    got = _Collected()
    for node in tree.css("[id]"):
        value = node.attributes.get("id")
        if value:
            got.anchors.add(value)
    for node in tree.css("a[name]"):
        value = node.attributes.get("name")
        if value:
            got.anchors.add(value)
    for attribute in LINK_ATTRIBUTES:
        for node in tree.css(f"[{attribute}]"):
            attrs = node.attributes
            value = attrs.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                got.links.extend(("srcset", url) for url in srcset_urls(value))
            elif node.tag == "link" and attribute == "href" and _skipped_rel(attrs.get("rel")):
                continue
            elif node.tag != "base":
                got.links.append((attribute, value))
    origin = None
    meta = tree.css_first(f'meta[name="{SOURCE_META}"]')
    if meta is not None:
        origin = meta.attributes.get("content") or None
    base_node = tree.css_first("base[href]")
    base = base_node.attributes.get("href") if base_node is not None else None
    return PageData(
        path=path, links=tuple(got.links), anchors=frozenset(got.anchors), origin=origin, base=base
    )


def _skipped_rel(rel: str | None) -> bool:
    return bool(rel) and not SKIPPED_RELS.isdisjoint(str(rel).lower().split())


def parse_page(root: Path, path: str, max_bytes: int = MAX_PAGE_BYTES) -> PageData:
    """Read and parse the page ``root/path``; an unreadable or too large page becomes ``PageData.error``.

    Only a regular file is read (never a FIFO or a device), and at most ``max_bytes`` of it.
    """
    try:
        if not stat.S_ISREG((root / path).stat().st_mode):  # before opening: a FIFO's open blocks
            return PageData(path=path, error="cannot read page: not a regular file")
        with (root / path).open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return PageData(path=path, error=f"cannot read page: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return PageData(path=path, error=f"page larger than {max_bytes // 2**20} MiB: not parsed")
    return parse_html(path, data.decode("utf-8", errors="replace"))


def parse_pages(root: Path, paths: Iterable[str]) -> list[PageData]:
    """Parse several pages (one worker's share)."""
    return [parse_page(root, p) for p in paths]


_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"})
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


def locate(text: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Return the 1-based (line, column) of each start tag carrying a wanted ``(attribute, url)``.

    A light scanner (comments and raw-text elements skipped, entities decoded) that lists every
    position in document order, so the k-th occurrence of a link maps to the k-th position.
    """
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    names = {attribute for attribute, _ in wanted}
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    pos = 0
    while True:
        match = _TAG.search(text, pos)
        if match is None:
            break
        pos = match.end()
        tag = match.group(1)
        if tag is None:
            continue
        tag = tag.lower()
        for attr in _ATTR.finditer(match.group(2)):
            name = attr.group(1).lower()
            if name not in names:
                continue
            raw = next((g for g in attr.groups()[1:] if g is not None), "")
            value = html.unescape(raw)
            urls = srcset_urls(value) if name == "srcset" else [value]
            for url in urls:
                if (name, url) in wanted:
                    line = bisect.bisect_right(line_starts, match.start())
                    column = match.start() - line_starts[line - 1] + 1
                    found.setdefault((name, url), []).append((line, column))
        if tag in _RAW_TEXT:
            close = re.compile(rf"</{re.escape(tag)}\s*>", re.I).search(text, pos)
            pos = close.end() if close else len(text)
    return found
