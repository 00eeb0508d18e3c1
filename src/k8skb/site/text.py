"""Escaping glossary text for the generated pages.

Flow: plain glossary fields (names, titles) → ``md_inline`` (HTML entities plus Markdown punctuation
escaped, so the text shows literally wherever MkDocs renders it) or ``attr``/``html_text`` for the HTML
we write ourselves. Descriptions are Markdown: ``render_markdown`` turns them into HTML with a Markdown
instance that has raw HTML switched off, so a ``<script>`` that slipped past validation is shown as
text (defense in depth). Summaries and misconceptions are one-line inline Markdown (code, emphasis):
``inline_markdown`` renders them the same safe way without block syntax; ``inline_text`` is their
plain text for tooltips (``title`` attributes).
"""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache

import markdown

_MD_PUNCT = re.compile(r"([\\`*_\[\]{}()#+!|-])")
"""Characters Python-Markdown (with ``tables``) lets a backslash escape; ``.`` and ``>`` are safe inline."""
_SPACES = re.compile(r"\s+")


def html_text(text: str) -> str:
    """Return ``text`` escaped for an HTML text node (``& < >`` and quotes)."""
    return html.escape(text, quote=True)


def attr(text: str) -> str:
    """Return ``text`` on one line, escaped for a double-quoted HTML attribute."""
    return html.escape(_SPACES.sub(" ", text).strip(), quote=True)


def md_inline(text: str) -> str:
    """Return ``text`` as inline Markdown that renders literally: one line, no markup, no raw HTML."""
    one_line = _SPACES.sub(" ", text).strip()
    return _MD_PUNCT.sub(r"\\\1", html.escape(one_line, quote=False))


class _SafeMarkdown:
    """One reusable Markdown converter with raw HTML disabled (the converter is not thread-safe)."""

    def __init__(self, inline: bool = False) -> None:
        self._lock = threading.Lock()
        self._md = markdown.Markdown(extensions=[] if inline else ["tables", "fenced_code", "sane_lists"])
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        if inline:  # one paragraph whatever the text: no lists, headings, quotes, code blocks, rules
            for name in [n for n in self._md.parser.blockprocessors._priority if n.name != "paragraph"]:
                self._md.parser.blockprocessors.deregister(name.name)

    def convert(self, text: str) -> str:
        with self._lock:
            self._md.reset()
            return str(self._md.convert(text))


_SAFE = _SafeMarkdown()
_SAFE_INLINE = _SafeMarkdown(inline=True)
_TAG = re.compile(r"<[^>]*>")


def render_markdown(text: str) -> str:
    """Render a description (Markdown, no raw HTML) to HTML; any tag in ``text`` comes out as text."""
    return _SAFE.convert(text)


@lru_cache(maxsize=65536)
def inline_markdown(text: str) -> str:
    """Render one line of inline Markdown (code, emphasis, links) to HTML without the ``<p>``; no raw HTML."""
    one_line = _SPACES.sub(" ", text).strip()
    if not one_line:
        return ""
    out = _SAFE_INLINE.convert(one_line).strip()
    return out.removeprefix("<p>").removesuffix("</p>")


@lru_cache(maxsize=65536)
def inline_text(text: str) -> str:
    """Return the plain text of ``text`` read as inline Markdown (``\u0060code\u0060`` → ``code``)."""
    if not any(ch in text for ch in "`*_[\\&<"):
        return _SPACES.sub(" ", text).strip()
    return html.unescape(_TAG.sub("", inline_markdown(text)))
