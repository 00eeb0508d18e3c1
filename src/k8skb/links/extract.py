"""Extract links and anchors from HTML pages.

Flow: ``parse_page`` reads one page, refuses one nested deeper than ``MAX_DEPTH`` (the parser's
time grows with the square of the depth), parses it with selectolax (lexbor, a real HTML5 parser)
and returns a ``PageData``: every ``href``/``src``/``srcset``/``poster`` value, ``<object data>``,
CSS ``url()`` in ``<style>`` and ``style=""``, the URL of ``<meta http-equiv=refresh>``, every anchor
the page offers (``id`` on any element, ``name`` on ``<a>``), its ``<base href>`` and the glossary
source from the ``<meta name="k8skb:source">`` of generated pages. Positions are not computed
here: the parser does not give them, and most links are fine. ``locate`` finds line:column
afterwards, only for the pages that have a problem, with a light tag scanner over the raw text.
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
MAX_DEPTH = 512
"""A page nesting elements deeper than this is reported, not parsed: the parser's time grows with the
square of the depth (100,000 nested ``<ul>`` take minutes). Chromium's parser stops nesting at 512 too."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageData:
    """What one page links to and which anchors it offers."""

    path: str
    links: tuple[tuple[str, str], ...] = ()
    anchors: frozenset[str] = frozenset()
    origin: str | None = None
    base: str | None = None
    canonical: str | None = None
    error: str | None = None
    error_rule: str = "unreadable"


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


_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_CSS_URL = re.compile(
    r"""\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^\s"'()]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I
)


def css_url_spans(css: str) -> list[tuple[int, str]]:
    """Return ``(offset, url)`` of every ``url(…)`` and ``@import "…"`` in CSS text (comments skipped)."""
    blanked = _CSS_COMMENT.sub(lambda m: " " * len(m.group()), css)  # offsets stay those of ``css``
    spans = []
    for match in _CSS_URL.finditer(blanked):
        url = next((g for g in match.groups() if g is not None), "")
        if url:
            spans.append((match.start(), url))
    return spans


def css_urls(css: str) -> list[str]:
    """Return the URLs of CSS text: ``url(a.png)``, ``url("b.woff2")``, ``@import 'c.css'``."""
    return [url for _, url in css_url_spans(css)]


_ASCII_SPACE = " \t\n\r\f"


def refresh_url(content: str) -> str | None:
    """The URL of a ``<meta http-equiv=refresh content=…>`` value, as the HTML standard reads it.

    ``"5; url='next/'"`` → ``next/``; ``"0"`` (reload the page itself) or a malformed value → ``None``.
    """
    pos, end = 0, len(content)
    while pos < end and content[pos] in _ASCII_SPACE:
        pos += 1
    start = pos
    while pos < end and (content[pos] in "0123456789."):
        pos += 1
    if pos == start:
        return None
    if pos < end and content[pos] not in ";," + _ASCII_SPACE:
        return None
    while pos < end and content[pos] in _ASCII_SPACE:
        pos += 1
    if pos < end and content[pos] in ";,":
        pos += 1
        while pos < end and content[pos] in _ASCII_SPACE:
            pos += 1
    if pos >= end:
        return None
    rest = content[pos:]
    if rest[:3].lower() == "url":
        after = rest[3:].lstrip(_ASCII_SPACE)
        if after.startswith("="):
            rest = after[1:].lstrip(_ASCII_SPACE)
    if rest[:1] in ("'", '"'):
        rest = rest[1:].partition(rest[0])[0]
    url = rest.strip(_ASCII_SPACE)
    return url or None


_DEPTH_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)\b.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][^\s/>]*)",
    re.S | re.I,
)
_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source")
_CLOSED_BY_SIBLING = ("p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody")
_NOT_NESTING = frozenset(
    (*_VOID, "track", "wbr", "keygen", *_CLOSED_BY_SIBLING, "tfoot", "caption", "rb", "rt")
)


def nesting_depth_over(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when ``text`` nests elements deeper than ``limit`` (a light scan over its tags).

    Void elements and those a sibling closes (``<p>``, ``<li>``, ``<td>``, …) do not count; a page
    with fewer tags than ``limit`` is not scanned at all.
    """
    if text.count("<") <= limit:
        return False
    depth = 0
    for match in _DEPTH_TOKEN.finditer(text):
        name = match.group(3)
        if name is None:
            continue
        name = name.lower()
        if name in _NOT_NESTING:
            continue
        if match.group(2):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def parse_html(path: str, text: str) -> PageData:
    """Parse ``text`` (the page at site-relative ``path``) into its links, anchors and origin."""
    if nesting_depth_over(text):
        return PageData(
            path=path, error=f"page nests elements deeper than {MAX_DEPTH}: not parsed", error_rule="too-deep"
        )
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
    for node in tree.css("object[data]"):
        got.links.append(("data", node.attributes.get("data") or ""))
    for node in tree.css("[style]"):
        got.links.extend(("style", url) for url in css_urls(node.attributes.get("style") or ""))
    for node in tree.css("style"):
        got.links.extend(("css", url) for url in css_urls(node.text(deep=True)))
    for node in tree.css("meta[http-equiv][content]"):
        if (node.attributes.get("http-equiv") or "").strip().lower() == "refresh":
            url = refresh_url(node.attributes.get("content") or "")
            if url is not None:
                got.links.append(("refresh", url))
    origin = None
    meta = tree.css_first(f'meta[name="{SOURCE_META}"]')
    if meta is not None:
        origin = meta.attributes.get("content") or None
    base_node = tree.css_first("base[href]")
    base = base_node.attributes.get("href") if base_node is not None else None
    canonical_node = tree.css_first('link[rel~="canonical" i][href]')
    canonical = canonical_node.attributes.get("href") if canonical_node is not None else None
    return PageData(
        path=path,
        links=tuple(got.links),
        anchors=frozenset(got.anchors),
        origin=origin,
        base=base,
        canonical=canonical,
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


def _tag_urls(tag: str, attrs: list[tuple[str, str]], names: set[str]) -> list[tuple[str, str]]:
    """``(label, url)`` of every link a start tag carries, labelled as ``parse_html`` labels them."""
    found = []
    for name, value in attrs:
        if name in ("href", "src", "poster") and name in names:
            found.append((name, value))
        elif name == "srcset" and name in names:
            found.extend(("srcset", url) for url in srcset_urls(value))
        elif name == "data" and tag == "object" and "data" in names:
            found.append(("data", value))
        elif name == "style" and "style" in names:
            found.extend(("style", url) for url in css_urls(value))
        elif name == "content" and tag == "meta" and "refresh" in names:
            equiv = next((v for n, v in attrs if n == "http-equiv"), "")
            url = refresh_url(value) if equiv.strip().lower() == "refresh" else None
            if url is not None:
                found.append(("refresh", url))
    return found


def locate(text: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Return the 1-based (line, column) of each start tag carrying a wanted ``(attribute, url)``.

    A light scanner (comments and raw-text elements skipped, entities decoded) that lists every
    position in document order, so the k-th occurrence of a link maps to the k-th position. A CSS
    ``url()`` inside ``<style>`` (label ``css``) is placed at the ``url(`` itself.
    """
    found: dict[tuple[str, str], list[tuple[int, int]]] = {}
    names = {attribute for attribute, _ in wanted}
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def note(key: tuple[str, str], offset: int) -> None:
        if key in wanted:
            line = bisect.bisect_right(line_starts, offset)
            found.setdefault(key, []).append((line, offset - line_starts[line - 1] + 1))

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
        attrs = []
        for attr in _ATTR.finditer(match.group(2)):
            raw = next((g for g in attr.groups()[1:] if g is not None), "")
            attrs.append((attr.group(1).lower(), html.unescape(raw)))
        for key in _tag_urls(tag, attrs, names):
            note(key, match.start())
        if tag in _RAW_TEXT:
            close = re.compile(rf"</{re.escape(tag)}\s*>", re.I).search(text, pos)
            content_end = close.start() if close else len(text)
            if tag == "style" and "css" in names:
                for offset, url in css_url_spans(text[pos:content_end]):
                    note(("css", url), pos + offset)
            pos = close.end() if close else len(text)
    return found
